// IP-VPN export and import (src/vpn/l3vpn.ts, l3vpn-import.ts, rt-import.ts)
// with a real core (memory PE port) and two real speakers over loopback: `rx`
// is ours, `src` plays the reflector and the remote PEs.  Export: our
// prefixes as VPN routes with RD, label, route targets, encapsulation
// communities and our PE as next hop, the label popping into the VRF.
// Import: the route targets a VRF imports, the encapsulation chosen by our
// preference, ECMP across PEs, routes without a common encapsulation counted,
// RT-constraint memberships shared between VRFs.
import { Writable } from 'node:stream';

import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import type { PathAttrs } from '../../src/bgp/index.js';
import { RouteSets } from '../../src/controller/route-sets.js';
import { ImportFib } from '../../src/controller/import-fib.js';
import { Dataplane, type Route } from '../../src/dataplane/index.js';
import { FIRST_LABEL, L3vpnManager } from '../../src/vpn/l3vpn.js';
import type { VrfVpnConfig } from '../../src/vpn/l3vpn-types.js';
import { rtMemberships } from '../../src/vpn/rt-import.js';
import { until } from '../wait.js';
import { speakerPair } from './speaker-pair.js';

const PE = '192.0.2.1';
const RED = 'rt:65000:100', BLUE = 'rt:65000:200';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

const vpn = (vrf: string, rts: string[], more: Partial<VrfVpnConfig> = {}): VrfVpnConfig => ({
  vrf, rd: `${PE}:${vrf === 'red' ? 1 : 2}`, importRts: rts, exportRts: rts, labelMode: 'per-vrf', encaps: ['mpls-udp', 'mpls-gre'], l3vni: null, rmac: null, rmacSet: false, ...more,
});

async function setup() {
  const dp = new Dataplane({ workers: 1, agingSeconds: 300 });
  cleanup.push(() => dp.close());
  dp.addVrf('red');
  dp.addVrf('blue');
  dp.mpls.setPe({ address: PE, backend: 'memory' });
  const families = ['vpnv4', 'vpnv6'] as const;
  const { rx, src } = await speakerPair(PE, families, cleanup);
  const logs: string[] = [];
  const log = pino({ level: 'debug' }, new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) }));
  let q: Promise<unknown> = Promise.resolve();
  const serialize = <T>(fn: () => T): Promise<T> => { const n = q.then(fn); q = n.catch(() => undefined); return n; };
  // the controller's `bgp` sources and the packed FIB path, as the Controller wires them
  const sets = new RouteSets();
  const fib = new ImportFib(sets, dp);
  const m = new L3vpnManager(dp.mpls, rx, { address: PE, af: 4 }, serialize, fib, log);
  cleanup.push(() => m.close());
  const fibOf = (vrf: string) => dp.listRoutes(vrf).filter((r) => r.origin === 'bgp');
  return { dp, rx, src, m, logs, fibOf };
}

const remote = (pe: string, prefix: string, label: number, rts: string[], encaps: string[] = ['encap:mpls-in-gre'], rd = `${pe}:1`) => {
  const attrs: PathAttrs = { nextHop: prefix.includes(':') ? `::ffff:${pe}` : pe, extCommunities: [...rts, ...encaps] };
  return [prefix.includes(':') ? 'vpnv6' : 'vpnv4', { rd, prefix, label }, attrs] as const;
};

