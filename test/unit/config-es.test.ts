// `bonds.<b>.evpn-es` (src/controller/config-es.ts): ESI type 0 and auto (type 1
// from the LACP system ID and key, RFC 7432 §5), the ES-Import RT (§7.6), the
// DF election algorithm and timer, errors naming the field.
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
  it('RFC 7432 §5 type 1: auto ESI from the LACP system ID and key, ES-Import RT from its high octets', () => {
    const b = normalizeConfig(withEs({ esi: 'auto' })).bonds[0]!;
    expect(b.es).toEqual({ esi: '01:02:aa:bb:cc:dd:01:00:07:00', esiType: 1, esImport: '02:aa:bb:cc:dd:01', dfElection: 'modulo', dfTimerMs: 3000 });
    expect(lacpEsi('02:00:00:00:00:01', 0x1234)).toBe('01:02:00:00:00:00:01:12:34:00');
  });

  it('type 0 as written, HRW and a short timer', () => {
    const b = normalizeConfig(withEs({ esi: '00:11:22:33:44:55:66:77:88:99', 'df-election': 'hrw', 'df-timer': 0.2 })).bonds[0]!;
    expect(b.es).toMatchObject({ esi: '00:11:22:33:44:55:66:77:88:99', esiType: 0, esImport: '11:22:33:44:55:66', dfElection: 'hrw', dfTimerMs: 200 });
    expect(esImportOf('00:11:22:33:44:55:66:77:88:99')).toBe('11:22:33:44:55:66');
    expect(normalizeConfig(withEs(undefined)).bonds[0]!.es).toBeNull();
  });

  it('errors name the field', () => {
    expect(problems(withEs({ esi: 'auto' }, {}))).toEqual([{ path: 'bonds.bond0.lacp.system-id', message: 'esi: auto needs an explicit LACP system ID, the same on every hypervisor of the segment' }]);
    expect(problems(withEs({ esi: '00:11' }))[0]).toMatchObject({ path: 'bonds.bond0.evpn-es.esi' });
    expect(problems(withEs({ esi: '03:11:22:33:44:55:66:77:88:99' }))[0]).toMatchObject({ path: 'bonds.bond0.evpn-es.esi', message: expect.stringContaining('type 3') });
    expect(problems(withEs({ esi: '00:00:00:00:00:00:00:00:00:00' }))[0]).toMatchObject({ path: 'bonds.bond0.evpn-es.esi', message: expect.stringContaining('reserved') });
    expect(problems(withEs({ esi: 'auto', 'df-election': 'preference' }))[0]).toMatchObject({ path: 'bonds.bond0.evpn-es.df-election' });
    expect(problems(withEs({ esi: 'auto', 'df-timer': -1 }))[0]).toMatchObject({ path: 'bonds.bond0.evpn-es.df-timer' });
    expect(problems(withEs({ esi: 'auto' }, undefined, { bridge: undefined }))[0]).toMatchObject({ path: 'bonds.bond0.evpn-es' });
    const two = withEs({ esi: 'auto' }) as { bonds: Record<string, unknown> };
    two.bonds.bond1 = { bridge: 'br0', members: { m2: { backend: 'memory' } }, lacp: { 'system-id': '02:aa:bb:cc:dd:01', key: 7 }, 'evpn-es': { esi: 'auto' } };
    expect(problems(two)).toEqual([{ path: 'bonds.bond1.evpn-es.esi', message: 'ESI 01:02:aa:bb:cc:dd:01:00:07:00 is already the segment of bond bond0' }]);
  });
});
