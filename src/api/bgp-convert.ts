// Conversions between the BGP speaker's objects (src/bgp: route objects per
// family, PathAttrs, NeighborInfo) and the BgpService messages (bgp.proto),
// plus GoBGP's text forms of NLRI, labels and attributes that `hvswitch bgp
// rib` prints.  The family enum is derived from the speaker's family table
// (FAMILIES): BGP_FAMILY_<NAME> for each row, in its order.
//
// Requests are checked here for what the message shape cannot say (the NLRI
// case must fit the family, numbers must fit their fields); every value is
// then encoded once with the speaker's own codecs, so an RD, address or
// community the wire cannot carry is refused with the field's path before
// anything is originated.
import { isIP } from 'node:net';

import { FAMILIES, familyByName, type AnyRoute, type FamilyName, type PathAttrs } from '../bgp/index.js';
import { attrCodecs } from '../bgp/codec/attr/index.js';
import type { AsSegmentType as SpeakerSegmentType } from '../bgp/codec/attr/types.js';
import type { EvpnEthernetAd, EvpnEthernetSegment, EvpnImet, EvpnIpPrefix, EvpnMacIp, EvpnRoute } from '../bgp/codec/nlri/evpn/index.js';
import type { EvpnOpaque as SpeakerEvpnOpaque } from '../bgp/codec/nlri/evpn/index.js';
import { KeyData } from '../bgp/codec/nlri/types.js';
import type { PrefixRoute, RtcRoute, VpnRoute } from '../bgp/index.js';
import { invalid } from './errors.js';
import type { AsSegmentType } from './gen/hvswitch/v1/AsSegmentType.js';
import type { BgpFamily } from './gen/hvswitch/v1/BgpFamily.js';
import type { Nlri, Nlri__Output } from './gen/hvswitch/v1/Nlri.js';
import type { Origin } from './gen/hvswitch/v1/Origin.js';
import type { PathAttributes, PathAttributes__Output } from './gen/hvswitch/v1/PathAttributes.js';

// ---- families ----

/** The enum value of a family row (its `proto` column). */
export function familyEnum(name: FamilyName): BgpFamily {
  return familyByName(name).proto;
}

/** The family row of an enum value (string or number), or undefined. */
export function familyOfEnum(e: BgpFamily | undefined): FamilyName | undefined {
  if (e === undefined) return undefined;
  if (typeof e === 'number') return FAMILIES[e - 1]?.name;
  return FAMILIES.find((f) => f.proto === e)?.name;
}

/** A family name as the CLI and config take it (`evpn`, `l2vpn-evpn`), or undefined. */
export function familyOfName(name: string): FamilyName | undefined {
  try {
    return familyByName(name).name;
  } catch {
    return undefined;
  }
}

// ---- NLRI ----

const SEGMENTS = {
  set: 'AS_SEGMENT_TYPE_SET',
  seq: 'AS_SEGMENT_TYPE_SEQUENCE',
  'confed-seq': 'AS_SEGMENT_TYPE_CONFED_SEQUENCE',
  'confed-set': 'AS_SEGMENT_TYPE_CONFED_SET',
} as const satisfies Record<SpeakerSegmentType, AsSegmentType>;

const ORIGINS = ['ORIGIN_IGP', 'ORIGIN_EGP', 'ORIGIN_INCOMPLETE'] as const satisfies readonly Origin[];

/** A speaker route object as an Nlri message. */
export function nlriMessage(family: FamilyName, route: AnyRoute): Nlri {
  switch (family) {
    case 'ipv4':
    case 'ipv6':
      return { prefix: { prefix: (route as PrefixRoute).prefix } };
    case 'vpnv4':
    case 'vpnv6': {
      const r = route as VpnRoute;
      return { vpn: { rd: r.rd, prefix: r.prefix, label: r.label } };
    }
    case 'rtc': {
      const r = route as RtcRoute;
      return { rtc: { originAs: r.originAs ?? 0, routeTarget: r.routeTarget ?? '', length: r.length } };
    }
    case 'evpn': {
      const r = route as EvpnRoute | SpeakerEvpnOpaque;
      switch (r.type) {
        case 1: { const x = r as EvpnEthernetAd; return { evpnEthernetAd: { rd: x.rd, esi: x.esi, ethernetTag: x.ethernetTag, label: x.label } }; }
        case 2: { const x = r as EvpnMacIp; return { evpnMacIp: { rd: x.rd, esi: x.esi, ethernetTag: x.ethernetTag, mac: x.mac, ip: x.ip ?? '', labels: [...x.labels] } }; }
        case 3: { const x = r as EvpnImet; return { evpnMulticast: { rd: x.rd, ethernetTag: x.ethernetTag, originatorIp: x.originatorIp } }; }
        case 4: { const x = r as EvpnEthernetSegment; return { evpnEthernetSegment: { rd: x.rd, esi: x.esi, originatorIp: x.originatorIp } }; }
        case 5: { const x = r as EvpnIpPrefix; return { evpnIpPrefix: { rd: x.rd, esi: x.esi, ethernetTag: x.ethernetTag, prefix: x.prefix, gateway: x.gateway, label: x.label } }; }
        default: { const x = r as SpeakerEvpnOpaque; return { evpnOpaque: { routeType: x.type, value: Buffer.from(x.value, 'hex') } }; }
      }
    }
  }
}

