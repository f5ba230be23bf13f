// The EVPN instance's remote MAC table (src/vpn/remote-macs.ts): compact
// single advertisements, the side map for several, installed entries, and
// slots released and reused, checked against a plain Map model under random
// operations.
import { describe, expect, it } from 'vitest';

import type { PathAttrs } from '../../src/bgp/index.js';
import { RemoteMacTable, type RemoteMac } from '../../src/vpn/remote-macs.js';

const attrsA: PathAttrs = { nextHop: '10.0.0.1' } as PathAttrs;
const attrsB: PathAttrs = { nextHop: '10.0.0.2' } as PathAttrs;
const mac = (i: number) => `02:${[i >>> 24, (i >>> 16) & 255, (i >>> 8) & 255, i & 255, 0xab].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
const adv = (rd: string, vtep: string, ip: string | null = null, attrs = attrsA, vni = 100): RemoteMac => ({ rd, ip, vtep, vni, attrs });

describe('RemoteMacTable', () => {
  it('keeps a single advertisement compact and gives it back as it was filed', () => {
    const t = new RemoteMacTable();
    t.addCandidate('02:00:00:00:00:01', adv('10.0.0.1:1', '10.0.0.1'));
    expect(t.candidates('02:00:00:00:00:01')).toEqual([adv('10.0.0.1:1', '10.0.0.1')]);
    expect(t.candidates('02:00:00:00:00:02')).toEqual([]);
    expect(t.candidates('02:00:00:00:00:01')[0]!.attrs).toBe(attrsA); // the same attribute set object
    expect(t.dropCandidate('02:00:00:00:00:01', '10.0.0.9:1', null)).toBe(false);
    expect(t.dropCandidate('02:00:00:00:00:01', '10.0.0.1:1', '192.0.2.1')).toBe(false);
    expect(t.dropCandidate('02:00:00:00:00:01', '10.0.0.1:1', null)).toBe(true);
    expect(t.size).toBe(0);
  });

  it('a moving MAC has two advertisements, a MAC/IP route another; dropping back to one', () => {
    const t = new RemoteMacTable();
    const m = '02:00:00:00:00:0A';
    t.addCandidate(m, adv('a:1', '10.0.0.1'));
    t.addCandidate(m, adv('b:1', '10.0.0.2', null, attrsB));
    t.addCandidate(m, adv('b:1', '10.0.0.2', '192.0.2.7', attrsB));
    expect(t.candidates(m).map((c) => `${c.rd}/${c.ip}`).sort()).toEqual(['a:1/null', 'b:1/192.0.2.7', 'b:1/null']);
    expect(t.dropCandidate(m, 'a:1', null)).toBe(true);
    expect(t.dropCandidate(m, 'b:1', '192.0.2.7')).toBe(true);
    expect(t.candidates(m)).toEqual([adv('b:1', '10.0.0.2', null, attrsB)]);
    expect(t.dropCandidate(m, 'b:1', null)).toBe(true);
    expect(t.size).toBe(0);
  });

  it('an installed entry keeps its MAC until deleted, and lists with its MAC in lower case', () => {
    const t = new RemoteMacTable();
    t.addCandidate('02:00:00:00:00:0b', adv('a:1', '10.0.0.1'));
    t.setInstalled('02:00:00:00:00:0b', { vtep: '10.0.0.1', vni: 100 });
    expect(t.dropCandidate('02:00:00:00:00:0b', 'a:1', null)).toBe(true);
    expect(t.installed('02:00:00:00:00:0b')).toEqual({ vtep: '10.0.0.1', vni: 100 });
    expect([...t.installedEntries()]).toEqual([['02:00:00:00:00:0b', { vtep: '10.0.0.1', vni: 100 }]]);
    expect(t.installedCount).toBe(1);
    t.setInstalled('02:00:00:00:00:0b', { vtep: '10.0.0.2', vni: 200 });
    expect(t.installedCount).toBe(1);
    t.deleteInstalled('02:00:00:00:00:0b');
    expect(t.installed('02:00:00:00:00:0b')).toBeUndefined();
    expect(t.size).toBe(0);
  });

  it('installs a sole advertisement by slot, its VTEP still known once the advertisement is gone', () => {
    const t = new RemoteMacTable();
    const m = '02:00:00:00:00:0c';
    t.add(m, 'a:1', null, '10.0.0.1', 100, attrsA);
    const i = t.sole(m);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(t.soleIsInstalled(i)).toBe(false);
    t.installSole(i);
    t.installSole(i); // again: the same entry, one reference
    expect(t.installedCount).toBe(1);
    expect(t.dropCandidate(m, 'a:1', null)).toBe(true);
    expect(t.installed(m)).toEqual({ vtep: '10.0.0.1', vni: 100 });
    t.add(m, 'b:1', '192.0.2.1', '10.0.0.2', 100, attrsB);
    expect(t.sole(m)).toBe(-1); // an advertisement with an IP is not the fast path's
    t.deleteInstalled(m);
    expect(t.dropCandidate(m, 'b:1', '192.0.2.1')).toBe(true);
    expect(t.size).toBe(0);
  });

  it('refuses a malformed MAC by name', () => {
    const t = new RemoteMacTable();
    expect(() => t.addCandidate('02:00:00:00:00', adv('a:1', '10.0.0.1'))).toThrow(/bad MAC address/);
    expect(() => t.addCandidate('02:00:00:00:00:zz', adv('a:1', '10.0.0.1'))).toThrow(/bad MAC address/);
  });

  it('agrees with a Map model through growth, tombstones and reuse (random operations)', () => {
    const t = new RemoteMacTable();
    const model = new Map<string, { cands: RemoteMac[]; inst?: { vtep: string; vni: number } }>();
    let seed = 12345;
    const rnd = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
    const rds = ['a:1', 'b:1', 'c:1'], ips = [null, null, '192.0.2.1'];
    for (let step = 0; step < 40_000; step++) {
      const m = mac(rnd(3000));
      const e = model.get(m) ?? { cands: [] };
      const op = rnd(6);
      if (op <= 1) {
        const rd = rds[rnd(3)]!, ip = ips[rnd(3)]!;
        if (e.cands.some((c) => c.rd === rd && c.ip === ip)) continue;
        const a = adv(rd, `10.0.0.${rnd(4)}`, ip, rnd(2) ? attrsA : attrsB, 100 + rnd(3));
        t.addCandidate(m, a); e.cands.push(a);
      } else if (op === 2) {
        const c = e.cands[rnd(Math.max(1, e.cands.length))];
        const rd = c?.rd ?? 'a:1', ip = c?.ip ?? null;
        const had = e.cands.findIndex((x) => x.rd === rd && x.ip === ip);
        expect(t.dropCandidate(m, rd, ip)).toBe(had >= 0);
        if (had >= 0) e.cands.splice(had, 1);
      } else if (op === 3) {
        const to = { vtep: `10.0.1.${rnd(4)}`, vni: rnd(5) };
        t.setInstalled(m, to); e.inst = to;
      } else if (op === 4) {
        t.deleteInstalled(m); delete e.inst;
      } else {
        // the settle fast path: a MAC with one advertisement (no IP) installed where it points
        const i = t.sole(m);
        const one = e.cands.length === 1 && e.cands[0]!.ip === null ? e.cands[0]! : null;
        expect(i >= 0).toBe(one !== null);
        if (one) {
          expect([t.soleVtep(i), t.soleVni(i)]).toEqual([one.vtep, one.vni]);
          expect(t.soleIsInstalled(i)).toBe(e.inst?.vtep === one.vtep && e.inst.vni === one.vni);
          expect(t.installedVtepAt(i)).toBe(e.inst?.vtep ?? null);
          if (e.inst) expect(t.installedVniAt(i)).toBe(e.inst.vni);
          t.installSole(i); e.inst = { vtep: one.vtep, vni: one.vni };
        }
      }
      if (e.cands.length || e.inst) model.set(m, e); else model.delete(m);
    }
    expect(t.size).toBe(model.size);
    for (const [m, e] of model) {
      const key = (c: RemoteMac) => `${c.rd}/${c.ip}/${c.vtep}/${c.vni}/${c.attrs.nextHop}`;
      expect(t.candidates(m).map(key).sort()).toEqual(e.cands.map(key).sort());
      expect(t.installed(m)).toEqual(e.inst);
    }
    expect(t.installedCount).toBe([...model.values()].filter((e) => e.inst).length);
    expect(new Map(t.installedEntries())).toEqual(new Map([...model].filter(([, e]) => e.inst).map(([m, e]) => [m, e.inst])));
  });
});
