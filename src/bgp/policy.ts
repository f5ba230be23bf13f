/**
 * Route-target policy helpers (RFC 4364 §4.3.5 import by RT, RFC 4684 RT
 * membership). The EVPN and IP-VPN managers subscribe with the RTs a VRF or
 * bridge domain imports; `importRouteTargets` also advertises them as RT
 * constraint NLRI so that RTC-capable route reflectors send only those.
 */
import type { PathAttrs } from './codec/attr/types.js';
import { extCommunityFromString, extCommunityToString, isRouteTarget } from './codec/extcomm/index.js';

/** Normalise `65000:100` / `rt:65000:100` to the canonical `rt:` text. */
export function normaliseRouteTarget(rt: string): string {
  const s = rt.startsWith('rt:') ? rt : `rt:${rt}`;
  const b = extCommunityFromString(s);
  if (!isRouteTarget(b, 0)) throw new TypeError(`${rt} is not a route target`);
  return extCommunityToString(b, 0);
}

/** True if the path carries at least one of the route targets (canonical `rt:` text). */
export function hasRouteTarget(attrs: PathAttrs, rts: ReadonlySet<string>): boolean {
  for (const c of attrs.extCommunities ?? []) if (rts.has(c)) return true;
  return false;
}

/**
 * RFC 8365 §5.1.2.1 route-target auto-derivation for a VXLAN VNI: 2-octet
 * ASN : A=0, Type=1 (VXLAN), D-ID=0, Service ID = VNI (24 bits). Four-octet
 * ASNs use the low 16 bits, as the RFC's 2-octet form requires.
 */
export function autoRouteTarget(asn: number, vni: number): string {
  if (!Number.isInteger(vni) || vni < 0 || vni > 0xffffff) throw new RangeError(`VNI ${vni} out of range`);
  return `rt:${asn & 0xffff}:${((1 << 28) | vni) >>> 0}`;
}

/** RFC 7432 §7.7 MAC Mobility of a path: sequence number and sticky flag, or null when absent (sequence 0). */
export function macMobility(attrs: PathAttrs): { seq: number; sticky: boolean } | null {
  for (const c of attrs.extCommunities ?? []) {
    if (!c.startsWith('mac-mobility:')) continue;
    const [, seq, flag] = c.split(':');
    return { seq: Number(seq), sticky: flag === 'sticky' };
  }
  return null;
}

/**
 * RFC 7432 §15.1 between two MAC/IP advertisements of the same MAC from
 * different PEs: higher sequence wins; equal sequence → lower originator
 * (next hop) address wins. Returns < 0 when `a` is preferred.
 */
export function compareMacMobility(a: { attrs: PathAttrs; nextHop: string }, b: { attrs: PathAttrs; nextHop: string }): number {
  const sa = macMobility(a.attrs), sb = macMobility(b.attrs);
  const ka = sa?.sticky ?? false, kb = sb?.sticky ?? false; // no community: not sticky, sequence 0
  if (ka !== kb) return ka ? -1 : 1;
  const qa = sa?.seq ?? 0, qb = sb?.seq ?? 0;
  if (qa !== qb) return qb - qa;
  return ipCompare(a.nextHop, b.nextHop);
}

function ipCompare(a: string, b: string): number {
  const key = (s: string) => (s.includes(':') ? `6${s}` : `4${s.split('.').map((x) => x.padStart(3, '0')).join('.')}`);
  const ka = key(a), kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
