// Original file: proto/hvswitch/v1/l2.proto

import type { Long } from '@grpc/proto-loader';

export interface PortCounters {
  'port'?: (string);
  /**
   * keyed by CounterDescriptor.name
   */
  'counters'?: ({[key: string]: number | string | Long});
}

export interface PortCounters__Output {
  'port': (string);
  /**
   * keyed by CounterDescriptor.name
   */
  'counters': ({[key: string]: number});
}
