/**
 * Port Role Selection state machine, IEEE 802.1D-2004 §17.28 (Figure
 * 17-19) and its procedures updtRoleDisabledTree, clearReselectTree,
 * updtRolesTree and setSelectedTree (§17.21.24–25, .2, .16).
 *
 * One machine per bridge: whenever a port asks (reselect), it computes the
 * root priority vector (the best of the bridge's own and each port's root path
 * priority vector), the root port and root times, each port's designated
 * priority vector and times, and each port's role (§17.21.25 a–g).
 *
 * Root guard (802.1Q-2011 §13.27.62 restrictedRole): a restricted port is
 * never chosen as Root Port; with the best information it becomes Alternate
 * (so discarding), which is counted as a root guard block.
 */
import { step, type StateTable } from '../lacp/machine.js';
import type { BridgeEnv, StpPort } from './port.js';
import { bridgeAddress, compareVectors, type PriorityVector } from './priority.js';

export type PrsState = 'init-bridge' | 'role-selection';
export interface Bridge { env: BridgeEnv; prs: PrsState }

function rootPathVector(p: StpPort): PriorityVector {
  const v = p.portPriority;
  return { root: v.root, cost: v.cost + p.cfg.pathCost, bridge: v.bridge, port: v.port, rxPort: p.portId };
}

/** The root priority vector and root port (undefined: this bridge is the root). */
function chooseRoot(env: BridgeEnv): { vector: PriorityVector; port: StpPort | undefined; blocked: Set<StpPort> } {
  const own = bridgeAddress(env.bridgeId);
  let vector: PriorityVector = { root: env.bridgeId, cost: 0, bridge: env.bridgeId, port: 0, rxPort: 0 };
  let port: StpPort | undefined;
  const blocked = new Set<StpPort>();
  for (const p of env.ports()) {
    if (p.infoIs !== 'received' || bridgeAddress(p.portPriority.bridge) === own) continue;
    const v = rootPathVector(p);
    if (compareVectors(v, vector) >= 0) continue;
    if (p.restrictedRole) {
      blocked.add(p);
      continue;
    }
    vector = v;
    port = p;
  }
  return { vector, port, blocked };
}

/** §17.21.25 a–g for one port. */
function assignRole(p: StpPort, rootPort: StpPort | undefined, own: string): void {
  const designatedBetter = compareVectors(p.designatedPriority, p.portPriority) < 0;
  switch (p.infoIs) {
    case 'disabled': p.selectedRole = 'disabled'; return;
    case 'aged': p.selectedRole = 'designated'; p.updtInfo = true; return;
    case 'mine': {
      p.selectedRole = 'designated';
      const t = p.portTimes, d = p.designatedTimes;
      const timesDiffer = t.messageAge !== d.messageAge || t.maxAge !== d.maxAge || t.helloTime !== d.helloTime || t.forwardDelay !== d.forwardDelay;
      if (compareVectors(p.portPriority, p.designatedPriority) !== 0 || timesDiffer) p.updtInfo = true;
      return;
    }
    case 'received':
      if (p === rootPort) { p.selectedRole = 'root'; p.updtInfo = false; return; }
      if (designatedBetter) { p.selectedRole = 'designated'; p.updtInfo = true; return; }
      p.selectedRole = bridgeAddress(p.portPriority.bridge) === own ? 'backup' : 'alternate';
      p.updtInfo = false;
  }
}

/** §17.21.25 updtRolesTree */
export function updtRolesTree(env: BridgeEnv): void {
  const { vector, port: rootPort, blocked } = chooseRoot(env);
  for (const p of env.ports()) {
    const b = blocked.has(p);
    if (b && !p.rootBlocked) p.counters.rootGuardBlocks++;
    p.rootBlocked = b;
  }
  env.rootTimes = rootPort
    ? { ...rootPort.portTimes, messageAge: rootPort.portTimes.messageAge + 1 }
    : { ...env.bridgeTimes };
  env.rootPriority = vector;
  env.rootPortId = rootPort?.portId ?? 0;
  const own = bridgeAddress(env.bridgeId);
  for (const p of env.ports()) {
    p.designatedPriority = { root: vector.root, cost: vector.cost, bridge: env.bridgeId, port: p.portId, rxPort: p.portId };
    p.designatedTimes = { ...env.rootTimes, helloTime: env.bridgeTimes.helloTime };
    assignRole(p, rootPort, own);
  }
}

export const selectionTable = {
  'init-bridge': {
    enter(b) { for (const p of b.env.ports()) p.selectedRole = 'disabled'; },
    next: () => 'role-selection',
  },
  'role-selection': {
    enter(b) {
      const ports = b.env.ports();
      for (const p of ports) p.reselect = false;
      updtRolesTree(b.env);
      if (!ports.some((p) => p.reselect)) for (const p of ports) p.selected = true;
    },
    next: (b) => (b.env.ports().some((p) => p.reselect) ? 'role-selection' : undefined),
  },
} satisfies StateTable<PrsState, Bridge>;

export function stepSelection(b: Bridge): boolean {
  const to = step(selectionTable, b.prs, b);
  if (to !== undefined) b.prs = to;
  return to !== undefined;
}
