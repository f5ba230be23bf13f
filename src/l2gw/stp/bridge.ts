/**
 * A spanning tree bridge: IEEE 802.1D-2004 clause 17 (RSTP), with legacy
 * 802.1D STP by ForceProtocolVersion 0 (`mode: 'stp'`) and per-port fallback
 * to 802.1D BPDUs when an 802.1D bridge is heard (Port Protocol Migration).
 *
 * The bridge owns its ports' variables (port.ts) and steps the machines —
 * receive, protocol migration, bridge detection, port information, then role
 * selection (one per bridge), role transitions, state transitions, topology
 * change, and port transmit — until none moves, after every event: a BPDU, the
 * one-second tick of the Port Timers machine on the injected clock, a link
 * going up or down. Events arriving while the machines run (a peer answering
 * synchronously) are queued, so the machines are never re-entered.
 *
 * Hooks: `transmit` (a BPDU frame out of a port: the controller's inject),
 * `portState` (the state the core must enforce), `flush` (remove the port's
 * learned FDB entries) and `log` (BPDU guard and root guard events).
 *
 * Guards: BPDU guard shuts a guarded port down when a BPDU arrives while it is
 * an edge port (admin or operational), until `reenable`; root guard
 * (restrictedRole) keeps a port from becoming Root Port. A malformed BPDU is
 * counted (rxErrors) and dropped; a BPDU this port itself sent (looped back)
 * is counted (rxLooped) and dropped (§9.3.4).
 */
import { systemClock, type Clock } from '../../util/clock.js';
import { MachineEvents } from '../machine-events.js';
import { decodeOrCount } from '../pdu-error.js';
import { decodeBpduFrame, encodeBpduFrame, type Bpdu, type Times } from './bpdu.js';
import { detectionTable, stepDetection } from './detection.js';
import { informationTable, stepInformation } from './information.js';
import { migrationTable, stepMigration } from './migration.js';
import { StpPort, type BridgeEnv, type PstState, type StpPortConfig } from './port.js';
import { bridgeId, StpDefaults, type PriorityVector } from './priority.js';
import { receiveTable, stepReceive } from './receive.js';
import { roleTransitionsTable, stepRoleTransitions } from './role-transitions.js';
import { stepSelection, selectionTable, type Bridge, type PrsState } from './selection.js';
import { stateTransitionsTable, stepStateTransitions } from './state-transitions.js';
import { tick } from './timers.js';
import { stepTopologyChange, topologyChangeTable } from './topology-change.js';
import { stepTransmit, transmitTable } from './transmit.js';

export type StpMode = 'rstp' | 'stp';

export interface StpBridgeConfig {
  name: string;
  /** the bridge address (MAC) of the Bridge Identifier */
  mac: string;
  /** 0–61440 in steps of 4096 */
  priority: number;
  mode: StpMode;
  helloTime?: number;
  maxAge?: number;
  forwardDelay?: number;
  txHoldCount?: number;
}

export interface StpLogEvent { kind: 'bpdu-guard' | 'root-guard' | 'root-guard-cleared'; port: string; message: string }

export interface StpBridgeHooks {
  transmit(port: string, frame: Buffer): void;
  portState?(port: string, state: PstState): void;
  flush?(port: string): void;
  log?(e: StpLogEvent): void;
}

/** Bound on machine steps per event: far above any legal settle (a bug guard). */
const MAX_STEPS = 10_000;
const TICK_MS = 1_000;

export class StpBridge implements Bridge {
  readonly env: BridgeEnv;
  prs: PrsState = 'init-bridge';
  private readonly portMap = new Map<string, StpPort>();
  private list: StpPort[] = [];
  private readonly events = new MachineEvents(() => this.settle());
  private tickHandle: unknown;
  private stopped = false;

  constructor(readonly config: StpBridgeConfig, private readonly hooks: StpBridgeHooks, private readonly clock: Clock = systemClock) {
    const times: Times = {
      messageAge: 0, maxAge: config.maxAge ?? StpDefaults.maxAge, helloTime: config.helloTime ?? StpDefaults.helloTime,
      forwardDelay: config.forwardDelay ?? StpDefaults.forwardDelay,
    };
    const id = bridgeId(config.priority, config.mac);
    const rootPriority: PriorityVector = { root: id, cost: 0, bridge: id, port: 0, rxPort: 0 };
    this.env = {
      bridgeId: id, rstpVersion: config.mode === 'rstp', txHoldCount: config.txHoldCount ?? StpDefaults.txHoldCount,
      bridgeTimes: times, rootTimes: { ...times }, rootPriority, rootPortId: 0,
      ports: () => this.list,
      transmit: (p, bpdu) => this.hooks.transmit(p.name, encodeBpduFrame(p.cfg.mac, bpdu)),
      stateChanged: (p) => this.hooks.portState?.(p.name, p.state),
      flush: (p) => this.hooks.flush?.(p.name),
    };
    this.event(() => selectionTable[this.prs].enter(this));
    this.scheduleTick();
  }

  /** Add a port (link down until `setLink`); its machines start at BEGIN. */
  addPort(cfg: StpPortConfig): StpPort {
    if (this.portMap.has(cfg.name)) throw new Error(`stp bridge ${this.config.name}: port ${cfg.name} already present`);
    const p = new StpPort(cfg, this.env);
    this.event(() => {
      this.portMap.set(cfg.name, p);
      this.list = [...this.portMap.values()];
      begin(p);
      p.reselect = true;
    });
    return p;
  }

