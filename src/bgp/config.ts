/**
 * BGP section of the daemon YAML, as a TypeBox schema (validate with Ajv or
 * TypeBox's Value) plus the mapping to BgpSpeaker options. Keys follow the
 * GoBGP / OpenConfig vocabulary in kebab-case:
 *
 * ```yaml
 * bgp:
 *   global: { as: 65000, router-id: 10.255.0.3, listen-port: 179, cluster-id: 10.255.0.3 }
 *   neighbors:
 *     - neighbor-address: 10.255.0.1
 *       peer-as: 65000
 *       afi-safis: [ipv4-unicast, l3vpn-ipv4-unicast, l2vpn-evpn, rtc]   # or ipv4, vpnv4, evpn, ...
 *       passive: false
 *       timers: { hold-time: 90, keepalive-interval: 30, connect-retry: 5, idle-hold-time: 5 }
 *       graceful-restart: { enabled: true, restart-time: 120, stale-routes-time: 360 }
 *       route-reflector-client: false
 *       max-prefix: 2000000
 *       add-path-receive: [ipv4-unicast]
 *       local-address: 10.255.0.3
 *       port: 179
 *       description: rr1
 *     - neighbor-address: 192.0.2.1     # an upstream eBGP peer bound to a VRF (docs/pure-l3.md)
 *       peer-as: 65100
 *       afi-safis: [ipv4-unicast, ipv6-unicast]
 *       vrf: pub                        # plain unicast of VRF pub only, both ways
 *       communities: ["65000:100", no-export]
 *       large-communities: ["65000:0:100"]
 *       advertise: [vm]                 # vm (default), connected, static
 * ```
 * `validateBgpConfig` returns errors that name the field path and the rule.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { isIP, isIPv4 } from 'node:net';
import { FAMILIES, familyByName, type FamilyName } from './codec/family.js';
import type { NeighborOptions, SpeakerOptions } from './speaker.js';

const familyNames = [...new Set(FAMILIES.flatMap((f) => [f.name, f.afiSafiName]))];

export const AfiSafiName = Type.Union(familyNames.map((n) => Type.Literal(n)), { description: 'address family: ipv4, ipv6, vpnv4, vpnv6, evpn, rtc or the GoBGP names (ipv4-unicast, l3vpn-ipv4-unicast, l2vpn-evpn, ...)' });
const Asn = Type.Integer({ minimum: 1, maximum: 4294967295, description: 'AS number (4-octet)' });
const Ipv4 = Type.String({ format: 'ipv4', description: 'dotted-quad IPv4 address' });
const Seconds = (min: number, max: number, description: string) => Type.Integer({ minimum: min, maximum: max, description });

/** RFC 1997 / RFC 7999 / RFC 8326 well-known communities by name (the names FRR and GoBGP accept). */
export const WELL_KNOWN_COMMUNITIES: Record<string, string> = {
  'graceful-shutdown': '65535:0', 'accept-own': '65535:1', blackhole: '65535:666',
  'no-export': '65535:65281', 'no-advertise': '65535:65282', 'no-export-subconfed': '65535:65283', 'no-peer': '65535:65284',
};
/** What of a VRF goes to its bound neighbors (src/vpn/unicast.ts). */
export const ADVERTISE_KINDS = ['vm', 'connected', 'static'] as const;
export type AdvertiseKind = (typeof ADVERTISE_KINDS)[number];

