// The controller: owns the dataplane, the running config and the route sets
// of every origin.  Usable as a library (no daemon needed): construct it with
// a config and a logger, `start`, `apply` configs, `setRoutes` of an owned
// origin, `close`.
//
// Every change — a reload, an API edit, a route set replaced by its owner
// (the API, later the BGP speaker) — goes through one queue (`serialize`), so
// none interleave half-applied and each starts from the state the previous
// one left (GoBGP's management channel).
//
// Config is desired state: applying one diffs it against the running config
// (reconcile.ts), replaces the config-derived route sets (config-routes.ts)
// and pushes each VRF's merged FIB (route-sets.ts) to the dataplane, which
// applies only the difference.  Routes of the `api` and `bgp` origins survive
// a reload; only their owner replaces them.
//
// Also in the queue: an API edit written back to the config file after it is
// applied (`persistence`, config-persist.ts), and af-packet ports attached or
// detached as their interface comes and goes (`presence`, port-presence.ts).
import { Dataplane, type MacEvent, type Route } from '../dataplane/index.js';
import type { BgpSpeaker } from '../bgp/index.js';
import type { Logger } from '../util/logger.js';
import { reconcileSpeaker, startSpeaker } from './bgp.js';
import type { Config, PortConfig } from './config.js';
import type { ConfigPersistence } from './config-persist.js';
import { BondControl } from './bonds.js';
import { PortPresence } from './port-presence.js';
import { workerPolling } from './polling.js';
import { configRouteSets } from './config-routes.js';
import { EvpnControl } from './evpn.js';
import { HostSide } from './host-side.js';
import { StpControl } from './stp.js';
import { ImportFib } from './import-fib.js';
import { L3vpnControl } from './l3vpn.js';
import { portSpec, reconcile, ReconcileError, setNeighbors, type ApplySummary } from './reconcile.js';
import { UnicastVrfs } from '../vpn/unicast.js';
import { canonical, RouteSetError, RouteSets, isConfigOrigin, type ConfigOrigin, type Origin, type OwnedOrigin } from './route-sets.js';

export type { ApplySummary } from './reconcile.js';

/** What a route change did to a VRF's FIB. */
export interface RouteChange {
  added: number;
  removed: number;
  changed: number;
}

export class Controller {
  readonly dataplane: Dataplane;
  private config: Config;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly routeSets = new RouteSets();
  readonly startedAt = Date.now();
  /** The embedded BGP speaker, when the config has a `bgp:` section. */
  bgp: BgpSpeaker | null = null;
  /** EVPN instances and the local VTEP (evpn.ts). */
  readonly evpn: EvpnControl;
  /** IP-VPN services and our PE (l3vpn.ts). */
  readonly l3vpn: L3vpnControl;
  /** The host side of the VRFs' host interfaces (host-side.ts). */
  private readonly hostSide: HostSide;
  /** VRFs bound to upstream eBGP neighbors: host routes out, unicast in (src/vpn/unicast.ts). */
  unicast: UnicastVrfs | null = null;
  /** Writes live (API) changes back to the config file; null: they live until the next reload. */
  persistence: ConfigPersistence | null = null;
  /** af-packet ports whose interface is missing, attached and detached on link events (port-presence.ts). */
  readonly presence: PortPresence;
  /** Spanning tree bridges (stp.ts). */
  readonly stp: StpControl;

  /** LACP bonds (bonds.ts) */
  readonly bonds: BondControl;

  constructor(config: Config, readonly log: Logger) {
    this.config = { ...config, bridges: [], vrfs: [], ports: [], bonds: [], vtep: null, evpn: [], stp: [], pe: null, l3vpn: [] };
    this.dataplane = new Dataplane({ workers: config.workers, agingSeconds: config.agingSeconds });
    const maclog = log.child({ module: 'fdb' });
    this.dataplane.on('mac', (events: MacEvent[]) => {
      for (const e of events) {
        if (e.kind === 'overflow') maclog.warn({ lost: e.lost }, 'MAC event ring overflow');
        else maclog.debug(e, `mac ${e.kind}`);
      }
      this.evpn.onMac(events);
    });
    this.dataplane.on('port-fallback', (port: string, reason: string) =>
      log.warn({ module: 'ports', port, reason }, `port ${port}: AF_XDP could not attach, running on AF_PACKET`));
    this.evpn = new EvpnControl(this.dataplane, (fn) => this.serialize(fn), log);
    // imported VPN routes: sources of the `bgp` origin, written from inside the queue (the importer runs there)
    const fib = new ImportFib(this.routeSets, this.dataplane, () => this.usable(), (vrf) => this.config.vrfs.some((v) => v.name === vrf));
    this.l3vpn = new L3vpnControl(this.dataplane, (fn) => this.serialize(fn), fib, log);
    this.hostSide = new HostSide(log);
    this.stp = new StpControl(this.dataplane, (fn) => this.serialize(fn), log);
    this.bonds = new BondControl(this.dataplane, log);
    this.bonds.onBondState = (bond, up) => void this.serialize(() => this.evpn.onBondState(bond, up));
    this.bonds.onBondPartner = (bond, partner) => void this.serialize(() => this.evpn.onBondPartner(bond, partner));
    this.evpn.bondUp = (bond) => this.bonds.isUp(bond);
    this.evpn.bondPartner = (bond) => this.bonds.partnerOf(bond);
    this.presence = new PortPresence(
      {
        running: () => this.config,
        inDataplane: (name) => this.dataplane.hasPort(name),
        attach: (p) => this.attachPort(p),
        detach: (p) => this.detachPort(p),
        serialize: (fn) => this.serialize(fn),
      },
      log,
    );
  }

