/**
 * Model-based property tests: the arena RouteTable against a Map, and the
 * RIB's Loc-RIB against a straightforward best-path model, over random
 * sequences of announcements and withdrawals (growth, tombstones, in-place
 * replacement, append + compaction all exercised).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RouteTable } from '../../../src/bgp/rib/route-table.js';
import { KeyData } from '../../../src/bgp/codec/nlri/types.js';
import { Rib } from '../../../src/bgp/rib/rib.js';
import { FAMILIES } from '../../../src/bgp/codec/family.js';
import { encodeUpdate } from '../../../src/bgp/codec/message/update.js';
import { BgpDecodeError } from '../../../src/bgp/codec/errors.js';

describe('RouteTable behaves like a Map', () => {
  it('random set/delete with variable key and data lengths', () => {
    const op = fc.record({
      del: fc.boolean(), key: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 12 })), pathId: fc.integer({ min: 0, max: 2 }),
      dataLen: fc.integer({ min: 0, max: 40 }), attr: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(fc.property(fc.array(op, { minLength: 300, maxLength: 3000 }), (ops) => {
      const t = new RouteTable();
      const model = new Map<string, { attr: number; data: string }>();
      const kd = new KeyData();
      for (const o of ops) {
        const keyLen = 1 + (o.key % 17);
        for (let i = 0; i < keyLen; i++) kd.buf[i] = (o.key * 31 + i) & 255;
        kd.keyLen = keyLen;
        const mk = `${kd.buf.subarray(0, keyLen).toString('hex')}/${o.pathId}`;
        if (o.del) {
          const prev = t.delete(kd.buf, 0, keyLen, o.pathId);
          expect(prev).toBe(model.get(mk)?.attr ?? -1);
          model.delete(mk);
        } else {
          for (let i = 0; i < o.dataLen; i++) kd.buf[KeyData.DATA + i] = (o.attr + i) & 255;
          kd.dataLen = o.dataLen;
          t.set(kd, o.pathId, o.attr);
          model.set(mk, { attr: o.attr, data: kd.data.toString('hex') });
        }
      }
      expect(t.count).toBe(model.size);
      const seen = new Map<string, { attr: number; data: string }>();
      t.forEach((rec) => {
        const k = Buffer.from(t.arena.subarray(t.keyOff(rec), t.keyOff(rec) + t.keyLen(rec))).toString('hex');
        seen.set(`${k}/${t.pathId(rec)}`, { attr: t.attrId(rec), data: Buffer.from(t.arena.subarray(t.dataOff(rec), t.dataOff(rec) + t.dataLen(rec))).toString('hex') });
      });
      expect(seen).toEqual(model);
    }), { numRuns: 200 });
  });
});

describe('Loc-RIB matches a best-path model (RFC 4271 §9.1.2.2: LOCAL_PREF, then lowest router ID)', () => {
  it('random announcements and withdrawals from three peers', () => {
    const op = fc.record({ src: fc.integer({ min: 1, max: 3 }), prefix: fc.integer({ min: 0, max: 40 }), lp: fc.option(fc.integer({ min: 50, max: 60 }), { nil: undefined }), labels: fc.integer({ min: 1, max: 2 }) });
    fc.assert(fc.property(fc.array(op, { minLength: 50, maxLength: 400 }), (ops) => {
      const rib = new Rib(65000, '10.0.0.100', '10.0.0.100');
      for (let i = 1; i <= 3; i++) rib.addSource({ index: i, name: `p${i}`, ebgp: false, routerId: (10 << 24) | i, addressKey: `p${i}`, addPath: FAMILIES.map(() => false) });
      const model = new Map<number, Map<number, number>>(); // prefix → src → localPref
      const evpn = FAMILIES.find((f) => f.name === 'evpn')!;
      for (const o of ops) {
        const route = { type: 2 as const, rd: '65000:1', esi: '0', ethernetTag: 0, mac: `02:00:00:00:00:${o.prefix.toString(16).padStart(2, '0')}`, ip: null, labels: o.labels === 1 ? [100] : [100, 200] };
        const m = o.lp === undefined
          ? { withdrawn: [], attrs: {}, nlri: [], mpUnreach: { family: 'evpn' as const, withdrawn: [{ route }] } }
          : { withdrawn: [], attrs: { origin: 0, asPath: [], localPref: o.lp }, nlri: [], mpReach: { family: 'evpn' as const, nextHop: { nextHop: '192.0.2.1' }, nlri: [{ route }] } };
        const b = encodeUpdate(m);
        rib.ingestUpdate(o.src, b, 0, b.length, { as4: true });
        const per = model.get(o.prefix) ?? new Map<number, number>();
        if (o.lp === undefined) per.delete(o.src); else per.set(o.src, o.lp);
        model.set(o.prefix, per);
      }
      const check = () => {
        const loc = rib.loc[evpn.id]!;
        const want = new Map<string, number>();
        for (const [p, per] of model) {
          let best = -1, bestLp = -1;
          for (const [src, lp] of [...per].sort((a, b) => a[0] - b[0])) if (lp > bestLp) { best = src; bestLp = lp; }
          if (best > 0) want.set(`02:00:00:00:00:${p.toString(16).padStart(2, '0')}`, best);
        }
        const got = new Map<string, number>();
        loc.forEach((rec) => { got.set((rib.routeOf(evpn, loc, rec) as { mac: string }).mac, rib.bestSource(evpn.id, rec)); });
        expect(got).toEqual(want);
        let routes = 0;
        for (const per of model.values()) routes += per.size;
        expect(rib.adjIn.slice(1).reduce((n, t) => n + t[evpn.id]!.count, 0)).toBe(routes);
      };
      check();
      // session down without GR for peer 2; then peer 1's routes go stale and are swept
      rib.dropAll(2, evpn.id);
      for (const per of model.values()) per.delete(2);
      check();
      rib.markStale(1, evpn.id);
      rib.sweepStale(1, evpn.id);
      for (const per of model.values()) per.delete(1);
      check();
    }), { numRuns: 150 });
  });

  it('random UPDATE bytes into the ingest path: a result or BgpDecodeError, never another exception', () => {
    const rib = new Rib(65000, '10.0.0.100', '10.0.0.100');
    rib.addSource({ index: 1, name: 'p', ebgp: false, routerId: 1, addressKey: 'p', addPath: FAMILIES.map(() => false) });
    const attr = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.constantFrom(1, 2, 3, 4, 5, 8, 9, 10, 14, 15, 16, 22, 32), fc.uint8Array({ maxLength: 40 }))
      .map(([flags, code, v]) => Buffer.concat([Buffer.from([flags & 0xef, code, v.length]), v]));
    const mp = fc.tuple(fc.constantFrom(...FAMILIES), fc.uint8Array({ maxLength: 60 }), fc.boolean()).map(([f, body, reach]) => {
      const v = reach ? Buffer.concat([Buffer.from([0, f.afi, f.safi, 4, 192, 0, 2, 1, 0]), body]) : Buffer.concat([Buffer.from([0, f.afi, f.safi]), body]);
      return Buffer.concat([Buffer.from([0x90, reach ? 14 : 15, v.length >> 8, v.length & 255]), v]);
    });
    fc.assert(fc.property(fc.array(fc.oneof(attr, mp), { maxLength: 5 }), fc.uint8Array({ maxLength: 20 }), fc.uint8Array({ maxLength: 12 }), (attrs, nlri, wd) => {
      const a = Buffer.concat(attrs);
      const body = Buffer.concat([Buffer.from([0, wd.length]), wd, Buffer.from([a.length >> 8, a.length & 255]), a, nlri]);
      const b = Buffer.concat([Buffer.alloc(16, 0xff), Buffer.from([0, 0, 2]), body]);
      b.writeUInt16BE(b.length, 16);
      try { rib.ingestUpdate(1, b, 0, b.length, { as4: true }); } catch (e) { if (!(e instanceof BgpDecodeError)) throw e; }
    }), { numRuns: 5000 });
  });
});
