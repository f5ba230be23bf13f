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
//
// State, for a million routes: per prefix one uint32 in a PrefixTable (the
// id of its one candidate, or MULTI: the candidates are in a Map, the rare
// ECMP/several-RD case), candidates interned and reference-counted (a million
// routes from 16 PEs with one label each are 16 candidates), each with its
// next-hop array built once.  A batch comes out packed: the touched prefixes'
// keys and their new next-hop arrays (null: no candidate left), no Route
// object per prefix; `get`/`routes` make Route objects on demand (show, the
// controller's merge on a config reload).

import type { BestPathChange, PathAttrs, VpnRoute } from '../bgp/index.js';
import { limits, type NextHop, type Route } from '../dataplane/index.js';
import { formatIp, parsePrefix } from '../util/ip.js';
import { formatKey4, keyPrefix, parseKey4, prefixKey, PrefixTable, type PrefixKey } from '../util/prefix-table.js';
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

/** An interned candidate: its id in the table, the prefixes that hold it, its next hops. */
interface Held extends Candidate {
  id: number;
  refs: number;
  /** where it is interned, under which key */
  home: Map<string, Held>;
  ikey: string;
  hops: NextHop[] | null;
}

/** A batch's FIB change, packed: prefix keys (prefix-table.ts) and their next
 *  hops, null where the prefix has no candidate left. */
export interface PackedChange {
  keys: PrefixKey[];
  hops: (NextHop[] | null)[];
}

/** Table value of a prefix whose candidates are in `multi`. */
const MULTI = 0xfffffffe;
/** Distinct ECMP next-hop arrays kept for sharing; past this the cache starts again (sharing is an optimisation). */
const ECMP_CACHE_MAX = 65536;

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

/** What a VPN path's attribute set decides (the RIB interns attribute sets: worked out once per set). */
interface AttrVerdict {
  nextHop: string;
  remote: string;
  encap: L3vpnEncap | null;
  reason: NotInstalledReason | null;
  localPref: number;
  pathLen: number;
  /** its candidates, interned: RD -> label -> source -> candidate */
  cands: Map<string, Map<number, Map<string, Held>>>;
}

/** The key of a prefix in text: no allocation for the usual "a.b.c.d/n". */
function keyOfText(prefix: string): PrefixKey | null {
  const k = parseKey4(prefix);
  if (k !== undefined) return k;
  const p = parsePrefix(prefix);
  return p ? prefixKey(p) : null;
}

function keyText(k: PrefixKey): string {
  if (typeof k === 'number') return formatKey4(k);
  const { bytes, plen } = keyPrefix(k);
  return `${formatIp(bytes)}/${plen}`;
}

export class VrfImport {
  /** prefix -> the id of its candidate, or MULTI */
  private readonly table = new PrefixTable();
  /** prefix -> its candidates, where there are several (one per RD: the route key of a VPN route is RD + prefix) */
  private readonly multi = new Map<PrefixKey, Held[]>();
  /** candidates by id (undefined: free) */
  private readonly byId: (Held | undefined)[] = [];
  private readonly freeIds: number[] = [];
  /** type-5 candidates by their text key (VPN ones are interned per attribute set: verdict().cands) */
  private readonly interned = new Map<string, Held>();
  private readonly verdicts = new WeakMap<PathAttrs, AttrVerdict>();
  /** the prefixes a batch touched (scratch, no boxed number per key) */
  private readonly touched = new PrefixTable();
  /** ECMP next-hop arrays by their members' joined keys: routes of equal next hops share one array */
  private readonly ecmp = new Map<string, NextHop[]>();
  readonly notInstalled: Record<NotInstalledReason, number> = { 'no-common-encapsulation': 0, 'pe-family': 0, 'no-router-mac': 0, 'overlay-index': 0 };

  constructor(
    readonly cfg: VrfVpnConfig,
    private readonly pe: { address: string; af: 4 | 6 },
    private readonly warn: (o: object, msg: string) => void,
    /** our VTEP (type-5 next hops), null without one */
    private readonly vtep: { address: string; af: 4 | 6 } | null = null,
  ) {}

  /** Prefixes with a candidate (what the VRF's `bgp` routes from this import are). */
  get size(): number {
    return this.table.size;
  }

