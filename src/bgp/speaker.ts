/**
 * BgpSpeaker: the embedded BGP speaker the rest of the controller uses.
 *
 * This file is the facade: the listening socket, adding and removing
 * neighbors (each a session, src/bgp/peer.ts), originating and withdrawing
 * routes in the RIB (src/bgp/rib/), subscriptions and read-only views. The
 * routing concerns live in src/bgp/speaker/, one module each:
 *
 *   export-policy.ts     what goes to which peer: split horizon, iBGP/eBGP attribute rewriting, next hop self
 *   reflection.ts        RFC 4456 route reflection (client rules, ORIGINATOR_ID, CLUSTER_LIST)
 *   rt-constraint.ts     RFC 4684 RT membership tracking and filtering
 *   graceful-restart.ts  RFC 4724 helper: stale marking, restart / stale timers, End-of-RIB sweep
 *   route-refresh.ts     RFC 2918 / RFC 7313 (enhanced) route refresh
 *   advertise.ts         the Adj-RIB-Out per peer and family, table dumps, End-of-RIB (RFC 4724 §2)
 *   distribute.ts        best-path changes to peers and subscribers
 *   peer-events.ts       session events wired to the above (incl. RFC 4486 max-prefix)
 *   neighbor.ts, rib-view.ts, types.ts, context.ts (see context.ts for the layering)
 *
 * All state changes run on the Node event loop, one message batch at a time;
 * best-path changes are flushed to peers and subscribers in batches
 * (setImmediate after each received batch or API call).
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { FAMILIES, familyByName, type FamilyName, type RouteByFamily } from './codec/family.js';
import type { PathAttrs } from './codec/attr/types.js';
import { KeyData } from './codec/nlri/types.js';
import { hasRouteTarget, normaliseRouteTarget } from './policy.js';
import { systemClock, type Clock } from '../util/clock.js';
import { Peer, type PeerConfig, type PeerHooks } from './peer.js';
import { Rib } from './rib/rib.js';
import { clearAdjOut } from './speaker/advertise.js';
import { newPeerState, type PeerState, type SpeakerContext, type Subscriber } from './speaker/context.js';
import { flushBestPaths, updateTracking } from './speaker/distribute.js';
import { clearGrTimers } from './speaker/graceful-restart.js';
import { addrKey, neighborConfig, neighborInfo, normalizeAddr } from './speaker/neighbor.js';
import { peerHooks } from './speaker/peer-events.js';
import { iterRoutes, ribStats, tableSize, type FamilyStats, type RibTableName } from './speaker/rib-view.js';
import { requestRefresh } from './speaker/route-refresh.js';
import { clearRtcTimer, rtMembershipRoute } from './speaker/rt-constraint.js';
import { scopeKey } from './speaker/vrf-scope.js';
import type { BestPathChange, NeighborInfo, NeighborOptions, RibEntry, SpeakerOptions } from './speaker/types.js';

export type { SpeakerOptions, NeighborOptions, RibPath, RibEntry, BestPathChange, NeighborInfo } from './speaker/types.js';

export class BgpSpeaker extends EventEmitter {
  readonly rib: Rib;
  readonly clock: Clock;
  private server: net.Server | null = null;
  private peers = new Map<string, PeerState>();
  private subs: Array<Set<Subscriber>> = FAMILIES.map(() => new Set());
  private flushPending = false;
  private readonly kd = new KeyData();
  private readonly scopes = new Map<string, string>();
  private readonly ctx: SpeakerContext;
  private readonly hooks: PeerHooks;
  listenPort = 0;

  constructor(readonly options: SpeakerOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.rib = new Rib(options.asn, options.routerId, options.clusterId ?? options.routerId);
    this.ctx = {
      options, rib: this.rib, clock: this.clock, peers: this.peers, subs: this.subs, kd: this.kd, scopes: this.scopes,
      scheduleFlush: () => this.scheduleFlush(),
      emit: (event, payload) => { this.emit(event, payload); },
    };
    this.hooks = peerHooks(this.ctx);
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
    const cfg = neighborConfig(n);
    if (cfg.holdTime !== 0 && cfg.holdTime < 3) throw new RangeError('hold time must be 0 or >= 3 seconds');
    return this.addPeer(cfg);
  }

  private addPeer(cfg: PeerConfig): Peer {
    const address = cfg.address;
    const peer = new Peer(cfg, this.hooks, !!this.options.allowLoopbackNextHop);
    peer.sourceIndex = this.rib.nextSourceIndex();
    const ebgp = cfg.peerAs !== this.options.asn;
    this.rib.addSource({ index: peer.sourceIndex, name: address, ebgp, routerId: 0, addressKey: addrKey(address), addPath: FAMILIES.map(() => false) });
    this.peers.set(address, newPeerState(peer, ebgp));
    if (this.server || this.options.listenPort === false) peer.start();
    return peer;
  }

  removeNeighbor(address: string, message?: string): void {
    const ps = this.peers.get(normalizeAddr(address));
    if (!ps) return;
    ps.peer.stop(message);
    this.clearPeerTimers(ps);
    clearAdjOut(this.ctx, ps);
    this.rib.removeSource(ps.peer.sourceIndex);
    this.peers.delete(ps.peer.name);
    updateTracking(this.ctx);
    this.scheduleFlush();
  }

  private clearPeerTimers(ps: PeerState): void {
    clearGrTimers(this.clock, ps.gr);
    clearRtcTimer(this.clock, ps.rtc);
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
      if (JSON.stringify(neighborConfig(n)) !== JSON.stringify(ps.peer.config)) {
        this.removeNeighbor(addr); this.addNeighbor(n); res.replaced.push(addr);
      }
    }
    for (const [addr, n] of want) if (!this.peers.has(addr)) { this.addNeighbor(n); res.added.push(addr); }
    return res;
  }

  neighbor(address: string): Peer | undefined { return this.peers.get(normalizeAddr(address))?.peer; }

  neighbors(): NeighborInfo[] {
    return [...this.peers.values()].map((ps) => neighborInfo(this.rib, this.clock, ps));
  }

  /** Ask a neighbor to resend a family (RFC 2918 ROUTE-REFRESH). */
  refresh(address: string, family: FamilyName): void {
    const p = this.neighbor(address);
    if (!p) throw new Error(`no neighbor ${address}`);
    requestRefresh(p, family);
  }

  // ---- routes ----------------------------------------------------------------------

  /**
   * Originate (or replace) a route in a family. `attrs.nextHop` is our next
   * hop for it (empty: the session's local address per peer). ORIGIN defaults
   * to IGP and AS_PATH to empty. With `vrf`, the route goes only to the
   * neighbors bound to that VRF (speaker/vrf-scope.ts).
   */
  originate<F extends FamilyName>(family: F, route: RouteByFamily[F], attrs: PathAttrs = {}, opts: { vrf?: string } = {}): void {
    const f = familyByName(family);
    f.nlri.toKD(route, this.kd);
    const sk = scopeKey(f.id, this.kd.buf, 0, this.kd.keyLen);
    if (opts.vrf !== undefined) this.scopes.set(sk, opts.vrf);
    else this.scopes.delete(sk);
    const a: PathAttrs = { origin: 0, asPath: [], ...structuredClone(attrs) };
    const set = this.rib.internLocal(a);
    this.rib.update(0, f.id, this.kd, 0, set.id);
    this.scheduleFlush();
  }

  /** Withdraw a locally originated route. Returns false if it was not originated. */
  withdraw<F extends FamilyName>(family: F, route: RouteByFamily[F]): boolean {
    const f = familyByName(family);
    f.nlri.toKD(route, this.kd);
    const ok = this.rib.withdraw(0, f.id, this.kd.buf, 0, this.kd.keyLen, 0);
    if (ok && this.scopes.size) this.scopes.delete(scopeKey(f.id, this.kd.buf, 0, this.kd.keyLen));
    this.scheduleFlush();
    return ok;
  }

  /**
   * Advertise interest in route targets (RFC 4684 RT membership NLRI, origin
   * AS = ours). Returns the RTC routes originated.
   */
  importRouteTargets(rts: string[]): RouteByFamily['rtc'][] {
    return rts.map((rt) => {
      const r = rtMembershipRoute(this.options.asn, rt);
      this.originate('rtc', r);
      return r;
    });
  }
  /** Stop advertising interest in route targets. */
  unimportRouteTargets(rts: string[]): void {
    for (const rt of rts) this.withdraw('rtc', rtMembershipRoute(this.options.asn, rt));
  }

  /**
   * Best-path changes for a family, delivered in batches. Returns an
   * unsubscribe function. With `routeTargets`, a best path that carries none
   * of them is reported as `best: null` (the route is not for this importer).
   */
  subscribe<F extends FamilyName>(family: F, cb: (changes: BestPathChange<RouteByFamily[F]>[]) => void, opts: { routeTargets?: string[] } = {}): () => void {
    const set = this.subs[familyByName(family).id]!;
    let fn = cb as Subscriber;
    if (opts.routeTargets) {
      const rts = new Set(opts.routeTargets.map(normaliseRouteTarget));
      const inner = fn;
      // attribute sets are interned: one test per set, not per route
      const ours = new WeakMap<object, boolean>();
      const imported = (attrs: PathAttrs): boolean => {
        let v = ours.get(attrs);
        if (v === undefined) ours.set(attrs, (v = hasRouteTarget(attrs, rts)));
        return v;
      };
      fn = (changes) => inner(changes.map((c) => (c.best && !imported(c.best.attrs) ? { family: c.family, route: c.route, key: c.key, best: null } : c)));
    }
    set.add(fn);
    updateTracking(this.ctx);
    return () => { set.delete(fn); updateTracking(this.ctx); };
  }

  /**
   * RIB contents. table `loc` (default): best paths; `in`: a neighbor's
   * Adj-RIB-In (all paths, stale marked); `out`: what we advertised to it.
   */
  routes<F extends FamilyName>(family: F, opts: { table?: RibTableName; neighbor?: string } = {}): RibEntry<RouteByFamily[F]>[] {
    return [...this.iterRoutes(family, opts)];
  }

  /**
   * The same entries as `routes`, produced lazily, for streaming RPCs over
   * large tables. The RIB must not change while the iterator is consumed
   * (consume it synchronously, or in batches within one event-loop turn).
   */
  iterRoutes<F extends FamilyName>(family: F, opts: { table?: RibTableName; neighbor?: string } = {}): Generator<RibEntry<RouteByFamily[F]>> {
    return iterRoutes(this.ctx, family, opts);
  }

  /**
   * RIB size figures for metrics: per family the Loc-RIB route count and the
   * paths held in all Adj-RIBs-In; interned attribute sets; bytes held by the
   * route tables (arenas + hash slots).
   */
  stats(): { families: FamilyStats; attrSets: number; ribBytes: number } { return ribStats(this.ctx); }
  /** Destinations and paths of one table view, without decoding a route (GoBGP's GetTable). */
  tableSize(family: FamilyName, opts: { table?: RibTableName; neighbor?: string } = {}): { destinations: number; paths: number } { return tableSize(this.ctx, family, opts); }

  // ---- best-path flush ---------------------------------------------------------------

  scheduleFlush(): void {
    if (this.flushPending) return;
    this.flushPending = true;
    setImmediate(() => { this.flushPending = false; this.flush(); });
  }

  /** Push pending best-path changes to peers and subscribers now. */
  flush(): void { flushBestPaths(this.ctx); }
}

export { isRouteTarget } from './codec/extcomm/index.js';
