/**
 * Mux machine, IEEE 802.1AX-2008 §5.4.15, coupled control (Figure 5-17):
 * collecting and distributing are turned on and off together.
 *
 * DETACHED → WAITING once selected; WAITING holds for Aggregate_Wait_Time
 * (2 s, so members that come up together attach together) → ATTACHED (the
 * actor announces synchronization) → COLLECTING_DISTRIBUTING once the partner
 * is in sync; back to ATTACHED when the partner falls out of sync (expired),
 * DETACHED when unselected. Entering and leaving COLLECTING_DISTRIBUTING is
 * what the bond reports to the core (Enable/Disable_Collecting_Distributing).
 */
import { step, type StateTable } from './machine.js';
import { LacpTime, type LacpPort, type MuxState } from './port.js';

function stopCollectingDistributing(p: LacpPort): void {
  const was = p.distributing;
  p.actor.state.collecting = false;
  p.actor.state.distributing = false;
  if (was) p.env.collectingDistributing(p, false);
}

export const muxTable = {
  'detached': {
    enter(p) {
      p.attached = false; // Detach_Mux_From_Aggregator
      p.actor.state.synchronization = false;
      stopCollectingDistributing(p);
      p.ntt = true;
    },
    next: (p) => (p.selected === 'selected' ? 'waiting' : undefined),
  },
  'waiting': {
    enter(p) { p.readyN = false; p.waitWhile.start(LacpTime.AggregateWait); },
    next(p) {
      if (p.selected === 'unselected') return 'detached';
      if (p.waitWhile.expired) p.readyN = true;
      return p.readyN && p.env.aggregatorReady() ? 'attached' : undefined;
    },
  },
  'attached': {
    enter(p) {
      p.waitWhile.stop();
      p.attached = true; // Attach_Mux_To_Aggregator
      p.actor.state.synchronization = true;
      stopCollectingDistributing(p);
      p.ntt = true;
    },
    next: (p) => (p.selected === 'unselected' ? 'detached' : p.partner.state.synchronization ? 'collecting-distributing' : undefined),
  },
  'collecting-distributing': {
    enter(p) {
      p.actor.state.collecting = true;
      p.actor.state.distributing = true;
      p.env.collectingDistributing(p, true);
      p.ntt = true;
    },
    next: (p) => (p.selected === 'unselected' || !p.partner.state.synchronization ? 'attached' : undefined),
  },
} satisfies StateTable<MuxState, LacpPort>;

/** Step the mux machine once; true if it moved. */
export function stepMux(p: LacpPort): boolean {
  const to = step(muxTable, p.mux, p);
  if (to !== undefined) p.mux = to;
  return to !== undefined;
}
