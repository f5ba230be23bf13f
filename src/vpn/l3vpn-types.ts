// The IP-VPN model shared by the config (src/controller/config-vpn.ts) and the
// VPN manager (l3vpn.ts): one VRF's VPN service with its defaults resolved.

/** An encapsulation a VRF offers (config words) and its RFC 9012 tunnel type.  The MPLS
 *  ones carry VPN-IPv4/VPN-IPv6 routes; `vxlan` carries EVPN type-5 routes (type5.ts). */
export type L3vpnEncap = 'mpls-udp' | 'mpls-gre' | 'vxlan';
export type MplsVpnEncap = Exclude<L3vpnEncap, 'vxlan'>;

/** RFC 9012 §4.1 encapsulation extended community text (src/bgp/codec/extcomm/encapsulation.ts):
 *  tunnel type 13 MPLS-in-UDP (RFC 7510), 11 MPLS-in-GRE (RFC 4023), 8 VXLAN (RFC 8365 §5.1.3). */
export const ENCAP_COMMUNITY = { 'mpls-udp': 'encap:mpls-in-udp', 'mpls-gre': 'encap:mpls-in-gre', vxlan: 'encap:vxlan' } as const satisfies Record<L3vpnEncap, string>;

/** The dataplane's name of each MPLS encapsulation (src/dataplane/mpls.ts). */
export const ENCAP_DATAPLANE = { 'mpls-udp': 'udp', 'mpls-gre': 'gre' } as const satisfies Record<MplsVpnEncap, 'udp' | 'gre'>;

export function isMplsEncap(e: L3vpnEncap): e is MplsVpnEncap {
  return e !== 'vxlan';
}

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
  /** EVPN type-5 (symmetric IRB): the VRF's L3 VNI, null without `vxlan` */
  l3vni: number | null;
  /** our router MAC in it (RFC 9135 §8.1): configured, else derived from the VTEP address */
  rmac: string | null;
  /** whether `rmac` was configured (written back by the API) */
  rmacSet: boolean;
}
