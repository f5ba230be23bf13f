// LACP bonds of the config (config-bonds.ts) in the dataplane: for each bond a
// logical port of backend `bond` (native/core/bond.h) in its bridge, its
// members as ports of mode `member`, and the 802.1AX machines
// (src/l2gw/lacp/) fed by the members' punted LACPDUs.  The mux's
// Enable/Disable_Collecting_Distributing marks the member in the core, which
// accepts frames only from collecting members and distributes over the
// distributing ones.
//
// Fallback (off by default): while no member has heard a partner (every
// receive machine DEFAULTED or EXPIRED, none distributing), the member with the
// best port identifier (priority, then number) among those whose link is up
// is marked collecting+distributing on its own, so a server that does not
// speak LACP (a PXE boot, a misconfigured switch) still reaches the bridge
// through one link; the first LACPDU heard hands the bond back to LACP.
//
// Config changes apply the difference (`before` runs before the reconciler
// removes ports and bridges, `after` once they are in place): a bond removed,
// moved to another bridge, or in a bridge being removed or rebuilt is
// rebuilt (its ports reopened); new LACP system parameters (system ID or
// priority, key, mode, rate) restart the machines over the same ports,
// renegotiating; a member removed or changed (backend, MTU, port priority)
// leaves, one added joins; VLAN settings, MAC limit, hash and fallback change
// in place, the members negotiating on.
//
// For EVPN multihoming (src/vpn/es.ts) BondControl reports each bond's state
// (carrying traffic or not) and its LACP partner: the system ID and key of
// the partner of the aggregated (SELECTED) members, from their LACPDUs.  The
// selection logic gives a bond one partner (members hearing another stay
// unselected), so that is the partner an `esi: auto` is derived from.
import { LinkWatcher, type Dataplane, type LinkEvent } from '../dataplane/index.js';
import { LacpDataplaneBond } from '../l2gw/lacp/dataplane-link.js';
import type { LacpPort } from '../l2gw/lacp/port.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { LacpPartner } from '../vpn/es.js';
import type { BondConfig, BondMemberConfig } from './config-bonds.js';
import type { Config } from './config.js';
import { bondReport, type BondReport } from './bond-report.js';

export type { BondReport, BondMemberReport } from './bond-report.js';

const sameLacp = (a: BondConfig, b: BondConfig) =>
  a.lacp.mode === b.lacp.mode && a.lacp.rate === b.lacp.rate && a.lacp.systemId === b.lacp.systemId &&
  a.lacp.systemPriority === b.lacp.systemPriority && a.lacp.key === b.lacp.key;
const sameMember = (a: BondMemberConfig, b: BondMemberConfig) =>
  a.backend === b.backend && a.mtu === b.mtu && a.portPriority === b.portPriority && a.port === b.port;
const sameL2 = (a: BondConfig, b: BondConfig) =>
  a.mode === b.mode && a.vlan === b.vlan && a.macLimit === b.macLimit && a.allowedVlans.join(',') === b.allowedVlans.join(',');

/** One bond running: its ports in the dataplane and its LACP. */
export class BondRuntime {
  lacp: LacpDataplaneBond;
  /** the member forwarding by fallback, if any */
  fallbackMember: string | null = null;
  /** members that could not be opened, with the reason */
  readonly absent = new Map<string, string>();

  constructor(private readonly dp: Dataplane, public config: BondConfig, private readonly log: Logger, private readonly clock: Clock, private readonly changed: () => void = () => {}) {
    const c = config;
    dp.addPort({ name: c.name, backend: 'bond', bridge: c.bridge, mode: c.mode, vlan: c.vlan, allowedVlans: c.allowedVlans, macLimit: c.macLimit, mtu: 1500 });
    dp.bonds.setHash(c.name, c.hash);
    this.lacp = this.startLacp(c);
    for (const m of c.members) this.addMember(m);
  }

  private startLacp(c: BondConfig): LacpDataplaneBond {
    return new LacpDataplaneBond(this.dp, {
      name: c.name, system: c.lacp.systemId, systemPriority: c.lacp.systemPriority, key: c.lacp.key, mode: c.lacp.mode, rate: c.lacp.rate,
    }, {
      clock: this.clock,
      distributing: (member, on) => this.onDistributing(member, on),
      settled: () => {
        this.updateFallback();
        this.changed(); // the partner may have changed
      },
    });
  }

  /** New LACP system parameters: the machines restart from BEGIN over the
   *  same member ports (out of distribution until they negotiate again). */
  restartLacp(next: BondConfig): void {
    const members = this.lacp.bond.members().map((p) => ({ name: p.name, mac: p.mac, port: p.actor.port, portPriority: p.actor.portPriority, enabled: p.enabled }));
    this.lacp.close();
    this.fallbackMember = null;
    for (const m of members) this.dp.bonds.setMember(m.name, false, false);
    this.config = { ...this.config, lacp: next.lacp };
    this.lacp = this.startLacp(this.config);
    for (const m of members) {
      this.lacp.bond.addMember({ name: m.name, mac: m.mac, port: m.port, portPriority: m.portPriority });
      this.lacp.bond.setLink(m.name, m.enabled);
    }
    this.log.info({ bond: this.config.name }, 'bond LACP restarted (system parameters changed)');
  }

