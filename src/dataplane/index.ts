// Typed wrapper over the native core: ports, bridge domains, FDB, counters,
// MAC events.  Values are checked by the config/API validator before they get
// here; this layer maps names to the core's indices and shapes the results.
import { EventEmitter } from 'node:events';

import { loadAddon, type RawCore, type RawEvent, type RawL3Settings } from './addon.js';
import { RouteTables, type NextHopSpec } from './routing.js';
import { formatIp, ipToU32, parseIp, parsePrefix } from '../util/ip.js';

export type PortBackend = 'tap' | 'af-packet' | 'memory';
export type PortMode = 'access' | 'trunk' | 'routed' | 'vm';

export interface PortSpec {
  name: string;
  backend: PortBackend;
  bridge: string | null;
  mode: PortMode;
  /** access: the port's VLAN; trunk: the native VLAN (0 = none) */
  vlan: number;
  allowedVlans: number[];
  macLimit: number;
  mtu: number;
  /** routed and vm ports */
  vrf?: string | null;
  /** routed: interface addresses (CIDR); vm: the VM's /32 and /128 */
  addresses?: string[];
  /** our MAC on a routed or vm port */
  mac?: string | null;
  /** vm: the VM's MAC */
  vmMac?: string | null;
}

export type NextHop =
  | { kind: 'connected'; port: string }
  | { kind: 'gateway'; port: string; gw: string }
  | { kind: 'mac'; port: string; mac: string }
  | { kind: 'local' }
  | { kind: 'drop' }
  | { kind: 'reject' };

export interface Route {
  prefix: string;
  nexthops: NextHop[];
  origin: string;
}

export interface Neighbor {
  port: string;
  ip: string;
  mac: string;
  state: 'incomplete' | 'reachable' | 'stale' | 'failed' | 'permanent';
  age: number;
}

const NEIGH_STATE = ['none', 'incomplete', 'reachable', 'stale', 'failed', 'permanent'] as const;

export interface PortState extends PortSpec {
  id: number;
  created: boolean;
  macs: number;
}

export interface FdbEntry {
  bridge: string;
  port: string;
  vlan: number;
  mac: string;
  static: boolean;
  /** seconds since last seen (0 for static entries) */
  age: number;
}

export type MacEvent =
  | { kind: 'learned' | 'aged'; bridge: string; vlan: number; mac: string; port: string }
  | { kind: 'moved'; bridge: string; vlan: number; mac: string; port: string; oldPort: string }
  | { kind: 'overflow'; lost: number };

export type PortCounters = Record<string, number>;

export const counterNames: readonly { name: string; help: string }[] = loadAddon().counters;

const BACKEND_KIND: Record<PortBackend, number> = { tap: 1, 'af-packet': 2, memory: 3 };
const MODE: Record<PortMode, number> = { access: 1, trunk: 2, routed: 3, vm: 4 };
const NO_BD = 0xffff;
const EV_KIND: Record<number, 'learned' | 'moved' | 'aged' | 'overflow'> = { 1: 'learned', 2: 'moved', 3: 'aged', 4: 'overflow' };

export interface DataplaneOptions {
  workers: number;
  agingSeconds: number;
  pollMs?: number;
}

export class DataplaneError extends Error {}

export declare interface Dataplane {
  on(event: 'mac', listener: (events: MacEvent[]) => void): this;
}

export class Dataplane extends EventEmitter {
  private core: RawCore;
  private bridges = new Map<string, { index: number; maxMacs: number }>();
  private ports = new Map<string, PortSpec & { id: number }>();
  private portById = new Map<number, string>();
  private bridgeByIndex = new Map<number, string>();
  private started = false;
  private vrfs = new Map<string, number>();
  private routes: RouteTables;

  constructor(readonly options: DataplaneOptions) {
    super();
    const { Core } = loadAddon();
    this.core = new Core({ workers: options.workers, agingSeconds: options.agingSeconds, pollMs: options.pollMs ?? 100 });
    this.core.onEvents(() => this.drainEvents());
    this.routes = new RouteTables(this.core);
  }

  addVrf(name: string): void {
    if (this.vrfs.has(name)) throw new DataplaneError(`vrf ${name} exists`);
    let index = 1;
    const used = new Set(this.vrfs.values());
    while (used.has(index)) index++;
    this.core.addVrf(index);
    this.vrfs.set(name, index);
  }

