// Conversions between the three shapes of the same objects: the normalized
// running config (controller/config.ts `Config`), the raw config document the
// validator checks (kebab-case, as in hvswitchd.yaml), and the API messages.
// API changes are made on the raw document and validated by normalizeConfig,
// so the API and the YAML file share one schema and one set of error paths.
import type { Config, PortConfig, RawConfig } from '../controller/index.js';
import { hostInterfaceNames, rawHostInterface } from '../controller/host-interface.js';
import { isDefaultPolling, rawDataplane } from '../controller/polling.js';
import { rawL3vpn } from '../controller/config-vpn.js';
import { rawStp } from '../controller/config-stp.js';
import type { EgressKind, FdbEntry, FdbKind, MacEvent, Neighbor, PortState, RemoteEgress, Route as DpRoute, MplsEncap } from '../dataplane/index.js';
import type { Afi } from './gen/hvswitch/v1/Afi.js';
import type { Neighbor as NeighborMsg } from './gen/hvswitch/v1/Neighbor.js';
import type { NeighborState } from './gen/hvswitch/v1/NeighborState.js';
import type { NextHop as NextHopMsg } from './gen/hvswitch/v1/NextHop.js';
import type { Route as RouteMsg } from './gen/hvswitch/v1/Route.js';
import type { RouteOrigin } from './gen/hvswitch/v1/RouteOrigin.js';
import type { RouteType } from './gen/hvswitch/v1/RouteType.js';
import type { FdbEvent } from './gen/hvswitch/v1/FdbEvent.js';
import type { Bridge } from './gen/hvswitch/v1/Bridge.js';
import type { FdbEntry as FdbEntryMsg } from './gen/hvswitch/v1/FdbEntry.js';
import type { FdbEntryKind } from './gen/hvswitch/v1/FdbEntryKind.js';
import type { Egress as EgressMsg } from './gen/hvswitch/v1/Egress.js';
import type { EgressKind as EgressKindMsg } from './gen/hvswitch/v1/EgressKind.js';
import type { Port } from './gen/hvswitch/v1/Port.js';
import type { PortBackend } from './gen/hvswitch/v1/PortBackend.js';
import type { PortMode } from './gen/hvswitch/v1/PortMode.js';

type RawPort = NonNullable<RawConfig['ports']>[string];
type RawVrf = NonNullable<RawConfig['vrfs']>[string];

/** The raw document that normalizes back to `c` (tested as a round trip). */
export function toRawConfig(c: Config): RawConfig {
  const hostPorts = hostInterfaceNames(c.vrfs); // written under their VRF
  const l3 = rawL3vpn(c.pe, c.l3vpn); // IP-VPN: pe and vrfs.<name>.vpn (config-vpn.ts)
  const stp = rawStp(c.stp); // bridges.<name>.stp and ports.<name>.stp (config-stp.ts)
  const raw: RawConfig = {
    version: 1,
    workers: c.workers,
    'log-level': c.logLevel as RawConfig['log-level'],
    fdb: { aging: c.agingSeconds, 'mac-limit': c.macLimit },
    api: {
      socket: c.apiSocket,
      ...(c.apiTcp !== null ? { tcp: c.apiTcp } : {}),
      ...(c.apiTls ? { tls: { cert: c.apiTls.cert, key: c.apiTls.key, ...(c.apiTls.clientCa ? { 'client-ca': c.apiTls.clientCa } : {}) } } : {}),
    },
    bridges: Object.fromEntries(c.bridges.map((b) => [b.name, { 'max-macs': b.maxMacs, ...rawEvpn(c, b.name), ...(stp.bridges.has(b.name) ? { stp: stp.bridges.get(b.name) } : {}) }])),
    vrfs: Object.fromEntries(c.vrfs.map((v) => [v.name, { ...rawVrf(v), ...(l3.vpn.has(v.name) ? { vpn: l3.vpn.get(v.name) } : {}) }])),
    ports: Object.fromEntries(c.ports.filter((p) => !hostPorts.has(p.name)).map((p) => [p.name, { ...rawPort(p), ...(stp.ports.has(p.name) ? { stp: stp.ports.get(p.name) } : {}) }])),
  };
  if (!isDefaultPolling(c.polling)) raw.dataplane = rawDataplane(c.polling);
  if (c.metricsListen !== null) raw.metrics = { listen: c.metricsListen };
  if (c.vtep) raw.vtep = { address: c.vtep.address, port: c.vtep.port, mtu: c.vtep.mtu };
  if (l3.pe) raw.pe = l3.pe;
  if (c.bgp !== undefined && c.bgp !== null) raw.bgp = c.bgp; // null: no BGP section
  return raw;
}

