import { describe, expect, it } from 'vitest';

import { loadProto } from '../../../src/api/proto.js';
import { FAMILIES, familyByAfiSafi, familyByName } from '../../../src/bgp/codec/family.js';

describe('address family table', () => {
  it('each row names its proto BgpFamily value, numbered by its position (drift fails here)', () => {
    const { packageDefinition } = loadProto();
    const e = packageDefinition['hvswitch.v1.BgpFamily'] as unknown as { type: { value: { name: string; number: number }[] } };
    const values = e.type.value.filter((v) => v.number !== 0).map((v) => [v.name, v.number]);
    expect(values).toEqual(FAMILIES.map((f) => [f.proto, f.id + 1]));
  });

  it('a row is found by its CLI word, its long name and its AFI/SAFI', () => {
    for (const f of FAMILIES) {
      expect(familyByName(f.name)).toBe(f);
      expect(familyByName(f.afiSafiName)).toBe(f);
      expect(familyByAfiSafi(f.afi, f.safi)).toBe(f);
    }
  });
});