/** Which Nlri cases a family takes. */
const CASES: Record<FamilyName, readonly string[]> = {
  ipv4: ['prefix'],
  ipv6: ['prefix'],
  vpnv4: ['vpn'],
  vpnv6: ['vpn'],
  evpn: ['evpnEthernetAd', 'evpnMacIp', 'evpnMulticast', 'evpnEthernetSegment', 'evpnIpPrefix', 'evpnOpaque'],
  rtc: ['rtc'],
};
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function u(path: string, v: number | undefined, max: number): number {
  const n = v ?? 0;
  if (!Number.isInteger(n) || n < 0 || n > max) throw invalid(path, `${n} is out of range 0-${max}`);
  return n;
}
function req(path: string, v: string | undefined): string {
  if (!v) throw invalid(path, 'is required');
  return v;
}
const esiOf = (v: string | undefined) => (v ? v : '0');

/**
 * The speaker route of an Nlri message of `family` (`path` prefixes the field
 * paths of errors, e.g. `nlri`).  `ourAs` fills an RTC origin AS of 0.  For a
 * withdrawal labels may be absent: they are data, not part of the route key.
 */
export function nlriToRoute(family: FamilyName, n: Nlri | undefined, path: string, ourAs: number, opts: { withdraw?: boolean } = {}): AnyRoute {
  const kind = (n as Nlri__Output | undefined)?.route ?? (n ? CASES[family].find((k) => (n as Record<string, unknown>)[k]) : undefined);
  if (!n || !kind) throw invalid(path, `is required (one of ${CASES[family].map(snake).join(', ')} for ${family})`);
  if (!CASES[family].includes(kind)) throw invalid(`${path}.${snake(kind)}`, `is not a ${family} NLRI (one of ${CASES[family].map(snake).join(', ')})`);
  const p = `${path}.${snake(kind)}`;
  let route: AnyRoute;
  switch (kind) {
    case 'prefix':
      route = { prefix: req(`${p}.prefix`, n.prefix?.prefix) };
      break;
    case 'vpn': {
      const v = n.vpn!;
      route = { rd: req(`${p}.rd`, v.rd), prefix: req(`${p}.prefix`, v.prefix), label: u(`${p}.label`, v.label, 0xfffff) };
      break;
    }
    case 'rtc': {
      const v = n.rtc!;
      const length = u(`${p}.length`, v.length ?? (v.routeTarget ? 96 : 0), 96);
      if (length === 0) {
        if (v.routeTarget || v.originAs) throw invalid(`${p}.length`, 'is 0 (default membership): origin_as and route_target must be empty');
        route = { originAs: null, routeTarget: null, length: 0 };
      } else {
        if (length !== 96) throw invalid(`${p}.length`, 'must be 96 (one route target) or 0 (default membership)');
        route = { originAs: u(`${p}.origin_as`, v.originAs, 0xffffffff) || ourAs, routeTarget: req(`${p}.route_target`, v.routeTarget).replace(/^rt:/, ''), length };
      }
      break;
    }
    case 'evpnEthernetAd': {
      const v = n.evpnEthernetAd!;
      route = { type: 1, rd: req(`${p}.rd`, v.rd), esi: req(`${p}.esi`, v.esi), ethernetTag: u(`${p}.ethernet_tag`, v.ethernetTag, 0xffffffff), label: u(`${p}.label`, v.label, 0xffffff) };
      break;
    }
    case 'evpnMacIp': {
      const v = n.evpnMacIp!;
      const labels = v.labels?.length || !opts.withdraw ? (v.labels ?? []) : [0];
      if (labels.length < 1 || labels.length > 2) throw invalid(`${p}.labels`, 'takes one or two labels (L2 VNI, L3 VNI)');
      route = {
        type: 2, rd: req(`${p}.rd`, v.rd), esi: esiOf(v.esi), ethernetTag: u(`${p}.ethernet_tag`, v.ethernetTag, 0xffffffff),
        mac: req(`${p}.mac`, v.mac), ip: v.ip ? v.ip : null, labels: labels.map((l, i) => u(`${p}.labels.${i}`, l, 0xffffff)),
      };
      if (v.ip && !isIP(v.ip)) throw invalid(`${p}.ip`, `'${v.ip}' is not an IP address`);
      break;
    }
    case 'evpnMulticast': {
      const v = n.evpnMulticast!;
      const ip = req(`${p}.originator_ip`, v.originatorIp);
      if (!isIP(ip)) throw invalid(`${p}.originator_ip`, `'${ip}' is not an IP address`);
      route = { type: 3, rd: req(`${p}.rd`, v.rd), ethernetTag: u(`${p}.ethernet_tag`, v.ethernetTag, 0xffffffff), originatorIp: ip };
      break;
    }
    case 'evpnEthernetSegment': {
      const v = n.evpnEthernetSegment!;
      const ip = req(`${p}.originator_ip`, v.originatorIp);
      if (!isIP(ip)) throw invalid(`${p}.originator_ip`, `'${ip}' is not an IP address`);
      route = { type: 4, rd: req(`${p}.rd`, v.rd), esi: req(`${p}.esi`, v.esi), originatorIp: ip };
      break;
    }
    case 'evpnIpPrefix': {
      const v = n.evpnIpPrefix!;
      const prefix = req(`${p}.prefix`, v.prefix);
      route = {
        type: 5, rd: req(`${p}.rd`, v.rd), esi: esiOf(v.esi), ethernetTag: u(`${p}.ethernet_tag`, v.ethernetTag, 0xffffffff), prefix,
        gateway: v.gateway || (prefix.includes(':') ? '::' : '0.0.0.0'), label: u(`${p}.label`, v.label, 0xffffff),
      };
      break;
    }
    case 'evpnOpaque': {
      const v = n.evpnOpaque!;
      const t = u(`${p}.route_type`, v.routeType, 255);
      if (t >= 1 && t <= 5) throw invalid(`${p}.route_type`, `route type ${t} has its own NLRI case`);
      route = { type: t, value: Buffer.from((v.value as Uint8Array | string | undefined) ?? []).toString('hex') };
      break;
    }
    default:
      throw invalid(p, 'unknown NLRI case');
  }
  // The speaker's codec is the last word: RDs, prefixes, MACs, ESIs, RTs.
  try {
    familyByName(family).nlri.toKD(route, new KeyData());
  } catch (e) {
    throw invalid(p, (e as Error).message);
  }
  return route;
}

