// Original file: proto/hvswitch/v1/bgp.proto

import type { BgpFamily as _hvswitch_v1_BgpFamily, BgpFamily__Output as _hvswitch_v1_BgpFamily__Output } from '../../hvswitch/v1/BgpFamily.js';

export interface ResetPeerRequest {
  'address'?: (string);
  /**
   * ROUTE-REFRESH instead of a session reset
   */
  'soft'?: (boolean);
  /**
   * soft only; UNSPECIFIED: every negotiated family
   */
  'family'?: (_hvswitch_v1_BgpFamily);
}

export interface ResetPeerRequest__Output {
  'address': (string);
  /**
   * ROUTE-REFRESH instead of a session reset
   */
  'soft': (boolean);
  /**
   * soft only; UNSPECIFIED: every negotiated family
   */
  'family': (_hvswitch_v1_BgpFamily__Output);
}
