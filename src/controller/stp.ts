// The spanning tree bridges of the running config (docs/stp.md): one
// StpDataplaneBridge (src/l2gw/stp) per bridge with `stp`, over the L2 ports
// of that bridge that are in the dataplane. `sync` is idempotent and runs in
// the control queue after every apply and port attach/detach: a bridge whose
// settings changed restarts its machines (BEGIN), a port that came or went is
// added or removed. Link state: af-packet ports follow the kernel's carrier
// (rtnetlink IFF_LOWER_UP, so a cut cable is seen at once, not after three
// hello times); TAP and memory ports count as up while they are in the
// dataplane. BPDU guard and root guard events are logged as warnings.
import type { Dataplane } from '../dataplane/index.js';
import { LinkWatcher, type LinkEvent } from '../dataplane/links.js';
import { StpDataplaneBridge } from '../l2gw/stp/dataplane-link.js';
import type { StpPort } from '../l2gw/stp/port.js';
import { formatBridgeId } from '../l2gw/stp/priority.js';
import type { Logger } from '../util/logger.js';
import type { Config, PortConfig } from './config.js';
import type { StpConfig, StpPortSettings } from './config-stp.js';

export interface StpPortStatus {
  name: string; number: number; role: string; state: string; cost: number; priority: number;
  edge: boolean; operEdge: boolean; bpduGuard: boolean; rootGuard: boolean; errDisabled: boolean; rootBlocked: boolean;
  protocol: 'rstp' | 'stp'; designatedBridge: string; link: boolean;
  counters: Record<string, number>;
}
export interface StpBridgeStatus {
  bridge: string; mode: 'rstp' | 'stp'; bridgeId: string; rootId: string; rootPort: string; rootCost: number;
  helloTime: number; maxAge: number; forwardDelay: number; ports: StpPortStatus[];
}

interface Running { cfg: StpConfig; key: string; link: StpDataplaneBridge }

