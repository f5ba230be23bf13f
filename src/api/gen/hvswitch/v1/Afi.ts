// Original file: proto/hvswitch/v1/l3.proto

/**
 * Address family; the values are IANA AFI numbers.
 */
export const Afi = {
  /**
   * All families (in filters).
   */
  AFI_UNSPECIFIED: 'AFI_UNSPECIFIED',
  /**
   * IPv4
   */
  AFI_IP: 'AFI_IP',
  /**
   * IPv6
   */
  AFI_IP6: 'AFI_IP6',
} as const;

/**
 * Address family; the values are IANA AFI numbers.
 */
export type Afi =
  /**
   * All families (in filters).
   */
  | 'AFI_UNSPECIFIED'
  | 0
  /**
   * IPv4
   */
  | 'AFI_IP'
  | 1
  /**
   * IPv6
   */
  | 'AFI_IP6'
  | 2

/**
 * Address family; the values are IANA AFI numbers.
 */
export type Afi__Output = typeof Afi[keyof typeof Afi]
