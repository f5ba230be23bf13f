/**
 * Port Protocol Migration state machine, IEEE 802.1D-2004 §17.24 (Figure
 * 17-14): an RSTP port sends RST BPDUs (sendRSTP) until it hears an 802.1D
 * Configuration or TCN BPDU, then falls back to 802.1D BPDUs for at least
 * MigrateTime (3 s); it returns to RSTP when the link goes down, on mcheck, or
 * when an RST BPDU is heard again. With ForceProtocolVersion 0 (mode `stp`)
 * it always sends 802.1D BPDUs.
 */
import { step, type StateTable } from '../lacp/machine.js';
import { MIGRATE_TIME, type PpmState, type StpPort } from './port.js';

export const migrationTable = {
  'checking-rstp': {
    enter(p) { p.mcheck = false; p.sendRSTP = p.rstpVersion; p.mdelayWhile = MIGRATE_TIME; },
    next: (p) => (p.mdelayWhile === 0 ? 'sensing' : p.mdelayWhile !== MIGRATE_TIME && !p.portEnabled ? 'checking-rstp' : undefined),
  },
  'selecting-stp': {
    enter(p) { p.sendRSTP = false; p.mdelayWhile = MIGRATE_TIME; },
    next: (p) => (p.mdelayWhile === 0 || !p.portEnabled || p.mcheck ? 'sensing' : undefined),
  },
  'sensing': {
    enter(p) { p.rcvdRSTP = p.rcvdSTP = false; },
    next: (p) => {
      if (!p.portEnabled || p.mcheck || (p.rstpVersion && !p.sendRSTP && p.rcvdRSTP)) return 'checking-rstp';
      return p.sendRSTP && p.rcvdSTP ? 'selecting-stp' : undefined;
    },
  },
} satisfies StateTable<PpmState, StpPort>;

export function stepMigration(p: StpPort): boolean {
  const to = step(migrationTable, p.ppm, p);
  if (to !== undefined) p.ppm = to;
  return to !== undefined;
}
