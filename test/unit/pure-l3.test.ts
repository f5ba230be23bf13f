// The "pure L3" hypervisor (src/vpn/unicast.ts, src/bgp/speaker/vrf-scope.ts,
// docs/pure-l3.md) without root: config validation of VRF-bound neighbors;
// what a VRF exports and how an imported next hop resolves (pure functions);
// and the whole loop over loopback TCP — the controller as a library over
// memory ports, its speaker bound to VRF pub, a second real speaker as the
// upstream: our VM host routes arrive there with communities and an IPv6
// global next hop, leave when the VM port goes, unscoped routes never go to
// it, and its routes land in pub's `bgp` set via the uplink.
import { afterEach, describe, expect, it } from 'vitest';

import { speakerOptionsFromConfig, validateBgpConfig } from '../../src/bgp/index.js';
import { ConfigError, Controller, normalizeConfig, type Config } from '../../src/controller/index.js';
import { createLogger } from '../../src/util/logger.js';
import { bindings, exportsOf, importedRoute, UnicastVrfs, withNextHop6 } from '../../src/vpn/unicast.js';
import { until } from '../wait.js';
import { speakerPair } from './speaker-pair.js';

const neighbor = { 'neighbor-address': '127.0.0.1', 'peer-as': 65000, 'afi-safis': ['ipv4-unicast', 'ipv6-unicast'], vrf: 'pub' };

function raw(over: { neighbor?: object; vm?: boolean; vrfRoutes?: object[] } = {}): Record<string, unknown> {
  const ports: Record<string, object> = {
    up: { backend: 'memory', mode: 'routed', vrf: 'pub', mac: '02:aa:00:00:00:02', addresses: ['127.0.0.2/8', '2001:db8::11/64'] },
    lan: { backend: 'memory', mode: 'routed', vrf: 'pub', mac: '02:aa:00:00:00:03', addresses: ['10.9.0.1/24'] },
  };
  if (over.vm !== false) ports.vm1 = { backend: 'memory', mode: 'vm', vrf: 'pub', 'vm-mac': '52:54:00:00:00:01', addresses: ['203.0.113.1/32', '2001:db8:100::1/128'] };
  return {
    vrfs: { pub: { routes: over.vrfRoutes ?? [{ to: 'default', via: '127.0.0.1' }, { to: '198.18.0.0/15', via: '10.9.0.2' }] }, other: {} },
    ports,
    bgp: { global: { as: 65011, 'router-id': '10.255.0.11', 'listen-port': 0 }, neighbors: [{ ...neighbor, ...over.neighbor }] },
  };
}

