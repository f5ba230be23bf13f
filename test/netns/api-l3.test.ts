// The L3 control surface against a real hvswitchd in network namespaces: a
// routed uplink and a routed VM (configured like the CloudStack netplan, as in
// l3-routing.test.ts).  At run time, through the CLI only: a static route
// appears and the VM's pings follow it; the uplink gateway shows in
// `neigh show` once ARP resolved it; deleting the route stops the traffic.
// Then a new VRF with its own ports and default route: its host reaches an
// address through its own uplink, never through pub's (captured).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { capture, netnsGate, ping, Topology, type Daemon } from './helpers/netns.js';

const gate = netnsGate();
const VM_MAC = '52:54:00:12:34:56';

interface RouteRow { vrf: string; prefix: string; type: string; origin: string; nexthops: { via: string | null; port: string | null; mac: string | null }[] }
interface NeighRow { ip: string; port: string; vrf: string | null; mac: string | null; state: string; age: number }

describe.skipIf(gate.skip)(`routing API and CLI against hvswitchd${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  let sw: string, vm: string, up: string, h2: string, up2: string;
  let d: Daemon;
  const upPort = topo.name('u');
  const vmTap = topo.name('vm');
  const hPort = topo.name('s');
  const up2Port = topo.name('t');
  let upMac = '';

  beforeAll(async () => {
    sw = await topo.ns('sw');
    vm = await topo.ns('vm');
    up = await topo.ns('up');
    await topo.veth(sw, upPort, up, 'eth0', '192.168.50.2/24');
    // behind the gateway: an address the VM reaches only through a static route
    await topo.exec(up, ['ip', 'addr', 'add', '198.51.100.1/32', 'dev', 'lo']);
    await topo.exec(up, ['ip', 'route', 'add', '2.57.57.29/32', 'via', '192.168.50.1']);
    upMac = (await topo.exec(up, ['cat', '/sys/class/net/eth0/address'])).stdout.trim();
    d = await topo.daemon(sw, {
      vrfs: { pub: {} }, // no static route yet
      ports: {
        [upPort]: { backend: 'af-packet', mode: 'routed', vrf: 'pub', addresses: ['192.168.50.1/24'] },
        [vmTap]: { backend: 'tap', mode: 'vm', vrf: 'pub', 'vm-mac': VM_MAC, addresses: ['2.57.57.29/32'] },
      },
    });
    // the VM, configured like the CloudStack netplan
    await topo.adoptTap(sw, vmTap, vm, '2.57.57.29/32');
    await topo.exec(vm, ['ip', 'link', 'set', vmTap, 'down']);
    await topo.exec(vm, ['ip', 'link', 'set', vmTap, 'address', VM_MAC]);
    await topo.exec(vm, ['ip', 'link', 'set', vmTap, 'up']);
    await topo.exec(vm, ['ip', 'route', 'add', '169.254.0.1', 'dev', vmTap]);
    await topo.exec(vm, ['ip', 'route', 'add', 'default', 'via', '169.254.0.1', 'dev', vmTap, 'onlink']);
  });
  afterAll(async () => {
    await topo.destroy();
  });

  it('a static route added with the CLI carries the VM traffic; the gateway shows in neigh show; deleting it stops the traffic', async () => {
    // nothing routes 198.51.100.0/24 yet: dropped (no route), counted
    const before = await ping(topo, vm, '198.51.100.1', 2);
    expect(before.received).toBe(0);
    const stats0 = await d.cliJson<Record<string, Record<string, number>>>(['stats']);
    expect(stats0[vmTap]!.drop_no_route).toBeGreaterThanOrEqual(2);
    expect((await d.cliJson<NeighRow[]>(['neigh', 'show'])).filter((n) => n.port === upPort && n.ip === '192.168.50.2')).toEqual([]);

    const add = await d.cli(['route', 'add', '--vrf', 'pub', '198.51.100.0/24', 'via', '192.168.50.2']);
    expect(add.stdout + add.stderr).toBe('');
    const table = (await d.cli(['route', 'show', '--vrf', 'pub'])).stdout.split('\n');
    expect(table[0]).toMatch(/^VRF\s+prefix\s+nexthop\s+origin$/);
    expect(table.find((l) => l.includes('198.51.100.0/24'))).toMatch(new RegExp(`^pub\\s+198\\.51\\.100\\.0/24\\s+via 192\\.168\\.50\\.2 dev ${upPort}\\s+static$`));
    expect(table.find((l) => l.includes('2.57.57.29/32'))).toMatch(new RegExp(`^pub\\s+2\\.57\\.57\\.29/32\\s+dev ${vmTap} lladdr ${VM_MAC}\\s+vm$`));
    const routes = await d.cliJson<RouteRow[]>(['route', 'show', '--vrf', 'pub']);
    expect(routes.find((r) => r.prefix === '198.51.100.0/24')).toEqual({
      vrf: 'pub', prefix: '198.51.100.0/24', family: 'ipv4', type: 'unicast', origin: 'static',
      nexthops: [{ via: '192.168.50.2', port: upPort, mac: null }],
    });
    expect(routes.find((r) => r.prefix === '192.168.50.0/24')).toMatchObject({ origin: 'connected', nexthops: [{ via: null, port: upPort, mac: null }] });

    const r = await ping(topo, vm, '198.51.100.1', 3);
    expect(r.received, r.output).toBe(3);

    // the gateway was resolved by ARP: REACHABLE with the uplink namespace's MAC
    // (the uplink host may make the switch learn other neighbors meanwhile: only the gateway's entry is checked)
    const neigh = (await d.cliJson<NeighRow[]>(['neigh', 'show', '--port', upPort])).filter((n) => n.ip === '192.168.50.2');
    expect(neigh).toEqual([{ ip: '192.168.50.2', port: upPort, vrf: 'pub', mac: upMac, state: expect.stringMatching(/^(reachable|stale)$/), age: expect.any(Number) }]);
    const neighTable = (await d.cli(['neigh', 'show'])).stdout.split('\n');
    expect(neighTable[0]).toMatch(/^IP\s+port\s+MAC\s+state\s+age$/);
    expect(neighTable.find((l) => l.startsWith('192.168.50.2 '))).toMatch(new RegExp(`^192\\.168\\.50\\.2\\s+${upPort}\\s+${upMac}\\s+(REACHABLE|STALE)\\s+\\d+$`));
    expect((await d.cli(['neigh', 'show', '-q'])).stdout).toContain('192.168.50.2\n');

    const del = await d.cli(['route', 'del', '--vrf', 'pub', '198.51.100.0/24']);
    expect(del.stdout + del.stderr).toBe('');
    expect((await d.cli(['route', 'show', '--vrf', 'pub', '-q'])).stdout).not.toContain('198.51.100.0/24');
    const after = await ping(topo, vm, '198.51.100.1', 2);
    expect(after.received).toBe(0);
    // a second delete: not found (exit 4), named
    const again = await d.cli(['route', 'del', '--vrf', 'pub', '198.51.100.0/24'], { allowFail: true });
    expect(again.code).toBe(4);
    expect(again.stderr).toBe('hvswitch: no static route to 198.51.100.0/24 in vrf pub\n');

    // neighbors flush: the learned entry goes, a permanent one stays
    expect((await d.cli(['neigh', 'add', upPort, '192.168.50.9', '02:00:00:00:50:09'])).code).toBe(0);
    const flushedAt = Date.now();
    const fl = await d.cliJson<{ flushed: number }>(['neigh', 'flush', '--port', upPort]);
    expect(fl.flushed).toBeGreaterThanOrEqual(1); // the gateway, and any other entry learned meanwhile
    const left = await d.cliJson<NeighRow[]>(['neigh', 'show', '--port', upPort]);
    expect(left.filter((n) => n.state === 'permanent').map((n) => n.ip)).toEqual(['192.168.50.9']);
    // the uplink host may speak ARP again right after the flush (its own probe of our address): an entry
    // present now must have been learned after the flush, not survived it
    const since = Math.ceil((Date.now() - flushedAt) / 1000);
    for (const n of left.filter((e) => e.state !== 'permanent')) expect(n.age, `${n.ip} survived the flush`).toBeLessThanOrEqual(since);
  });

  it('a VRF added at run time with its own ports and default route: its host reaches the address through its own uplink only', async () => {
    h2 = await topo.ns('h2');
    up2 = await topo.ns('v2');
    await topo.veth(sw, hPort, h2, 'eth0', '10.20.0.2/24');
    await topo.exec(h2, ['ip', 'route', 'add', 'default', 'via', '10.20.0.1']);
    await topo.veth(sw, up2Port, up2, 'eth0', '192.168.60.2/24');
    await topo.exec(up2, ['ip', 'addr', 'add', '198.51.100.1/32', 'dev', 'lo']); // the same address as behind pub's uplink
    await topo.exec(up2, ['ip', 'route', 'add', '10.20.0.0/24', 'via', '192.168.60.1']);
    // pub can reach 198.51.100.1 again: a leak would have a route to take
    expect((await d.cli(['route', 'add', '--vrf', 'pub', '198.51.100.0/24', 'via', '192.168.50.2'])).code).toBe(0);

    expect((await d.cli(['vrf', 'add', 'storacc'])).code).toBe(0);
    expect((await d.cli(['port', 'add', hPort, '--backend', 'af-packet', '--mode', 'routed', '--vrf', 'storacc', '--address', '10.20.0.1/24'])).code).toBe(0);
    expect((await d.cli(['port', 'add', up2Port, '--backend', 'af-packet', '--mode', 'routed', '--vrf', 'storacc', '--address', '192.168.60.1/24'])).code).toBe(0);
    const vrfs = await d.cliJson<{ name: string; ports: string[]; staticRoutes: number }[]>(['vrf', 'list']);
    expect(vrfs.find((v) => v.name === 'storacc')).toMatchObject({ ports: [hPort, up2Port].sort(), staticRoutes: 0 });

    const none = await ping(topo, h2, '198.51.100.1', 1);
    expect(none.received).toBe(0); // no default route in storacc yet
    expect((await d.cli(['route', 'add', '--vrf', 'storacc', 'default', 'via', '192.168.60.2'])).code).toBe(0);

    const [cap1, cap2] = await Promise.all([capture(topo, up, 'eth0', ['icmp']), capture(topo, up2, 'eth0', ['icmp'])]);
    const r = await ping(topo, h2, '198.51.100.1', 3);
    const [seen1, seen2] = await Promise.all([cap1.stop(), cap2.stop()]);
    expect(r.received, r.output).toBe(3);
    expect(seen2.filter((l) => l.includes('10.20.0.2')).length).toBeGreaterThanOrEqual(6); // 3 requests, 3 replies
    expect(seen1.filter((l) => l.includes('10.20.0.2')), 'leaked to the pub uplink').toEqual([]);
    // and pub still goes its own way
    expect((await ping(topo, vm, '198.51.100.1', 2)).received).toBe(2);

    // a VRF with ports cannot go (exit 1, named); without them it can, with its routes
    const refused = await d.cli(['vrf', 'del', 'storacc'], { allowFail: true });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`hvswitch: vrf 'storacc' still has ports: ${[hPort, up2Port].join(', ')} (delete them or move them first)\n`);
    // the route via the uplink subnet must go before the uplink: the validator names it
    const inUse = await d.cli(['port', 'del', up2Port], { allowFail: true });
    expect(inUse.code).toBe(2);
    expect(inUse.stderr).toBe(`hvswitch: vrfs.storacc.routes.0.port: '${up2Port}' is not a routed port of vrf storacc\n`);
    expect((await d.cli(['route', 'del', '--vrf', 'storacc', 'default'])).code).toBe(0);
    for (const p of [hPort, up2Port]) expect((await d.cli(['port', 'del', p])).code).toBe(0);
    expect((await d.cli(['vrf', 'del', 'storacc'])).code).toBe(0);
    expect((await d.cli(['vrf', 'list', '-q'])).stdout).toBe('pub\n');
    expect((await ping(topo, h2, '198.51.100.1', 1)).received).toBe(0);
  });
});
