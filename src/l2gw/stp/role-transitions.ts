/**
 * Port Role Transitions state machine, IEEE 802.1D-2004 §17.29 (Figures
 * 17-20 to 17-23), with setSyncTree and setReRootTree (§17.21.14–15).
 *
 * A port takes the role Port Role Selection chose (selectedRole) and moves
 * its learn/forward flags toward it: a root port forwards at once when no
 * other port may still forward toward the old root (reRooted, rbWhile), a
 * designated port forwards at once on its neighbour's agreement to its
 * proposal (and otherwise after two forwardDelay periods), and a root or
 * alternate port agrees to a proposal only once every other port is synced
 * (discarding or agreed) — the handshake that keeps the tree loop-free while
 * it converges in well under a second.
 *
 * Every transition but the unconditional ones is qualified by
 * `selected && !updtInfo` (§17.29). The ROOT_SYNCED state is 802.1Q-2011's
 * (§13.37), which lets a root port clear a sync request.
 */
import { step, type StateTable } from '../lacp/machine.js';
import { allSynced, type PrtState, type StpPort } from './port.js';

const ready = (p: StpPort) => p.selected && !p.updtInfo;
const setSyncTree = (p: StpPort) => { for (const q of p.env.ports()) q.sync = true; };
const setReRootTree = (p: StpPort) => { for (const q of p.env.ports()) q.reRoot = true; };

function fromRoot(p: StpPort): PrtState | undefined {
  if (p.proposed && !p.agree) return 'root-proposed';
  if ((allSynced(p) && !p.agree) || (p.proposed && p.agree)) return 'root-agreed';
  if ((p.agreed && !p.synced) || (p.sync && p.synced)) return 'root-synced';
  if (!p.forward && !p.reRoot) return 'reroot';
  if (p.reRoot && p.forward) return 'rerooted';
  if (p.rrWhile !== p.fwdDelay) return 'root-port';
  const may = p.fdWhile === 0 || (p.reRooted && p.rbWhile === 0 && p.rstpVersion);
  if (may && !p.learn) return 'root-learn';
  if (may && p.learn && !p.forward) return 'root-forward';
  return undefined;
}

function fromDesignated(p: StpPort): PrtState | undefined {
  if (!p.forward && !p.agreed && !p.proposing && !p.operEdge) return 'designated-propose';
  if ((!p.learning && !p.forwarding && !p.synced) || (p.agreed && !p.synced) || (p.operEdge && !p.synced) || (p.sync && p.synced)) {
    return 'designated-synced';
  }
  if (p.rrWhile === 0 && p.reRoot) return 'designated-retired';
  if (((p.sync && !p.synced) || (p.reRoot && p.rrWhile !== 0) || p.disputed) && !p.operEdge && (p.learn || p.forward)) {
    return 'designated-discard';
  }
  const may = (p.fdWhile === 0 || p.agreed || p.operEdge) && (p.rrWhile === 0 || !p.reRoot) && !p.sync;
  if (may && !p.learn) return 'designated-learn';
  if (may && p.learn && !p.forward) return 'designated-forward';
  return undefined;
}

function fromAlternate(p: StpPort): PrtState | undefined {
  if (p.proposed && !p.agree) return 'alternate-proposed';
  if ((allSynced(p) && !p.agree) || (p.proposed && p.agree)) return 'alternate-agreed';
  if (p.rbWhile !== 2 * p.helloTime && p.role === 'backup') return 'backup-port';
  if (p.fdWhile !== p.forwardDelay || p.sync || p.reRoot || !p.synced) return 'alternate-port';
  return undefined;
}

const q = (f: (p: StpPort) => PrtState | undefined) => (p: StpPort) => (ready(p) ? f(p) : undefined);
const toRoot = () => 'root-port' as const;
const toDesignated = () => 'designated-port' as const;
const toAlternate = () => 'alternate-port' as const;

