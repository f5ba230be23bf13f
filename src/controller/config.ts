// Config validation: the raw document (the YAML file, an API edit, a reload)
// is checked against the schema (config-schema.ts) and then against the rules
// a schema cannot say (names, references between sections, per-mode fields,
// route gateways in a port's subnet), and resolved into the normalized
// `Config` with its defaults.  Errors name the field path (`ports.vm1.vlan`)
// and the rule it broke; nothing is applied from a config with a problem.
import { bindingProblems } from '../vpn/unicast.js';
import { DEFAULT_DUP_DETECTION } from '../vpn/evpn-instance.js';
import { Ajv, type ErrorObject } from 'ajv';

import { FAMILIES, normaliseRouteTarget, validateBgpConfig, type BgpConfig } from '../bgp/index.js';
import { contains, formatIp, formatPrefix, parseIp, parsePrefix, type Prefix } from '../util/ip.js';
import { normalizePolling } from './polling.js';
import { normalizeStp } from './config-stp.js';
import { normalizeL3vpn } from './config-vpn.js';
import { normalizeBonds } from './config-bonds.js';
import { checkHostInterfaces, hostInterfacePort, normalizeHostInterface } from './host-interface.js';
import { ConfigSchema, DEFAULT_SOCKET, type Config, type EviConfig, type PortConfig, type RawConfig, type StaticRoute, type VrfConfig, type VtepConfig } from './config-schema.js';

export * from './config-schema.js';

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

const IFNAME = /^[A-Za-z0-9_.:-]{1,15}$/;
const BRIDGE_NAME = /^[A-Za-z0-9_.-]{1,32}$/;

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

type Problem = { path: string; message: string };
type RawPort = NonNullable<RawConfig['ports']>[string];
type RawRoute = NonNullable<NonNullable<RawConfig['vrfs']>[string]['routes']>[number];

/** Validates a parsed config object and resolves defaults.  Throws ConfigError. */
export function normalizeConfig(raw: unknown, source = 'config'): Config {
  if (raw === null || raw === undefined) raw = {};
  if (!validateRaw(raw)) throw new ConfigError(ajvProblems(validateRaw.errors ?? []), source);
  const c = raw as RawConfig;
  const problems: Problem[] = [];
  const macLimit = c.fdb?.['mac-limit'] ?? 4096;
  const bridges = Object.entries(c.bridges ?? {}).map(([name, b]) => ({ name, maxMacs: b['max-macs'] ?? 65536 }));
  const bridgeNames = new Set(bridges.map((b) => b.name));
  const vrfNames = new Set(Object.keys(c.vrfs ?? {}));
  for (const name of vrfNames)
    if (!BRIDGE_NAME.test(name)) problems.push({ path: `vrfs.${name}`, message: 'vrf name must be 1-32 characters of A-Z a-z 0-9 _ . -' });
  for (const name of Object.keys(c.bridges ?? {}))
    if (!BRIDGE_NAME.test(name)) problems.push({ path: `bridges.${name}`, message: 'bridge name must be 1-32 characters of A-Z a-z 0-9 _ . -' });
  const ports = Object.entries(c.ports ?? {}).map(([name, p]) => normalizePort(name, p, { bridgeNames, vrfNames, macLimit }, problems));
  const hostIfs = Object.entries(c.vrfs ?? {}).flatMap(([vrf, v]) => {
    const h = v['host-interface'] ? normalizeHostInterface(vrf, v['host-interface'], problems) : null;
    return h ? [{ vrf, h }] : [];
  });
  checkHostInterfaces(hostIfs, ports, problems);
  const vrfs: VrfConfig[] = Object.entries(c.vrfs ?? {}).map(([name, v]) => ({
    name,
    routes: normalizeRoutes(name, v.routes ?? [], ports, problems),
    hostInterface: hostIfs.find((x) => x.vrf === name)?.h ?? null,
  }));
  ports.push(...hostIfs.map((x) => hostInterfacePort(x.vrf, x.h, macLimit)));
  const bonds = normalizeBonds(c.bonds, { bridgeNames, portNames: new Set(ports.map((p) => p.name)), macLimit }, problems);
  if (c.api?.tcp !== undefined && !c.api.tls)
    problems.push({ path: 'api.tls', message: 'the TCP listener (api.tcp) is TLS only: set api.tls.cert and api.tls.key' });
  if (c.bgp !== undefined) problems.push(...bgpProblems(c.bgp), ...bindingProblems(c.bgp, vrfNames));
  const { vtep, evpn } = normalizeEvpn(c, problems);
  const polling = normalizePolling(c.dataplane, c.workers ?? 1, problems);
  const stp = normalizeStp(c.bridges ?? {}, c.ports ?? {}, ports, problems);
  const { pe, l3vpn } = normalizeL3vpn(c, problems);
  if (problems.length) throw new ConfigError(problems, source);
  return {
    workers: c.workers ?? 1,
    polling,
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
    bonds,
    bgp: (c.bgp as BgpConfig | undefined) ?? null,
    vtep,
    evpn,
    stp,
    pe,
    l3vpn,
  };
}

