// Original file: proto/hvswitch/v1/bgp.proto

/**
 * One value per row of the family table (AFI/SAFI in the comments).
 */
export const BgpFamily = {
  BGP_FAMILY_UNSPECIFIED: 'BGP_FAMILY_UNSPECIFIED',
  /**
   * AFI 1 / SAFI 1    ipv4-unicast
   */
  BGP_FAMILY_IPV4: 'BGP_FAMILY_IPV4',
  /**
   * AFI 2 / SAFI 1    ipv6-unicast
   */
  BGP_FAMILY_IPV6: 'BGP_FAMILY_IPV6',
  /**
   * AFI 1 / SAFI 128  l3vpn-ipv4-unicast (RFC 4364)
   */
  BGP_FAMILY_VPNV4: 'BGP_FAMILY_VPNV4',
  /**
   * AFI 2 / SAFI 128  l3vpn-ipv6-unicast (RFC 4659)
   */
  BGP_FAMILY_VPNV6: 'BGP_FAMILY_VPNV6',
  /**
   * AFI 25 / SAFI 70  l2vpn-evpn (RFC 7432)
   */
  BGP_FAMILY_EVPN: 'BGP_FAMILY_EVPN',
  /**
   * AFI 1 / SAFI 132  rtc (RFC 4684)
   */
  BGP_FAMILY_RTC: 'BGP_FAMILY_RTC',
} as const;

/**
 * One value per row of the family table (AFI/SAFI in the comments).
 */
export type BgpFamily =
  | 'BGP_FAMILY_UNSPECIFIED'
  | 0
  /**
   * AFI 1 / SAFI 1    ipv4-unicast
   */
  | 'BGP_FAMILY_IPV4'
  | 1
  /**
   * AFI 2 / SAFI 1    ipv6-unicast
   */
  | 'BGP_FAMILY_IPV6'
  | 2
  /**
   * AFI 1 / SAFI 128  l3vpn-ipv4-unicast (RFC 4364)
   */
  | 'BGP_FAMILY_VPNV4'
  | 3
  /**
   * AFI 2 / SAFI 128  l3vpn-ipv6-unicast (RFC 4659)
   */
  | 'BGP_FAMILY_VPNV6'
  | 4
  /**
   * AFI 25 / SAFI 70  l2vpn-evpn (RFC 7432)
   */
  | 'BGP_FAMILY_EVPN'
  | 5
  /**
   * AFI 1 / SAFI 132  rtc (RFC 4684)
   */
  | 'BGP_FAMILY_RTC'
  | 6

/**
 * One value per row of the family table (AFI/SAFI in the comments).
 */
export type BgpFamily__Output = typeof BgpFamily[keyof typeof BgpFamily]
