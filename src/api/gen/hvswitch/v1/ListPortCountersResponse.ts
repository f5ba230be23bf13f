// Original file: proto/hvswitch/v1/switch.proto

import type { PortCounters as _hvswitch_v1_PortCounters, PortCounters__Output as _hvswitch_v1_PortCounters__Output } from '../../hvswitch/v1/PortCounters.js';

export interface ListPortCountersResponse {
  'portCounters'?: (_hvswitch_v1_PortCounters | null);
}

export interface ListPortCountersResponse__Output {
  'portCounters': (_hvswitch_v1_PortCounters__Output | null);
}
