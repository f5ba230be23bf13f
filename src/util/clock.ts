// The injected clock shared by every timer-driven state machine: BGP
// (ConnectRetry, Hold, Keepalive, idle hold, graceful-restart timers) now,
// LACP and STP timers next.  Production code takes a `Clock` (systemClock by
// default); tests pass a VirtualClock and move time with `advance`, so hold
// timers and protocol timeouts are tested in virtual time, not by sleeping.

/** Time and one-shot timers, as the state machines see them. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => { const t = setTimeout(fn, ms); t.unref?.(); return t; },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Deterministic clock for tests: timers fire only inside `advance`. */
export class VirtualClock implements Clock {
  private t = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  now(): number { return this.t; }
  setTimeout(fn: () => void, ms: number): unknown { const id = ++this.seq; this.timers.set(id, { at: this.t + Math.max(0, ms), fn }); return id; }
  clearTimeout(h: unknown): void { this.timers.delete(h as number); }
  /** Move time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= end && (!next || e[1].at < next[1].at || (e[1].at === next[1].at && e[0] < next[0]))) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }
  pending(): number { return this.timers.size; }
}
