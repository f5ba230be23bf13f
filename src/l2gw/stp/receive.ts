/**
 * Port Receive state machine, IEEE 802.1D-2004 §17.23 (Figure 17-13): a
 * valid BPDU (rcvdBpdu) becomes a message for the Port Information machine
 * (rcvdMsg) once the previous one has been processed; updtBPDUVersion notes
 * which protocol the neighbour speaks, for Port Protocol Migration.
 */
import { step, type StateTable } from '../lacp/machine.js';
import { MIGRATE_TIME, type PrxState, type StpPort } from './port.js';

/** §17.21.22 updtBPDUVersion */
function updtBpduVersion(p: StpPort): void {
  const b = p.rxBpdu!;
  if (b.type === 'rst') p.rcvdRSTP = true;
  else p.rcvdSTP = true;
}

/** §17.21.12 rcvBpdu's message: msgPriority/msgTimes from the BPDU held. */
function takeMessage(p: StpPort): void {
  const b = p.rxBpdu!;
  p.msgPriority = { root: b.root, cost: b.cost, bridge: b.bridge, port: b.port, rxPort: p.portId };
  p.msgTimes = { ...b.times };
}

export const receiveTable = {
  'discard': {
    enter(p) { p.rcvdBpdu = p.rcvdRSTP = p.rcvdSTP = false; p.rcvdMsg = false; p.edgeDelayWhile = MIGRATE_TIME; },
    next: (p) => (p.rcvdBpdu && p.portEnabled ? 'receive' : undefined),
  },
  'receive': {
    enter(p) {
      updtBpduVersion(p);
      takeMessage(p);
      p.operEdge = p.rcvdBpdu = false;
      p.rcvdMsg = true;
      p.edgeDelayWhile = MIGRATE_TIME;
    },
    next: (p) => (p.rcvdBpdu && p.portEnabled && !p.rcvdMsg ? 'receive' : undefined),
  },
} satisfies StateTable<PrxState, StpPort>;

function global(p: StpPort): PrxState | undefined {
  return (p.rcvdBpdu || p.edgeDelayWhile !== MIGRATE_TIME) && !p.portEnabled ? 'discard' : undefined;
}

export function stepReceive(p: StpPort): boolean {
  const to = step(receiveTable, p.prx, p, global);
  if (to !== undefined) p.prx = to;
  return to !== undefined;
}
