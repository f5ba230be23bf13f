// Prefix lookups in a RIB view: the `prefixes` of a ListPathRequest, as
// GoBGP's TableLookupPrefix (`gobgp global rib -a vpnv4 10.1.0.0/24 rd
// 65000:1`, `... longer-prefixes`, `... shorter-prefixes`).
//
// A route's prefix per family: ipv4/ipv6 and vpnv4/vpnv6 their prefix (and
// RD); evpn the IP prefix of route type 5 and the IP of type 2 as a host
// prefix (and RD), other route types have none and never match; rtc has no
// prefix at all and a lookup there is refused.  EXACT with an address and no
// length is a longest match, as GoBGP's: the most specific prefixes covering
// the address, per RD (each RD is its own VRF's table).
//
// The lookup runs over the decoded entries the handler streams anyway; it
// saves the client the stream, not the server the walk (the tables are
// hashed by key, not ordered by prefix).
import type { AnyRoute, FamilyName } from '../bgp/index.js';
import { rdToBytes } from '../bgp/codec/rd.js';
import { contains, parseIp, parsePrefix, type Prefix } from '../util/ip.js';
import { invalid } from './errors.js';
import type { TableLookupPrefix } from './gen/hvswitch/v1/TableLookupPrefix.js';

type LookupType = 'exact' | 'longer' | 'shorter';

export interface Lookup {
  prefix: Prefix;
  type: LookupType;
  /** an address without a length under EXACT: the longest covering prefix */
  longestMatch: boolean;
  /** RD in its 8 wire octets as hex, or null for any */
  rd: string | null;
}

const TYPES: Record<string, LookupType> = {
  TABLE_LOOKUP_TYPE_UNSPECIFIED: 'exact',
  TABLE_LOOKUP_TYPE_EXACT: 'exact',
  TABLE_LOOKUP_TYPE_LONGER: 'longer',
  TABLE_LOOKUP_TYPE_SHORTER: 'shorter',
  0: 'exact',
  1: 'exact',
  2: 'longer',
  3: 'shorter',
};

function rdKey(path: string, rd: string): string {
  const b = Buffer.alloc(8);
  try {
    rdToBytes(rd, b, 0);
  } catch (e) {
    throw invalid(path, (e as Error).message);
  }
  return b.toString('hex');
}

/** The lookups of a request, checked; errors name `prefixes.N.<field>`. */
export function parseLookups(family: FamilyName, prefixes: readonly TableLookupPrefix[] | undefined): Lookup[] {
  return (prefixes ?? []).map((q, i) => {
    const path = `prefixes.${i}`;
    if (family === 'rtc') throw invalid(`${path}.prefix`, 'rtc routes have no prefix to look up');
    const text = (q.prefix ?? '').trim();
    if (!text) throw invalid(`${path}.prefix`, 'is required');
    let prefix: Prefix | null;
    if (text.includes('/')) prefix = parsePrefix(text);
    else {
      const ip = parseIp(text);
      prefix = ip ? { af: ip.af, bytes: ip.bytes, plen: ip.bytes.length * 8 } : null;
    }
    if (!prefix) throw invalid(`${path}.prefix`, `'${text}' is not a prefix or an address`);
    const type = TYPES[String(q.type ?? 0)];
    if (!type) throw invalid(`${path}.type`, `unknown lookup type ${String(q.type)}`);
    const fam = family === 'ipv4' || family === 'vpnv4' ? 4 : family === 'ipv6' || family === 'vpnv6' ? 6 : prefix.af;
    if (prefix.af !== fam) throw invalid(`${path}.prefix`, `'${text}' is not an IPv${fam} prefix (family ${family})`);
    if (q.rd && (family === 'ipv4' || family === 'ipv6')) throw invalid(`${path}.rd`, `family ${family} has no route distinguisher`);
    return { prefix, type, longestMatch: type === 'exact' && !text.includes('/'), rd: q.rd ? rdKey(`${path}.rd`, q.rd) : null };
  });
}

/** The prefix and RD of a route, or null (EVPN route types without an IP). */
function routePrefix(family: FamilyName, route: AnyRoute): { prefix: Prefix; rd: string | null } | null {
  const r = route as { prefix?: string; rd?: string; type?: number; ip?: string | null };
  let prefix: Prefix | null = null;
  if (family === 'evpn') {
    if (r.type === 5 && r.prefix) prefix = parsePrefix(r.prefix);
    else if (r.type === 2 && r.ip) {
      const ip = parseIp(r.ip);
      prefix = ip ? { af: ip.af, bytes: ip.bytes, plen: ip.bytes.length * 8 } : null;
    }
  } else if (r.prefix) prefix = parsePrefix(r.prefix);
  if (!prefix) return null;
  return { prefix, rd: r.rd ? rdKey('rd', r.rd) : null };
}

function matches(q: Lookup, p: { prefix: Prefix; rd: string | null }): boolean {
  if (q.rd !== null && p.rd !== q.rd) return false;
  if (p.prefix.af !== q.prefix.af) return false;
  const r = p.prefix;
  if (q.longestMatch) return r.plen <= q.prefix.plen && contains(r, q.prefix.bytes);
  switch (q.type) {
    case 'exact': return r.plen === q.prefix.plen && r.bytes.equals(q.prefix.bytes);
    case 'longer': return r.plen >= q.prefix.plen && contains(q.prefix, r.bytes);
    case 'shorter': return r.plen <= q.prefix.plen && contains(r, q.prefix.bytes);
  }
}

/** The entries any lookup matches (all of them when there is none), in their order. */
export function lookupEntries<E extends { route: AnyRoute }>(family: FamilyName, entries: E[], lookups: Lookup[]): E[] {
  if (!lookups.length) return entries;
  const prefixes = entries.map((e) => routePrefix(family, e.route));
  // longest matches: the greatest covering length per (lookup, RD)
  const longest = lookups.map(() => new Map<string | null, number>());
  prefixes.forEach((p) => {
    if (!p) return;
    lookups.forEach((q, i) => {
      if (!q.longestMatch || !matches(q, p)) return;
      const best = longest[i]!.get(p.rd) ?? -1;
      if (p.prefix.plen > best) longest[i]!.set(p.rd, p.prefix.plen);
    });
  });
  return entries.filter((_, j) => {
    const p = prefixes[j];
    return !!p && lookups.some((q, i) => matches(q, p) && (!q.longestMatch || longest[i]!.get(p.rd) === p.prefix.plen));
  });
}