export const BgpNeighborConfig = Type.Object({
  'neighbor-address': Type.String({ description: 'peer IPv4 or IPv6 address' }),
  'peer-as': Asn,
  'afi-safis': Type.Array(AfiSafiName, { minItems: 1, uniqueItems: true, default: ['ipv4-unicast'] }),
  passive: Type.Optional(Type.Boolean({ default: false, description: 'wait for the peer to connect' })),
  timers: Type.Optional(Type.Object({
    'hold-time': Type.Optional(Type.Union([Type.Literal(0), Seconds(3, 65535, 'hold time, 0 or >= 3 s (RFC 4271 §4.2)')])),
    'keepalive-interval': Type.Optional(Seconds(1, 21845, 'keepalive interval, s')),
    'connect-retry': Type.Optional(Seconds(1, 3600, 'ConnectRetry timer, s')),
    'idle-hold-time': Type.Optional(Seconds(0, 3600, 'wait before restarting after an error, s')),
  }, { additionalProperties: false })),
  'graceful-restart': Type.Optional(Type.Object({
    enabled: Type.Optional(Type.Boolean({ default: true })),
    'restart-time': Type.Optional(Seconds(1, 4095, 'restart time we advertise, s (RFC 4724 §3)')),
    'stale-routes-time': Type.Optional(Seconds(1, 3600, 'how long stale routes are kept after the peer is back, s')),
  }, { additionalProperties: false })),
  'route-reflector-client': Type.Optional(Type.Boolean({ default: false })),
  'max-prefix': Type.Optional(Type.Integer({ minimum: 1, description: 'Cease/1 when the peer sends more routes (RFC 4486)' })),
  'add-path-receive': Type.Optional(Type.Array(AfiSafiName, { uniqueItems: true })),
  'local-address': Type.Optional(Type.String()),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, default: 179 })),
  description: Type.Optional(Type.String()),
  vrf: Type.Optional(Type.String({ minLength: 1, description: 'bind the neighbor to this VRF: its plain IPv4/IPv6 unicast, both ways (docs/pure-l3.md)' })),
  communities: Type.Optional(Type.Array(Type.String(), { uniqueItems: true, description: 'vrf neighbors: standard communities on our routes (ASN:VALUE or no-export, no-advertise, ...)' })),
  'large-communities': Type.Optional(Type.Array(Type.String(), { uniqueItems: true, description: 'vrf neighbors: large communities on our routes (GA:LD1:LD2, RFC 8092)' })),
  advertise: Type.Optional(Type.Array(Type.Union(ADVERTISE_KINDS.map((k) => Type.Literal(k))), { uniqueItems: true, description: 'vrf neighbors: what of the VRF is advertised: vm (host routes of vm ports, default), connected, static' })),
}, { additionalProperties: false });

export const BgpConfig = Type.Object({
  global: Type.Object({
    as: Asn,
    'router-id': Ipv4,
    'cluster-id': Type.Optional(Ipv4),
    'listen-port': Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, default: 179 })),
    'listen-address': Type.Optional(Type.String()),
  }, { additionalProperties: false }),
  neighbors: Type.Array(BgpNeighborConfig, { default: [] }),
}, { additionalProperties: false });

export type BgpConfig = Static<typeof BgpConfig>;
export type BgpNeighborConfig = Static<typeof BgpNeighborConfig>;

export interface ConfigError { path: string; message: string }

/** Structural (schema) and semantic checks; each error names its field path. */
export function validateBgpConfig(cfg: unknown): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const e of Value.Errors(BgpConfig, cfg)) {
    if (e.schema && (e.schema as { format?: string }).format === 'ipv4') continue; // checked below without FormatRegistry
    errors.push({ path: e.path || '/', message: e.message });
  }
  if (errors.length) return errors;
  const c = cfg as BgpConfig;
  if (!isIPv4(c.global['router-id'])) errors.push({ path: '/global/router-id', message: 'must be an IPv4 address' });
  if (c.global['cluster-id'] !== undefined && !isIPv4(c.global['cluster-id'])) errors.push({ path: '/global/cluster-id', message: 'must be an IPv4 address' });
  const seen = new Set<string>();
  c.neighbors.forEach((n, i) => {
    const p = `/neighbors/${i}`;
    if (!isIP(n['neighbor-address'])) errors.push({ path: `${p}/neighbor-address`, message: 'must be an IP address' });
    if (seen.has(n['neighbor-address'])) errors.push({ path: `${p}/neighbor-address`, message: 'duplicate neighbor' });
    seen.add(n['neighbor-address']);
    if (n['local-address'] !== undefined && !isIP(n['local-address'])) errors.push({ path: `${p}/local-address`, message: 'must be an IP address' });
    const hold = n.timers?.['hold-time'], ka = n.timers?.['keepalive-interval'];
    if (hold !== undefined && ka !== undefined && hold !== 0 && ka * 3 > hold) errors.push({ path: `${p}/timers/keepalive-interval`, message: 'must be at most a third of hold-time' });
    const fams = new Set(n['afi-safis'].map((x) => familyByName(x).name));
    if (fams.size !== n['afi-safis'].length) errors.push({ path: `${p}/afi-safis`, message: 'same family listed twice under two names' });
    errors.push(...vrfNeighborErrors(c, n, p, fams));
  });
  return errors;
}

const u16 = (x: string) => /^\d{1,5}$/.test(x) && Number(x) <= 0xffff;
const u32 = (x: string) => /^\d{1,10}$/.test(x) && Number(x) <= 0xffffffff;

/** A standard community in text (ASN:VALUE or a well-known name) → ASN:VALUE, or null. */
export function parseCommunity(c: string): string | null {
  if (WELL_KNOWN_COMMUNITIES[c]) return WELL_KNOWN_COMMUNITIES[c]!;
  const p = c.split(':');
  return p.length === 2 && p.every(u16) ? p.map(Number).join(':') : null;
}

