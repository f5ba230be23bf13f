// Persistent live changes through the real API server (in process, memory
// ports): every config change an API call makes — ports, bridges, VRFs,
// static routes, BGP neighbors — is written back to the config file, with the
// operator's comments kept, so that the reload RPC finds nothing to change;
// a file that cannot be updated leaves the change live, logged and counted.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { call } from '../../src/api/client.js';
import { toRawConfig } from '../../src/api/convert.js';
import { ConfigPersistence, normalizeConfig, type Config } from '../../src/controller/index.js';
import { startFixture, type Fixture } from './api-fixture.js';

const COMMENTED = `# hv-17: managed by hand AND by the API (see docs/persistence.md)
version: 1

bridges:
  br0: {} # VM bridge
vrfs:
  red:
    routes:
      - to: default # upstream
        via: 10.0.0.254
ports:
  # the VMs
  m1: { backend: memory, bridge: br0, vlan: 10 }
  m2: { backend: memory, bridge: br0, vlan: 10 }
  r1:
    backend: memory
    mode: routed
    vrf: red
    addresses: [ 10.0.0.1/24 ] # the red subnet
bgp:
  global: { as: 65000, router-id: 10.0.0.1, listen-port: 0, listen-address: 127.0.0.1 }
  neighbors:
    - { neighbor-address: 192.0.2.1, peer-as: 65001, afi-safis: [ ipv4-unicast ] } # route reflector 1
`;

/** The sections an API change can touch, as the raw document (comparable). */
function state(c: Config) {
  const r = toRawConfig(c);
  return { bridges: r.bridges, vrfs: r.vrfs, ports: r.ports, bgp: r.bgp };
}

async function persistentFixture(): Promise<Fixture & { persistence: ConfigPersistence }> {
  const raw = parse(COMMENTED) as object;
  const f = await startFixture(raw);
  writeFileSync(f.configFile, COMMENTED);
  await f.controller.startBgp();
  const persistence = new ConfigPersistence(f.configFile, pino({ level: 'silent' }));
  f.controller.persistence = persistence;
  const close = f.close.bind(f);
  f.close = async () => {
    await f.controller.stopBgp();
    await close();
  };
  return Object.assign(f, { persistence });
}