/** The key bytes of a route (its identity on the wire), for ordering. */
export function routeKey(family: FamilyName, route: AnyRoute): Buffer {
  const kd = new KeyData();
  familyByName(family).nlri.toKD(route, kd);
  return Buffer.from(kd.key);
}

// ---- attributes ----

export function attrsMessage(a: PathAttrs): PathAttributes {
  const out: PathAttributes = {
    origin: a.origin === undefined ? 'ORIGIN_UNSPECIFIED' : (ORIGINS[a.origin] ?? 'ORIGIN_UNSPECIFIED'),
    asPath: (a.asPath ?? []).map((s) => ({ type: SEGMENTS[s.type], asns: [...s.asns] })),
    nextHop: a.nextHop ?? '',
    atomicAggregate: !!a.atomicAggregate,
    aggregator: a.aggregator ? { asn: a.aggregator.as, address: a.aggregator.address } : null,
    communities: [...(a.communities ?? [])],
    originatorId: a.originatorId ?? '',
    clusterList: [...(a.clusterList ?? [])],
    extCommunities: [...(a.extCommunities ?? [])],
    largeCommunities: [...(a.largeCommunities ?? [])],
    pmsiTunnel: a.pmsiTunnel ? { ...a.pmsiTunnel } : null,
    unknown: (a.unknown ?? []).map((x) => ({ code: x.code, flags: x.flags, value: Buffer.from(x.value, 'hex') })),
  };
  if (a.med !== undefined) out.med = a.med;
  if (a.localPref !== undefined) out.localPref = a.localPref;
  return out;
}

