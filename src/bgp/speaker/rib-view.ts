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

/** The route table a view names, and the source its paths come from (-1: per record, -2: local). */
function viewTable(ctx: SpeakerContext, family: FamilyName, opts: { table?: RibTableName; neighbor?: string }): { t: RouteTable; srcFixed: number } {
  const f = familyByName(family);
  const table = opts.table ?? 'loc';
  if (table === 'loc') return { t: ctx.rib.loc[f.id]!, srcFixed: -1 };
  const ps = opts.neighbor === 'local' ? null : ctx.peers.get(normalizeAddr(opts.neighbor ?? ''));
  if (!ps && opts.neighbor !== 'local') throw new Error(`no neighbor ${opts.neighbor}`);
  if (table === 'in') { const src = ps ? ps.peer.sourceIndex : 0; return { t: ctx.rib.adjIn[src]![f.id]!, srcFixed: src }; }
  if (!ps) throw new Error('adj-rib-out needs a neighbor');
  return { t: ps.adjOut[f.id]!, srcFixed: -2 };
}

export function* iterRoutes<F extends FamilyName>(ctx: SpeakerContext, family: F, opts: { table?: RibTableName; neighbor?: string }): Generator<RibEntry<RouteByFamily[F]>> {
  const rib = ctx.rib;
  const f = familyByName(family);
  const table = opts.table ?? 'loc';
  const { t, srcFixed } = viewTable(ctx, family, opts);
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

/**
 * Destinations (distinct route keys) and paths of one view, without decoding
 * a route (GoBGP's GetTable).  The Loc-RIB holds one path per key; an
 * Adj-RIB with ADD-PATH (RFC 7911) can hold several, so its keys are counted.
 */
export function tableSize(ctx: SpeakerContext, family: FamilyName, opts: { table?: RibTableName; neighbor?: string }): { destinations: number; paths: number } {
  const { t } = viewTable(ctx, family, opts);
  if ((opts.table ?? 'loc') === 'loc') return { destinations: t.count, paths: t.count };
  const keys = new Set<string>();
  let withIds = false;
  for (const rec of t.records()) if (t.pathId(rec)) { withIds = true; break; }
  if (!withIds) return { destinations: t.count, paths: t.count };
  const a = Buffer.from(t.arena.buffer, t.arena.byteOffset, t.arena.byteLength);
  for (const rec of t.records()) keys.add(a.toString('latin1', t.keyOff(rec), t.keyOff(rec) + t.keyLen(rec)));
  return { destinations: keys.size, paths: t.count };
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
