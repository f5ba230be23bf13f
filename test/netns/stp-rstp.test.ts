// RSTP between two hvswitchd daemons (IEEE 802.1D-2004 clause 17), in
// network namespaces: swA and swB each run hvswitchd with a bridge whose
// spanning tree is on; two veth links join them (a1–b1, a2–b2: a loop) and a
// host hangs off each (hA, hB, edge ports). Checked: B's two links to the root
// A end as one root port forwarding and one alternate discarding (`hvswitch
// stp show --json`); hosts ping across; a broadcast source does not start a
// storm (frame counters bounded); the forwarding link cut → the alternate
// takes over, the time from the cut to B's "forwarding" log line measured
// (aim ≤ 1 s) and pings keep flowing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { netnsGate, ping, Topology, until, type Daemon } from './helpers/netns.js';
import { logTime } from './helpers/stp.js';

const gate = netnsGate();

interface StpPortJson { name: string; role: string; state: string }
interface StpBridgeJson { bridge: string; bridgeId: string; rootId: string; rootPort: string; ports: StpPortJson[] }

async function rxPackets(topo: Topology, ns: string, ifn: string): Promise<number> {
  return Number((await topo.exec(ns, ['cat', `/sys/class/net/${ifn}/statistics/rx_packets`])).stdout.trim());
}

describe.skipIf(gate.skip)(`RSTP between two hvswitchd${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  let swA: string, swB: string, hA: string, hB: string;
  let A: Daemon, B: Daemon;
  const a1 = topo.name('sa1'), a2 = topo.name('sa2'), b1 = topo.name('sb1'), b2 = topo.name('sb2');
  const ha = topo.name('sha'), hb = topo.name('shb');

  const config = (mac: string, priority: number, links: string[], host: string) => ({
    bridges: { br0: { stp: { priority, mac } } },
    ports: {
      ...Object.fromEntries(links.map((l) => [l, { backend: 'af-packet', bridge: 'br0', vlan: 10 }])),
      [host]: { backend: 'af-packet', bridge: 'br0', vlan: 10, stp: { edge: true } },
    },
  });
  const show = async (d: Daemon) => (await d.cliJson<StpBridgeJson[]>(['stp', 'show']))[0]!;

  beforeAll(async () => {
    swA = await topo.ns('swa');
    swB = await topo.ns('swb');
    hA = await topo.ns('ha');
    hB = await topo.ns('hb');
    await topo.veth(swA, a1, swB, b1);
    await topo.veth(swA, a2, swB, b2);
    await topo.veth(swA, ha, hA, 'eth0', '10.9.0.1/24');
    await topo.veth(swB, hb, hB, 'eth0', '10.9.0.2/24');
    A = await topo.daemon(swA, config('02:00:00:00:5a:0a', 4096, [a1, a2], ha));
    B = await topo.daemon(swB, config('02:00:00:00:5a:0b', 32768, [b1, b2], hb));
  }, 60_000);
  afterAll(async () => {
    await topo.destroy();
  });

  it('B: one root port forwarding, one alternate discarding; A is the root', async () => {
    await until('B converged', async () => {
      const b = await show(B);
      return b.rootId === '4096.02:00:00:00:5a:0a' && b.ports.filter((p) => p.role === 'alternate' && p.state === 'discarding').length === 1
        && b.ports.some((p) => p.role === 'root' && p.state === 'forwarding');
    }, 15_000);
    const a = await show(A);
    expect(a.rootPort).toBe('');
    expect(a.ports.filter((p) => p.state === 'forwarding').map((p) => p.name).sort()).toEqual([a1, a2, ha].sort());
    expect((await ping(topo, hA, '10.9.0.2', 3)).received).toBe(3);
  });

  it('a broadcast source does not start a storm (frame counters bounded)', async () => {
    const before = await rxPackets(topo, hB, 'eth0');
    // 50 broadcasts from hA (ping -b to the subnet broadcast), 20 ms apart
    await topo.exec(hA, ['ping', '-b', '-c', '50', '-i', '0.02', '-W', '1', '10.9.0.255'], { allowFail: true, timeoutMs: 20_000 });
    const after = await rxPackets(topo, hB, 'eth0');
    // each broadcast reaches hB once (plus its answers' ARP and BPDU-free chatter); a loop would multiply them without bound
    expect(after - before).toBeGreaterThanOrEqual(50);
    expect(after - before).toBeLessThan(150);
  });

  it('the forwarding link cut: the alternate takes over (time measured), traffic flows', async () => {
    const b = await show(B);
    const rootPort = b.rootPort;
    const alternate = b.ports.find((p) => p.role === 'alternate')!.name;
    const aSide = rootPort === b1 ? a1 : a2;
    const t0 = Date.now();
    await topo.exec(swA, ['ip', 'link', 'set', aSide, 'down']);
    await until('alternate forwarding', async () => logTime(B.output, `stp port ${alternate} forwarding`, t0) !== undefined, 10_000);
    const failoverMs = logTime(B.output, `stp port ${alternate} forwarding`, t0)! - t0;
    console.log(`RSTP failover (hvswitch–hvswitch, link cut → alternate forwarding): ${failoverMs} ms`);
    expect(failoverMs).toBeLessThanOrEqual(1_000);
    const after = await show(B);
    expect(after.rootPort).toBe(alternate);
    expect((await ping(topo, hA, '10.9.0.2', 3)).received).toBe(3);
    await topo.exec(swA, ['ip', 'link', 'set', aSide, 'up']);
  });
});
