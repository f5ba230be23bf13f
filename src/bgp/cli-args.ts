/**
 * Route arguments in the GoBGP CLI vocabulary, for `hvswitch bgp rib add|del`
 * and the gRPC layer: turns the words after `-a FAMILY` into the route object
 * and path attributes BgpSpeaker.originate/withdraw take.
 *
 *   ipv4|ipv6  PREFIX
 *   vpnv4|6    PREFIX rd RD label N
 *   evpn       macadv MAC IP|0.0.0.0 [esi ESI] etag N label L1[,L2] rd RD
 *              multicast IP etag N rd RD [pmsi ingress-repl LABEL IP]
 *              prefix PREFIX [esi ESI] etag N rd RD label L [gw IP]
 *              a-d esi ESI etag N label L rd RD
 *              esi ESI IP rd RD
 *   rtc        ASN RT | default
 * For a withdrawal (`rib del`, opts.withdraw) a label may be left out: it is
 * not part of the route key (RFC 4364 §4.3.4 and RFC 7432 §7: the key is the
 * RD and prefix; for EVPN the route type's key fields), so 0 stands in.
 * followed by any attributes:
 *   nexthop IP  origin igp|egp|incomplete  med N  local-pref N  aspath A,B,C
 *   community A:B[,...]  large-community A:B:C[,...]  rt RT[,...]  encap vxlan|...
 *   router-mac MAC  mac-mobility SEQ[:sticky]
 * Errors name the word that is wrong.
 */
import type { PathAttrs } from './codec/attr/types.js';
import { familyByName, type AnyRoute, type FamilyName } from './codec/family.js';
import { KeyData } from './codec/nlri/types.js';

export class RouteArgsError extends Error { override readonly name = 'RouteArgsError'; }

const ORIGINS: Record<string, number> = { igp: 0, egp: 1, incomplete: 2, '?': 2, i: 0, e: 1 };

