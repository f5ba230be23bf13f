// Original file: proto/hvswitch/v1/bgp.proto

import type { BgpFamily as _hvswitch_v1_BgpFamily, BgpFamily__Output as _hvswitch_v1_BgpFamily__Output } from '../../hvswitch/v1/BgpFamily.js';
import type { Nlri as _hvswitch_v1_Nlri, Nlri__Output as _hvswitch_v1_Nlri__Output } from '../../hvswitch/v1/Nlri.js';

export interface DeletePathRequest {
  'family'?: (_hvswitch_v1_BgpFamily);
  /**
   * identity only: attributes are not needed
   */
  'nlri'?: (_hvswitch_v1_Nlri | null);
}

export interface DeletePathRequest__Output {
  'family': (_hvswitch_v1_BgpFamily__Output);
  /**
   * identity only: attributes are not needed
   */
  'nlri': (_hvswitch_v1_Nlri__Output | null);
}
