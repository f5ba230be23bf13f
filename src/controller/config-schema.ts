// The desired-state model of hvswitch: one schema (TypeBox -> JSON Schema,
// checked by ajv in config.ts) shared by the YAML file, the API and reloads,
// and the normalized `Config` the reconciler applies.  Keys are kebab-case,
// in netplan's vocabulary for ports and GoBGP's for BGP.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

import type { BgpConfig } from '../bgp/index.js';
import type { EviConfig } from '../vpn/evpn.js';
import { DataplaneSchema, type PollingConfig } from './polling.js';
import { StpBridgeSchema, StpPortSchema, type StpConfig } from './config-stp.js';
import { PeSchema, VpnSchema, type PeConfig, type VrfVpnConfig } from './config-vpn.js';
import { BondSchema, type BondConfig } from './config-bonds.js';

const Vlan = Type.Integer({ minimum: 1, maximum: 4094, description: 'IEEE 802.1Q VLAN ID' });

export const PortSchema = Type.Object(
  {
    backend: Type.Union([Type.Literal('tap'), Type.Literal('af-packet'), Type.Literal('af-xdp'), Type.Literal('memory')], {
      description: 'tap: create or attach a TAP device; af-packet: an existing interface; af-xdp: an existing interface over AF_XDP (AF_PACKET where it cannot attach, docs/afxdp.md); memory: in-process test port',
    }),
    bridge: Type.Optional(Type.String({ minLength: 1, description: 'bridge domain the port belongs to' })),
    mode: Type.Optional(
      Type.Union([Type.Literal('access'), Type.Literal('trunk'), Type.Literal('routed'), Type.Literal('vm')], {
        default: 'access',
        description: 'access/trunk: L2 in a bridge; routed: an L3 interface of a VRF; vm: a routed VM port',
      }),
    ),
    vrf: Type.Optional(Type.String({ minLength: 1, description: 'routed and vm ports: the VRF' })),
    addresses: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'routed: interface addresses (CIDR); vm: the VM host addresses (/32 and /128)',
      }),
    ),
    mac: Type.Optional(Type.String({ description: 'routed/vm: our MAC on the port (default: derived)' })),
    'vm-mac': Type.Optional(Type.String({ description: "vm: the VM's MAC address" })),
    vlan: Type.Optional(Vlan),
    'allowed-vlans': Type.Optional(Type.Array(Vlan, { uniqueItems: true })),
    'native-vlan': Type.Optional(Vlan),
    'mac-limit': Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    mtu: Type.Optional(Type.Integer({ minimum: 68, maximum: 65535 })),
    neighbors: Type.Optional(
      Type.Array(
        Type.Object(
          { ip: Type.String({ minLength: 1, description: 'IPv4 or IPv6 address' }), mac: Type.String({ description: 'its unicast MAC' }) },
          { additionalProperties: false },
        ),
        { description: 'routed/vm: permanent ARP/ND entries (hvswitch neigh add)' },
      ),
    ),
    stp: Type.Optional(StpPortSchema),
    hosts: Type.Optional(
      Type.Array(
        Type.Object(
          {
            mac: Type.String({ description: "the host's unicast MAC" }),
            ips: Type.Array(Type.String({ minLength: 1, description: 'IPv4 or IPv6 address' }), { minItems: 1 }),
          },
          { additionalProperties: false },
        ),
        { description: "access/trunk: hosts known behind the port (a VM's MAC and addresses): in an EVPN bridge domain, advertised as MAC/IP routes once the MAC is learned here, without waiting for its ARP/ND" },
      ),
    ),
  },
  { additionalProperties: false },
);

const RouteSchema = Type.Object(
  {
    to: Type.String({ minLength: 1, description: "destination prefix (CIDR), or 'default' / '::/0'" }),
    via: Type.Optional(
      Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 8 })], {
        description: 'gateway address; several: ECMP',
      }),
    ),
    port: Type.Optional(Type.String({ minLength: 1, description: 'outgoing routed port (default: the one whose subnet holds the gateway)' })),
    type: Type.Optional(Type.Union([Type.Literal('unicast'), Type.Literal('blackhole'), Type.Literal('unreachable')])),
  },
  { additionalProperties: false },
);

/** The VRF's interface in the host (src/controller/host-interface.ts). */
export const HostInterfaceSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'the TAP device hvswitchd creates in the host (1-15 characters)' }),
    addresses: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: "the host's addresses in this VRF (CIDR); a prefix shorter than /32 or /128 is routed through the VRF",
    }),
    routes: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: "prefixes the host reaches through this VRF (CIDR, 'default', '::/0')" })),
    metric: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295, description: 'metric of those routes in the host (default: the kernel default)' })),
    table: Type.Optional(Type.Integer({ minimum: 1, maximum: 4294967295, description: 'host routing table of those routes (default main)' })),
    mac: Type.Optional(Type.String({ description: "the host side's MAC (default: derived from the VRF and name)" })),
    mtu: Type.Optional(Type.Integer({ minimum: 68, maximum: 65535 })),
  },
  { additionalProperties: false },
);

