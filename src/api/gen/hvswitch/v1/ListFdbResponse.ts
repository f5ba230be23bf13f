// Original file: proto/hvswitch/v1/switch.proto

import type { FdbEntry as _hvswitch_v1_FdbEntry, FdbEntry__Output as _hvswitch_v1_FdbEntry__Output } from '../../hvswitch/v1/FdbEntry.js';

export interface ListFdbResponse {
  'entry'?: (_hvswitch_v1_FdbEntry | null);
}

export interface ListFdbResponse__Output {
  'entry': (_hvswitch_v1_FdbEntry__Output | null);
}
