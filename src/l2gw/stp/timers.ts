/**
 * Port Timers state machine, IEEE 802.1D-2004 §17.22: on each one-second
 * tick every running timer of the port counts down by one, and txCount (the
 * transmit hold counter, §17.19.44) drains by one.
 */
import type { StpPort } from './port.js';

const TIMERS = ['edgeDelayWhile', 'fdWhile', 'helloWhen', 'mdelayWhile', 'rbWhile', 'rcvdInfoWhile', 'rrWhile', 'tcWhile'] as const satisfies ReadonlyArray<keyof StpPort>;

export function tick(p: StpPort): void {
  for (const t of TIMERS) if (p[t] > 0) p[t] -= 1;
  if (p.txCount > 0) p.txCount -= 1;
}