/** PathAttrs of a request's attributes; each value is encoded once by its codec. */
export function attrsFromMessage(m: PathAttributes | undefined, path: string): PathAttrs {
  const a: PathAttrs = {};
  if (!m) return a;
  const o = m.origin ?? 'ORIGIN_UNSPECIFIED';
  if (o !== 'ORIGIN_UNSPECIFIED' && o !== 0) {
    const i = typeof o === 'number' ? o - 1 : ORIGINS.indexOf(o as (typeof ORIGINS)[number]);
    if (i < 0 || i > 2) throw invalid(`${path}.origin`, `unknown origin ${String(o)}`);
    a.origin = i;
  }
  if (m.asPath?.length)
    a.asPath = m.asPath.map((s, i) => {
      const t = s.type ?? 'AS_SEGMENT_TYPE_UNSPECIFIED';
      const type = t === 'AS_SEGMENT_TYPE_UNSPECIFIED' || t === 0 ? 'seq' : (Object.keys(SEGMENTS) as SpeakerSegmentType[]).find((k) => SEGMENTS[k] === t);
      if (!type) throw invalid(`${path}.as_path.${i}.type`, `unknown segment type ${String(t)}`);
      return { type, asns: (s.asns ?? []).map((x, j) => u(`${path}.as_path.${i}.asns.${j}`, x, 0xffffffff)) };
    });
  if (m.nextHop) {
    if (!isIP(m.nextHop)) throw invalid(`${path}.next_hop`, `'${m.nextHop}' is not an IP address`);
    a.nextHop = m.nextHop;
  }
  if (m.med !== undefined && m.med !== null) a.med = u(`${path}.med`, m.med, 0xffffffff);
  if (m.localPref !== undefined && m.localPref !== null) a.localPref = u(`${path}.local_pref`, m.localPref, 0xffffffff);
  if (m.atomicAggregate) a.atomicAggregate = true;
  if (m.aggregator) a.aggregator = { as: u(`${path}.aggregator.asn`, m.aggregator.asn, 0xffffffff), address: m.aggregator.address ?? '' };
  if (m.communities?.length) a.communities = [...m.communities];
  if (m.originatorId) a.originatorId = m.originatorId;
  if (m.clusterList?.length) a.clusterList = [...m.clusterList];
  if (m.extCommunities?.length) a.extCommunities = [...m.extCommunities];
  if (m.largeCommunities?.length) a.largeCommunities = [...m.largeCommunities];
  if (m.pmsiTunnel) {
    const t = m.pmsiTunnel;
    a.pmsiTunnel = { flags: u(`${path}.pmsi_tunnel.flags`, t.flags, 255), tunnelType: u(`${path}.pmsi_tunnel.tunnel_type`, t.tunnelType, 255), label: u(`${path}.pmsi_tunnel.label`, t.label, 0xffffff), tunnelId: t.tunnelId ?? '' };
  }
  if (m.unknown?.length)
    a.unknown = m.unknown.map((x, i) => {
      const code = u(`${path}.unknown.${i}.code`, x.code, 255);
      if (attrCodecs.some((c) => c.code === code) || code === 14 || code === 15) throw invalid(`${path}.unknown.${i}.code`, `attribute ${code} has its own field`);
      return { code, flags: u(`${path}.unknown.${i}.flags`, x.flags, 255), value: Buffer.from((x.value as Uint8Array | string | undefined) ?? []).toString('hex') };
    });
  // Encode each attribute once with the speaker's codec (next hops are checked above:
  // IPv6 next hops travel in MP_REACH, which the NEXT_HOP codec does not take).
  for (const c of attrCodecs) {
    const v = a[c.key];
    if (v === undefined || c.key === 'nextHop') continue;
    try {
      c.encode(v as never, { as4: true });
    } catch (e) {
      throw invalid(`${path}.${snake(c.key)}`, (e as Error).message);
    }
  }
  return a;
}

// ---- GoBGP's text forms (hvswitch bgp rib) ----

