/**
 * Port Transmit state machine, IEEE 802.1D-2004 §17.26 (Figure 17-17):
 * BPDUs go out when there is new information (newInfo) and the hold count
 * allows (txCount < TxHoldCount, drained one a second), and every HelloTime
 * on designated ports (and on the root port while a topology change is
 * signalled). sendRSTP (Port Protocol Migration) picks RST BPDUs or the 802.1D
 * Configuration/TCN BPDUs (txConfig, txTcn, txRstp: §17.21.19–21).
 *
 * The standard starts this machine on BEGIN only; here a disabled port's
 * machine is held in TRANSMIT_INIT, since nothing can be sent on a dead link.
 */
import { step, type StateTable } from '../lacp/machine.js';
import type { Bpdu, BpduRole } from './bpdu.js';
import type { PtxState, Role, StpPort } from './port.js';

const BPDU_ROLE: Record<Role, BpduRole> = {
  disabled: 'unknown', root: 'root', designated: 'designated', alternate: 'alternate-backup', backup: 'alternate-backup',
};

function message(p: StpPort, type: Bpdu['type']): Bpdu {
  const d = p.designatedPriority;
  return {
    type, version: type === 'rst' ? 2 : 0, tc: p.tcWhile !== 0, tcAck: type === 'config' && p.tcAck,
    proposal: type === 'rst' && p.proposing && p.role === 'designated', role: type === 'rst' ? BPDU_ROLE[p.role] : 'designated',
    learning: type === 'rst' && p.learning, forwarding: type === 'rst' && p.forwarding, agreement: type === 'rst' && p.agree,
    root: d.root, cost: d.cost, bridge: d.bridge, port: d.port, times: { ...p.designatedTimes },
  };
}

function send(p: StpPort, type: Bpdu['type']): void {
  p.newInfo = false;
  p.env.transmit(p, message(p, type));
  p.counters.txBpdus++;
  p.txCount += 1;
}

const ready = (p: StpPort) => p.selected && !p.updtInfo;

function fromIdle(p: StpPort): PtxState | undefined {
  if (!ready(p)) return undefined;
  if (p.helloWhen === 0) return 'transmit-periodic';
  if (!p.newInfo || p.txCount >= p.env.txHoldCount) return undefined;
  if (p.sendRSTP) return 'transmit-rstp';
  if (p.role === 'root') return 'transmit-tcn';
  if (p.role === 'designated') return 'transmit-config';
  return undefined;
}

export const transmitTable = {
  'transmit-init': {
    enter(p) { p.newInfo = true; p.txCount = 0; },
    next: (p) => (p.portEnabled ? 'idle' : undefined),
  },
  'idle': {
    enter(p) { p.helloWhen = p.helloTime; },
    next: fromIdle,
  },
  'transmit-periodic': {
    enter(p) { p.newInfo = p.newInfo || p.role === 'designated' || (p.role === 'root' && p.tcWhile !== 0); },
    next: () => 'idle',
  },
  'transmit-config': {
    enter(p) { send(p, 'config'); p.tcAck = false; },
    next: () => 'idle',
  },
  'transmit-tcn': {
    enter(p) { send(p, 'tcn'); },
    next: () => 'idle',
  },
  'transmit-rstp': {
    enter(p) { send(p, 'rst'); p.tcAck = false; },
    next: () => 'idle',
  },
} satisfies StateTable<PtxState, StpPort>;

function global(p: StpPort, current: PtxState): PtxState | undefined {
  return !p.portEnabled && current !== 'transmit-init' ? 'transmit-init' : undefined;
}

export function stepTransmit(p: StpPort): boolean {
  const to = step(transmitTable, p.ptx, p, global);
  if (to !== undefined) p.ptx = to;
  return to !== undefined;
}
