/**
 * Adj-RIB-In per source, Loc-RIB per family, decision process, and UPDATE
 * ingest (RFC 4271 §9). Source 0 is the local speaker (originated routes);
 * each peer registers a source.
 *
 * Loc-RIB records hold the best path only: its source index (in the path-id
 * field), attribute-set id and data. When the best path's source changes or
 * withdraws it, the candidates are re-read from every source's Adj-RIB-In
 * (a handful of peers), so no per-prefix candidate lists exist.
 *
 * Decision (RFC 4271 §9.1.2.2 with RFC 4456 §9): local origin first, then
 * highest LOCAL_PREF (100 for eBGP-learned), shortest AS_PATH, lowest ORIGIN,
 * lowest MED between paths from the same neighbouring AS, eBGP over iBGP,
 * lowest ORIGINATOR_ID/router ID, shortest CLUSTER_LIST, lowest peer address,
 * lowest path id. Next hops are assumed reachable (no IGP cost step).
 *
 * Ingest: `ingestUpdate` scans an UPDATE, interns its attribute set (the RFC
 * 7606 verdict and RR loop checks are computed once per set), and walks the
 * NLRI with the families' `split`, writing straight into the tables. Changed
 * keys are recorded in a per-family dirty table only when someone listens
 * (subscribers or other peers), and flushed in batches.
 */
import { decodeAttributes, missingMandatory, scanUpdate, UpdateScan, type UpdateContext } from '../codec/message/update.js';
import { decodeNextHop, FAMILIES, type Family } from '../codec/family.js';
import { ErrorAction } from '../codec/errors.js';
import { isRouteTarget } from '../codec/extcomm/index.js';
import { extCommunityFromString } from '../codec/extcomm/index.js';
import { KeyData } from '../codec/nlri/types.js';
import { AttrStore, type AttrSet } from './attr-store.js';
import { FLAG_STALE, RouteTable } from './route-table.js';
import type { PathAttrs } from '../codec/attr/types.js';

/** The attribute-set cache of ingest (Rib.cachedAttrs): entries per kind (legacy, MP), octets kept per entry. */
const ATTR_CACHE_WAYS = 256;
const ATTR_CACHE_BYTES = 512;

export interface RibSource {
  index: number;
  name: string;
  ebgp: boolean;
  /** BGP identifier as uint32 (tie-break) */
  routerId: number;
  /** peer address as a comparable string (tie-break) */
  addressKey: string;
  /** path ids present on received NLRI, per family id (RFC 7911) */
  addPath: boolean[];
}

export interface IngestResult {
  announced: number;
  withdrawn: number;
  eor: Family | null;
  /** RFC 7606 treat-as-withdraw / loop reasons, if the NLRI were withdrawn */
  treatAsWithdraw: string[] | null;
  discarded: string[] | null;
  /** a family whose NLRI were ignored because it was not negotiated */
  ignored?: string;
}

const NF = FAMILIES.length;

export class Rib {
  readonly attrs = new AttrStore();
  readonly sources: Array<RibSource | undefined> = [];
  /** adjIn[source][family] */
  readonly adjIn: RouteTable[][] = [];
  readonly loc: RouteTable[] = FAMILIES.map(() => new RouteTable());
  /** per family: keys whose best path changed since the last flush */
  readonly dirty: RouteTable[] = FAMILIES.map(() => new RouteTable());
  /** per family: record changes (set by the speaker when someone consumes them) */
  readonly track: boolean[] = FAMILIES.map(() => false);
  /** ADD-PATH sources: key string → path ids, per [source][family] */
  private paths = new Map<string, Set<number>>();
  private readonly kd = new KeyData();
  private readonly scan = new UpdateScan();

  constructor(
    readonly localAs: number,
    readonly routerId: string,
    readonly clusterId: string,
    private readonly routerIdNum = Buffer.from(routerId.split('.').map(Number)).readUInt32BE(0),
  ) {
    this.addSource({ index: 0, name: 'local', ebgp: false, routerId: this.routerIdNum, addressKey: '', addPath: FAMILIES.map(() => false) });
  }