/** `bridges.<name>.evpn` of the raw document, defaults resolved (rd, route targets). */
function rawEvpn(c: Config, bridge: string): { evpn?: NonNullable<RawConfig['bridges']>[string]['evpn'] } {
  const evis = c.evpn.filter((e) => e.bridge === bridge);
  if (!evis.length) return {};
  return {
    evpn: evis.map((e) => ({
      vlan: e.vlan, vni: e.vni, rd: e.rd, 'import-route-targets': [...e.importRts], 'export-route-targets': [...e.exportRts],
      ...(e.dupDetection ? { 'dup-addr-detection': { 'max-moves': e.dupDetection.maxMoves, time: e.dupDetection.windowSeconds, freeze: e.dupDetection.freezeSeconds } } : {}),
    })),
  };
}

function rawVrf(v: Config['vrfs'][number]): RawVrf {
  const host = v.hostInterface ? { 'host-interface': rawHostInterface(v.hostInterface) } : {};
  if (v.routes.length === 0) return host;
  return {
    ...host,
    routes: v.routes.map((r) => {
      const out: NonNullable<RawVrf['routes']>[number] = { to: r.prefix };
      if (r.type !== 'unicast') out.type = r.type;
      if (r.via.length) {
        out.via = r.via.length === 1 ? r.via[0]!.gw : r.via.map((x) => x.gw);
        // Gateways resolved to one port: pin it (same result as resolving again).
        const ports = new Set(r.via.map((x) => x.port));
        if (ports.size === 1) out.port = r.via[0]!.port;
      }
      return out;
    }),
  };
}

export function rawPort(p: PortConfig): RawPort {
  const out: RawPort = { backend: p.backend, mode: p.mode, 'mac-limit': p.macLimit, mtu: p.mtu };
  if (p.bridge !== null) out.bridge = p.bridge;
  if (p.mode === 'access') out.vlan = p.vlan;
  if (p.mode === 'trunk') {
    out['allowed-vlans'] = [...p.allowedVlans];
    if (p.vlan) out['native-vlan'] = p.vlan;
  }
  if (p.hosts.length) out.hosts = p.hosts.map((h) => ({ mac: h.mac, ips: [...h.ips] }));
  if (p.mode === 'routed' || p.mode === 'vm') {
    if (p.vrf !== null) out.vrf = p.vrf;
    out.addresses = [...p.addresses];
    if (p.mac !== null) out.mac = p.mac;
    if (p.vmMac !== null) out['vm-mac'] = p.vmMac;
    if (p.neighbors.length) out.neighbors = p.neighbors.map((n) => ({ ip: n.ip, mac: n.mac }));
  }
  return out;
}

const BACKENDS = { tap: 'PORT_BACKEND_TAP', 'af-packet': 'PORT_BACKEND_AF_PACKET', 'af-xdp': 'PORT_BACKEND_AF_XDP', memory: 'PORT_BACKEND_MEMORY' } as const satisfies Record<
  PortConfig['backend'],
  PortBackend
>;
const MODES = { access: 'PORT_MODE_ACCESS', trunk: 'PORT_MODE_TRUNK', routed: 'PORT_MODE_ROUTED', vm: 'PORT_MODE_VM' } as const satisfies Record<
  PortConfig['mode'],
  PortMode
>;

export function backendName(b: PortBackend | undefined): PortConfig['backend'] | undefined {
  return (Object.keys(BACKENDS) as PortConfig['backend'][]).find((k) => BACKENDS[k] === b);
}
export function modeName(m: PortMode | undefined): PortConfig['mode'] | undefined {
  return (Object.keys(MODES) as PortConfig['mode'][]).find((k) => MODES[k] === m);
}

/** A running port as an API message; `absent`: why it is not in the dataplane (its state then). */
export function portMessage(p: PortConfig, state?: PortState, absent?: string): Port {
  return {
    name: p.name,
    backend: BACKENDS[p.backend],
    mode: MODES[p.mode],
    bridge: p.bridge ?? '',
    vlan: p.mode === 'access' ? p.vlan : 0,
    allowedVlans: p.mode === 'trunk' ? [...p.allowedVlans] : [],
    nativeVlan: p.mode === 'trunk' ? p.vlan : 0,
    macLimit: p.macLimit,
    mtu: p.mtu,
    vrf: p.vrf ?? '',
    addresses: [...p.addresses],
    mac: p.mac ?? '',
    vmMac: p.vmMac ?? '',
    status: state
      ? { id: state.id, created: state.created, macs: state.macs, state: 'PORT_OPER_STATE_UP', reason: '', datapath: state.datapath ?? '', fallback: state.fallback ?? '' }
      : absent !== undefined
        ? { id: 0, created: false, macs: 0, state: 'PORT_OPER_STATE_ABSENT', reason: absent, datapath: '', fallback: '' }
        : null,
  };
}

