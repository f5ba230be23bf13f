// Original file: proto/hvswitch/v1/bgp.proto

import type { BgpFamily as _hvswitch_v1_BgpFamily, BgpFamily__Output as _hvswitch_v1_BgpFamily__Output } from '../../hvswitch/v1/BgpFamily.js';
import type { Long } from '@grpc/proto-loader';

export interface PrefixCounters {
  'family'?: (_hvswitch_v1_BgpFamily);
  /**
   * in the Adj-RIB-In
   */
  'received'?: (number | string | Long);
  /**
   * in the Adj-RIB-Out
   */
  'advertised'?: (number | string | Long);
}

export interface PrefixCounters__Output {
  'family': (_hvswitch_v1_BgpFamily__Output);
  /**
   * in the Adj-RIB-In
   */
  'received': (number);
  /**
   * in the Adj-RIB-Out
   */
  'advertised': (number);
}