  addSource(s: RibSource): void {
    this.sources[s.index] = s;
    this.adjIn[s.index] = FAMILIES.map(() => new RouteTable());
  }
  nextSourceIndex(): number { const i = this.sources.findIndex((s, j) => j > 0 && !s); return i > 0 ? i : Math.max(1, this.sources.length); }
  removeSource(index: number): void {
    for (let f = 0; f < NF; f++) this.dropAll(index, f);
    this.sources[index] = undefined;
    for (const k of [...this.paths.keys()]) if (k.startsWith(`${index}/`)) this.paths.delete(k);
  }

  prefixCount(index: number): number {
    let n = 0;
    for (const t of this.adjIn[index] ?? []) n += t.count;
    return n;
  }

  // ---- decision -------------------------------------------------------------

  /** < 0 when path A is better than path B. */
  compare(sa: number, a: AttrSet, sb: number, b: AttrSet, pa: number, pb: number): number {
    if (sa === 0 || sb === 0) { if (sa !== sb) return sa === 0 ? -1 : 1; }
    const A = this.sources[sa]!, B = this.sources[sb]!;
    const lpA = A.ebgp ? 100 : (a.localPref ?? 100), lpB = B.ebgp ? 100 : (b.localPref ?? 100);
    if (lpA !== lpB) return lpB - lpA;
    if (a.asPathLen !== b.asPathLen) return a.asPathLen - b.asPathLen;
    if (a.origin !== b.origin) return a.origin - b.origin;
    if (a.neighborAs === b.neighborAs && a.med !== b.med) return a.med < b.med ? -1 : 1;
    if (A.ebgp !== B.ebgp) return A.ebgp ? -1 : 1;
    const idA = a.originatorId || A.routerId, idB = b.originatorId || B.routerId;
    if (idA !== idB) return (idA >>> 0) < (idB >>> 0) ? -1 : 1;
    if (a.clusterLen !== b.clusterLen) return a.clusterLen - b.clusterLen;
    if (A.addressKey !== B.addressKey) return A.addressKey < B.addressKey ? -1 : 1;
    return pa - pb;
  }

  /** Re-run the decision for one key (in kd-like buffer) and update the Loc-RIB. */
  private decide(f: number, kb: Uint8Array, ko: number, kl: number): void {
    let bestS = -1, bestRec = -1, bestT: RouteTable | null = null, bestSet: AttrSet | null = null;
    for (let s = 0; s < this.sources.length; s++) {
      const src = this.sources[s];
      if (!src) continue;
      const t = this.adjIn[s]![f]!;
      if (t.count === 0) continue;
      const ids = src.addPath[f] ? this.paths.get(`${s}/${f}/${Buffer.from(kb.subarray(ko, ko + kl)).toString('latin1')}`) : undefined;
      const pids = ids ? [...ids] : [0];
      for (const pid of pids) {
        const slot = t.find(kb, ko, kl, pid);
        if (slot < 0) continue;
        const rec = t.rec(slot);
        const set = this.attrs.get(t.attrId(rec));
        if (bestSet === null || this.compare(s, set, bestS, bestSet, t.pathId(rec), bestT!.pathId(bestRec)) < 0) {
          bestS = s; bestRec = rec; bestT = t; bestSet = set;
        }
      }
    }
    const loc = this.loc[f]!;
    const slot = loc.find(kb, ko, kl, 0);
    if (!bestT || !bestSet) {
      if (slot >= 0) { this.attrs.unref(loc.deleteSlot(slot)); this.markDirty(f, kb, ko, kl); }
      return;
    }
    const prevSrc = slot >= 0 ? loc.pathId(loc.rec(slot)) : -1;
    const prev = loc.setRaw(kb, ko, kl, bestT.arena, bestT.dataOff(bestRec), bestT.dataLen(bestRec), 0, bestSet.id, bestS);
    if (prev !== bestSet.id) { this.attrs.ref(bestSet.id); if (prev >= 0) this.attrs.unref(prev); }
    if (loc.changed || prevSrc !== bestS) this.markDirty(f, kb, ko, kl);
  }

  /** Loc-RIB best source for a record (stored in the flags octet). */
  bestSource(f: number, rec: number): number { return this.loc[f]!.flags(rec); }

