// L3 series of the Prometheus endpoint: hvswitch_fib_routes{vrf,afi} equal to
// the FIB (and following live route changes), hvswitch_neighbors{state} equal
// to the neighbor table, every state exported, hvswitch_vrfs.
import { afterEach, describe, expect, it } from 'vitest';

import { call } from '../../src/api/client.js';
import { createMetrics } from '../../src/daemon/metrics.js';
import { drain, startFixture, type Fixture } from './api-fixture.js';
import { arpReply, GW2_MAC, L3, vmPacket } from './api-l3-fixture.js';
import { parseExposition } from './exposition.js';


describe('metrics: FIB and neighbors', () => {
  let f: Fixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  it('hvswitch_fib_routes per VRF and family, hvswitch_neighbors per state, hvswitch_vrfs', async () => {
    f = await startFixture(L3);
    const dp = f.controller.dataplane;
    const reg = createMetrics(f.controller, '1.2.3');
    const scrape = async () => {
      await new Promise((r) => setTimeout(r, 120)); // past the 100 ms snapshot cache
      return parseExposition(await reg.metrics());
    };
    let { values, types } = await scrape();
    expect(types.get('hvswitch_fib_routes')).toBe('gauge');
    expect(types.get('hvswitch_neighbors')).toBe('gauge');
    const fib = (vrf: string, afi: 'ipv4' | 'ipv6') => dp.listRoutes(vrf).filter((r) => r.prefix.includes(':') === (afi === 'ipv6')).length;
    // pub: default, VM /32, 169.254.0.1, connected + local of 192.0.2.1/24 = 5 IPv4; the same for IPv6
    expect(values.get('hvswitch_fib_routes{vrf="pub",afi="ipv4"}')).toBe(5);
    expect(values.get('hvswitch_fib_routes{vrf="pub",afi="ipv6"}')).toBe(5);
    expect(values.get('hvswitch_fib_routes{vrf="mgmt",afi="ipv4"}')).toBe(2);
    expect(values.get('hvswitch_fib_routes{vrf="mgmt",afi="ipv6"}')).toBe(0);
    for (const vrf of ['pub', 'mgmt'])
      for (const afi of ['ipv4', 'ipv6'] as const) expect(values.get(`hvswitch_fib_routes{vrf="${vrf}",afi="${afi}"}`)).toBe(fib(vrf, afi));
    expect(values.get('hvswitch_vrfs')).toBe(2);
    for (const state of ['incomplete', 'reachable', 'stale', 'failed', 'permanent']) expect(values.get(`hvswitch_neighbors{state="${state}"}`)).toBe(0);

    // live changes show in the next scrape
    await call(f.client.routing, 'AddRoute', { route: { vrf: 'pub', prefix: '10.0.0.0/8', type: 'ROUTE_TYPE_BLACKHOLE' } });
    await call(f.client.routing, 'AddRoute', { route: { vrf: 'pub', prefix: '2001:db8:9::/48', type: 'ROUTE_TYPE_BLACKHOLE' } });
    await call(f.client.routing, 'AddVrf', { vrf: { name: 'storacc' } });
    await call(f.client.routing, 'AddNeighbor', { port: 'up', ip: '192.0.2.7', mac: '02:bb:00:00:00:07' });
    dp.memInject('vm1', vmPacket('100.64.1.1'));
    dp.memInject('vm1', vmPacket('192.0.2.8'));
    dp.pollOnce();
    dp.memInject('up', arpReply('192.0.2.2', GW2_MAC));
    dp.pollOnce();
    drain(f, 'up');
    ({ values } = await scrape());
    expect(values.get('hvswitch_fib_routes{vrf="pub",afi="ipv4"}')).toBe(6);
    expect(values.get('hvswitch_fib_routes{vrf="pub",afi="ipv6"}')).toBe(6);
    expect(values.get('hvswitch_fib_routes{vrf="storacc",afi="ipv4"}')).toBe(0);
    expect(values.get('hvswitch_vrfs')).toBe(3);
    expect(values.get('hvswitch_neighbors{state="permanent"}')).toBe(1);
    expect(values.get('hvswitch_neighbors{state="reachable"}')).toBe(1);
    expect(values.get('hvswitch_neighbors{state="incomplete"}')).toBe(1); // 192.0.2.8: no answer
    const byState = new Map<string, number>();
    for (const n of dp.neighbors()) byState.set(n.state, (byState.get(n.state) ?? 0) + 1);
    for (const [state, n] of byState) expect(values.get(`hvswitch_neighbors{state="${state}"}`)).toBe(n);

    await call(f.client.routing, 'DeleteVrf', { name: 'storacc' });
    ({ values } = await scrape());
    expect([...values.keys()].filter((k) => k.includes('storacc'))).toEqual([]);
  });
});
