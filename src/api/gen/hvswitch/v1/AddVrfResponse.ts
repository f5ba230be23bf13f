// Original file: proto/hvswitch/v1/routing.proto

import type { Vrf as _hvswitch_v1_Vrf, Vrf__Output as _hvswitch_v1_Vrf__Output } from '../../hvswitch/v1/Vrf.js';

export interface AddVrfResponse {
  'vrf'?: (_hvswitch_v1_Vrf | null);
}

export interface AddVrfResponse__Output {
  'vrf': (_hvswitch_v1_Vrf__Output | null);
}
