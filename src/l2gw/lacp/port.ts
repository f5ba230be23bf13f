/**
 * The per-port variables of IEEE 802.1AX-2008 §5.4.7–5.4.8 that the five
 * machines share, the protocol constants of §5.4.4, and the environment a port
 * reaches its bond through. The machines (receive.ts, periodic.ts,
 * selection.ts, mux.ts, transmit.ts) read and write these fields; only the
 * bond (bond.ts) creates ports and steps the machines.
 *
 * Not modelled: churn detection (§5.4.17), port_moved between aggregation
 * systems (always FALSE: a member belongs to one bond), Actor/Partner admin
 * state changes at run time other than the link going up or down.
 */
import type { Clock } from '../../util/clock.js';
import { Timer } from './machine.js';
import type { Lacpdu, PortInfo, PortState } from './pdu.js';

/** §5.4.4 constants, milliseconds. */
export const LacpTime = {
  FastPeriodic: 1_000,
  SlowPeriodic: 30_000,
  ShortTimeout: 3_000,
  LongTimeout: 90_000,
  AggregateWait: 2_000,
} as const;
/** §5.4.16: at most this many LACPDUs in any Fast_Periodic_Time interval. */
export const TX_PER_FAST_PERIOD = 3;

/** §5.4.8 `Selected`. STANDBY is absent: there is no maximum of active links. */
export type Selected = 'selected' | 'unselected';

export type RxState = 'initialize' | 'port-disabled' | 'expired' | 'lacp-disabled' | 'defaulted' | 'current';
export type PeriodicState = 'no-periodic' | 'fast-periodic' | 'slow-periodic' | 'periodic-tx';
export type MuxState = 'detached' | 'waiting' | 'attached' | 'collecting-distributing';
export type TxState = 'no-transmit' | 'ready' | 'transmit' | 'held';

/** What a port needs from its bond. */
export interface PortEnv {
  clock: Clock;
  /** a machine's timer ran out: step the machines */
  kick(): void;
  /** §5.4.14 Ready: every port waiting for the aggregator has Ready_N */
  aggregatorReady(): boolean;
  /** send this LACPDU out of the port (transmit machine) */
  transmit(port: LacpPort, pdu: Lacpdu): void;
  /** Enable/Disable_Collecting_Distributing (§5.4.9, coupled control) */
  collectingDistributing(port: LacpPort, on: boolean): void;
}

export interface LacpPortConfig {
  /** the member's interface name */
  name: string;
  /** the member's MAC, source of its LACPDUs */
  mac: string;
  /** Actor_Port, 1–65535 */
  port: number;
  portPriority: number;
}

export const emptyState = (): PortState => ({
  activity: false, timeout: false, aggregation: false, synchronization: false,
  collecting: false, distributing: false, defaulted: false, expired: false,
});

/**
 * Partner_Admin defaults (§5.4.7): no partner system, passive, short timeout,
 * aggregatable, not in sync — so a defaulted port never distributes (there is
 * no fallback to an unnegotiated member) and a passive actor stays silent.
 */
export function partnerAdminDefault(): PortInfo {
  return {
    systemPriority: 0, system: '00:00:00:00:00:00', key: 0, portPriority: 0, port: 0,
    state: { ...emptyState(), timeout: true, aggregation: true },
  };
}

export class LacpPort {
  readonly name: string;
  readonly mac: string;
  /** Actor_Oper_* (system, key, port, state) */
  readonly actor: PortInfo;
  partner: PortInfo = partnerAdminDefault();
  readonly partnerAdmin: PortInfo = partnerAdminDefault();
  /** port_enabled: the member's link is up */
  enabled = false;
  /** LACP_Enabled: the port runs LACP (always, in a bond) */
  lacpEnabled = true;
  selected: Selected = 'unselected';
  /** Ready_N: wait_while ran out while WAITING */
  readyN = false;
  /** Need To Transmit */
  ntt = false;
  /** a received LACPDU not yet recorded by the receive machine */
  pendingPdu: Lacpdu | undefined;
  /** the mux has this port attached to the aggregator */
  attached = false;
  rx: RxState = 'initialize';
  periodic: PeriodicState = 'no-periodic';
  mux: MuxState = 'detached';
  tx: TxState = 'no-transmit';
  readonly currentWhile: Timer;
  readonly periodicTimer: Timer;
  readonly waitWhile: Timer;
  /** transmit hold-off when the rate limit is reached */
  readonly txHold: Timer;
  /** times of the last TX_PER_FAST_PERIOD transmissions */
  readonly txTimes: number[] = [];
  readonly counters = { rxPdus: 0, rxErrors: 0, txPdus: 0 };

  constructor(cfg: LacpPortConfig, actor: Omit<PortInfo, 'port' | 'portPriority'>, readonly env: PortEnv) {
    this.name = cfg.name;
    this.mac = cfg.mac;
    this.actor = { ...actor, state: { ...actor.state }, port: cfg.port, portPriority: cfg.portPriority };
    this.currentWhile = new Timer(env.clock, env.kick);
    this.periodicTimer = new Timer(env.clock, env.kick);
    this.waitWhile = new Timer(env.clock, env.kick);
    this.txHold = new Timer(env.clock, env.kick);
  }

  /** collecting+distributing: the core may send and accept traffic on it */
  get distributing(): boolean { return this.actor.state.collecting && this.actor.state.distributing; }

  stopTimers(): void {
    for (const t of [this.currentWhile, this.periodicTimer, this.waitWhile, this.txHold]) t.stop();
  }
}
