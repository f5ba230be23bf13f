// Original file: proto/hvswitch/v1/bgp.proto

import type { BgpFamily as _hvswitch_v1_BgpFamily, BgpFamily__Output as _hvswitch_v1_BgpFamily__Output } from '../../hvswitch/v1/BgpFamily.js';
import type { Nlri as _hvswitch_v1_Nlri, Nlri__Output as _hvswitch_v1_Nlri__Output } from '../../hvswitch/v1/Nlri.js';
import type { PathAttributes as _hvswitch_v1_PathAttributes, PathAttributes__Output as _hvswitch_v1_PathAttributes__Output } from '../../hvswitch/v1/PathAttributes.js';

export interface AddPathRequest {
  'family'?: (_hvswitch_v1_BgpFamily);
  'nlri'?: (_hvswitch_v1_Nlri | null);
  'attributes'?: (_hvswitch_v1_PathAttributes | null);
}

export interface AddPathRequest__Output {
  'family': (_hvswitch_v1_BgpFamily__Output);
  'nlri': (_hvswitch_v1_Nlri__Output | null);
  'attributes': (_hvswitch_v1_PathAttributes__Output | null);
}
