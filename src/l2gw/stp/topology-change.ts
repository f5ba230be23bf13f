/**
 * Topology Change state machine, IEEE 802.1D-2004 §17.31 (Figure 17-25),
 * with newTcWhile and setTcPropTree (§17.21.7, .18).
 *
 * A root or designated non-edge port that starts forwarding detects a
 * topology change: it signals TC in its BPDUs for tcWhile and asks every other
 * port to propagate, which flushes their learned entries (fdbFlush, the
 * bridge's `flush` hook: the controller asks the core to remove the port's
 * learned MACs). A TC or TCN received is propagated the same way; a port that
 * stops being root or designated (or is an edge port) flushes its own entries.
 * An 802.1D neighbour's TCN is acknowledged with TC Ack (tcAck) in the next
 * Configuration BPDU.
 */
import { step, type StateTable } from '../lacp/machine.js';
import type { StpPort, TcmState } from './port.js';

/** §17.21.7 newTcWhile */
function newTcWhile(p: StpPort): void {
  if (p.tcWhile !== 0) return;
  if (p.sendRSTP) { p.tcWhile = p.helloTime + 1; p.newInfo = true; } else p.tcWhile = p.env.rootTimes.maxAge + p.env.rootTimes.forwardDelay;
}

/** §17.21.18 setTcPropTree: every other port propagates. */
const setTcPropTree = (p: StpPort) => { for (const q of p.env.ports()) if (q !== p) q.tcProp = true; };

/** The bridge flushes at once and clears fdbFlush (§17.19.7). */
function flush(p: StpPort): void {
  p.env.flush(p);
  p.counters.flushes++;
  p.fdbFlush = false;
}

const rootOrDesignated = (p: StpPort) => p.role === 'root' || p.role === 'designated';
const anyTc = (p: StpPort) => p.rcvdTc || p.rcvdTcn || p.rcvdTcAck || p.tcProp;

export const topologyChangeTable = {
  'inactive': {
    enter(p) { p.fdbFlush = true; flush(p); p.tcWhile = 0; p.tcAck = false; },
    next: (p) => (p.learn && !p.fdbFlush ? 'learning' : undefined),
  },
  'learning': {
    enter(p) { p.rcvdTc = p.rcvdTcn = p.rcvdTcAck = p.tcProp = false; },
    next: (p) => {
      if (rootOrDesignated(p) && p.forward && !p.operEdge) return 'detected';
      if (anyTc(p)) return 'learning';
      return !rootOrDesignated(p) && !(p.learn || p.learning) ? 'inactive' : undefined;
    },
  },
  'detected': {
    enter(p) { newTcWhile(p); setTcPropTree(p); p.newInfo = true; p.counters.tcDetected++; },
    next: () => 'active',
  },
  'active': {
    enter() {},
    next: (p) => {
      if (!rootOrDesignated(p) || p.operEdge) return 'learning';
      if (p.rcvdTcn) return 'notified-tcn';
      if (p.rcvdTc) return 'notified-tc';
      if (p.tcProp && !p.operEdge) return 'propagating';
      return p.rcvdTcAck ? 'acknowledged' : undefined;
    },
  },
  'notified-tcn': { enter(p) { newTcWhile(p); }, next: () => 'notified-tc' },
  'notified-tc': {
    enter(p) { p.rcvdTcn = p.rcvdTc = false; if (p.role === 'designated') p.tcAck = true; setTcPropTree(p); },
    next: () => 'active',
  },
  'propagating': {
    enter(p) { newTcWhile(p); p.fdbFlush = true; flush(p); p.tcProp = false; },
    next: () => 'active',
  },
  'acknowledged': { enter(p) { p.tcWhile = 0; p.rcvdTcAck = false; }, next: () => 'active' },
} satisfies StateTable<TcmState, StpPort>;

export function stepTopologyChange(p: StpPort): boolean {
  const to = step(topologyChangeTable, p.tcm, p);
  if (to !== undefined) p.tcm = to;
  return to !== undefined;
}
