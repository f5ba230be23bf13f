// Original file: proto/hvswitch/v1/bgp.proto

import type { Long } from '@grpc/proto-loader';

export interface UpdateErrorCounters {
  /**
   * RFC 7606
   */
  'treatAsWithdraw'?: (number | string | Long);
  'attributeDiscard'?: (number | string | Long);
  /**
   * NLRI of a family not negotiated
   */
  'ignoredFamily'?: (number | string | Long);
}

export interface UpdateErrorCounters__Output {
  /**
   * RFC 7606
   */
  'treatAsWithdraw': (number);
  'attributeDiscard': (number);
  /**
   * NLRI of a family not negotiated
   */
  'ignoredFamily': (number);
}
