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
// its router MAC.  Ranked as VPN routes, then by our encapsulation preference.
import type { BestPathChange, PathAttrs, VpnRoute } from '../bgp/index.js';
import { limits, type Route } from '../dataplane/index.js';
import { ENCAP_COMMUNITY, ENCAP_DATAPLANE, isMplsEncap, type L3vpnEncap, type VrfVpnConfig } from './l3vpn-types.js';
import { type5Candidate, type Type5Reason } from './type5.js';


/** A candidate next hop for a prefix: one RD's best path (type-5: `label` is the L3 VNI). */
export interface Candidate {
  remote: string;
  label: number;
  encap: L3vpnEncap;
  /** type-5: the remote router MAC */
  rmac?: string;
  localPref: number;
  pathLen: number;
  source: string;
}

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
  /** prefix -> route key -> candidate */
  private readonly candidates = new Map<string, Map<string, Candidate>>();
  /** route key -> prefix (a withdrawal names the key) */
  private readonly prefixOf = new Map<string, string>();
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

  /** Files (or drops) the candidate of one route key; the prefix to re-decide, if any. */
  private record(c: BestPathChange): string | null {
    if (c.family === 'evpn' && (c.route as { type: number }).type !== 5) return null; // type-2/3: EVPN instances' (evpn.ts)
    const r = c.route as VpnRoute;
    const prev = this.prefixOf.get(c.key);
    if (prev !== undefined) {
      this.prefixOf.delete(c.key);
      const m = this.candidates.get(prev);
      m?.delete(c.key);
      if (m && !m.size) this.candidates.delete(prev);
    }
    const b = c.best;
    if (!b || b.source === 'local') return prev ?? null;
    if (c.family === 'evpn') return this.file(c.key, type5Candidate(c, this.cfg, this.vtep, this.warn, this.notInstalled)) ?? prev ?? null;
    const remote = pePlain(b.nextHop);
    if (remote === this.pe.address) return prev ?? null;
    const encap = chooseEncap(this.cfg.encaps, b.attrs);
    const af = remote.includes(':') ? 6 : 4;
    const reason: NotInstalledReason | null = !encap ? 'no-common-encapsulation' : af !== this.pe.af ? 'pe-family' : null;
    if (reason) {
      this.notInstalled[reason]++;
      const offered = (b.attrs.extCommunities ?? []).filter((x) => x.startsWith('encap:'));
      this.warn({ module: 'l3vpn', vrf: this.cfg.vrf, route: c.key, pe: remote, offered, ours: this.cfg.encaps, reason }, 'VPN route not installed');
      return prev ?? null;
    }
    return this.file(c.key, { prefix: r.prefix, cand: { remote, label: r.label, encap: encap!, localPref: b.attrs.localPref ?? 100, pathLen: pathLength(b.attrs), source: b.source } });
  }

  /** Files the candidate of route key `key`; its prefix, or null if there is none. */
  private file(key: string, x: { prefix: string; cand: Candidate } | null): string | null {
    if (!x) return null;
    let m = this.candidates.get(x.prefix);
    if (!m) this.candidates.set(x.prefix, (m = new Map()));
    m.set(key, x.cand);
    this.prefixOf.set(key, x.prefix);
    return x.prefix;
  }

  /** The FIB route of `prefix`: its first-ranked candidates as an ECMP group, or null. */
  private route(prefix: string): Route | null {
    const m = this.candidates.get(prefix);
    if (!m?.size) return null;
    const all = [...m.values()];
    const lp = Math.max(...all.map((x) => x.localPref));
    const best = all.filter((x) => x.localPref === lp);
    const len = Math.min(...best.map((x) => x.pathLen));
    const shortest = best.filter((y) => y.pathLen === len);
    const pref = Math.min(...shortest.map((x) => this.cfg.encaps.indexOf(x.encap)));
    const seen = new Set<string>();
    const nexthops: Route['nexthops'] = [];
    for (const x of shortest.filter((y) => this.cfg.encaps.indexOf(y.encap) === pref).sort((a, b) => (a.remote < b.remote ? -1 : a.remote > b.remote ? 1 : a.label - b.label))) {
      const k = `${x.remote}/${x.label}/${x.encap}`;
      if (seen.has(k) || nexthops.length === limits.HV_ECMP_MAX) continue;
      seen.add(k);
      if (isMplsEncap(x.encap)) nexthops.push({ kind: 'mpls', remote: x.remote, label: x.label, encap: ENCAP_DATAPLANE[x.encap] });
      else nexthops.push({ kind: 'vxlan', remote: x.remote, vni: x.label, rmac: x.rmac!, smac: this.cfg.rmac! });
    }
    return { prefix, origin: 'bgp', nexthops };
  }

  /** Candidates per prefix, for `show` (the PEs and the peer each came from). */
  paths(prefix: string): { remote: string; label: number; encap: L3vpnEncap; rmac?: string; source: string }[] {
    return [...(this.candidates.get(prefix)?.values() ?? [])].map(({ remote, label, encap, rmac, source }) => ({ remote, label, encap, ...(rmac ? { rmac } : {}), source }));
  }
}