describe('IP-VPN export', () => {
  it('per-vrf: every prefix with the VRF label (popping into the VRF), RTs, both encapsulation communities, next hop our PE', async () => {
    const { dp, src, m } = await setup();
    m.apply([vpn('red', [RED])]);
    m.sync('red', ['10.1.0.5/32', '10.1.1.0/24', '2001:db8:1::5/128']);
    const v4 = await until('vpnv4 at the peer', () => { const r = src.routes('vpnv4'); return r.length === 2 && r; });
    const v6 = await until('vpnv6 at the peer', () => { const r = src.routes('vpnv6'); return r.length === 1 && r; });
    const label = m.list()[0]!.label!;
    expect(label).toBeGreaterThanOrEqual(FIRST_LABEL);
    expect(dp.mpls.labels()).toEqual([{ label, vrf: 'red' }]);
    for (const r of [...v4, ...v6]) {
      expect(r.route).toMatchObject({ rd: `${PE}:1`, label });
      expect(r.paths[0]!.attrs.extCommunities).toEqual([RED, 'encap:mpls-in-udp', 'encap:mpls-in-gre']);
    }
    expect(v4.map((r) => r.paths[0]!.nextHop)).toEqual([PE, PE]);
    expect(v6[0]!.paths[0]!.nextHop).toBe(`::ffff:${PE}`); // RFC 4659 §3.2.1.1
    // a prefix gone (a VM port removed): withdrawn
    m.sync('red', ['10.1.1.0/24', '2001:db8:1::5/128']);
    await until('withdrawn at the peer', () => src.routes('vpnv4').length === 1);
    expect(src.routes('vpnv4')[0]!.route).toMatchObject({ prefix: '10.1.1.0/24' });
  });

  it('per-prefix: one label per prefix, released with it; a stopped VRF withdraws everything and frees its labels', async () => {
    const { dp, src, m } = await setup();
    m.apply([vpn('red', [RED], { labelMode: 'per-prefix', encaps: ['mpls-gre'] })]);
    m.sync('red', ['10.1.0.5/32', '10.1.0.6/32']);
    const r = await until('two routes', () => { const x = src.routes('vpnv4'); return x.length === 2 && x; });
    const labels = r.map((x) => (x.route as { label: number }).label).sort();
    expect(new Set(labels).size).toBe(2);
    expect(dp.mpls.labels()).toEqual(labels.map((label) => ({ label, vrf: 'red' })));
    expect(r[0]!.paths[0]!.attrs.extCommunities).toEqual([RED, 'encap:mpls-in-gre']);
    m.sync('red', ['10.1.0.6/32']);
    await until('one withdrawn', () => src.routes('vpnv4').length === 1);
    expect(dp.mpls.labels()).toHaveLength(1);
    m.apply([]);
    await until('all withdrawn', () => src.routes('vpnv4').length === 0);
    expect(dp.mpls.labels()).toEqual([]);
  });
});

