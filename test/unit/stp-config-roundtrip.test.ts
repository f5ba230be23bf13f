// The API edits the running config as a raw document (toRawConfig): the
// spanning tree settings must come back unchanged, or an API edit (e.g. a
// port added) would silently turn the spanning tree off on a gateway bridge.
import { describe, expect, it } from 'vitest';

import { toRawConfig } from '../../src/api/convert.js';
import { normalizeConfig } from '../../src/controller/config.js';

describe('spanning tree config written back', () => {
  it('bridges.<name>.stp and ports.<name>.stp round-trip through toRawConfig', () => {
    const c = normalizeConfig({
      bridges: { br0: { stp: { mode: 'stp', priority: 4096, 'hello-time': 1, 'max-age': 10, 'forward-delay': 6 } }, br1: {} },
      ports: {
        gw0: { backend: 'memory', bridge: 'br0', mode: 'access', vlan: 1, stp: { cost: 100, priority: 64, 'root-guard': true } },
        vm0: { backend: 'memory', bridge: 'br0', mode: 'access', vlan: 1, stp: { edge: true, 'bpdu-guard': true } },
        other: { backend: 'memory', bridge: 'br1', mode: 'access', vlan: 1 },
      },
    });
    expect(c.stp).toHaveLength(1);
    const again = normalizeConfig(JSON.parse(JSON.stringify(toRawConfig(c))));
    expect(again.stp).toEqual(c.stp);
  });
});
