/**
 * An LACP bond: the Aggregation System of IEEE 802.1AX-2008 §5.4 reduced to
 * one aggregator over a set of member ports.
 *
 * The bond owns the members' 802.1AX variables (port.ts) and steps the five
 * machines — receive, periodic, selection, mux, then transmit — until none
 * moves, after every event: a LACPDU from a member, a timer running out on the
 * injected clock, a link going up or down. Transmission runs last so one
 * event yields one LACPDU carrying the settled state. Events that arrive while
 * the machines run (a peer answering synchronously) are queued and processed
 * next, so the machines are never re-entered.
 *
 * The bond talks to the outside through two hooks: `transmit` (a LACPDU
 * frame to send out of a member — the controller's dataplane.inject) and
 * `distributing` (a member entering or leaving collecting+distributing — what
 * the core's distribution hash and ingress filter use). The bond decodes the
 * member's frames itself; a malformed frame is counted, never thrown.
 */
import { systemClock, type Clock } from '../../util/clock.js';
import { MachineEvents } from '../machine-events.js';
import { decodeOrCount } from '../pdu-error.js';
import { muxTable, stepMux } from './mux.js';
import { decodeLacpFrame, encodeLacpFrame } from './pdu.js';
import { periodicTable, stepPeriodic } from './periodic.js';
import { emptyState, LacpPort, type LacpPortConfig, type PortEnv } from './port.js';
import { receiveTable, stepReceive } from './receive.js';
import { chooseAggregatorPartner, stepSelection, type Aggregator } from './selection.js';
import { stepTransmit, transmitTable } from './transmit.js';

export interface LacpBondConfig {
  name: string;
  /** Actor_System: the bond's MAC-48 system ID */
  system: string;
  systemPriority: number;
  /** the aggregator's key, Actor_Oper_Key of every member */
  key: number;
  /** active sends LACPDUs unasked; passive only answers an active partner */
  mode: 'active' | 'passive';
  /** fast asks the partner for a LACPDU every 1 s (3 s timeout), slow every 30 s (90 s) */
  rate: 'fast' | 'slow';
}

export interface LacpBondHooks {
  transmit(member: string, frame: Buffer): void;
  distributing?(member: string, on: boolean): void;
  /** the machines settled after an event (a timer, a PDU, a link change): state may have changed */
  settled?(): void;
}

/** Bound on machine steps per event: far above any legal settle (a bug guard). */
const MAX_STEPS = 10_000;

/** BEGIN: every machine enters its initial state (so DETACHED sets NTT, sent once the link is up). */
function begin(p: LacpPort): void {
  receiveTable[p.rx].enter(p);
  periodicTable[p.periodic].enter(p);
  muxTable[p.mux].enter(p);
  transmitTable[p.tx].enter(p);
}

export class LacpBond {
  readonly aggregator: Aggregator;
  private readonly ports = new Map<string, LacpPort>();
  private readonly events = new MachineEvents(() => this.settle(), () => this.hooks.settled?.());
  private readonly env: PortEnv;

  constructor(readonly config: LacpBondConfig, private readonly hooks: LacpBondHooks, clock: Clock = systemClock) {
    this.aggregator = { key: config.key, partner: undefined };
    this.env = {
      clock,
      kick: () => this.event(() => {}),
      aggregatorReady: () => [...this.ports.values()].every((p) => p.mux !== 'waiting' || p.readyN),
      transmit: (p, pdu) => this.hooks.transmit(p.name, encodeLacpFrame(p.mac, pdu)),
      collectingDistributing: (p, on) => this.hooks.distributing?.(p.name, on),
    };
  }

  /** Add a member (link down until `setLink`); its machines start at BEGIN. */
  addMember(cfg: LacpPortConfig): void {
    if (this.ports.has(cfg.name)) throw new Error(`bond ${this.config.name}: member ${cfg.name} already present`);
    const state = { ...emptyState(), activity: this.config.mode === 'active', timeout: this.config.rate === 'fast', aggregation: true };
    const actor = { system: this.config.system, systemPriority: this.config.systemPriority, key: this.config.key, state };
    const p = new LacpPort(cfg, actor, this.env);
    this.ports.set(cfg.name, p);
    this.event(() => begin(p));
  }

  /** Remove a member: it leaves distribution at once. */
  removeMember(name: string): void {
    const p = this.ports.get(name);
    if (!p) return;
    this.event(() => {
      p.stopTimers();
      if (p.distributing) this.hooks.distributing?.(name, false);
      this.ports.delete(name);
    });
  }

  /** port_enabled: the member's link (MAC_Operational) went up or down. */
  setLink(name: string, up: boolean): void {
    const p = this.member(name);
    this.event(() => { p.enabled = up; });
  }

  /** A slow-protocols frame received on a member (from the punt ring). */
  receive(name: string, frame: Uint8Array): void {
    const p = this.member(name);
    const pdu = decodeOrCount(() => decodeLacpFrame(frame).pdu, p.counters);
    if (!pdu) return;
    this.event(() => {
      if (!this.ports.has(name) || !p.enabled) return;
      p.counters.rxPdus++;
      p.pendingPdu = pdu;
    });
  }

  member(name: string): LacpPort {
    const p = this.ports.get(name);
    if (!p) throw new Error(`bond ${this.config.name}: no member ${name}`);
    return p;
  }
  members(): LacpPort[] { return [...this.ports.values()]; }
  /** members in collecting+distributing */
  distributing(): string[] { return this.members().filter((p) => p.distributing).map((p) => p.name); }

  /** Stop every timer (the bond is being deleted). */
  stop(): void { for (const p of this.ports.values()) p.stopTimers(); }

  private event(apply: () => void): void { this.events.push(apply); }

  /** Step the machines until none moves, then transmit. */
  private settle(): void {
    for (let n = 0; n < MAX_STEPS; n++) {
      let moved = false;
      for (const p of this.ports.values()) {
        moved = stepReceive(p) || moved;
        moved = stepPeriodic(p) || moved;
      }
      chooseAggregatorPartner(this.ports.values(), this.aggregator);
      for (const p of this.ports.values()) moved = stepSelection(p, this.aggregator) || moved;
      for (const p of this.ports.values()) moved = stepMux(p) || moved;
      if (!moved) for (const p of this.ports.values()) while (stepTransmit(p)) moved = true;
      if (!moved) return;
    }
    throw new Error(`bond ${this.config.name}: LACP machines did not settle`);
  }
}
