// Original file: proto/hvswitch/v1/routing.proto

import type { Afi as _hvswitch_v1_Afi, Afi__Output as _hvswitch_v1_Afi__Output } from '../../hvswitch/v1/Afi.js';
import type { RouteOrigin as _hvswitch_v1_RouteOrigin, RouteOrigin__Output as _hvswitch_v1_RouteOrigin__Output } from '../../hvswitch/v1/RouteOrigin.js';

export interface ListRouteRequest {
  /**
   * empty: all VRFs; unknown: NOT_FOUND
   */
  'vrf'?: (string);
  /**
   * UNSPECIFIED: both families
   */
  'afi'?: (_hvswitch_v1_Afi);
  /**
   * UNSPECIFIED: all origins
   */
  'origin'?: (_hvswitch_v1_RouteOrigin);
}

export interface ListRouteRequest__Output {
  /**
   * empty: all VRFs; unknown: NOT_FOUND
   */
  'vrf': (string);
  /**
   * UNSPECIFIED: both families
   */
  'afi': (_hvswitch_v1_Afi__Output);
  /**
   * UNSPECIFIED: all origins
   */
  'origin': (_hvswitch_v1_RouteOrigin__Output);
}
