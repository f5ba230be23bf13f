// IP-VPN import, one VRF (RFC 4364 §4.3.5, §9): the VPN-IPv4/VPN-IPv6 best
// paths that carry one of the VRF's import route targets (rt-import.ts) become
// FIB routes of origin `bgp` whose next hop is an MPLS tunnel: the remote PE
// (the path's next hop), the label it advertised, and an encapsulation.
//
// Encapsulation (RFC 9012 §4.1, §6): the first of the VRF's encapsulations
// (its preference order) that the path's encapsulation extended communities
// offer (tunnel type 13 MPLS-in-UDP, 11 MPLS-in-GRE).  A path with no
// encapsulation community offers MPLS-in-GRE: RFC 4364 assumes an MPLS LSP to
// the next hop, and where none exists (between hypervisors) RFC 4023's
// MPLS-in-GRE is the long-standing default of IP-VPN over IP (OpenContrail,
// BaGPipe).  A path with no encapsulation in common with ours, or whose PE is
// not of our PE's address family, is not installed: logged and counted.
//
// ECMP.  Each RD gives its own best path (the route key is RD + prefix), so
// the same prefix behind two PEs (two RDs) is two candidates: the ones that
// rank first on LOCAL_PREF, then AS_PATH length, form an ECMP group (up to
// HV_ECMP_MAX next hops, lowest PE address first), flows spread by the core's
// 5-tuple hash.  Routes of one RD are one path: the reflector chooses.
//
// Our own routes (source `local`) and routes whose next hop is our PE are
// not imported: another VRF of this PE is reached inside the host, not
// through a tunnel to ourselves.
//
// EVPN type-5 (RFC 9136), for a VRF with an L3 VNI: the IP prefix routes of
// the same route targets are candidates of the same prefixes, with a VXLAN
// next hop (type5.ts): the remote VTEP, the route's label as its L3 VNI and
// its router MAC.  A type-5 path is its own candidate (key `t5|RD|tag`, apart
// from a VPN route of the same RD), ranked as VPN routes, then by our
// encapsulation preference.
import type { BestPathChange, PathAttrs, VpnRoute } from '../bgp/index.js';
import { limits, type Route } from '../dataplane/index.js';
import { ENCAP_COMMUNITY, ENCAP_DATAPLANE, isMplsEncap, type L3vpnEncap, type VrfVpnConfig } from './l3vpn-types.js';
import { type5Candidate, type Type5Reason } from './type5.js';


/** A candidate next hop for a prefix: one RD's best path (type-5: `label` is
 *  the L3 VNI, `rmac` the remote router MAC).  Interned (equal candidates are
 *  one object): a million routes from a few PEs share a few. */
export interface Candidate {
  /** the candidate's key within its prefix: the RD (VPN), `t5|RD|tag` (type-5) */
  rd: string;
  remote: string;
  label: number;
  encap: L3vpnEncap;
  /** type-5: the remote router MAC */
  rmac?: string;
  localPref: number;
  pathLen: number;
  source: string;
}

/** A prefix's candidates: one (the usual case, no array), or several (one per RD). */
type Slot = Candidate | Candidate[];
const all = (s: Slot): Candidate[] => (Array.isArray(s) ? s : [s]);
/** Distinct candidates kept for sharing; past this the table starts again (sharing is an optimisation). */
const INTERN_MAX = 65536;

/** Why a path was not installed (counted per VRF). */
export type NotInstalledReason = 'no-common-encapsulation' | 'pe-family' | Type5Reason;

/** A PE address as the dataplane wants it: IPv4-mapped IPv6 (RFC 4659 §3.2.1.1) back to IPv4. */
export function pePlain(nh: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(nh);
  return m ? m[1]! : nh;
}

/** The first of `ours` that `attrs` offers; none named: MPLS-in-GRE (see above). */
export function chooseEncap(ours: readonly L3vpnEncap[], attrs: PathAttrs): L3vpnEncap | null {
  const offered = (attrs.extCommunities ?? []).filter((c) => c.startsWith('encap:'));
  if (offered.length === 0) return ours.includes('mpls-gre') ? 'mpls-gre' : null;
  // a VPN route offers MPLS tunnels only
  return ours.filter(isMplsEncap).find((e) => offered.includes(ENCAP_COMMUNITY[e])) ?? null;
}

