// Original file: proto/hvswitch/v1/bgp.proto

export const AsSegmentType = {
  /**
   * in requests: sequence
   */
  AS_SEGMENT_TYPE_UNSPECIFIED: 'AS_SEGMENT_TYPE_UNSPECIFIED',
  AS_SEGMENT_TYPE_SET: 'AS_SEGMENT_TYPE_SET',
  AS_SEGMENT_TYPE_SEQUENCE: 'AS_SEGMENT_TYPE_SEQUENCE',
  AS_SEGMENT_TYPE_CONFED_SEQUENCE: 'AS_SEGMENT_TYPE_CONFED_SEQUENCE',
  AS_SEGMENT_TYPE_CONFED_SET: 'AS_SEGMENT_TYPE_CONFED_SET',
} as const;

export type AsSegmentType =
  /**
   * in requests: sequence
   */
  | 'AS_SEGMENT_TYPE_UNSPECIFIED'
  | 0
  | 'AS_SEGMENT_TYPE_SET'
  | 1
  | 'AS_SEGMENT_TYPE_SEQUENCE'
  | 2
  | 'AS_SEGMENT_TYPE_CONFED_SEQUENCE'
  | 3
  | 'AS_SEGMENT_TYPE_CONFED_SET'
  | 4

export type AsSegmentType__Output = typeof AsSegmentType[keyof typeof AsSegmentType]
