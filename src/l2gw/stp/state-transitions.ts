/**
 * Port State Transition state machine, IEEE 802.1D-2004 §17.30 (Figure
 * 17-24): the port's learning and forwarding states follow the learn and
 * forward flags of Port Role Transitions. enable/disableLearning and
 * enable/disableForwarding (§17.21.3–6) are the bridge's `stateChanged` hook,
 * which sets the state the core enforces for the port (discarding: no
 * learning, nothing in or out; learning: learn, no forwarding; forwarding).
 */
import { step, type StateTable } from '../lacp/machine.js';
import type { PstState, StpPort } from './port.js';

export const stateTransitionsTable = {
  'discarding': {
    enter(p) { p.learning = false; p.forwarding = false; p.env.stateChanged(p); },
    next: (p) => (p.learn ? 'learning' : undefined),
  },
  'learning': {
    enter(p) { p.learning = true; p.env.stateChanged(p); },
    next: (p) => (p.forward ? 'forwarding' : !p.learn ? 'discarding' : undefined),
  },
  'forwarding': {
    enter(p) { p.forwarding = true; p.env.stateChanged(p); },
    next: (p) => (!p.forward ? 'discarding' : undefined),
  },
} satisfies StateTable<PstState, StpPort>;

export function stepStateTransitions(p: StpPort): boolean {
  const to = step(stateTransitionsTable, p.pst, p);
  if (to !== undefined) p.pst = to;
  return to !== undefined;
}
