// Original file: proto/hvswitch/v1/switch.proto

import type { CounterDescriptor as _hvswitch_v1_CounterDescriptor, CounterDescriptor__Output as _hvswitch_v1_CounterDescriptor__Output } from '../../hvswitch/v1/CounterDescriptor.js';

export interface ListCounterDescriptorResponse {
  'counter'?: (_hvswitch_v1_CounterDescriptor | null);
}

export interface ListCounterDescriptorResponse__Output {
  'counter': (_hvswitch_v1_CounterDescriptor__Output | null);
}