export function pathLength(attrs: PathAttrs): number {
  let n = 0;
  for (const s of attrs.asPath ?? []) n += s.type === 'set' ? 1 : s.type === 'seq' ? s.asns.length : 0; // RFC 4271 §9.1.2.2 a), confederations not counted (RFC 5065 §5.3)
  return n;
}

export class VrfImport {
  /** prefix -> its candidates (one per RD: the route key of a VPN route is RD + prefix) */
  private readonly candidates = new Map<string, Slot>();
  private readonly interned = new Map<string, Candidate>();
  /** next-hop arrays by candidate (single) or their joined keys (ECMP): routes of equal next hops share one array */
  private readonly nexthops = new Map<Candidate | string, Route['nexthops']>();
  readonly notInstalled: Record<NotInstalledReason, number> = { 'no-common-encapsulation': 0, 'pe-family': 0, 'no-router-mac': 0, 'overlay-index': 0 };

  constructor(
    readonly cfg: VrfVpnConfig,
    private readonly pe: { address: string; af: 4 | 6 },
    private readonly warn: (o: object, msg: string) => void,
    /** our VTEP (type-5 next hops), null without one */
    private readonly vtep: { address: string; af: 4 | 6 } | null = null,
  ) {}

  /** Records one batch; returns the FIB change (routes to put, prefixes to withdraw). */
  apply(changes: BestPathChange[]): { put: Route[]; withdraw: string[] } {
    const touched = new Set<string>();
    for (const c of changes) {
      const p = this.record(c);
      if (p) touched.add(p);
    }
    const put: Route[] = [];
    const withdraw: string[] = [];
    for (const prefix of touched) {
      const r = this.route(prefix);
      if (r) put.push(r);
      else withdraw.push(prefix);
    }
    return { put, withdraw };
  }

  /** Every prefix with a candidate (what the VRF's `bgp` set holds). */
  routes(): Route[] {
    return [...this.candidates.keys()].map((p) => this.route(p)!).filter(Boolean);
  }

  /** Files (or drops) the candidate of one route (RD + prefix); the prefix to re-decide, if any. */
  private record(c: BestPathChange): string | null {
    if (c.family === 'evpn' && (c.route as { type: number }).type !== 5) return null; // type-2/3: EVPN instances' (evpn.ts)
    const r = c.route as VpnRoute;
    const key = c.family === 'evpn' ? `t5|${r.rd}|${(c.route as { ethernetTag: number }).ethernetTag}` : r.rd;
    const had = this.drop(r.prefix, key);
    const b = c.best;
    if (!b || b.source === 'local') return had ? r.prefix : null;
    if (c.family === 'evpn') {
      const x = type5Candidate(c, this.cfg, this.vtep, this.warn, this.notInstalled);
      return x ? this.file(x.prefix, { ...x.cand, rd: key }) : had ? r.prefix : null;
    }
    const remote = pePlain(b.nextHop);
    if (remote === this.pe.address) return had ? r.prefix : null;
    const encap = chooseEncap(this.cfg.encaps, b.attrs);
    const af = remote.includes(':') ? 6 : 4;
    const reason: NotInstalledReason | null = !encap ? 'no-common-encapsulation' : af !== this.pe.af ? 'pe-family' : null;
    if (reason) {
      this.notInstalled[reason]++;
      const offered = (b.attrs.extCommunities ?? []).filter((x) => x.startsWith('encap:'));
      this.warn({ module: 'l3vpn', vrf: this.cfg.vrf, route: c.key, pe: remote, offered, ours: this.cfg.encaps, reason }, 'VPN route not installed');
      return had ? r.prefix : null;
    }
    return this.file(r.prefix, { rd: key, remote, label: r.label, encap: encap!, localPref: b.attrs.localPref ?? 100, pathLen: pathLength(b.attrs), source: b.source });
  }

