// The dataplane facade: one typed object over the native core for the
// controller, the API and tests.  Values are checked by the config/API
// validator before they get here.  Each concept has its own wrapper (ports.ts,
// bridges.ts, fdb.ts, flood.ts, vrfs.ts + routing.ts, counters.ts, events.ts,
// punt.ts, capture.ts) sharing one name<->index registry (registry.ts); the core's enums and
// limits come from the addon (constants.ts), never copied.  This class only owns
// the core's lifecycle and the 'mac' and 'punt' events, and delegates the rest.
// One wake-up from the workers (a batch of MAC events or punted frames) drains
// both queues and the capture rings; each event carries a batch, never one
// call per packet.
import { EventEmitter } from 'node:events';

import { loadAddon, type RawCore } from './addon.js';
import { DataplaneError } from './registry.js';
import { Bonds } from './bonds.js';
import { Segments } from './segments.js';
import { Bridges, type BridgeState } from './bridges.js';
import { Captures, type CaptureHandlers, type CaptureOptions, type CaptureSession } from './capture.js';
import { Counters, type PortCounters, type WorkerStats } from './counters.js';
import { mapEvent, type MacEvent } from './events.js';
import type { RemoteEgress } from './egress.js';
import { Fdb, type FdbEntry } from './fdb.js';
import { Flood, type FloodMember } from './flood.js';
import { Ports, type PortSpec, type PortState } from './ports.js';
import { Punt, type PuntFrame } from './punt.js';
import { StpStates, type StpState } from './stp.js';
import { Tunnels, UNDERLAY_PORT, type TunnelState, type VtepSpec } from './tunnels.js';
import { Registry } from './registry.js';
import { Vrfs, type Neighbor, type NextHop, type Route, type VrfState } from './vrfs.js';
import type { PrefixKey } from '../util/prefix-table.js';
import { formatIp, parseIp } from '../util/ip.js';
import { macBytes } from './registry.js';
import { Mpls, MPLS_UNDERLAY_PORT } from './mpls.js';

export type { BridgeState } from './bridges.js';
export { BOND_HASH, type BondHash } from './bonds.js';
export { captureLimits, CaptureError, LINKTYPE, toPcap, type CaptureBatch, type CaptureDirection, type CaptureHandlers, type CaptureOptions, type CaptureSession, type CaptureStats } from './capture.js';
export { counterNames, workerStatNames, type PortCounters, type WorkerStatName, type WorkerStats } from './counters.js';
export type { MacEvent } from './events.js';
export type { FdbEntry } from './fdb.js';
export type { FloodMember } from './flood.js';
export { UNDERLAY_PORT, type TunnelState, type VtepSpec } from './tunnels.js';
export { MPLS_UNDERLAY_PORT, type MplsEncap, type MplsTunnelState, type PeSpec } from './mpls.js';
export type { EgressKind, RemoteEgress } from './egress.js';
export { constants, limits, type FdbKind } from './constants.js';
export type { PortBackend, PortMode, PortSpec, PortState } from './ports.js';
export { opensInterface } from './ports.js';
export { puntClasses, type PuntClass, type PuntFrame, type PuntSpec } from './punt.js';
export { stpStates, type StpState } from './stp.js';
export { DataplaneError, macBytes } from './registry.js';
export { sdNotify } from './sd-notify.js';
export { batchRuntimeHelpers } from './sched.js';
export type { Neighbor, NextHop, Route, VrfState } from './vrfs.js';
export { LinkWatcher, linkIndex, type LinkEvent } from './links.js';

/** The core's polling mode names by value (polling.h, through the addon). */
export const pollModeNames: readonly string[] = loadAddon().polling.modes;

export interface DataplaneOptions {
  workers: number;
  agingSeconds: number;
  pollMs?: number;
}

export declare interface Dataplane {
  on(event: 'mac', listener: (events: MacEvent[]) => void): this;
  on(event: 'punt', listener: (frames: PuntFrame[]) => void): this;
  /** fdbFlush removed entries (no MAC events for them) */
  on(event: 'flushed', listener: (filter: { bridge?: string; port?: string; vlan?: number }) => void): this;
  /** an af-xdp port opened on AF_PACKET because AF_XDP could not attach (docs/afxdp.md) */
  on(event: 'port-fallback', listener: (port: string, reason: string) => void): this;
}

export class Dataplane extends EventEmitter {
  private core: RawCore;
  private reg = new Registry();
  private started = false;
  private closed = false;
  private readonly portsOf: Ports;
  private readonly bridgesOf: Bridges;
  private readonly fdbOf: Fdb;
  private readonly floodOf: Flood;
  private readonly vrfsOf: Vrfs;
  private readonly countersOf: Counters;
  private readonly puntOf: Punt;
  private readonly stpOf: StpStates;
  private readonly tunnelsOf: Tunnels;
  private readonly capturesOf: Captures;
  /** bonds (bonds.ts): members' LACP state, the hash, the distributing set */
  readonly bonds: Bonds;
  /** EVPN multihoming (segments.ts): Ethernet segment filters, aliasing groups */
  readonly segments: Segments;
  /** L3 VPNs (mpls.ts): the PE, MPLS tunnels, the label table */
  readonly mpls: Mpls;

