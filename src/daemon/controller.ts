// The controller: owns the dataplane and the desired config.  Config is
// desired state: apply() diffs the running config against the new one and
// changes only what differs (bridges, ports, VLAN membership, ageing), so
// traffic on unchanged ports is not disturbed.  Every change, from a reload or
// the API, goes through one queue (`serialize`) so none interleave half-applied.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { BgpSpeaker, speakerOptionsFromConfig } from '../bgp/index.js';
import { Dataplane, type MacEvent, type PortSpec, type Route } from '../dataplane/index.js';
import { formatIp, formatPrefix, maskBytes, parsePrefix } from '../util/ip.js';
import type { Logger } from './logger.js';
import { type Config, type PortConfig } from './config.js';

/** Our MAC on a routed/vm port: configured, else (af-packet) a locally
 *  administered MAC derived from the interface's own, else one derived from
 *  the port name.  Not the interface's own MAC: frames to that one also climb
 *  the host kernel's IP stack (ip_rcv, a route lookup, a drop) on every routed
 *  packet — in the routed benchmark that took ~18% of the sending CPU — while
 *  frames to another MAC are dropped at once as PACKET_OTHERHOST.  The port is
 *  promiscuous, so it receives them. */
export function routerMac(p: PortConfig): string {
  if (p.mac) return p.mac;
  let seed = `hvswitch:${p.name}`;
  if (p.backend === 'af-packet') {
    try {
      seed = `hvswitch-router:${readFileSync(`/sys/class/net/${p.name}/address`, 'utf8').trim()}`;
    } catch {
      /* fall through: derived from the name */
    }
  }
  const h = createHash('sha256').update(seed).digest();
  return ['02', ...[...h.subarray(0, 5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** The routes a VRF gets: connected and local ones from its ports, VM host
 *  routes, the VM gateway addresses, and the configured static routes. */
export function vrfRoutes(config: Config, vrf: string): Route[] {
  const routes = new Map<string, Route>();
  const put = (prefix: string, r: Omit<Route, 'prefix'>) => routes.set(prefix, { prefix, ...r });
  const v = config.vrfs.find((x) => x.name === vrf);
  for (const r of v?.routes ?? []) {
    if (r.type === 'blackhole') put(r.prefix, { origin: 'static', nexthops: [{ kind: 'drop' }] });
    else if (r.type === 'unreachable') put(r.prefix, { origin: 'static', nexthops: [{ kind: 'reject' }] });
    else put(r.prefix, { origin: 'static', nexthops: r.via.map((x) => ({ kind: 'gateway' as const, port: x.port, gw: x.gw })) });
  }
  let vmPorts = false;
  for (const p of config.ports) {
    if (p.vrf !== vrf) continue;
    for (const a of p.addresses) {
      const pr = parsePrefix(a, true)!;
      const host = `${formatIp(pr.bytes)}/${pr.af === 4 ? 32 : 128}`;
      if (p.mode === 'vm') {
        put(host, { origin: 'vm', nexthops: [{ kind: 'mac', port: p.name, mac: p.vmMac! }] });
        vmPorts = true;
      } else if (p.mode === 'routed') {
        put(formatPrefix({ ...pr, bytes: maskBytes(pr.bytes, pr.plen) }), { origin: 'connected', nexthops: [{ kind: 'connected', port: p.name }] });
        put(host, { origin: 'local', nexthops: [{ kind: 'local' }] });
      }
    }
  }
  if (vmPorts) {
    put('169.254.0.1/32', { origin: 'local', nexthops: [{ kind: 'local' }] });
    put('fe80::1/128', { origin: 'local', nexthops: [{ kind: 'local' }] });
  }
  return [...routes.values()];
}

function samePort(a: PortConfig, b: PortConfig): boolean {
  return (
    a.bridge === b.bridge &&
    a.vrf === b.vrf &&
    a.addresses.join(',') === b.addresses.join(',') &&
    a.mac === b.mac &&
    a.vmMac === b.vmMac &&
    a.mode === b.mode &&
    a.vlan === b.vlan &&
    a.macLimit === b.macLimit &&
    a.allowedVlans.join(',') === b.allowedVlans.join(',')
  );
}

function needsReopen(a: PortConfig, b: PortConfig): boolean {
  return a.backend !== b.backend || a.mtu !== b.mtu;
}

export interface ApplySummary {
  bridgesAdded: string[];
  bridgesRemoved: string[];
  portsAdded: string[];
  portsRemoved: string[];
  portsChanged: string[];
}

export class Controller {
  readonly dataplane: Dataplane;
  private config: Config;
  private queue: Promise<unknown> = Promise.resolve();
  readonly startedAt = Date.now();

  constructor(config: Config, readonly log: Logger) {
    this.config = { ...config, bridges: [], vrfs: [], ports: [] };
    this.dataplane = new Dataplane({ workers: config.workers, agingSeconds: config.agingSeconds });
    const maclog = log.child({ module: 'fdb' });
    this.dataplane.on('mac', (events: MacEvent[]) => {
      for (const e of events) {
        if (e.kind === 'overflow') maclog.warn({ lost: e.lost }, 'MAC event ring overflow');
        else maclog.debug(e, `mac ${e.kind}`);
      }
    });
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
  update(build: (running: Config) => Config): Promise<ApplySummary> {
    return this.serialize(() => this.applyNow(build(this.config)));
  }

  /** Applies the difference between the running config and `next`. */
  private applyNow(next: Config): ApplySummary {
    const cur = this.config;
    const s: ApplySummary = { bridgesAdded: [], bridgesRemoved: [], portsAdded: [], portsRemoved: [], portsChanged: [] };
    const dp = this.dataplane;
    const curPorts = new Map(cur.ports.map((p) => [p.name, p]));
    const nextPorts = new Map(next.ports.map((p) => [p.name, p]));
    const nextBridges = new Map(next.bridges.map((b) => [b.name, b]));
    const curBridges = new Map(cur.bridges.map((b) => [b.name, b]));
    const nextVrfs = new Set(next.vrfs.map((v) => v.name));
    const curVrfs = new Set(cur.vrfs.map((v) => v.name));
    if (next.agingSeconds !== cur.agingSeconds) dp.setAging(next.agingSeconds);
    // A bridge whose size changed is rebuilt: detach its ports first.
    const rebuilt = new Set(
      next.bridges.filter((b) => curBridges.has(b.name) && curBridges.get(b.name)!.maxMacs !== b.maxMacs).map((b) => b.name),
    );
    // 1. ports that go away or must be reopened
    for (const p of cur.ports) {
      const n = nextPorts.get(p.name);
      if (
        !n ||
        needsReopen(p, n) ||
        (p.bridge !== null && (rebuilt.has(p.bridge) || !nextBridges.has(p.bridge))) ||
        (p.vrf !== null && !nextVrfs.has(p.vrf)) ||
        ((p.mode === 'routed' || p.mode === 'vm') !== (n.mode === 'routed' || n.mode === 'vm'))
      ) {
        dp.removePort(p.name);
        curPorts.delete(p.name);
        if (!n) s.portsRemoved.push(p.name);
      }
    }
    // 2. bridges
    for (const b of cur.bridges) {
      if (!nextBridges.has(b.name) || rebuilt.has(b.name)) {
        // ports still in it are moved out first (they get their new bridge in step 3)
        for (const p of curPorts.values())
          if (p.bridge === b.name) dp.updatePort(this.spec({ ...p, bridge: null }));
        dp.removeBridge(b.name);
        if (!rebuilt.has(b.name)) s.bridgesRemoved.push(b.name);
      }
    }
    for (const b of next.bridges) {
      if (!curBridges.has(b.name) || rebuilt.has(b.name)) {
        dp.addBridge(b.name, b.maxMacs);
        if (!rebuilt.has(b.name)) s.bridgesAdded.push(b.name);
      }
    }
    // VRFs: routes that name ports go first, then the VRF (its ports left in step 1)
    for (const v of cur.vrfs) if (!nextVrfs.has(v.name)) dp.removeVrf(v.name);
    for (const v of next.vrfs) if (!curVrfs.has(v.name)) dp.addVrf(v.name);
    // 3. ports added or changed
    const added: string[] = [];
    try {
      for (const p of next.ports) {
        const c = curPorts.get(p.name);
        if (!c) {
          dp.addPort(this.spec(p));
          added.push(p.name);
          if (!cur.ports.some((x) => x.name === p.name)) s.portsAdded.push(p.name);
          else s.portsChanged.push(p.name);
        } else if (!samePort(c, p) || !dp.hasPort(p.name)) {
          dp.updatePort(this.spec(p));
          s.portsChanged.push(p.name);
        }
      }
    } catch (e) {
      // Nothing half-applied for the ports of this step: undo what it added.
      for (const name of added) dp.removePort(name);
      this.config = { ...next, ports: next.ports.filter((p) => dp.hasPort(p.name) && !added.includes(p.name)) };
      throw e;
    }
    // 4. routes of every VRF (diffed inside the dataplane)
    for (const v of next.vrfs) {
      const r = dp.setRoutes(v.name, vrfRoutes(next, v.name));
      if (r.added || r.removed || r.changed) this.log.info({ module: 'routes', vrf: v.name, ...r }, 'routes applied');
    }
    if (this.bgp) this.applyBgp(cur.bgp, next.bgp);
    this.config = next;
    this.log.info({ module: 'controller', ...s }, 'config applied');
    return s;
  }

  private spec(p: PortConfig): PortSpec {
    const l3 = p.mode === 'routed' || p.mode === 'vm';
    return { ...p, mac: l3 ? routerMac(p) : null };
  }

  /** The embedded BGP speaker, when the config has a `bgp:` section. */
  bgp: BgpSpeaker | null = null;

  /** Starts the BGP speaker of the running config (listens, connects neighbors). */
  async startBgp(): Promise<void> {
    const c = this.config.bgp;
    if (!c || this.bgp) return;
    const { speaker, neighbors } = speakerOptionsFromConfig(c);
    const bgp = new BgpSpeaker(speaker);
    const log = this.log.child({ module: 'bgp' });
    bgp.on('neighbor', (e: unknown) => log.info(e as object, 'neighbor state'));
    bgp.on('update-error', (e: unknown) => log.warn(e as object, 'malformed UPDATE handled (RFC 7606)'));
    await bgp.start();
    for (const n of neighbors) bgp.addNeighbor(n);
    this.bgp = bgp;
    log.info({ as: speaker.asn, routerId: speaker.routerId, neighbors: neighbors.length }, 'BGP speaker started');
  }

  /** Reload: neighbors are reconciled; the global section needs a restart. */
  private applyBgp(prev: Config['bgp'], next: Config['bgp']): void {
    if (JSON.stringify(prev) === JSON.stringify(next)) return;
    const log = this.log.child({ module: 'bgp' });
    if (!this.bgp || !next || JSON.stringify(prev?.global) !== JSON.stringify(next.global)) {
      log.warn('bgp: a new or changed global section (or removing bgp) takes effect at restart');
      return;
    }
    const r = this.bgp.reconcileNeighbors(speakerOptionsFromConfig(next).neighbors);
    log.info(r, 'bgp neighbors reconciled');
  }

  async stopBgp(): Promise<void> {
    await this.bgp?.stop();
    this.bgp = null;
  }

  close(): void {
    this.dataplane.close();
  }
}
