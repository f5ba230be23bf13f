/**
 * Read-only views of the RIB for the API and metrics: Loc-RIB, a neighbor's
 * Adj-RIB-In (all paths, ADD-PATH ids, stale marks) or Adj-RIB-Out, as JSON
 * route objects, and the size figures behind `hvswitch stats` / Prometheus.
 *
 * Entries are decoded from the route tables' byte arenas one at a time, so a
 * streaming RPC over a large table holds one entry, not a copy of the table.
 */
import { FAMILIES, familyByName, type FamilyName, type RouteByFamily } from '../codec/family.js';
import { FLAG_STALE, type RouteTable } from '../rib/route-table.js';
import type { Rib } from '../rib/rib.js';
import type { SpeakerContext } from './context.js';
import { normalizeAddr } from './neighbor.js';
import type { RibEntry, RibPath } from './types.js';

export type RibTableName = 'loc' | 'in' | 'out';
export type FamilyStats = Record<FamilyName, { bestPaths: number; receivedPaths: number; advertisedPaths: number }>;

/** A RIB source index as the API names it: `local` or the neighbor address. */
export function sourceName(rib: Rib, i: number): string { return i === 0 ? 'local' : rib.sources[i]?.name ?? `source-${i}`; }

export function* iterRoutes<F extends FamilyName>(ctx: SpeakerContext, family: F, opts: { table?: RibTableName; neighbor?: string }): Generator<RibEntry<RouteByFamily[F]>> {
  const rib = ctx.rib;
  const f = familyByName(family);
  const table = opts.table ?? 'loc';
  let t: RouteTable;
  let srcFixed = -1;
  if (table === 'loc') t = rib.loc[f.id]!;
  else {
    const ps = opts.neighbor === 'local' ? null : ctx.peers.get(normalizeAddr(opts.neighbor ?? ''));
    if (!ps && opts.neighbor !== 'local') throw new Error(`no neighbor ${opts.neighbor}`);
    if (table === 'in') { srcFixed = ps ? ps.peer.sourceIndex : 0; t = rib.adjIn[srcFixed]![f.id]!; }
    else { if (!ps) throw new Error('adj-rib-out needs a neighbor'); t = ps.adjOut[f.id]!; srcFixed = -2; }
  }
  for (const rec of t.records()) {
    const route = rib.routeOf(f, t, rec);
    const set = rib.attrs.get(t.attrId(rec));
    const src = table === 'loc' ? t.flags(rec) : srcFixed;
    const path: RibPath = { source: src === -2 ? 'local' : sourceName(rib, src), nextHop: set.nextHop, attrs: set.attrs };
    if (table === 'in' && t.pathId(rec)) path.pathId = t.pathId(rec);
    if (table === 'in' && t.flags(rec) & FLAG_STALE) path.stale = true;
    yield { family: f.name, route, key: f.nlri.keyString(route), paths: [path] } as RibEntry<RouteByFamily[F]>;
  }
}

export function ribStats(ctx: SpeakerContext): { families: FamilyStats; attrSets: number; ribBytes: number } {
  const rib = ctx.rib;
  const families = {} as FamilyStats;
  let bytes = 0;
  for (const f of FAMILIES) {
    const loc = rib.loc[f.id]!;
    let received = 0, advertised = 0;
    for (const t of rib.adjIn) if (t) { received += t[f.id]!.count; bytes += t[f.id]!.bytes(); }
    for (const ps of ctx.peers.values()) { advertised += ps.adjOut[f.id]!.count; bytes += ps.adjOut[f.id]!.bytes(); }
    bytes += loc.bytes();
    families[f.name] = { bestPaths: loc.count, receivedPaths: received, advertisedPaths: advertised };
  }
  return { families, attrSets: rib.attrs.size, ribBytes: bytes };
}