describe('API changes written back to the config file', () => {
  let f: (Fixture & { persistence: ConfigPersistence }) | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  it('ports, bridges, VRFs, routes and BGP neighbors survive a reload; comments survive the writes', async () => {
    f = await persistentFixture();
    const { switch: sw, routing: rt, bgp, daemon } = f.client;
    await call(sw, 'AddBridge', { bridge: { name: 'br1', maxMacs: 1024 } });
    await call(sw, 'AddPort', { port: { name: 'm9', backend: 'PORT_BACKEND_MEMORY', bridge: 'br1', vlan: 20 } });
    await call(sw, 'UpdatePort', { port: { name: 'm1', vlan: 30 }, updateMask: ['vlan'] });
    await call(sw, 'DeletePort', { name: 'm2' });
    await call(rt, 'AddVrf', { vrf: { name: 'blue' } });
    await call(rt, 'AddRoute', { route: { vrf: 'red', prefix: '10.8.0.0/16', nexthops: [{ via: '10.0.0.9' }] } });
    await call(rt, 'AddRoute', { route: { vrf: 'red', prefix: '10.9.0.0/16', type: 'ROUTE_TYPE_BLACKHOLE' } });
    await call(rt, 'DeleteRoute', { vrf: 'red', prefix: '10.8.0.0/16' });
    await call(bgp, 'AddPeer', { peer: { neighborAddress: '192.0.2.2', peerAs: 65002 } });
    await call(bgp, 'DeletePeer', { address: '192.0.2.1' });

    const text = readFileSync(f.configFile, "utf8");
    for (const comment of ['# hv-17: managed by hand AND by the API', '# VM bridge', '# upstream', '# the VMs', '# the red subnet'])
      expect(text).toContain(comment);
    expect(text).not.toContain('route reflector 1'); // its neighbor was deleted, with its comment
    // Only the changed paths were written: m1 keeps its flow style and has no defaults added.
    expect(text).toContain('  m1: { backend: memory, bridge: br0, vlan: 30 }\n');
    expect(text).not.toContain('m2:');
    expect(parse(text).vrfs.red.routes).toEqual([{ to: 'default', via: '10.0.0.254' }, { to: '10.9.0.0/16', type: 'blackhole' }]);

    // The file now describes the running config: the reload RPC changes nothing.
    const running = state(f.controller.running);
    expect(state(normalizeConfig(parse(text)))).toEqual(running);
    const diff = await call<typeof daemon, object, Record<string, string[]>>(daemon, 'ReloadConfig', {});
    for (const [k, v] of Object.entries(diff)) expect(v, k).toEqual([]);
    expect(state(f.controller.running)).toEqual(running);
    expect(f.controller.running.ports.find((p) => p.name === 'm1')!.vlan).toBe(30);
    expect(f.persistence.state()).toMatchObject({ writes: 10, failures: 0, lastError: null });
    expect(existsSync(`${f.configFile}.prev`)).toBe(true);
  });

  it('permanent neighbors (neigh add) are written to their port and come back after a reload; flush --permanent removes them', async () => {
    f = await persistentFixture();
    const { routing: rt, daemon } = f.client;
    const permanent = () => f!.controller.dataplane.neighbors().filter((n) => n.state === 'permanent').map((n) => [n.port, n.ip, n.mac]);
    await call(rt, 'AddNeighbor', { port: 'r1', ip: '10.0.0.7', mac: '02:00:00:00:00:07' });
    await call(rt, 'AddNeighbor', { port: 'r1', ip: '10.0.0.8', mac: '02:00:00:00:00:08' });
    await call(rt, 'AddNeighbor', { port: 'r1', ip: '10.0.0.7', mac: '02:00:00:00:00:17' }); // replaces the first
    const text = readFileSync(f.configFile, 'utf8');
    expect(text).toContain('# the red subnet');
    expect(parse(text).ports.r1.neighbors).toEqual([{ ip: '10.0.0.8', mac: '02:00:00:00:00:08' }, { ip: '10.0.0.7', mac: '02:00:00:00:00:17' }]);
    expect(permanent()).toEqual([['r1', '10.0.0.7', '02:00:00:00:00:17'], ['r1', '10.0.0.8', '02:00:00:00:00:08']]);
    // the dataplane's table flushed behind the controller's back: a reload from the file brings them back
    f.controller.dataplane.flushNeighbors('r1', true);
    expect(permanent()).toEqual([]);
    const fresh = normalizeConfig(parse(readFileSync(f.configFile, 'utf8')));
    await f.controller.apply({ ...fresh, ports: fresh.ports.map((p) => (p.name === 'r1' ? { ...p, neighbors: [] } : p)) });
    await call(daemon, 'ReloadConfig', {});
    expect(permanent()).toEqual([['r1', '10.0.0.7', '02:00:00:00:00:17'], ['r1', '10.0.0.8', '02:00:00:00:00:08']]);
    // an access port has no neighbors: refused, naming the field, nothing written
    await expect(call(rt, 'AddNeighbor', { port: 'm1', ip: '10.0.0.9', mac: '02:00:00:00:00:09' })).rejects.toThrow(/port: 'm1' is an access port/);
    const flushed = await call<typeof rt, object, { flushed: number }>(rt, 'FlushNeighbor', { port: 'r1', includePermanent: true });
    expect(flushed.flushed).toBe(2);
    expect(permanent()).toEqual([]);
    expect(parse(readFileSync(f.configFile, 'utf8')).ports.r1.neighbors).toBeUndefined();
  });

  it('a file edited by hand between two API changes is read again (its edit kept), not overwritten from memory', async () => {
    f = await persistentFixture();
    await call(f.client.switch, 'AddBridge', { bridge: { name: 'br7' } }); // the document is now kept in memory
    const edited = `${readFileSync(f.configFile, 'utf8')}# a note added by hand\n`;
    writeFileSync(f.configFile, edited.replace('br0: {} # VM bridge', 'br0: {} # VM bridge\n  br8: {} # added by hand, not reloaded'));
    await call(f.client.switch, 'AddBridge', { bridge: { name: 'br9' } });
    const text = readFileSync(f.configFile, 'utf8');
    expect(text).toContain('# a note added by hand');
    expect(Object.keys(parse(text).bridges)).toEqual(['br0', 'br8', 'br7', 'br9']);
    expect(f.persistence.state()).toMatchObject({ writes: 2, failures: 0 });
    // br8 is in the file, not running: the next reload applies it
    expect(f.controller.running.bridges.map((b) => b.name)).not.toContain('br8');
    await call(f.client.daemon, 'ReloadConfig', {});
    expect(f.controller.running.bridges.map((b) => b.name).sort()).toEqual(['br0', 'br7', 'br8', 'br9']);
  });

  it('a refused change writes nothing', async () => {
    f = await persistentFixture();
    await expect(call(f.client.switch, 'AddPort', { port: { name: 'm7', backend: 'PORT_BACKEND_MEMORY', bridge: 'nope' } })).rejects.toThrow(/ports\.m7\.bridge/);
    expect(readFileSync(f.configFile, 'utf8')).toBe(COMMENTED);
    expect(f.persistence.state().writes).toBe(0);
  });

  it('a file broken by hand is not overwritten: the change is live, the failure logged and counted', async () => {
    f = await persistentFixture();
    const broken = `${COMMENTED}ports: [oops\n`;
    writeFileSync(f.configFile, broken);
    await call(f.client.switch, 'AddBridge', { bridge: { name: 'br5' } });
    expect(f.controller.running.bridges.map((b) => b.name)).toContain('br5');
    expect(readFileSync(f.configFile, 'utf8')).toBe(broken);
    expect(f.persistence.state()).toMatchObject({ writes: 0, failures: 1, lastError: expect.stringMatching(/does not parse/) });
  });

  it('a text that would not load is not written (the file was edited into an invalid config)', async () => {
    f = await persistentFixture();
    const invalid = COMMENTED.replace('vlan: 10 }\n  m2', 'vlan: 5000 }\n  m2');
    writeFileSync(f.configFile, invalid);
    await call(f.client.routing, 'AddVrf', { vrf: { name: 'green' } });
    expect(readFileSync(f.configFile, 'utf8')).toBe(invalid);
    expect(f.persistence.state()).toMatchObject({ failures: 1, lastError: expect.stringMatching(/ports\.m1\.vlan/) });
  });
});
