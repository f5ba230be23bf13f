// Spanning tree in the config (docs/stp.md): `bridges.NAME.stp` turns RSTP
// (IEEE 802.1D-2004 clause 17) or legacy 802.1D STP on for a bridge, and
// `ports.NAME.stp` tunes a port of it. Every L2 port of such a bridge takes
// part: TAP ports (VMs) are edge ports by default, the others (af-packet:
// gateway ports into a physical segment; memory) are not. Validation names
// the field (`bridges.br0.stp.priority`) and the rule, as config.ts does.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';

import { Type } from '@sinclair/typebox';

import { BRIDGE_PRIORITY_DEFAULT, PATH_COST_MAX, PATH_COST_MIN, PORT_PRIORITY_DEFAULT, StpDefaults } from '../l2gw/stp/priority.js';

export const StpBridgeSchema = Type.Object(
  {
    mode: Type.Optional(Type.Union([Type.Literal('rstp'), Type.Literal('stp')], { description: 'rstp (802.1D-2004 clause 17, default) or stp (legacy 802.1D)' })),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 61440, description: 'bridge priority, a multiple of 4096 (default 32768)' })),
    mac: Type.Optional(Type.String({ description: 'bridge address of the bridge ID (default: derived from the host name and bridge name)' })),
    'hello-time': Type.Optional(Type.Integer({ minimum: 1, maximum: 2, description: 'seconds (default 2)' })),
    'max-age': Type.Optional(Type.Integer({ minimum: 6, maximum: 40, description: 'seconds (default 20)' })),
    'forward-delay': Type.Optional(Type.Integer({ minimum: 4, maximum: 30, description: 'seconds (default 15)' })),
  },
  { additionalProperties: false },
);

export const StpPortSchema = Type.Object(
  {
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 240, description: 'port priority, a multiple of 16 (default 128)' })),
    cost: Type.Optional(Type.Integer({ minimum: PATH_COST_MIN, maximum: PATH_COST_MAX, description: 'port path cost (default by speed: 2000 for 10 Gb/s)' })),
    edge: Type.Optional(Type.Boolean({ description: 'an edge port (no bridge behind it): forwards at once; default true for tap ports' })),
    'auto-edge': Type.Optional(Type.Boolean({ description: 'become edge when no BPDU is heard (default true)' })),
    'bpdu-guard': Type.Optional(Type.Boolean({ description: 'a BPDU on this edge port disables it (default false)' })),
    'root-guard': Type.Optional(Type.Boolean({ description: 'never let this port become root port (default false)' })),
  },
  { additionalProperties: false },
);

export interface StpPortSettings {
  name: string;
  /** 1..4095, by order of the port names in the bridge */
  number: number;
  priority: number;
  cost: number;
  edge: boolean;
  autoEdge: boolean;
  bpduGuard: boolean;
  rootGuard: boolean;
}

export interface StpConfig {
  bridge: string;
  mode: 'rstp' | 'stp';
  priority: number;
  mac: string;
  helloTime: number;
  maxAge: number;
  forwardDelay: number;
  ports: StpPortSettings[];
}

type Problem = { path: string; message: string };
type RawStpBridge = { mode?: 'rstp' | 'stp'; priority?: number; mac?: string; 'hello-time'?: number; 'max-age'?: number; 'forward-delay'?: number };
type RawStpPort = { priority?: number; cost?: number; edge?: boolean; 'auto-edge'?: boolean; 'bpdu-guard'?: boolean; 'root-guard'?: boolean };
interface L2Port { name: string; backend: string; bridge: string | null; mode: string }

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
/** Ports 1..4095 per bridge (the 12-bit port number). */
const MAX_PORTS = 4095;

