// Original file: proto/hvswitch/v1/l3.proto

import type { NeighborState as _hvswitch_v1_NeighborState, NeighborState__Output as _hvswitch_v1_NeighborState__Output } from '../../hvswitch/v1/NeighborState.js';
import type { Afi as _hvswitch_v1_Afi, Afi__Output as _hvswitch_v1_Afi__Output } from '../../hvswitch/v1/Afi.js';

/**
 * An ARP / IPv6 ND entry of a routed or vm port.
 */
export interface Neighbor {
  'port'?: (string);
  'ip'?: (string);
  /**
   * lower case, colon separated; empty while INCOMPLETE
   */
  'mac'?: (string);
  'state'?: (_hvswitch_v1_NeighborState);
  /**
   * seconds since last confirmed
   */
  'age'?: (number);
  /**
   * the port's VRF
   */
  'vrf'?: (string);
  'afi'?: (_hvswitch_v1_Afi);
}

/**
 * An ARP / IPv6 ND entry of a routed or vm port.
 */
export interface Neighbor__Output {
  'port': (string);
  'ip': (string);
  /**
   * lower case, colon separated; empty while INCOMPLETE
   */
  'mac': (string);
  'state': (_hvswitch_v1_NeighborState__Output);
  /**
   * seconds since last confirmed
   */
  'age': (number);
  /**
   * the port's VRF
   */
  'vrf': (string);
  'afi': (_hvswitch_v1_Afi__Output);
}