/** The raw config keys a Port message sets, in the config's vocabulary. */
export const PORT_FIELDS = [
  'backend',
  'mode',
  'bridge',
  'vlan',
  'allowed-vlans',
  'native-vlan',
  'mac-limit',
  'mtu',
  'vrf',
  'addresses',
  'mac',
  'vm-mac',
] as const;
export type PortField = (typeof PORT_FIELDS)[number];

/**
 * The raw config entry of an API Port.  Zero values are "not set" (the
 * config default applies); every set field is copied, so a field that does
 * not fit the mode is refused by the validator with its path rather than
 * silently dropped.  Enum values the validator cannot see are mapped to
 * strings it refuses with the field's path.
 */
export function portToRaw(p: Port): Partial<RawPort> {
  const out: Record<string, unknown> = {};
  if (p.backend && p.backend !== 'PORT_BACKEND_UNSPECIFIED') out.backend = backendName(p.backend) ?? String(p.backend);
  if (p.mode && p.mode !== 'PORT_MODE_UNSPECIFIED') out.mode = modeName(p.mode) ?? String(p.mode);
  if (p.bridge) out.bridge = p.bridge;
  if (p.vlan) out.vlan = p.vlan;
  if (p.allowedVlans?.length) out['allowed-vlans'] = [...p.allowedVlans];
  if (p.nativeVlan) out['native-vlan'] = p.nativeVlan;
  if (p.macLimit) out['mac-limit'] = p.macLimit;
  if (p.mtu) out.mtu = p.mtu;
  if (p.vrf) out.vrf = p.vrf;
  if (p.addresses?.length) out.addresses = [...p.addresses];
  if (p.mac) out.mac = p.mac;
  if (p.vmMac) out['vm-mac'] = p.vmMac;
  return out as Partial<RawPort>;
}

export function bridgeMessage(b: { name: string; maxMacs: number; ports: string[]; macs: number }): Bridge {
  return { name: b.name, maxMacs: b.maxMacs, ports: b.ports, macs: b.macs };
}

const FDB_KINDS = {
  learned: 'FDB_ENTRY_KIND_LEARNED',
  static: 'FDB_ENTRY_KIND_STATIC',
  remote: 'FDB_ENTRY_KIND_REMOTE',
} as const satisfies Record<FdbKind, FdbEntryKind>;

const EGRESS_KINDS = {
  port: 'EGRESS_KIND_PORT',
  tunnel: 'EGRESS_KIND_TUNNEL',
  bond: 'EGRESS_KIND_BOND',
  group: 'EGRESS_KIND_GROUP',
} as const satisfies Record<EgressKind, EgressKindMsg>;

function egressMessage(e: RemoteEgress): EgressMsg {
  return { kind: EGRESS_KINDS[e.kind] ?? 'EGRESS_KIND_UNSPECIFIED', index: e.index };
}

/** An FDB entry; `tunnel` names a VXLAN tunnel's remote VTEP and VNI (Dataplane.tunnel),
 *  `seq` a remote entry's MAC mobility sequence number (EvpnManager.remoteSeq). */
export function fdbMessage(
  e: FdbEntry,
  tunnel?: (index: number) => { remote: string; vni: number } | undefined,
  seq?: (bridge: string, vlan: number, mac: string) => number | undefined,
): FdbEntryMsg {
  const m: FdbEntryMsg = { bridge: e.bridge, port: e.port, vlan: e.vlan, mac: e.mac, static: e.static, age: e.age, kind: FDB_KINDS[e.kind] };
  if (e.egress) m.egress = egressMessage(e.egress);
  const t = e.egress?.kind === 'tunnel' ? tunnel?.(e.egress.index) : undefined;
  if (t) {
    m.vtep = t.remote;
    m.vni = t.vni;
  }
  const n = e.kind === 'remote' ? seq?.(e.bridge, e.vlan, e.mac) : undefined;
  if (n !== undefined) m.seq = n;
  return m;
}

export function fdbEventMessage(e: MacEvent): FdbEvent {
  switch (e.kind) {
    case 'overflow':
      return { type: 'FDB_EVENT_TYPE_LOST', lost: e.lost };
    case 'moved':
      return {
        type: 'FDB_EVENT_TYPE_MOVED', bridge: e.bridge, vlan: e.vlan, mac: e.mac, port: e.port,
        ...('oldPort' in e ? { oldPort: e.oldPort } : { oldEgress: egressMessage(e.oldEgress) }),
      };
    case 'learned':
      return { type: 'FDB_EVENT_TYPE_LEARNED', bridge: e.bridge, vlan: e.vlan, mac: e.mac, port: e.port };
    case 'aged':
      return { type: 'FDB_EVENT_TYPE_AGED', bridge: e.bridge, vlan: e.vlan, mac: e.mac, port: e.port };
  }
}