interface PortContext {
  bridgeNames: Set<string>;
  vrfNames: Set<string>;
  macLimit: number;
}

/** One port: its name, bridge, and the fields of its mode (L3 or L2). */
function normalizePort(name: string, p: RawPort, ctx: PortContext, problems: Problem[]): PortConfig {
  const at = `ports.${name}`;
  if (!IFNAME.test(name)) problems.push({ path: at, message: 'port name must be a Linux interface name: 1-15 characters of A-Z a-z 0-9 _ . : -' });
  const mode = p.mode ?? 'access';
  if (p.bridge !== undefined && !ctx.bridgeNames.has(p.bridge))
    problems.push({ path: `${at}.bridge`, message: `no bridge named '${p.bridge}' (bridges: ${[...ctx.bridgeNames].join(', ') || 'none'})` });
  const l3 = mode === 'routed' || mode === 'vm';
  if (l3) checkL3Port(at, mode, p, ctx.vrfNames, problems);
  else
    for (const k of ['vrf', 'addresses', 'mac', 'vm-mac', 'neighbors'] as const)
      if (p[k] !== undefined) problems.push({ path: `${at}.${k}`, message: 'only for routed and vm ports' });
  if (l3 && p.hosts !== undefined) problems.push({ path: `${at}.hosts`, message: 'only for access and trunk ports' });
  const { vlan, allowed } = l3 ? { vlan: 0, allowed: [] } : l2Vlans(at, mode, p, problems);
  return {
    name,
    backend: p.backend,
    bridge: p.bridge ?? null,
    mode,
    vlan,
    allowedVlans: allowed,
    macLimit: p['mac-limit'] ?? ctx.macLimit,
    mtu: p.mtu ?? 1500,
    vrf: p.vrf ?? null,
    addresses: p.addresses ?? [],
    mac: p.mac?.toLowerCase() ?? null,
    vmMac: p['vm-mac']?.toLowerCase() ?? null,
    neighbors: l3 ? portNeighbors(at, p, problems) : [],
    hosts: l3 ? [] : portHosts(at, p, problems),
  };
}

/** An access or trunk port's known hosts: unicast MACs, each once, valid addresses. */
function portHosts(at: string, p: RawPort, problems: Problem[]): { mac: string; ips: string[] }[] {
  const macs = new Set<string>();
  return (p.hosts ?? []).map((h, i) => {
    const mac = h.mac.toLowerCase();
    if (!MAC.test(h.mac) || parseInt(h.mac.slice(0, 2), 16) & 1)
      problems.push({ path: `${at}.hosts.${i}.mac`, message: 'must be a unicast MAC address like 52:54:00:12:34:56' });
    else if (macs.has(mac)) problems.push({ path: `${at}.hosts.${i}.mac`, message: `${h.mac} is listed twice` });
    macs.add(mac);
    const ips: string[] = [];
    h.ips.forEach((a, j) => {
      const ip = parseIp(a);
      if (!ip) problems.push({ path: `${at}.hosts.${i}.ips.${j}`, message: `'${a}' is not an IPv4 or IPv6 address` });
      else if (!ips.includes(formatIp(ip.bytes))) ips.push(formatIp(ip.bytes));
    });
    return { mac, ips };
  });
}

