// Original file: proto/hvswitch/v1/bgp.proto

export const Origin = {
  /**
   * in AddPath: IGP
   */
  ORIGIN_UNSPECIFIED: 'ORIGIN_UNSPECIFIED',
  ORIGIN_IGP: 'ORIGIN_IGP',
  ORIGIN_EGP: 'ORIGIN_EGP',
  ORIGIN_INCOMPLETE: 'ORIGIN_INCOMPLETE',
} as const;

export type Origin =
  /**
   * in AddPath: IGP
   */
  | 'ORIGIN_UNSPECIFIED'
  | 0
  | 'ORIGIN_IGP'
  | 1
  | 'ORIGIN_EGP'
  | 2
  | 'ORIGIN_INCOMPLETE'
  | 3

export type Origin__Output = typeof Origin[keyof typeof Origin]
