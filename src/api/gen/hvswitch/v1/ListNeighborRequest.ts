// Original file: proto/hvswitch/v1/routing.proto

import type { Afi as _hvswitch_v1_Afi, Afi__Output as _hvswitch_v1_Afi__Output } from '../../hvswitch/v1/Afi.js';

export interface ListNeighborRequest {
  /**
   * empty: all ports; unknown: NOT_FOUND
   */
  'port'?: (string);
  /**
   * UNSPECIFIED: both families
   */
  'afi'?: (_hvswitch_v1_Afi);
  /**
   * empty: all VRFs; unknown: NOT_FOUND
   */
  'vrf'?: (string);
}

export interface ListNeighborRequest__Output {
  /**
   * empty: all ports; unknown: NOT_FOUND
   */
  'port': (string);
  /**
   * UNSPECIFIED: both families
   */
  'afi': (_hvswitch_v1_Afi__Output);
  /**
   * empty: all VRFs; unknown: NOT_FOUND
   */
  'vrf': (string);
}