  removePort(name: string): void {
    this.event(() => {
      if (!this.portMap.delete(name)) return;
      this.list = [...this.portMap.values()];
      for (const p of this.list) p.reselect = true;
    });
  }

  /** MAC_Operational of the port's link. */
  setLink(name: string, up: boolean): void {
    const p = this.port(name);
    this.event(() => { p.linkUp = up; p.portEnabled = up && !p.errDisabled; });
  }

  /** Clear a BPDU guard shutdown. */
  reenable(name: string): void {
    const p = this.port(name);
    this.event(() => { p.errDisabled = false; p.portEnabled = p.linkUp; });
  }

  /** §17.19.13 mcheck: try RSTP again on the port (802.1D neighbour gone). */
  mcheck(name: string): void {
    const p = this.port(name);
    this.event(() => { if (this.env.rstpVersion) p.mcheck = true; });
  }

  /** A frame to 01:80:c2:00:00:00 received on a port (from the punt ring). */
  receive(name: string, frame: Uint8Array): void {
    const p = this.port(name);
    const bpdu = decodeOrCount(() => decodeBpduFrame(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength)).bpdu, p.counters);
    if (!bpdu) return;
    this.event(() => this.accept(p, bpdu));
  }

  private accept(p: StpPort, bpdu: Bpdu): void {
    if (!this.portMap.has(p.name) || !p.portEnabled) return;
    if (bpdu.type !== 'tcn' && bpdu.bridge === this.env.bridgeId && bpdu.port === p.portId) {
      p.counters.rxLooped++;
      return;
    }
    p.counters.rxBpdus++;
    if (p.cfg.bpduGuard && (p.cfg.adminEdge || p.operEdge)) {
      p.errDisabled = true;
      p.portEnabled = false;
      p.counters.bpduGuardTrips++;
      this.hooks.log?.({ kind: 'bpdu-guard', port: p.name, message: `stp ${this.config.name}: BPDU guard: ${bpdu.type} BPDU from ${bpdu.bridge} on edge port ${p.name}; port disabled` });
      return;
    }
    p.rxBpdu = bpdu;
    p.rcvdBpdu = true;
  }

  port(name: string): StpPort {
    const p = this.portMap.get(name);
    if (!p) throw new Error(`stp bridge ${this.config.name}: no port ${name}`);
    return p;
  }
  ports(): StpPort[] { return this.list; }
  /** The root port's name, undefined when this bridge is the root. */
  rootPort(): StpPort | undefined { return this.list.find((p) => p.portId === this.env.rootPortId && this.env.rootPortId !== 0); }

  /** Stop the tick (the bridge is being deleted). */
  stop(): void {
    this.stopped = true;
    if (this.tickHandle !== undefined) this.clock.clearTimeout(this.tickHandle);
    this.tickHandle = undefined;
  }

  private scheduleTick(): void {
    if (this.stopped) return;
    this.tickHandle = this.clock.setTimeout(() => {
      this.tickHandle = undefined;
      this.event(() => { for (const p of this.list) tick(p); });
      this.scheduleTick();
    }, TICK_MS);
  }

  private event(apply: () => void): void { this.events.push(apply); }

  /** Step the machines until none moves; transmit last, so one event sends the settled state. */
  private settle(): void {
    const guarded = new Map(this.list.map((p) => [p, p.rootBlocked]));
    for (let n = 0; n < MAX_STEPS; n++) {
      let moved = false;
      for (const p of this.list) {
        moved = stepReceive(p) || moved;
        moved = stepMigration(p) || moved;
        moved = stepDetection(p) || moved;
        moved = stepInformation(p) || moved;
      }
      moved = stepSelection(this) || moved;
      for (const p of this.list) {
        moved = stepRoleTransitions(p) || moved;
        moved = stepStateTransitions(p) || moved;
        moved = stepTopologyChange(p) || moved;
      }
      if (!moved) for (const p of this.list) while (stepTransmit(p)) moved = true;
      if (!moved) { this.logRootGuard(guarded); return; }
    }
    throw new Error(`stp bridge ${this.config.name}: spanning tree machines did not settle`);
  }

  private logRootGuard(before: Map<StpPort, boolean>): void {
    for (const p of this.list) {
      if (p.rootBlocked === (before.get(p) ?? false)) continue;
      const message = p.rootBlocked
        ? `stp ${this.config.name}: root guard: superior BPDU (root ${p.portPriority.root}) on ${p.name}; port kept from the root role`
        : `stp ${this.config.name}: root guard: ${p.name} no longer receives superior information`;
      this.hooks.log?.({ kind: p.rootBlocked ? 'root-guard' : 'root-guard-cleared', port: p.name, message });
    }
  }
}

/** BEGIN (§17.18.1): every machine of the port enters its initial state. */
function begin(p: StpPort): void {
  receiveTable[p.prx].enter(p);
  migrationTable[p.ppm].enter(p);
  p.bdm = p.cfg.adminEdge ? 'edge' : 'not-edge';
  detectionTable[p.bdm].enter(p);
  informationTable[p.pim].enter(p);
  roleTransitionsTable[p.prt].enter(p);
  stateTransitionsTable[p.pst].enter(p);
  topologyChangeTable[p.tcm].enter(p);
  transmitTable[p.ptx].enter(p);
}