export function parseRouteArgs(family: string, words: string[], opts: { withdraw?: boolean } = {}): { family: FamilyName; route: AnyRoute; attrs: PathAttrs } {
  const f = familyByName(family);
  const w = [...words];
  const take = (what: string): string => { const v = w.shift(); if (v === undefined) throw new RouteArgsError(`missing ${what}`); return v; };
  const kv = new Map<string, string>();
  const num = (k: string, v: string, max = 0xffffffff): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > max) throw new RouteArgsError(`${k}: ${v} is not an integer in 0..${max}`);
    return n;
  };
  const keyed = new Set(['rd', 'label', 'etag', 'esi', 'gw', 'nexthop', 'origin', 'med', 'local-pref', 'aspath', 'community', 'large-community', 'rt', 'encap', 'router-mac', 'mac-mobility', 'identifier']);
  let route: AnyRoute;
  const positional: string[] = [];
  let pmsi: PathAttrs['pmsiTunnel'];
  const rest = (): void => {
    while (w.length) {
      const k = take('keyword');
      if (k === 'pmsi') {
        const kind = take('pmsi tunnel type');
        if (kind !== 'ingress-repl') throw new RouteArgsError(`pmsi: only ingress-repl is supported, got ${kind}`);
        pmsi = { flags: 0, tunnelType: 6, label: num('pmsi label', take('pmsi label'), 0xffffff), tunnelId: take('pmsi tunnel endpoint') };
        continue;
      }
      if (!keyed.has(k)) { positional.push(k); continue; }
      kv.set(k, take(`value for ${k}`));
    }
  };
  const need = (k: string): string => { const v = kv.get(k); if (v === undefined) throw new RouteArgsError(`${f.name}: ${k} is required`); return v; };
  // labels are data, not key: a withdrawal finds the route without one
  const label = (): string => (opts.withdraw ? (kv.get('label') ?? '0') : need('label'));
  switch (f.name) {
    case 'ipv4': case 'ipv6': route = { prefix: take('prefix') }; rest(); break;
    case 'vpnv4': case 'vpnv6': { const prefix = take('prefix'); rest(); route = { rd: need('rd'), prefix, label: num('label', label(), 0xfffff) }; break; }
    case 'rtc': {
      const first = take('ASN or default');
      if (first === 'default') { rest(); route = { originAs: null, routeTarget: null, length: 0 }; break; }
      const rt = take('route target'); rest();
      route = { originAs: num('asn', first), routeTarget: rt.replace(/^rt:/, ''), length: 96 };
      break;
    }
    case 'evpn': {
      const kind = take('EVPN route kind (macadv, multicast, prefix, a-d, esi)');
      if (kind === 'macadv') {
        const mac = take('MAC'); const ip = take('IP (0.0.0.0 for none)'); rest();
        route = { type: 2, rd: need('rd'), esi: kv.get('esi') ?? '0', ethernetTag: num('etag', kv.get('etag') ?? '0'), mac, ip: ip === '0.0.0.0' || ip === '::' ? null : ip, labels: label().split(',').map((l) => num('label', l, 0xffffff)) };
      } else if (kind === 'multicast') {
        const ip = take('originating router IP'); rest();
        route = { type: 3, rd: need('rd'), ethernetTag: num('etag', kv.get('etag') ?? '0'), originatorIp: ip };
      } else if (kind === 'prefix') {
        const prefix = take('prefix'); rest();
        route = { type: 5, rd: need('rd'), esi: kv.get('esi') ?? '0', ethernetTag: num('etag', kv.get('etag') ?? '0'), prefix, gateway: kv.get('gw') ?? (prefix.includes(':') ? '::' : '0.0.0.0'), label: num('label', kv.get('label') ?? '0', 0xffffff) };
      } else if (kind === 'a-d') {
        rest();
        route = { type: 1, rd: need('rd'), esi: need('esi'), ethernetTag: num('etag', kv.get('etag') ?? '0'), label: num('label', kv.get('label') ?? '0', 0xffffff) };
      } else if (kind === 'esi') {
        const esi = take('ESI'); const ip = take('originating router IP'); rest();
        route = { type: 4, rd: need('rd'), esi, originatorIp: ip };
      } else throw new RouteArgsError(`unknown EVPN route kind ${kind}`);
      break;
    }
  }
  if (positional.length) throw new RouteArgsError(`unexpected word ${positional[0]}`);
  const attrs: PathAttrs = {};
  const nh = kv.get('nexthop'); if (nh) attrs.nextHop = nh;
  const o = kv.get('origin'); if (o !== undefined) { const v = ORIGINS[o]; if (v === undefined) throw new RouteArgsError(`origin: ${o} is not igp, egp or incomplete`); attrs.origin = v; }
  const med = kv.get('med'); if (med !== undefined) attrs.med = num('med', med);
  const lp = kv.get('local-pref'); if (lp !== undefined) attrs.localPref = num('local-pref', lp);
  const ap = kv.get('aspath'); if (ap !== undefined) attrs.asPath = ap === '' ? [] : [{ type: 'seq', asns: ap.split(',').map((a) => num('aspath', a)) }];
  const c = kv.get('community'); if (c) attrs.communities = c.split(',');
  const lc = kv.get('large-community'); if (lc) attrs.largeCommunities = lc.split(',');
  const ext: string[] = [];
  const rt = kv.get('rt'); if (rt) ext.push(...rt.split(',').map((x) => (x.startsWith('rt:') ? x : `rt:${x}`)));
  const enc = kv.get('encap'); if (enc) ext.push(`encap:${enc}`);
  const rm = kv.get('router-mac'); if (rm) ext.push(`router-mac:${rm}`);
  const mm = kv.get('mac-mobility'); if (mm) ext.push(`mac-mobility:${mm}`);
  if (ext.length) attrs.extCommunities = ext;
  if (pmsi) attrs.pmsiTunnel = pmsi;
  // Validate by encoding once: bad addresses, RDs, communities fail here with the codec's message.
  try {
    f.nlri.toKD(route, new KeyData());
  } catch (e) { throw new RouteArgsError(`${f.name}: ${(e as Error).message}`); }
  return { family: f.name, route, attrs };
}
