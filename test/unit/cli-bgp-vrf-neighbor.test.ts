// `hvswitch bgp neighbor add --vrf` (pure L3, docs/pure-l3.md) against an
// in-process daemon whose speaker peers over loopback with a second speaker
// standing for the top-of-rack router: the neighbor bound to a VRF through
// the API, written to the config, shown in the detail block and --json, the
// VRF's VM /32 sent to it with the communities; refusals name the field.
import { afterEach, describe, expect, it } from 'vitest';

import { EXIT, runCli } from '../../src/cli/cli.js';
import type { NeighborJson } from '../../src/cli/commands/bgp/json.js';
import { BgpSpeaker } from '../../src/bgp/speaker.js';
import { startFixture, type Fixture } from './api-fixture.js';
import { until } from './api-bgp-fixture.js';

async function cli(f: Fixture, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(['--socket', f.socket, ...args], { out: (s) => (out += s), err: (s) => (err += s) }, {});
  return { code, out, err };
}

describe('bgp neighbor add --vrf', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('binds an upstream neighbor to a VRF: config, detail, --json, and the VM /32 sent with the communities', async () => {
    const tor = new BgpSpeaker({ asn: 65000, routerId: '10.255.0.1', listenPort: 0, listenAddress: '127.0.0.1', allowLoopbackNextHop: true });
    await tor.start();
    cleanups.push(() => tor.stop());
    tor.addNeighbor({ address: '127.0.0.1', peerAs: 65011, passive: true, families: ['ipv4'] });
    const f = await startFixture({
      vrfs: { pub: {} },
      ports: {
        up: { backend: 'memory', mode: 'routed', vrf: 'pub', mac: '02:aa:00:00:00:02', addresses: ['127.0.0.2/8'] },
        vm1: { backend: 'memory', mode: 'vm', vrf: 'pub', 'vm-mac': '02:aa:00:00:00:10', addresses: ['198.51.100.10/32'] },
      },
      bgp: { global: { as: 65011, 'router-id': '10.255.0.11', 'listen-port': 0 }, neighbors: [] },
    });
    await f.controller.startBgp();
    cleanups.push(async () => {
      await f.controller.stopBgp();
      await f.close();
    });

    // refused: an unknown VRF, communities without a VRF; nothing applied
    const bad = await cli(f, 'bgp', 'neighbor', 'add', '127.0.0.1', '--as', '65000', '--vrf', 'blue');
    expect(bad.code).not.toBe(EXIT.ok);
    expect(bad.err).toMatch(/bgp\.neighbors\.0\.vrf: .*blue/);
    const bad2 = await cli(f, 'bgp', 'neighbor', 'add', '127.0.0.1', '--as', '65000', '--community', '65011:100');
    expect(bad2.code).not.toBe(EXIT.ok);
    expect(bad2.err).toMatch(/bgp\.neighbors\.0\.communities/);
    expect(f.controller.running.bgp!.neighbors).toEqual([]);

    const ok = await cli(f, 'bgp', 'neighbor', 'add', '127.0.0.1', '--as', '65000', '--port', String(tor.listenPort), '--vrf', 'pub', '--community', '65011:100', 'no-export', '--advertise', 'vm');
    expect(ok, ok.err).toMatchObject({ code: EXIT.ok, err: '' });
    expect(f.controller.running.bgp!.neighbors[0]).toMatchObject({ vrf: 'pub', communities: ['65011:100', 'no-export'], advertise: ['vm'] });

    const det = await cli(f, 'bgp', 'neighbor', '127.0.0.1');
    expect(det.out).toContain('  VRF pub: advertises vm, communities 65011:100 no-export\n');
    const j = JSON.parse((await cli(f, 'bgp', 'neighbor', '127.0.0.1', '--json')).out) as NeighborJson;
    expect(j.configured).toMatchObject({ vrf: 'pub', advertise: ['vm'], communities: ['65011:100', 'no-export'], largeCommunities: [] });

    // the upstream receives the VM's /32 from us, with the communities
    const v4 = await until('the VM /32 at the upstream', async () => tor.routes('ipv4').find((e) => e.key === '198.51.100.10/32'));
    expect(v4.paths[0]!.attrs.communities).toContain('65011:100');
    expect(v4.paths[0]!.attrs.communities).toHaveLength(2);

    // del: the binding goes with the neighbor
    expect((await cli(f, 'bgp', 'neighbor', 'del', '127.0.0.1')).code).toBe(EXIT.ok);
    expect(f.controller.running.bgp!.neighbors).toEqual([]);
  });

  it('the API refuses a VRF binding with the field named (INVALID_ARGUMENT)', async () => {
    const f = await startFixture({ vrfs: { pub: {} }, bgp: { global: { as: 65011, 'router-id': '10.255.0.11', 'listen-port': 0 }, neighbors: [] } });
    await f.controller.startBgp();
    cleanups.push(async () => {
      await f.controller.stopBgp();
      await f.close();
    });
    const r = await cli(f, 'bgp', 'neighbor', 'add', '192.0.2.1', '--as', '65000', '--vrf', 'pub', '--advertise', 'everything');
    expect(r.code).not.toBe(EXIT.ok);
    expect(r.err).toMatch(/bgp\.neighbors\.0\.advertise/);
  });
});
