// Original file: proto/hvswitch/v1/l2.proto

import type { FdbEventType as _hvswitch_v1_FdbEventType, FdbEventType__Output as _hvswitch_v1_FdbEventType__Output } from '../../hvswitch/v1/FdbEventType.js';

/**
 * A MAC learning event reported by the workers (in batches, never per packet).
 */
export interface FdbEvent {
  'type'?: (_hvswitch_v1_FdbEventType);
  'bridge'?: (string);
  'vlan'?: (number);
  'mac'?: (string);
  'port'?: (string);
  /**
   * MOVED: where it was
   */
  'oldPort'?: (string);
  /**
   * LOST: how many
   */
  'lost'?: (number);
}

/**
 * A MAC learning event reported by the workers (in batches, never per packet).
 */
export interface FdbEvent__Output {
  'type': (_hvswitch_v1_FdbEventType__Output);
  'bridge': (string);
  'vlan': (number);
  'mac': (string);
  'port': (string);
  /**
   * MOVED: where it was
   */
  'oldPort': (string);
  /**
   * LOST: how many
   */
  'lost': (number);
}
