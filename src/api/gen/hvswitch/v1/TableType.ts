// Original file: proto/hvswitch/v1/bgp.proto

export const TableType = {
  /**
   * = GLOBAL
   */
  TABLE_TYPE_UNSPECIFIED: 'TABLE_TYPE_UNSPECIFIED',
  /**
   * Loc-RIB: best paths
   */
  TABLE_TYPE_GLOBAL: 'TABLE_TYPE_GLOBAL',
  /**
   * a neighbor's Adj-RIB-In (all its paths, stale marked)
   */
  TABLE_TYPE_ADJ_IN: 'TABLE_TYPE_ADJ_IN',
  /**
   * what we advertised to a neighbor
   */
  TABLE_TYPE_ADJ_OUT: 'TABLE_TYPE_ADJ_OUT',
} as const;

export type TableType =
  /**
   * = GLOBAL
   */
  | 'TABLE_TYPE_UNSPECIFIED'
  | 0
  /**
   * Loc-RIB: best paths
   */
  | 'TABLE_TYPE_GLOBAL'
  | 1
  /**
   * a neighbor's Adj-RIB-In (all its paths, stale marked)
   */
  | 'TABLE_TYPE_ADJ_IN'
  | 2
  /**
   * what we advertised to a neighbor
   */
  | 'TABLE_TYPE_ADJ_OUT'
  | 3

export type TableType__Output = typeof TableType[keyof typeof TableType]