/** A routed or vm port's permanent neighbors: valid addresses, unicast MACs, one entry per address. */
function portNeighbors(at: string, p: RawPort, problems: Problem[]): { ip: string; mac: string }[] {
  const out: { ip: string; mac: string }[] = [];
  const seen = new Set<string>();
  (p.neighbors ?? []).forEach((n, i) => {
    const ip = parseIp(n.ip);
    if (!ip) problems.push({ path: `${at}.neighbors.${i}.ip`, message: `'${n.ip}' is not an IPv4 or IPv6 address` });
    else if (seen.has(formatIp(ip.bytes))) problems.push({ path: `${at}.neighbors.${i}.ip`, message: `${n.ip} is listed twice` });
    if (!MAC.test(n.mac) || parseInt(n.mac.slice(0, 2), 16) & 1)
      problems.push({ path: `${at}.neighbors.${i}.mac`, message: 'must be a unicast MAC address like 52:54:00:12:34:56' });
    if (ip) {
      seen.add(formatIp(ip.bytes));
      out.push({ ip: formatIp(ip.bytes), mac: n.mac.toLowerCase() });
    }
  });
  return out;
}

/** A routed or vm port: a VRF, addresses, no VLAN fields; a vm port, the VM's MAC. */
function checkL3Port(at: string, mode: 'routed' | 'vm', p: RawPort, vrfNames: Set<string>, problems: Problem[]): void {
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
}

/** An access port's VLAN, or a trunk port's allowed set and native VLAN (0: none). */
function l2Vlans(at: string, mode: 'access' | 'trunk', p: RawPort, problems: Problem[]): { vlan: number; allowed: number[] } {
  if (mode === 'access') {
    if (p['allowed-vlans'] !== undefined) problems.push({ path: `${at}.allowed-vlans`, message: 'only for trunk ports' });
    if (p['native-vlan'] !== undefined) problems.push({ path: `${at}.native-vlan`, message: 'only for trunk ports' });
    return { vlan: p.vlan ?? 1, allowed: [] };
  }
  if (p.vlan !== undefined) problems.push({ path: `${at}.vlan`, message: 'not for trunk ports: use allowed-vlans and native-vlan' });
  if (!p['allowed-vlans'] || p['allowed-vlans'].length === 0)
    problems.push({ path: `${at}.allowed-vlans`, message: 'a trunk port needs at least one allowed VLAN' });
  return { vlan: p['native-vlan'] ?? 0, allowed: [...(p['allowed-vlans'] ?? [])].sort((a, b) => a - b) };
}

