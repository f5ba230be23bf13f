// The controller: owns the dataplane and the desired config.  Config is
// desired state: apply() diffs the running config against the new one and
// changes only what differs (bridges, ports, VLAN membership, ageing), so
// traffic on unchanged ports is not disturbed.  Every change, from a reload or
// the API, goes through one queue (`serialize`) so none interleave half-applied.
import { Dataplane, type MacEvent, type PortSpec } from '../dataplane/index.js';
import type { Logger } from './logger.js';
import { type Config, type PortConfig } from './config.js';

function samePort(a: PortConfig, b: PortConfig): boolean {
  return (
    a.bridge === b.bridge &&
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
    this.config = { ...config, bridges: [], ports: [] };
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

  /** Applies the difference between the running config and `next`. */
  private applyNow(next: Config): ApplySummary {
    const cur = this.config;
    const s: ApplySummary = { bridgesAdded: [], bridgesRemoved: [], portsAdded: [], portsRemoved: [], portsChanged: [] };
    const dp = this.dataplane;
    const curPorts = new Map(cur.ports.map((p) => [p.name, p]));
    const nextPorts = new Map(next.ports.map((p) => [p.name, p]));
    const nextBridges = new Map(next.bridges.map((b) => [b.name, b]));
    const curBridges = new Map(cur.bridges.map((b) => [b.name, b]));
    if (next.agingSeconds !== cur.agingSeconds) dp.setAging(next.agingSeconds);
    // A bridge whose size changed is rebuilt: detach its ports first.
    const rebuilt = new Set(
      next.bridges.filter((b) => curBridges.has(b.name) && curBridges.get(b.name)!.maxMacs !== b.maxMacs).map((b) => b.name),
    );
    // 1. ports that go away or must be reopened
    for (const p of cur.ports) {
      const n = nextPorts.get(p.name);
      if (!n || needsReopen(p, n) || (p.bridge !== null && (rebuilt.has(p.bridge) || !nextBridges.has(p.bridge)))) {
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
    this.config = next;
    this.log.info({ module: 'controller', ...s }, 'config applied');
    return s;
  }

  private spec(p: PortConfig): PortSpec {
    return { ...p };
  }

  close(): void {
    this.dataplane.close();
  }
}
