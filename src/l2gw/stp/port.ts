/**
 * The per-port variables of IEEE 802.1D-2004 §17.19 and the per-bridge ones
 * of §17.18 that the clause 17 machines share, and the environment a port
 * reaches its bridge through. The machines (one file each: timers.ts,
 * receive.ts, migration.ts, detection.ts, transmit.ts, information.ts,
 * selection.ts, role-transitions.ts, state-transitions.ts, topology-change.ts)
 * read and write these fields; only the bridge (bridge.ts) creates ports and
 * steps the machines.
 *
 * Timers are whole seconds counted down by the Port Timers machine on a
 * one-second tick (§17.22), as the standard models them.
 *
 * Additions beyond the standard, named as such: `restrictedRole` is the
 * 802.1Q-2011 §13.25.20 variable behind "root guard"; `disputed` is the
 * 802.1Q-2011 §13.25.14 correction of recordDispute; `errDisabled` is the
 * BPDU guard's administrative shutdown.
 */
import type { Bpdu, Times } from './bpdu.js';
import type { PriorityVector } from './priority.js';

export type Role = 'disabled' | 'root' | 'designated' | 'alternate' | 'backup';
export type InfoIs = 'disabled' | 'aged' | 'mine' | 'received';
export type RcvdInfo = 'superior-designated' | 'repeated-designated' | 'inferior-designated' | 'inferior-root-alternate' | 'other';

export type PrxState = 'discard' | 'receive';
export type PpmState = 'checking-rstp' | 'selecting-stp' | 'sensing';
export type BdmState = 'edge' | 'not-edge';
export type PtxState = 'transmit-init' | 'idle' | 'transmit-periodic' | 'transmit-config' | 'transmit-tcn' | 'transmit-rstp';
export type PimState = 'disabled' | 'aged' | 'update' | 'current' | 'receive' | 'superior-designated'
  | 'repeated-designated' | 'inferior-designated' | 'not-designated' | 'other';
export type PrtState = 'init-port' | 'disable-port' | 'disabled-port'
  | 'root-port' | 'root-proposed' | 'root-agreed' | 'root-synced' | 'reroot' | 'root-forward' | 'root-learn' | 'rerooted'
  | 'designated-port' | 'designated-propose' | 'designated-synced' | 'designated-retired' | 'designated-forward'
  | 'designated-learn' | 'designated-discard'
  | 'alternate-port' | 'alternate-proposed' | 'alternate-agreed' | 'block-port' | 'backup-port';
export type PstState = 'discarding' | 'learning' | 'forwarding';
export type TcmState = 'inactive' | 'learning' | 'detected' | 'active' | 'notified-tcn' | 'notified-tc' | 'propagating' | 'acknowledged';

/** What a port needs from its bridge. */
export interface BridgeEnv {
  /** Bridge Identifier, 16 hex digits */
  readonly bridgeId: string;
  /** ForceProtocolVersion ≥ 2 (§17.13.4) */
  readonly rstpVersion: boolean;
  readonly txHoldCount: number;
  /** the bridge's own Bridge Times (§17.18.4) */
  readonly bridgeTimes: Times;
  /** rootTimes (§17.18.7) */
  rootTimes: Times;
  /** rootPriority (§17.18.6) and rootPortId (§17.18.5; 0: this bridge is the root) */
  rootPriority: PriorityVector;
  rootPortId: number;
  /** all ports of the bridge, this one included */
  ports(): readonly StpPort[];
  transmit(port: StpPort, bpdu: Bpdu): void;
  /** the port's forwarding state changed (enableLearning/Forwarding, §17.21.3–6) */
  stateChanged(port: StpPort): void;
  /** flush the port's learned entries (§17.19.7 fdbFlush) */
  flush(port: StpPort): void;
}

export interface StpPortConfig {
  name: string;
  mac: string;
  /** 1–4095 */
  number: number;
  /** 0–240 in steps of 16 */
  priority: number;
  /** Port Path Cost, 1–200 000 000 */
  pathCost: number;
  adminEdge: boolean;
  autoEdge: boolean;
  /** BPDU guard: a BPDU received while the port is an edge port disables it */
  bpduGuard: boolean;
  /** root guard: the port is never selected as Root Port (restrictedRole) */
  rootGuard: boolean;
}

export const MIGRATE_TIME = 3;