  /** Records one batch; returns the FIB change of the prefixes it touched. */
  apply(changes: BestPathChange[]): PackedChange {
    const keys: PrefixKey[] = [];
    const touched = this.touched;
    touched.reset();
    for (const c of changes) {
      const k = this.record(c);
      if (k !== null && touched.set(k, 0) === -1) keys.push(k); // once per prefix
    }
    const hops: (NextHop[] | null)[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) hops[i] = this.hopsOf(keys[i]!);
    return { keys, hops };
  }

  /** The route of `prefix` from this import, or null. */
  get(prefix: string): Route | null {
    const k = keyOfText(prefix);
    const h = k === null ? null : this.hopsOf(k);
    return h ? { prefix, origin: 'bgp', nexthops: h } : null;
  }

  /** Every prefix with a candidate, as routes. */
  routes(): Route[] {
    const out: Route[] = [];
    this.table.forEach((_, k) => out.push({ prefix: keyText(k), origin: 'bgp', nexthops: this.hopsOf(k)! }));
    return out;
  }

  /** Every prefix with a candidate, as keys. */
  keys(): PrefixKey[] {
    const out: PrefixKey[] = [];
    this.table.forEach((_, k) => out.push(k));
    return out;
  }

  /** Files (or drops) the candidate of one route (RD + prefix); the prefix to re-decide, if any. */
  private record(c: BestPathChange): PrefixKey | null {
    if (c.family === 'evpn' && (c.route as { type: number }).type !== 5) return null; // type-2/3: EVPN instances' (evpn.ts)
    const r = c.route as VpnRoute;
    const key = c.family === 'evpn' ? `t5|${r.rd}|${(c.route as { ethernetTag: number }).ethernetTag}` : r.rd;
    const b = c.best;
    const pk = c.prefixKey ?? keyOfText(r.prefix);
    if (pk === null) return null;
    const had = this.drop(pk, key);
    if (!b || b.source === 'local') return had ? pk : null;
    if (c.family === 'evpn') {
      const x = type5Candidate(c, this.cfg, this.vtep, this.warn, this.notInstalled);
      if (!x) return had ? pk : null;
      const cand = { ...x.cand, rd: key };
      return this.file(pk, this.intern(cand, this.interned, `${key}|${cand.remote}|${cand.label}|${cand.encap}|${cand.rmac}|${cand.localPref}|${cand.pathLen}|${cand.source}`));
    }
    const v = this.verdict(b.nextHop, b.attrs);
    if (v.remote === this.pe.address) return had ? pk : null;
    if (v.reason) {
      this.notInstalled[v.reason]++;
      const offered = (b.attrs.extCommunities ?? []).filter((x) => x.startsWith('encap:'));
      this.warn({ module: 'l3vpn', vrf: this.cfg.vrf, route: c.key, pe: v.remote, offered, ours: this.cfg.encaps, reason: v.reason }, 'VPN route not installed');
      return had ? pk : null;
    }
    // interned under what the attribute set does not already decide: RD, label, source (no string built per route)
    let byLabel = v.cands.get(key);
    if (!byLabel) v.cands.set(key, (byLabel = new Map()));
    let bySource = byLabel.get(r.label);
    if (!bySource) byLabel.set(r.label, (bySource = new Map()));
    const h = bySource.get(b.source) ?? this.intern({ rd: key, remote: v.remote, label: r.label, encap: v.encap!, localPref: v.localPref, pathLen: v.pathLen, source: b.source }, bySource, b.source);
    return this.file(pk, h);
  }

  private verdict(nextHop: string, attrs: PathAttrs): AttrVerdict {
    let v = this.verdicts.get(attrs);
    if (v && v.nextHop === nextHop) return v;
    const remote = pePlain(nextHop);
    const encap = chooseEncap(this.cfg.encaps, attrs);
    const af = remote.includes(':') ? 6 : 4;
    const reason: NotInstalledReason | null = !encap ? 'no-common-encapsulation' : af !== this.pe.af ? 'pe-family' : null;
    v = { nextHop, remote, encap, reason, localPref: attrs.localPref ?? 100, pathLen: pathLength(attrs), cands: new Map() };
    this.verdicts.set(attrs, v);
    return v;
  }