/** The checks of a VRF-bound neighbor (and that the export fields need one). */
function vrfNeighborErrors(c: BgpConfig, n: BgpNeighborConfig, p: string, fams: Set<string>): ConfigError[] {
  const errors: ConfigError[] = [];
  if (n.vrf === undefined) {
    for (const k of ['communities', 'large-communities', 'advertise'] as const)
      if (n[k] !== undefined) errors.push({ path: `${p}/${k}`, message: 'only for a neighbor bound to a vrf (set vrf)' });
    return errors;
  }
  if (n['peer-as'] === c.global.as) errors.push({ path: `${p}/peer-as`, message: 'a vrf neighbor is an upstream eBGP peer: peer-as must differ from global.as' });
  for (const f of fams) if (f !== 'ipv4' && f !== 'ipv6') errors.push({ path: `${p}/afi-safis`, message: `a vrf neighbor carries plain unicast only (ipv4-unicast, ipv6-unicast), not ${f}` });
  if (n['route-reflector-client']) errors.push({ path: `${p}/route-reflector-client`, message: 'not for a vrf neighbor (eBGP)' });
  (n.communities ?? []).forEach((x, j) => {
    if (parseCommunity(x) === null) errors.push({ path: `${p}/communities/${j}`, message: `'${x}' is not a community: ASN:VALUE (0-65535 each) or ${Object.keys(WELL_KNOWN_COMMUNITIES).join(', ')}` });
  });
  (n['large-communities'] ?? []).forEach((x, j) => {
    const q = x.split(':');
    if (q.length !== 3 || !q.every(u32)) errors.push({ path: `${p}/large-communities/${j}`, message: `'${x}' is not a large community: GA:LD1:LD2 (0-4294967295 each, RFC 8092)` });
  });
  const first = c.neighbors.findIndex((m) => m.vrf === n.vrf);
  const same = (a?: string[], b?: string[]) => JSON.stringify([...(a ?? ['vm'])].sort()) === JSON.stringify([...(b ?? ['vm'])].sort());
  if (c.neighbors[first] !== n && !same(c.neighbors[first]!.advertise, n.advertise))
    errors.push({ path: `${p}/advertise`, message: `must be the same as /neighbors/${first}/advertise: both are bound to vrf ${n.vrf}, whose routes are originated once` });
  return errors;
}

/** Map a validated config to speaker and neighbor options. */
export function speakerOptionsFromConfig(c: BgpConfig): { speaker: SpeakerOptions; neighbors: NeighborOptions[] } {
  const speaker: SpeakerOptions = { asn: c.global.as, routerId: c.global['router-id'], listenPort: c.global['listen-port'] ?? 179 };
  if (c.global['cluster-id']) speaker.clusterId = c.global['cluster-id'];
  if (c.global['listen-address']) speaker.listenAddress = c.global['listen-address'];
  const neighbors = c.neighbors.map((n): NeighborOptions => {
    const o: NeighborOptions = {
      address: n['neighbor-address'], peerAs: n['peer-as'],
      families: n['afi-safis'].map((x) => familyByName(x).name as FamilyName),
      passive: n.passive ?? false, routeReflectorClient: n['route-reflector-client'] ?? false,
      addPathReceive: (n['add-path-receive'] ?? []).map((x) => familyByName(x).name as FamilyName),
    };
    const t = n.timers;
    if (t?.['hold-time'] !== undefined) o.holdTime = t['hold-time'];
    if (t?.['keepalive-interval'] !== undefined) o.keepaliveInterval = t['keepalive-interval'];
    if (t?.['connect-retry'] !== undefined) o.connectRetry = t['connect-retry'];
    if (t?.['idle-hold-time'] !== undefined) o.idleHoldTime = t['idle-hold-time'];
    const gr = n['graceful-restart'];
    if (gr) {
      o.gracefulRestart = {};
      if (gr.enabled !== undefined) o.gracefulRestart.enabled = gr.enabled;
      if (gr['restart-time'] !== undefined) o.gracefulRestart.restartTime = gr['restart-time'];
      if (gr['stale-routes-time'] !== undefined) o.gracefulRestart.staleRoutesTime = gr['stale-routes-time'];
    }
    if (n['max-prefix'] !== undefined) o.maxPrefix = n['max-prefix'];
    if (n['local-address']) o.localAddress = n['local-address'];
    if (n.port !== undefined) o.port = n.port;
    if (n.description) o.description = n.description;
    if (n.vrf) {
      o.vrf = n.vrf;
      if (n.communities?.length) o.exportCommunities = n.communities.map((x) => parseCommunity(x)!);
      if (n['large-communities']?.length) o.exportLargeCommunities = n['large-communities'].map((x) => x.split(':').map(Number).join(':'));
    }
    return o;
  });
  return { speaker, neighbors };
}
