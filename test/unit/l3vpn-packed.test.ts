// The packed import path (src/vpn/l3vpn-import.ts -> controller/import-fib.ts ->
// Dataplane.updateKeys -> one routeBatch into a real core): a batch of VPN best
// paths comes out as prefix keys and shared next-hop arrays, no Route object per
// prefix; the import is a source of the VRF's bgp origin, so a static route to
// the same prefix still wins (RFC 4364 import under our origin precedence) and
// withdrawing it uncovers the VPN route; withdraws, ECMP across PEs (two RDs),
// label changes in place, and detaching the import leave the FIB equal to
// what the import and the sets say, with no next hop left behind.
import { afterEach, describe, expect, it } from 'vitest';

import { ImportFib } from '../../src/controller/import-fib.js';
import { RouteSets } from '../../src/controller/route-sets.js';
import type { BestPathChange } from '../../src/bgp/index.js';
import { Dataplane, type Route } from '../../src/dataplane/index.js';
import { parseKey4 } from '../../src/util/prefix-table.js';
import { VrfImport } from '../../src/vpn/l3vpn-import.js';
import type { VrfVpnConfig } from '../../src/vpn/l3vpn-types.js';

const PE = '192.0.2.1';
const cfg: VrfVpnConfig = {
  vrf: 'red', rd: `${PE}:1`, importRts: ['rt:65000:100'], exportRts: ['rt:65000:100'], labelMode: 'per-vrf', encaps: ['mpls-udp', 'mpls-gre'], l3vni: null, rmac: null, rmacSet: false,
};
// two remote PEs; the RIB interns attribute sets, so each PE's is one object
const attrsOf = new Map<string, object>();
const attrs = (pe: string) => {
  let a = attrsOf.get(pe);
  if (!a) attrsOf.set(pe, (a = { extCommunities: ['rt:65000:100', 'encap:mpls-in-udp'], localPref: 100 }));
  return a;
};
const best = (pe: string) => ({ source: '192.0.2.9', nextHop: pe, attrs: attrs(pe) }) as BestPathChange['best'];
const change = (prefix: string, pe: string | null, label = 100, rd = '192.0.2.9:1'): BestPathChange =>
  ({ family: 'vpnv4', route: { rd, prefix, label }, key: `${rd}:${prefix}`, best: pe ? best(pe) : null }) as BestPathChange;

const cleanup: (() => void)[] = [];
afterEach(() => { for (const f of cleanup.splice(0).reverse()) f(); });

function setup() {
  const dp = new Dataplane({ workers: 1, agingSeconds: 300 });
  cleanup.push(() => dp.close());
  dp.addVrf('red');
  dp.mpls.setPe({ address: PE, backend: 'memory' });
  const sets = new RouteSets();
  const fib = new ImportFib(sets, dp);
  const imp = new VrfImport(cfg, { address: PE, af: 4 }, () => {});
  fib.attach('red', imp);
  const push = (changes: BestPathChange[]) => {
    const c = imp.apply(changes);
    fib.changed('red', imp, c.keys, c.hops);
    return c;
  };
  // the next-hop entries the wrapper holds (reference-counted from the core's answers)
  const nextHops = () => (dp as unknown as { vrfsOf: { routes: { nhById: Map<number, unknown> } } }).vrfsOf.routes.nhById.size;
  const table = () => Object.fromEntries(dp.listRoutes('red').map((r) => [r.prefix, r.nexthops.map((n) => (n.kind === 'mpls' ? `${n.remote}/${n.label}` : n.kind)).join(',') + (r.origin === 'bgp' ? '' : ` (${r.origin})`)]));
  return { dp, sets, fib, imp, push, table, nextHops };
}