  constructor(readonly options: DataplaneOptions) {
    super();
    const { Core } = loadAddon();
    this.core = new Core({ workers: options.workers, agingSeconds: options.agingSeconds, pollMs: options.pollMs ?? 100 });
    this.core.onEvents(() => this.drainEvents());
    this.portsOf = new Ports(this.core, this.reg, () => this.drainEvents());
    this.bridgesOf = new Bridges(this.core, this.reg);
    this.fdbOf = new Fdb(this.core, this.reg);
    this.floodOf = new Flood(this.core, this.reg);
    this.mpls = new Mpls(this.core, this.reg);
    this.tunnelsOf = new Tunnels(this.core, this.reg);
    this.vrfsOf = new Vrfs(this.core, this.reg, this.mpls, this.tunnelsOf);
    this.countersOf = new Counters(this.core, this.reg);
    this.puntOf = new Punt(this.core, this.reg);
    this.stpOf = new StpStates(this.core, this.reg);
    this.capturesOf = new Captures(this.core, this.reg, this.tunnelsOf);
    this.bonds = new Bonds(this.core, this.reg);
    this.segments = new Segments(this.core, this.reg);
  }

  // Lifecycle.
  start(): void {
    if (!this.started) this.core.start();
    this.started = true;
  }
  /** Stops the workers, closes every port (TAP devices we created disappear). */
  close(): void {
    if (this.closed) return;
    this.drainEvents();
    this.capturesOf.closeAll();
    this.core.close();
    this.closed = true;
    this.started = false;
  }
  setAging(seconds: number): void {
    this.core.setAging(seconds);
  }
  /** Drains MAC events ('mac') and punted frames ('punt'), each as one batch. */
  drainEvents(): void {
    if (this.closed) return; // a late wake-up from a worker after close()
    const raw = this.core.drainEvents();
    if (raw.length > 0) this.emit('mac', raw.map((e) => mapEvent(this.reg, e)));
    const punted = this.puntOf.drain();
    if (punted.length > 0) this.emit('punt', punted);
    this.capturesOf.drain();
  }

  // Packet capture (capture.ts): frames go to the session's handlers, in batches.
  /** Attaches a capture to `port` (or UNDERLAY_PORT); throws naming the cause. */
  capture(port: string, opts: CaptureOptions, handlers: CaptureHandlers): CaptureSession {
    return this.capturesOf.start(port, opts, handlers);
  }

  // VRFs, routes, neighbors (vrfs.ts).
  addVrf(name: string): void { this.vrfsOf.add(name); }
  removeVrf(name: string): void { this.vrfsOf.remove(name); }
  listVrfs(): VrfState[] { return this.vrfsOf.list(); }
  /** Makes the routes of `vrf` exactly `routes` (only the difference is applied). */
  setRoutes(vrf: string, routes: Route[]): { added: number; removed: number; changed: number } {
    return this.vrfsOf.setRoutes(vrf, routes);
  }
  /** Adds or replaces `put` and removes `withdraw` (prefixes) in `vrf`; the rest is not looked at. */
  updateRoutes(vrf: string, put: Route[], withdraw: string[]): { added: number; removed: number; changed: number } {
    return this.vrfsOf.updateRoutes(vrf, put, withdraw);
  }
  /** The packed path of imports: prefix `keys[i]` (util/prefix-table.ts) gets next hops `hops[i]` (null: removed), origin `origin`. */
  updateKeys(vrf: string, keys: PrefixKey[], hops: (NextHop[] | null)[], origin: string): { added: number; removed: number; changed: number } {
    return this.vrfsOf.updateKeys(vrf, keys, hops, origin);
  }
  listRoutes(vrf?: string): (Route & { vrf: string })[] { return this.vrfsOf.listRoutes(vrf); }
  neighbors(): Neighbor[] { return this.vrfsOf.neighbors(); }
  setNeighbor(port: string, ip: string, mac: string): void { this.vrfsOf.setNeighbor(port, ip, mac); }
  /** Removes resolved and pending entries (of one port); permanent ones only if asked. */
  flushNeighbors(port?: string, includePermanent = false): void { this.vrfsOf.flushNeighbors(port, includePermanent); }

  // Bridges (bridges.ts).
  addBridge(name: string, maxMacs: number): void { this.bridgesOf.add(name, maxMacs); }
  removeBridge(name: string): void { this.bridgesOf.remove(name); }
  listBridges(): BridgeState[] { return this.bridgesOf.list(); }