describe('IP-VPN import', () => {
  it('a route with an imported RT: MPLS next hop to the PE with its label, our first common encapsulation', async () => {
    const { src, m, fibOf } = await setup();
    m.apply([vpn('red', [RED]), vpn('blue', [BLUE])]);
    src.originate(...remote('198.51.100.1', '10.2.0.0/16', 100, [RED], ['encap:mpls-in-gre', 'encap:mpls-in-udp']));
    src.originate(...remote('198.51.100.1', '10.3.0.0/16', 101, [RED], ['encap:mpls-in-gre']));
    src.originate(...remote('198.51.100.1', '10.4.0.0/16', 102, [RED], []));
    src.originate(...remote('198.51.100.1', '2001:db8:2::/48', 103, [RED]));
    src.originate(...remote('198.51.100.1', '10.9.0.0/16', 200, [BLUE]));
    await until('red FIB', () => fibOf('red').length === 4);
    const nh = (p: string) => fibOf('red').find((r) => r.prefix === p)?.nexthops;
    expect(nh('10.2.0.0/16')).toEqual([{ kind: 'mpls', remote: '198.51.100.1', label: 100, encap: 'udp' }]); // ours first: udp
    expect(nh('10.3.0.0/16')).toEqual([{ kind: 'mpls', remote: '198.51.100.1', label: 101, encap: 'gre' }]);
    expect(nh('10.4.0.0/16')).toEqual([{ kind: 'mpls', remote: '198.51.100.1', label: 102, encap: 'gre' }]); // none named: MPLS-in-GRE
    expect(nh('2001:db8:2::/48')).toEqual([{ kind: 'mpls', remote: '198.51.100.1', label: 103, encap: 'gre' }]); // mapped PE address
    await until('blue FIB', () => fibOf('blue').length === 1);
    expect(fibOf('blue')[0]!.prefix).toBe('10.9.0.0/16');
    // withdrawn -> out of the FIB
    src.withdraw('vpnv4', { rd: '198.51.100.1:1', prefix: '10.3.0.0/16', label: 101 });
    await until('withdrawn from red', () => fibOf('red').length === 3);
  });

  it('no common encapsulation: not installed, logged, counted', async () => {
    const { src, m, logs, fibOf } = await setup();
    m.apply([vpn('red', [RED], { encaps: ['mpls-udp'] })]);
    src.originate(...remote('198.51.100.1', '10.2.0.0/16', 100, [RED], ['encap:vxlan']));
    src.originate(...remote('198.51.100.1', '10.3.0.0/16', 101, [RED], [])); // GRE by default, which red does not take
    src.originate(...remote('198.51.100.1', '10.4.0.0/16', 102, [RED], ['encap:mpls-in-udp']));
    await until('the udp one installed', () => fibOf('red').length === 1);
    await until('two counted', () => m.list()[0]!.notInstalled['no-common-encapsulation'] === 2);
    expect(fibOf('red')[0]!.prefix).toBe('10.4.0.0/16');
    expect(logs.filter((l) => l.includes('VPN route not installed')).length).toBe(2);
  });

  it('the same prefix behind two PEs (two RDs): one ECMP group; one withdrawn leaves the other', async () => {
    const { src, m, fibOf } = await setup();
    m.apply([vpn('red', [RED])]);
    src.originate(...remote('198.51.100.2', '10.2.0.0/16', 300, [RED], ['encap:mpls-in-udp'], '198.51.100.2:1'));
    src.originate(...remote('198.51.100.1', '10.2.0.0/16', 100, [RED], ['encap:mpls-in-udp'], '198.51.100.1:1'));
    await until('ECMP', () => fibOf('red')[0]?.nexthops.length === 2);
    expect(fibOf('red')[0]!.nexthops).toEqual([
      { kind: 'mpls', remote: '198.51.100.1', label: 100, encap: 'udp' },
      { kind: 'mpls', remote: '198.51.100.2', label: 300, encap: 'udp' },
    ]);
    expect(m.paths('red', '10.2.0.0/16').map((p) => p.source)).toEqual(['127.0.0.1', '127.0.0.1']);
    src.withdraw('vpnv4', { rd: '198.51.100.1:1', prefix: '10.2.0.0/16', label: 100 });
    await until('one left', () => fibOf('red')[0]?.nexthops.length === 1);
    expect(fibOf('red')[0]!.nexthops[0]).toMatchObject({ remote: '198.51.100.2' });
  });

  it('leaking: a VRF that imports another VPN\'s RT gets its routes; routes present before the VRF starts are imported', async () => {
    const { src, m, fibOf } = await setup();
    src.originate(...remote('198.51.100.1', '10.9.0.0/16', 200, [BLUE]));
    src.originate(...remote('198.51.100.1', '10.2.0.0/16', 100, [RED]));
    await until('at rx', () => m !== null && src.routes('vpnv4').length === 2);
    m.apply([vpn('red', [RED], { importRts: [RED, BLUE] }), vpn('blue', [BLUE])]);
    await until('red has both', () => fibOf('red').length === 2);
    await until('blue has its own only', () => fibOf('blue').length === 1);
    expect(fibOf('blue')[0]!.prefix).toBe('10.9.0.0/16');
  });

  it('RT-constraint memberships follow the import RTs, once per RT however many VRFs import it', async () => {
    const { rx, m } = await setup();
    const rtc = () => rx.routes('rtc').map((r) => (r.route as { routeTarget: string }).routeTarget).sort();
    m.apply([vpn('red', [RED]), vpn('blue', [BLUE], { importRts: [BLUE, RED] })]);
    expect(rtMemberships(rx)).toEqual([RED, BLUE].sort());
    expect(rtc()).toEqual(['65000:100', '65000:200']);
    m.apply([vpn('blue', [BLUE], { importRts: [BLUE, RED] })]); // red stops: blue still imports RED
    expect(rtc()).toEqual(['65000:100', '65000:200']);
    m.apply([]);
    expect(rtc()).toEqual([]);
  });
});