  addMember(m: BondMemberConfig): void {
    try {
      this.dp.addPort({
        name: m.name, backend: m.backend, bridge: null, mode: 'member', bond: this.config.name, vlan: 0, allowedVlans: [],
        macLimit: this.config.macLimit, mtu: m.mtu, punt: { classes: ['slow'] },
      });
    } catch (e) {
      this.absent.set(m.name, (e as Error).message);
      this.log.warn({ bond: this.config.name, member: m.name, err: (e as Error).message }, 'bond member not opened');
      return;
    }
    this.absent.delete(m.name);
    this.lacp.bond.addMember({ name: m.name, mac: m.mac, port: m.port, portPriority: m.portPriority });
    this.lacp.bond.setLink(m.name, true);
  }

  removeMember(name: string): void {
    if (this.absent.delete(name)) return;
    if (this.fallbackMember === name) this.fallbackMember = null;
    this.lacp.bond.removeMember(name);
    this.dp.removePort(name);
  }

  hasMember(name: string): boolean { return this.lacp.bond.members().some((p) => p.name === name); }

  /** port_enabled of a member (its link), from the controller's link events. */
  setLink(member: string, up: boolean): void {
    // a TAP's device may live in another namespace (a VM's): only af-packet members follow links here
    if (this.config.members.find((m) => m.name === member)?.backend !== 'af-packet') return;
    if (!this.hasMember(member) || this.lacp.bond.member(member).enabled === up) return;
    this.lacp.bond.setLink(member, up);
    this.log.info({ bond: this.config.name, member }, up ? 'bond member link up' : 'bond member link down');
  }

  /** In-place changes: VLAN settings, MAC limit, hash, fallback. */
  update(next: BondConfig): void {
    const c = this.config;
    if (!sameL2(c, next))
      this.dp.updatePort({ name: c.name, backend: 'bond', bridge: next.bridge, mode: next.mode, vlan: next.vlan, allowedVlans: next.allowedVlans, macLimit: next.macLimit, mtu: 1500 });
    if (c.hash !== next.hash) this.dp.bonds.setHash(c.name, next.hash);
    this.config = next;
    this.updateFallback();
  }

  close(): void {
    this.lacp.close();
    for (const p of this.lacp.bond.members()) this.dp.removePort(p.name);
    this.dp.removePort(this.config.name);
  }

  report(): BondReport {
    return bondReport(this.config, this.lacp.bond.members(), this.fallbackMember, this.absent, this.lacp.bond.aggregator);
  }

  private onDistributing(member: string, on: boolean): void {
    if (this.fallbackMember === member && !on) return; // fallback keeps it until LACP takes over
    this.dp.bonds.setMember(member, on, on);
    this.log.info({ bond: this.config.name, member }, on ? 'bond member collecting+distributing' : 'bond member out of distribution');
    this.changed();
  }

  /** Some member collecting and distributing (the bond carries traffic). */
  get up(): boolean { return this.dp.bonds.distributing(this.config.name).length > 0; }

  /** The partner (system ID, key) of the aggregated members; null while no member is selected. */
  get partner(): LacpPartner | null {
    const a = this.lacp.bond.aggregator.partner;
    if (!a || !this.lacp.bond.members().some((p) => p.selected === 'selected')) return null;
    return { system: a.system, key: a.key };
  }

  /** §-less: the fallback rule of the module header. */
  private updateFallback(): void {
    const ports = this.lacp.bond.members();
    const partnered = ports.some((p) => p.rx === 'current' || p.distributing);
    const want = this.config.lacp.fallback && !partnered ? bestEnabled(ports) : null;
    if (want === this.fallbackMember) return;
    const old = this.fallbackMember;
    this.fallbackMember = want;
    if (old !== null && this.hasMember(old) && !this.lacp.bond.member(old).distributing) this.dp.bonds.setMember(old, false, false);
    if (want !== null) {
      this.dp.bonds.setMember(want, true, true);
      this.log.warn({ bond: this.config.name, member: want }, 'bond fallback: no LACP partner, one member forwards');
    }
    this.changed();
  }
}

/** The enabled member with the best port identifier (lower priority, then lower number). */
function bestEnabled(ports: LacpPort[]): string | null {
  let best: LacpPort | undefined;
  for (const p of ports) {
    if (!p.enabled) continue;
    if (!best || p.actor.portPriority < best.actor.portPriority || (p.actor.portPriority === best.actor.portPriority && p.actor.port < best.actor.port)) best = p;
  }
  return best?.name ?? null;
}

