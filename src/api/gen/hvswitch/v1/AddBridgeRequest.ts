// Original file: proto/hvswitch/v1/switch.proto

import type { Bridge as _hvswitch_v1_Bridge, Bridge__Output as _hvswitch_v1_Bridge__Output } from '../../hvswitch/v1/Bridge.js';

export interface AddBridgeRequest {
  'bridge'?: (_hvswitch_v1_Bridge | null);
}

export interface AddBridgeRequest__Output {
  'bridge': (_hvswitch_v1_Bridge__Output | null);
}
