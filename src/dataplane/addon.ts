// The one place that loads the native addon (ARCHITECTURE.md: only src/dataplane
// imports it).  The raw shape below mirrors native/addon/*.cc (core_object.cc
// for the lifecycle, one file per concept for the rest).
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { packageRoot } from '../util/root.js';

export interface RawL3Settings {
  vrf: number;
  mac?: Buffer;
  addr4?: { addr: number; plen: number }[];
  addr6?: { addr: Buffer; plen: number }[];
  vmMac?: Buffer;
  vm4?: number[];
  vm6?: Buffer[];
}
export interface RawPortSettings {
  bd: number;
  mode: number;
  vlan: number;
  macLimit: number;
  allowed: number[];
  l3?: RawL3Settings;
  /** HV_PUNT_* bits (punt.cc, punt.h); absent = 0, nothing punted */
  puntMask?: number;
  /** punted packets/s; absent or 0 = the core's default */
  puntRate?: number;
  /** split-horizon group in flood lists (flood.h), 0 = none */
  floodGroup?: number;
  /** mode member: the bond's port id (bond.h) */
  bond?: number;
}
export interface RawNextHop {
  kind: number;
  af?: number;
  port?: number;
  mac?: Buffer;
  gw?: Buffer;
  members?: number[];
  /** HV_NH_MPLS: the MPLS tunnel id and the remote PE's label (mpls.h) */
  tunnel?: number;
  label?: number;
  /** HV_NH_VXLAN: our router MAC (`mac`: the remote's; `tunnel`: a VXLAN tunnel, vxlan.h) */
  smac?: Buffer;
}
export interface RawNeighbor {
  port: number;
  af: number;
  ip: Buffer;
  mac: string;
  state: number;
  age: number;
}
export interface RawPortOpen {
  kind: number;
  name: string;
  mtu?: number;
  ringBlocks?: number;
  ringBlockKb?: number;
  ringTimeoutMs?: number;
  /** UDP underlay: address family, local VTEP address (4 or 16 bytes), UDP port to receive on */
  af?: number;
  local?: Buffer;
  udpPort?: number;
  /** memory port: an MPLS underlay (whole datagrams, mpls.h) */
  mpls?: number;
}
export interface RawFdbEntry {
  vlan: number;
  mac: string;
  /** the egress's port id if it is a local port, else HV_FDB_NO_PORT */
  port: number;
  static: boolean;
  /** enum hv_fdb_kind */
  kind: number;
  /** the egress handle, split (egress.h): enum hv_egress_kind and index */
  egressKind: number;
  egressIndex: number;
  age: number;
}
export interface RawEvent {
  kind: number;
  mac?: string;
  bd?: number;
  vlan?: number;
  port?: number;
  /** MOVED: the previous port, HV_FDB_NO_PORT if it was not a local port */
  oldPort?: number;
  /** MOVED: the previous egress handle, split (egress.h) */
  oldEgressKind?: number;
  oldEgressIndex?: number;
  count?: number;
}
export interface RawPunt {
  port: number;
  /** one HV_PUNT_* bit */
  reason: number;
  truncated: boolean;
  /** length as received; data holds at most snapLen bytes */
  len: number;
  data: Buffer;
}
/** native/addon/constants.cc: the core's limits and enums. */
export interface RawConstants {
  limits: Record<
    | 'HV_MAX_PORTS' | 'HV_MAX_BDS' | 'HV_MAX_VRFS' | 'HV_MAX_WORKERS' | 'HV_VLAN_MAX' | 'HV_MAX_FRAME' | 'HV_NO_BD'
    | 'HV_FDB_NO_PORT' | 'HV_MAX_NH' | 'HV_ECMP_MAX' | 'HV_L3_ADDRS' | 'HV_FIB_NH_MAX' | 'HV_EGRESS_INDEX_MASK'
    | 'HV_EGRESS_NONE' | 'HV_FLOOD_EXTRA_MAX' | 'HV_MAX_TUNNELS' | 'HV_MAX_VNIS' | 'HV_VNI_MAX' | 'HV_VXLAN_PORT'
    | 'HV_MAX_MPLS_TUNNELS' | 'HV_MPLS_UDP_PORT' | 'HV_MPLS_LABEL_MIN' | 'HV_MPLS_LABEL_MAX',
    number
  >;
  enums: Record<'port_kind' | 'port_mode' | 'event_kind' | 'fdb_kind' | 'egress_kind' | 'nh_kind' | 'neigh_state' | 'link_event_kind' | 'mpls_encap' | 'bond_hash', Record<string, number>>;
}
export interface RawWorkerStats {
  loops: number;
  batches: number;
  packets: number;
  polls: number;
  empty_polls: number;
  sleeps: number;
}
export interface RawCore {
  start(): void;
  stop(): void;
  close(): void;
  setAging(seconds: number): void;
  now(): number;
  addBridgeDomain(index: number, maxMacs: number): void;
  removeBridgeDomain(index: number): void;
  floodAdd(bd: number, vlan: number, egressKind: number, egressIndex: number, group: number): void;
  floodDel(bd: number, vlan: number, egressKind: number, egressIndex: number): boolean;
  floodList(bd: number): { vlan: number; egressKind: number; egressIndex: number; group: number }[];
  addPort(open: RawPortOpen, settings: RawPortSettings): number;
  /** tunnels.cc: VXLAN tunnel endpoints and the VNI map (vxlan.h) */
  tunnelAdd(id: number, t: { underlay: number; af: number; local: Buffer; remote: Buffer; vni: number }): void;
  tunnelDel(id: number): boolean;
  vniSet(vni: number, bd: number, vlan: number): void;
  vniDel(vni: number): boolean;
  /** es.cc: Ethernet segment filters and aliasing groups (es.h) */
  esSet(port: number, ndfVlans: number[], peers: { af: number; addr: Buffer }[]): void;
  esDel(port: number): boolean;
  groupSet(id: number, tunnels: number[]): void;
  groupDel(id: number): boolean;
  groupGet(id: number): number[];
  l3vniSet(vni: number, vrf: number, rmac: Buffer): void;
  /** mpls.cc: MPLS tunnels to remote PEs and the label table (mpls.h) */
  mplsTunnelAdd(id: number, t: { underlay: number; af: number; encap: number; ttl?: number; local: Buffer; remote: Buffer }): void;
  mplsTunnelDel(id: number): boolean;
  labelSet(label: number, vrf: number): void;
  labelDel(label: number): boolean;
  /** the VRF index of `label`, -1 if none */
  labelGet(label: number): number;
  setPort(id: number, settings: RawPortSettings): void;
  removePort(id: number): void;
  /** bonds.cc (bond.h): a member's LACP state, a bond's hash, its distributing members */
  bondMember(member: number, collecting: boolean, distributing: boolean): void;
  bondHash(bond: number, hash: number): void;
  bondDistributing(bond: number): number[];
  portInfo(id: number): { name: string; kind: number; mtu: number; created: boolean; macs: number; xdpMode?: string; fallback?: string } | null;
  portStats(id: number): Record<string, number>;
  fdbList(bd: number): RawFdbEntry[];
  fdbAddStatic(bd: number, vlan: number, mac: Buffer, port: number): void;
  fdbAddRemote(bd: number, vlan: number, mac: Buffer, egressKind: number, egressIndex: number): void;
  /** suppress.cc: EVPN ARP/ND suppression bindings; ip is 4 or 16 bytes; set throws "suppression table full" */
  suppressSet(bd: number, vlan: number, ip: Buffer, mac: Buffer): void;
  suppressDel(bd: number, vlan: number, ip: Buffer): boolean;
  suppressList(): { bd: number; vlan: number; ip: Buffer; mac: string }[];
  fdbAddRemoteMany(bd: number, records: Buffer): number;
  fdbDel(bd: number, vlan: number, mac: Buffer): boolean;
  fdbFlush(bd: number, port: number, vlan: number, withStatic: boolean): number;
  drainEvents(): RawEvent[];
  onEvents(cb: () => void): void;
  workerStats(): RawWorkerStats[];
  memInject(port: number, frame: Buffer): void;
  memPop(port: number): Buffer | null;
  pollOnce(worker?: number): number;
  /** true if queued, false if the inject ring is full (counted as inject_full) */
  inject(port: number, frame: Buffer): boolean;
  punts(max: number): RawPunt[];
  /** stp.cc (stp.h): the spanning tree state the core enforces on a port */
  stpSet(port: number, state: number): void;
  stpGet(port: number): number;
  /** capture.cc (capture.h): attach/detach a capture, drain the records as one packed Buffer */
  captureStart(port: number, dir: number, snaplen: number, program: Buffer | null): number;
  captureStats(port: number, id: number): { captured: number; dropped: number; filtered: number } | null;
  captureStop(port: number, id: number): { captured: number; dropped: number; filtered: number } | null;
  captures(): Buffer | null;
  addVrf(index: number): void;
  removeVrf(index: number): void;
  route(vrf: number, prefix: Buffer, plen: number, nh: number, del: boolean): number;
  /** 28-byte records (vrfs.cc); each applied one gets the prefix's previous next hop at offset 24 (0xffffffff: none). */
  routeBatch(vrf: number, batch: Buffer): { index: number; error: number } | null;
  /** Every route of the VRF: 24-byte records {af, plen, 0, 0, nh u32le, prefix[16]} (vrfs.cc). */
  routeList(vrf: number): Buffer;
  routeCount(vrf: number): { ipv4: number; ipv6: number };
  setNextHop(id: number, nh: RawNextHop): void;
  synchronize(): void;
  /** FIB groups waiting for a synchronize (0: it would reclaim nothing). */
  fibRetired(): number;
  neighList(): RawNeighbor[];
  neighSet(port: number, ip: Buffer, mac: Buffer): void;
  neighFlush(port: number, all: boolean): void;
  /** liveness.cc: each worker's heartbeat (grows once per loop iteration) */
  workerHeartbeats(): number[];
  /** liveness.cc: TEST HOOK, worker `worker` holds its loop for `ms` */
  testStallWorker(worker: number, ms: number): void;
  /** polling.cc: worker `worker`'s polling mode (index in `polling.modes`) and adaptive budget */
  setPolling(worker: number, mode: number, budgetUs: number): void;
  /** polling.cc: the adaptive mode's traffic-aware budget bound and nap (0: off); before setPolling */
  setPollingGrowth(worker: number, budgetMaxUs: number, napUs: number): void;
  getPolling(worker: number): { mode: number; budgetUs: number; budgetMaxUs: number; napUs: number } | null;
}
/** native/addon/linkmon.cc: one rtnetlink link notification (linkmon.h). */
export interface RawLinkEvent {
  kind: number;
  ifindex: number;
  flags: number;
  name: string;
}
export interface RawAddon {
  Core: new (opts: { workers?: number; agingSeconds?: number; pollMs?: number }) => RawCore;
  /** linkmon.cc: the kernel's link notifications, a batch per callback */
  LinkMonitor: new (cb: (events: RawLinkEvent[]) => void) => { close(): void };
  /** linkmon.cc: if_nametoindex(name), 0 when there is no such interface */
  linkIndex(name: string): number;
  counters: { name: string; help: string }[];
  /** HV_WORKER_STATS (hv.h): the keys of workerStats()' objects */
  workerStats: { name: string; help: string }[];
  /** polling.cc (polling.h): mode names by value, budget limits */
  polling: { modes: string[]; budgetMaxUs: number; budgetDefaultUs: number; budgetGrowMaxUs: number; napMaxUs: number };
  /** HV_PUNT_CLASSES (punt.h) and the punt/inject limits */
  punt: {
    classes: { name: string; bit: number; help: string }[];
    rateDefault: number;
    /** HV_PUNT_RING: the most one punts() call returns */
    ring: number;
    snapLen: number;
    frameMin: number;
    frameMax: number;
  };
  /** HV_STP_STATES (stp.h) */
  stp: { states: { name: string; value: number; help: string }[] };
  constants: RawConstants;
  /** liveness.cc: one sd_notify(3) datagram; throws with the reason */
  sdNotify(socket: string, message: string): void;
  /** sched.cc: threads named `comm` but the main one under SCHED_BATCH; how many; throws with the reason */
  schedBatchHelpers(comm: string): number;
  /** capture.h limits and directions (capture.cc) */
  capture: { snapDefault: number; snapMax: number; recordHeader: number; ringBytes: number; dirIn: number; dirOut: number; dirBoth: number };
  /** a tcpdump expression as classic BPF instructions (libpcap's pcap_compile); throws its message */
  compileFilter(expr: string, linktype: number, snaplen: number): Buffer;
}

let cached: RawAddon | undefined;
export function loadAddon(): RawAddon {
  if (!cached) {
    const require = createRequire(import.meta.url);
    cached = require(join(packageRoot(), 'build', 'addon', 'Release', 'hvswitch.node')) as RawAddon;
  }
  return cached;
}