  /** Adds candidate `c` (interned) to `prefix`; returns the prefix. */
  private file(prefix: string, c: Candidate): string {
    const cand = this.intern(c);
    const slot = this.candidates.get(prefix);
    this.candidates.set(prefix, slot === undefined ? cand : [...all(slot), cand]);
    return prefix;
  }

  /** Removes the candidate of key `rd` for `prefix`; whether there was one. */
  private drop(prefix: string, rd: string): boolean {
    const slot = this.candidates.get(prefix);
    if (slot === undefined) return false;
    if (!Array.isArray(slot)) {
      if (slot.rd !== rd) return false;
      this.candidates.delete(prefix);
      return true;
    }
    const rest = slot.filter((x) => x.rd !== rd);
    if (rest.length === slot.length) return false;
    if (rest.length === 0) this.candidates.delete(prefix);
    else this.candidates.set(prefix, rest.length === 1 ? rest[0]! : rest);
    return true;
  }

  private intern(c: Candidate): Candidate {
    const k = `${c.rd}|${c.remote}|${c.label}|${c.encap}|${c.rmac ?? ''}|${c.localPref}|${c.pathLen}|${c.source}`;
    const have = this.interned.get(k);
    if (have) return have;
    if (this.interned.size >= INTERN_MAX) {
      this.interned.clear();
      this.nexthops.clear();
    }
    this.interned.set(k, c);
    return c;
  }

  /** The dataplane next hop of one candidate: an MPLS tunnel, or VXLAN with the router MACs (type-5). */
  private hop(x: Candidate): Route['nexthops'][number] {
    if (isMplsEncap(x.encap)) return { kind: 'mpls', remote: x.remote, label: x.label, encap: ENCAP_DATAPLANE[x.encap] };
    return { kind: 'vxlan', remote: x.remote, vni: x.label, rmac: x.rmac!, smac: this.cfg.rmac! };
  }

  /** The FIB route of `prefix`: its first-ranked candidates as an ECMP group, or null. */
  private route(prefix: string): Route | null {
    const slot = this.candidates.get(prefix);
    if (slot === undefined) return null;
    if (!Array.isArray(slot)) {
      let nh = this.nexthops.get(slot);
      if (!nh) this.nexthops.set(slot, (nh = [this.hop(slot)]));
      return { prefix, origin: 'bgp', nexthops: nh };
    }
    const lp = Math.max(...slot.map((x) => x.localPref));
    const best = slot.filter((x) => x.localPref === lp);
    const len = Math.min(...best.map((x) => x.pathLen));
    const shortest = best.filter((y) => y.pathLen === len);
    const pref = Math.min(...shortest.map((x) => this.cfg.encaps.indexOf(x.encap)));
    const seen = new Set<string>();
    const hops: Route['nexthops'] = [];
    for (const x of shortest.filter((y) => this.cfg.encaps.indexOf(y.encap) === pref).sort((a, b) => (a.remote < b.remote ? -1 : a.remote > b.remote ? 1 : a.label - b.label))) {
      const k = `${x.remote}/${x.label}/${x.encap}/${x.rmac ?? ''}`;
      if (seen.has(k) || hops.length === limits.HV_ECMP_MAX) continue;
      seen.add(k);
      hops.push(this.hop(x));
    }
    const key = [...seen].join(' ');
    let nh = this.nexthops.get(key);
    if (!nh) this.nexthops.set(key, (nh = hops));
    return { prefix, origin: 'bgp', nexthops: nh };
  }

  /** Candidates per prefix, for `show` (the PEs and the peer each came from). */
  paths(prefix: string): { remote: string; label: number; encap: L3vpnEncap; rmac?: string; source: string }[] {
    const slot = this.candidates.get(prefix);
    return slot === undefined ? [] : all(slot).map(({ remote, label, encap, rmac, source }) => ({ remote, label, encap, ...(rmac ? { rmac } : {}), source }));
  }
}
