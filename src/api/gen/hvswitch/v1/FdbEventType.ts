// Original file: proto/hvswitch/v1/l2.proto

export const FdbEventType = {
  FDB_EVENT_TYPE_UNSPECIFIED: 'FDB_EVENT_TYPE_UNSPECIFIED',
  /**
   * a new MAC on a port
   */
  FDB_EVENT_TYPE_LEARNED: 'FDB_EVENT_TYPE_LEARNED',
  /**
   * a known MAC seen on another port (old_port)
   */
  FDB_EVENT_TYPE_MOVED: 'FDB_EVENT_TYPE_MOVED',
  /**
   * not seen for fdb.aging seconds: removed
   */
  FDB_EVENT_TYPE_AGED: 'FDB_EVENT_TYPE_AGED',
  /**
   * the workers' event ring was full: `lost` events dropped
   */
  FDB_EVENT_TYPE_LOST: 'FDB_EVENT_TYPE_LOST',
} as const;

export type FdbEventType =
  | 'FDB_EVENT_TYPE_UNSPECIFIED'
  | 0
  /**
   * a new MAC on a port
   */
  | 'FDB_EVENT_TYPE_LEARNED'
  | 1
  /**
   * a known MAC seen on another port (old_port)
   */
  | 'FDB_EVENT_TYPE_MOVED'
  | 2
  /**
   * not seen for fdb.aging seconds: removed
   */
  | 'FDB_EVENT_TYPE_AGED'
  | 3
  /**
   * the workers' event ring was full: `lost` events dropped
   */
  | 'FDB_EVENT_TYPE_LOST'
  | 4

export type FdbEventType__Output = typeof FdbEventType[keyof typeof FdbEventType]
