// Original file: proto/hvswitch/v1/l3.proto

import type { RouteType as _hvswitch_v1_RouteType, RouteType__Output as _hvswitch_v1_RouteType__Output } from '../../hvswitch/v1/RouteType.js';
import type { NextHop as _hvswitch_v1_NextHop, NextHop__Output as _hvswitch_v1_NextHop__Output } from '../../hvswitch/v1/NextHop.js';
import type { RouteOrigin as _hvswitch_v1_RouteOrigin, RouteOrigin__Output as _hvswitch_v1_RouteOrigin__Output } from '../../hvswitch/v1/RouteOrigin.js';
import type { Afi as _hvswitch_v1_Afi, Afi__Output as _hvswitch_v1_Afi__Output } from '../../hvswitch/v1/Afi.js';

export interface Route {
  'vrf'?: (string);
  /**
   * CIDR; requests also take "default" (0.0.0.0/0)
   */
  'prefix'?: (string);
  'type'?: (_hvswitch_v1_RouteType);
  /**
   * UNICAST only; up to 8 (ECMP)
   */
  'nexthops'?: (_hvswitch_v1_NextHop)[];
  /**
   * answers only
   */
  'origin'?: (_hvswitch_v1_RouteOrigin);
  /**
   * answers only
   */
  'afi'?: (_hvswitch_v1_Afi);
}

export interface Route__Output {
  'vrf': (string);
  /**
   * CIDR; requests also take "default" (0.0.0.0/0)
   */
  'prefix': (string);
  'type': (_hvswitch_v1_RouteType__Output);
  /**
   * UNICAST only; up to 8 (ECMP)
   */
  'nexthops': (_hvswitch_v1_NextHop__Output)[];
  /**
   * answers only
   */
  'origin': (_hvswitch_v1_RouteOrigin__Output);
  /**
   * answers only
   */
  'afi': (_hvswitch_v1_Afi__Output);
}
