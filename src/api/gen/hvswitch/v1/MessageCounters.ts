// Original file: proto/hvswitch/v1/bgp.proto

import type { Long } from '@grpc/proto-loader';

export interface MessageCounters {
  'open'?: (number | string | Long);
  'update'?: (number | string | Long);
  'notification'?: (number | string | Long);
  'keepalive'?: (number | string | Long);
  'routeRefresh'?: (number | string | Long);
  'total'?: (number | string | Long);
}

export interface MessageCounters__Output {
  'open': (number);
  'update': (number);
  'notification': (number);
  'keepalive': (number);
  'routeRefresh': (number);
  'total': (number);
}
