// The core's enums and limits reach TypeScript through the addon
// (native/addon/constants.cc), never as copies: these tests fail when a
// TypeScript name table and its C enum disagree (an enumerator added in C and
// not named here, a name here the C enum lacks), or when a limit the wrappers
// use is not the header's.
import { describe, expect, it } from 'vitest';

import { CEnum, cEnums, constants, limits } from '../../src/dataplane/constants.js';
import '../../src/dataplane/index.js'; // builds every wrapper's table
import { BACKEND_KIND, MODE } from '../../src/dataplane/ports.js';
import { ECMP_MAX, MAX_NH, NH_KIND } from '../../src/dataplane/routing.js';
import { NEIGH_STATE } from '../../src/dataplane/vrfs.js';
import { EV_KIND } from '../../src/dataplane/events.js';

describe('C enums and limits from the addon', () => {
  it('every exported C enum has a TypeScript table, and every table names each enumerator once', () => {
    const used = new Set(cEnums.map((e) => e.enumName));
    expect([...used].sort()).toEqual(Object.keys(constants.enums).sort());
    for (const e of cEnums) {
      expect(e.unmapped(), `enum hv_${e.enumName}: C enumerators without a TypeScript name`).toEqual([]);
      const values = Object.values(e.value);
      expect(new Set(values).size, `enum hv_${e.enumName}: two names for one value`).toBe(values.length);
      for (const [name, v] of Object.entries(e.value)) expect(e.name(v)).toBe(name);
    }
  });

  it('a table naming an enumerator the C enum lacks fails at load', () => {
    expect(() => new CEnum('port_mode', { access: 'ACCESS', bogus: 'BOGUS' })).toThrow('enum hv_port_mode has no BOGUS');
  });

  it('the tables carry the C values (the ABI the addon passes through)', () => {
    // Spot checks against the headers' numbers: a renumbering in C moves
    // these with it, so they only guard against the mapping going wrong.
    expect(MODE.value.access).toBe(constants.enums.port_mode.ACCESS);
    expect(BACKEND_KIND.value['af-packet']).toBe(constants.enums.port_kind.AFPACKET);
    expect(EV_KIND.name(constants.enums.event_kind.RING_OVERFLOW)).toBe('overflow');
    expect(NH_KIND.value.ecmp).toBe(constants.enums.nh_kind.ECMP);
    expect(NEIGH_STATE.name(constants.enums.neigh_state.PERMANENT)).toBe('permanent');
  });

  it('limits are the headers\' (hv.h, core.h, l3.h, fdb.h, egress.h)', () => {
    expect(limits).toMatchObject({ HV_MAX_PORTS: 256, HV_MAX_BDS: 256, HV_MAX_VRFS: 256, HV_VLAN_MAX: 4094, HV_NO_BD: 0xffff, HV_FDB_NO_PORT: 0xffff });
    expect(MAX_NH).toBe(limits.HV_MAX_NH);
    expect(ECMP_MAX).toBe(limits.HV_ECMP_MAX);
    for (const [k, v] of Object.entries(limits)) expect(Number.isInteger(v) && v > 0, k).toBe(true);
  });
});
