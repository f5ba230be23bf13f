// The reconciler: config is desired state.  `reconcile` diffs the running
// config against the next one and changes only what differs, in steps whose
// order keeps every intermediate state valid in the core:
//   1. ports that go away or must be reopened are removed;
//   2. bridges removed or rebuilt (a new size) — their remaining ports are
//      moved out first — then bridges added; VRFs removed, then added;
//   3. ports added or changed (undone as a whole if one of them fails).
// Routes (step 4) are the controller's: they merge the config's route sets
// with those of the other origins (route-sets.ts).  Traffic on ports that did
// not change is not disturbed.
import type { Dataplane, PortSpec, PuntClass } from '../dataplane/index.js';
import type { Config, PortConfig } from './config.js';
import { routerMac } from './router-mac.js';

export interface ApplySummary {
  bridgesAdded: string[];
  bridgesRemoved: string[];
  portsAdded: string[];
  portsRemoved: string[];
  portsChanged: string[];
  /** ports left out because their interface does not exist (port-presence.ts) */
  portsAbsent: string[];
}

/** A port step failed: `applied` is the config of what is in place now. */
export class ReconcileError extends Error {
  constructor(readonly error: unknown, readonly applied: Config) {
    super((error as Error)?.message ?? String(error));
  }
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

const isL3 = (p: PortConfig) => p.mode === 'routed' || p.mode === 'vm';

/** An access port in a VLAN that an EVPN instance stretches: its ARP/ND are
 *  snooped (copied to the controller) for MAC/IP routes.  (A trunk's tags may
 *  be stripped by the kernel before the copy: not snooped.) */
function snoops(p: PortConfig, c: Config): boolean {
  return p.mode === 'access' && c.evpn.some((e) => e.bridge === p.bridge && e.vlan === p.vlan);
}

/** A port of a bridge that runs spanning tree: its BPDUs go to the controller (config-stp.ts). */
function runsStp(p: PortConfig, c: Config): boolean {
  return (c.stp ?? []).some((s) => s.ports.some((x) => x.name === p.name));
}

/** The dataplane spec of a configured port (routed and vm ports get our router MAC). */
export function portSpec(p: PortConfig, c?: Config): PortSpec {
  const spec: PortSpec = { ...p, mac: isL3(p) ? routerMac(p) : null };
  const classes: PuntClass[] = [];
  if (c && snoops(p, c)) classes.push('arp', 'nd');
  if (c && runsStp(p, c)) classes.push('stp');
  if (classes.length) spec.punt = { classes };
  return spec;
}

/** What the steps share: the two configs and the ports still open from `cur`. */
interface Plan {
  dp: Dataplane;
  cur: Config;
  next: Config;
  /** Ports of `cur` still in the dataplane (step 1 deletes from it). */
  curPorts: Map<string, PortConfig>;
  /** Bridges whose size changed: rebuilt, their ports detached first. */
  rebuilt: Set<string>;
  /** Whether a port's interface is there to open (absent ports are left out). */
  present: (p: PortConfig) => boolean;
  s: ApplySummary;
}

/** Applies the ports, bridges, VRFs and ageing of `next` over `cur`.  Throws
 *  ReconcileError when a port cannot be opened (its step is undone).  A port
 *  for which `present` says no (its interface is missing) is left out of the
 *  dataplane but stays in the config: it is attached when its interface comes. */
export function reconcile(dp: Dataplane, cur: Config, next: Config, present: (p: PortConfig) => boolean = () => true): ApplySummary {
  const curBridges = new Map(cur.bridges.map((b) => [b.name, b]));
  const plan: Plan = {
    dp,
    cur,
    next,
    curPorts: new Map(cur.ports.filter((p) => dp.hasPort(p.name)).map((p) => [p.name, p])),
    rebuilt: new Set(next.bridges.filter((b) => curBridges.has(b.name) && curBridges.get(b.name)!.maxMacs !== b.maxMacs).map((b) => b.name)),
    present,
    s: { bridgesAdded: [], bridgesRemoved: [], portsAdded: [], portsRemoved: [], portsChanged: [], portsAbsent: [] },
  };
  if (next.agingSeconds !== cur.agingSeconds) dp.setAging(next.agingSeconds);
  removePorts(plan);
  reconcileBridges(plan);
  reconcileVrfs(plan);
  addOrUpdatePorts(plan);
  reconcileNeighbors(plan);
  return plan.s;
}

/** Step 1: ports that go away or must be reopened. */
function removePorts({ dp, cur, next, curPorts, rebuilt, s }: Plan): void {
  const nextPorts = new Map(next.ports.map((p) => [p.name, p]));
  const nextBridges = new Set(next.bridges.map((b) => b.name));
  const nextVrfs = new Set(next.vrfs.map((v) => v.name));
  for (const p of cur.ports) {
    const n = nextPorts.get(p.name);
    if (
      !n ||
      needsReopen(p, n) ||
      (p.bridge !== null && (rebuilt.has(p.bridge) || !nextBridges.has(p.bridge))) ||
      (p.vrf !== null && !nextVrfs.has(p.vrf)) ||
      isL3(p) !== isL3(n)
    ) {
      if (curPorts.delete(p.name)) dp.removePort(p.name); // an absent port is not in the dataplane
      if (!n) s.portsRemoved.push(p.name);
    }
  }
}

/** Step 2a: bridges removed or rebuilt, then added. */
function reconcileBridges({ dp, cur, next, curPorts, rebuilt, s }: Plan): void {
  const nextBridges = new Set(next.bridges.map((b) => b.name));
  const curBridges = new Set(cur.bridges.map((b) => b.name));
  for (const b of cur.bridges) {
    if (!nextBridges.has(b.name) || rebuilt.has(b.name)) {
      // ports still in it are moved out first (they get their new bridge in step 3)
      for (const p of curPorts.values()) if (p.bridge === b.name) dp.updatePort(portSpec({ ...p, bridge: null }));
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
}

/** Step 2b: VRFs (their ports left in step 1; their routes go with them). */
function reconcileVrfs({ dp, cur, next }: Plan): void {
  const nextVrfs = new Set(next.vrfs.map((v) => v.name));
  const curVrfs = new Set(cur.vrfs.map((v) => v.name));
  for (const v of cur.vrfs) if (!nextVrfs.has(v.name)) dp.removeVrf(v.name);
  for (const v of next.vrfs) if (!curVrfs.has(v.name)) dp.addVrf(v.name);
}

/** Step 3: ports added or changed; nothing half-applied if one fails. */
function addOrUpdatePorts({ dp, cur, next, curPorts, present, s }: Plan): void {
  const added: string[] = [];
  try {
    for (const p of next.ports) {
      const c = curPorts.get(p.name);
      if (!c && !present(p)) {
        s.portsAbsent.push(p.name);
      } else if (!c) {
        dp.addPort(portSpec(p, next));
        added.push(p.name);
        if (!cur.ports.some((x) => x.name === p.name)) s.portsAdded.push(p.name);
        else s.portsChanged.push(p.name);
      } else if (!samePort(c, p) || snoops(c, cur) !== snoops(p, next) || runsStp(c, cur) !== runsStp(p, next) || !dp.hasPort(p.name)) {
        dp.updatePort(portSpec(p, next));
        s.portsChanged.push(p.name);
      }
    }
  } catch (e) {
    for (const name of added) dp.removePort(name);
    const kept = (p: PortConfig) => (dp.hasPort(p.name) || s.portsAbsent.includes(p.name)) && !added.includes(p.name);
    throw new ReconcileError(e, { ...next, ports: next.ports.filter(kept) });
  }
}

/** Step 4: the permanent neighbors of routed and vm ports.  Setting one is
 *  idempotent (and a port added or reopened has none); one removed or changed
 *  takes the port's table with it (the core flushes by port), then the
 *  configured ones go back. */
function reconcileNeighbors({ dp, next, curPorts }: Plan): void {
  for (const p of next.ports) {
    if (!isL3(p) || !dp.hasPort(p.name)) continue;
    const want = new Set(p.neighbors.map((n) => `${n.ip} ${n.mac}`));
    if ((curPorts.get(p.name)?.neighbors ?? []).some((n) => !want.has(`${n.ip} ${n.mac}`))) dp.flushNeighbors(p.name, true);
    setNeighbors(dp, p);
  }
}

/** A port's configured permanent neighbors into the dataplane. */
export function setNeighbors(dp: Dataplane, p: PortConfig): void {
  for (const n of p.neighbors) dp.setNeighbor(p.name, n.ip, n.mac);
}