function problems(r: unknown): { path: string; message: string }[] {
  try {
    normalizeConfig(r);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  return [];
}

describe('config: a BGP neighbor bound to a VRF', () => {
  it('a valid binding passes; communities by name map to their RFC 1997 values', () => {
    expect(problems(raw({ neighbor: { communities: ['65011:100', 'no-export'], 'large-communities': ['65011:0:100'], advertise: ['vm', 'connected'] } }))).toEqual([]);
    const c = normalizeConfig(raw({ neighbor: { communities: ['65011:100', 'no-export'], 'large-communities': ['65011:0:100'] } }));
    const [n] = speakerOptionsFromConfig(c.bgp!).neighbors;
    expect(n).toMatchObject({ vrf: 'pub', exportCommunities: ['65011:100', '65535:65281'], exportLargeCommunities: ['65011:0:100'] });
  });

  it.each([
    [{ vrf: 'nope' }, 'bgp.neighbors.0.vrf', /no vrf named 'nope'/],
    [{ communities: ['65011:70000'] }, 'bgp.neighbors.0.communities.0', /not a community/],
    [{ communities: ['no-such-name'] }, 'bgp.neighbors.0.communities.0', /not a community/],
    [{ 'large-communities': ['1:2'] }, 'bgp.neighbors.0.large-communities.0', /not a large community/],
    [{ 'peer-as': 65011 }, 'bgp.neighbors.0.peer-as', /eBGP/],
    [{ 'afi-safis': ['ipv4-unicast', 'l3vpn-ipv4-unicast'] }, 'bgp.neighbors.0.afi-safis', /plain unicast only/],
    [{ 'route-reflector-client': true }, 'bgp.neighbors.0.route-reflector-client', /not for a vrf neighbor/],
    [{ advertise: ['vm', 'everything'] }, 'bgp.neighbors.0.advertise.1', /./],
  ])('%j is refused naming the field', (over, path, message) => {
    const p = problems(raw({ neighbor: over }));
    expect(p.find((x) => x.path === path), JSON.stringify(p)).toMatchObject({ message: expect.stringMatching(message) });
  });

  it('export fields need a vrf; two neighbors of one VRF must advertise the same', () => {
    const noVrf = validateBgpConfig({ global: { as: 65011, 'router-id': '10.255.0.11' }, neighbors: [{ 'neighbor-address': '10.0.0.1', 'peer-as': 65000, 'afi-safis': ['ipv4-unicast'], communities: ['1:1'] }] });
    expect(noVrf).toEqual([{ path: '/neighbors/0/communities', message: 'only for a neighbor bound to a vrf (set vrf)' }]);
    const r = raw();
    (r.bgp as { neighbors: object[] }).neighbors.push({ ...neighbor, 'neighbor-address': '127.0.0.3', advertise: ['vm', 'static'] });
    expect(problems(r)).toEqual([{ path: 'bgp.neighbors.1.advertise', message: expect.stringMatching(/same as \/neighbors\/0\/advertise/) }]);
  });
});

describe('what a VRF exports, and where an imported next hop goes', () => {
  const c = normalizeConfig(raw({ neighbor: { advertise: ['vm', 'connected', 'static'] } }));
  const b = bindings(c).get('pub')!;

  it('vm host routes; connected subnets but the link toward the peer; static routes but the default', () => {
    expect([...exportsOf(c, b).keys()].sort()).toEqual(['ipv4 10.9.0.0/24', 'ipv4 198.18.0.0/15', 'ipv4 203.0.113.1/32', 'ipv6 2001:db8:100::1/128']);
    const vmOnly = normalizeConfig(raw());
    expect([...exportsOf(vmOnly, bindings(vmOnly).get('pub')!).keys()].sort()).toEqual(['ipv4 203.0.113.1/32', 'ipv6 2001:db8:100::1/128']);
  });

  it('a host interface sharing the uplink address is not exported as a VM route (and has no local route)', () => {
    const r = raw();
    (r.vrfs as Record<string, object>).pub = { 'host-interface': { name: 'hif0', addresses: ['127.0.0.2/8'] } };
    const s = normalizeConfig(r);
    expect([...exportsOf(s, bindings(s).get('pub')!).keys()]).not.toContain('ipv4 127.0.0.2/32');
  });

  it('an imported next hop resolves to the routed port whose subnet holds it, or not at all', () => {
    expect(importedRoute(c, 'pub', '198.51.100.0/24', '127.0.0.1')).toEqual({ prefix: '198.51.100.0/24', origin: 'bgp', nexthops: [{ kind: 'gateway', port: 'up', gw: '127.0.0.1' }] });
    expect(importedRoute(c, 'pub', '2001:db8:200::/48', '2001:db8::1')?.nexthops[0]).toMatchObject({ port: 'up' });
    expect(importedRoute(c, 'pub', '198.51.100.0/24', '192.0.2.1')).toBeNull();
    expect(importedRoute(c, 'other', '198.51.100.0/24', '127.0.0.1')).toBeNull();
  });

  it('an IPv4 session gets the uplink\'s global IPv6 address as IPv6 next hop (RFC 2545)', () => {
    expect(withNextHop6(c, speakerOptionsFromConfig(c.bgp!).neighbors)[0]).toMatchObject({ nextHop6: '2001:db8::11' });
  });
});

describe('the loop over loopback: controller + speaker bound to pub, a real upstream speaker', () => {
  const closers: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of closers.splice(0).reverse()) await f();
  });

  async function setup(config: Config) {
    const ctl = new Controller(config, createLogger('silent'));
    ctl.start(config);
    closers.push(() => ctl.close());
    // the upstream (AS 65000) listens; the hypervisor's speaker (AS 65011) connects with the config's neighbor
    const [n] = withNextHop6(config, speakerOptionsFromConfig(config.bgp!).neighbors);
    const { rx: tor, src: hv } = await speakerPair('10.255.0.1', ['ipv4', 'ipv6'], closers, { srcAs: 65011, srcRouterId: '10.255.0.11', srcNeighbor: n! });
    const unicast = new UnicastVrfs(hv, ctl, createLogger('silent'));
    closers.push(() => unicast.close());
    unicast.apply(config);
    return { ctl, tor, hv, unicast };
  }

  it('VM host routes reach the upstream with communities and next hops; a removed VM port is withdrawn', async () => {
    const config = normalizeConfig(raw({ neighbor: { communities: ['65011:100'], 'large-communities': ['65011:0:7'] } }));
    const { ctl, tor, hv, unicast } = await setup(config);
    hv.originate('ipv4', { prefix: '192.0.2.0/24' }); // not scoped to pub: never to the VRF's neighbor
    const v4 = await until('upstream has the /32', () => tor.routes('ipv4').find((e) => e.key === '203.0.113.1/32'));
    expect(v4.paths[0]).toMatchObject({ nextHop: '127.0.0.1', attrs: { communities: ['65011:100'], largeCommunities: ['65011:0:7'], asPath: [{ type: 'seq', asns: [65011] }] } });
    const v6 = await until('upstream has the /128', () => tor.routes('ipv6').find((e) => e.key === '2001:db8:100::1/128'));
    expect(v6.paths[0]!.nextHop).toBe('2001:db8::11');
    expect(tor.routes('ipv4').map((e) => e.key)).toEqual(['203.0.113.1/32']);
    // the VM port goes (a config apply, as an API port delete does): withdrawn in the next flush
    await ctl.update(() => normalizeConfig(raw({ vm: false })), (running) => unicast.apply(running));
    await until('upstream lost the /32 and /128', () => tor.routes('ipv4').length === 0 && tor.routes('ipv6').length === 0);
  });

  it('upstream routes land in pub\'s bgp set via the uplink; a next hop off every link is not installed', async () => {
    const config = normalizeConfig(raw());
    const { ctl, tor, unicast } = await setup(config);
    tor.originate('ipv4', { prefix: '198.51.100.0/24' });
    tor.originate('ipv4', { prefix: '198.51.101.0/24' }, { nextHop: '192.0.2.99' }); // eBGP next hop self: still 127.0.0.1
    await until('imported', () => ctl.routes('bgp', 'pub').length === 2);
    expect(ctl.routes('bgp', 'pub').find((r) => r.prefix === '198.51.100.0/24')).toEqual({ prefix: '198.51.100.0/24', origin: 'bgp', nexthops: [{ kind: 'gateway', port: 'up', gw: '127.0.0.1' }] });
    expect(ctl.dataplane.listRoutes('pub').find((r) => r.prefix === '198.51.100.0/24')?.origin).toBe('bgp');
    expect(ctl.routes('bgp', 'other')).toEqual([]);
    tor.withdraw('ipv4', { prefix: '198.51.100.0/24' });
    await until('withdrawn', () => ctl.routes('bgp', 'pub').length === 1);
    // the uplink loses its address: nothing resolves any more, the import is redone
    const moved = raw({ vrfRoutes: [] });
    (moved.ports as Record<string, { addresses: string[] }>).up!.addresses = ['192.0.2.2/24'];
    await ctl.update(() => normalizeConfig(moved), (running) => unicast.apply(running));
    await until('unresolved', () => ctl.routes('bgp', 'pub').length === 0);
    expect(unicast.unresolved).toBeGreaterThan(0);
  });
});
