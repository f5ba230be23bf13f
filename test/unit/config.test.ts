// Config validation: every error names the field path and the rule it broke.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { BUILTIN_DEFAULT, normalizeConfig } from '../../src/controller/index.js';
import { problems } from './config-problems.js';
import { loadConfigFile } from '../../src/daemon/config.js';

describe('config', () => {
  it('the built-in default is valid: br0 with two TAP access ports', () => {
    const c = normalizeConfig(BUILTIN_DEFAULT);
    expect(c.bridges).toEqual([{ name: 'br0', maxMacs: 65536 }]);
    expect(c.ports.map((p) => [p.name, p.backend, p.mode, p.vlan])).toEqual([
      ['hv-vm1', 'tap', 'access', 1],
      ['hv-vm2', 'tap', 'access', 1],
    ]);
    expect(c.agingSeconds).toBe(300);
    expect(c.workers).toBe(1);
  });

  it('an empty file means all defaults', () => {
    const c = normalizeConfig(null);
    expect(c.ports).toEqual([]);
    expect(c.macLimit).toBe(4096);
  });

  it('resolves trunk ports: sorted allowed VLANs, native VLAN', () => {
    const c = normalizeConfig({
      bridges: { b: {} },
      ports: { t0: { backend: 'af-packet', bridge: 'b', mode: 'trunk', 'allowed-vlans': [20, 10], 'native-vlan': 10, 'mac-limit': 7 } },
    });
    expect(c.ports[0]).toMatchObject({ mode: 'trunk', vlan: 10, allowedVlans: [10, 20], macLimit: 7 });
  });

  it.each([
    [{ ports: { p: { backend: 'tap', vlan: 4095 } } }, 'ports.p.vlan', 'must be <= 4094'],
    [{ ports: { p: { backend: 'tap', vlan: 0 } } }, 'ports.p.vlan', 'must be >= 1'],
    [{ ports: { p: { backend: 'vhost' } } }, 'ports.p.backend', 'must be one of "tap", "af-packet", "af-xdp", "memory"'],
    [{ ports: { p: { vlan: 1 } } }, 'ports.p.backend', 'is required'],
    [{ ports: { p: { backend: 'tap', colour: 'red' } } }, 'ports.p.colour', 'unknown field'],
    [{ ports: { 'a-name-much-too-long': { backend: 'tap' } } }, 'ports.a-name-much-too-long', 'must be a Linux interface name'],
    [{ workers: 0 }, 'workers', 'must be >= 1'],
    [{ fdb: { aging: 'soon' } }, 'fdb.aging', 'must be integer'],
    [{ ports: { p: { backend: 'tap', bridge: 'nope' } } }, 'ports.p.bridge', "no bridge named 'nope'"],
    [{ bridges: { b: {} }, ports: { p: { backend: 'tap', bridge: 'b', mode: 'trunk' } } }, 'ports.p.allowed-vlans', 'at least one allowed VLAN'],
    [{ bridges: { b: {} }, ports: { p: { backend: 'tap', bridge: 'b', mode: 'trunk', vlan: 5, 'allowed-vlans': [5] } } }, 'ports.p.vlan', 'not for trunk ports'],
    [{ ports: { p: { backend: 'tap', 'native-vlan': 5 } } }, 'ports.p.native-vlan', 'only for trunk ports'],
    [{ ports: { p: { backend: 'tap', mode: 'trunk', 'allowed-vlans': [5, 5] } } }, 'ports.p.allowed-vlans', 'duplicate'],
    [{ bgp: { global: { as: 65000, 'router-id': '10.0.0.1' }, neighbors: [{ 'neighbor-address': '10.0.0.2', 'peer-as': 65000, 'afi-safis': ['l2vpn-evpnx'] }] } }, 'bgp.neighbors.0.afi-safis.0', 'unknown address family; one of ipv4'],
    [{ bgp: { global: { as: 65000, 'router-id': '10.0.0' }, neighbors: [] } }, 'bgp.global.router-id', 'IPv4'],
    [{ bgp: { global: { as: 65000, 'router-id': '10.0.0.1' }, neighbors: [{ 'neighbor-address': 'x', 'peer-as': 65000, 'afi-safis': ['ipv4'] }] } }, 'bgp.neighbors.0.neighbor-address', 'IP address'],
  ])('%j is refused at %s', (raw, path, message) => {
    const p = problems(raw);
    const hit = p.find((x) => x.path === path);
    expect(hit, JSON.stringify(p)).toBeDefined();
    expect(hit!.message).toContain(message);
  });

  it('permanent neighbors: only on routed and vm ports, valid addresses and unicast MACs, one entry per address', () => {
    const base = { vrfs: { red: {} }, bridges: { br0: {} } };
    const ok = normalizeConfig({ ...base, ports: { r1: { backend: 'memory', mode: 'routed', vrf: 'red', addresses: ['10.0.0.1/24'], neighbors: [{ ip: '2001:DB8::0:7', mac: '02:00:00:00:00:AA' }] } } });
    expect(ok.ports[0]!.neighbors).toEqual([{ ip: '2001:db8::7', mac: '02:00:00:00:00:aa' }]);
    const p = problems({
      ...base,
      ports: {
        a1: { backend: 'memory', bridge: 'br0', neighbors: [] },
        r1: {
          backend: 'memory', mode: 'routed', vrf: 'red', addresses: ['10.0.0.1/24'],
          neighbors: [{ ip: '10.0.0.300', mac: '02:00:00:00:00:01' }, { ip: '10.0.0.7', mac: '03:00:00:00:00:01' }, { ip: '10.0.0.8', mac: '02:00:00:00:00:08' }, { ip: '10.0.0.08', mac: '02:00:00:00:00:09' }],
        },
      },
    });
    expect(p.map((x) => x.path).sort()).toEqual(['ports.a1.neighbors', 'ports.r1.neighbors.0.ip', 'ports.r1.neighbors.1.mac', 'ports.r1.neighbors.3.ip'].sort());
  });

  it('hosts behind an access or trunk port: unicast MACs, each once, canonical addresses; refused on routed ports, naming the field', () => {
    const base = { vrfs: { red: {} }, bridges: { br0: {} } };
    const ok = normalizeConfig({ ...base, ports: { a1: { backend: 'memory', bridge: 'br0', hosts: [{ mac: '52:54:00:AA:00:01', ips: ['10.0.0.5', '2001:DB8::0:5', '10.0.0.5'] }] } } });
    expect(ok.ports[0]!.hosts).toEqual([{ mac: '52:54:00:aa:00:01', ips: ['10.0.0.5', '2001:db8::5'] }]);
    expect(normalizeConfig({ ...base, ports: { a1: { backend: 'memory', bridge: 'br0' } } }).ports[0]!.hosts).toEqual([]);
    const p = problems({
      ...base,
      ports: {
        a1: { backend: 'memory', bridge: 'br0', hosts: [{ mac: '53:54:00:00:00:01', ips: ['10.0.0.5'] }, { mac: '52:54:00:00:00:02', ips: ['10.0.0.300'] }, { mac: '52:54:00:00:00:02', ips: ['10.0.0.6'] }] },
        r1: { backend: 'memory', mode: 'routed', vrf: 'red', addresses: ['10.0.0.1/24'], hosts: [{ mac: '52:54:00:00:00:03', ips: ['10.0.0.7'] }] },
      },
    });
    expect(p.map((x) => x.path).sort()).toEqual(['ports.a1.hosts.0.mac', 'ports.a1.hosts.1.ips.0', 'ports.a1.hosts.2.mac', 'ports.r1.hosts'].sort());
    expect(p.find((x) => x.path === 'ports.a1.hosts.2.mac')!.message).toContain('listed twice');
    expect(problems({ ...base, ports: { a1: { backend: 'memory', bridge: 'br0', hosts: [{ mac: '52:54:00:00:00:01', ips: [] }] } } }).map((x) => x.path)).toEqual(['ports.a1.hosts.0.ips']);
  });

  it('a YAML syntax error names the file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hvcfg-'));
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, 'ports:\n  p: {backend: tap\n');
    expect(() => loadConfigFile(f)).toThrow(/bad\.yaml: \(yaml\).*line/);
    expect(() => loadConfigFile(join(dir, 'missing.yaml'))).toThrow(/ENOENT/);
  });

  it('a JSON file (the fast path for very large route sets) reads like the same YAML, errors name the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hvcfg-'));
    const doc = {
      version: 1,
      vrfs: { pub: { routes: [{ to: '10.0.0.0/8', via: '192.0.2.2' }, { to: '203.0.113.0/24', type: 'blackhole' }] } },
      ports: { up: { backend: 'af-packet', mode: 'routed', vrf: 'pub', addresses: ['192.0.2.1/24'] } },
    };
    const j = join(dir, 'c.json');
    const y = join(dir, 'c.yaml');
    writeFileSync(j, `  ${JSON.stringify(doc)}`);
    writeFileSync(y, 'version: 1\nvrfs:\n  pub:\n    routes:\n      - {to: 10.0.0.0/8, via: 192.0.2.2}\n' +
      '      - {to: 203.0.113.0/24, type: blackhole}\nports:\n  up: {backend: af-packet, mode: routed, vrf: pub, addresses: [192.0.2.1/24]}\n');
    expect(loadConfigFile(j)).toEqual(loadConfigFile(y));
    writeFileSync(j, '{"version": 1, "ports": {');
    expect(() => loadConfigFile(j)).toThrow(/c\.json: \(json\)/);
    writeFileSync(j, JSON.stringify({ ...doc, vrfs: { pub: { routes: [{ to: '10.0.0.0/33', via: '192.0.2.2' }] } } }));
    expect(() => loadConfigFile(j)).toThrow(/vrfs\.pub\.routes\.0\.to/);
  });
});