/** The NLRI as `gobgp global rib` prints it. */
export function nlriText(n: Nlri__Output): string {
  switch (n.route) {
    case 'prefix': return n.prefix!.prefix;
    case 'vpn': return `${n.vpn!.rd}:${n.vpn!.prefix}`;
    case 'rtc': return n.rtc!.length === 0 ? 'default' : `${n.rtc!.originAs}:${n.rtc!.routeTarget}`;
    case 'evpnEthernetAd': { const x = n.evpnEthernetAd!; return `[type:A-D][rd:${x.rd}][esi:${x.esi}][etag:${x.ethernetTag}]`; }
    case 'evpnMacIp': { const x = n.evpnMacIp!; return `[type:macadv][rd:${x.rd}][etag:${x.ethernetTag}][mac:${x.mac}][ip:${x.ip || '<nil>'}]`; }
    case 'evpnMulticast': { const x = n.evpnMulticast!; return `[type:multicast][rd:${x.rd}][etag:${x.ethernetTag}][ip:${x.originatorIp}]`; }
    case 'evpnEthernetSegment': { const x = n.evpnEthernetSegment!; return `[type:esi][rd:${x.rd}][esi:${x.esi}][ip:${x.originatorIp}]`; }
    case 'evpnIpPrefix': { const x = n.evpnIpPrefix!; return `[type:Prefix][rd:${x.rd}][esi:${x.esi}][etag:${x.ethernetTag}][prefix:${x.prefix}][gw:${x.gateway}]`; }
    case 'evpnOpaque': { const x = n.evpnOpaque!; return `[type:${x.routeType}][value:${Buffer.from(x.value).toString('hex')}]`; }
    default: return '?';
  }
}

/** The Labels column: `[100]`, `[10100,50000]`, or empty. */
export function labelsText(n: Nlri__Output): string {
  const l = n.route === 'vpn' ? [n.vpn!.label]
    : n.route === 'evpnMacIp' ? n.evpnMacIp!.labels
    : n.route === 'evpnEthernetAd' ? [n.evpnEthernetAd!.label]
    : n.route === 'evpnIpPrefix' ? [n.evpnIpPrefix!.label]
    : null;
  return l ? `[${l.join(',')}]` : '';
}

export function asPathText(a: PathAttributes__Output): string {
  return a.asPath
    .map((s) => (s.type === 'AS_SEGMENT_TYPE_SET' || s.type === 'AS_SEGMENT_TYPE_CONFED_SET' ? `{${s.asns.join(',')}}` : s.asns.join(' ')))
    .join(' ');
}

/** The Attrs column, GoBGP style: `[{Origin: i} {LocalPref: 100} {Extcomms: [65000:100]}]`. */
export function attrsText(a: PathAttributes__Output): string {
  const parts: string[] = [];
  const origin = { ORIGIN_IGP: 'i', ORIGIN_EGP: 'e', ORIGIN_INCOMPLETE: '?' }[a.origin as string];
  if (origin) parts.push(`{Origin: ${origin}}`);
  if (a.med !== undefined && a.med !== null) parts.push(`{Med: ${a.med}}`);
  if (a.localPref !== undefined && a.localPref !== null) parts.push(`{LocalPref: ${a.localPref}}`);
  if (a.atomicAggregate) parts.push('{AtomicAggregate}');
  if (a.aggregator) parts.push(`{Aggregate: {AS: ${a.aggregator.asn}, Address: ${a.aggregator.address}}}`);
  if (a.communities.length) parts.push(`{Communities: ${a.communities.join(', ')}}`);
  if (a.originatorId) parts.push(`{Originator: ${a.originatorId}}`);
  if (a.clusterList.length) parts.push(`{ClusterList: [${a.clusterList.join(', ')}]}`);
  if (a.extCommunities.length) parts.push(`{Extcomms: ${a.extCommunities.map((x) => `[${x}]`).join(', ')}}`);
  if (a.largeCommunities.length) parts.push(`{LargeCommunity: [ ${a.largeCommunities.join(', ')}]}`);
  if (a.pmsiTunnel) {
    const t = a.pmsiTunnel;
    parts.push(`{Pmsi: type: ${t.tunnelType === 6 ? 'ingress-repl' : t.tunnelType}, label: ${t.label}, tunnel-id: ${t.tunnelId}}`);
  }
  for (const x of a.unknown) parts.push(`{${x.code}: ${Buffer.from(x.value).toString('hex')}}`);
  return `[${parts.join(' ')}]`;
}
