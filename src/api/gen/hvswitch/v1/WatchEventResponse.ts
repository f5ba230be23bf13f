// Original file: proto/hvswitch/v1/switch.proto

import type { FdbEvent as _hvswitch_v1_FdbEvent, FdbEvent__Output as _hvswitch_v1_FdbEvent__Output } from '../../hvswitch/v1/FdbEvent.js';

export interface WatchEventResponse {
  'fdb'?: (_hvswitch_v1_FdbEvent | null);
  'event'?: "fdb";
}

export interface WatchEventResponse__Output {
  'fdb'?: (_hvswitch_v1_FdbEvent__Output | null);
  'event'?: "fdb";
}