  /** source of the change being applied (for `soleConsumer`) */
  private curSrc = 0;
  /** per family: if ≥ 0, the only peer consuming changes; its own changes are not tracked */
  readonly soleConsumer: number[] = FAMILIES.map(() => -1);

  private markDirty(f: number, kb: Uint8Array, ko: number, kl: number): void {
    if (this.track[f] && this.soleConsumer[f] !== this.curSrc) this.dirty[f]!.setRaw(kb, ko, kl, kb, 0, 0, 0, 0, 0);
  }

  /** Insert or replace a path from a source and run the decision for its key. */
  update(src: number, f: number, kd: KeyData, pathId: number, attrId: number): void {
    const t = this.adjIn[src]![f]!;
    const prev = t.set(kd, pathId, attrId, 0);
    if (prev !== attrId) { this.attrs.ref(attrId); if (prev >= 0) this.attrs.unref(prev); }
    if (this.sources[src]!.addPath[f]) this.notePath(src, f, kd.buf, 0, kd.keyLen, pathId, true);
    if (!t.changed) return;
    this.curSrc = src;
    if (kd !== this.kd) { this.kd.buf.set(kd.buf.subarray(KeyData.DATA, KeyData.DATA + kd.dataLen), KeyData.DATA); this.kd.dataLen = kd.dataLen; }
    this.afterChange(src, f, kd.buf, 0, kd.keyLen, attrId, t, prev < 0);
  }

  private afterChange(src: number, f: number, kb: Uint8Array, ko: number, kl: number, attrId: number, t: RouteTable, _isNew: boolean): void {
    const loc = this.loc[f]!;
    const slot = loc.find(kb, ko, kl, 0);
    if (slot < 0) {
      // Invariant: a Loc-RIB entry exists iff some source holds a path for
      // the key, so a new key's only candidate is this path.
      loc.setRaw(kb, ko, kl, kb, KeyData.DATA, this.kd.dataLen, 0, attrId, src);
      this.attrs.ref(attrId);
      this.markDirty(f, kb, ko, kl);
      return;
    }
    const rec = loc.rec(slot);
    const cur = loc.flags(rec);
    if (cur === src) { this.decide(f, kb, ko, kl); return; }
    // A path from another source: it only matters if it beats the current best.
    if (this.compare(src, this.attrs.get(attrId), cur, this.attrs.get(loc.attrId(rec)), 0, 0) < 0) this.decide(f, kb, ko, kl);
    void t;
  }

  /** Remove a path from a source and re-run the decision if it was the best's source. */
  withdraw(src: number, f: number, kb: Uint8Array, ko: number, kl: number, pathId: number): boolean {
    const t = this.adjIn[src]![f]!;
    const prev = t.delete(kb, ko, kl, pathId);
    if (prev < 0) return false;
    this.attrs.unref(prev);
    this.curSrc = src;
    if (this.sources[src]!.addPath[f]) this.notePath(src, f, kb, ko, kl, pathId, false);
    const loc = this.loc[f]!;
    const slot = loc.find(kb, ko, kl, 0);
    if (slot >= 0 && loc.flags(loc.rec(slot)) === src) this.decide(f, kb, ko, kl);
    return true;
  }

  private notePath(src: number, f: number, kb: Uint8Array, ko: number, kl: number, pathId: number, add: boolean): void {
    const k = `${src}/${f}/${Buffer.from(kb.subarray(ko, ko + kl)).toString('latin1')}`;
    let s = this.paths.get(k);
    if (add) { if (!s) this.paths.set(k, (s = new Set())); s.add(pathId); }
    else if (s) { s.delete(pathId); if (s.size === 0) this.paths.delete(k); }
  }

  /**
   * Remove every path of a source in a family (session down without GR), or
   * only its stale paths. Works in place on the table (the visited record's
   * bytes stay valid until compaction, which deletion never triggers), so
   * dropping a million routes allocates nothing per route.
   */
  dropAll(src: number, f: number, onlyStale = false): number {
    const t = this.adjIn[src]?.[f];
    if (!t || t.count === 0) return 0;
    let n = 0;
    t.forEach((rec) => {
      if (onlyStale && !(t.flags(rec) & FLAG_STALE)) return;
      const arena = t.arena;
      this.withdraw(src, f, arena, t.keyOff(rec), t.keyLen(rec), t.pathId(rec));
      n++;
    });
    return n;
  }

