// Route sets per origin (src/controller/route-sets.ts) through the controller
// as a library, over memory ports (no root, no daemon): a reload replaces the
// config's sets only, the owner of the bgp set replaces only its own, the
// precedence decides between origins, and every write goes through the queue.
import { afterEach, describe, expect, it } from 'vitest';

import { Controller, normalizeConfig, RouteSets, type Config } from '../../src/controller/index.js';
import type { Route } from '../../src/dataplane/index.js';
import { createLogger } from '../../src/util/logger.js';

function cfg(routes: object[] = [{ to: '198.51.100.0/24', via: '192.0.2.2' }]): Config {
  return normalizeConfig({
    vrfs: { pub: { routes } },
    ports: { up: { backend: 'memory', mode: 'routed', vrf: 'pub', mac: '02:aa:00:00:00:02', addresses: ['192.0.2.1/24'] } },
  });
}

const bgpRoute = (prefix: string, gw = '192.0.2.9'): Route => ({ prefix, origin: 'bgp', nexthops: [{ kind: 'gateway', port: 'up', gw }] });

describe('route sets per origin (controller as a library, memory ports)', () => {
  let ctl: Controller | undefined;
  afterEach(() => {
    ctl?.close();
    ctl = undefined;
  });
  const start = (c = cfg()) => {
    ctl = new Controller(c, createLogger('silent'));
    ctl.start(c);
    return ctl;
  };
  const fib = (c: Controller) => Object.fromEntries(c.dataplane.listRoutes('pub').map((r) => [r.prefix, r.origin]));

  it('a bgp-origin route survives a config reload', async () => {
    const c = start();
    await c.setRoutes('bgp', 'pub', [bgpRoute('203.0.113.0/24')]);
    expect(fib(c)['203.0.113.0/24']).toBe('bgp');
    await c.apply(cfg([{ to: '198.51.100.0/24', via: '192.0.2.3' }]));
    expect(fib(c)).toMatchObject({ '203.0.113.0/24': 'bgp', '198.51.100.0/24': 'static', '192.0.2.0/24': 'connected', '192.0.2.1/32': 'local' });
    expect(c.routes('bgp', 'pub').map((r) => r.prefix)).toEqual(['203.0.113.0/24']);
  });

  it('a reload that removes a static route removes only it', async () => {
    const c = start(cfg([{ to: '198.51.100.0/24', via: '192.0.2.2' }, { to: '10.0.0.0/8', via: '192.0.2.2' }]));
    await c.setRoutes('bgp', 'pub', [bgpRoute('203.0.113.0/24')]);
    await c.apply(cfg([{ to: '10.0.0.0/8', via: '192.0.2.2' }]));
    expect(fib(c)).toEqual({ '10.0.0.0/8': 'static', '203.0.113.0/24': 'bgp', '192.0.2.0/24': 'connected', '192.0.2.1/32': 'local' });
  });

  it('static wins over bgp for the same prefix; withdrawing the static uncovers bgp, withdrawing bgp uncovers static', async () => {
    const c = start();
    await c.setRoutes('bgp', 'pub', [bgpRoute('198.51.100.0/24', '192.0.2.9')]);
    const nh = () => c.dataplane.listRoutes('pub').find((r) => r.prefix === '198.51.100.0/24');
    expect(nh()).toMatchObject({ origin: 'static', nexthops: [{ kind: 'gateway', gw: '192.0.2.2' }] });
    await c.apply(cfg([]));
    expect(nh()).toMatchObject({ origin: 'bgp', nexthops: [{ kind: 'gateway', gw: '192.0.2.9' }] });
    await c.apply(cfg());
    expect(nh()?.origin).toBe('static');
    await c.updateRoutes('bgp', 'pub', { withdraw: ['198.51.100.0/24'] });
    expect(nh()).toMatchObject({ origin: 'static', nexthops: [{ kind: 'gateway', gw: '192.0.2.2' }] });
    expect(c.routes('bgp', 'pub')).toEqual([]);
  });

  it('withdrawing the bgp route of a prefix the config does not have removes it from the FIB', async () => {
    const c = start();
    await c.updateRoutes('bgp', 'pub', { put: [bgpRoute('203.0.113.0/24'), bgpRoute('2.57.57.0/24')] });
    await c.updateRoutes('bgp', 'pub', { withdraw: ['203.0.113.0/24'] });
    expect(fib(c)['203.0.113.0/24']).toBeUndefined();
    expect(fib(c)['2.57.57.0/24']).toBe('bgp');
  });

  it('an unknown VRF or a bad prefix is refused and changes nothing', async () => {
    const c = start();
    await expect(c.setRoutes('bgp', 'nope', [])).rejects.toThrow(/no vrf named 'nope'/);
    await expect(c.updateRoutes('bgp', 'pub', { put: [{ ...bgpRoute('x'), prefix: 'not-a-prefix' }] })).rejects.toThrow(/not a prefix/);
    expect(fib(c)['203.0.113.0/24']).toBeUndefined();
    expect(c.routes('bgp', 'pub')).toEqual([]);
  });

  it('concurrent writes are serialized in the order they were queued', async () => {
    const c = start();
    const order: string[] = [];
    const writes = [
      c.setRoutes('bgp', 'pub', [bgpRoute('203.0.113.0/24', '192.0.2.7')]).then(() => order.push('bgp1')),
      c.apply(cfg([])).then(() => order.push('reload')),
      c.setRoutes('bgp', 'pub', [bgpRoute('203.0.113.0/24', '192.0.2.8')]).then(() => order.push('bgp2')),
      c.serialize(() => order.push(`seen ${c.dataplane.listRoutes('pub').find((r) => r.prefix === '203.0.113.0/24')?.nexthops[0]?.kind}`)),
    ];
    await Promise.all(writes);
    expect(order).toEqual(['bgp1', 'reload', 'bgp2', 'seen gateway']);
    const r = c.dataplane.listRoutes('pub').find((x) => x.prefix === '203.0.113.0/24');
    expect(r?.nexthops).toEqual([{ kind: 'gateway', port: 'up', gw: '192.0.2.8' }]);
    expect(fib(c)['198.51.100.0/24']).toBeUndefined();
  });

  it('a bgp route via a port a reload removes stays in its set and comes back with the port', async () => {
    const c = start();
    await c.setRoutes('bgp', 'pub', [bgpRoute('203.0.113.0/24')]);
    const noPort = normalizeConfig({ vrfs: { pub: {} } });
    await c.apply(noPort);
    expect(fib(c)['203.0.113.0/24']).toBeUndefined();
    await c.apply(cfg());
    expect(fib(c)['203.0.113.0/24']).toBe('bgp');
  });
});