/** The port's source MAC for BPDUs: the bridge address with the port number in the last two octets. */
function portMac(bridgeMac: string, number: number): string {
  const b = bridgeMac.split(':').map((x) => parseInt(x, 16));
  b[4] = (b[4]! ^ (number >> 8)) & 0xff;
  b[5] = (b[5]! ^ number) & 0xff;
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export class StpControl {
  private readonly bridges = new Map<string, Running>();
  private watcher: LinkWatcher | undefined;
  /** carrier of af-packet ports from link events; absent: up */
  private readonly carrier = new Map<string, boolean>();
  private backends = new Map<string, PortConfig['backend']>();

  constructor(private readonly dp: Dataplane, private readonly serialize: (fn: () => void) => Promise<unknown>, private readonly log: Logger) {}

  /** Brings the spanning tree bridges in line with `config` and the dataplane's ports. */
  sync(config: Config): void {
    const want = new Map((config.stp ?? []).map((s) => [s.bridge, s]));
    this.backends = new Map(config.ports.map((p) => [p.name, p.backend]));
    for (const [name, r] of this.bridges) {
      const s = want.get(name);
      if (!s || JSON.stringify({ ...s, ports: [] }) !== r.key) { r.link.close(); this.bridges.delete(name); }
    }
    for (const s of want.values()) {
      let r = this.bridges.get(s.bridge);
      if (!r) r = this.start(s);
      this.syncPorts(r, s);
    }
    if (this.bridges.size > 0 && !this.watcher) this.watch();
    if (this.bridges.size === 0 && this.watcher) { this.watcher.close(); this.watcher = undefined; }
  }

  private start(s: StpConfig): Running {
    const log = this.log.child({ module: 'stp', bridge: s.bridge });
    const link = new StpDataplaneBridge(this.dp, s.bridge, {
      name: s.bridge, mac: s.mac, priority: s.priority, mode: s.mode, helloTime: s.helloTime, maxAge: s.maxAge, forwardDelay: s.forwardDelay,
    }, {
      log: (e) => log.warn({ port: e.port, event: e.kind }, e.message),
      state: (port, state) => log.info({ port, state }, `stp port ${port} ${state}`),
    });
    const r = { cfg: { ...s, ports: [] }, key: JSON.stringify({ ...s, ports: [] }), link };
    this.bridges.set(s.bridge, r);
    log.info({ mode: s.mode, bridgeId: formatBridgeId(link.bridge.env.bridgeId) }, 'spanning tree started');
    return r;
  }

  private syncPorts(r: Running, s: StpConfig): void {
    const b = r.link.bridge;
    const wanted = new Map(s.ports.filter((p) => this.dp.hasPort(p.name)).map((p) => [p.name, p]));
    for (const p of [...b.ports()]) {
      const w = wanted.get(p.name);
      if (w && JSON.stringify(w) === JSON.stringify(this.settingsOf(r, p.name))) {
        this.dp.setStpState(p.name, p.state); // a port reopened by the reconciler starts forwarding in the core
        continue;
      }
      b.removePort(p.name);
      if (this.dp.hasPort(p.name)) this.dp.setStpState(p.name, 'forwarding');
    }
    for (const w of wanted.values()) {
      if (b.ports().some((p) => p.name === w.name)) continue;
      b.addPort({
        name: w.name, mac: portMac(s.mac, w.number), number: w.number, priority: w.priority, pathCost: w.cost,
        adminEdge: w.edge, autoEdge: w.autoEdge, bpduGuard: w.bpduGuard, rootGuard: w.rootGuard,
      });
      b.setLink(w.name, this.linkUp(w.name));
    }
    r.cfg = { ...s, ports: [...wanted.values()] };
  }

  private settingsOf(r: Running, port: string): StpPortSettings | undefined { return r.cfg.ports.find((p) => p.name === port); }

  private linkUp(port: string): boolean { return this.backends.get(port) !== 'af-packet' || (this.carrier.get(port) ?? true); }

  private watch(): void {
    try {
      this.watcher = new LinkWatcher((events) => { void this.serialize(() => this.onLinks(events)); });
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'stp: no link notifications; a cut link is seen when its BPDUs age out');
    }
  }

  private onLinks(events: LinkEvent[]): void {
    for (const e of events) {
      if (e.kind === 'overrun') continue;
      const up = e.kind === 'new' && e.up && e.carrier;
      this.carrier.set(e.name, up);
      for (const r of this.bridges.values()) {
        const p = r.link.bridge.ports().find((x) => x.name === e.name);
        if (p && p.linkUp !== this.linkUp(e.name)) r.link.bridge.setLink(e.name, this.linkUp(e.name));
      }
    }
  }

  /** Clears a BPDU guard shutdown; false if the bridge or port runs no spanning tree. */
  reenable(bridge: string, port: string): boolean {
    const b = this.bridges.get(bridge)?.link.bridge;
    if (!b?.ports().some((p) => p.name === port)) return false;
    b.reenable(port);
    return true;
  }

  status(bridge?: string): StpBridgeStatus[] {
    return [...this.bridges.values()].filter((r) => !bridge || r.cfg.bridge === bridge).map((r) => bridgeStatus(r));
  }

  close(): void {
    for (const r of this.bridges.values()) r.link.close();
    this.bridges.clear();
    this.watcher?.close();
    this.watcher = undefined;
  }
}

function portStatus(p: StpPort): StpPortStatus {
  return {
    name: p.name, number: p.cfg.number, role: p.role, state: p.state, cost: p.cfg.pathCost, priority: p.cfg.priority,
    edge: p.cfg.adminEdge, operEdge: p.operEdge, bpduGuard: p.cfg.bpduGuard, rootGuard: p.cfg.rootGuard,
    errDisabled: p.errDisabled, rootBlocked: p.rootBlocked, protocol: p.sendRSTP ? 'rstp' : 'stp',
    designatedBridge: p.infoIs === 'received' ? formatBridgeId(p.portPriority.bridge) : '', link: p.linkUp, counters: { ...p.counters },
  };
}

function bridgeStatus(r: Running): StpBridgeStatus {
  const b = r.link.bridge;
  const env = b.env;
  return {
    bridge: r.cfg.bridge, mode: r.cfg.mode, bridgeId: formatBridgeId(env.bridgeId), rootId: formatBridgeId(env.rootPriority.root),
    rootPort: b.rootPort()?.name ?? '', rootCost: env.rootPriority.cost,
    helloTime: env.rootTimes.helloTime, maxAge: env.rootTimes.maxAge, forwardDelay: env.rootTimes.forwardDelay,
    ports: b.ports().map(portStatus),
  };
}
