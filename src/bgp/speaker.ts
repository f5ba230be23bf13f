/**
 * BgpSpeaker: the embedded BGP speaker the rest of the controller uses.
 *
 * Owns the listening socket, the neighbors (src/bgp/peer.ts), the RIB
 * (src/bgp/rib/) and the export side: route-reflection rules (RFC 4456),
 * iBGP/eBGP attribute rewriting, RT-constraint filtering (RFC 4684), the
 * Adj-RIB-Out per peer and family, End-of-RIB (RFC 4724 §2), graceful-restart
 * helper mode (RFC 4724 §4.2), route refresh (RFC 2918, RFC 7313) and
 * per-peer max-prefix limits (RFC 4486 subcode 1).
 *
 * All state changes run on the Node event loop, one message batch at a time;
 * best-path changes are flushed to peers and subscribers in batches
 * (setImmediate after each received batch or API call).
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { encodePathAttrs } from './codec/message/update.js';
import { encodeNextHop, FAMILIES, familyByName, familyOf, type AnyRoute, type Family, type FamilyName, type RouteByFamily } from './codec/family.js';
import { endOfRib } from './codec/message/update.js';
import type { PathAttrs } from './codec/attr/types.js';
import { KeyData } from './codec/nlri/types.js';
import { ipv4ToBytes } from './codec/addr.js';
import { isRouteTarget } from './codec/extcomm/index.js';
import { hasRouteTarget, normaliseRouteTarget } from './policy.js';
import { systemClock, type Clock } from '../util/clock.js';
import { State, type Reason } from './fsm.js';
import { Peer, type PeerConfig, type PeerHooks, type Counters } from './peer.js';
import { Rib } from './rib/rib.js';
import { FLAG_STALE, RouteTable } from './rib/route-table.js';
import { UpdatePacker } from './rib/adj-rib-out.js';
import type { AttrSet } from './rib/attr-store.js';
import type { RouteRefreshMessage } from './codec/message/route-refresh.js';

export interface SpeakerOptions {
  asn: number;
  routerId: string;
  /** RFC 4456 cluster id when we reflect; default: router id */
  clusterId?: string;
  /** TCP port to listen on (0 = ephemeral, false = do not listen). Default 179. */
  listenPort?: number | false;
  listenAddress?: string;
  clock?: Clock;
  /** accept 127/8 next hops (tests on loopback) */
  allowLoopbackNextHop?: boolean;
}

export type NeighborOptions = Partial<Omit<PeerConfig, 'address' | 'peerAs' | 'gracefulRestart'>> & {
  address: string;
  peerAs: number;
  gracefulRestart?: Partial<PeerConfig['gracefulRestart']>;
};

export interface RibPath {
  /** `local` or the neighbor address */
  source: string;
  nextHop: string;
  attrs: PathAttrs;
  pathId?: number;
  stale?: boolean;
}
export interface RibEntry<R = AnyRoute> { family: FamilyName; route: R; key: string; paths: RibPath[] }
export interface BestPathChange<R = AnyRoute> { family: FamilyName; route: R; key: string; best: RibPath | null }

export interface NeighborInfo {
  address: string;
  peerAs: number;
  description?: string;
  state: State;
  reason: Reason;
  lastError: string;
  uptimeSeconds: number;
  flaps: number;
  counters: Counters;
  families: FamilyName[];
  holdTime: number | null;
  keepalive: number | null;
  remoteId: string | null;
  prefixes: Record<string, { received: number; advertised: number }>;
  gracefulRestart: { peerRestartTime: number | null; staleRoutes: number };
  /** RFC 7606 outcomes and ignored NLRI, counted per UPDATE */
  updateErrors: { treatAsWithdraw: number; attributeDiscard: number; ignoredFamily: number };
}

interface PeerState {
  peer: Peer;
  adjOut: RouteTable[];
  outAttrs: WeakMap<AttrSet, Buffer>;
  packers: Array<UpdatePacker | null>;
  /** RFC 4684: RTs the peer asked for (latin1 8-octet), and default membership */
  rtMember: Set<string>;
  rtDefault: boolean;
  rtcEorSeen: boolean;
  rtcChanged: boolean;
  deferVpn: boolean;
  grRestartTimer: unknown;
  staleTimer: unknown;
  rtcTimer: unknown;
  updateErrors: NeighborInfo['updateErrors'];
  staleCount: number;
  ebgp: boolean;
}

export class BgpSpeaker extends EventEmitter {
  readonly rib: Rib;
  readonly clock: Clock;
  private server: net.Server | null = null;
  private peers = new Map<string, PeerState>();
  private subs: Array<Set<(changes: BestPathChange[]) => void>> = FAMILIES.map(() => new Set());
  private flushPending = false;
  private readonly kd = new KeyData();
  listenPort = 0;

