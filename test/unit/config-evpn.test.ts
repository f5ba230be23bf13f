// The EVPN part of the config (src/controller/config.ts normalizeEvpn): the
// defaults an instance gets (RD router-id:(VNI & 0xffff), type 1; route
// targets AS:VNI as FRR derives them; duplicate MAC detection 5 moves in
// 180 s, frozen 180 s) and every problem it refuses (its own checks and the
// schema's), each naming its field.
import { describe, expect, it } from 'vitest';

import { normalizeConfig } from '../../src/controller/index.js';
import { problems } from './config-problems.js';

const BGP = { bgp: { global: { as: 65000, 'router-id': '192.0.2.1' }, neighbors: [] } };
const VTEP = { vtep: { address: '192.0.2.1' } };

/** A config with bridge br0's EVPN instances `evis`. */
const withEvpn = (...evis: object[]) => ({ ...BGP, ...VTEP, bridges: { br0: { evpn: evis } } });

describe('EVPN instance config: RFC 7432 §15.1 duplicate MAC detection (dup-addr-detection)', () => {
  it('defaults to FRR\'s 5 moves in 180 s, frozen for the window', () => {
    expect(normalizeConfig(withEvpn({ vni: 10010 })).evpn[0]!.dupDetection).toEqual({ maxMoves: 5, windowSeconds: 180, freezeSeconds: 180 });
  });

  it('takes max-moves, time and freeze; freeze defaults to time', () => {
    const c = normalizeConfig(withEvpn({ vni: 10010, 'dup-addr-detection': { 'max-moves': 3, time: 60 } }, { vlan: 2, vni: 10011, 'dup-addr-detection': { freeze: 600 } }));
    expect(c.evpn.map((e) => e.dupDetection)).toEqual([
      { maxMoves: 3, windowSeconds: 60, freezeSeconds: 60 },
      { maxMoves: 5, windowSeconds: 180, freezeSeconds: 600 },
    ]);
  });

  it.each([
    [{ 'max-moves': 1 }, 'max-moves', 'must be >= 2'],
    [{ 'max-moves': 1001 }, 'max-moves', 'must be <= 1000'],
    [{ time: 1 }, 'time', 'must be >= 2'],
    [{ time: 1801 }, 'time', 'must be <= 1800'],
    [{ freeze: 29 }, 'freeze', 'must be >= 30'],
    [{ freeze: 3601 }, 'freeze', 'must be <= 3600'],
    [{ freeze: 'permanent' }, 'freeze', 'must be integer'],
    [{ window: 10 }, 'window', 'unknown field'],
  ])('%j is refused at bridges.br0.evpn.0.dup-addr-detection.%s', (dad, field, message) => {
    const p = problems(withEvpn({ vni: 10010, 'dup-addr-detection': dad }));
    const hit = p.find((x) => x.path === `bridges.br0.evpn.0.dup-addr-detection.${field}`);
    expect(hit, JSON.stringify(p)).toBeDefined();
    expect(hit!.message).toContain(message);
  });
});

describe('EVPN instance config: defaults', () => {
  it('RD router-id:(VNI & 0xffff) (type 1), route targets AS:VNI both ways, VLAN 1 (as FRR derives them)', () => {
    const c = normalizeConfig(withEvpn({ vni: 10010 }, { vlan: 20, vni: 70000 }));
    expect(c.evpn).toEqual([
      { bridge: 'br0', vlan: 1, vni: 10010, rd: '192.0.2.1:10010', importRts: ['rt:65000:10010'], exportRts: ['rt:65000:10010'], dupDetection: expect.any(Object) },
      { bridge: 'br0', vlan: 20, vni: 70000, rd: `192.0.2.1:${70000 & 0xffff}`, importRts: ['rt:65000:70000'], exportRts: ['rt:65000:70000'], dupDetection: expect.any(Object) },
    ]);
    expect(c.vtep).toEqual({ address: '192.0.2.1', af: 4, port: 4789, mtu: 1500 });
  });

  it('route-targets sets both directions; import- and export-route-targets each override one; the text is canonical', () => {
    const c = normalizeConfig(withEvpn(
      { vni: 10010, rd: '10.0.0.1:7', 'route-targets': ['65001:1'] },
      { vlan: 2, vni: 10011, 'route-targets': ['65001:2'], 'import-route-targets': ['rt:10.0.0.9:3', '65001:4'] },
      { vlan: 3, vni: 10012, 'export-route-targets': ['65001:5'] },
    ));
    expect(c.evpn.map((e) => [e.rd, e.importRts, e.exportRts])).toEqual([
      ['10.0.0.1:7', ['rt:65001:1'], ['rt:65001:1']],
      ['192.0.2.1:10011', ['rt:10.0.0.9:3', 'rt:65001:4'], ['rt:65001:2']],
      ['192.0.2.1:10012', ['rt:65000:10012'], ['rt:65001:5']],
    ]);
  });
});