  /** Adds held candidate `h` (one more reference) to prefix `k`; returns the key. */
  private file(k: PrefixKey, h: Held): PrefixKey {
    h.refs++;
    const cur = this.table.get(k);
    if (cur === -1) this.table.set(k, h.id);
    else if (cur === MULTI) this.multi.get(k)!.push(h);
    else {
      this.multi.set(k, [this.byId[cur]!, h]);
      this.table.set(k, MULTI);
    }
    return k;
  }

  /** Removes the candidate of key `rd` for prefix `k`; whether there was one. */
  private drop(k: PrefixKey, rd: string): boolean {
    const cur = this.table.get(k);
    if (cur === -1) return false;
    if (cur !== MULTI) {
      const h = this.byId[cur]!;
      if (h.rd !== rd) return false;
      this.table.delete(k);
      this.unref(h);
      return true;
    }
    const list = this.multi.get(k)!;
    const i = list.findIndex((x) => x.rd === rd);
    if (i < 0) return false;
    this.unref(list[i]!);
    list.splice(i, 1);
    if (list.length === 1) {
      this.multi.delete(k);
      this.table.set(k, list[0]!.id);
    }
    return true;
  }

  /** The candidate interned in `home` under `ik`, made from `c` if there is none. */
  private intern(c: Candidate, home: Map<string, Held>, ik: string): Held {
    const have = home.get(ik);
    if (have) return have;
    const id = this.freeIds.pop() ?? this.byId.length;
    const h: Held = { ...c, id, refs: 0, home, ikey: ik, hops: null };
    this.byId[id] = h;
    home.set(ik, h);
    return h;
  }

  private unref(h: Held): void {
    if (--h.refs > 0) return;
    h.home.delete(h.ikey);
    this.byId[h.id] = undefined;
    this.freeIds.push(h.id);
  }

  /** The dataplane next hop of one candidate: an MPLS tunnel, or VXLAN with the router MACs (type-5). */
  private hop(x: Candidate): NextHop {
    if (isMplsEncap(x.encap)) return { kind: 'mpls', remote: x.remote, label: x.label, encap: ENCAP_DATAPLANE[x.encap] };
    return { kind: 'vxlan', remote: x.remote, vni: x.label, rmac: x.rmac!, smac: this.cfg.rmac! };
  }

  /** The next hops of prefix `k`: its first-ranked candidates as an ECMP group, or null. */
  private hopsOf(k: PrefixKey): NextHop[] | null {
    const cur = this.table.get(k);
    if (cur === -1) return null;
    if (cur !== MULTI) {
      const h = this.byId[cur]!;
      return (h.hops ??= [this.hop(h)]);
    }
    const slot = this.multi.get(k)!;
    const lp = Math.max(...slot.map((x) => x.localPref));
    const best = slot.filter((x) => x.localPref === lp);
    const len = Math.min(...best.map((x) => x.pathLen));
    const shortest = best.filter((y) => y.pathLen === len);
    const pref = Math.min(...shortest.map((x) => this.cfg.encaps.indexOf(x.encap)));
    const seen = new Set<string>();
    const hops: NextHop[] = [];
    for (const x of shortest.filter((y) => this.cfg.encaps.indexOf(y.encap) === pref).sort((a, b) => (a.remote < b.remote ? -1 : a.remote > b.remote ? 1 : a.label - b.label))) {
      const hk = `${x.remote}/${x.label}/${x.encap}/${x.rmac ?? ''}`;
      if (seen.has(hk) || hops.length === limits.HV_ECMP_MAX) continue;
      seen.add(hk);
      hops.push(this.hop(x));
    }
    const key = [...seen].join(' ');
    let nh = this.ecmp.get(key);
    if (!nh) {
      if (this.ecmp.size >= ECMP_CACHE_MAX) this.ecmp.clear();
      this.ecmp.set(key, (nh = hops));
    }
    return nh;
  }

  /** Candidates per prefix, for `show` (the PEs and the peer each came from). */
  paths(prefix: string): { remote: string; label: number; encap: L3vpnEncap; rmac?: string; source: string }[] {
    const k = keyOfText(prefix);
    const cur = k === null ? -1 : this.table.get(k);
    if (cur === -1) return [];
    const list = cur === MULTI ? this.multi.get(k!)! : [this.byId[cur]!];
    return list.map(({ remote, label, encap, rmac, source }) => ({ remote, label, encap, ...(rmac ? { rmac } : {}), source }));
  }
}
