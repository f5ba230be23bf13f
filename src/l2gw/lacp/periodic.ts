/**
 * Periodic transmission machine, IEEE 802.1AX-2008 §5.4.13 (Figure 5-15).
 *
 * Sets NTT every Fast_Periodic_Time (1 s) while the partner asks for short
 * timeouts, every Slow_Periodic_Time (30 s) otherwise, and not at all when
 * the port is down or both ends are passive — so passive–passive never
 * exchanges a PDU and never aggregates.
 */
import { step, type StateTable } from './machine.js';
import { LacpTime, type LacpPort, type PeriodicState } from './port.js';

/** The NO_PERIODIC condition of the global transition. */
const silent = (p: LacpPort) => !p.enabled || !p.lacpEnabled || (!p.actor.state.activity && !p.partner.state.activity);

export const periodicTable = {
  'no-periodic': {
    enter(p) { p.periodicTimer.stop(); },
    next: (p) => (silent(p) ? undefined : 'fast-periodic'),
  },
  'fast-periodic': {
    enter(p) { p.periodicTimer.start(LacpTime.FastPeriodic); },
    next: (p) => (p.periodicTimer.expired ? 'periodic-tx' : !p.partner.state.timeout ? 'slow-periodic' : undefined),
  },
  'slow-periodic': {
    enter(p) { p.periodicTimer.start(LacpTime.SlowPeriodic); },
    next: (p) => (p.periodicTimer.expired || p.partner.state.timeout ? 'periodic-tx' : undefined),
  },
  'periodic-tx': {
    enter(p) { p.ntt = true; },
    next: (p) => (p.partner.state.timeout ? 'fast-periodic' : 'slow-periodic'),
  },
} satisfies StateTable<PeriodicState, LacpPort>;

function global(p: LacpPort, current: PeriodicState): PeriodicState | undefined {
  return silent(p) && current !== 'no-periodic' ? 'no-periodic' : undefined;
}

/** Step the periodic machine once; true if it moved. */
export function stepPeriodic(p: LacpPort): boolean {
  const to = step(periodicTable, p.periodic, p, global);
  if (to !== undefined) p.periodic = to;
  return to !== undefined;
}