describe('incremental route updates (the BGP churn path)', () => {
  let ctl: Controller | undefined;
  afterEach(() => {
    ctl?.close();
    ctl = undefined;
  });

  it('updateRoutes writes only the touched prefixes: the FIB equals the full merge after every step', async () => {
    const c = cfg();
    ctl = new Controller(c, createLogger('silent'));
    ctl.start(c);
    const dp = ctl.dataplane;
    const full = () => {
      const d = new RouteSets();
      for (const o of ['bgp', 'static'] as const) d.replace('pub', o, ctl!.routes(o, 'pub'));
      return d.merged('pub').map((r) => r.prefix).sort();
    };
    const fibPrefixes = () => dp.listRoutes('pub').filter((r) => r.origin === 'bgp' || r.origin === 'static').map((r) => r.prefix).sort();
    const calls: { put: number; withdraw: number }[] = [];
    const update = dp.updateRoutes.bind(dp);
    dp.updateRoutes = (vrf, put, withdraw) => (calls.push({ put: put.length, withdraw: withdraw.length }), update(vrf, put, withdraw));
    const many = Array.from({ length: 1000 }, (_, i) => bgpRoute(`10.${i >> 8}.${i & 255}.0/24`));
    await ctl.updateRoutes('bgp', 'pub', { put: many });
    expect(fibPrefixes()).toEqual(full());
    await ctl.updateRoutes('bgp', 'pub', { put: [bgpRoute('10.0.5.0/24', '192.0.2.10')], withdraw: ['10.0.7.0/24', '10.99.0.0/24'] });
    expect(calls.at(-1)).toEqual({ put: 1, withdraw: 2 }); // two prefixes and one new next hop, not the table
    expect(JSON.stringify(dp.listRoutes('pub').find((r) => r.prefix === '10.0.5.0/24')?.nexthops)).toContain('192.0.2.10');
    expect(fibPrefixes()).toEqual(full());
    // the static route of the config wins over bgp; withdrawing bgp's leaves it
    await ctl.updateRoutes('bgp', 'pub', { put: [bgpRoute('198.51.100.0/24')] });
    expect(fib(ctl)['198.51.100.0/24']).toBe('static');
    await ctl.updateRoutes('bgp', 'pub', { withdraw: ['198.51.100.0/24'] });
    expect(fib(ctl)['198.51.100.0/24']).toBe('static');
    expect(fibPrefixes()).toEqual(full());
  });

  it('a change the dataplane refuses is undone in the set, and the FIB stays the merge', async () => {
    const c = cfg();
    ctl = new Controller(c, createLogger('silent'));
    ctl.start(c);
    await ctl.updateRoutes('bgp', 'pub', { put: [bgpRoute('10.1.0.0/16')] });
    // an MPLS next hop without a PE: the dataplane refuses it
    const bad: Route = { prefix: '10.2.0.0/16', origin: 'bgp', nexthops: [{ kind: 'mpls', remote: '192.0.2.50', label: 100, encap: 'udp' }] };
    await expect(ctl.updateRoutes('bgp', 'pub', { put: [bad], withdraw: ['10.1.0.0/16'] })).rejects.toThrow();
    expect(ctl.routes('bgp', 'pub').map((r) => r.prefix)).toEqual(['10.1.0.0/16']);
    expect(fib(ctl)['10.1.0.0/16']).toBe('bgp');
    expect(fib(ctl)['10.2.0.0/16']).toBeUndefined();
  });

  const fib = (c: Controller) => Object.fromEntries(c.dataplane.listRoutes('pub').map((r) => [r.prefix, r.origin]));
});

