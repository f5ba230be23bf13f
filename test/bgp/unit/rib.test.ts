/** RFC 4271 §9.1.2.2 decision process with RFC 4456 §9 tie-breaks, ADD-PATH paths (RFC 7911), stale sweep (RFC 4724). */
import { describe, expect, it } from 'vitest';
import { Rib } from '../../../src/bgp/rib/rib.js';
import { FAMILIES } from '../../../src/bgp/codec/family.js';
import { encodeUpdate } from '../../../src/bgp/codec/message/update.js';
import { KeyData } from '../../../src/bgp/codec/nlri/types.js';
import { RouteTable } from '../../../src/bgp/rib/route-table.js';
import { ipv4Prefix } from '../../../src/bgp/codec/nlri/prefix.js';
import { familyByName } from '../../../src/bgp/codec/family.js';
const familyIndex = (n: string) => familyByName(n).id;
import type { PathAttrs } from '../../../src/bgp/codec/attr/types.js';
import type { SpeakerContext } from '../../../src/bgp/speaker/context.js';
import { tableSize } from '../../../src/bgp/speaker/rib-view.js';

function ribWith(n: number, opts: { ebgp?: number[]; addPath?: number[] } = {}) {
  const rib = new Rib(65000, '10.0.0.100', '10.0.0.100');
  for (let i = 1; i <= n; i++) rib.addSource({ index: i, name: `10.0.0.${i}`, ebgp: !!opts.ebgp?.includes(i), routerId: (10 << 24) | i, addressKey: `10.0.0.${String(i).padStart(3, '0')}`, addPath: FAMILIES.map(() => !!opts.addPath?.includes(i)) });
  return rib;
}
const v4 = (rib: Rib, src: number, attrs: PathAttrs, prefix = '10.1.0.0/24', pathId?: number) => {
  const b = encodeUpdate({ withdrawn: [], attrs: { origin: 0, asPath: [], nextHop: '192.0.2.1', ...attrs }, nlri: [pathId === undefined ? { route: { prefix } } : { route: { prefix }, pathId }] }, { as4: true, addPathTx: FAMILIES.map(() => pathId !== undefined) });
  return rib.ingestUpdate(src, b, 0, b.length, { as4: true, addPathRx: FAMILIES.map(() => pathId !== undefined) });
};
const wd = (rib: Rib, src: number, prefix = '10.1.0.0/24', pathId?: number) => {
  const b = encodeUpdate({ withdrawn: [pathId === undefined ? { route: { prefix } } : { route: { prefix }, pathId }], attrs: {}, nlri: [] }, { as4: true, addPathTx: FAMILIES.map(() => pathId !== undefined) });
  return rib.ingestUpdate(src, b, 0, b.length, { as4: true, addPathRx: FAMILIES.map(() => pathId !== undefined) });
};
const best = (rib: Rib) => { let s = -1; rib.loc[0]!.forEach((r) => { s = rib.bestSource(0, r); }); return s; };

