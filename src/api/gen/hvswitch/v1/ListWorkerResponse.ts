// Original file: proto/hvswitch/v1/switch.proto

import type { WorkerStats as _hvswitch_v1_WorkerStats, WorkerStats__Output as _hvswitch_v1_WorkerStats__Output } from '../../hvswitch/v1/WorkerStats.js';

export interface ListWorkerResponse {
  'worker'?: (_hvswitch_v1_WorkerStats | null);
}

export interface ListWorkerResponse__Output {
  'worker': (_hvswitch_v1_WorkerStats__Output | null);
}
