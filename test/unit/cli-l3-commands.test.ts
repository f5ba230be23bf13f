// The hvswitch CLI's L3 commands in-process (runCli) against a real in-process
// API over memory ports: vrf list|add|del, route show|add|del, neigh
// show|add|flush, routed and vm ports through port add/set; table layouts,
// --json shapes, -q, exit codes and messages naming the field.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { EXIT, parseRouteArgs, runCli } from '../../src/cli/cli.js';
import { drain, startFixture, type Fixture } from './api-fixture.js';
import { arpReply, GW2_MAC, L3, vmPacket } from './api-l3-fixture.js';

async function cli(f: Fixture, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(['--socket', f.socket, ...args], { out: (s) => (out += s), err: (s) => (err += s) }, {});
  return { code, out, err };
}

describe('hvswitch CLI: VRFs, routes, neighbors', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture(L3);
  });
  afterEach(async () => {
    await f.close();
  });

  it('vrf list: table, --json, -q; vrf add / del with exit codes', async () => {
    const t = await cli(f, 'vrf', 'list');
    expect(t.code).toBe(EXIT.ok);
    expect(t.out.split('\n')).toEqual([
      'VRF   id  routes  static  ports',
      'mgmt   2       2       0  mg',
      'pub    1      10       2  up vm1',
      '',
    ]);
    expect(JSON.parse((await cli(f, 'vrf', 'list', '--json')).out)).toEqual([
      { name: 'mgmt', id: 2, routes: 2, staticRoutes: 0, ports: ['mg'] },
      { name: 'pub', id: 1, routes: 10, staticRoutes: 2, ports: ['up', 'vm1'] },
    ]);
    expect((await cli(f, 'vrf', 'list', '-q')).out).toBe('mgmt\npub\n');

    expect(await cli(f, 'vrf', 'add', 'storacc')).toEqual({ code: EXIT.ok, out: '', err: '' });
    expect((await cli(f, 'vrf', 'list', '-q')).out).toBe('mgmt\npub\nstoracc\n');
    expect(await cli(f, 'vrf', 'add', 'storacc')).toEqual({ code: EXIT.failed, out: '', err: "hvswitch: vrf 'storacc' exists\n" });
    expect(await cli(f, 'vrf', 'add', 'a/b')).toEqual({
      code: EXIT.usage, out: '', err: 'hvswitch: vrfs.a/b: vrf name must be 1-32 characters of A-Z a-z 0-9 _ . -\n',
    });
    expect(await cli(f, 'vrf', 'del', 'pub')).toEqual({
      code: EXIT.failed, out: '', err: "hvswitch: vrf 'pub' still has ports: up, vm1 (delete them or move them first)\n",
    });
    expect(await cli(f, 'vrf', 'del', 'nope')).toEqual({ code: EXIT.notFound, out: '', err: "hvswitch: no vrf named 'nope'\n" });
    expect((await cli(f, 'vrf', 'del', 'storacc')).code).toBe(EXIT.ok);
    expect((await cli(f, 'vrf', 'list', '-q')).out).toBe('mgmt\npub\n');
  });

  it('route show: iproute2/FRR-like table (ECMP on continuation rows), --vrf, -4/-6, --origin, --json, -q', async () => {
    expect((await cli(f, 'route', 'add', '--vrf', 'pub', '10.0.0.0/8', 'via', '192.0.2.3', '192.0.2.4')).code).toBe(EXIT.ok);
    expect((await cli(f, 'route', 'add', '--vrf', 'pub', '203.0.113.0/24', 'blackhole')).code).toBe(EXIT.ok);
    expect((await cli(f, 'route', 'add', '--vrf', 'pub', '198.51.100.0/24', 'unreachable')).code).toBe(EXIT.ok);
    const t = await cli(f, 'route', 'show');
    expect(t.code).toBe(EXIT.ok);
    expect(t.out.split('\n')).toEqual([
      'VRF   prefix                  nexthop                           origin',
      'mgmt  198.18.0.0/24           dev mg                            connected',
      'mgmt  198.18.0.1/32           local                             local',
      'pub   0.0.0.0/0               via 192.0.2.2 dev up              static',
      'pub   2.57.57.29/32           dev vm1 lladdr 52:54:00:00:00:05  vm',
      'pub   10.0.0.0/8              via 192.0.2.3 dev up              static',
      '                              via 192.0.2.4 dev up',
      'pub   169.254.0.1/32          local                             local',
      'pub   192.0.2.0/24            dev up                            connected',
      'pub   192.0.2.1/32            local                             local',
      'pub   198.51.100.0/24         unreachable                       static',
      'pub   203.0.113.0/24          blackhole                         static',
      'pub   ::/0                    via 2001:db8::2 dev up            static',
      'pub   2001:db8::/64           dev up                            connected',
      'pub   2001:db8::1/128         local                             local',
      'pub   2a14:9b80:103::100/128  dev vm1 lladdr 52:54:00:00:00:05  vm',
      'pub   fe80::1/128             local                             local',
      '',
    ]);
    expect((await cli(f, 'route', 'show', '--vrf', 'pub', '-6', '-q')).out).toBe('::/0\n2001:db8::/64\n2001:db8::1/128\n2a14:9b80:103::100/128\nfe80::1/128\n');
    expect((await cli(f, 'route', 'show', '-4', '--origin', 'static', '-q')).out).toBe('0.0.0.0/0\n10.0.0.0/8\n198.51.100.0/24\n203.0.113.0/24\n');
    const j = JSON.parse((await cli(f, 'route', 'show', '--vrf', 'pub', '--json')).out) as { prefix: string }[];
    expect(j).toHaveLength(13);
    expect(j.find((r) => r.prefix === '10.0.0.0/8')).toEqual({
      vrf: 'pub', prefix: '10.0.0.0/8', family: 'ipv4', type: 'unicast', origin: 'static',
      nexthops: [{ via: '192.0.2.3', port: 'up', mac: null }, { via: '192.0.2.4', port: 'up', mac: null }],
    });
    expect(j.find((r) => r.prefix === '2a14:9b80:103::100/128')).toEqual({
      vrf: 'pub', prefix: '2a14:9b80:103::100/128', family: 'ipv6', type: 'unicast', origin: 'vm',
      nexthops: [{ via: null, port: 'vm1', mac: '52:54:00:00:00:05' }],
    });
    expect(j.find((r) => r.prefix === '203.0.113.0/24')).toEqual({
      vrf: 'pub', prefix: '203.0.113.0/24', family: 'ipv4', type: 'blackhole', origin: 'static', nexthops: [],
    });
    expect(j.find((r) => r.prefix === '192.0.2.1/32')).toEqual({
      vrf: 'pub', prefix: '192.0.2.1/32', family: 'ipv4', type: 'local', origin: 'local', nexthops: [],
    });
    expect(await cli(f, 'route', 'show', '--vrf', 'nope')).toEqual({ code: EXIT.notFound, out: '', err: "hvswitch: vrf: no vrf named 'nope'\n" });
    expect(await cli(f, 'route', 'show', '-4', '-6')).toEqual({ code: EXIT.usage, out: '', err: 'hvswitch: route show: -4 and -6 exclude each other\n' });
  });

  it('route add / del: via GW..., dev, default with an IPv6 gateway or -6, --replace; errors name the field', async () => {
    const statics = async () =>
      (JSON.parse((await cli(f, 'route', 'show', '--vrf', 'pub', '--origin', 'static', '--json')).out) as { prefix: string; type: string; nexthops: { via: string; port: string }[] }[]).map(
        (r) => `${r.prefix} ${r.type} ${r.nexthops.map((n) => `${n.via}@${n.port}`).join(',')}`.trim(),
      );
    expect((await cli(f, 'route', 'add', '--vrf', 'pub', '100.64.0.0/10', 'via', '192.0.2.3', 'via', '192.0.2.4', 'dev', 'up')).code).toBe(EXIT.ok);
    expect((await cli(f, 'route', 'add', '--vrf', 'pub', '2001:db8:7::/48', 'via', '2001:db8::7')).code).toBe(EXIT.ok);
    expect(await statics()).toEqual([
      '0.0.0.0/0 unicast 192.0.2.2@up',
      '100.64.0.0/10 unicast 192.0.2.3@up,192.0.2.4@up',
      '::/0 unicast 2001:db8::2@up',
      '2001:db8:7::/48 unicast 2001:db8::7@up',
    ]);
    // 'default' is ::/0 with an IPv6 gateway (ip -6 route add default via ...)
    expect(await cli(f, 'route', 'add', '--vrf', 'pub', 'default', 'via', '2001:db8::3')).toEqual({
      code: EXIT.failed, out: '', err: 'hvswitch: vrf pub already has a static route to ::/0 (replace it with replace=true / route add --replace)\n',
    });
    expect((await cli(f, 'route', 'add', '--vrf', 'pub', '--replace', 'default', 'via', '2001:db8::3')).code).toBe(EXIT.ok);
    expect((await cli(f, 'route', 'add', '--vrf', 'pub', '--replace', '-6', 'default', 'unreachable')).code).toBe(EXIT.ok);
    expect((await statics()).filter((r) => r.startsWith('::/0'))).toEqual(['::/0 unreachable']);
    expect((await cli(f, 'route', 'del', '--vrf', 'pub', '-6', 'default')).code).toBe(EXIT.ok);
    expect((await cli(f, 'route', 'del', '--vrf', 'pub', 'default')).code).toBe(EXIT.ok);
    expect((await cli(f, 'route', 'del', '--vrf', 'pub', '100.64.0.0/10')).code).toBe(EXIT.ok);
    expect(await statics()).toEqual(['2001:db8:7::/48 unicast 2001:db8::7@up']);

    const cases: [string[], number, string][] = [
      [['route', 'add', '--vrf', 'pub', '10.0.0.0/8', 'via', '9.9.9.9'], EXIT.usage, 'hvswitch: vrfs.pub.routes.1.via: gateway 9.9.9.9 is in no subnet of a routed port of vrf pub\n'],
      [['route', 'add', '--vrf', 'pub', '10.0.0.0/8', 'via', '192.0.2.3', '2001:db8::3'], EXIT.usage,
        'hvswitch: vrfs.pub.routes.1.via.1: gateway 2001:db8::3 is not of the family of 10.0.0.0/8\n'],
      [['route', 'add', '--vrf', 'pub', '10.0.0.0/8', 'via', '192.0.2.3', '--port', 'vm1'], EXIT.usage, "hvswitch: vrfs.pub.routes.1.port: 'vm1' is not a routed port of vrf pub\n"],
      [['route', 'add', '--vrf', 'pub', 'ten', 'blackhole'], EXIT.usage, "hvswitch: vrfs.pub.routes.1.to: 'ten' is not a prefix (CIDR)\n"],
      [['route', 'add', '--vrf', 'nope', '10.0.0.0/8', 'blackhole'], EXIT.notFound, "hvswitch: route.vrf: no vrf named 'nope'\n"],
      [['route', 'add', '--vrf', 'pub', '192.0.2.0/24', 'blackhole'], EXIT.failed, 'hvswitch: 192.0.2.0/24 is a connected route of vrf pub (port up); a static route to it would be shadowed\n'],
      [['route', 'add', '--vrf', 'pub', '10.0.0.0/8', 'via'], EXIT.usage, "hvswitch: route add: 'via' needs at least one gateway\n"],
      [['route', 'add', '--vrf', 'pub', '10.0.0.0/8', 'blackhole', 'now'], EXIT.usage, "hvswitch: route add: nothing may follow 'blackhole' (got 'now')\n"],
      [['route', 'add', '--vrf', 'pub', '10.0.0.0/8', 'gw', '192.0.2.3'], EXIT.usage,
        "hvswitch: route add: expected 'via GW...', 'blackhole' or 'unreachable' after the prefix, got 'gw'\n"],
      [['route', 'del', '--vrf', 'pub', '10.0.0.0/8'], EXIT.notFound, 'hvswitch: no static route to 10.0.0.0/8 in vrf pub\n'],
      [['route', 'del', '--vrf', 'pub', '2.57.57.29/32'], EXIT.failed, 'hvswitch: 2.57.57.29/32 is a vm route of vrf pub, not a static one (it follows the port addresses)\n'],
    ];
    for (const [args, code, err] of cases) expect(await cli(f, ...args), args.join(' ')).toEqual({ code, out: '', err });
    const noVrf = await cli(f, 'route', 'add', '10.0.0.0/8', 'blackhole');
    expect(noVrf.code).toBe(EXIT.usage);
    expect(noVrf.err).toContain("required option '--vrf <vrf>' not specified");
    expect(await statics()).toEqual(['2001:db8:7::/48 unicast 2001:db8::7@up']);
  });

  it('parseRouteArgs: the words after the prefix, iproute2 style', () => {
    expect(parseRouteArgs('10.0.0.0/8', ['via', '192.0.2.3'], {})).toEqual({
      prefix: '10.0.0.0/8', type: 'ROUTE_TYPE_UNICAST', nexthops: [{ via: '192.0.2.3', port: '' }],
    });
    expect(parseRouteArgs('default', ['via', 'fe80::2', 'dev', 'up'], {})).toEqual({
      prefix: '::/0', type: 'ROUTE_TYPE_UNICAST', nexthops: [{ via: 'fe80::2', port: 'up' }],
    });
    expect(parseRouteArgs('default', ['blackhole'], {})).toEqual({ prefix: 'default', type: 'ROUTE_TYPE_BLACKHOLE', nexthops: [] });
    expect(parseRouteArgs('default', ['unreachable'], { '6': true })).toEqual({ prefix: '::/0', type: 'ROUTE_TYPE_UNREACHABLE', nexthops: [] });
    expect(() => parseRouteArgs('10.0.0.0/8', ['via', '192.0.2.3', 'dev'], {})).toThrow("'dev PORT' comes last");
    expect(() => parseRouteArgs('10.0.0.0/8', ['via', '192.0.2.3', 'dev', 'a'], { port: 'b' })).toThrow('--port b and dev a disagree');
    expect(() => parseRouteArgs('10.0.0.0/8', ['blackhole'], { port: 'up' })).toThrow('a blackhole route has no port');
  });

  it('neigh show / add / flush: ip neigh columns, --port, --vrf, -4/-6, --json, -q; errors', async () => {
    const dp = f.controller.dataplane;
    dp.memInject('vm1', vmPacket('100.64.1.1')); // via the default route: ARP for 192.0.2.2
    dp.pollOnce();
    dp.memInject('up', arpReply('192.0.2.2', GW2_MAC));
    dp.pollOnce();
    drain(f, 'up');
    expect((await cli(f, 'neigh', 'add', 'up', '2001:db8::7', '02:bb:00:00:00:07')).code).toBe(EXIT.ok);
    expect((await cli(f, 'neigh', 'add', 'mg', '198.18.0.9', '02:cc:00:00:00:09')).code).toBe(EXIT.ok);
    const t = await cli(f, 'neigh', 'show');
    expect(t.code).toBe(EXIT.ok);
    const lines = t.out.split('\n');
    expect(lines[0]).toBe('IP           port  MAC                state      age');
    expect(lines.slice(1)).toEqual([
      '198.18.0.9   mg    02:cc:00:00:00:09  PERMANENT    -',
      expect.stringMatching(/^192\.0\.2\.2    up    02:bb:00:00:00:02  REACHABLE +\d+$/),
      '2001:db8::7  up    02:bb:00:00:00:07  PERMANENT    -',
      '',
    ]);
    expect(JSON.parse((await cli(f, 'neigh', 'show', '--port', 'up', '--json')).out)).toEqual([
      { ip: '192.0.2.2', port: 'up', vrf: 'pub', mac: GW2_MAC, state: 'reachable', age: expect.any(Number) },
      { ip: '2001:db8::7', port: 'up', vrf: 'pub', mac: '02:bb:00:00:00:07', state: 'permanent', age: expect.any(Number) },
    ]);
    expect((await cli(f, 'neigh', 'show', '-q')).out).toBe('198.18.0.9\n192.0.2.2\n2001:db8::7\n');
    expect((await cli(f, 'neigh', 'show', '-6', '-q')).out).toBe('2001:db8::7\n');
    expect((await cli(f, 'neigh', 'show', '-4', '--vrf', 'pub', '-q')).out).toBe('192.0.2.2\n');

    const cases: [string[], number, string][] = [
      [['neigh', 'add', 'up', '192.0.2.300', GW2_MAC], EXIT.usage, "hvswitch: ip: '192.0.2.300' is not an IPv4 or IPv6 address\n"],
      [['neigh', 'add', 'up', '192.0.2.5', '02:bb'], EXIT.usage, "hvswitch: mac: '02:bb' is not a MAC address like 52:54:00:12:34:56\n"],
      [['neigh', 'add', 'nope', '192.0.2.5', GW2_MAC], EXIT.notFound, "hvswitch: port: no port named 'nope'\n"],
      [['neigh', 'add', 'm1', '192.0.2.5', GW2_MAC], EXIT.failed, "hvswitch: port: 'm1' is an access port; neighbors live on routed and vm ports\n"],
      [['neigh', 'show', '--port', 'nope'], EXIT.notFound, "hvswitch: port: no port named 'nope'\n"],
      [['neigh', 'flush', '--port', 'nope'], EXIT.notFound, "hvswitch: port: no port named 'nope'\n"],
    ];
    for (const [args, code, err] of cases) expect(await cli(f, ...args), args.join(' ')).toEqual({ code, out: '', err });

    expect(await cli(f, 'neigh', 'flush')).toEqual({ code: EXIT.ok, out: 'flushed 1 entry\n', err: '' });
    expect((await cli(f, 'neigh', 'show', '-q')).out).toBe('198.18.0.9\n2001:db8::7\n');
    expect(JSON.parse((await cli(f, 'neigh', 'flush', '--permanent', '--port', 'up', '--json')).out)).toEqual({ flushed: 1 });
    expect((await cli(f, 'neigh', 'flush', '--permanent')).out).toBe('flushed 1 entry\n');
    expect((await cli(f, 'neigh', 'flush')).out).toBe('flushed 0 entries\n');
    expect((await cli(f, 'neigh', 'show')).out).toBe('IP  port  MAC  state  age\n');
  });

  it('port add / set --mode routed|vm --vrf --address --mac --vm-mac; the routes follow; port list shows the VRF', async () => {
    expect(
      await cli(f, 'port', 'add', 'up2', '--backend', 'memory', '--mode', 'routed', '--vrf', 'mgmt', '--address', '203.0.113.1/24', '2001:db8:5::1/64', '--mac', '02:aa:00:00:00:02'),
    ).toEqual({ code: EXIT.ok, out: '', err: '' });
    expect(await cli(f, 'port', 'add', 'vm2', '--backend', 'memory', '--mode', 'vm', '--vrf', 'pub', '--address', '2.57.57.30/32', '--vm-mac', '52:54:00:00:00:06')).toEqual({
      code: EXIT.ok, out: '', err: '',
    });
    const list = (await cli(f, 'port', 'list')).out.split('\n');
    expect(list).toContain('up2   memory   routed  vrf mgmt  -        0  1500  up');
    expect(list).toContain('vm2   memory   vm      vrf pub   -        0  1500  up');
    expect(JSON.parse((await cli(f, 'port', 'list', '--json')).out).find((p: { name: string }) => p.name === 'vm2')).toMatchObject({
      mode: 'vm', bridge: null, vlan: null, vrf: 'pub', addresses: ['2.57.57.30/32'], vmMac: '52:54:00:00:00:06',
    });
    const show = (await cli(f, 'port', 'show', 'up2')).out;
    expect(show).toContain('vrf:       mgmt');
    expect(show).toContain('addresses: 203.0.113.1/24 2001:db8:5::1/64');
    const mgmt = async () => (await cli(f, 'route', 'show', '--vrf', 'mgmt', '-q')).out.trim().split('\n');
    expect(await mgmt()).toEqual(['198.18.0.0/24', '198.18.0.1/32', '203.0.113.0/24', '203.0.113.1/32', '2001:db8:5::/64', '2001:db8:5::1/128']);
    // move it to another VRF with another address: the routes move
    expect((await cli(f, 'port', 'set', 'up2', '--vrf', 'pub', '--address', '203.0.113.1/24')).code).toBe(EXIT.ok);
    expect(await mgmt()).toEqual(['198.18.0.0/24', '198.18.0.1/32']);
    expect((await cli(f, 'route', 'show', '--vrf', 'pub', '--origin', 'connected', '-q')).out).toBe('192.0.2.0/24\n203.0.113.0/24\n2001:db8::/64\n');
    // errors name the port's fields
    expect(await cli(f, 'port', 'set', 'vm2', '--address', '2.57.57.0/24')).toEqual({
      code: EXIT.usage, out: '', err: 'hvswitch: ports.vm2.addresses.0: a VM address is a host route: /32 or /128\n',
    });
    expect(await cli(f, 'port', 'set', 'vm2', '--vm-mac', '01:00:00:00:00:01')).toEqual({
      code: EXIT.usage, out: '', err: 'hvswitch: ports.vm2.vm-mac: must be a unicast MAC address like 52:54:00:12:34:56\n',
    });
    expect(await cli(f, 'port', 'add', 'r9', '--backend', 'memory', '--mode', 'routed', '--vrf', 'red', '--address', '10.9.0.1/24')).toEqual({
      code: EXIT.usage, out: '', err: "hvswitch: ports.r9.vrf: no vrf named 'red' (vrfs: pub, mgmt)\n",
    });
    expect(await cli(f, 'port', 'set', 'm1', '--vrf', 'pub')).toEqual({ code: EXIT.usage, out: '', err: 'hvswitch: ports.m1.vrf: only for routed and vm ports\n' });
    // an access port becomes a routed one: the old mode's VLAN goes; the bridge must be left explicitly
    expect(await cli(f, 'port', 'set', 'm1', '--mode', 'routed', '--vrf', 'mgmt', '--address', '198.19.0.1/24')).toEqual({
      code: EXIT.usage, out: '', err: 'hvswitch: ports.m1.bridge: not for routed ports (they belong to a VRF)\n',
    });
    expect((await cli(f, 'port', 'set', 'm1', '--mode', 'routed', '--bridge', 'none', '--vrf', 'mgmt', '--address', '198.19.0.1/24')).code).toBe(EXIT.ok);
    expect(await mgmt()).toEqual(['198.18.0.0/24', '198.18.0.1/32', '198.19.0.0/24', '198.19.0.1/32']);
  });

  it('daemon info counts VRFs; daemon reload lists VRF changes', async () => {
    expect((await cli(f, 'daemon', 'info')).out).toMatch(/^vrfs: +2$/m);
    await cli(f, 'vrf', 'add', 'storacc');
    await cli(f, 'route', 'add', '--vrf', 'pub', '10.0.0.0/8', 'blackhole');
    const r = await cli(f, 'daemon', 'reload');
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/^vrfs removed: +storacc$/m);
    expect(r.out).toMatch(/^vrfs changed: +pub$/m);
    expect((await cli(f, 'vrf', 'list', '-q')).out).toBe('mgmt\npub\n');
  });
});
