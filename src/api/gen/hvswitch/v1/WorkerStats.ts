// Original file: proto/hvswitch/v1/l2.proto

import type { Long } from '@grpc/proto-loader';

export interface WorkerStats {
  'index'?: (number);
  /**
   * poll loop iterations
   */
  'loops'?: (number | string | Long);
  /**
   * non-empty rx bursts
   */
  'batches'?: (number | string | Long);
  /**
   * frames received
   */
  'packets'?: (number | string | Long);
}

export interface WorkerStats__Output {
  'index': (number);
  /**
   * poll loop iterations
   */
  'loops': (number);
  /**
   * non-empty rx bursts
   */
  'batches': (number);
  /**
   * frames received
   */
  'packets': (number);
}