  /** RFC 4724 §4.2: mark a restarting peer's routes stale. */
  markStale(src: number, f?: number): number {
    let n = 0;
    for (let i = 0; i < NF; i++) {
      if (f !== undefined && i !== f) continue;
      const t = this.adjIn[src]![i]!;
      t.forEach((rec) => { t.setFlags(rec, t.flags(rec) | FLAG_STALE); n++; });
    }
    return n;
  }

  // ---- ingest ---------------------------------------------------------------

  /**
   * A small cache of the attribute bytes of recent UPDATEs (legacy and MP apart),
   * compared byte for byte: a peer sending one NLRI per UPDATE with shared
   * attributes (GoBGP reflecting, EVPN, VPN churn from a few PEs) costs no
   * string building or map lookup per UPDATE.  Direct-mapped by a hash of the
   * bytes: UPDATEs that take turns among a few attribute sets (one per remote
   * PE) all hit, where a one-entry cache missed at every change of PE.
   */
  private readonly rawBytes = new Uint8Array(2 * ATTR_CACHE_WAYS * ATTR_CACHE_BYTES);
  private readonly rawLen = new Int32Array(2 * ATTR_CACHE_WAYS).fill(-1);
  private readonly rawSet: (AttrSet | null)[] = new Array<AttrSet | null>(2 * ATTR_CACHE_WAYS).fill(null);
  /** what else the set depends on: AS4, the MP family, an overrun (a number: no string per UPDATE) */
  private readonly rawCtx = new Int32Array(2 * ATTR_CACHE_WAYS);

  private cachedAttrs(buf: Buffer, s: UpdateScan, ctx: UpdateContext, mp: boolean): AttrSet {
    const ctxKey = (ctx.as4 ? 1 : 0) | (s.overrun ? 2 : 0) | ((mp ? s.reach!.id + 1 : 0) << 2);
    // FNV-1a over the bytes the set is interned from (MP next hop, then the other attributes)
    let h = 0x811c9dc5 | 0, len = 0;
    if (mp) {
      for (let k = s.nhOff, e = s.nhOff + s.nhLen; k < e; k++) h = Math.imul(h ^ buf[k]!, 0x01000193);
      len = s.nhLen;
    }
    for (let j = 0; j < s.other.length; j += 2) {
      for (let k = s.other[j]!, e = s.other[j + 1]!; k < e; k++) h = Math.imul(h ^ buf[k]!, 0x01000193);
      len += s.other[j + 1]! - s.other[j]!;
    }
    const slot = (mp ? ATTR_CACHE_WAYS : 0) + ((h ^ (h >>> 16)) & (ATTR_CACHE_WAYS - 1));
    const raw = this.rawBytes, base = slot * ATTR_CACHE_BYTES;
    const set = this.rawSet[slot];
    if (set && this.attrs.get(set.id) === set && this.rawLen[slot] === len && this.rawCtx[slot] === ctxKey) {
      let o = base, same = true;
      if (mp) for (let k = 0; k < s.nhLen && same; k++) same = raw[o++] === buf[s.nhOff + k];
      for (let j = 0; j < s.other.length && same; j += 2) {
        for (let k = s.other[j]!, e = s.other[j + 1]!; k < e; k++) if (raw[o++] !== buf[k]) { same = false; break; }
      }
      if (same) return set;
    }
    const fresh = this.internAttrs(buf, s, ctx, mp);
    if (len <= ATTR_CACHE_BYTES) {
      let o = base;
      if (mp) for (let k = 0; k < s.nhLen; k++) raw[o++] = buf[s.nhOff + k]!;
      for (let j = 0; j < s.other.length; j += 2) for (let k = s.other[j]!, e = s.other[j + 1]!; k < e; k++) raw[o++] = buf[k]!;
      this.rawLen[slot] = len; this.rawSet[slot] = fresh; this.rawCtx[slot] = ctxKey;
    } else this.rawSet[slot] = null;
    return fresh;
  }

