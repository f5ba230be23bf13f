// Original file: proto/hvswitch/v1/bgp.proto

import type { AsSegmentType as _hvswitch_v1_AsSegmentType, AsSegmentType__Output as _hvswitch_v1_AsSegmentType__Output } from '../../hvswitch/v1/AsSegmentType.js';

export interface AsSegment {
  'type'?: (_hvswitch_v1_AsSegmentType);
  /**
   * 4-octet ASNs (AS4_PATH already merged)
   */
  'asns'?: (number)[];
}

export interface AsSegment__Output {
  'type': (_hvswitch_v1_AsSegmentType__Output);
  /**
   * 4-octet ASNs (AS4_PATH already merged)
   */
  'asns': (number)[];
}
