/**
 * Bridge Detection state machine, IEEE 802.1D-2004 §17.25 (Figure 17-15):
 * operEdge follows AdminEdge when the port comes up; any BPDU received
 * (Port Receive clears operEdge) makes it a non-edge port; with AutoEdge a
 * designated port that proposed and heard nothing for EdgeDelay becomes edge.
 */
import { step, type StateTable } from '../lacp/machine.js';
import type { BdmState, StpPort } from './port.js';

export const detectionTable = {
  'edge': {
    enter(p) { p.operEdge = true; },
    next: (p) => ((!p.portEnabled && !p.cfg.adminEdge) || !p.operEdge ? 'not-edge' : undefined),
  },
  'not-edge': {
    enter(p) { p.operEdge = false; },
    next: (p) => ((!p.portEnabled && p.cfg.adminEdge)
      || (p.edgeDelayWhile === 0 && p.cfg.autoEdge && p.sendRSTP && p.proposing) ? 'edge' : undefined),
  },
} satisfies StateTable<BdmState, StpPort>;

export function stepDetection(p: StpPort): boolean {
  const to = step(detectionTable, p.bdm, p);
  if (to !== undefined) p.bdm = to;
  return to !== undefined;
}