/** A locally administered unicast MAC from the host and bridge names. */
export function derivedBridgeMac(bridge: string): string {
  const h = createHash('sha256').update(`hvswitch-stp/${hostname()}/${bridge}`).digest();
  h[0] = (h[0]! & 0xfc) | 0x02;
  return [...h.subarray(0, 6)].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function bridgeSettings(name: string, s: RawStpBridge, problems: Problem[]): Omit<StpConfig, 'ports'> {
  const at = `bridges.${name}.stp`;
  const priority = s.priority ?? BRIDGE_PRIORITY_DEFAULT;
  if (priority % 4096 !== 0) problems.push({ path: `${at}.priority`, message: `must be a multiple of 4096 (0, 4096, ... 61440), got ${priority}` });
  if (s.mac !== undefined && (!MAC.test(s.mac) || parseInt(s.mac.slice(0, 2), 16) & 1))
    problems.push({ path: `${at}.mac`, message: 'must be a unicast MAC address like 02:00:00:00:00:01' });
  const helloTime = s['hello-time'] ?? StpDefaults.helloTime;
  const maxAge = s['max-age'] ?? StpDefaults.maxAge;
  const forwardDelay = s['forward-delay'] ?? StpDefaults.forwardDelay;
  // 802.1D-2004 §17.14: 2 × (Forward Delay − 1) ≥ Max Age ≥ 2 × (Hello Time + 1)
  if (maxAge > 2 * (forwardDelay - 1)) problems.push({ path: `${at}.max-age`, message: `must be at most 2 × (forward-delay − 1) = ${2 * (forwardDelay - 1)} (802.1D-2004 §17.14)` });
  if (maxAge < 2 * (helloTime + 1)) problems.push({ path: `${at}.max-age`, message: `must be at least 2 × (hello-time + 1) = ${2 * (helloTime + 1)} (802.1D-2004 §17.14)` });
  return { bridge: name, mode: s.mode ?? 'rstp', priority, mac: (s.mac ?? derivedBridgeMac(name)).toLowerCase(), helloTime, maxAge, forwardDelay };
}

function portSettings(p: L2Port, number: number, s: RawStpPort, problems: Problem[]): StpPortSettings {
  const at = `ports.${p.name}.stp`;
  const priority = s.priority ?? PORT_PRIORITY_DEFAULT;
  if (priority % 16 !== 0) problems.push({ path: `${at}.priority`, message: `must be a multiple of 16 (0, 16, ... 240), got ${priority}` });
  const edge = s.edge ?? p.backend === 'tap';
  if (s['bpdu-guard'] && !edge && s['auto-edge'] === false)
    problems.push({ path: `${at}.bpdu-guard`, message: 'guards edge ports only: set edge or leave auto-edge on' });
  return {
    name: p.name, number, priority, cost: s.cost ?? 2_000, edge, autoEdge: s['auto-edge'] ?? true,
    bpduGuard: s['bpdu-guard'] ?? false, rootGuard: s['root-guard'] ?? false,
  };
}

/** The spanning tree of each bridge with `stp`, with its L2 ports; problems for misplaced port settings. */
export function normalizeStp(
  rawBridges: Record<string, { stp?: RawStpBridge }>,
  rawPorts: Record<string, { stp?: RawStpPort }>,
  ports: L2Port[],
  problems: Problem[],
): StpConfig[] {
  const out: StpConfig[] = [];
  for (const [name, b] of Object.entries(rawBridges)) {
    if (!b.stp) continue;
    const members = ports.filter((p) => p.bridge === name && (p.mode === 'access' || p.mode === 'trunk')).sort((x, y) => x.name.localeCompare(y.name));
    if (members.length > MAX_PORTS) problems.push({ path: `bridges.${name}.stp`, message: `at most ${MAX_PORTS} ports in a spanning tree bridge` });
    out.push({ ...bridgeSettings(name, b.stp, problems), ports: members.map((p, i) => portSettings(p, i + 1, rawPorts[p.name]?.stp ?? {}, problems)) });
  }
  for (const p of ports) {
    if (rawPorts[p.name]?.stp === undefined) continue;
    if (!p.bridge || !rawBridges[p.bridge]?.stp)
      problems.push({ path: `ports.${p.name}.stp`, message: `the port's bridge (${p.bridge ?? 'none'}) runs no spanning tree: set bridges.${p.bridge ?? 'NAME'}.stp` });
  }
  return out;
}

/** The raw `bridges.NAME.stp` and `ports.NAME.stp` that normalize back to `stp`
 *  (the API's toRawConfig: an API edit must not drop the spanning tree). */
export function rawStp(stp: StpConfig[] | undefined): { bridges: Map<string, RawStpBridge>; ports: Map<string, RawStpPort> } {
  const bridges = new Map<string, RawStpBridge>(), ports = new Map<string, RawStpPort>();
  for (const s of stp ?? []) {
    bridges.set(s.bridge, { mode: s.mode, priority: s.priority, mac: s.mac, 'hello-time': s.helloTime, 'max-age': s.maxAge, 'forward-delay': s.forwardDelay });
    for (const p of s.ports)
      ports.set(p.name, { priority: p.priority, cost: p.cost, edge: p.edge, 'auto-edge': p.autoEdge, 'bpdu-guard': p.bpduGuard, 'root-guard': p.rootGuard });
  }
  return { bridges, ports };
}