export const VrfSchema = Type.Object(
  { routes: Type.Optional(Type.Array(RouteSchema)), 'host-interface': Type.Optional(HostInterfaceSchema), vpn: Type.Optional(VpnSchema) },
  { additionalProperties: false },
);

const RouteTargets = Type.Array(Type.String({ minLength: 1, description: 'route target: ASN:N or IPv4:N' }), { uniqueItems: true });

/** Duplicate MAC detection of an EVPN instance (RFC 7432 §15.1), as FRR's
 *  `dup-addr-detection max-moves N time M` and `freeze` (ranges FRR's). */
export const DupAddrDetectionSchema = Type.Object(
  {
    'max-moves': Type.Optional(Type.Integer({ minimum: 2, maximum: 1000, description: 'moves within `time` that make a MAC duplicate (default 5)' })),
    time: Type.Optional(Type.Integer({ minimum: 2, maximum: 1800, description: 'the detection window, seconds (default 180)' })),
    freeze: Type.Optional(Type.Integer({ minimum: 30, maximum: 3600, description: 'seconds a duplicate MAC stays frozen, its updates ignored (default: time)' })),
  },
  { additionalProperties: false },
);

/** An EVPN instance (RFC 7432/8365): one VLAN of the bridge stretched over VXLAN. */
export const EvpnSchema = Type.Object(
  {
    vlan: Type.Optional(Type.Integer({ minimum: 1, maximum: 4094, description: 'the VLAN of the bridge this instance stretches (default 1)' })),
    vni: Type.Integer({ minimum: 1, maximum: 16_777_215, description: 'VXLAN network identifier' }),
    rd: Type.Optional(Type.String({ minLength: 1, description: 'route distinguisher (default router-id:VNI-low-16-bits, type 1)' })),
    'route-targets': Type.Optional(RouteTargets),
    'import-route-targets': Type.Optional(RouteTargets),
    'export-route-targets': Type.Optional(RouteTargets),
    'dup-addr-detection': Type.Optional(DupAddrDetectionSchema),
  },
  { additionalProperties: false },
);

export const BridgeSchema = Type.Object(
  {
    'max-macs': Type.Optional(Type.Integer({ minimum: 16, maximum: 16_000_000 })),
    evpn: Type.Optional(Type.Array(EvpnSchema, { description: 'EVPN instances: VLANs of this bridge stretched across hypervisors' })),
    stp: Type.Optional(StpBridgeSchema),
  },
  { additionalProperties: false },
);

/** The local VXLAN tunnel endpoint (the hypervisor's underlay address). */
export const VtepSchema = Type.Object(
  {
    address: Type.String({ minLength: 1, description: 'local VTEP address (IPv4 or IPv6), an address of this host' }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'UDP port to receive VXLAN on (default 4789)' })),
    mtu: Type.Optional(Type.Integer({ minimum: 1280, maximum: 65535, description: 'underlay IP MTU (default 1500)' })),
  },
  { additionalProperties: false },
);