describe('RFC 4271 §9.1.2.2 decision process', () => {
  const cases: Array<[string, PathAttrs, PathAttrs]> = [
    ['higher LOCAL_PREF wins', { localPref: 200 }, { localPref: 100 }],
    ['shorter AS_PATH wins', { asPath: [{ type: 'seq', asns: [1] }] }, { asPath: [{ type: 'seq', asns: [1, 2] }] }],
    ['an AS_SET counts as one', { asPath: [{ type: 'seq', asns: [1] }, { type: 'set', asns: [5, 6, 7] }] }, { asPath: [{ type: 'seq', asns: [1, 2, 3] }] }],
    ['lower ORIGIN wins', { origin: 0 }, { origin: 2 }],
    ['lower MED wins between paths from the same neighbouring AS', { asPath: [{ type: 'seq', asns: [7] }], med: 5 }, { asPath: [{ type: 'seq', asns: [7] }], med: 50 }],
    ['RFC 4456 §9 lower ORIGINATOR_ID wins over a lower router ID', { originatorId: '1.1.1.1' }, { originatorId: '2.2.2.2' }],
    ['RFC 4456 §9 shorter CLUSTER_LIST wins (same ORIGINATOR_ID)', { originatorId: '5.5.5.5', clusterList: ['9.9.9.9'] }, { originatorId: '5.5.5.5', clusterList: ['9.9.9.9', '8.8.8.8'] }],
  ];
  for (const [name, better, worse] of cases) {
    it(name, () => {
      // the better path arrives from the source with the higher router ID, so only the rule under test can pick it
      const rib = ribWith(2);
      v4(rib, 1, worse); v4(rib, 2, better);
      expect(best(rib)).toBe(2);
      const rib2 = ribWith(2);
      v4(rib2, 2, better); v4(rib2, 1, worse);
      expect(best(rib2)).toBe(2);
    });
  }
  it('MED is not compared across different neighbouring ASes', () => {
    const rib = ribWith(2);
    v4(rib, 1, { asPath: [{ type: 'seq', asns: [7] }], med: 100 });
    v4(rib, 2, { asPath: [{ type: 'seq', asns: [8] }], med: 1 });
    expect(best(rib)).toBe(1); // falls through to the lower router ID
  });
  it('eBGP-learned beats iBGP-learned', () => {
    const rib = ribWith(2, { ebgp: [2] });
    v4(rib, 1, { asPath: [{ type: 'seq', asns: [9] }] }); v4(rib, 2, { asPath: [{ type: 'seq', asns: [9] }] });
    expect(best(rib)).toBe(2);
  });
  it('lowest router ID, then lowest peer address', () => {
    const rib = ribWith(3);
    v4(rib, 3, {}); v4(rib, 2, {});
    expect(best(rib)).toBe(2);
  });
  it('withdrawing the best path promotes the next best; withdrawing all empties the Loc-RIB', () => {
    const rib = ribWith(2);
    v4(rib, 1, { localPref: 300 }); v4(rib, 2, { localPref: 200 });
    expect(best(rib)).toBe(1);
    wd(rib, 1);
    expect(best(rib)).toBe(2);
    wd(rib, 2);
    expect(rib.loc[0]!.count).toBe(0);
    expect(rib.attrs.size).toBeGreaterThanOrEqual(0);
  });
  it('a changed attribute on the best path re-runs the decision', () => {
    const rib = ribWith(2);
    v4(rib, 1, { localPref: 300 }); v4(rib, 2, { localPref: 200 });
    v4(rib, 1, { localPref: 100 });
    expect(best(rib)).toBe(2);
  });
  it('locally originated routes win', () => {
    const rib = ribWith(1);
    v4(rib, 1, { localPref: 1000 });
    const set = rib.internLocal({ origin: 2, asPath: [], nextHop: '192.0.2.9' });
    const kd = new KeyData();
    ipv4Prefix.toKD({ prefix: '10.1.0.0/24' }, kd);
    rib.update(0, 0, kd, 0, set.id);
    expect(best(rib)).toBe(0);
  });
  it('RFC 7911 ADD-PATH: two paths of one prefix from one peer are both kept; withdrawing one by path id keeps the other', () => {
    const rib = ribWith(1, { addPath: [1] });
    v4(rib, 1, { localPref: 300 }, '10.1.0.0/24', 1);
    v4(rib, 1, { localPref: 200 }, '10.1.0.0/24', 2);
    expect(rib.adjIn[1]![0]!.count).toBe(2);
    wd(rib, 1, '10.1.0.0/24', 1);
    expect(rib.loc[0]!.count).toBe(1);
    let lp = 0; rib.loc[0]!.forEach((r) => { lp = rib.attrs.get(rib.loc[0]!.attrId(r)).localPref!; });
    expect(lp).toBe(200);
  });
  it('RFC 4724 stale paths: marked, refreshed paths lose the mark, the rest are swept', () => {
    const rib = ribWith(1);
    v4(rib, 1, {}, '10.1.0.0/24'); v4(rib, 1, {}, '10.2.0.0/24');
    expect(rib.markStale(1)).toBe(2);
    v4(rib, 1, {}, '10.1.0.0/24');
    expect(rib.sweepStale(1, 0)).toBe(1);
    expect(rib.loc[0]!.count).toBe(1);
  });
  it('interning: 1,000 routes with one attribute set share it; the set is freed with the last route', () => {
    const rib = ribWith(1);
    const nlri = Array.from({ length: 1000 }, (_, i) => ({ route: { prefix: `10.${i >> 8}.${i & 255}.0/24` } }));
    const b = encodeUpdate({ withdrawn: [], attrs: { origin: 0, asPath: [], nextHop: '192.0.2.1' }, nlri }, { as4: true }, 65535);
    rib.ingestUpdate(1, b, 0, b.length, { as4: true });
    expect(rib.loc[0]!.count).toBe(1000);
    expect(rib.attrs.size).toBe(1);
    const w = encodeUpdate({ withdrawn: nlri, attrs: {}, nlri: [] }, { as4: true }, 65535);
    rib.ingestUpdate(1, w, 0, w.length, { as4: true });
    expect(rib.loc[0]!.count).toBe(0);
    expect(rib.attrs.size).toBe(0);
  });
  it('one-NLRI VPN UPDATEs taking turns among 16 PEs: each route keeps its own next hop, and the sets are shared (the attribute cache)', () => {
    const rib = ribWith(1);
    const vpn = familyIndex('vpnv4');
    const send = (i: number, pe: number, label: number) => {
      const b = encodeUpdate({ withdrawn: [], attrs: { origin: 0, asPath: [], extCommunities: ['rt:65000:100'] }, nlri: [], mpReach: { family: 'vpnv4', nextHop: { nextHop: `198.51.100.${pe}` }, nlri: [{ route: { rd: '65000:1', prefix: `10.0.${i >> 8}.${i & 255}/32`, label } }] } });
      rib.ingestUpdate(1, b, 0, b.length, { as4: true });
    };
    for (let round = 0; round < 3; round++) for (let i = 0; i < 64; i++) send(i, 1 + ((i + round) % 16), 100 + round);
    expect(rib.loc[vpn]!.count).toBe(64);
    expect(rib.attrs.size).toBe(16); // one set per PE: cache hits return the interned set, never a copy
    const t = rib.loc[vpn]!;
    const hops = new Map<string, string>();
    t.forEach((rec) => {
      const r = rib.routeOf(FAMILIES[vpn]!, t, rec) as { prefix: string; label: number };
      expect(r.label).toBe(102);
      hops.set(r.prefix, rib.attrs.get(t.attrId(rec)).nextHop);
    });
    for (let i = 0; i < 64; i++) expect(hops.get(`10.0.0.${i}/32`)).toBe(`198.51.100.${1 + ((i + 2) % 16)}`);
  });
  it('RFC 4760 §6 NLRI of a family that was not negotiated are ignored', () => {
    const rib = ribWith(1);
    const b = encodeUpdate({ withdrawn: [], attrs: { origin: 0, asPath: [] }, nlri: [], mpReach: { family: 'vpnv4', nextHop: { nextHop: '192.0.2.1' }, nlri: [{ route: { rd: '65000:1', prefix: '10.0.0.0/8', label: 5 } }] } });
    const r = rib.ingestUpdate(1, b, 0, b.length, { as4: true, families: FAMILIES.map((f) => f.name === 'ipv4') });
    expect(r.ignored).toBe('vpnv4');
    expect(rib.loc[familyIndex('vpnv4')]!.count).toBe(0);
    const ok = rib.ingestUpdate(1, b, 0, b.length, { as4: true, families: FAMILIES.map(() => true) });
    expect(ok.announced).toBe(1);
  });
});