  // Ports (ports.ts).
  /** Adds a port; an af-xdp port that fell back to AF_PACKET emits 'port-fallback' (name, reason). */
  addPort(spec: PortSpec): PortState {
    const st = this.portsOf.add(spec);
    if (st.fallback) this.emit('port-fallback', st.name, st.fallback);
    return st;
  }
  updatePort(spec: PortSpec): void { this.portsOf.update(spec); }
  removePort(name: string): void {
    this.capturesOf.portRemoved(name);
    this.portsOf.remove(name);
  }
  port(name: string): PortState { return this.portsOf.get(name); }
  listPorts(): PortState[] { return this.portsOf.list(); }
  hasPort(name: string): boolean { return this.portsOf.has(name); }

  // Counters (counters.ts).
  stats(name: string): PortCounters { return this.countersOf.port(name); }
  /** The underlay ports that exist (UNDERLAY_PORT with a vtep, MPLS_UNDERLAY_PORT with a PE): names, not interfaces. */
  underlayPorts(): string[] {
    return [...(this.tunnelsOf.portId() !== undefined ? [UNDERLAY_PORT] : []), ...(this.mpls.portId() !== undefined ? [MPLS_UNDERLAY_PORT] : [])];
  }
  /** An underlay port's counters (UNDERLAY_PORT or MPLS_UNDERLAY_PORT), null if `name` is none or it does not exist. */
  underlayStats(name: string): PortCounters | null {
    return name === UNDERLAY_PORT ? this.tunnelsOf.stats() : name === MPLS_UNDERLAY_PORT ? this.mpls.stats() : null;
  }
  workerStats(): WorkerStats[] { return this.countersOf.workers(); }

  // Liveness (native/core/liveness.c): the systemd watchdog's gate.
  /** Each worker's heartbeat: grows once per loop iteration, idle wake-ups included. */
  workerHeartbeats(): number[] { return this.core.workerHeartbeats(); }
  /** TEST HOOK: worker `index` holds its loop for `ms` (no packets, no heartbeat). */
  testStallWorker(index: number, ms: number): void { this.core.testStallWorker(index, ms); }

  // Polling modes (native/core/polling.h, src/controller/polling.ts).
  /** Worker `index`'s mode and adaptive budget (with its traffic-aware bound
   * and nap, 0: off), applied at once (a sleeping worker is woken). */
  setPolling(index: number, mode: string, budgetUs: number, budgetMaxUs = 0, napUs = 0): void {
    const m = pollModeNames.indexOf(mode);
    if (m < 0) throw new DataplaneError(`polling mode ${JSON.stringify(mode)}: not one of ${pollModeNames.join(', ')}`);
    this.core.setPollingGrowth(index, budgetMaxUs, napUs);
    this.core.setPolling(index, m, budgetUs);
  }
  /** What each worker runs with. */
  polling(): { mode: string; budgetUs: number; budgetMaxUs: number; napUs: number }[] {
    return this.workerHeartbeats().map((_, i) => {
      const p = this.core.getPolling(i)!;
      return { mode: pollModeNames[p.mode]!, budgetUs: p.budgetUs, budgetMaxUs: p.budgetMaxUs, napUs: p.napUs };
    });
  }

  // FDB (fdb.ts).
  fdb(filter: { bridge?: string; vlan?: number; port?: string } = {}): FdbEntry[] { return this.fdbOf.list(filter); }
  fdbAddStatic(bridge: string, vlan: number, mac: string, port: string): void { this.fdbOf.addStatic(bridge, vlan, mac, port); }
  /** A MAC behind a tunnel endpoint or bond (entry kind 'remote'). */
  fdbAddRemote(bridge: string, vlan: number, mac: string, egress: RemoteEgress): void { this.fdbOf.addRemote(bridge, vlan, mac, egress); }
  /** Remote entries of one bridge and VLAN in one call; returns how many were written (the rest: FDB full). */
  fdbAddRemoteMany(bridge: string, vlan: number, entries: { mac: string; egress: RemoteEgress }[]): number { return this.fdbOf.addRemoteMany(bridge, vlan, entries); }
  /** fdbAddRemoteMany over parallel arrays: entry i is macs[i] behind egress[i]. */
  fdbAddRemoteColumns(bridge: string, vlan: number, macs: readonly string[], egress: readonly RemoteEgress[]): number { return this.fdbOf.addRemoteColumns(bridge, vlan, macs, egress); }
  fdbDel(bridge: string, vlan: number, mac: string): boolean { return this.fdbOf.del(bridge, vlan, mac); }