export const roleTransitionsTable = {
  'init-port': {
    enter(p) {
      p.role = 'disabled'; p.learn = p.forward = false; p.synced = false; p.sync = p.reRoot = true;
      p.rrWhile = p.fwdDelay; p.fdWhile = p.maxAge; p.rbWhile = 0;
    },
    next: () => 'disable-port',
  },
  'disable-port': {
    enter(p) { p.role = 'disabled'; p.learn = p.forward = false; },
    next: q((p) => (!p.learning && !p.forwarding ? 'disabled-port' : undefined)),
  },
  'disabled-port': {
    enter(p) { p.fdWhile = p.maxAge; p.synced = true; p.rrWhile = 0; p.sync = p.reRoot = false; },
    next: q((p) => (p.fdWhile !== p.maxAge || p.sync || p.reRoot || !p.synced ? 'disabled-port' : undefined)),
  },
  'root-port': { enter(p) { p.role = 'root'; p.rrWhile = p.fwdDelay; }, next: q(fromRoot) },
  'root-proposed': { enter(p) { setSyncTree(p); p.proposed = false; }, next: toRoot },
  'root-agreed': { enter(p) { p.proposed = p.sync = false; p.agree = true; p.newInfo = true; }, next: toRoot },
  'root-synced': { enter(p) { p.synced = true; p.sync = false; }, next: toRoot },
  'reroot': { enter(p) { setReRootTree(p); }, next: toRoot },
  'root-forward': { enter(p) { p.fdWhile = 0; p.forward = true; }, next: toRoot },
  'root-learn': { enter(p) { p.fdWhile = p.forwardDelay; p.learn = true; }, next: toRoot },
  'rerooted': { enter(p) { p.reRoot = false; }, next: toRoot },
  'designated-port': { enter(p) { p.role = 'designated'; }, next: q(fromDesignated) },
  'designated-propose': {
    enter(p) { p.proposing = true; p.edgeDelayWhile = p.edgeDelay; p.newInfo = true; },
    next: toDesignated,
  },
  'designated-synced': { enter(p) { p.rrWhile = 0; p.synced = true; p.sync = false; }, next: toDesignated },
  'designated-retired': { enter(p) { p.reRoot = false; }, next: toDesignated },
  'designated-discard': {
    enter(p) { p.learn = p.forward = p.disputed = false; p.fdWhile = p.forwardDelay; },
    next: toDesignated,
  },
  'designated-learn': { enter(p) { p.learn = true; p.fdWhile = p.forwardDelay; }, next: toDesignated },
  'designated-forward': { enter(p) { p.forward = true; p.fdWhile = 0; p.agreed = p.sendRSTP; }, next: toDesignated },
  'block-port': {
    enter(p) { p.role = p.selectedRole; p.learn = p.forward = false; },
    next: q((p) => (!p.learning && !p.forwarding ? 'alternate-port' : undefined)),
  },
  'alternate-port': {
    enter(p) { p.fdWhile = p.forwardDelay; p.synced = true; p.rrWhile = 0; p.sync = p.reRoot = false; },
    next: q(fromAlternate),
  },
  'alternate-proposed': { enter(p) { setSyncTree(p); p.proposed = false; }, next: toAlternate },
  'alternate-agreed': { enter(p) { p.proposed = false; p.agree = true; p.newInfo = true; }, next: toAlternate },
  'backup-port': { enter(p) { p.rbWhile = 2 * p.helloTime; }, next: toAlternate },
} satisfies StateTable<PrtState, StpPort>;

/** The role changes of Figures 17-20..23: from any state, once selected. */
function global(p: StpPort): PrtState | undefined {
  if (!ready(p) || p.selectedRole === p.role) return undefined;
  switch (p.selectedRole) {
    case 'disabled': return 'disable-port';
    case 'root': return 'root-port';
    case 'designated': return 'designated-port';
    case 'alternate':
    case 'backup': return 'block-port';
  }
}

export function stepRoleTransitions(p: StpPort): boolean {
  const to = step(roleTransitionsTable, p.prt, p, global);
  if (to !== undefined) p.prt = to;
  return to !== undefined;
}
