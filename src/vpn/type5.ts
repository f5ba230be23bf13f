// EVPN type-5 for a VRF with an L3 VNI: IP prefix routes (RFC 9136 §3) over
// VXLAN with the symmetric IRB model (RFC 9135 §4.4.1), the route format of
// FRR, Cumulus and the data-centre EVPN fabrics.
//
// Export.  Each prefix the VRF advertises goes as one IP Prefix route: the
// VRF's RD, ESI 0, Ethernet tag 0, the prefix, gateway IP 0 (no overlay index:
// the route's own next hop and router MAC are the tunnel, RFC 9136 §4.4.1),
// label = the L3 VNI (RFC 8365 §5.1.3: the whole 24-bit field); next hop our
// VTEP address; extended communities: the export route targets, the EVPN
// Router's MAC (RFC 9135 §8.1, type 0x06 subtype 0x03) and the encapsulation
// VXLAN (RFC 9012 tunnel type 8, mandatory for VXLAN by RFC 8365 §5.1.3).
//
// Import (l3vpn-import.ts calls type5Candidate).  A best type-5 path with one
// of the VRF's import route targets becomes a candidate next hop of kind
// `vxlan`: the remote VTEP (its next hop), its label as the remote L3 VNI, its
// router MAC as the inner destination MAC.  Not installed, logged and counted:
//  - no-common-encapsulation: the path offers no VXLAN encapsulation
//    community (without one, RFC 8365 §5.1.3 has it MPLS), or the VRF does not
//    take vxlan;
//  - no-router-mac: no Router's MAC community (symmetric IRB cannot frame the
//    packet without it);
//  - overlay-index: a non-zero gateway IP or ESI (RFC 9136 §4.3, recursive
//    resolution through another route: not supported);
//  - pe-family: the VTEP is not of our VTEP's address family.
// Paths whose next hop is our own VTEP are skipped.
import type { BestPathChange, EvpnRoute, PathAttrs } from '../bgp/index.js';
import { normaliseRouteTarget } from '../bgp/index.js';
import { pePlain, pathLength, type Candidate } from './l3vpn-import.js';
import { ENCAP_COMMUNITY, type VrfVpnConfig } from './l3vpn-types.js';

export type Type5Reason = 'no-router-mac' | 'overlay-index';
type Reason = Type5Reason | 'no-common-encapsulation' | 'pe-family';

type IpPrefixRoute = Extract<EvpnRoute, { type: 5 }>;

const ZERO_GW = new Set(['0.0.0.0', '::']);

/** The type-5 route of `prefix` for `cfg` (an exported or withdrawn route). */
export function type5Route(cfg: VrfVpnConfig, prefix: string): IpPrefixRoute {
  return { type: 5, rd: cfg.rd, esi: '0', ethernetTag: 0, prefix, gateway: prefix.includes(':') ? '::' : '0.0.0.0', label: cfg.l3vni! };
}

/** Its path attributes: route targets, router MAC, VXLAN encapsulation, next hop our VTEP. */
export function type5Attrs(cfg: VrfVpnConfig, vtep: string): { extCommunities: string[]; nextHop: string } {
  return {
    extCommunities: [...cfg.exportRts.map(normaliseRouteTarget), `router-mac:${cfg.rmac!}`, ENCAP_COMMUNITY.vxlan],
    nextHop: vtep,
  };
}

function routerMacOf(attrs: PathAttrs): string | null {
  const c = (attrs.extCommunities ?? []).find((x) => x.startsWith('router-mac:'));
  return c ? c.slice('router-mac:'.length).toLowerCase() : null;
}

function isZeroEsi(esi: string): boolean {
  return /^[0:]*$/.test(esi);
}

/** The candidate of a type-5 best path for VRF `cfg`, or null (skipped, or not installed: counted). */
export function type5Candidate(
  c: BestPathChange,
  cfg: VrfVpnConfig,
  vtep: { address: string; af: 4 | 6 } | null,
  warn: (o: object, msg: string) => void,
  counts: Record<Reason, number>,
): { prefix: string; cand: Omit<Candidate, 'rd'> } | null {
  const r = c.route as IpPrefixRoute;
  const b = c.best!;
  const remote = pePlain(b.nextHop);
  if (!vtep || remote === vtep.address) return null;
  const offered = (b.attrs.extCommunities ?? []).filter((x) => x.startsWith('encap:'));
  const rmac = routerMacOf(b.attrs);
  const af = remote.includes(':') ? 6 : 4;
  const reason: Reason | null =
    !cfg.encaps.includes('vxlan') || !offered.includes(ENCAP_COMMUNITY.vxlan)
      ? 'no-common-encapsulation'
      : !rmac
        ? 'no-router-mac'
        : !ZERO_GW.has(r.gateway) || !isZeroEsi(r.esi)
          ? 'overlay-index'
          : af !== vtep.af
            ? 'pe-family'
            : null;
  if (reason) {
    counts[reason]++;
    warn({ module: 'l3vpn', vrf: cfg.vrf, route: c.key, vtep: remote, offered, ours: cfg.encaps, rmac, reason }, 'EVPN type-5 route not installed');
    return null;
  }
  return {
    prefix: r.prefix,
    cand: { remote, label: r.label, encap: 'vxlan', rmac: rmac!, localPref: b.attrs.localPref ?? 100, pathLen: pathLength(b.attrs), source: b.source },
  };
}
