// The contract and its shapes: the committed TypeScript types are what
// src/api/gen.sh makes of proto/ today; every enum starts with *_UNSPECIFIED = 0;
// the running config converts to the raw document the validator takes and
// back without change (the API edits that document, so a field lost here
// would be silently reset by any API change).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { portMessage, portToRaw, toRawConfig } from '../../src/api/convert.js';
import { loadProto } from '../../src/api/proto.js';
import { BUILTIN_DEFAULT, normalizeConfig } from '../../src/controller/index.js';
import { packageRoot } from '../../src/util/root.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

describe('proto contract', () => {
  it('src/api/gen/ is up to date with proto/ (run src/api/gen.sh after editing a .proto)', () => {
    const root = packageRoot();
    const out = mkdtempSync(join(tmpdir(), 'hvgen-'));
    try {
      execFileSync('bash', [join(root, 'src/api/gen.sh'), join(out, 'gen')]);
      const fresh = files(join(out, 'gen')).map((f) => relative(join(out, 'gen'), f)).sort();
      const committed = files(join(root, 'src/api/gen')).map((f) => relative(join(root, 'src/api/gen'), f)).sort();
      expect(committed).toEqual(fresh);
      for (const f of fresh) expect(readFileSync(join(root, 'src/api/gen', f), 'utf8'), f).toBe(readFileSync(join(out, 'gen', f), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('every enum starts with *_UNSPECIFIED = 0 (STYLE.md)', () => {
    const { packageDefinition } = loadProto();
    const enums = Object.entries(packageDefinition).filter(([, d]) => (d as { format?: string }).format === 'Protocol Buffer 3 EnumDescriptorProto');
    expect(enums.map(([n]) => n)).toEqual(expect.arrayContaining(['hvswitch.v1.PortBackend', 'hvswitch.v1.PortMode', 'hvswitch.v1.FdbEventType']));
    for (const [name, d] of enums) {
      const values = (d as unknown as { type: { value: { name: string; number: number }[] } }).type.value;
      const prefix = name.split('.').pop()!.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
      expect(values[0], name).toEqual(expect.objectContaining({ name: `${prefix}_UNSPECIFIED`, number: 0 }));
    }
  });
});

describe('config <-> raw document <-> API message', () => {
  const examples: object[] = [
    BUILTIN_DEFAULT,
    {
      workers: 2,
      'log-level': 'debug',
      fdb: { aging: 30, 'mac-limit': 100 },
      api: { socket: '/tmp/x.sock', tcp: '127.0.0.1:50051', tls: { cert: '/c.pem', key: '/k.pem', 'client-ca': '/ca.pem' } },
      metrics: { listen: '127.0.0.1:9650' },
      bridges: { br0: { 'max-macs': 1024 }, br1: {} },
      vrfs: {
        blue: { routes: [{ to: 'default', via: '10.0.0.1' }, { to: '192.0.2.0/24', type: 'blackhole' }, { to: '198.51.100.0/24', via: ['10.0.0.1', '10.0.0.2'] }] },
        red: {},
      },
      ports: {
        a1: { backend: 'tap', bridge: 'br0', vlan: 10, 'mac-limit': 5 },
        t1: { backend: 'af-packet', bridge: 'br0', mode: 'trunk', 'allowed-vlans': [30, 20], 'native-vlan': 20, mtu: 9000 },
        t2: { backend: 'memory', mode: 'trunk', 'allowed-vlans': [7] },
        up: { backend: 'af-packet', mode: 'routed', vrf: 'blue', addresses: ['10.0.0.10/24', '2001:db8::10/64'], mac: '02:00:00:00:00:01' },
        vm1: { backend: 'tap', mode: 'vm', vrf: 'blue', addresses: ['192.0.2.7/32'], 'vm-mac': '52:54:00:12:34:56' },
      },
      bgp: { global: { as: 65000, 'router-id': '10.0.0.1' }, neighbors: [{ 'neighbor-address': '10.0.0.2', 'peer-as': 65001, 'afi-safis': ['ipv4'] }] },
    },
  ];

  it.each(examples.map((e, i) => [i, e]))('example %i round-trips', (_i, raw) => {
    const c = normalizeConfig(raw);
    expect(normalizeConfig(toRawConfig(c))).toEqual(c);
  });

  it('random L2 port sets round-trip, through the API message too', () => {
    const vlan = fc.integer({ min: 1, max: 4094 });
    const port = fc.oneof(
      fc.record({ backend: fc.constantFrom('tap', 'af-packet', 'memory'), bridge: fc.constantFrom('br0', 'br1'), mode: fc.constant('access'), vlan }, { requiredKeys: ['backend'] }),
      fc.record({
        backend: fc.constantFrom('tap', 'memory'),
        bridge: fc.constantFrom('br0', 'br1'),
        mode: fc.constant('trunk'),
        'allowed-vlans': fc.uniqueArray(vlan, { minLength: 1, maxLength: 6 }),
        'native-vlan': vlan,
        'mac-limit': fc.integer({ min: 1, max: 1_000_000 }),
        mtu: fc.integer({ min: 68, max: 65535 }),
      }, { requiredKeys: ['backend', 'mode', 'allowed-vlans'] }),
    );
    const ports = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/), port, { maxKeys: 6 });
    fc.assert(
      fc.property(ports, (ps) => {
        const c = normalizeConfig({ bridges: { br0: {}, br1: {} }, ports: ps });
        expect(normalizeConfig(toRawConfig(c))).toEqual(c);
        // API message -> raw -> normalized gives the same port
        const viaApi = normalizeConfig({ bridges: { br0: {}, br1: {} }, ports: Object.fromEntries(c.ports.map((p) => [p.name, portToRaw(portMessage(p))])) });
        expect(viaApi.ports).toEqual(c.ports);
      }),
      { numRuns: 200 },
    );
  });
});