describe('table sizes without decoding a route (GoBGP GetTable: destinations and paths)', () => {
  it('RFC 7911 ADD-PATH: an Adj-RIB-In counts distinct NLRI as destinations, every path as a path; the Loc-RIB one path per NLRI', () => {
    const rib = ribWith(2, { addPath: [1] });
    v4(rib, 1, {}, '10.1.0.0/24', 1);
    v4(rib, 1, {}, '10.1.0.0/24', 2);
    v4(rib, 1, {}, '10.2.0.0/24', 1);
    v4(rib, 2, {}, '10.3.0.0/24');
    // the view needs the RIB and the neighbors' source indexes only
    const ctx = { rib, peers: new Map([['10.0.0.1', { peer: { sourceIndex: 1 } }], ['10.0.0.2', { peer: { sourceIndex: 2 } }]]) } as unknown as SpeakerContext;
    expect(tableSize(ctx, 'ipv4', { table: 'in', neighbor: '10.0.0.1' })).toEqual({ destinations: 2, paths: 3 });
    expect(tableSize(ctx, 'ipv4', { table: 'in', neighbor: '10.0.0.2' })).toEqual({ destinations: 1, paths: 1 });
    expect(tableSize(ctx, 'ipv4', { table: 'loc' })).toEqual({ destinations: 3, paths: 3 });
    expect(tableSize(ctx, 'vpnv4', { table: 'loc' })).toEqual({ destinations: 0, paths: 0 });
  });
});

describe('RouteTable.reset (the dirty sets emptied after each flush)', () => {
  const kd = (i: number) => new KeyData().set(Uint8Array.of(24, 10, i >> 8, i & 255), new Uint8Array(0));
  const has = (t: RouteTable, i: number) => { const k = kd(i); return t.find(k.buf, 0, k.keyLen, 0) >= 0; };
  it('a table at its initial size is emptied in place and works as new', () => {
    const t = new RouteTable();
    for (let i = 0; i < 5; i++) t.set(kd(i), 0, 1);
    const arena = t.arena;
    t.reset();
    expect(t.arena).toBe(arena); // no new arena per flush
    expect(t.count).toBe(0);
    for (let i = 0; i < 5; i++) expect(has(t, i)).toBe(false);
    let n = 0; t.forEach(() => n++);
    expect(n).toBe(0);
    for (let i = 3; i < 9; i++) expect(t.set(kd(i), 0, 2)).toBe(-1); // new routes, not replacements
    expect(t.count).toBe(6);
    for (let i = 0; i < 12; i++) expect(has(t, i)).toBe(i >= 3 && i < 9);
  });
  it('a table that grew is replaced by a small one (a bulk load does not keep its dirty set)', () => {
    const t = new RouteTable();
    for (let i = 0; i < 500; i++) t.set(kd(i), 0, 1);
    const arena = t.arena;
    t.reset();
    expect(t.arena).not.toBe(arena);
    expect(t.arena.length).toBe(4096);
    expect(t.count).toBe(0);
    expect(has(t, 7)).toBe(false);
    t.set(kd(7), 0, 1);
    expect(has(t, 7)).toBe(true);
  });
});