  /** Intern the attribute set for an UPDATE's NLRI (legacy if !mp). */
  private internAttrs(buf: Buffer, s: UpdateScan, ctx: UpdateContext, mp: boolean): AttrSet {
    let key = ctx.as4 ? '4' : '2';
    key += mp ? `M${s.reach!.id}` + buf.toString('latin1', s.nhOff, s.nhOff + s.nhLen) + '|' : 'L';
    for (let i = 0; i < s.other.length; i += 2) key += buf.toString('latin1', s.other[i]!, s.other[i + 1]!);
    if (s.overrun) key += '!';
    const id = this.attrs.lookup(key);
    if (id >= 0) return this.attrs.get(id);
    const r = decodeAttributes(buf, s, ctx);
    let attrs: PathAttrs = r.attrs;
    let nextHop = attrs.nextHop ?? '';
    let linkLocal: string | undefined;
    if (mp) {
      const nh = decodeNextHop(s.reach!, buf, s.nhOff, s.nhLen);
      nextHop = nh.nextHop; linkLocal = nh.linkLocal;
      attrs = { ...attrs, nextHop };
    }
    const reasons = [...r.reasons];
    let withdraw = r.action >= ErrorAction.TreatAsWithdraw;
    const miss = missingMandatory(attrs, !mp, mp, r.rejected);
    if (miss) { withdraw = true; reasons.push(miss); }
    // RFC 4456 §8 loop prevention, RFC 4271 §9.1.2 AS loop.
    if (attrs.originatorId === this.routerId) { withdraw = true; reasons.push('ORIGINATOR_ID is our router ID'); }
    if (attrs.clusterList?.includes(this.clusterId)) { withdraw = true; reasons.push('CLUSTER_LIST contains our cluster ID'); }
    if (attrs.asPath?.some((seg) => (seg.type === 'seq' || seg.type === 'set') && seg.asns.includes(this.localAs))) { withdraw = true; reasons.push('AS_PATH contains our AS'); }
    const newId = this.attrs.add(key, attrs, nextHop, linkLocal, withdraw, reasons, rtsOf(attrs));
    return this.attrs.get(newId);
  }

  /** Intern a locally originated attribute set. */
  internLocal(attrs: PathAttrs): AttrSet {
    const key = `local|${JSON.stringify(attrs)}`;
    const id = this.attrs.lookup(key);
    if (id >= 0) return this.attrs.get(id);
    return this.attrs.get(this.attrs.add(key, attrs, attrs.nextHop ?? '', undefined, false, [], rtsOf(attrs)));
  }

  /**
   * Apply one UPDATE (whole message at buf[off, off+len)) from a source.
   * Throws BgpDecodeError for session-reset errors; the caller sends the NOTIFICATION.
   */
  ingestUpdate(src: number, buf: Buffer, off: number, len: number, ctx: UpdateContext): IngestResult {
    const s = scanUpdate(buf, off, len, this.scan);
    const res: IngestResult = { announced: 0, withdrawn: 0, eor: s.eor, treatAsWithdraw: null, discarded: null };
    if (s.eor) return res;
    const kd = this.kd;
    const addPath = this.sources[src]!.addPath;
    const v4 = 0;
    // RFC 4760 §6: NLRI of a family that was not negotiated are ignored.
    const fams = ctx.families;
    if (fams) {
      if (s.reach && !fams[s.reach.id]) { res.ignored = s.reach.name; s.reach = null; }
      if (s.unreach && !fams[s.unreach.id]) { res.ignored = s.unreach.name; s.unreach = null; }
      if (!fams[v4] && (s.nlriEnd > s.nlriOff || s.wdEnd > s.wdOff)) { res.ignored = 'ipv4'; s.nlriEnd = s.nlriOff; s.wdEnd = s.wdOff; }
    }
    // Withdrawals first (RFC 4271 §9: withdrawn routes, then NLRI).
    if (s.wdEnd > s.wdOff) res.withdrawn += this.walk(src, FAMILIES[v4]!, buf, s.wdOff, s.wdEnd, addPath[v4]!, true, -1);
    if (s.unreach && s.unreachEnd > s.unreachOff) res.withdrawn += this.walk(src, s.unreach, buf, s.unreachOff, s.unreachEnd, addPath[s.unreach.id]!, true, -1);
    const hasLegacy = s.nlriEnd > s.nlriOff, hasMp = !!s.reach && s.reachEnd > s.reachOff;
    if (hasLegacy || hasMp) {
      for (const mp of [false, true]) {
        if (mp ? !hasMp : !hasLegacy) continue;
        const set = this.cachedAttrs(buf, s, ctx, mp);
        if (set.reasons.length) {
          if (set.withdraw) res.treatAsWithdraw = set.reasons; else res.discarded = set.reasons;
        }
        const f = mp ? s.reach! : FAMILIES[v4]!;
        const o = mp ? s.reachOff : s.nlriOff, e = mp ? s.reachEnd : s.nlriEnd;
        const n = this.walk(src, f, buf, o, e, addPath[f.id]!, set.withdraw, set.withdraw ? -1 : set.id);
        if (set.withdraw) res.withdrawn += n; else res.announced += n;
        // A set no route took (treat-as-withdraw, or all NLRI unchanged elsewhere) is not kept.
        if (set.refs === 0) this.attrs.dropIfUnused(set.id);
      }
    }
    void kd;
    return res;
  }