  get running(): Config {
    return this.config;
  }

  /** Runs control changes one at a time, in order. */
  serialize<T>(fn: () => T | Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  start(config: Config): ApplySummary {
    this.presence.watch(); // before the first apply: an interface created meanwhile is not missed
    this.bonds.watchLinks();
    const summary = this.applyNow(config);
    this.dataplane.start();
    return summary;
  }

  apply(config: Config): Promise<ApplySummary> {
    return this.serialize(() => this.applyNow(config));
  }

  /** Builds the next config from the running one inside the control queue and
   *  applies it (the API's live changes): two concurrent changes, or a change
   *  and a reload, never start from the same running config and lose one. */
  update(build: (running: Config) => Config, after?: (running: Config) => void): Promise<ApplySummary> {
    return this.serialize(() => {
      const s = this.applyNow(build(this.config));
      after?.(this.config); // still in the queue: e.g. the change written to the config file
      return s;
    });
  }

  /** Replaces the `origin` set of `vrf` with `routes` (queued); the merged FIB
   *  is pushed to the dataplane.  Only an owner's origin (api, bgp): the
   *  config-derived ones change by applying a config. */
  setRoutes(origin: OwnedOrigin, vrf: string, routes: Route[]): Promise<RouteChange> {
    return this.serialize(() => this.changeRoutes(origin, vrf, () => this.routeSets.replace(vrf, origin, routes.map(canonicalRoute))));
  }

  /** Adds (or replaces) `put` and removes the `withdraw` prefixes in the `origin`
   *  set of `vrf` (queued): the incremental form, for BGP churn. */
  updateRoutes(origin: OwnedOrigin, vrf: string, change: { put?: Route[]; withdraw?: string[] }): Promise<RouteChange> {
    return this.serialize(() => this.updateOwned(origin, vrf, (change.put ?? []).map(canonicalRoute), (change.withdraw ?? []).map(canonical)));
  }

  /** The routes of one origin in `vrf` (what its owner gave, installed or not). */
  routes(origin: Origin, vrf: string): Route[] {
    return this.routeSets.routes(vrf, origin);
  }

  /** Applies the difference between the running config and `next`. */
  private applyNow(next: Config): ApplySummary {
    const cur = this.config;
    let s: ApplySummary;
    this.evpn.before(cur, next);
    this.l3vpn.before(cur, next);
    this.bonds.before(cur, next);
    try {
      s = reconcile(this.dataplane, cur, next, (p) => this.presence.present(p));
    } catch (e) {
      if (!(e instanceof ReconcileError)) throw e;
      this.config = e.applied;
      this.presence.prune(e.applied);
      throw e.error;
    }
    this.presence.prune(next);
    this.applyPolling(next);
    this.stp.sync(next);
    this.bonds.after(next);
    this.applyConfigRoutes(cur, next);
    try {
      this.evpn.after(next, this.bgp);
      this.l3vpn.after(next, this.bgp);
      this.hostSide.apply(next, s);
    } catch (e) {
      this.config = next; // the rest is applied; the VTEP and host interfaces are retried by the next apply
      throw e;
    }
    if (this.bgp) reconcileSpeaker(this.bgp, cur, next, this.log.child({ module: 'bgp' }));
    this.unicast?.apply(next);
    this.config = next;
    this.log.info({ module: 'controller', ...s }, 'config applied');
    return s;
  }

  /** dataplane.polling: every worker's mode and budget (cheap, idempotent: set on every apply). */
  private applyPolling(next: Config): void {
    for (let w = 0; w < this.dataplane.workerHeartbeats().length; w++) {
      const p = workerPolling(next.polling, w);
      this.dataplane.setPolling(w, p.mode, p.budgetUs, p.budgetMaxUs, p.napUs);
    }
  }

  /** Step 4 of a config change: the config-derived route sets of every VRF
   *  are replaced (the other origins' are kept) and each FIB pushed. */
  private applyConfigRoutes(cur: Config, next: Config): void {
    const nextVrfs = new Set(next.vrfs.map((v) => v.name));
    for (const v of cur.vrfs) if (!nextVrfs.has(v.name)) this.routeSets.dropVrf(v.name);
    for (const v of next.vrfs) {
      const sets = configRouteSets(next, v.name);
      for (const origin of Object.keys(sets) as ConfigOrigin[]) this.routeSets.replace(v.name, origin, sets[origin]);
      const r = this.pushRoutes(v.name);
      if (r.added || r.removed || r.changed) this.log.info({ module: 'routes', vrf: v.name, ...r }, 'routes applied');
    }
  }

  /** Runs `edit` on the route sets of `vrf` and pushes its FIB; restores the
   *  sets (and the FIB) if the dataplane refuses. */
  private changeRoutes(origin: Origin, vrf: string, edit: () => void): RouteChange {
    if (isConfigOrigin(origin)) throw new RouteSetError(`origin ${origin}: its routes come from the config (apply a config to change them)`);
    if (!this.config.vrfs.some((v) => v.name === vrf)) throw new RouteSetError(`vrf: no vrf named '${vrf}'`);
    const before = this.routeSets.snapshot(vrf);
    edit();
    try {
      const r = this.pushRoutes(vrf);
      if (r.added || r.removed || r.changed) this.log.debug({ module: 'routes', vrf, origin, ...r }, 'routes applied');
      return r;
    } catch (e) {
      this.routeSets.restore(vrf, before);
      this.pushRoutes(vrf);
      throw e;
    }
  }

  /** The incremental form of changeRoutes (BGP churn, API updates): `put` and
   *  `withdraw` edit the `origin` set in place, and only the prefixes they
   *  touch are decided again (the winning origin's route, or none) and written
   *  to the FIB.  The cost is that of the change, not of the table. */
  private updateOwned(origin: OwnedOrigin, vrf: string, put: Route[], withdraw: string[]): RouteChange {
    if (!this.config.vrfs.some((v) => v.name === vrf)) throw new RouteSetError(`vrf: no vrf named '${vrf}'`);
    const undo = this.routeSets.edit(vrf, origin, put, withdraw);
    const usable = this.usable();
    const install: Route[] = [];
    const remove: string[] = [];
    for (const prefix of new Set([...withdraw, ...put.map((r) => r.prefix)])) {
      const r = this.routeSets.winner(vrf, prefix, usable);
      if (r) install.push(r);
      else remove.push(prefix);
    }
    try {
      const r = this.dataplane.updateRoutes(vrf, install, remove);
      if (r.added || r.removed || r.changed) this.log.debug({ module: 'routes', vrf, origin, ...r }, 'routes applied');
      return r;
    } catch (e) {
      undo();
      this.pushRoutes(vrf);
      throw e;
    }
  }

  /** Whether a route's next hops can be installed now (their ports exist), cached per next-hop array. */
  private usable(): (r: Route) => boolean {
    const dp = this.dataplane;
    const checked = new Map<Route['nexthops'], boolean>();
    return (r: Route) => {
      let ok = checked.get(r.nexthops);
      if (ok === undefined) checked.set(r.nexthops, (ok = r.nexthops.every((n) => !('port' in n) || dp.hasPort(n.port))));
      return ok;
    };
  }

  /** Makes the FIB of `vrf` the merge of its route sets. */
  private pushRoutes(vrf: string): RouteChange {
    return this.dataplane.setRoutes(vrf, this.routeSets.merged(vrf, this.usable()));
  }

  /** Starts the BGP speaker of the running config (listens, connects neighbors). */
  async startBgp(): Promise<void> {
    const c = this.config.bgp;
    if (!c || this.bgp) return;
    this.bgp = await startSpeaker(this.config, this.log.child({ module: 'bgp' }));
    await this.serialize(() => {
      this.evpn.after(this.config, this.bgp);
      this.l3vpn.after(this.config, this.bgp);
      this.unicast = new UnicastVrfs(this.bgp!, this, this.log.child({ module: 'unicast' }));
      this.unicast.apply(this.config);
    });
  }

  async stopBgp(): Promise<void> {
    await this.serialize(() => {
      this.evpn.stop();
      this.l3vpn.stop();
      this.unicast?.close();
      this.unicast = null;
    });
    await this.bgp?.stop();
    this.bgp = null;
  }

  /** A port whose interface appeared (port-presence.ts): into the dataplane, its routes pushed. */
  private attachPort(p: PortConfig): void {
    this.dataplane.addPort(portSpec(p, this.config));
    setNeighbors(this.dataplane, p);
    if (p.vrf) this.pushRoutes(p.vrf);
    this.stp.sync(this.config);
  }

  /** A port whose interface went: out of the dataplane, the routes through it withdrawn. */
  private detachPort(p: PortConfig): void {
    this.dataplane.removePort(p.name);
    if (p.vrf) this.pushRoutes(p.vrf);
    this.stp.sync(this.config);
  }

  close(): void {
    this.stp.close();
    this.bonds.close();
    this.presence.close();
    this.dataplane.close();
  }
}

function canonicalRoute(r: Route): Route {
  const prefix = canonical(r.prefix);
  return prefix === r.prefix ? r : { ...r, prefix };
}
