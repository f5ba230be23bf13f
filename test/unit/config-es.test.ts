// `bonds.<b>.evpn-es` (src/controller/config-es.ts): ESI type 0, auto (type 1
// from the LACP partner's system ID and key, RFC 7432 §5: derived at run time,
// null here), auto-local (type 1 from the bond's own system ID and key), the
// ES-Import RT (§7.6), the DF election algorithm and timer, errors naming the field.
import { describe, expect, it } from 'vitest';

import { ConfigError, normalizeConfig } from '../../src/controller/config.js';
import { esImportOf, lacpEsi } from '../../src/controller/config-es.js';

const withEs = (es: unknown, lacp: Record<string, unknown> = { 'system-id': '02:aa:bb:cc:dd:01', key: 7 }, bond: Record<string, unknown> = {}) => ({
  bridges: { br0: {} },
  bonds: { bond0: { bridge: 'br0', members: { m1: { backend: 'memory' } }, lacp, 'evpn-es': es, ...bond } },
});
function problems(raw: unknown): { path: string; message: string }[] {
  try { normalizeConfig(raw); } catch (e) { return (e as ConfigError).problems; }
  return [];
}

describe('config: bonds.<b>.evpn-es', () => {
  it('RFC 7432 §5 type 1: auto waits for the partner (no ESI in the config, no system-id needed); auto-local from our own system ID and key', () => {
    expect(normalizeConfig(withEs({ esi: 'auto' })).bonds[0]!.es).toEqual({ esiSource: 'auto', esi: null, dfElection: 'modulo', dfTimerMs: 3000 });
    expect(normalizeConfig(withEs({ esi: 'AUTO' }, {})).bonds[0]!.es).toMatchObject({ esiSource: 'auto', esi: null });
    const b = normalizeConfig(withEs({ esi: 'auto-local' })).bonds[0]!;
    expect(b.es).toEqual({ esiSource: 'auto-local', esi: '01:02:aa:bb:cc:dd:01:00:07:00', dfElection: 'modulo', dfTimerMs: 3000 });
    expect(esImportOf(b.es!.esi!)).toBe('02:aa:bb:cc:dd:01');
    expect(lacpEsi('02:00:00:00:00:01', 0x1234)).toBe('01:02:00:00:00:00:01:12:34:00');
    expect(lacpEsi('00:11:22:33:44:55', 32768)).toBe('01:00:11:22:33:44:55:80:00:00'); // OVS-style system ID and key
  });

  it('type 0 as written, HRW and a short timer', () => {
    const b = normalizeConfig(withEs({ esi: '00:11:22:33:44:55:66:77:88:99', 'df-election': 'hrw', 'df-timer': 0.2 })).bonds[0]!;
    expect(b.es).toMatchObject({ esi: '00:11:22:33:44:55:66:77:88:99', esiSource: 'configured', dfElection: 'hrw', dfTimerMs: 200 });
    expect(esImportOf('00:11:22:33:44:55:66:77:88:99')).toBe('11:22:33:44:55:66');
    expect(normalizeConfig(withEs(undefined)).bonds[0]!.es).toBeNull();
  });

  it('errors name the field', () => {
    expect(problems(withEs({ esi: 'auto-local' }, {}))).toEqual([{ path: 'bonds.bond0.lacp.system-id', message: "esi: auto-local needs an explicit LACP system ID, the same on every hypervisor of the segment (or use esi: auto, from the partner's)" }]);
    expect(problems(withEs({ esi: 'auto' }, {}))).toEqual([]);
    expect(problems(withEs({ esi: 'automatic' }))).toEqual([{ path: 'bonds.bond0.evpn-es.esi', message: "must be 'auto', 'auto-local' or 10 colon-separated hex octets (00:11:22:33:44:55:66:77:88:99)" }]);
    expect(problems(withEs({ esi: '00:11' }))[0]).toMatchObject({ path: 'bonds.bond0.evpn-es.esi' });
    expect(problems(withEs({ esi: '03:11:22:33:44:55:66:77:88:99' }))[0]).toMatchObject({ path: 'bonds.bond0.evpn-es.esi', message: expect.stringContaining('type 3') });
    expect(problems(withEs({ esi: '00:00:00:00:00:00:00:00:00:00' }))[0]).toMatchObject({ path: 'bonds.bond0.evpn-es.esi', message: expect.stringContaining('reserved') });
    expect(problems(withEs({ esi: '00:ff:ff:ff:ff:ff:ff:ff:ff:ff' }))[0]).toMatchObject({ path: 'bonds.bond0.evpn-es.esi', message: expect.stringContaining('reserved') });
    expect(problems(withEs({ esi: 'auto', 'df-election': 'preference' }))[0]).toMatchObject({ path: 'bonds.bond0.evpn-es.df-election' });
    expect(problems(withEs({ esi: 'auto', 'df-timer': -1 }))[0]).toMatchObject({ path: 'bonds.bond0.evpn-es.df-timer' });
    expect(problems(withEs({ esi: 'auto' }, undefined, { bridge: undefined }))[0]).toMatchObject({ path: 'bonds.bond0.evpn-es' });
    const two = withEs({ esi: 'auto-local' }) as { bonds: Record<string, unknown> };
    two.bonds.bond1 = { bridge: 'br0', members: { m2: { backend: 'memory' } }, lacp: { 'system-id': '02:aa:bb:cc:dd:01', key: 7 }, 'evpn-es': { esi: 'auto-local' } };
    expect(problems(two)).toEqual([{ path: 'bonds.bond1.evpn-es.esi', message: 'ESI 01:02:aa:bb:cc:dd:01:00:07:00 is already the segment of bond bond0' }]);
    // two auto segments: their ESIs are the partners', known at run time (es.ts refuses a duplicate there)
    const autos = withEs({ esi: 'auto' }) as { bonds: Record<string, unknown> };
    autos.bonds.bond1 = { bridge: 'br0', members: { m2: { backend: 'memory' } }, 'evpn-es': { esi: 'auto' } };
    expect(problems(autos)).toEqual([]);
  });
});