  removeVrf(name: string): void {
    const index = this.vrfIndex(name);
    this.routes.dropVrf(index);
    this.core.removeVrf(index);
    this.vrfs.delete(name);
  }

  listVrfs(): { name: string; index: number; ports: string[]; routes: number; routes4: number; routes6: number }[] {
    return [...this.vrfs].map(([name, index]) => {
      const { ipv4, ipv6 } = this.routes.countByFamily(index);
      return {
        name,
        index,
        ports: [...this.ports.values()].filter((p) => p.vrf === name).map((p) => p.name),
        routes: this.routes.count(index),
        routes4: ipv4,
        routes6: ipv6,
      };
    });
  }

  /** Makes the routes of `vrf` exactly `routes` (only the difference is applied). */
  setRoutes(vrf: string, routes: Route[]): { added: number; removed: number; changed: number } {
    const index = this.vrfIndex(vrf);
    // Routes usually share a few next-hop sets: convert each distinct one once.
    const byArray = new Map<NextHop[], NextHopSpec[]>();
    const byText = new Map<string, NextHopSpec[]>();
    return this.routes.setRoutes(
      index,
      routes.map((r) => {
        let nhs = byArray.get(r.nexthops);
        if (!nhs) {
          const k = JSON.stringify(r.nexthops);
          nhs = byText.get(k);
          if (!nhs) byText.set(k, (nhs = r.nexthops.map((n) => this.nhSpec(n))));
          byArray.set(r.nexthops, nhs);
        }
        return { prefix: r.prefix, origin: r.origin, nexthops: nhs };
      }),
    );
  }

  listRoutes(vrf?: string): (Route & { vrf: string })[] {
    const out: (Route & { vrf: string })[] = [];
    for (const [name, index] of this.vrfs) {
      if (vrf !== undefined && vrf !== name) continue;
      for (const r of this.routes.list(index))
        out.push({ vrf: name, prefix: r.prefix, origin: r.origin, nexthops: r.nexthops.map((n) => this.nhOut(n)) });
    }
    return out;
  }

  neighbors(): Neighbor[] {
    return this.core
      .neighList()
      .map((n) => ({
        port: this.portById.get(n.port) ?? `#${n.port}`,
        ip: formatIp(n.ip),
        mac: n.mac,
        state: NEIGH_STATE[n.state] as Neighbor['state'],
        age: n.age,
      }))
      .filter((n) => (n.state as string) !== 'none')
      .sort((a, b) => a.port.localeCompare(b.port) || a.ip.localeCompare(b.ip));
  }

  setNeighbor(port: string, ip: string, mac: string): void {
    const a = parseIp(ip);
    if (!a) throw new DataplaneError(`invalid IP address ${ip}`);
    this.core.neighSet(this.portEntry(port).id, a.bytes, macBytes(mac));
  }

  /** Removes resolved and pending entries (of one port); permanent ones only if asked. */
  flushNeighbors(port?: string, includePermanent = false): void {
    this.core.neighFlush(port === undefined ? -1 : this.portEntry(port).id, includePermanent);
  }

  private nhSpec(n: NextHop): NextHopSpec {
    switch (n.kind) {
      case 'connected': return { kind: 'connected', port: this.portEntry(n.port).id };
      case 'gateway': {
        const gw = parseIp(n.gw);
        if (!gw) throw new DataplaneError(`invalid gateway ${n.gw}`);
        return { kind: 'gateway', port: this.portEntry(n.port).id, gw: gw.bytes };
      }
      case 'mac': return { kind: 'mac', port: this.portEntry(n.port).id, mac: macBytes(n.mac) };
      default: return { kind: n.kind };
    }
  }

  private nhOut(n: NextHopSpec): NextHop {
    const port = (id: number) => this.portById.get(id) ?? `#${id}`;
    switch (n.kind) {
      case 'connected': return { kind: 'connected', port: port(n.port) };
      case 'gateway': return { kind: 'gateway', port: port(n.port), gw: formatIp(n.gw) };
      case 'mac': return { kind: 'mac', port: port(n.port), mac: [...n.mac].map((b) => b.toString(16).padStart(2, '0')).join(':') };
      default: return { kind: n.kind };
    }
  }

