// Original file: proto/hvswitch/v1/switch.proto

import type { Port as _hvswitch_v1_Port, Port__Output as _hvswitch_v1_Port__Output } from '../../hvswitch/v1/Port.js';

export interface ListPortResponse {
  'port'?: (_hvswitch_v1_Port | null);
}

export interface ListPortResponse__Output {
  'port': (_hvswitch_v1_Port__Output | null);
}
