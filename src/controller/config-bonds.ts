// The `bonds:` section: LACP bonds (IEEE 802.1AX-2008) as logical ports of a
// bridge (native/core/bond.h, src/l2gw/lacp/).  Keyed by bond name like
// `ports:`, with the bridged port's own fields (bridge, mode access|trunk,
// vlan, allowed-vlans, native-vlan, mac-limit), its member interfaces, the
// transmit hash and the LACP parameters in OVS's and 802.1AX's words:
//
//   bonds:
//     bond0:
//       bridge: br0
//       mode: trunk
//       allowed-vlans: [10, 20]
//       hash: l3l4                 # l2 (default): MACs; l3l4: IP addresses + ports
//       members:
//         eth1: {backend: af-packet}
//         eth2: {backend: af-packet, port-priority: 100}
//       lacp:
//         mode: active             # active (default) | passive
//         rate: fast               # fast: 1 s PDUs, 3 s timeout | slow (default): 30 s, 90 s
//         system-id: 02:00:00:00:00:01   # default: derived from the bond's name
//         system-priority: 32768
//         key: 1
//         fallback: false          # true: with no partner heard, one member forwards
//       evpn-es:                   # EVPN multihoming (RFC 7432 all-active), docs/evpn-mh.md
//         esi: auto                # auto: type 1 from the LACP partner's system ID + key (once heard);
//                                  # auto-local: from our lacp.system-id + key; or type 0, 10 octets 00:11:..:99
//         df-election: modulo      # modulo (RFC 7432 §8.5, default) | hrw (RFC 8584 §3)
//         df-timer: 3              # seconds to wait for the other PEs' type-4 routes (default 3)
//
// A member is an interface of this host that the bond owns: it is in no
// bridge and not in `ports:`.  Errors name the field path.
import { createHash } from 'node:crypto';

import { Type, type Static } from '@sinclair/typebox';

import { checkEsUnique, EvpnEsSchema, normalizeEvpnEs, type EvpnEsConfig } from './config-es.js';

const Vlan = Type.Integer({ minimum: 1, maximum: 4094, description: 'IEEE 802.1Q VLAN ID' });
const Priority = Type.Integer({ minimum: 0, maximum: 65535 });

export const BondMemberSchema = Type.Object(
  {
    backend: Type.Optional(
      Type.Union([Type.Literal('tap'), Type.Literal('af-packet'), Type.Literal('memory')], {
        default: 'af-packet',
        description: 'af-packet (default): an existing interface; tap: a TAP device; memory: in-process test port',
      }),
    ),
    'port-priority': Type.Optional({ ...Priority, description: 'LACP Actor_Port_Priority (default 32768); lower is preferred' }),
    mtu: Type.Optional(Type.Integer({ minimum: 68, maximum: 65535 })),
  },
  { additionalProperties: false },
);

export const BondLacpSchema = Type.Object(
  {
    mode: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('passive')], { description: 'active (default) sends LACPDUs unasked; passive only answers' })),
    rate: Type.Optional(Type.Union([Type.Literal('fast'), Type.Literal('slow')], { description: 'fast: 1 s / 3 s timeout; slow (default): 30 s / 90 s' })),
    'system-id': Type.Optional(Type.String({ description: 'Actor_System, a MAC (default: derived from the bond name)' })),
    'system-priority': Type.Optional({ ...Priority, description: 'Actor_System_Priority (default 32768)' }),
    key: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'the aggregation key of the members (default 1)' })),
    fallback: Type.Optional(Type.Boolean({ description: 'when no partner answers, one member forwards (default false)' })),
  },
  { additionalProperties: false },
);

export const BondSchema = Type.Object(
  {
    bridge: Type.Optional(Type.String({ minLength: 1, description: 'bridge domain the bond belongs to' })),
    mode: Type.Optional(Type.Union([Type.Literal('access'), Type.Literal('trunk')], { default: 'access', description: 'the VLAN mode of the bond' })),
    vlan: Type.Optional(Vlan),
    'allowed-vlans': Type.Optional(Type.Array(Vlan, { uniqueItems: true })),
    'native-vlan': Type.Optional(Vlan),
    'mac-limit': Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    hash: Type.Optional(Type.Union([Type.Literal('l2'), Type.Literal('l3l4')], { description: 'transmit hash: l2 (default) MACs; l3l4 addresses and ports' })),
    members: Type.Record(Type.String({ description: 'member interface name' }), BondMemberSchema),
    lacp: Type.Optional(BondLacpSchema),
    'evpn-es': Type.Optional(EvpnEsSchema),
  },
  { additionalProperties: false },
);

export type RawBond = Static<typeof BondSchema>;

export interface BondMemberConfig {
  name: string;
  backend: 'tap' | 'af-packet' | 'memory';
  portPriority: number;
  /** Actor_Port: the member's position in the bond (1-based, by name) */
  port: number;
  mtu: number;
  /** source MAC of its LACPDUs (derived from the bond and member names) */
  mac: string;
}