/** The bonds of the running config. */
export class BondControl {
  private readonly running = new Map<string, BondRuntime>();
  private watcher: LinkWatcher | undefined;
  private readonly upNow = new Map<string, boolean>();
  private readonly partnerNow = new Map<string, LacpPartner | null>();
  /** A bond started or stopped carrying traffic (EVPN multihoming follows it). */
  onBondState: ((bond: string, up: boolean) => void) | null = null;
  /** A bond's aggregated partner changed (null: none selected now). */
  onBondPartner: ((bond: string, partner: LacpPartner | null) => void) | null = null;

  constructor(private readonly dp: Dataplane, private readonly log: Logger, private readonly clock: Clock = systemClock) {}

  /** Before the reconciler: what must leave the dataplane first. */
  before(cur: Config, next: Config): void {
    const nextBonds = new Map(next.bonds.map((b) => [b.name, b]));
    const nextBridges = new Map(next.bridges.map((b) => [b.name, b.maxMacs]));
    const bridgeGoes = (name: string | null) => {
      if (name === null) return false;
      const was = cur.bridges.find((b) => b.name === name);
      return !nextBridges.has(name) || (was !== undefined && nextBridges.get(name) !== was.maxMacs);
    };
    for (const [name, rt] of this.running) {
      const n = nextBonds.get(name);
      if (!n || rt.config.bridge !== n.bridge || bridgeGoes(rt.config.bridge)) {
        rt.close();
        this.running.delete(name);
        this.stateOf(name);
        this.log.info({ bond: name }, n ? 'bond rebuilt' : 'bond removed');
        continue;
      }
      const want = new Map(n.members.map((m) => [m.name, m]));
      for (const m of rt.config.members) {
        const w = want.get(m.name);
        if (!w || !sameMember(m, w)) rt.removeMember(m.name);
      }
    }
  }

  /** After the reconciler: bonds added, members added, in-place changes. */
  after(next: Config): void {
    for (const b of next.bonds) {
      const rt = this.running.get(b.name);
      if (!rt) {
        this.running.set(b.name, new BondRuntime(this.dp, b, this.log.child({ module: 'lacp' }), this.clock, () => this.stateOf(b.name)));
        this.log.info({ bond: b.name, members: b.members.map((m) => m.name) }, 'bond added');
        continue;
      }
      if (!sameLacp(rt.config, b)) rt.restartLacp(b);
      for (const m of b.members) if (!rt.hasMember(m.name)) rt.addMember(m);
      rt.update(b);
    }
  }

  /** Follows the members' carrier (rtnetlink): a member whose link goes down
   *  leaves at once (port_enabled FALSE) instead of after the partner's timeout. */
  watchLinks(): void {
    if (this.watcher) return;
    try {
      this.watcher = new LinkWatcher((events) => this.onLinks(events));
    } catch (e) {
      this.log.warn({ module: 'lacp', err: (e as Error).message }, 'no link notifications: a cut member link is noticed by the LACP timeout');
    }
  }

  private onLinks(events: LinkEvent[]): void {
    for (const e of events) {
      if (e.kind === 'overrun') continue; // the next change of each link says its state again
      this.setLink(e.name, e.kind === 'new' && e.up && e.running);
    }
  }

  /** A member's link went up or down (port_enabled). */
  setLink(member: string, up: boolean): void {
    for (const rt of this.running.values()) rt.setLink(member, up);
  }

  get(name: string): BondRuntime | undefined { return this.running.get(name); }

  /** Whether bond `name` carries traffic now. */
  isUp(name: string): boolean { return this.upNow.get(name) ?? false; }

  /** The partner of bond `name`'s aggregated members now (null: none). */
  partnerOf(name: string): LacpPartner | null { return this.partnerNow.get(name) ?? null; }

  private stateOf(name: string): void {
    const rt = this.running.get(name);
    const partner = rt?.partner ?? null;
    const was = this.partnerNow.get(name) ?? null;
    if (partner?.system !== was?.system || partner?.key !== was?.key) {
      this.partnerNow.set(name, partner);
      this.onBondPartner?.(name, partner);
    }
    const up = rt !== undefined && this.dp.hasPort(name) && rt.up;
    if ((this.upNow.get(name) ?? false) === up) return;
    this.upNow.set(name, up);
    this.onBondState?.(name, up);
  }

  /** `lacp show`: every bond, or one (undefined if no such bond). */
  reports(name?: string): BondReport[] | undefined {
    if (name !== undefined) {
      const rt = this.running.get(name);
      return rt ? [rt.report()] : undefined;
    }
    return [...this.running.keys()].sort().map((n) => this.running.get(n)!.report());
  }

  close(): void {
    this.watcher?.close();
    for (const rt of this.running.values()) rt.lacp.close();
    this.running.clear();
  }
}
