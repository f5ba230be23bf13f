/**
 * Transmit machine, IEEE 802.1AX-2008 §5.4.16.
 *
 * Sends one LACPDU (the actor's and the recorded partner's operational
 * information) whenever NTT is set, never while the periodic machine is in
 * NO_PERIODIC, and at most three in any Fast_Periodic_Time interval: a
 * fourth waits (HELD, NTT kept) until the oldest of the three is 1 s old.
 */
import { step, type StateTable } from './machine.js';
import type { Lacpdu } from './pdu.js';
import { LacpTime, TX_PER_FAST_PERIOD, type LacpPort, type TxState } from './port.js';

/** §5.4.2.2 CollectorMaxDelay: we deliver a collected frame at once. */
const COLLECTOR_MAX_DELAY = 0;

export function buildPdu(p: LacpPort): Lacpdu {
  return {
    version: 1,
    actor: { ...p.actor, state: { ...p.actor.state } },
    partner: { ...p.partner, state: { ...p.partner.state } },
    collectorMaxDelay: COLLECTOR_MAX_DELAY,
  };
}

/** ms until another PDU may go out (0 = now) */
function holdOff(p: LacpPort): number {
  if (p.txTimes.length < TX_PER_FAST_PERIOD) return 0;
  return Math.max(0, p.txTimes[0]! + LacpTime.FastPeriodic - p.env.clock.now());
}

export const transmitTable = {
  'no-transmit': {
    enter(p) { p.txHold.stop(); },
    next: (p) => (p.enabled && p.periodic !== 'no-periodic' ? 'ready' : undefined),
  },
  'ready': {
    enter() {},
    next: (p) => (!p.ntt ? undefined : holdOff(p) === 0 ? 'transmit' : 'held'),
  },
  'transmit': {
    enter(p) {
      p.ntt = false;
      p.txTimes.push(p.env.clock.now());
      if (p.txTimes.length > TX_PER_FAST_PERIOD) p.txTimes.shift();
      p.counters.txPdus++;
      p.env.transmit(p, buildPdu(p));
    },
    next: () => 'ready',
  },
  'held': {
    enter(p) { p.txHold.start(holdOff(p)); },
    next: (p) => (p.txHold.expired ? 'ready' : undefined),
  },
} satisfies StateTable<TxState, LacpPort>;

function global(p: LacpPort, current: TxState): TxState | undefined {
  return (!p.enabled || p.periodic === 'no-periodic') && current !== 'no-transmit' ? 'no-transmit' : undefined;
}

/** Step the transmit machine once; true if it moved. */
export function stepTransmit(p: LacpPort): boolean {
  const to = step(transmitTable, p.tx, p, global);
  if (to !== undefined) p.tx = to;
  return to !== undefined;
}