describe('EVPN instance config: every problem names its field', () => {
  it.each([
    ['two instances on one VLAN of a bridge', withEvpn({ vlan: 10, vni: 1 }, { vlan: 10, vni: 2 }), 'bridges.br0.evpn.1.vlan', 'VLAN 10 of bridge br0 has two EVPN instances'],
    ['one VNI on two bridges', { ...BGP, ...VTEP, bridges: { br0: { evpn: [{ vni: 7 }] }, br1: { evpn: [{ vni: 7 }] } } }, 'bridges.br1.evpn.0.vni', 'VNI 7 is also used by bridges.br0.evpn.0'],
    ['one RD twice', withEvpn({ vlan: 1, vni: 1, rd: '10.0.0.1:1' }, { vlan: 2, vni: 2, rd: '10.0.0.1:1' }), 'bridges.br0.evpn.1.rd', 'RD 10.0.0.1:1 is also used by bridges.br0.evpn.0'],
    ['two default RDs that collide (VNIs equal in their low 16 bits)', withEvpn({ vlan: 1, vni: 1 }, { vlan: 2, vni: 65537 }), 'bridges.br0.evpn.1.rd', 'RD 192.0.2.1:1 is also used by bridges.br0.evpn.0 (set rd)'],
    ['a bad route target', withEvpn({ vni: 1, 'route-targets': ['65000:1', 'soo:65000:1'] }), 'bridges.br0.evpn.0.route-targets.1', "'soo:65000:1' is not a route target (ASN:N or IPv4:N)"],
    ['a bad import route target', withEvpn({ vni: 1, 'import-route-targets': ['nonsense'] }), 'bridges.br0.evpn.0.import-route-targets.0', "'nonsense' is not a route target"],
    ['a bad export route target', withEvpn({ vni: 1, 'export-route-targets': ['1.2.3:4'] }), 'bridges.br0.evpn.0.export-route-targets.0', "'1.2.3:4' is not a route target"],
    ['no vtep', { ...BGP, bridges: { br0: { evpn: [{ vni: 1 }] } } }, 'bridges.br0.evpn.0', 'an EVPN instance needs the local VTEP: set vtep.address'],
    ['no bgp', { ...VTEP, bridges: { br0: { evpn: [{ vni: 1 }] } } }, 'bridges.br0.evpn.0', 'an EVPN instance needs the BGP speaker: set bgp.global.as and router-id'],
    ['a vtep address that is not an IP', { ...BGP, vtep: { address: '192.0.2' }, bridges: {} }, 'vtep.address', "'192.0.2' is not an IP address"],
    ['a VNI beyond 24 bits', withEvpn({ vni: 1 << 24 }), 'bridges.br0.evpn.0.vni', 'must be <= 16777215'],
    ['VNI 0', withEvpn({ vni: 0 }), 'bridges.br0.evpn.0.vni', 'must be >= 1'],
    ['no VNI', withEvpn({ vlan: 5 }), 'bridges.br0.evpn.0.vni', 'is required'],
    ['VLAN 4095', withEvpn({ vlan: 4095, vni: 1 }), 'bridges.br0.evpn.0.vlan', 'must be <= 4094'],
    ['a route target listed twice', withEvpn({ vni: 1, 'route-targets': ['65000:1', '65000:1'] }), 'bridges.br0.evpn.0.route-targets', 'duplicate'],
    ['an unknown field', withEvpn({ vni: 1, l2vni: 1 }), 'bridges.br0.evpn.0.l2vni', 'unknown field'],
  ].map(([what, raw, path, message]) => [what, path, message, raw] as const))('%s is refused at %s: %s', (_what, path, message, raw) => {
    const p = problems(raw);
    const hit = p.find((x) => x.path === path);
    expect(hit, JSON.stringify(p)).toBeDefined();
    expect(hit!.message).toContain(message);
  });
});