  private vrfIndex(name: string): number {
    const i = this.vrfs.get(name);
    if (i === undefined) throw new DataplaneError(`no vrf named ${name}`);
    return i;
  }

  start(): void {
    if (!this.started) this.core.start();
    this.started = true;
  }

  /** Stops the workers, closes every port (TAP devices we created disappear). */
  close(): void {
    if (this.closed) return;
    this.drainEvents();
    this.core.close();
    this.closed = true;
    this.started = false;
  }
  private closed = false;

  setAging(seconds: number): void {
    this.core.setAging(seconds);
  }

  addBridge(name: string, maxMacs: number): void {
    if (this.bridges.has(name)) throw new DataplaneError(`bridge ${name} exists`);
    let index = 0;
    while (this.bridgeByIndex.has(index)) index++;
    this.core.addBridgeDomain(index, maxMacs);
    this.bridges.set(name, { index, maxMacs });
    this.bridgeByIndex.set(index, name);
  }

  removeBridge(name: string): void {
    const b = this.bridge(name);
    this.core.removeBridgeDomain(b.index);
    this.bridges.delete(name);
    this.bridgeByIndex.delete(b.index);
  }

  listBridges(): { name: string; index: number; maxMacs: number; ports: string[]; macs: number }[] {
    return [...this.bridges].map(([name, b]) => ({
      name,
      index: b.index,
      maxMacs: b.maxMacs,
      ports: [...this.ports.values()].filter((p) => p.bridge === name).map((p) => p.name),
      macs: this.core.fdbList(b.index).length,
    }));
  }

  addPort(spec: PortSpec): PortState {
    if (this.ports.has(spec.name)) throw new DataplaneError(`port ${spec.name} exists`);
    const id = this.core.addPort(
      { kind: BACKEND_KIND[spec.backend], name: spec.name, mtu: spec.mtu },
      this.rawSettings(spec),
    );
    this.ports.set(spec.name, { ...spec, id });
    this.portById.set(id, spec.name);
    return this.port(spec.name);
  }

  updatePort(spec: PortSpec): void {
    const cur = this.portEntry(spec.name);
    this.core.setPort(cur.id, this.rawSettings(spec));
    this.ports.set(spec.name, { ...spec, id: cur.id });
  }

  removePort(name: string): void {
    const p = this.portEntry(name);
    this.drainEvents(); // events naming this port id must be resolved before it is reused
    this.core.removePort(p.id);
    this.ports.delete(name);
    this.portById.delete(p.id);
  }

  port(name: string): PortState {
    const p = this.portEntry(name);
    const info = this.core.portInfo(p.id);
    return { ...p, created: info?.created ?? false, macs: info?.macs ?? 0 };
  }

  listPorts(): PortState[] {
    return [...this.ports.keys()].sort().map((n) => this.port(n));
  }

  hasPort(name: string): boolean {
    return this.ports.has(name);
  }

  stats(name: string): PortCounters {
    return this.core.portStats(this.portEntry(name).id);
  }

  workerStats(): { loops: number; batches: number; packets: number }[] {
    return this.core.workerStats();
  }

  fdb(filter: { bridge?: string; vlan?: number; port?: string } = {}): FdbEntry[] {
    const out: FdbEntry[] = [];
    for (const [bname, b] of this.bridges) {
      if (filter.bridge !== undefined && filter.bridge !== bname) continue;
      for (const e of this.core.fdbList(b.index)) {
        const port = this.portById.get(e.port) ?? `#${e.port}`;
        if (filter.vlan !== undefined && filter.vlan !== e.vlan) continue;
        if (filter.port !== undefined && filter.port !== port) continue;
        out.push({ bridge: bname, port, vlan: e.vlan, mac: e.mac, static: e.static, age: e.age });
      }
    }
    return out.sort((a, b) => a.bridge.localeCompare(b.bridge) || a.vlan - b.vlan || a.mac.localeCompare(b.mac));
  }

  fdbAddStatic(bridge: string, vlan: number, mac: string, port: string): void {
    const p = this.portEntry(port);
    if (p.bridge !== bridge) throw new DataplaneError(`port ${port} is not in bridge ${bridge}`);
    this.core.fdbAddStatic(this.bridge(bridge).index, vlan, macBytes(mac), p.id);
  }

