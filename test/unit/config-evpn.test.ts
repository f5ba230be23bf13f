// The EVPN part of the config (src/controller/config.ts normalizeEvpn): the
// defaults an instance gets (RD router-id:(VNI & 0xffff), type 1; route
// targets AS:VNI as FRR derives them; duplicate MAC detection 5 moves in
// 180 s, frozen 180 s) and every problem it refuses, each naming its field.
import { describe, expect, it } from 'vitest';

import { ConfigError, normalizeConfig } from '../../src/controller/index.js';

const BGP = { bgp: { global: { as: 65000, 'router-id': '192.0.2.1' }, neighbors: [] } };
const VTEP = { vtep: { address: '192.0.2.1' } };

function problems(raw: unknown): { path: string; message: string }[] {
  try {
    normalizeConfig(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('config was accepted');
}

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