describe('RouteSets.edit and winner', () => {
  it('edits in place, the undo restores the touched prefixes, winner follows the precedence', () => {
    const s = new RouteSets();
    const r = (prefix: string, origin: string, kind: 'drop' | 'reject' = 'drop'): Route => ({ prefix, origin, nexthops: [{ kind }] });
    s.replace('v', 'static', [r('10.0.0.0/8', 'static')]);
    s.edit('v', 'bgp', [r('10.0.0.0/8', 'bgp'), r('11.0.0.0/8', 'bgp')], []);
    expect(s.winner('v', '10.0.0.0/8')?.origin).toBe('static');
    expect(s.winner('v', '11.0.0.0/8')?.origin).toBe('bgp');
    expect(s.winner('v', '11.0.0.0/8', () => false)).toBeNull();
    const undo = s.edit('v', 'bgp', [r('11.0.0.0/8', 'bgp', 'reject'), r('12.0.0.0/8', 'bgp')], ['10.0.0.0/8']);
    expect(s.routes('v', 'bgp').map((x) => `${x.prefix} ${x.nexthops[0]!.kind}`).sort()).toEqual(['11.0.0.0/8 reject', '12.0.0.0/8 drop']);
    undo();
    expect(s.routes('v', 'bgp').map((x) => `${x.prefix} ${x.nexthops[0]!.kind}`).sort()).toEqual(['10.0.0.0/8 drop', '11.0.0.0/8 drop']);
    s.edit('v', 'bgp', [], ['10.0.0.0/8', '11.0.0.0/8']);
    expect(s.merged('v').map((x) => x.origin)).toEqual(['static']);
  });
});

describe('RouteSets precedence', () => {
  it('local > connected > vm > static > api > bgp, per prefix', () => {
    const s = new RouteSets();
    const r = (origin: string): Route => ({ prefix: '10.0.0.0/8', origin, nexthops: [{ kind: 'drop' }] });
    s.replace('v', 'bgp', [r('bgp')]);
    s.replace('v', 'api', [r('api')]);
    expect(s.merged('v').map((x) => x.origin)).toEqual(['api']);
    s.replace('v', 'static', [r('static')]);
    expect(s.merged('v').map((x) => x.origin)).toEqual(['static']);
    s.replace('v', 'connected', [r('connected')]);
    s.replace('v', 'vm', [r('vm')]);
    expect(s.merged('v').map((x) => x.origin)).toEqual(['connected']);
    s.replace('v', 'connected', []);
    expect(s.merged('v').map((x) => x.origin)).toEqual(['vm']);
  });
});