  /** Walk NLRI; attrId < 0 withdraws. Returns the number of NLRI. */
  private walk(src: number, f: Family, buf: Buffer, off: number, end: number, addPath: boolean, withdraw: boolean, attrId: number): number {
    const kd = this.kd;
    let o = off, n = 0;
    const codec = f.nlri;
    while (o < end) {
      let pid = 0;
      if (addPath) {
        if (o + 4 > end) throw scanError('truncated path identifier');
        pid = ((buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!) >>> 0;
        o += 4;
      }
      o += codec.split(buf, o, end, withdraw, kd);
      if (attrId < 0) this.withdraw(src, f.id, kd.buf, 0, kd.keyLen, pid);
      else this.update(src, f.id, kd, pid, attrId);
      n++;
    }
    return n;
  }

  /** Sweep stale paths of a source (after End-of-RIB or the restart timer). */
  sweepStale(src: number, f?: number): number {
    let n = 0;
    for (let i = 0; i < NF; i++) if (f === undefined || f === i) n += this.dropAll(src, i, true);
    return n;
  }

  /** Family of the last ingested UPDATE's NLRI (for max-prefix reporting). */
  lastFamily(): Family { return this.scan.reach ?? FAMILIES[0]!; }
  /** True if the last ingested UPDATE touched the given family. */
  scanFamilyIs(name: string): boolean { return this.scan.reach?.name === name || this.scan.unreach?.name === name; }

  /** Helper for the API: the route object of a key held in a table record. */
  /** The route of a record, decoded from a copy of its key and data in scratch
   *  buffers (the codecs copy what they keep): a subarray view per call costs
   *  more than copying a few dozen octets (a 10k-route import decodes 10k). */
  routeOf(f: Family, t: RouteTable, rec: number) {
    const a = t.arena, ko = t.keyOff(rec), dof = t.dataOff(rec), kl = t.keyLen(rec), dl = t.dataLen(rec);
    const k = scratchKey.buf, d = scratchData.buf;
    for (let i = 0; i < kl; i++) k[i] = a[ko + i]!;
    for (let i = 0; i < dl; i++) d[i] = a[dof + i]!;
    return f.nlri.fromKD(scratchKey.view(kl), scratchData.view(dl));
  }
}

/** A 255-octet scratch buffer (key and data lengths are octets) and its
 *  views of each length, made once. */
class Scratch {
  readonly buf = new Uint8Array(255);
  private readonly views: (Uint8Array | undefined)[] = [];
  view(n: number): Uint8Array { return (this.views[n] ??= this.buf.subarray(0, n)); }
}
const scratchKey = new Scratch(), scratchData = new Scratch();

import { BgpDecodeError, UpdateSubcode } from '../codec/errors.js';
function scanError(msg: string): BgpDecodeError {
  return new BgpDecodeError(3, UpdateSubcode.InvalidNetwork, ErrorAction.SessionReset, msg);
}

function rtsOf(attrs: PathAttrs): string[] {
  const out: string[] = [];
  for (const c of attrs.extCommunities ?? []) {
    if (!c.startsWith('rt:')) continue;
    const b = extCommunityFromString(c);
    if (isRouteTarget(b, 0)) out.push(Buffer.from(b).toString('latin1'));
  }
  return out;
}