// ---- L3: VRFs, routes, neighbors (l3.proto) ----

const ORIGINS = {
  connected: 'ROUTE_ORIGIN_CONNECTED',
  local: 'ROUTE_ORIGIN_LOCAL',
  vm: 'ROUTE_ORIGIN_VM',
  static: 'ROUTE_ORIGIN_STATIC',
  bgp: 'ROUTE_ORIGIN_BGP',
} as const satisfies Record<string, RouteOrigin>;
export type OriginName = keyof typeof ORIGINS;

export function originName(o: RouteOrigin | undefined): OriginName | undefined {
  return (Object.keys(ORIGINS) as OriginName[]).find((k) => ORIGINS[k] === o);
}

const NEIGH_STATES = {
  incomplete: 'NEIGHBOR_STATE_INCOMPLETE',
  reachable: 'NEIGHBOR_STATE_REACHABLE',
  stale: 'NEIGHBOR_STATE_STALE',
  failed: 'NEIGHBOR_STATE_FAILED',
  permanent: 'NEIGHBOR_STATE_PERMANENT',
} as const satisfies Record<Neighbor['state'], NeighborState>;

/** The dataplane's neighbor states, in the table's order. */
export const NEIGHBOR_STATES = Object.keys(NEIGH_STATES) as Neighbor['state'][];

export function neighStateName(s: NeighborState | undefined): Neighbor['state'] | undefined {
  return NEIGHBOR_STATES.find((k) => NEIGH_STATES[k] === s);
}

/** Config route types (`type:` of a static route) and their enum values. */
export const ROUTE_TYPES = {
  unicast: 'ROUTE_TYPE_UNICAST',
  blackhole: 'ROUTE_TYPE_BLACKHOLE',
  unreachable: 'ROUTE_TYPE_UNREACHABLE',
  local: 'ROUTE_TYPE_LOCAL',
} as const satisfies Record<string, RouteType>;

export function routeTypeName(t: RouteType | undefined): keyof typeof ROUTE_TYPES | undefined {
  return (Object.keys(ROUTE_TYPES) as (keyof typeof ROUTE_TYPES)[]).find((k) => ROUTE_TYPES[k] === t);
}

export function afiOf(ip: string): Afi {
  return ip.includes(':') ? 'AFI_IP6' : 'AFI_IP';
}

/** The dataplane's MPLS encapsulations in config and API words (config-vpn.ts). */
const MPLS_ENCAP_NAME = { udp: 'mpls-udp', gre: 'mpls-gre' } as const satisfies Record<MplsEncap, string>;

/** A FIB entry (dataplane listRoutes) as an API message. */
export function routeMessage(r: DpRoute & { vrf: string }): RouteMsg {
  let type: RouteType = 'ROUTE_TYPE_UNICAST';
  const nexthops: NextHopMsg[] = [];
  for (const n of r.nexthops) {
    switch (n.kind) {
      case 'connected': nexthops.push({ via: '', port: n.port, mac: '' }); break;
      case 'gateway': nexthops.push({ via: n.gw, port: n.port, mac: '' }); break;
      case 'mac': nexthops.push({ via: '', port: n.port, mac: n.mac }); break;
      case 'mpls': nexthops.push({ via: n.remote, port: '', mac: '', label: n.label, encap: MPLS_ENCAP_NAME[n.encap] }); break;
      case 'vxlan': nexthops.push({ via: n.remote, port: '', mac: '', label: 0, encap: 'vxlan', vni: n.vni, routerMac: n.rmac }); break;
      case 'local': type = 'ROUTE_TYPE_LOCAL'; break;
      case 'drop': type = 'ROUTE_TYPE_BLACKHOLE'; break;
      case 'reject': type = 'ROUTE_TYPE_UNREACHABLE'; break;
    }
  }
  return {
    vrf: r.vrf,
    prefix: r.prefix,
    type,
    nexthops,
    origin: ORIGINS[r.origin as OriginName] ?? 'ROUTE_ORIGIN_UNSPECIFIED',
    afi: afiOf(r.prefix),
  };
}

export function neighborMessage(n: Neighbor, vrf: string | null): NeighborMsg {
  const mac = n.state === 'incomplete' ? '' : n.mac; // nothing learned yet
  return { port: n.port, ip: n.ip, mac, state: NEIGH_STATES[n.state], age: n.age, vrf: vrf ?? '', afi: afiOf(n.ip) };
}
