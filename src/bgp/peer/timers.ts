/**
 * The session timers of one neighbor (RFC 4271 §10), on the injected clock
 * (src/util/clock.ts), so tests run hold-timer expiry and reconnect backoff
 * in virtual time.
 *
 * - ConnectRetry, Keepalive: one-shot timers re-armed by the FSM actions.
 * - Hold: restarting a timer on every received message would cost a timer
 *   per UPDATE; instead the armed timer checks the time of the last message
 *   (`touch`) when it fires and re-arms for the remainder. Re-arming with the
 *   same duration only moves that mark.
 * - Idle hold (automatic restart after an error): doubles on each failure
 *   without an Established session in between, up to 60 s (or the configured
 *   idle hold if larger) — a simple form of RFC 4271 §8.1.1
 *   DampPeerOscillations.
 *
 * Expiry is reported through one callback, by timer name; the peer turns it
 * into the FSM event.
 */
import type { Clock } from '../../util/clock.js';

export type TimerName = 'retry' | 'hold' | 'keepalive' | 'restart';

export class SessionTimers {
  private handles: Record<TimerName, unknown> = { retry: null, hold: null, keepalive: null, restart: null };
  private idleFailures = 0;
  private lastRx = 0;
  private holdSecs = -1;

  constructor(private readonly clock: Clock, private readonly expired: (t: TimerName) => void) {}

  startConnectRetry(secs: number): void {
    this.clear('retry');
    this.handles.retry = this.clock.setTimeout(() => { this.handles.retry = null; this.expired('retry'); }, secs * 1000);
  }

  /** (Re)start the hold timer; 0 = no hold timer (RFC 4271 §4.2). */
  startHold(secs: number): void {
    this.lastRx = this.clock.now();
    if (this.handles.hold !== null && secs === this.holdSecs) return;
    this.clear('hold');
    this.holdSecs = secs;
    if (secs > 0) this.armHold(secs * 1000);
  }

  /** A message arrived: the hold timer counts from now. */
  touch(): void { this.lastRx = this.clock.now(); }

  startKeepalive(secs: number): void {
    this.clear('keepalive');
    if (secs > 0) this.handles.keepalive = this.clock.setTimeout(() => { this.handles.keepalive = null; this.expired('keepalive'); }, secs * 1000);
  }

  /** Arm the idle hold before an automatic restart, with backoff. */
  scheduleRestart(idleHoldTime: number): void {
    this.clear('restart');
    const delay = Math.min(idleHoldTime * 2 ** this.idleFailures, Math.max(60, idleHoldTime));
    this.idleFailures = Math.min(this.idleFailures + 1, 16);
    this.handles.restart = this.clock.setTimeout(() => { this.handles.restart = null; this.expired('restart'); }, delay * 1000);
  }

  /** Established: the backoff starts over. */
  established(): void { this.idleFailures = 0; }

  clear(k: TimerName): void {
    if (k === 'hold') this.holdSecs = -1;
    if (this.handles[k] !== null) { this.clock.clearTimeout(this.handles[k]); this.handles[k] = null; }
  }

  private armHold(ms: number): void {
    this.handles.hold = this.clock.setTimeout(() => {
      this.handles.hold = null;
      const left = this.lastRx + this.holdSecs * 1000 - this.clock.now();
      if (left > 0) { this.armHold(left); return; }
      this.expired('hold');
    }, ms);
  }
}
