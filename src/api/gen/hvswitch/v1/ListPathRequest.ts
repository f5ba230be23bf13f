// Original file: proto/hvswitch/v1/bgp.proto

import type { BgpFamily as _hvswitch_v1_BgpFamily, BgpFamily__Output as _hvswitch_v1_BgpFamily__Output } from '../../hvswitch/v1/BgpFamily.js';
import type { TableType as _hvswitch_v1_TableType, TableType__Output as _hvswitch_v1_TableType__Output } from '../../hvswitch/v1/TableType.js';

export interface ListPathRequest {
  /**
   * required
   */
  'family'?: (_hvswitch_v1_BgpFamily);
  'table'?: (_hvswitch_v1_TableType);
  /**
   * ADJ_IN / ADJ_OUT: required; unknown: NOT_FOUND
   */
  'neighbor'?: (string);
}

export interface ListPathRequest__Output {
  /**
   * required
   */
  'family': (_hvswitch_v1_BgpFamily__Output);
  'table': (_hvswitch_v1_TableType__Output);
  /**
   * ADJ_IN / ADJ_OUT: required; unknown: NOT_FOUND
   */
  'neighbor': (string);
}
