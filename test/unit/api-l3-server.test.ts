// hvswitch.v1.RoutingService end to end in one process: real server on a unix
// socket, real controller/validator/reconciler/dataplane over memory ports.
// Every RPC; live route changes that traffic follows; errors that name the
// config path of the field, with nothing applied; neighbors learned by ARP,
// added permanent, flushed; routed and vm ports through the port RPCs.
import { status, type ServiceError } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { call, list } from '../../src/api/client.js';
import type { Neighbor__Output } from '../../src/api/gen/hvswitch/v1/Neighbor.js';
import type { Port__Output } from '../../src/api/gen/hvswitch/v1/Port.js';
import type { Route__Output } from '../../src/api/gen/hvswitch/v1/Route.js';
import type { RoutingServiceClient } from '../../src/api/gen/hvswitch/v1/RoutingService.js';
import type { Vrf__Output } from '../../src/api/gen/hvswitch/v1/Vrf.js';
import { drain, startFixture, type Fixture } from './api-fixture.js';
import { arpReply, arpTarget, GW2_MAC, GW3_MAC, L3, UP_MAC, VM_MAC, vmPacket } from './api-l3-fixture.js';

async function refused(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (e) {
    return e as ServiceError;
  }
  throw new Error('the request was accepted');
}

describe('hvswitch.v1.RoutingService over memory ports', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture(L3);
  });
  afterEach(async () => {
    await f.close();
  });
  const rt = (): RoutingServiceClient => f.client.routing;
  const routes = async (req: object = {}) => (await list<RoutingServiceClient, object, { route: Route__Output }>(rt(), 'ListRoute', req)).map((r) => r.route);
  const vrfs = async (req: object = {}) => (await list<RoutingServiceClient, object, { vrf: Vrf__Output }>(rt(), 'ListVrf', req)).map((r) => r.vrf);
  const neighbors = async (req: object = {}) =>
    (await list<RoutingServiceClient, object, { neighbor: Neighbor__Output }>(rt(), 'ListNeighbor', req)).map((r) => r.neighbor);
  const dp = () => f.controller.dataplane;
  /** Sends a VM packet to `dst` and returns the ARP target asked on the uplink (or null). */
  const arpFor = (dst: string): string | null => {
    drain(f, 'up');
    dp().memInject('vm1', vmPacket(dst));
    dp().pollOnce();
    const out = drain(f, 'up');
    return out.map(arpTarget).find((t) => t !== null) ?? null;
  };
  /** Sends a VM packet to `dst`: the destination MAC of what the uplink sends
   *  (the gateway's once resolved), `arp <ip>` for a request, null for nothing. */
  const egress = (dst: string): string | null => {
    drain(f, 'up');
    dp().memInject('vm1', vmPacket(dst));
    dp().pollOnce();
    const [out] = drain(f, 'up');
    if (!out) return null;
    const arp = arpTarget(out);
    if (arp) return `arp ${arp}`;
    expect(out[14 + 8]).toBe(63); // routed: TTL - 1
    return [...out.subarray(0, 6)].map((b) => b.toString(16).padStart(2, '0')).join(':');
  };

  it('ListVrf streams VRFs with id, ports and route counts; unknown names are NOT_FOUND', async () => {
    const vs = await vrfs();
    expect(vs.map((v) => v.name)).toEqual(['mgmt', 'pub']);
    const pub = vs.find((v) => v.name === 'pub')!;
    expect(pub).toMatchObject({ ports: ['up', 'vm1'], staticRoutes: 2 });
    expect(pub.id).toBeGreaterThan(0);
    // 2 static + 2 connected + 2 local + 2 vm + 169.254.0.1 + fe80::1
    expect(pub.routes).toBe(10);
    expect(pub.routes).toBe(dp().listRoutes('pub').length);
    expect(vs.find((v) => v.name === 'mgmt')).toMatchObject({ ports: ['mg'], staticRoutes: 0, routes: 2 });
    expect((await vrfs({ names: ['mgmt'] })).map((v) => v.name)).toEqual(['mgmt']);
    const e = await refused(vrfs({ names: ['nope'] }));
    expect(e.code).toBe(status.NOT_FOUND);
    expect(e.details).toContain("no vrf named 'nope'");
  });

  it('AddVrf / DeleteVrf: live, ALREADY_EXISTS, name checked by the config validator, refused while ports are in it', async () => {
    const r = await call<RoutingServiceClient, object, { vrf: Vrf__Output }>(rt(), 'AddVrf', { vrf: { name: 'storacc' } });
    expect(r.vrf).toMatchObject({ name: 'storacc', ports: [], routes: 0, staticRoutes: 0 });
    expect(dp().listVrfs().map((v) => v.name)).toContain('storacc');
    expect(f.controller.running.vrfs.map((v) => v.name)).toContain('storacc');

    let e = await refused(call(rt(), 'AddVrf', { vrf: { name: 'storacc' } }));
    expect([e.code, e.details]).toEqual([status.ALREADY_EXISTS, "vrf 'storacc' exists"]);
    e = await refused(call(rt(), 'AddVrf', { vrf: { name: 'bad name' } }));
    expect(e.code).toBe(status.INVALID_ARGUMENT);
    expect(e.details).toBe('vrfs.bad name: vrf name must be 1-32 characters of A-Z a-z 0-9 _ . -');
    expect(JSON.parse(String(e.metadata.get('hvswitch-problems')[0]))).toEqual([
      { path: 'vrfs.bad name', message: 'vrf name must be 1-32 characters of A-Z a-z 0-9 _ . -' },
    ]);
    e = await refused(call(rt(), 'AddVrf', { vrf: {} }));
    expect([e.code, e.details]).toEqual([status.INVALID_ARGUMENT, 'vrf.name: is required']);

    e = await refused(call(rt(), 'DeleteVrf', { name: 'pub' }));
    expect(e.code).toBe(status.FAILED_PRECONDITION);
    expect(e.details).toBe("vrf 'pub' still has ports: up, vm1 (delete them or move them first)");
    expect(dp().listRoutes('pub')).toHaveLength(10);
    e = await refused(call(rt(), 'DeleteVrf', { name: 'nope' }));
    expect(e.code).toBe(status.NOT_FOUND);

    // a VRF with a static route and no ports goes with its routes
    await call(f.client.switch, 'DeletePort', { name: 'mg' });
    await call(rt(), 'AddRoute', { route: { vrf: 'mgmt', prefix: '10.0.0.0/8', type: 'ROUTE_TYPE_BLACKHOLE' } });
    expect(dp().listRoutes('mgmt').map((x) => x.prefix)).toEqual(['10.0.0.0/8']);
    await call(rt(), 'DeleteVrf', { name: 'mgmt' });
    expect(dp().listVrfs().map((v) => v.name).sort()).toEqual(['pub', 'storacc']);
    expect(f.controller.running.vrfs.map((v) => v.name)).toEqual(['pub', 'storacc']);
  });

  it('ListRoute: the whole FIB with origin, type and next hops, in order; filters by vrf, family and origin', async () => {
    const pub = await routes({ vrf: 'pub' });
    expect(pub.map((r) => [r.prefix, r.origin.replace('ROUTE_ORIGIN_', ''), r.type.replace('ROUTE_TYPE_', ''), r.afi])).toEqual([
      ['0.0.0.0/0', 'STATIC', 'UNICAST', 'AFI_IP'],
      ['2.57.57.29/32', 'VM', 'UNICAST', 'AFI_IP'],
      ['169.254.0.1/32', 'LOCAL', 'LOCAL', 'AFI_IP'],
      ['192.0.2.0/24', 'CONNECTED', 'UNICAST', 'AFI_IP'],
      ['192.0.2.1/32', 'LOCAL', 'LOCAL', 'AFI_IP'],
      ['::/0', 'STATIC', 'UNICAST', 'AFI_IP6'],
      ['2001:db8::/64', 'CONNECTED', 'UNICAST', 'AFI_IP6'],
      ['2001:db8::1/128', 'LOCAL', 'LOCAL', 'AFI_IP6'],
      ['2a14:9b80:103::100/128', 'VM', 'UNICAST', 'AFI_IP6'],
      ['fe80::1/128', 'LOCAL', 'LOCAL', 'AFI_IP6'],
    ]);
    expect(pub[0]!.nexthops).toEqual([{ via: '192.0.2.2', port: 'up', mac: '', label: 0, encap: '', source: '', vni: 0, routerMac: '' }]);
    expect(pub[1]!.nexthops).toEqual([{ via: '', port: 'vm1', mac: VM_MAC, label: 0, encap: '', source: '', vni: 0, routerMac: '' }]);
    expect(pub[3]!.nexthops).toEqual([{ via: '', port: 'up', mac: '', label: 0, encap: '', source: '', vni: 0, routerMac: '' }]);
    expect(pub[2]!.nexthops).toEqual([]);
    expect(pub.every((r) => r.vrf === 'pub')).toBe(true);

    const all = await routes();
    expect(all.map((r) => r.vrf)).toEqual([...Array(2).fill('mgmt'), ...Array(10).fill('pub')]);
    expect((await routes({ afi: 'AFI_IP6' })).map((r) => r.prefix)).toEqual(pub.filter((r) => r.afi === 'AFI_IP6').map((r) => r.prefix));
    expect((await routes({ afi: 'AFI_IP', vrf: 'mgmt' })).map((r) => r.prefix)).toEqual(['198.18.0.0/24', '198.18.0.1/32']);
    expect((await routes({ origin: 'ROUTE_ORIGIN_STATIC' })).map((r) => r.prefix)).toEqual(['0.0.0.0/0', '::/0']);
    const e = await refused(routes({ vrf: 'nope' }));
    expect([e.code, e.details]).toEqual([status.NOT_FOUND, "vrf: no vrf named 'nope'"]);
  });

  it('AddRoute / DeleteRoute at run time: traffic follows (gateway, ECMP, blackhole, unreachable), deletion falls back to the default', async () => {
    expect(egress('100.64.1.1')).toBe('arp 192.0.2.2'); // the default route
    dp().memInject('up', arpReply('192.0.2.2', GW2_MAC));
    dp().pollOnce();
    expect(egress('100.64.1.1')).toBe(GW2_MAC);
    const r = await call<RoutingServiceClient, object, { route: Route__Output }>(rt(), 'AddRoute', {
      route: { vrf: 'pub', prefix: '100.64.0.0/10', nexthops: [{ via: '192.0.2.3' }] },
    });
    expect(r.route).toMatchObject({ vrf: 'pub', prefix: '100.64.0.0/10', type: 'ROUTE_TYPE_UNICAST', origin: 'ROUTE_ORIGIN_STATIC', afi: 'AFI_IP' });
    expect(r.route.nexthops).toEqual([{ via: '192.0.2.3', port: 'up', mac: '', label: 0, encap: '', source: '', vni: 0, routerMac: '' }]);
    expect(egress('100.64.1.1')).toBe('arp 192.0.2.3');
    dp().memInject('up', arpReply('192.0.2.3', GW3_MAC));
    dp().pollOnce();
    drain(f, 'up'); // the packet queued while resolving
    expect(egress('100.64.1.1')).toBe(GW3_MAC);
    expect(egress('100.128.0.1')).toBe(GW2_MAC); // outside the new prefix: still the default

    // ECMP: several gateways, one route
    const ecmp = await call<RoutingServiceClient, object, { route: Route__Output }>(rt(), 'AddRoute', {
      route: { vrf: 'pub', prefix: '198.51.100.0/24', nexthops: [{ via: '192.0.2.3' }, { via: '192.0.2.4', port: 'up' }] },
    });
    expect(ecmp.route.nexthops.map((n) => n.via)).toEqual(['192.0.2.3', '192.0.2.4']);
    expect(f.controller.running.vrfs.find((v) => v.name === 'pub')!.routes.find((x) => x.prefix === '198.51.100.0/24')!.via).toEqual([
      { gw: '192.0.2.3', port: 'up' },
      { gw: '192.0.2.4', port: 'up' },
    ]);

    // blackhole: dropped and counted; unreachable: ICMP back to the VM
    await call(rt(), 'AddRoute', { route: { vrf: 'pub', prefix: '203.0.113.0/24', type: 'ROUTE_TYPE_BLACKHOLE' } });
    const before = dp().stats('vm1').drop_blackhole ?? 0;
    expect(egress('203.0.113.9')).toBeNull();
    expect(dp().stats('vm1').drop_blackhole).toBe(before + 1);
    await call(rt(), 'AddRoute', { route: { vrf: 'pub', prefix: '203.0.113.0/24', type: 'ROUTE_TYPE_UNREACHABLE' }, replace: true });
    expect((await routes({ vrf: 'pub' })).find((x) => x.prefix === '203.0.113.0/24')!.type).toBe('ROUTE_TYPE_UNREACHABLE');
    drain(f, 'vm1');
    dp().memInject('vm1', vmPacket('203.0.113.9'));
    dp().pollOnce();
    const icmp = drain(f, 'vm1');
    expect(icmp).toHaveLength(1);
    expect(icmp[0]![14 + 9]).toBe(1); // ICMP
    expect(icmp[0]![14 + 20]).toBe(3); // destination unreachable

    // delete: back to the default route
    await call(rt(), 'DeleteRoute', { vrf: 'pub', prefix: '100.64.0.0/10' });
    expect((await routes({ vrf: 'pub' })).map((x) => x.prefix)).not.toContain('100.64.0.0/10');
    expect(egress('100.64.1.1')).toBe(GW2_MAC);
    // 'default' names 0.0.0.0/0; without it nothing is routed
    await call(rt(), 'DeleteRoute', { vrf: 'pub', prefix: 'default' });
    const noRoute = dp().stats('vm1').drop_no_route ?? 0;
    expect(egress('100.64.1.1')).toBeNull();
    expect(dp().stats('vm1').drop_no_route).toBe(noRoute + 1);
    expect(f.controller.running.vrfs.find((v) => v.name === 'pub')!.routes.map((x) => x.prefix)).toEqual(['::/0', '198.51.100.0/24', '203.0.113.0/24']);
  });

  it('AddRoute / DeleteRoute errors name the field (config paths) and nothing is applied', async () => {
    const before = JSON.stringify(f.controller.running);
    const fib = JSON.stringify(dp().listRoutes());
    const cases: [string, object, status, string][] = [
      ['AddRoute', { route: { vrf: 'pub', prefix: '10.0.0.0/8', nexthops: [{ via: '9.9.9.9' }] } }, status.INVALID_ARGUMENT,
        'vrfs.pub.routes.2.via: gateway 9.9.9.9 is in no subnet of a routed port of vrf pub'],
      ['AddRoute', { route: { vrf: 'pub', prefix: '10.0.0.0/33', nexthops: [{ via: '192.0.2.3' }] } }, status.INVALID_ARGUMENT,
        "vrfs.pub.routes.2.to: '10.0.0.0/33' is not a prefix (CIDR)"],
      ['AddRoute', { route: { vrf: 'pub', prefix: '2001:db8:9::/48', nexthops: [{ via: '192.0.2.3' }] } }, status.INVALID_ARGUMENT,
        'vrfs.pub.routes.2.via: gateway 192.0.2.3 is not of the family of 2001:db8:9::/48'],
      ['AddRoute', { route: { vrf: 'pub', prefix: '10.0.0.0/8' } }, status.INVALID_ARGUMENT,
        'vrfs.pub.routes.2.via: a unicast route needs a gateway (or set type: blackhole|unreachable)'],
      ['AddRoute', { route: { vrf: 'pub', prefix: '10.0.0.0/8', nexthops: [{ via: '192.0.2.3', port: 'vm1' }] } }, status.INVALID_ARGUMENT,
        "vrfs.pub.routes.2.port: 'vm1' is not a routed port of vrf pub"],
      ['AddRoute', { route: { vrf: 'pub', prefix: '10.0.0.0/8', nexthops: Array.from({ length: 9 }, (_, i) => ({ via: `192.0.2.${10 + i}` })) } },
        status.INVALID_ARGUMENT, 'route.nexthops: at most 8 next hops (ECMP) per route, got 9'],
      ['AddRoute', { route: { vrf: 'pub', prefix: '10.0.0.0/8', type: 'ROUTE_TYPE_BLACKHOLE', nexthops: [{ via: '192.0.2.3' }] } }, status.INVALID_ARGUMENT,
        'vrfs.pub.routes.2.via: a blackhole route has no gateway'],
      ['AddRoute', { route: { vrf: 'pub', prefix: '10.0.0.0/8', nexthops: [{ via: '192.0.2.3', port: 'up' }, { via: '192.0.2.4', port: 'vm1' }] } },
        status.INVALID_ARGUMENT, 'route.nexthops: next hops of one route leave by one port (got up, vm1); leave port empty to pick it by subnet'],
      ['AddRoute', { route: { vrf: 'pub', prefix: '10.0.0.0/8', nexthops: [{ port: 'up' }] } }, status.INVALID_ARGUMENT,
        'route.nexthops.0.via: is required (a gateway address)'],
      ['AddRoute', { route: { vrf: 'pub', prefix: '10.0.0.0/8', nexthops: [{ via: '192.0.2.3', mac: VM_MAC }] } }, status.INVALID_ARGUMENT,
        'route.nexthops.0.mac: is set in answers only (vm host routes)'],
      ['AddRoute', { route: { vrf: 'pub', prefix: '10.0.0.1/32', type: 'ROUTE_TYPE_LOCAL' } }, status.INVALID_ARGUMENT,
        'route.type: local routes come from the addresses of routed ports (set the port addresses instead)'],
      ['AddRoute', { route: { prefix: '10.0.0.0/8', type: 'ROUTE_TYPE_BLACKHOLE' } }, status.INVALID_ARGUMENT, 'route.vrf: is required'],
      ['AddRoute', { route: { vrf: 'pub', type: 'ROUTE_TYPE_BLACKHOLE' } }, status.INVALID_ARGUMENT, 'route.prefix: is required'],
      ['AddRoute', { route: { vrf: 'nope', prefix: '10.0.0.0/8', type: 'ROUTE_TYPE_BLACKHOLE' } }, status.NOT_FOUND, "route.vrf: no vrf named 'nope'"],
      ['AddRoute', { route: { vrf: 'pub', prefix: '0.0.0.0/0', nexthops: [{ via: '192.0.2.3' }] } }, status.ALREADY_EXISTS,
        'vrf pub already has a static route to 0.0.0.0/0 (replace it with replace=true / route add --replace)'],
      ['AddRoute', { route: { vrf: 'pub', prefix: '192.0.2.0/24', type: 'ROUTE_TYPE_BLACKHOLE' } }, status.ALREADY_EXISTS,
        '192.0.2.0/24 is a connected route of vrf pub (port up); a static route to it would be shadowed'],
      ['AddRoute', { route: { vrf: 'pub', prefix: '2.57.57.29/32', type: 'ROUTE_TYPE_BLACKHOLE' }, replace: true }, status.ALREADY_EXISTS,
        '2.57.57.29/32 is a vm route of vrf pub (port vm1); a static route to it would be shadowed'],
      ['DeleteRoute', { vrf: 'pub', prefix: '10.0.0.0/8' }, status.NOT_FOUND, 'no static route to 10.0.0.0/8 in vrf pub'],
      ['DeleteRoute', { vrf: 'pub', prefix: '192.0.2.1/32' }, status.FAILED_PRECONDITION,
        '192.0.2.1/32 is a local route of vrf pub, not a static one (it follows the port addresses)'],
      ['DeleteRoute', { vrf: 'pub', prefix: 'ten/8' }, status.INVALID_ARGUMENT, "prefix: 'ten/8' is not a prefix (CIDR)"],
      ['DeleteRoute', { vrf: 'nope', prefix: '10.0.0.0/8' }, status.NOT_FOUND, "vrf: no vrf named 'nope'"],
      ['DeleteRoute', { prefix: '10.0.0.0/8' }, status.INVALID_ARGUMENT, 'vrf: is required'],
    ];
    for (const [rpc, req, code, msg] of cases) {
      const e = await refused(call(rt(), rpc as 'AddRoute', req));
      expect([e.code, e.details], `${rpc} ${JSON.stringify(req)}`).toEqual([code, msg]);
      if (code === status.INVALID_ARGUMENT) {
        const problems = JSON.parse(String(e.metadata.get('hvswitch-problems')[0])) as { path: string }[];
        expect(problems[0]!.path).toBe(msg.split(':')[0]);
      }
    }
    expect(JSON.stringify(f.controller.running)).toBe(before);
    expect(JSON.stringify(dp().listRoutes())).toBe(fib);
  });

  it('concurrent AddRoute calls are serialized: none is lost', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(rt(), 'AddRoute', { route: { vrf: 'pub', prefix: `10.${i}.0.0/16`, nexthops: [{ via: '192.0.2.2' }] } })),
    );
    const statics = (await routes({ vrf: 'pub', origin: 'ROUTE_ORIGIN_STATIC' })).map((r) => r.prefix);
    for (let i = 0; i < 20; i++) expect(statics).toContain(`10.${i}.0.0/16`);
    expect(f.controller.running.vrfs.find((v) => v.name === 'pub')!.routes).toHaveLength(22);
  });

  it('neighbors: learned by ARP (REACHABLE, with VRF), permanent ones added, filters, flush keeps permanent unless asked', async () => {
    expect(arpFor('100.64.1.1')).toBe('192.0.2.2');
    let ns = await neighbors();
    expect(ns).toEqual([expect.objectContaining({ port: 'up', ip: '192.0.2.2', mac: '', state: 'NEIGHBOR_STATE_INCOMPLETE', vrf: 'pub', afi: 'AFI_IP' })]);
    dp().memInject('up', arpReply('192.0.2.2', GW2_MAC));
    dp().pollOnce();
    ns = await neighbors();
    expect(ns).toEqual([{ port: 'up', ip: '192.0.2.2', mac: GW2_MAC, state: 'NEIGHBOR_STATE_REACHABLE', age: expect.any(Number), vrf: 'pub', afi: 'AFI_IP' }]);

    const added = await call<RoutingServiceClient, object, { neighbor: Neighbor__Output }>(rt(), 'AddNeighbor', {
      port: 'up', ip: '2001:DB8::7', mac: '02:BB:00:00:00:07',
    });
    expect(added.neighbor).toMatchObject({ port: 'up', ip: '2001:db8::7', mac: '02:bb:00:00:00:07', state: 'NEIGHBOR_STATE_PERMANENT', vrf: 'pub', afi: 'AFI_IP6' });
    await call(rt(), 'AddNeighbor', { port: 'mg', ip: '198.18.0.9', mac: '02:cc:00:00:00:09' });
    // a permanent neighbor is used without ARP
    await call(rt(), 'AddRoute', { route: { vrf: 'pub', prefix: '2001:db8:7::/48', nexthops: [{ via: '2001:db8::7' }] } });

    ns = await neighbors();
    expect(ns.map((n) => [n.port, n.ip, n.state])).toEqual([
      ['mg', '198.18.0.9', 'NEIGHBOR_STATE_PERMANENT'],
      ['up', '192.0.2.2', 'NEIGHBOR_STATE_REACHABLE'],
      ['up', '2001:db8::7', 'NEIGHBOR_STATE_PERMANENT'],
    ]);
    expect((await neighbors({ port: 'up' })).map((n) => n.ip)).toEqual(['192.0.2.2', '2001:db8::7']);
    expect((await neighbors({ vrf: 'mgmt' })).map((n) => n.ip)).toEqual(['198.18.0.9']);
    expect((await neighbors({ afi: 'AFI_IP6' })).map((n) => n.ip)).toEqual(['2001:db8::7']);

    const bad: [string, object, status, string][] = [
      ['AddNeighbor', { port: 'up', ip: '192.0.2.300', mac: GW2_MAC }, status.INVALID_ARGUMENT, "ip: '192.0.2.300' is not an IPv4 or IPv6 address"],
      ['AddNeighbor', { port: 'up', ip: '192.0.2.5', mac: 'zz' }, status.INVALID_ARGUMENT, "mac: 'zz' is not a MAC address like 52:54:00:12:34:56"],
      ['AddNeighbor', { port: 'up', ip: '192.0.2.5', mac: '01:00:5e:00:00:01' }, status.INVALID_ARGUMENT,
        "mac: 01:00:5e:00:00:01 is a multicast address; a neighbor's MAC is unicast"],
      ['AddNeighbor', { ip: '192.0.2.5', mac: GW2_MAC }, status.INVALID_ARGUMENT, 'port: is required'],
      ['AddNeighbor', { port: 'nope', ip: '192.0.2.5', mac: GW2_MAC }, status.NOT_FOUND, "port: no port named 'nope'"],
      ['AddNeighbor', { port: 'm1', ip: '192.0.2.5', mac: GW2_MAC }, status.FAILED_PRECONDITION,
        "port: 'm1' is an access port; neighbors live on routed and vm ports"],
      ['FlushNeighbor', { port: 'nope' }, status.NOT_FOUND, "port: no port named 'nope'"],
    ];
    for (const [rpc, req, code, msg] of bad) {
      const e = await refused(call(rt(), rpc as 'AddNeighbor', req));
      expect([e.code, e.details], `${rpc} ${JSON.stringify(req)}`).toEqual([code, msg]);
    }
    for (const req of [{ port: 'nope' }, { vrf: 'nope' }]) expect((await refused(neighbors(req))).code).toBe(status.NOT_FOUND);
    expect(await neighbors()).toHaveLength(3);

    let r = await call<RoutingServiceClient, object, { flushed: number }>(rt(), 'FlushNeighbor', { port: 'mg' });
    expect(r.flushed).toBe(0); // only a permanent entry there
    r = await call(rt(), 'FlushNeighbor', {});
    expect(r.flushed).toBe(1);
    expect((await neighbors()).map((n) => n.state)).toEqual(['NEIGHBOR_STATE_PERMANENT', 'NEIGHBOR_STATE_PERMANENT']);
    r = await call(rt(), 'FlushNeighbor', { port: 'up', includePermanent: true });
    expect(r.flushed).toBe(1);
    expect((await neighbors()).map((n) => n.ip)).toEqual(['198.18.0.9']);
    r = await call(rt(), 'FlushNeighbor', { includePermanent: true });
    expect(r.flushed).toBe(1);
    expect(await neighbors()).toEqual([]);
  });

  it('routed and vm ports through the port RPCs: their routes follow AddPort / UpdatePort / DeletePort', async () => {
    const sw = f.client.switch;
    const r = await call<typeof sw, object, { port: Port__Output }>(sw, 'AddPort', {
      port: { name: 'up2', backend: 'PORT_BACKEND_MEMORY', mode: 'PORT_MODE_ROUTED', vrf: 'pub', addresses: ['203.0.113.1/24'], mac: '02:aa:00:00:00:02' },
    });
    expect(r.port).toMatchObject({ name: 'up2', mode: 'PORT_MODE_ROUTED', vrf: 'pub', addresses: ['203.0.113.1/24'], mac: '02:aa:00:00:00:02', bridge: '' });
    const pub = async () => (await routes({ vrf: 'pub' })).map((x) => `${x.prefix} ${x.origin.replace('ROUTE_ORIGIN_', '').toLowerCase()}`);
    expect(await pub()).toEqual(expect.arrayContaining(['203.0.113.0/24 connected', '203.0.113.1/32 local']));
    // a static route via the new port's subnet is accepted now
    await call(rt(), 'AddRoute', { route: { vrf: 'pub', prefix: '100.64.0.0/10', nexthops: [{ via: '203.0.113.2' }] } });
    expect((await routes({ vrf: 'pub' })).find((x) => x.prefix === '100.64.0.0/10')!.nexthops[0]!.port).toBe('up2');

    await call(sw, 'AddPort', {
      port: { name: 'vm2', backend: 'PORT_BACKEND_MEMORY', mode: 'PORT_MODE_VM', vrf: 'pub', addresses: ['2.57.57.30/32'], vmMac: '52:54:00:00:00:06' },
    });
    expect(await pub()).toContain('2.57.57.30/32 vm');
    await call(sw, 'UpdatePort', { port: { name: 'vm2', addresses: ['2.57.57.31/32'] }, updateMask: ['addresses'] });
    expect(await pub()).toContain('2.57.57.31/32 vm');
    expect(await pub()).not.toContain('2.57.57.30/32 vm');
    // the port cannot go while a static route leaves by it
    let e = await refused(call(sw, 'DeletePort', { name: 'up2' }));
    expect(e.code).toBe(status.INVALID_ARGUMENT);
    expect(e.details).toBe("vrfs.pub.routes.2.port: 'up2' is not a routed port of vrf pub");
    // port errors name the port's fields
    e = await refused(call(sw, 'AddPort', { port: { name: 'vm3', backend: 'PORT_BACKEND_MEMORY', mode: 'PORT_MODE_VM', vrf: 'red', addresses: ['2.57.57.40/32'] } }));
    expect(e.details).toBe("ports.vm3.vrf: no vrf named 'red' (vrfs: pub, mgmt); ports.vm3.vm-mac: a vm port needs the VM's MAC");
    e = await refused(call(sw, 'AddPort', { port: { name: 'vm3', backend: 'PORT_BACKEND_MEMORY', mode: 'PORT_MODE_VM', vrf: 'pub', addresses: ['2.57.57.0/24'], vmMac: '52:54:00:00:00:07' } }));
    expect(e.details).toBe('ports.vm3.addresses.0: a VM address is a host route: /32 or /128');
    // the VRF lists its ports
    expect((await vrfs({ names: ['pub'] }))[0]!.ports).toEqual(['up', 'up2', 'vm1', 'vm2']);
    await call(sw, 'DeletePort', { name: 'vm2' });
    expect(await pub()).not.toContain('2.57.57.31/32 vm');
  });

  it('ReloadConfig restores the file\'s VRFs and routes and says what changed; GetDaemonInfo counts VRFs', async () => {
    await call(rt(), 'AddVrf', { vrf: { name: 'storacc' } });
    await call(rt(), 'AddRoute', { route: { vrf: 'pub', prefix: '100.64.0.0/10', nexthops: [{ via: '192.0.2.3' }] } });
    const info = await call<typeof f.client.daemon, object, { vrfs: number }>(f.client.daemon, 'GetDaemonInfo', {});
    expect(info.vrfs).toBe(3);
    const r = await call<typeof f.client.daemon, object, Record<string, string[]>>(f.client.daemon, 'ReloadConfig', {});
    expect(r).toMatchObject({ vrfsAdded: [], vrfsRemoved: ['storacc'], vrfsChanged: ['pub'] });
    expect((await routes({ vrf: 'pub', origin: 'ROUTE_ORIGIN_STATIC' })).map((x) => x.prefix)).toEqual(['0.0.0.0/0', '::/0']);
    expect((await vrfs()).map((v) => v.name)).toEqual(['mgmt', 'pub']);
  });
});
