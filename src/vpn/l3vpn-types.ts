// The IP-VPN model shared by the config (src/controller/config-vpn.ts) and the
// VPN manager (l3vpn.ts): one VRF's VPN service with its defaults resolved.

/** An encapsulation a VRF offers (config words) and its RFC 9012 tunnel type. */
export type L3vpnEncap = 'mpls-udp' | 'mpls-gre';

/** RFC 9012 §4.1 encapsulation extended community text (src/bgp/codec/extcomm/encapsulation.ts):
 *  tunnel type 13 MPLS-in-UDP (RFC 7510), 11 MPLS-in-GRE (RFC 4023). */
export const ENCAP_COMMUNITY = { 'mpls-udp': 'encap:mpls-in-udp', 'mpls-gre': 'encap:mpls-in-gre' } as const satisfies Record<L3vpnEncap, string>;

/** The dataplane's name of each encapsulation (src/dataplane/mpls.ts). */
export const ENCAP_DATAPLANE = { 'mpls-udp': 'udp', 'mpls-gre': 'gre' } as const satisfies Record<L3vpnEncap, 'udp' | 'gre'>;

export interface VrfVpnConfig {
  vrf: string;
  /** canonical RD text */
  rd: string;
  /** canonical `rt:` text */
  importRts: string[];
  exportRts: string[];
  labelMode: 'per-vrf' | 'per-prefix';
  /** our preference order, first first */
  encaps: L3vpnEncap[];
}
