/**
 * Port Information state machine, IEEE 802.1D-2004 §17.27 (Figure 17-18),
 * with the procedures it calls (§17.21): rcvInfo, recordProposal, setTcFlags,
 * betterorsameInfo, recordPriority, recordTimes, updtRcvdInfoWhile,
 * recordDispute, recordAgreement.
 *
 * It classifies each received message against the port priority vector the
 * port holds (superior, repeated or inferior designated information, or an
 * inferior root/alternate message carrying an agreement), ages received
 * information out after three Hello Times without a repeat, and installs the
 * bridge's own designatedPriority when Port Role Selection asks (updtInfo).
 *
 * recordDispute follows the 802.1Q-2011 §13.29.10 correction (disputed, so a
 * designated port hearing a designated port that is learning on the same
 * link stops forwarding) instead of 802.1D-2004's text.
 */
import { step, type StateTable } from '../lacp/machine.js';
import type { PimState, RcvdInfo, StpPort } from './port.js';
import { compareVectors, sameTimes, sameVector, superior } from './priority.js';

/** §17.21.8 rcvInfo */
function rcvInfo(p: StpPort): RcvdInfo {
  const b = p.rxBpdu!;
  if (b.type === 'tcn') return 'other';
  const msg = p.msgPriority;
  if (b.role === 'designated') {
    if (superior(msg, p.portPriority) || (sameVector(msg, p.portPriority) && !sameTimes(p.msgTimes, p.portTimes))) return 'superior-designated';
    if (sameVector(msg, p.portPriority) && sameTimes(p.msgTimes, p.portTimes)) return 'repeated-designated';
    return 'inferior-designated';
  }
  if ((b.role === 'root' || b.role === 'alternate-backup') && compareVectors(msg, p.portPriority) >= 0) return 'inferior-root-alternate';
  return 'other';
}

/** §17.21.1 betterorsameInfo */
function betterOrSameInfo(p: StpPort, newInfoIs: 'received' | 'mine'): boolean {
  if (newInfoIs === 'received') return p.infoIs === 'received' && compareVectors(p.msgPriority, p.portPriority) <= 0;
  return p.infoIs === 'mine' && compareVectors(p.designatedPriority, p.portPriority) <= 0;
}

/** §17.21.11 recordProposal */
function recordProposal(p: StpPort): void {
  const b = p.rxBpdu!;
  if (b.type === 'rst' && b.role === 'designated' && b.proposal) p.proposed = true;
}

/** §17.21.17 setTcFlags */
function setTcFlags(p: StpPort): void {
  const b = p.rxBpdu!;
  if (b.type === 'tcn') { p.rcvdTcn = true; return; }
  if (b.tc) p.rcvdTc = true;
  if (b.tcAck) p.rcvdTcAck = true;
}

/** §17.21.23 updtRcvdInfoWhile */
function updtRcvdInfoWhile(p: StpPort): void {
  const t = p.portTimes;
  p.rcvdInfoWhile = Math.round(t.messageAge) + 1 <= t.maxAge ? 3 * Math.max(1, Math.round(t.helloTime)) : 0;
}

/** §17.21.10 recordDispute (802.1Q-2011 §13.29.10) */
function recordDispute(p: StpPort): void {
  const b = p.rxBpdu!;
  if (b.type === 'rst' && b.learning) { p.disputed = true; p.agreed = false; }
}

/** §17.21.9 recordAgreement (operPointToPointMAC is TRUE) */
function recordAgreement(p: StpPort): void {
  const b = p.rxBpdu!;
  if (p.rstpVersion && b.type === 'rst' && b.agreement) { p.agreed = true; p.proposing = false; } else p.agreed = false;
}

const done = (p: StpPort) => { p.rcvdMsg = false; };

export const informationTable = {
  'disabled': {
    enter(p) {
      p.rcvdMsg = false;
      p.proposing = p.proposed = p.agree = p.agreed = false;
      p.rcvdInfoWhile = 0;
      p.infoIs = 'disabled'; p.reselect = true; p.selected = false;
    },
    next: (p) => (p.rcvdMsg ? 'disabled' : p.portEnabled ? 'aged' : undefined),
  },
  'aged': {
    enter(p) { p.infoIs = 'aged'; p.reselect = true; p.selected = false; },
    next: (p) => (p.selected && p.updtInfo ? 'update' : undefined),
  },
  'update': {
    enter(p) {
      p.proposing = p.proposed = false;
      p.agreed = p.agreed && betterOrSameInfo(p, 'mine');
      p.synced = p.synced && p.agreed;
      p.portPriority = { ...p.designatedPriority };
      p.portTimes = { ...p.designatedTimes };
      p.updtInfo = false; p.infoIs = 'mine'; p.newInfo = true;
    },
    next: () => 'current',
  },
  'current': {
    enter() {},
    next: (p) => {
      if (p.selected && p.updtInfo) return 'update';
      if (p.infoIs === 'received' && p.rcvdInfoWhile === 0 && !p.updtInfo && !p.rcvdMsg) return 'aged';
      return p.rcvdMsg && !p.updtInfo ? 'receive' : undefined;
    },
  },
  'receive': {
    enter(p) { p.rcvdInfo = rcvInfo(p); },
    next: (p): PimState => {
      switch (p.rcvdInfo) {
        case 'superior-designated': return 'superior-designated';
        case 'repeated-designated': return 'repeated-designated';
        case 'inferior-designated': return 'inferior-designated';
        case 'inferior-root-alternate': return 'not-designated';
        case 'other': return 'other';
      }
    },
  },
  'superior-designated': {
    enter(p) {
      p.agreed = p.proposing = false;
      recordProposal(p);
      setTcFlags(p);
      p.agree = p.agree && betterOrSameInfo(p, 'received');
      p.portPriority = { ...p.msgPriority };
      p.portTimes = { ...p.msgTimes };
      updtRcvdInfoWhile(p);
      p.infoIs = 'received'; p.reselect = true; p.selected = false;
      done(p);
    },
    next: () => 'current',
  },
  'repeated-designated': {
    enter(p) { recordProposal(p); setTcFlags(p); updtRcvdInfoWhile(p); done(p); },
    next: () => 'current',
  },
  'inferior-designated': {
    enter(p) { recordDispute(p); done(p); },
    next: () => 'current',
  },
  'not-designated': {
    enter(p) { recordAgreement(p); setTcFlags(p); done(p); },
    next: () => 'current',
  },
  'other': {
    enter(p) { if (p.rxBpdu?.type === 'tcn') setTcFlags(p); done(p); },
    next: () => 'current',
  },
} satisfies StateTable<PimState, StpPort>;

function global(p: StpPort): PimState | undefined {
  return !p.portEnabled && p.infoIs !== 'disabled' ? 'disabled' : undefined;
}

export function stepInformation(p: StpPort): boolean {
  const to = step(informationTable, p.pim, p, global);
  if (to !== undefined) p.pim = to;
  return to !== undefined;
}