export interface BondConfig {
  name: string;
  bridge: string | null;
  mode: 'access' | 'trunk';
  vlan: number;
  allowedVlans: number[];
  macLimit: number;
  hash: 'l2' | 'l3l4';
  members: BondMemberConfig[];
  lacp: {
    mode: 'active' | 'passive';
    rate: 'fast' | 'slow';
    systemId: string;
    systemPriority: number;
    key: number;
    fallback: boolean;
  };
  /** the bond's Ethernet segment, for EVPN multihoming (config-es.ts) */
  es: EvpnEsConfig | null;
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const IFNAME = /^[A-Za-z0-9_.:-]{1,15}$/;
/** HV_BOND_MAX_MEMBERS (native/core/bond.h) */
export const BOND_MAX_MEMBERS = 16;

type Problem = { path: string; message: string };

/** A locally administered unicast MAC derived from `seed` (stable across restarts). */
export function derivedMac(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  h[0] = (h[0]! & 0xfc) | 0x02;
  return [...h.subarray(0, 6)].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export interface BondContext {
  bridgeNames: Set<string>;
  portNames: Set<string>;
  macLimit: number;
}

function bondVlans(at: string, b: RawBond, problems: Problem[]): { vlan: number; allowed: number[] } {
  const mode = b.mode ?? 'access';
  if (mode === 'access') {
    for (const k of ['allowed-vlans', 'native-vlan'] as const)
      if (b[k] !== undefined) problems.push({ path: `${at}.${k}`, message: 'only for trunk bonds' });
    return { vlan: b.vlan ?? 1, allowed: [] };
  }
  if (b.vlan !== undefined) problems.push({ path: `${at}.vlan`, message: 'not for trunk bonds: use allowed-vlans and native-vlan' });
  if (!b['allowed-vlans']?.length) problems.push({ path: `${at}.allowed-vlans`, message: 'a trunk bond needs at least one allowed VLAN' });
  return { vlan: b['native-vlan'] ?? 0, allowed: [...(b['allowed-vlans'] ?? [])].sort((x, y) => x - y) };
}

function normalizeMembers(at: string, bond: string, raw: RawBond['members'], ctx: BondContext, seen: Map<string, string>, problems: Problem[]): BondMemberConfig[] {
  const names = Object.keys(raw).sort();
  if (names.length === 0) problems.push({ path: `${at}.members`, message: 'a bond needs at least one member' });
  if (names.length > BOND_MAX_MEMBERS) problems.push({ path: `${at}.members`, message: `at most ${BOND_MAX_MEMBERS} members` });
  return names.map((name, i) => {
    const m = raw[name]!;
    const mat = `${at}.members.${name}`;
    if (!IFNAME.test(name)) problems.push({ path: mat, message: 'member name must be a Linux interface name: 1-15 characters of A-Z a-z 0-9 _ . : -' });
    if (ctx.portNames.has(name)) problems.push({ path: mat, message: `'${name}' is also in ports: a member belongs to its bond only` });
    const other = seen.get(name);
    if (other !== undefined) problems.push({ path: mat, message: `'${name}' is already a member of ${other === bond ? 'this bond' : `bond ${other}`}` });
    seen.set(name, bond);
    return {
      name,
      backend: m.backend ?? 'af-packet',
      portPriority: m['port-priority'] ?? 32768,
      port: i + 1,
      mtu: m.mtu ?? 1500,
      mac: derivedMac(`hvswitch bond ${bond} member ${name}`),
    };
  });
}

/** The `bonds:` section, validated against the bridges and ports of the same config. */
export function normalizeBonds(raw: Record<string, RawBond> | undefined, ctx: BondContext, problems: Problem[]): BondConfig[] {
  const seen = new Map<string, string>();
  const bonds = Object.entries(raw ?? {}).map(([name, b]) => {
    const at = `bonds.${name}`;
    if (!IFNAME.test(name)) problems.push({ path: at, message: 'bond name must be 1-15 characters of A-Z a-z 0-9 _ . : -' });
    if (ctx.portNames.has(name)) problems.push({ path: at, message: `'${name}' is also a port: a bond is a port of its own` });
    if (b.bridge !== undefined && !ctx.bridgeNames.has(b.bridge))
      problems.push({ path: `${at}.bridge`, message: `no bridge named '${b.bridge}' (bridges: ${[...ctx.bridgeNames].join(', ') || 'none'})` });
    const systemId = b.lacp?.['system-id'];
    if (systemId !== undefined && (!MAC.test(systemId) || (parseInt(systemId.slice(0, 2), 16) & 1) === 1 || /^0{2}(:0{2}){5}$/.test(systemId)))
      problems.push({ path: `${at}.lacp.system-id`, message: 'must be a unicast, non-zero MAC (aa:bb:cc:dd:ee:ff)' });
    const { vlan, allowed } = bondVlans(at, b, problems);
    const key = b.lacp?.key ?? 1;
    const es = b['evpn-es'] ? normalizeEvpnEs(`${at}.evpn-es`, b['evpn-es'], { systemId, key, bridge: b.bridge }, problems) : null;
    return {
      name,
      bridge: b.bridge ?? null,
      mode: b.mode ?? 'access',
      vlan,
      allowedVlans: allowed,
      macLimit: b['mac-limit'] ?? ctx.macLimit,
      hash: b.hash ?? 'l2',
      members: normalizeMembers(at, name, b.members, ctx, seen, problems),
      lacp: {
        mode: b.lacp?.mode ?? 'active',
        rate: b.lacp?.rate ?? 'slow',
        systemId: systemId?.toLowerCase() ?? derivedMac(`hvswitch bond ${name}`),
        systemPriority: b.lacp?.['system-priority'] ?? 32768,
        key,
        fallback: b.lacp?.fallback ?? false,
      },
      es,
    };
  });
  checkEsUnique(bonds, problems);
  for (const b of bonds)
    if (seen.has(b.name)) problems.push({ path: `bonds.${b.name}`, message: `'${b.name}' is also a member of bond ${seen.get(b.name)}` });
  return bonds;
}