/** The static routes of VRF `vname`: each gateway resolved to its routed port. */
function normalizeRoutes(vname: string, raw: RawRoute[], ports: PortConfig[], problems: Problem[]): StaticRoute[] {
  const subnets: { port: string; prefix: Prefix }[] = [];
  for (const p of ports)
    if (p.vrf === vname && p.mode === 'routed')
      for (const a of p.addresses) {
        const pr = parsePrefix(a, true);
        if (pr) subnets.push({ port: p.name, prefix: pr });
      }
  const routes: StaticRoute[] = [];
  raw.forEach((r, i) => {
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
  return routes;
}

/** The local VTEP and the EVPN instances of every bridge, with their defaults:
 *  RD router-id:(VNI & 0xffff) (type 1), route targets AS:VNI (as FRR derives
 *  them), `route-targets` for both directions unless one is given, duplicate
 *  MAC detection 5 moves in 180 s, frozen 180 s (FRR's numbers; the freeze
 *  defaults to the window). */
function normalizeEvpn(c: RawConfig, problems: Problem[]): { vtep: VtepConfig | null; evpn: EviConfig[] } {
  let vtep: VtepConfig | null = null;
  if (c.vtep) {
    const ip = parseIp(c.vtep.address);
    if (!ip) problems.push({ path: 'vtep.address', message: `'${c.vtep.address}' is not an IP address` });
    else vtep = { address: formatIp(ip.bytes), af: ip.af, port: c.vtep.port ?? 4789, mtu: c.vtep.mtu ?? 1500 };
  }
  const evpn: EviConfig[] = [];
  const global = (c.bgp as { global?: { as?: number; 'router-id'?: string } } | undefined)?.global;
  const vnis = new Map<number, string>();
  const rds = new Map<string, string>();
  for (const [bridge, b] of Object.entries(c.bridges ?? {})) {
    const vlans = new Set<number>();
    (b.evpn ?? []).forEach((e, i) => {
      const at = `bridges.${bridge}.evpn.${i}`;
      const vlan = e.vlan ?? 1;
      if (vlans.has(vlan)) problems.push({ path: `${at}.vlan`, message: `VLAN ${vlan} of bridge ${bridge} has two EVPN instances` });
      vlans.add(vlan);
      if (vnis.has(e.vni)) problems.push({ path: `${at}.vni`, message: `VNI ${e.vni} is also used by ${vnis.get(e.vni)}` });
      vnis.set(e.vni, at);
      if (!c.vtep) problems.push({ path: at, message: 'an EVPN instance needs the local VTEP: set vtep.address' });
      if (!global?.as || !global['router-id']) {
        problems.push({ path: at, message: 'an EVPN instance needs the BGP speaker: set bgp.global.as and router-id' });
        return;
      }
      const rd = e.rd ?? `${global['router-id']}:${e.vni & 0xffff}`;
      if (rds.has(rd)) problems.push({ path: `${at}.rd`, message: `RD ${rd} is also used by ${rds.get(rd)}${e.rd ? '' : ' (set rd)'}` });
      rds.set(rd, at);
      const rts = (key: 'route-targets' | 'import-route-targets' | 'export-route-targets', dflt: string[]): string[] => {
        const list = e[key] ?? dflt;
        return list.flatMap((rt, k) => {
          try {
            return [normaliseRouteTarget(rt)];
          } catch {
            problems.push({ path: `${at}.${key}.${k}`, message: `'${rt}' is not a route target (ASN:N or IPv4:N)` });
            return [];
          }
        });
      };
      const both = rts('route-targets', [`${global.as}:${e.vni}`]);
      const dad = e['dup-addr-detection'] ?? {};
      const windowSeconds = dad.time ?? DEFAULT_DUP_DETECTION.windowSeconds;
      const dupDetection = { maxMoves: dad['max-moves'] ?? DEFAULT_DUP_DETECTION.maxMoves, windowSeconds, freezeSeconds: dad.freeze ?? windowSeconds };
      evpn.push({ bridge, vlan, vni: e.vni, rd, importRts: rts('import-route-targets', both), exportRts: rts('export-route-targets', both), dupDetection });
    });
  }
  return { vtep, evpn };
}

/** The BGP section's problems, in the config's path vocabulary (`bgp.neighbors.0.peer-as`). */
function bgpProblems(bgp: unknown): Problem[] {
  return validateBgpConfig(bgp).map((e) => {
    const path = `bgp${e.path === '/' ? '' : e.path.replace(/\//g, '.')}`;
    const family = /afi-safis(\.\d+)?$/.test(path) && e.message === 'Expected union value';
    const names = FAMILIES.flatMap((f) => [f.name, f.afiSafiName]);
    return { path, message: family ? `unknown address family; one of ${[...new Set(names)].join(', ')}` : e.message };
  });
}