  fdbDel(bridge: string, vlan: number, mac: string): boolean {
    return this.core.fdbDel(this.bridge(bridge).index, vlan, macBytes(mac));
  }

  fdbFlush(filter: { bridge?: string; port?: string; vlan?: number; includeStatic?: boolean } = {}): number {
    let n = 0;
    const port = filter.port !== undefined ? this.portEntry(filter.port).id : -1;
    for (const [name, b] of this.bridges) {
      if (filter.bridge !== undefined && filter.bridge !== name) continue;
      n += this.core.fdbFlush(b.index, port, filter.vlan ?? -1, filter.includeStatic ?? false);
    }
    return n;
  }

  /** Test hooks for memory ports (no kernel involved). */
  memInject(port: string, frame: Buffer): void {
    this.core.memInject(this.portEntry(port).id, frame);
  }
  memPop(port: string): Buffer | null {
    return this.core.memPop(this.portEntry(port).id);
  }
  pollOnce(): number {
    return this.core.pollOnce(0);
  }

  drainEvents(): void {
    if (this.closed) return; // a late wake-up from a worker after close()
    const raw = this.core.drainEvents();
    if (raw.length === 0) return;
    const events = raw.map((e) => this.mapEvent(e));
    this.emit('mac', events);
  }

  private mapEvent(e: RawEvent): MacEvent {
    const kind = EV_KIND[e.kind] ?? 'overflow';
    if (kind === 'overflow') return { kind, lost: e.count ?? 0 };
    const base = {
      bridge: this.bridgeByIndex.get(e.bd ?? -1) ?? `#${e.bd}`,
      vlan: e.vlan ?? 0,
      mac: e.mac ?? '',
      port: this.portById.get(e.port ?? -1) ?? `#${e.port}`,
    };
    if (kind === 'moved') return { kind, ...base, oldPort: this.portById.get(e.oldPort ?? -1) ?? `#${e.oldPort}` };
    return { kind, ...base };
  }

  private rawSettings(spec: PortSpec) {
    if (spec.mode === 'routed' || spec.mode === 'vm') {
      if (!spec.vrf) throw new DataplaneError(`port ${spec.name}: a ${spec.mode} port needs a vrf`);
      const l3: RawL3Settings = { vrf: this.vrfIndex(spec.vrf), addr4: [], addr6: [], vm4: [], vm6: [] };
      if (spec.mac) l3.mac = macBytes(spec.mac);
      if (spec.vmMac) l3.vmMac = macBytes(spec.vmMac);
      for (const a of spec.addresses ?? []) {
        const p = parsePrefix(a, true);
        if (!p) throw new DataplaneError(`port ${spec.name}: invalid address ${a}`);
        if (spec.mode === 'routed') {
          if (p.af === 4) l3.addr4!.push({ addr: ipToU32(p.bytes), plen: p.plen });
          else l3.addr6!.push({ addr: p.bytes, plen: p.plen });
        } else if (p.af === 4) l3.vm4!.push(ipToU32(p.bytes));
        else l3.vm6!.push(p.bytes);
      }
      return { bd: NO_BD, mode: MODE[spec.mode], vlan: 0, macLimit: spec.macLimit, allowed: [], l3 };
    }
    return {
      bd: spec.bridge === null ? NO_BD : this.bridge(spec.bridge).index,
      mode: MODE[spec.mode],
      vlan: spec.vlan,
      macLimit: spec.macLimit,
      allowed: spec.mode === 'trunk' ? spec.allowedVlans : [],
    };
  }

  private bridge(name: string) {
    const b = this.bridges.get(name);
    if (!b) throw new DataplaneError(`no bridge named ${name}`);
    return b;
  }

  private portEntry(name: string) {
    const p = this.ports.get(name);
    if (!p) throw new DataplaneError(`no port named ${name}`);
    return p;
  }
}

export function macBytes(mac: string): Buffer {
  const m = /^([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})$/i.exec(mac);
  if (!m) throw new DataplaneError(`invalid MAC address ${mac}`);
  return Buffer.from(m.slice(1).map((h) => parseInt(h, 16)));
}