describe('packed import path', () => {
  it('a batch is prefix keys and shared next-hop arrays, each prefix once', () => {
    const { imp } = setup();
    const c = imp.apply([change('10.0.0.1/32', '198.51.100.1'), change('10.0.0.2/32', '198.51.100.1'), change('10.0.0.3/32', '198.51.100.2'), change('10.0.0.1/32', '198.51.100.1')]);
    expect(c.keys).toEqual(['10.0.0.1/32', '10.0.0.2/32', '10.0.0.3/32'].map((p) => parseKey4(p)));
    expect(c.hops[0]).toBe(c.hops[1]); // one array per candidate, not per route
    expect(c.hops[0]).toEqual([{ kind: 'mpls', remote: '198.51.100.1', label: 100, encap: 'udp' }]);
    expect(c.hops[2]).not.toBe(c.hops[0]);
    expect(imp.size).toBe(3);
    expect(imp.get('10.0.0.3/32')).toEqual({ prefix: '10.0.0.3/32', origin: 'bgp', nexthops: c.hops[2] });
    const w = imp.apply([change('10.0.0.2/32', null)]);
    expect(w.hops).toEqual([null]);
    expect(imp.size).toBe(2);
  });

  it('into the core: install, label change in place, ECMP across RDs, withdraw', () => {
    const { dp, push, table, nextHops } = setup();
    push(Array.from({ length: 300 }, (_, i) => change(`10.1.${i >> 8}.${i & 255}/32`, `198.51.100.${1 + (i % 2)}`)));
    expect(dp.listVrfs()[0]!.routes).toBe(300);
    expect(table()['10.1.0.7/32']).toBe('198.51.100.2/100');
    push([change('10.1.0.7/32', '198.51.100.2', 101)]);
    expect(table()['10.1.0.7/32']).toBe('198.51.100.2/101');
    // the same prefix from another RD (a second PE): an ECMP group, lowest PE first
    push([change('10.1.0.7/32', '198.51.100.1', 200, '192.0.2.8:1')]);
    expect(table()['10.1.0.7/32']).toBe('198.51.100.1/200,198.51.100.2/101');
    push([change('10.1.0.7/32', null)]); // the first RD withdrawn: the other remains
    expect(table()['10.1.0.7/32']).toBe('198.51.100.1/200');
    push(Array.from({ length: 300 }, (_, i) => change(`10.1.${i >> 8}.${i & 255}/32`, null)));
    expect(table()['10.1.0.7/32']).toBe('198.51.100.1/200');
    expect(nextHops()).toBe(1);
    push([change('10.1.0.7/32', null, 200, '192.0.2.8:1')]);
    expect(dp.listVrfs()[0]!.routes).toBe(0);
    expect(nextHops()).toBe(0);
  });

  it('a static route to an imported prefix wins; withdrawing it uncovers the import', () => {
    const { dp, sets, push, table } = setup();
    push([change('10.2.0.0/16', '198.51.100.1'), change('10.3.0.0/16', '198.51.100.1')]);
    const stat: Route = { prefix: '10.2.0.0/16', origin: 'static', nexthops: [{ kind: 'drop' }] };
    sets.replace('red', 'static', [stat]);
    dp.setRoutes('red', sets.merged('red'));
    expect(table()).toEqual({ '10.2.0.0/16': 'drop (static)', '10.3.0.0/16': '198.51.100.1/100' });
    // import churn on the shadowed prefix leaves the static route alone
    push([change('10.2.0.0/16', '198.51.100.2', 300)]);
    expect(table()['10.2.0.0/16']).toBe('drop (static)');
    sets.replace('red', 'static', []);
    dp.setRoutes('red', sets.merged('red'));
    expect(table()).toEqual({ '10.2.0.0/16': '198.51.100.2/300', '10.3.0.0/16': '198.51.100.1/100' });
  });

  it('one-route batches reuse the conversion of each next-hop array; replacing the PE invalidates it (Mpls.epoch)', () => {
    const { dp, push, table } = setup();
    // churn: one UPDATE per batch, taking turns among PEs and labels, as routes.mjs does
    for (let j = 0; j < 40; j++) push([change(`10.6.0.${j % 8}/32`, `198.51.100.${1 + (j % 3)}`, 100 + (j % 2))]);
    for (let i = 0; i < 8; i++) {
      const j = 32 + i; // the last write of 10.6.0.i
      expect(table()[`10.6.0.${i}/32`]).toBe(`198.51.100.${1 + (j % 3)}/${100 + (j % 2)}`);
    }
    // the same next-hop array across a PE replacement: tunnel ids are handed out again, in a new order
    const hop = [{ kind: 'mpls' as const, remote: '198.51.100.1', label: 300, encap: 'udp' as const }];
    const k1 = parseKey4('10.7.0.1/32')!, k2 = parseKey4('10.7.0.2/32')!;
    dp.updateKeys('red', [k1], [hop], 'bgp');
    push(Array.from({ length: 8 }, (_, i) => change(`10.6.0.${i}/32`, null)));
    dp.updateKeys('red', [k1], [null], 'bgp');
    expect(dp.listVrfs()[0]!.routes).toBe(0);
    dp.mpls.setPe({ address: '192.0.2.5', backend: 'memory' }); // no tunnel in use: all are dropped
    dp.updateKeys('red', [k2], [[{ kind: 'mpls', remote: '198.51.100.2', label: 300, encap: 'udp' }]], 'bgp'); // takes tunnel id 1
    dp.updateKeys('red', [k1], [hop], 'bgp'); // a stale conversion would name tunnel 1 (198.51.100.2)
    expect(table()).toEqual({ '10.7.0.1/32': '198.51.100.1/300', '10.7.0.2/32': '198.51.100.2/300' });
  });

  it('MPLS tunnels by the text of the next hop: two spellings of one IPv6 PE are one tunnel', () => {
    const { dp } = setup();
    dp.mpls.setPe({ address: '2001:db8::1', backend: 'memory' });
    const a = dp.mpls.tunnelFor('2001:db8::9', 'udp');
    expect(dp.mpls.tunnelFor('2001:DB8:0:0::9', 'udp')).toBe(a);
    expect(dp.mpls.tunnelFor('2001:db8::9', 'udp')).toBe(a);
    expect(dp.mpls.tunnelFor('2001:db8::9', 'gre')).not.toBe(a);
    expect(() => dp.mpls.tunnelFor('192.0.2.77', 'udp')).toThrow('is not of the PE address');
    expect(dp.mpls.tunnels().map((t) => t.encap)).toEqual(['udp', 'gre']);
  });

  it('detaching the import takes its routes out and nothing else', () => {
    const { dp, sets, fib, imp, push, table, nextHops } = setup();
    push([change('10.4.0.0/16', '198.51.100.1'), change('10.5.0.0/16', '198.51.100.1')]);
    sets.replace('red', 'static', [{ prefix: '10.5.0.0/16', origin: 'static', nexthops: [{ kind: 'reject' }] }]);
    dp.setRoutes('red', sets.merged('red'));
    expect(sets.routes('red', 'bgp').map((r) => r.prefix).sort()).toEqual(['10.4.0.0/16', '10.5.0.0/16']);
    fib.detach('red', imp);
    expect(table()).toEqual({ '10.5.0.0/16': 'reject (static)' });
    expect(sets.routes('red', 'bgp')).toEqual([]);
    expect(nextHops()).toBe(1); // the static route's
  });
});