export class StpPort {
  readonly portId: number;
  // §17.17 timers, seconds
  edgeDelayWhile = 0; fdWhile = 0; helloWhen = 0; mdelayWhile = 0; rbWhile = 0; rcvdInfoWhile = 0; rrWhile = 0; tcWhile = 0;
  // §17.19 variables
  agree = false; agreed = false; disputed = false; fdbFlush = false; forward = false; forwarding = false;
  infoIs: InfoIs = 'disabled';
  learn = false; learning = false; mcheck = false; newInfo = false; operEdge = false;
  portEnabled = false;
  proposed = false; proposing = false;
  rcvdBpdu = false; rcvdInfo: RcvdInfo = 'other'; rcvdMsg = false; rcvdRSTP = false; rcvdSTP = false;
  rcvdTc = false; rcvdTcAck = false; rcvdTcn = false;
  reRoot = false; reselect = false; role: Role = 'disabled'; selected = false; selectedRole: Role = 'disabled';
  sendRSTP = false; sync = false; synced = false; tcAck = false; tcProp = false; txCount = 0; updtInfo = false;
  /** link up, as reported by the caller */
  linkUp = false;
  /** shut down by BPDU guard until re-enabled */
  errDisabled = false;
  restrictedRole: boolean;
  /** root guard keeps this port from being Root Port now (its information is the best) */
  rootBlocked = false;
  portPriority: PriorityVector;
  portTimes: Times;
  designatedPriority: PriorityVector;
  designatedTimes: Times;
  msgPriority: PriorityVector;
  msgTimes: Times;
  /** the BPDU the receive machine holds (rcvdBpdu) */
  rxBpdu: Bpdu | undefined;
  // machine states
  prx: PrxState = 'discard'; ppm: PpmState = 'checking-rstp'; bdm: BdmState = 'not-edge'; ptx: PtxState = 'transmit-init';
  pim: PimState = 'disabled'; prt: PrtState = 'init-port'; pst: PstState = 'discarding'; tcm: TcmState = 'inactive';
  readonly counters = { rxBpdus: 0, rxErrors: 0, rxLooped: 0, txBpdus: 0, bpduGuardTrips: 0, rootGuardBlocks: 0, tcDetected: 0, flushes: 0 };

  constructor(readonly cfg: StpPortConfig, readonly env: BridgeEnv) {
    this.portId = ((cfg.priority & 0xf0) << 8) | (cfg.number & 0x0fff);
    this.restrictedRole = cfg.rootGuard;
    const none: PriorityVector = { root: 'ffffffffffffffff', cost: 0xffffffff, bridge: 'ffffffffffffffff', port: 0xffff, rxPort: 0xffff };
    this.portPriority = { ...none };
    this.designatedPriority = { ...none };
    this.msgPriority = { ...none };
    this.portTimes = { ...env.bridgeTimes };
    this.designatedTimes = { ...env.bridgeTimes };
    this.msgTimes = { ...env.bridgeTimes };
  }

  get name(): string { return this.cfg.name; }
  /** §17.20.10 */
  get forwardDelay(): number { return this.sendRSTP ? this.designatedTimes.helloTime : this.designatedTimes.forwardDelay; }
  /** §17.20: FwdDelay, HelloTime, MaxAge are components of designatedTimes */
  get fwdDelay(): number { return this.designatedTimes.forwardDelay; }
  get helloTime(): number { return this.designatedTimes.helloTime; }
  get maxAge(): number { return this.designatedTimes.maxAge; }
  /** §17.20.4 EdgeDelay (operPointToPointMAC is TRUE: full-duplex links) */
  get edgeDelay(): number { return MIGRATE_TIME; }
  get rstpVersion(): boolean { return this.env.rstpVersion; }
  get stpVersion(): boolean { return !this.env.rstpVersion; }
  /** the state the core enforces */
  get state(): PstState { return this.forwarding ? 'forwarding' : this.learning ? 'learning' : 'discarding'; }

  /** §17.21.11 reRooted: rrWhile is 0 on every other port */
  get reRooted(): boolean { return this.env.ports().every((p) => p === this || p.rrWhile === 0); }
}

/** §17.20.3 allSynced (with 802.1Q-2011 §13.26.1's exemption of the Root Port). */
export function allSynced(port: StpPort): boolean {
  return port.env.ports().every((p) => p.selected && p.role === p.selectedRole && !p.updtInfo && (p.synced || p.role === 'root'));
}