export const ConfigSchema = Type.Object(
  {
    version: Type.Optional(Type.Literal(1)),
    workers: Type.Optional(Type.Integer({ minimum: 1, maximum: 16, description: 'dataplane worker threads' })),
    dataplane: Type.Optional(DataplaneSchema),
    'log-level': Type.Optional(
      Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace'].map((l) => Type.Literal(l))),
    ),
    fdb: Type.Optional(
      Type.Object(
        {
          aging: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'seconds' })),
          'mac-limit': Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'default per port' })),
        },
        { additionalProperties: false },
      ),
    ),
    api: Type.Optional(
      Type.Object(
        {
          socket: Type.Optional(Type.String({ minLength: 1 })),
          tcp: Type.Optional(Type.String({ minLength: 1, description: 'HOST:PORT of an extra TCP listener (off by default; needs tls)' })),
          tls: Type.Optional(
            Type.Object(
              {
                cert: Type.String({ minLength: 1, description: 'PEM certificate chain of the TCP listener' }),
                key: Type.String({ minLength: 1, description: 'PEM private key' }),
                'client-ca': Type.Optional(Type.String({ minLength: 1, description: 'PEM CA: clients must present a certificate it signed' })),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    metrics: Type.Optional(Type.Object({ listen: Type.String({ minLength: 1 }) }, { additionalProperties: false })),
    vtep: Type.Optional(VtepSchema),
    pe: Type.Optional(PeSchema),
    bridges: Type.Optional(Type.Record(Type.String(), BridgeSchema)),
    vrfs: Type.Optional(Type.Record(Type.String(), VrfSchema)),
    ports: Type.Optional(Type.Record(Type.String({ description: 'Linux interface name (1-15 characters)' }), PortSchema)),
    bonds: Type.Optional(Type.Record(Type.String({ description: 'bond name (1-15 characters)' }), BondSchema, { description: 'LACP bonds (config-bonds.ts)' })),
    bgp: Type.Optional(Type.Unknown({ description: 'the embedded BGP speaker (src/bgp/config.ts): global {as, router-id}, neighbors [...]' })),
  },
  { additionalProperties: false },
);

export type RawConfig = Static<typeof ConfigSchema>;

export interface PortConfig {
  name: string;
  backend: 'tap' | 'af-packet' | 'af-xdp' | 'memory';
  bridge: string | null;
  mode: 'access' | 'trunk' | 'routed' | 'vm';
  vrf: string | null;
  addresses: string[];
  mac: string | null;
  vmMac: string | null;
  vlan: number; // access VLAN, or trunk native VLAN (0 = none)
  allowedVlans: number[];
  macLimit: number;
  mtu: number;
  /** routed/vm: permanent neighbor entries (canonical IP text, lower-case MAC) */
  neighbors: { ip: string; mac: string }[];
  /** access/trunk: hosts known behind the port (lower-case MAC, canonical IP texts), EVPN MAC/IP routes */
  hosts: { mac: string; ips: string[] }[];
}

export interface Config {
  workers: number;
  /** dataplane.polling (polling.ts) */
  polling: PollingConfig;
  logLevel: string;
  agingSeconds: number;
  macLimit: number;
  apiSocket: string;
  apiTcp: string | null;
  apiTls: { cert: string; key: string; clientCa: string | null } | null;
  metricsListen: string | null;
  bridges: { name: string; maxMacs: number }[];
  vrfs: VrfConfig[];
  ports: PortConfig[];
  /** LACP bonds (config-bonds.ts) */
  bonds: BondConfig[];
  bgp: BgpConfig | null;
  vtep: VtepConfig | null;
  evpn: EviConfig[];
  /** spanning tree bridges (config-stp.ts); absent: none */
  stp?: StpConfig[];
  /** our PE address for IP-VPN (config-vpn.ts) */
  pe: PeConfig | null;
  /** the VRFs with a `vpn:` block (config-vpn.ts) */
  l3vpn: VrfVpnConfig[];
}

export interface VtepConfig {
  address: string; // canonical text
  af: 4 | 6;
  port: number;
  mtu: number;
}

/** An EVPN instance with its defaults resolved (route targets canonical `rt:` text): src/vpn/evpn.ts. */
export type { EviConfig } from '../vpn/evpn.js';
export type { PeConfig, VrfVpnConfig } from './config-vpn.js';
export type { BondConfig, BondMemberConfig } from './config-bonds.js';

export interface StaticRoute {
  prefix: string; // canonical CIDR
  type: 'unicast' | 'blackhole' | 'unreachable';
  via: { gw: string; port: string }[];
}

export interface VrfConfig {
  name: string;
  routes: StaticRoute[];
  /** the VRF's interface in the host: also a `vm` port of the VRF in `ports` (host-interface.ts) */
  hostInterface: HostInterfaceConfig | null;
}

export interface HostInterfaceConfig {
  name: string;
  /** the host's addresses as given (CIDR, canonical text) */
  addresses: string[];
  /** prefixes routed via the VRF in the host: `routes` and the subnets of short addresses (canonical) */
  routes: string[];
  metric: number | null;
  table: number | null;
  /** the host side's MAC: the VM MAC of the port */
  mac: string;
  mtu: number;
}

export const DEFAULT_SOCKET = '/run/hvswitch/api.sock';

/** The built-in default: one bridge, two TAP ports that hvswitchd creates. */
export const BUILTIN_DEFAULT: RawConfig = {
  version: 1,
  workers: 1,
  fdb: { aging: 300, 'mac-limit': 4096 },
  bridges: { br0: {} },
  ports: {
    'hv-vm1': { backend: 'tap', bridge: 'br0', mode: 'access', vlan: 1 },
    'hv-vm2': { backend: 'tap', bridge: 'br0', mode: 'access', vlan: 1 },
  },
};

export function schemaJson(): TSchema {
  return ConfigSchema;
}
