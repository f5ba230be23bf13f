/**
 * RFC 4684 route-target constraint: membership tracking and filtering.
 *
 * - Membership (§4): a peer's RT membership is its RTC Adj-RIB-In. After each
 *   received batch that touched the rtc family it is re-read into a set of
 *   8-octet RTs (96-bit NLRI), RT prefixes (`prefix:<bits>:<octets>`, shorter
 *   NLRI) and the default membership flag (length 0: "send me everything").
 * - Filtering (§4): on a session that negotiated rtc, a VPN/EVPN route goes to
 *   the peer only if one of its RTs is in the peer's membership (or matches an
 *   RT prefix), unless the peer sent default membership.
 * - Ordering (§6): at session start our RT membership goes first and VPN
 *   routes wait for the peer's RTC End-of-RIB, bounded by a 10 s timer
 *   (`deferVpn`, `timer`); the sequencing itself is in advertise.ts.
 * - Our own interest is originated as RTC routes with our AS as origin AS
 *   (`rtMembershipRoute`, used by `BgpSpeaker.importRouteTargets`).
 *
 * The membership set is rebuilt whole on a change (peers hold a few hundred
 * RTs at most); the filter is a set lookup per RT of the route, with a linear
 * scan of RT prefixes only when the peer sent any.
 */
import type { Family, RouteByFamily } from '../codec/family.js';
import { familyOf } from '../codec/family.js';
import type { Clock } from '../../util/clock.js';
import type { AttrSet } from '../rib/attr-store.js';
import type { Rib } from '../rib/rib.js';
import { normaliseRouteTarget } from '../policy.js';
import type { PeerState } from './context.js';

export interface RtcState {
  /** RTs the peer asked for (latin1 8-octet), and `prefix:<bits>:<octets>` RT prefixes */
  member: Set<string>;
  /** the peer sent default membership (length 0) */
  defaultMember: boolean;
  /** the peer's RTC End-of-RIB arrived in this session */
  eorSeen: boolean;
  /** the peer's RTC routes changed in the current batch */
  changed: boolean;
  /** VPN routes held back until the peer's RTC End-of-RIB (§6) */
  deferVpn: boolean;
  /** bounds that wait */
  timer: unknown;
}

export function newRtcState(): RtcState {
  return { member: new Set(), defaultMember: false, eorSeen: false, changed: false, deferVpn: false, timer: null };
}

/** A new session: the peer's membership is re-learned from scratch. */
export function resetRtcSession(rtc: RtcState): void {
  rtc.member.clear(); rtc.defaultMember = false; rtc.eorSeen = false;
}

export function clearRtcTimer(clock: Clock, rtc: RtcState): void {
  if (rtc.timer !== null) { clock.clearTimeout(rtc.timer); rtc.timer = null; }
}

/** The peer's RTC End-of-RIB (or any End-of-RIB: only rtc counts). */
export function rtcEndOfRib(rtc: RtcState, f: Family): void {
  if (f.name === 'rtc') { rtc.eorSeen = true; rtc.changed = true; }
}

/** Re-read the peer's membership from its RTC Adj-RIB-In (key: length octet, origin AS, RT prefix). */
export function recomputeRtMembership(rib: Rib, ps: PeerState): void {
  const t = rib.adjIn[ps.peer.sourceIndex]![familyOf('rtc').id]!;
  const rtc = ps.rtc;
  rtc.member.clear(); rtc.defaultMember = false;
  t.forEach((rec) => {
    const kl = t.keyLen(rec), ko = t.keyOff(rec);
    const bits = t.arena[ko]!;
    if (bits === 0) { rtc.defaultMember = true; return; }
    if (bits === 96 && kl === 13) rtc.member.add(Buffer.from(t.arena.subarray(ko + 5, ko + 13)).toString('latin1'));
    else rtc.member.add(`prefix:${bits}:${Buffer.from(t.arena.subarray(ko + 5, ko + kl)).toString('latin1')}`);
  });
}

/** §4 filter: may a route of family `f` with attribute set `set` go to this peer? */
export function rtcAllows(ps: PeerState, f: Family, set: AttrSet): boolean {
  if (!f.vpn || !ps.peer.negotiated?.families[familyOf('rtc').id] || ps.rtc.defaultMember) return true;
  for (const rt of set.rts) if (isMember(ps.rtc.member, rt)) return true;
  return false;
}

function isMember(member: Set<string>, rt: string): boolean {
  if (member.has(rt)) return true;
  for (const m of member) {
    if (!m.startsWith('prefix:')) continue;
    const bitsS = m.split(':', 3)[1]!;
    const bits = Number(bitsS) - 32;
    if (prefixMatch(Buffer.from(rt, 'latin1'), Buffer.from(m.slice(8 + bitsS.length), 'latin1'), bits)) return true;
  }
  return false;
}

/** The first `bits` bits of `rt` equal those of `pfx`. */
export function prefixMatch(rt: Buffer, pfx: Buffer, bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const m = 0x80 >> (i & 7);
    if ((rt[i >> 3]! & m) !== (pfx[i >> 3]! & m)) return false;
  }
  return true;
}

/** Our RT membership route for an RT (`65000:100`, `rt:65000:100`, …): origin AS = ours, 96-bit NLRI. */
export function rtMembershipRoute(asn: number, rt: string): RouteByFamily['rtc'] {
  return { originAs: asn, routeTarget: normaliseRouteTarget(rt).slice(3), length: 96 };
}
