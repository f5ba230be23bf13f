// hvswitchd configuration: one schema (TypeBox -> JSON Schema, checked by ajv)
// shared by the YAML file, the API and reloads.  Keys are kebab-case, in
// netplan's vocabulary for ports and GoBGP's for BGP.  Errors name the field
// path (`ports.vm1.vlan`) and the rule it broke; nothing starts on a bad config.
import { readFileSync } from 'node:fs';

import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml, YAMLParseError } from 'yaml';

import { FAMILIES, validateBgpConfig, type BgpConfig } from '../bgp/index.js';
import { contains, formatIp, formatPrefix, parseIp, parsePrefix, type Prefix } from '../util/ip.js';

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

const IFNAME = /^[A-Za-z0-9_.:-]{1,15}$/;
const BRIDGE_NAME = /^[A-Za-z0-9_.-]{1,32}$/;
const Vlan = Type.Integer({ minimum: 1, maximum: 4094, description: 'IEEE 802.1Q VLAN ID' });

export const PortSchema = Type.Object(
  {
    backend: Type.Union([Type.Literal('tap'), Type.Literal('af-packet'), Type.Literal('memory')], {
      description: 'tap: create or attach a TAP device; af-packet: an existing interface; memory: in-process test port',
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

export const VrfSchema = Type.Object(
  { routes: Type.Optional(Type.Array(RouteSchema)) },
  { additionalProperties: false },
);

export const BridgeSchema = Type.Object(
  { 'max-macs': Type.Optional(Type.Integer({ minimum: 16, maximum: 16_000_000 })) },
  { additionalProperties: false },
);

export const ConfigSchema = Type.Object(
  {
    version: Type.Optional(Type.Literal(1)),
    workers: Type.Optional(Type.Integer({ minimum: 1, maximum: 16, description: 'dataplane worker threads' })),
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
    bridges: Type.Optional(Type.Record(Type.String(), BridgeSchema)),
    vrfs: Type.Optional(Type.Record(Type.String(), VrfSchema)),
    ports: Type.Optional(Type.Record(Type.String({ description: 'Linux interface name (1-15 characters)' }), PortSchema)),
    bgp: Type.Optional(Type.Unknown({ description: 'the embedded BGP speaker (src/bgp/config.ts): global {as, router-id}, neighbors [...]' })),
  },
  { additionalProperties: false },
);

export type RawConfig = Static<typeof ConfigSchema>;

export interface PortConfig {
  name: string;
  backend: 'tap' | 'af-packet' | 'memory';
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
}

export interface Config {
  workers: number;
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
  bgp: BgpConfig | null;
}

export interface StaticRoute {
  prefix: string; // canonical CIDR
  type: 'unicast' | 'blackhole' | 'unreachable';
  via: { gw: string; port: string }[];
}

export interface VrfConfig {
  name: string;
  routes: StaticRoute[];
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

export class ConfigError extends Error {
  constructor(readonly problems: { path: string; message: string }[], readonly source = 'config') {
    super(`${source}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateRaw = ajv.compile(ConfigSchema);

function pathOf(e: ErrorObject): string {
  const parts = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'additionalProperties') parts.push(String((e.params as { additionalProperty: string }).additionalProperty));
  if (e.keyword === 'required') parts.push(String((e.params as { missingProperty: string }).missingProperty));
  return parts.length ? parts.join('.') : '(top level)';
}

function messageOf(e: ErrorObject): string {
  switch (e.keyword) {
    case 'additionalProperties': return 'unknown field';
    case 'required': return 'is required';
    case 'const': return `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    default: return e.message ?? e.keyword;
  }
}

/** Collapses ajv's per-branch errors of a union into one message per path. */
function ajvProblems(errors: ErrorObject[]): { path: string; message: string }[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const p = pathOf(e);
    byPath.set(p, [...(byPath.get(p) ?? []), e]);
  }
  const out: { path: string; message: string }[] = [];
  for (const [path, errs] of byPath) {
    const consts = errs.filter((e) => e.keyword === 'const');
    if (consts.length > 1) {
      const allowed = consts.map((e) => JSON.stringify((e.params as { allowedValue: unknown }).allowedValue));
      out.push({ path, message: `must be one of ${allowed.join(', ')}` });
      continue;
    }
    const e = errs.find((x) => x.keyword !== 'anyOf') ?? errs[0]!;
    out.push({ path, message: messageOf(e) });
  }
  return out;
}

/** Validates a parsed config object and resolves defaults.  Throws ConfigError. */
export function normalizeConfig(raw: unknown, source = 'config'): Config {
  if (raw === null || raw === undefined) raw = {};
  if (!validateRaw(raw)) throw new ConfigError(ajvProblems(validateRaw.errors ?? []), source);
  const c = raw as RawConfig;
  const problems: { path: string; message: string }[] = [];
  const macLimit = c.fdb?.['mac-limit'] ?? 4096;
  const bridges = Object.entries(c.bridges ?? {}).map(([name, b]) => ({ name, maxMacs: b['max-macs'] ?? 65536 }));
  const bridgeNames = new Set(bridges.map((b) => b.name));
  const vrfNames = new Set(Object.keys(c.vrfs ?? {}));
  for (const name of vrfNames)
    if (!BRIDGE_NAME.test(name)) problems.push({ path: `vrfs.${name}`, message: 'vrf name must be 1-32 characters of A-Z a-z 0-9 _ . -' });
  const ports: PortConfig[] = [];
  for (const name of Object.keys(c.bridges ?? {}))
    if (!BRIDGE_NAME.test(name)) problems.push({ path: `bridges.${name}`, message: 'bridge name must be 1-32 characters of A-Z a-z 0-9 _ . -' });
  for (const [name, p] of Object.entries(c.ports ?? {})) {
    const at = `ports.${name}`;
    if (!IFNAME.test(name)) problems.push({ path: at, message: 'port name must be a Linux interface name: 1-15 characters of A-Z a-z 0-9 _ . : -' });
    const mode = p.mode ?? 'access';
    if (p.bridge !== undefined && !bridgeNames.has(p.bridge))
      problems.push({ path: `${at}.bridge`, message: `no bridge named '${p.bridge}' (bridges: ${[...bridgeNames].join(', ') || 'none'})` });
    let vlan = 0;
    let allowed: number[] = [];
    const l3 = mode === 'routed' || mode === 'vm';
    if (l3) {
      for (const k of ['vlan', 'allowed-vlans', 'native-vlan', 'bridge'] as const)
        if (p[k] !== undefined) problems.push({ path: `${at}.${k}`, message: `not for ${mode} ports (they belong to a VRF)` });
      if (p.vrf === undefined) problems.push({ path: `${at}.vrf`, message: `a ${mode} port needs a vrf` });
      else if (!vrfNames.has(p.vrf)) problems.push({ path: `${at}.vrf`, message: `no vrf named '${p.vrf}' (vrfs: ${[...vrfNames].join(', ') || 'none'})` });
      if (!p.addresses || p.addresses.length === 0) problems.push({ path: `${at}.addresses`, message: 'at least one address is required' });
      if ((p.addresses?.filter((a) => a.includes(':')).length ?? 0) > 4 || (p.addresses?.filter((a) => !a.includes(':')).length ?? 0) > 4)
        problems.push({ path: `${at}.addresses`, message: 'at most 4 IPv4 and 4 IPv6 addresses' });
      (p.addresses ?? []).forEach((a, i) => {
        const pr = parsePrefix(a, true);
        if (!pr) problems.push({ path: `${at}.addresses.${i}`, message: `'${a}' is not an address/prefix-length` });
        else if (mode === 'vm' && pr.plen !== (pr.af === 4 ? 32 : 128))
          problems.push({ path: `${at}.addresses.${i}`, message: 'a VM address is a host route: /32 or /128' });
      });
      if (p.mac !== undefined && !MAC.test(p.mac)) problems.push({ path: `${at}.mac`, message: 'must be a MAC address like 02:00:00:00:00:01' });
      if (mode === 'vm') {
        if (p['vm-mac'] === undefined) problems.push({ path: `${at}.vm-mac`, message: "a vm port needs the VM's MAC" });
        else if (!MAC.test(p['vm-mac']) || (parseInt(p['vm-mac'].slice(0, 2), 16) & 1))
          problems.push({ path: `${at}.vm-mac`, message: 'must be a unicast MAC address like 52:54:00:12:34:56' });
      } else if (p['vm-mac'] !== undefined) problems.push({ path: `${at}.vm-mac`, message: 'only for vm ports' });
    } else {
      for (const k of ['vrf', 'addresses', 'mac', 'vm-mac'] as const)
        if (p[k] !== undefined) problems.push({ path: `${at}.${k}`, message: 'only for routed and vm ports' });
    }
    if (l3) {
      // nothing more: VLAN fields were refused above
    } else if (mode === 'access') {
      if (p['allowed-vlans'] !== undefined) problems.push({ path: `${at}.allowed-vlans`, message: 'only for trunk ports' });
      if (p['native-vlan'] !== undefined) problems.push({ path: `${at}.native-vlan`, message: 'only for trunk ports' });
      vlan = p.vlan ?? 1;
    } else {
      if (p.vlan !== undefined) problems.push({ path: `${at}.vlan`, message: 'not for trunk ports: use allowed-vlans and native-vlan' });
      if (!p['allowed-vlans'] || p['allowed-vlans'].length === 0)
        problems.push({ path: `${at}.allowed-vlans`, message: 'a trunk port needs at least one allowed VLAN' });
      allowed = [...(p['allowed-vlans'] ?? [])].sort((a, b) => a - b);
      vlan = p['native-vlan'] ?? 0;
    }
    ports.push({
      name,
      backend: p.backend,
      bridge: p.bridge ?? null,
      mode,
      vlan,
      allowedVlans: allowed,
      macLimit: p['mac-limit'] ?? macLimit,
      mtu: p.mtu ?? 1500,
      vrf: p.vrf ?? null,
      addresses: p.addresses ?? [],
      mac: p.mac?.toLowerCase() ?? null,
      vmMac: p['vm-mac']?.toLowerCase() ?? null,
    });
  }
  const vrfs: VrfConfig[] = [];
  for (const [vname, vc] of Object.entries(c.vrfs ?? {})) {
    const subnets: { port: string; prefix: Prefix }[] = [];
    for (const p of ports)
      if (p.vrf === vname && p.mode === 'routed')
        for (const a of p.addresses) {
          const pr = parsePrefix(a, true);
          if (pr) subnets.push({ port: p.name, prefix: pr });
        }
    const routes: StaticRoute[] = [];
    (vc.routes ?? []).forEach((r, i) => {
      const at = `vrfs.${vname}.routes.${i}`;
      const to = r.to === 'default' ? '0.0.0.0/0' : r.to;
      const pr = parsePrefix(to);
      if (!pr) {
        problems.push({ path: `${at}.to`, message: `'${r.to}' is not a prefix (CIDR)` });
        return;
      }
      const type = r.type ?? 'unicast';
      const vias = r.via === undefined ? [] : Array.isArray(r.via) ? r.via : [r.via];
      if (type === 'unicast' && vias.length === 0) {
        problems.push({ path: `${at}.via`, message: 'a unicast route needs a gateway (or set type: blackhole|unreachable)' });
        return;
      }
      if (type !== 'unicast' && vias.length) problems.push({ path: `${at}.via`, message: `a ${type} route has no gateway` });
      const via: { gw: string; port: string }[] = [];
      vias.forEach((g, k) => {
        const gp = `${at}.via${Array.isArray(r.via) ? `.${k}` : ''}`;
        const ip = parseIp(g);
        if (!ip) return problems.push({ path: gp, message: `'${g}' is not an IP address` });
        if (ip.af !== pr.af) return problems.push({ path: gp, message: `gateway ${g} is not of the family of ${r.to}` });
        if (r.port !== undefined) {
          const port = ports.find((p) => p.name === r.port);
          if (!port || port.mode !== 'routed' || port.vrf !== vname)
            return problems.push({ path: `${at}.port`, message: `'${r.port}' is not a routed port of vrf ${vname}` });
          return via.push({ gw: formatIp(ip.bytes), port: r.port });
        }
        const sub = subnets.find((s2) => contains(s2.prefix, ip.bytes));
        if (!sub) return problems.push({ path: gp, message: `gateway ${g} is in no subnet of a routed port of vrf ${vname}` });
        via.push({ gw: formatIp(ip.bytes), port: sub.port });
      });
      routes.push({ prefix: formatPrefix(pr), type, via });
    });
    vrfs.push({ name: vname, routes });
  }
  if (c.api?.tcp !== undefined && !c.api.tls)
    problems.push({ path: 'api.tls', message: 'the TCP listener (api.tcp) is TLS only: set api.tls.cert and api.tls.key' });
  if (c.bgp !== undefined)
    for (const e of validateBgpConfig(c.bgp)) {
      const path = `bgp${e.path === '/' ? '' : e.path.replace(/\//g, '.')}`;
      const family = /afi-safis(\.\d+)?$/.test(path) && e.message === 'Expected union value';
      const names = FAMILIES.flatMap((f) => [f.name, f.afiSafiName]);
      problems.push({ path, message: family ? `unknown address family; one of ${[...new Set(names)].join(', ')}` : e.message });
    }
  if (problems.length) throw new ConfigError(problems, source);
  return {
    workers: c.workers ?? 1,
    logLevel: c['log-level'] ?? 'info',
    agingSeconds: c.fdb?.aging ?? 300,
    macLimit,
    apiSocket: c.api?.socket ?? DEFAULT_SOCKET,
    apiTcp: c.api?.tcp ?? null,
    apiTls: c.api?.tls ? { cert: c.api.tls.cert, key: c.api.tls.key, clientCa: c.api.tls['client-ca'] ?? null } : null,
    metricsListen: c.metrics?.listen ?? null,
    bridges,
    vrfs,
    ports,
    bgp: (c.bgp as BgpConfig | undefined) ?? null,
  };
}

/** Reads and validates a config file: YAML, or JSON (a subset of YAML) when
 * the text starts with `{` — parsed by JSON.parse, ~40× faster than the YAML
 * parser on a file with a million routes.  Throws ConfigError. */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([{ path: '(file)', message: (e as Error).message }], path);
  }
  let raw: unknown;
  if (/^\s*\{/.test(text)) {
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new ConfigError([{ path: '(json)', message: (e as Error).message }], path);
    }
    return normalizeConfig(raw, path);
  }
  try {
    raw = parseYaml(text);
  } catch (e) {
    const msg = e instanceof YAMLParseError ? e.message.split('\n')[0]! : (e as Error).message;
    throw new ConfigError([{ path: '(yaml)', message: msg }], path);
  }
  return normalizeConfig(raw, path);
}

export function schemaJson(): TSchema {
  return ConfigSchema;
}