  // EVPN ARP/ND suppression (native/core/suppress.h): a remote host's address in (bridge, VLAN)
  // answered as `mac` when a local port asks for it.
  /** Binds `ip` (IPv4 or IPv6) of (bridge, VLAN) to `mac`, replacing its binding; throws when the table is full. */
  suppressSet(bridge: string, vlan: number, ip: string, mac: string): void {
    this.core.suppressSet(this.reg.bridge(bridge).index, vlan, ipBytes(ip), macBytes(mac));
  }
  /** Removes the binding of `ip`; whether there was one (none for a bridge that is gone). */
  suppressDel(bridge: string, vlan: number, ip: string): boolean {
    const b = this.reg.bridges.get(bridge);
    return b ? this.core.suppressDel(b.index, vlan, ipBytes(ip)) : false;
  }
  /** Every binding, by bridge, VLAN and address. */
  suppressList(): { bridge: string; vlan: number; ip: string; mac: string }[] {
    return this.core
      .suppressList()
      .map((e) => ({ bridge: this.reg.bridgeName(e.bd), vlan: e.vlan, ip: formatIp(e.ip), mac: e.mac }))
      .sort((a, b) => a.bridge.localeCompare(b.bridge) || a.vlan - b.vlan || a.ip.localeCompare(b.ip));
  }
  /** Flushes entries; a flush reports no MAC events, so 'flushed' tells listeners to look again. */
  fdbFlush(filter: { bridge?: string; port?: string; vlan?: number; includeStatic?: boolean } = {}): number {
    const n = this.fdbOf.flush(filter);
    if (n) this.emit('flushed', filter);
    return n;
  }

  // Injected frames (punt.ts); punted frames arrive as the 'punt' event.
  /** Sends `frame` out of `port` as given; false if the port's inject ring is full (counted). */
  inject(port: string, frame: Buffer): boolean { return this.puntOf.inject(port, frame); }

  // Spanning tree port states (stp.ts), decided by src/l2gw/stp.
  setStpState(port: string, state: StpState): void { this.stpOf.set(port, state); }
  stpState(port: string): StpState { return this.stpOf.get(port); }

  // Flood lists (flood.ts): members other than ports.
  floodAdd(bridge: string, vlan: number, egress: RemoteEgress, group = 0): void { this.floodOf.add(bridge, vlan, egress, group); }
  floodDel(bridge: string, vlan: number, egress: RemoteEgress): boolean { return this.floodOf.del(bridge, vlan, egress); }
  floodMembers(bridge?: string): FloodMember[] { return this.floodOf.list(bridge); }

  // VXLAN (tunnels.ts): the local VTEP, tunnel endpoints, the VNI map.
  setVtep(spec: VtepSpec | null): void {
    const before = this.tunnelsOf.portId();
    this.tunnelsOf.setVtep(spec);
    if (before !== undefined && this.tunnelsOf.portId() !== before) this.capturesOf.portRemoved(UNDERLAY_PORT); // the underlay port went
  }
  vtep(): ReturnType<Tunnels['vtep']> { return this.tunnelsOf.vtep(); }
  vtepStats(): Record<string, number> | null { return this.tunnelsOf.stats(); }
  tunnelAdd(id: number, t: { remote: string; vni: number }): void { this.tunnelsOf.add(id, t); }
  tunnelDel(id: number): void { this.tunnelsOf.del(id); }
  tunnel(id: number): TunnelState | undefined { return this.tunnelsOf.get(id); }
  tunnels(): TunnelState[] { return this.tunnelsOf.list(); }
  vniSet(vni: number, bridge: string, vlan: number): void { this.tunnelsOf.vniSet(vni, bridge, vlan); }
  vniDel(vni: number): boolean { return this.tunnelsOf.vniDel(vni); }
  /** VNI `vni` is VRF `vrf`'s L3 VNI (EVPN type-5), `rmac` our router MAC in it. */
  l3vniSet(vni: number, vrf: string, rmac: string): void { this.tunnelsOf.l3vniSet(vni, vrf, rmac); }

  /** Test hooks for memory ports (no kernel involved). */
  memInject(port: string, frame: Buffer): void { this.core.memInject(this.memPortId(port), frame); }
  memPop(port: string): Buffer | null { return this.core.memPop(this.memPortId(port)); }
  /** A configured port's id, or the underlay's (UNDERLAY_PORT, a memory-backed vtep). */
  private memPortId(port: string): number {
    const underlay = port === UNDERLAY_PORT ? this.tunnelsOf.portId() : port === MPLS_UNDERLAY_PORT ? this.mpls.portId() : undefined;
    return underlay ?? this.reg.portEntry(port).id;
  }
  pollOnce(): number { return this.core.pollOnce(0); }
}

/** An IPv4 or IPv6 address as the core takes it (4 or 16 bytes). */
function ipBytes(ip: string): Buffer {
  const p = parseIp(ip);
  if (!p) throw new DataplaneError(`invalid IP address ${ip}`);
  return p.bytes;
}
