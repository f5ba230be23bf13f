/**
 * Identifiers, spanning tree priority vectors and path costs of IEEE
 * 802.1D-2004 clause 17.
 *
 * A Bridge Identifier (§9.2.5) is a 4-bit priority in steps of 4096, a 12-bit
 * system ID extension (0 here: one tree per bridge) and the bridge's MAC,
 * kept as 16 hex digits so that string order is numeric order. A Port
 * Identifier (§9.2.7) is a 4-bit priority in steps of 16 and a 12-bit port
 * number, kept as the 16-bit number.
 *
 * A priority vector (§17.6) is {root bridge, root path cost, designated bridge,
 * designated port, receiving port}; smaller is better, compared in that order.
 * Path costs default by link speed (§17.14, Table 17-3: 20 000 000 000 000
 * divided by the speed in b/s, within 1..200 000 000).
 */
import type { Bpdu, Times } from './bpdu.js';

export interface PriorityVector {
  root: string;
  cost: number;
  bridge: string;
  port: number;
  rxPort: number;
}

export const BRIDGE_PRIORITY_DEFAULT = 32768;
export const PORT_PRIORITY_DEFAULT = 128;
/** §17.14 Table 17-1/17-2 ranges */
export const BRIDGE_PRIORITY_STEP = 4096;
export const PORT_PRIORITY_STEP = 16;
export const PATH_COST_MIN = 1;
export const PATH_COST_MAX = 200_000_000;

/** §17.13 defaults, seconds, and the Transmit Hold Count. */
export const StpDefaults = { helloTime: 2, maxAge: 20, forwardDelay: 15, migrateTime: 3, txHoldCount: 6 } as const;

export function bridgeId(priority: number, mac: string): string {
  return (priority & 0xf000).toString(16).padStart(4, '0') + mac.replace(/:/g, '').toLowerCase();
}
export function portId(priority: number, number: number): number {
  return ((priority & 0xf0) << 8) | (number & 0x0fff);
}
/** The MAC part of a bridge ID. */
export const bridgeAddress = (id: string) => id.slice(4);
export const portNumber = (id: number) => id & 0x0fff;

/** <0 if a is better than b, 0 if the same, >0 if worse. */
export function compareVectors(a: PriorityVector, b: PriorityVector): number {
  if (a.root !== b.root) return a.root < b.root ? -1 : 1;
  if (a.cost !== b.cost) return a.cost - b.cost;
  if (a.bridge !== b.bridge) return a.bridge < b.bridge ? -1 : 1;
  if (a.port !== b.port) return a.port - b.port;
  return a.rxPort - b.rxPort;
}
export const sameVector = (a: PriorityVector, b: PriorityVector) => compareVectors(a, b) === 0;
export const sameTimes = (a: Times, b: Times) =>
  a.messageAge === b.messageAge && a.maxAge === b.maxAge && a.helloTime === b.helloTime && a.forwardDelay === b.forwardDelay;

/** §17.6: better, or from the same designated bridge address and port number (updated information). */
export function superior(msg: PriorityVector, port: PriorityVector): boolean {
  return compareVectors(msg, port) < 0
    || (bridgeAddress(msg.bridge) === bridgeAddress(port.bridge) && portNumber(msg.port) === portNumber(port.port));
}

/** The message priority vector of a received BPDU on the port with ID `rxPort`. */
export function messageVector(b: Bpdu, rxPort: number): PriorityVector {
  return { root: b.root, cost: b.cost, bridge: b.bridge, port: b.port, rxPort };
}

/** §17.14 recommended Port Path Cost for a link of `bitsPerSecond`. */
export function defaultPathCost(bitsPerSecond: number): number {
  if (!(bitsPerSecond > 0)) return 2_000; // unknown speed: as 10 Gb/s
  return Math.min(PATH_COST_MAX, Math.max(PATH_COST_MIN, Math.round(20_000_000_000_000 / bitsPerSecond)));
}

export function formatBridgeId(id: string): string {
  const mac = id.slice(4).match(/../g)!.join(':');
  return `${parseInt(id.slice(0, 4), 16)}.${mac}`;
}