  constructor(readonly options: SpeakerOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.rib = new Rib(options.asn, options.routerId, options.clusterId ?? options.routerId);
    this.hooks.localAs = options.asn;
    this.hooks.routerId = options.routerId;
    this.hooks.clock = this.clock;
  }

  // ---- lifecycle ---------------------------------------------------------------

  async start(): Promise<void> {
    if (this.options.listenPort !== false) {
      const srv = net.createServer((s) => this.onIncoming(s));
      this.server = srv;
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ port: this.options.listenPort ?? 179, host: this.options.listenAddress }, () => { srv.off('error', reject); resolve(); });
      });
      this.listenPort = (srv.address() as net.AddressInfo).port;
    }
    for (const ps of this.peers.values()) ps.peer.start();
  }

  /** Stop every session (Cease/2, with an optional RFC 9003 shutdown message) and the listener. */
  async stop(message?: string): Promise<void> {
    for (const ps of this.peers.values()) { ps.peer.stop(message); this.clearPeerTimers(ps); }
    if (this.server) { const s = this.server; this.server = null; await new Promise<void>((r) => s.close(() => r())); }
  }

  private onIncoming(s: net.Socket): void {
    const addr = normalizeAddr(s.remoteAddress ?? '');
    const ps = this.peers.get(addr);
    if (!ps) { s.destroy(); return; }
    ps.peer.accept(s);
  }

  // ---- neighbors -------------------------------------------------------------------

  addNeighbor(n: NeighborOptions): Peer {
    const address = normalizeAddr(n.address);
    if (this.peers.has(address)) throw new Error(`neighbor ${address} already exists`);
    const cfg = this.neighborOptions(n);
    if (cfg.holdTime !== 0 && cfg.holdTime < 3) throw new RangeError('hold time must be 0 or >= 3 seconds');
    return this.addPeer(cfg);
  }

  /** Neighbor options with defaults applied (the peer's configuration). */
  private neighborOptions(n: NeighborOptions): PeerConfig {
    const address = normalizeAddr(n.address);
    const cfg: PeerConfig = {
      address, peerAs: n.peerAs, port: n.port ?? 179, families: n.families ?? ['ipv4'], passive: n.passive ?? false,
      holdTime: n.holdTime ?? 90, keepaliveInterval: n.keepaliveInterval ?? 30, connectRetry: n.connectRetry ?? 5, idleHoldTime: n.idleHoldTime ?? 5,
      gracefulRestart: { enabled: n.gracefulRestart?.enabled ?? true, restartTime: n.gracefulRestart?.restartTime ?? 120, staleRoutesTime: n.gracefulRestart?.staleRoutesTime ?? 360 },
      routeReflectorClient: n.routeReflectorClient ?? false, addPathReceive: n.addPathReceive ?? [],
    };
    if (n.localAddress) cfg.localAddress = n.localAddress;
    if (n.maxPrefix !== undefined) cfg.maxPrefix = n.maxPrefix;
    if (n.description) cfg.description = n.description;
    return cfg;
  }

  private addPeer(cfg: PeerConfig): Peer {
    const address = cfg.address;
    const peer = new Peer(cfg, this.hooks, !!this.options.allowLoopbackNextHop);
    peer.sourceIndex = this.rib.nextSourceIndex();
    this.rib.addSource({ index: peer.sourceIndex, name: address, ebgp: cfg.peerAs !== this.options.asn, routerId: 0, addressKey: addrKey(address), addPath: FAMILIES.map(() => false) });
    const ps: PeerState = {
      peer, adjOut: FAMILIES.map(() => new RouteTable()), outAttrs: new WeakMap(), packers: FAMILIES.map(() => null),
      rtMember: new Set(), rtDefault: false, rtcEorSeen: false, rtcChanged: false, deferVpn: false,
      grRestartTimer: null, staleTimer: null, rtcTimer: null, updateErrors: { treatAsWithdraw: 0, attributeDiscard: 0, ignoredFamily: 0 }, staleCount: 0, ebgp: cfg.peerAs !== this.options.asn,
    };
    this.peers.set(address, ps);
    if (this.server || this.options.listenPort === false) peer.start();
    return peer;
  }

  removeNeighbor(address: string, message?: string): void {
    const ps = this.peers.get(normalizeAddr(address));
    if (!ps) return;
    ps.peer.stop(message);
    this.clearPeerTimers(ps);
    this.clearAdjOut(ps);
    this.rib.removeSource(ps.peer.sourceIndex);
    this.peers.delete(ps.peer.name);
    this.updateTracking();
    this.scheduleFlush();
  }

  neighbor(address: string): Peer | undefined { return this.peers.get(normalizeAddr(address))?.peer; }

  neighbors(): NeighborInfo[] {
    return [...this.peers.values()].map((ps) => {
      const p = ps.peer, n = p.negotiated;
      const prefixes: NeighborInfo['prefixes'] = {};
      for (const f of FAMILIES) {
        if (!p.config.families.includes(f.name)) continue;
        prefixes[f.name] = { received: this.rib.adjIn[p.sourceIndex]![f.id]!.count, advertised: ps.adjOut[f.id]!.count };
      }
      const info: NeighborInfo = {
        address: p.name, peerAs: p.config.peerAs, state: p.state, reason: p.reason, lastError: p.lastError,
        uptimeSeconds: p.established ? Math.floor((this.clock.now() - p.establishedAt) / 1000) : 0, flaps: p.flaps,
        counters: structuredClone(p.counters),
        families: p.established && n ? FAMILIES.filter((f) => n.families[f.id]).map((f) => f.name) : [],
        holdTime: n?.holdTime ?? null, keepalive: n?.keepalive ?? null, remoteId: n?.remoteId ?? null, prefixes,
        gracefulRestart: { peerRestartTime: n?.peerGr?.time ?? null, staleRoutes: ps.staleCount },
        updateErrors: { ...ps.updateErrors },
      };
      if (p.config.description) info.description = p.config.description;
      return info;
    });
  }

  /**
   * RIB size figures for metrics: per family the Loc-RIB route count and the
   * paths held in all Adj-RIBs-In; interned attribute sets; bytes held by the
   * route tables (arenas + hash slots).
   */
  stats(): { families: Record<FamilyName, { bestPaths: number; receivedPaths: number; advertisedPaths: number }>; attrSets: number; ribBytes: number } {
    const families = {} as Record<FamilyName, { bestPaths: number; receivedPaths: number; advertisedPaths: number }>;
    let bytes = 0;
    for (const f of FAMILIES) {
      const loc = this.rib.loc[f.id]!;
      let received = 0, advertised = 0;
      for (const t of this.rib.adjIn) if (t) { received += t[f.id]!.count; bytes += t[f.id]!.bytes(); }
      for (const ps of this.peers.values()) { advertised += ps.adjOut[f.id]!.count; bytes += ps.adjOut[f.id]!.bytes(); }
      bytes += loc.bytes();
      families[f.name] = { bestPaths: loc.count, receivedPaths: received, advertisedPaths: advertised };
    }
    return { families, attrSets: this.rib.attrs.size, ribBytes: bytes };
  }

  /** Ask a neighbor to resend a family (RFC 2918 ROUTE-REFRESH). */
  refresh(address: string, family: FamilyName): void {
    const p = this.neighbor(address);
    if (!p) throw new Error(`no neighbor ${address}`);
    const f = familyOf(family);
    p.sendRouteRefresh(f.afi, f.safi);
  }

  // ---- routes ----------------------------------------------------------------------

  /**
   * Originate (or replace) a route in a family. `attrs.nextHop` is our next
   * hop for it (empty: the session's local address per peer). ORIGIN defaults
   * to IGP and AS_PATH to empty.
   */
  originate<F extends FamilyName>(family: F, route: RouteByFamily[F], attrs: PathAttrs = {}): void {
    const f = familyByName(family);
    f.nlri.toKD(route, this.kd);
    const a: PathAttrs = { origin: 0, asPath: [], ...structuredClone(attrs) };
    const set = this.rib.internLocal(a);
    this.rib.update(0, f.id, this.kd, 0, set.id);
    this.scheduleFlush();
  }

  /**
   * Advertise interest in route targets (RFC 4684 RT membership NLRI, origin
   * AS = ours). Returns the RTC routes originated.
   */
  importRouteTargets(rts: string[]): RouteByFamily['rtc'][] {
    return rts.map((rt) => {
      const r = { originAs: this.options.asn, routeTarget: normaliseRouteTarget(rt).slice(3), length: 96 };
      this.originate('rtc', r);
      return r;
    });
  }
  /** Stop advertising interest in route targets. */
  unimportRouteTargets(rts: string[]): void {
    for (const rt of rts) this.withdraw('rtc', { originAs: this.options.asn, routeTarget: normaliseRouteTarget(rt).slice(3), length: 96 });
  }

  /**
   * Desired-state neighbor reconciliation (config reload): neighbors not in
   * the list are removed, new ones added, changed ones replaced (session reset).
   * Returns what changed.
   */
  reconcileNeighbors(desired: NeighborOptions[]): { added: string[]; removed: string[]; replaced: string[] } {
    const want = new Map(desired.map((n) => [normalizeAddr(n.address), n]));
    const res = { added: [] as string[], removed: [] as string[], replaced: [] as string[] };
    for (const [addr, ps] of [...this.peers]) {
      const n = want.get(addr);
      if (!n) { this.removeNeighbor(addr); res.removed.push(addr); continue; }
      if (JSON.stringify(this.neighborOptions(n)) !== JSON.stringify(ps.peer.config)) {
        this.removeNeighbor(addr); this.addNeighbor(n); res.replaced.push(addr);
      }
    }
    for (const [addr, n] of want) if (!this.peers.has(addr)) { this.addNeighbor(n); res.added.push(addr); }
    return res;
  }

  /** Withdraw a locally originated route. Returns false if it was not originated. */
  withdraw<F extends FamilyName>(family: F, route: RouteByFamily[F]): boolean {
    const f = familyByName(family);
    f.nlri.toKD(route, this.kd);
    const ok = this.rib.withdraw(0, f.id, this.kd.buf, 0, this.kd.keyLen, 0);
    this.scheduleFlush();
    return ok;
  }

  /**
   * Best-path changes for a family, delivered in batches. Returns an
   * unsubscribe function. With `routeTargets`, a best path that carries none
   * of them is reported as `best: null` (the route is not for this importer).
   */
  subscribe<F extends FamilyName>(family: F, cb: (changes: BestPathChange<RouteByFamily[F]>[]) => void, opts: { routeTargets?: string[] } = {}): () => void {
    const set = this.subs[familyByName(family).id]!;
    let fn = cb as (c: BestPathChange[]) => void;
    if (opts.routeTargets) {
      const rts = new Set(opts.routeTargets.map(normaliseRouteTarget));
      const inner = fn;
      fn = (changes) => inner(changes.map((c) => (c.best && !hasRouteTarget(c.best.attrs, rts) ? { ...c, best: null } : c)));
    }
    set.add(fn);
    this.updateTracking();
    return () => { set.delete(fn); this.updateTracking(); };
  }

  /**
   * RIB contents. table `loc` (default): best paths; `in`: a neighbor's
   * Adj-RIB-In (all paths, stale marked); `out`: what we advertised to it.
   */
  routes<F extends FamilyName>(family: F, opts: { table?: 'loc' | 'in' | 'out'; neighbor?: string } = {}): RibEntry<RouteByFamily[F]>[] {
    return [...this.iterRoutes(family, opts)];
  }

  /**
   * The same entries as `routes`, produced lazily, for streaming RPCs over
   * large tables. The RIB must not change while the iterator is consumed
   * (consume it synchronously, or in batches within one event-loop turn).
   */
  *iterRoutes<F extends FamilyName>(family: F, opts: { table?: 'loc' | 'in' | 'out'; neighbor?: string } = {}): Generator<RibEntry<RouteByFamily[F]>> {
    const f = familyByName(family);
    const table = opts.table ?? 'loc';
    let t: RouteTable;
    let srcFixed = -1;
    if (table === 'loc') t = this.rib.loc[f.id]!;
    else {
      const ps = opts.neighbor === 'local' ? null : this.peers.get(normalizeAddr(opts.neighbor ?? ''));
      if (!ps && opts.neighbor !== 'local') throw new Error(`no neighbor ${opts.neighbor}`);
      if (table === 'in') { srcFixed = ps ? ps.peer.sourceIndex : 0; t = this.rib.adjIn[srcFixed]![f.id]!; }
      else { if (!ps) throw new Error('adj-rib-out needs a neighbor'); t = ps.adjOut[f.id]!; srcFixed = -2; }
    }
    for (const rec of t.records()) {
      const route = this.rib.routeOf(f, t, rec);
      const set = this.rib.attrs.get(t.attrId(rec));
      const src = table === 'loc' ? t.flags(rec) : srcFixed;
      const path: RibPath = { source: src === -2 ? 'local' : this.sourceName(src), nextHop: set.nextHop, attrs: set.attrs };
      if (table === 'in' && t.pathId(rec)) path.pathId = t.pathId(rec);
      if (table === 'in' && t.flags(rec) & FLAG_STALE) path.stale = true;
      yield { family: f.name, route, key: f.nlri.keyString(route), paths: [path] } as RibEntry<RouteByFamily[F]>;
    }
  }

  private sourceName(i: number): string { return i === 0 ? 'local' : this.rib.sources[i]?.name ?? `source-${i}`; }

  // ---- peer hooks --------------------------------------------------------------------

  private readonly hooks: PeerHooks = {
    localAs: 0,
    routerId: '',
    clock: systemClock,
    onEstablished: (p) => this.onEstablished(p),
    onDown: (p, graceful) => this.onDown(p, graceful),
    onUpdate: (p, buf, off, len) => this.onUpdate(p, buf, off, len),
    onRouteRefresh: (p, m) => this.onRouteRefresh(p, m),
    onStateChange: (p, from, to, reason) => this.emit('neighbor', { address: p.name, from, to, reason, lastError: p.lastError }),
    onBatch: (p) => this.onBatch(p),
  };

  private state(p: Peer): PeerState { return this.peers.get(p.name)!; }

  private onEstablished(p: Peer): void {
    const ps = this.state(p);
    const n = p.negotiated!;
    const src = this.rib.sources[p.sourceIndex]!;
    src.routerId = ipNum(n.remoteId);
    src.addPath = n.addPathRx.slice();
    ps.rtMember.clear(); ps.rtDefault = false; ps.rtcEorSeen = false;
    ps.outAttrs = new WeakMap();
    ps.packers = FAMILIES.map((f) => (n.families[f.id] ? new UpdatePacker(f, p.maxLen, n.addPathTx[f.id]!) : null));
    // Graceful restart (RFC 4724 §4.2): the peer is back.
    if (ps.grRestartTimer !== null) { this.clock.clearTimeout(ps.grRestartTimer); ps.grRestartTimer = null; }
    if (ps.staleCount > 0) {
      for (const f of FAMILIES) {
        const kept = n.peerGr?.families.some((x) => x.afi === f.afi && x.safi === f.safi && x.forwarding);
        if (!kept) this.sweep(ps, f.id);
      }
      if (ps.staleCount > 0) {
        ps.staleTimer = this.clock.setTimeout(() => { ps.staleTimer = null; this.sweep(ps); this.scheduleFlush(); }, p.config.gracefulRestart.staleRoutesTime * 1000);
      }
    }
    this.updateTracking();
    const rtc = familyOf('rtc');
    ps.deferVpn = !!n.families[rtc.id];
    // RFC 4684 §6: RT membership first, then End-of-RIB for RTC; VPN routes wait for the peer's RTC End-of-RIB.
    const order = [rtc, ...FAMILIES.filter((f) => f.name !== 'rtc')];
    for (const f of order) {
      if (!n.families[f.id]) continue;
      if (ps.deferVpn && f.vpn) continue;
      this.dumpFamily(ps, f);
    }
    this.flushPeer(ps);
    if (ps.deferVpn) {
      // RFC 4684 §6 deferral is bounded: a peer that never sends its RTC End-of-RIB gets the VPN routes after 10 s.
      ps.rtcTimer = this.clock.setTimeout(() => { ps.rtcTimer = null; if (ps.deferVpn && p.established) this.releaseVpn(ps); }, 10_000);
    }
  }

  private releaseVpn(ps: PeerState): void {
    ps.deferVpn = false;
    if (ps.rtcTimer !== null) { this.clock.clearTimeout(ps.rtcTimer); ps.rtcTimer = null; }
    for (const f of FAMILIES) if (f.vpn && ps.peer.negotiated?.families[f.id]) this.dumpFamily(ps, f);
    this.flushPeer(ps);
  }

  /** Export the whole Loc-RIB of a family to a peer, then End-of-RIB. */
  private dumpFamily(ps: PeerState, f: Family, eor = true): void {
    const loc = this.rib.loc[f.id]!;
    const kb = new KeyData();
    loc.forEach((rec) => {
      loc.load(rec, kb);
      this.exportKey(ps, f, kb.buf, 0, kb.keyLen);
    });
    if (eor) {
      this.flushPeer(ps);
      ps.peer.write(endOfRib(f.name));
    }
  }

  private onDown(p: Peer, graceful: boolean): void {
    const ps = this.state(p);
    this.clearAdjOut(ps);
    ps.packers = FAMILIES.map(() => null);
    if (ps.staleTimer !== null) { this.clock.clearTimeout(ps.staleTimer); ps.staleTimer = null; }
    if (ps.rtcTimer !== null) { this.clock.clearTimeout(ps.rtcTimer); ps.rtcTimer = null; }
    const gr = p.negotiated?.peerGr;
    if (graceful && gr && gr.families.length) {
      for (const f of FAMILIES) {
        if (gr.families.some((x) => x.afi === f.afi && x.safi === f.safi)) ps.staleCount += this.rib.markStale(p.sourceIndex, f.id);
        else this.rib.dropAll(p.sourceIndex, f.id);
      }
      if (ps.grRestartTimer !== null) this.clock.clearTimeout(ps.grRestartTimer);
      ps.grRestartTimer = this.clock.setTimeout(() => { ps.grRestartTimer = null; this.sweep(ps); this.scheduleFlush(); }, gr.time * 1000);
    } else {
      for (const f of FAMILIES) this.rib.dropAll(p.sourceIndex, f.id);
      ps.staleCount = 0;
    }
    this.updateTracking();
    this.scheduleFlush();
  }

  private sweep(ps: PeerState, f?: number): void {
    const n = this.rib.sweepStale(ps.peer.sourceIndex, f);
    ps.staleCount = Math.max(0, ps.staleCount - n);
    if (f === undefined) ps.staleCount = 0;
  }

  private onUpdate(p: Peer, buf: Buffer, off: number, len: number): void {
    const ps = this.state(p);
    const r = this.rib.ingestUpdate(p.sourceIndex, buf, off, len, p.ctx);
    if (r.eor) {
      if (ps.staleCount > 0) this.sweep(ps, r.eor.id);
      if (r.eor.name === 'rtc') { ps.rtcEorSeen = true; ps.rtcChanged = true; }
      this.emit('eor', { address: p.name, family: r.eor.name });
      return;
    }
    if (r.ignored) { ps.updateErrors.ignoredFamily++; this.emit('update-error', { address: p.name, action: 'ignored', reasons: [`NLRI of non-negotiated family ${r.ignored}`] }); }
    if (r.treatAsWithdraw) { ps.updateErrors.treatAsWithdraw++; this.emit('update-error', { address: p.name, action: 'treat-as-withdraw', reasons: r.treatAsWithdraw }); }
    else if (r.discarded) { ps.updateErrors.attributeDiscard++; this.emit('update-error', { address: p.name, action: 'attribute-discard', reasons: r.discarded }); }
    if (this.rib.scanFamilyIs('rtc')) ps.rtcChanged = true;
    const max = p.config.maxPrefix;
    if (max !== undefined && r.announced > 0 && this.rib.prefixCount(p.sourceIndex) > max) {
      const f = this.rib.lastFamily();
      p.maxPrefixExceeded(f.afi, f.safi);
    }
  }

  private onBatch(p: Peer): void {
    const ps = this.peers.get(p.name);
    if (ps?.rtcChanged && p.established) {
      ps.rtcChanged = false;
      this.recomputeRtMembership(ps);
      if (ps.deferVpn && ps.rtcEorSeen) this.releaseVpn(ps);
      else if (!ps.deferVpn) for (const f of FAMILIES) if (f.vpn && p.negotiated?.families[f.id]) this.dumpFamily(ps, f, false);
    }
    this.scheduleFlush();
  }

  private onRouteRefresh(p: Peer, m: RouteRefreshMessage): void {
    const f = Peer.familyOf(m.afi, m.safi);
    if (!f || !p.negotiated?.families[f.id]) return;
    const ps = this.state(p);
    if (m.subtype === 0) {
      // Re-advertise the whole family (RFC 2918 §4), bracketed by BoRR/EoRR if enhanced (RFC 7313 §4).
      const enhanced = p.negotiated.enhancedRouteRefresh;
      if (enhanced) p.sendRouteRefresh(f.afi, f.safi, 1);
      this.clearAdjOutFamily(ps, f.id);
      this.dumpFamily(ps, f, !enhanced);
      if (enhanced) { this.flushPeer(ps); p.sendRouteRefresh(f.afi, f.safi, 2); }
    } else if (m.subtype === 1) {
      ps.staleCount += this.rib.markStale(p.sourceIndex, f.id);
    } else if (m.subtype === 2) {
      this.sweep(ps, f.id);
      this.scheduleFlush();
    }
  }

  private recomputeRtMembership(ps: PeerState): void {
    const t = this.rib.adjIn[ps.peer.sourceIndex]![familyOf('rtc').id]!;
    ps.rtMember.clear(); ps.rtDefault = false;
    t.forEach((rec) => {
      const kl = t.keyLen(rec), ko = t.keyOff(rec);
      const bits = t.arena[ko]!;
      if (bits === 0) { ps.rtDefault = true; return; }
      if (bits === 96 && kl === 13) ps.rtMember.add(Buffer.from(t.arena.subarray(ko + 5, ko + 13)).toString('latin1'));
      else ps.rtMember.add(`prefix:${bits}:${Buffer.from(t.arena.subarray(ko + 5, ko + kl)).toString('latin1')}`);
    });
  }

  // ---- export ----------------------------------------------------------------------

  private allowed(ps: PeerState, f: Family, src: number, set: AttrSet): boolean {
    const p = ps.peer;
    if (src === p.sourceIndex) return false;
    if (src !== 0) {
      const from = this.rib.sources[src]!;
      if (!from.ebgp && !ps.ebgp) {
        const fromPeer = this.peers.get(from.name);
        if (!fromPeer?.peer.config.routeReflectorClient && !p.config.routeReflectorClient) return false;
      }
    }
    if (f.vpn && p.negotiated?.families[familyOf('rtc').id] && !ps.rtDefault) {
      // RFC 4684 §4: send only routes carrying an RT the peer asked for.
      let ok = false;
      for (const rt of set.rts) {
        if (ps.rtMember.has(rt)) { ok = true; break; }
        for (const m of ps.rtMember) {
          if (!m.startsWith('prefix:')) continue;
          const [, bitsS, bytes] = m.split(':', 3) as [string, string, string];
          const bits = Number(bitsS) - 32;
          if (prefixMatch(Buffer.from(rt, 'latin1'), Buffer.from(m.slice(8 + bitsS.length), 'latin1'), bits)) { ok = true; break; }
          void bytes;
        }
        if (ok) break;
      }
      if (!ok) return false;
    }
    return true;
  }

  /** Attributes as sent to this peer, cached per attribute set. */
  private outAttrs(ps: PeerState, f: Family, src: number, set: AttrSet): [Buffer, Buffer | null] {
    const cached = ps.outAttrs.get(set);
    const legacy = f.name === 'ipv4';
    const p = ps.peer;
    let nh = set.nextHop;
    const selfNh = !nh || ps.ebgp;
    if (selfNh) nh = p.localAddress;
    if ((f.name === 'ipv6' || f.name === 'vpnv6') && !nh.includes(':')) nh = `::ffff:${nh}`;
    const nhBytes = legacy && !nh.includes(':') ? null : encodeNextHop(f, set.linkLocal && !selfNh ? { nextHop: nh, linkLocal: set.linkLocal } : { nextHop: nh });
    if (cached) return [cached, nhBytes];
    const a: PathAttrs = { ...set.attrs };
    delete a.nextHop;
    if (legacy && !nhBytes) a.nextHop = nh;
    if (ps.ebgp) {
      a.asPath = prependAs(a.asPath ?? [], this.options.asn);
      delete a.localPref; delete a.originatorId; delete a.clusterList;
      if (src !== 0) delete a.med;
    } else {
      // RFC 4271 §5.1.5: LOCAL_PREF received from an eBGP peer is ignored; our default is 100.
      a.localPref = src !== 0 && this.rib.sources[src]!.ebgp ? 100 : (set.localPref ?? 100);
      if (src !== 0 && !this.rib.sources[src]!.ebgp) {
        // RFC 4456 §8: reflecting an iBGP route.
        a.originatorId = set.attrs.originatorId ?? numIp(this.rib.sources[src]!.routerId);
        a.clusterList = [this.rib.clusterId, ...(set.attrs.clusterList ?? [])];
      }
    }
    const bytes = encodePathAttrs(a, { as4: p.ctx.as4 });
    ps.outAttrs.set(set, bytes);
    return [bytes, nhBytes];
  }

  private exportKey(ps: PeerState, f: Family, kb: Uint8Array, ko: number, kl: number): void {
    const p = ps.peer;
    const packer = ps.packers[f.id];
    if (!p.established || !packer || (ps.deferVpn && f.vpn)) return;
    const loc = this.rib.loc[f.id]!;
    const adj = ps.adjOut[f.id]!;
    const slot = loc.find(kb, ko, kl, 0);
    if (slot >= 0) {
      const rec = loc.rec(slot);
      const src = loc.flags(rec);
      const set = this.rib.attrs.get(loc.attrId(rec));
      if (this.allowed(ps, f, src, set)) {
        const prev = adj.setRaw(kb, ko, kl, loc.arena, loc.dataOff(rec), loc.dataLen(rec), 0, set.id, 0);
        if (!adj.changed) return;
        if (prev !== set.id) { this.rib.attrs.ref(set.id); if (prev >= 0) this.rib.attrs.unref(prev); }
        const [attrs, nh] = this.outAttrs(ps, f, src, set);
        packer.announce(attrs, nh, loc.arena, loc.keyOff(rec), kl, loc.dataOff(rec), loc.dataLen(rec), 0);
        return;
      }
    }
    const aslot = adj.find(kb, ko, kl, 0);
    if (aslot < 0) return;
    const arec = adj.rec(aslot);
    packer.withdraw(adj.arena, adj.keyOff(arec), kl, adj.dataOff(arec), adj.dataLen(arec), 0);
    this.rib.attrs.unref(adj.deleteSlot(aslot));
  }

  private flushPeer(ps: PeerState): void {
    for (const pk of ps.packers) {
      if (!pk) continue;
      const msgs = pk.take();
      if (msgs.length) ps.peer.write(msgs.length === 1 ? msgs[0]! : Buffer.concat(msgs), msgs.length);
    }
  }

  private clearAdjOutFamily(ps: PeerState, f: number): void {
    const t = ps.adjOut[f]!;
    t.forEach((rec) => this.rib.attrs.unref(t.attrId(rec)));
    t.clear();
  }
  private clearAdjOut(ps: PeerState): void { for (let f = 0; f < FAMILIES.length; f++) this.clearAdjOutFamily(ps, f); }
  private clearPeerTimers(ps: PeerState): void {
    if (ps.grRestartTimer !== null) this.clock.clearTimeout(ps.grRestartTimer);
    if (ps.staleTimer !== null) this.clock.clearTimeout(ps.staleTimer);
    if (ps.rtcTimer !== null) this.clock.clearTimeout(ps.rtcTimer);
    ps.grRestartTimer = ps.staleTimer = ps.rtcTimer = null;
  }

  /** Decide, per family, whether best-path changes must be recorded (someone consumes them). */
  private updateTracking(): void {
    for (const f of FAMILIES) {
      const consumers = [...this.peers.values()].filter((ps) => ps.peer.established && ps.peer.negotiated?.families[f.id]);
      const subs = this.subs[f.id]!.size > 0;
      this.rib.track[f.id] = subs || consumers.length > 0;
      this.rib.soleConsumer[f.id] = !subs && consumers.length === 1 ? consumers[0]!.peer.sourceIndex : -1;
    }
  }

  scheduleFlush(): void {
    if (this.flushPending) return;
    this.flushPending = true;
    setImmediate(() => { this.flushPending = false; this.flush(); });
  }

  /** Push pending best-path changes to peers and subscribers now. */
  flush(): void {
    const kd = this.kd;
    for (const f of FAMILIES) {
      const dirty = this.rib.dirty[f.id]!;
      if (dirty.count === 0) continue;
      const targets = [...this.peers.values()].filter((ps) => ps.peer.established && ps.packers[f.id]);
      const subs = this.subs[f.id]!;
      const changes: BestPathChange[] = [];
      const loc = this.rib.loc[f.id]!;
      dirty.forEach((rec) => {
        const ko = dirty.keyOff(rec), kl = dirty.keyLen(rec);
        for (const ps of targets) this.exportKey(ps, f, dirty.arena, ko, kl);
        if (subs.size) {
          dirty.load(rec, kd);
          const slot = loc.find(kd.buf, 0, kd.keyLen, 0);
          let route: AnyRoute; let best: RibPath | null = null;
          if (slot >= 0) {
            const lrec = loc.rec(slot);
            route = this.rib.routeOf(f, loc, lrec);
            const set = this.rib.attrs.get(loc.attrId(lrec));
            best = { source: this.sourceName(loc.flags(lrec)), nextHop: set.nextHop, attrs: set.attrs };
          } else route = f.nlri.fromKD(Buffer.from(kd.key), Buffer.alloc(0));
          changes.push({ family: f.name, route, key: f.nlri.keyString(route), best });
        }
      });
      dirty.clear();
      for (const cb of subs) cb(changes);
    }
    for (const ps of this.peers.values()) if (ps.peer.established) this.flushPeer(ps);
  }
}

function prependAs(path: NonNullable<PathAttrs['asPath']>, asn: number): NonNullable<PathAttrs['asPath']> {
  const first = path[0];
  if (first && first.type === 'seq' && first.asns.length < 255) return [{ type: 'seq', asns: [asn, ...first.asns] }, ...path.slice(1)];
  return [{ type: 'seq', asns: [asn] }, ...path];
}
function prefixMatch(rt: Buffer, pfx: Buffer, bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const m = 0x80 >> (i & 7);
    if ((rt[i >> 3]! & m) !== (pfx[i >> 3]! & m)) return false;
  }
  return true;
}
function ipNum(s: string): number { return Buffer.from(ipv4ToBytes(s)).readUInt32BE(0); }
function numIp(n: number): string { return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'); }
function normalizeAddr(a: string): string { return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a; }
function addrKey(a: string): string { return a.includes(':') ? `6${a}` : `4${a.split('.').map((x) => x.padStart(3, '0')).join('.')}`; }
export { isRouteTarget };
