/**
 * The shape every 802.1AX state machine in this directory shares: a typed,
 * exhaustive table (`satisfies StateTable<State, Port>`) whose rows hold the
 * state's entry actions and its exit condition, plus a timer over the injected
 * clock. The bond (bond.ts) steps the machines until none moves, the way the
 * standard's "UCT" and global transitions settle after each event, so a PDU,
 * a timer expiry or a link change is processed to a stable state at once.
 */
import type { Clock } from '../../util/clock.js';

export interface StateRow<S extends string, P> {
  /** the actions of the state's box in the standard's diagram */
  enter(p: P): void;
  /** the state to move to, or undefined to stay */
  next(p: P): S | undefined;
}
export type StateTable<S extends string, P> = Record<S, StateRow<S, P>>;

/**
 * One step: a global transition (`global`, e.g. BEGIN or port disabled) wins
 * over the state's own exits. Returns the state entered, or undefined.
 */
export function step<S extends string, P>(table: StateTable<S, P>, current: S, p: P, global?: (p: P, current: S) => S | undefined): S | undefined {
  const to = global?.(p, current) ?? table[current].next(p);
  if (to === undefined) return undefined;
  table[to].enter(p);
  return to;
}

/** A one-shot protocol timer (current_while, periodic_timer, wait_while). */
export class Timer {
  private handle: unknown;
  /** set when the timer ran out, cleared by start/stop */
  expired = false;
  constructor(private readonly clock: Clock, private readonly onExpire: () => void) {}
  get running(): boolean { return this.handle !== undefined; }
  start(ms: number): void {
    this.stop();
    this.handle = this.clock.setTimeout(() => { this.handle = undefined; this.expired = true; this.onExpire(); }, ms);
  }
  stop(): void {
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
    this.expired = false;
  }
}
