// EVPN type-5 export and import (src/vpn/type5.ts through l3vpn.ts and
// l3vpn-import.ts) with a real core (memory VTEP and PE ports) and two real
// speakers over loopback: `rx` is ours, `src` plays the reflector and the
// remote PEs.  Export: RFC 9136 §3 IP Prefix routes (ESI 0, tag 0, gateway 0,
// label = L3 VNI) with the route targets, the router MAC (RFC 9135 §8.1) and
// VXLAN encapsulation (RFC 9012 type 8) communities, next hop our VTEP; the L3
// VNI mapped in the core.  Import: VXLAN next hops (remote VTEP, VNI, router
// MACs), the refusals counted by reason, ECMP across VTEPs, and the choice
// between a VPN-IPv4 and a type-5 path by our encapsulation preference.
import { Writable } from 'node:stream';

import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import type { PathAttrs } from '../../src/bgp/index.js';
import { RouteSets } from '../../src/controller/route-sets.js';
import { ImportFib } from '../../src/controller/import-fib.js';
import { Dataplane, type Route } from '../../src/dataplane/index.js';
import { L3vpnManager } from '../../src/vpn/l3vpn.js';
import type { VrfVpnConfig } from '../../src/vpn/l3vpn-types.js';
import { until } from '../wait.js';
import { speakerPair } from './speaker-pair.js';

const VTEP = '192.0.2.1';
const RED = 'rt:65000:100';
const RMAC = '02:00:5e:00:00:01';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

const vrf = (more: Partial<VrfVpnConfig> = {}): VrfVpnConfig => ({
  vrf: 'red', rd: `${VTEP}:1`, importRts: [RED], exportRts: [RED], labelMode: 'per-vrf', encaps: ['vxlan'], l3vni: 9000, rmac: RMAC, rmacSet: true, ...more,
});

async function setup() {
  const dp = new Dataplane({ workers: 1, agingSeconds: 300 });
  cleanup.push(() => dp.close());
  dp.addVrf('red');
  dp.setVtep({ address: VTEP, backend: 'memory', floodGroup: 1 });
  dp.mpls.setPe({ address: VTEP, backend: 'memory' });
  const families = ['evpn', 'vpnv4', 'vpnv6'] as const;
  const { rx, src } = await speakerPair(VTEP, families, cleanup);
  const logs: string[] = [];
  const log = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) }));
  let q: Promise<unknown> = Promise.resolve();
  const serialize = <T>(fn: () => T): Promise<T> => { const n = q.then(fn); q = n.catch(() => undefined); return n; };
  const sets = new RouteSets();
  const fib = new ImportFib(sets, dp);
  const vx = { vtep: () => dp.vtep(), l3vniSet: (vni: number, v: string, rmac: string) => dp.l3vniSet(vni, v, rmac), vniDel: (vni: number) => dp.vniDel(vni) };
  const m = new L3vpnManager(dp.mpls, rx, { address: VTEP, af: 4 }, serialize, fib, log, vx);
  cleanup.push(() => m.close());
  const fibOf = () => dp.listRoutes('red').filter((r) => r.origin === 'bgp');
  return { dp, src, m, logs, fibOf };
}

/** A remote type-5 route: `originate` arguments. */
const type5 = (vtep: string, prefix: string, vni: number, ext: string[], more: { rd?: string; gateway?: string } = {}) => {
  const attrs: PathAttrs = { nextHop: vtep, extCommunities: [RED, ...ext] };
  return [
    'evpn',
    { type: 5, rd: more.rd ?? `${vtep}:1`, esi: '0', ethernetTag: 0, prefix, gateway: more.gateway ?? (prefix.includes(':') ? '::' : '0.0.0.0'), label: vni },
    attrs,
  ] as const;
};

describe('EVPN type-5 export', () => {
  it('RFC 9136 §3: one IP Prefix route per prefix, label = L3 VNI, RT + router MAC + VXLAN, next hop our VTEP; no VPN route', async () => {
    const { dp, src, m } = await setup();
    m.apply([vrf()]);
    m.sync('red', ['10.1.0.5/32', '2001:db8:1::5/128']);
    const r = await until('type-5 at the peer', () => { const x = src.routes('evpn'); return x.length === 2 && x; });
    const v4 = r.find((x) => (x.route as { prefix: string }).prefix === '10.1.0.5/32')!;
    expect(v4.route).toEqual({ type: 5, rd: `${VTEP}:1`, esi: '00:00:00:00:00:00:00:00:00:00', ethernetTag: 0, prefix: '10.1.0.5/32', gateway: '0.0.0.0', label: 9000 });
    expect(v4.paths[0]!.nextHop).toBe(VTEP);
    expect(v4.paths[0]!.attrs.extCommunities).toEqual([RED, `router-mac:${RMAC}`, 'encap:vxlan']);
    expect(r.find((x) => (x.route as { prefix: string }).prefix === '2001:db8:1::5/128')!.route).toMatchObject({ gateway: '::', label: 9000 });
    expect(src.routes('vpnv4')).toEqual([]); // encapsulations [vxlan]: no label, no VPN route
    expect(m.list()[0]!.label).toBeNull();
    // a prefix gone: withdrawn; the service stopped: all withdrawn
    m.sync('red', ['2001:db8:1::5/128']);
    await until('withdrawn', () => src.routes('evpn').length === 1);
    m.apply([]);
    await until('all withdrawn', () => src.routes('evpn').length === 0);
    // the L3 VNI was mapped to the VRF while the service ran; unmapped now (deleting it again fails)
    expect(dp.vniDel(9000)).toBe(false);
  });

  it('with MPLS too: both the VPN-IPv4 route (MPLS communities only) and the type-5 route', async () => {
    const { src, m } = await setup();
    m.apply([vrf({ encaps: ['vxlan', 'mpls-udp'] })]);
    m.sync('red', ['10.1.0.5/32']);
    const v = await until('vpnv4', () => { const x = src.routes('vpnv4'); return x.length === 1 && x; });
    expect(v[0]!.paths[0]!.attrs.extCommunities).toEqual([RED, 'encap:mpls-in-udp']);
    await until('evpn', () => src.routes('evpn').length === 1);
  });
});

describe('EVPN type-5 import', () => {
  it('a route with an imported RT: a VXLAN next hop to its VTEP with its VNI, its router MAC and ours; withdrawn: gone', async () => {
    const { dp, src, m, fibOf } = await setup();
    m.apply([vrf()]);
    src.originate(...type5('198.51.100.1', '10.2.0.0/16', 9001, ['router-mac:02:00:00:00:00:aa', 'encap:vxlan']));
    src.originate(...type5('198.51.100.1', '2001:db8:2::/48', 9001, ['router-mac:02:00:00:00:00:aa', 'encap:vxlan']));
    await until('FIB', () => fibOf().length === 2);
    const nh = { kind: 'vxlan', remote: '198.51.100.1', vni: 9001, rmac: '02:00:00:00:00:aa', smac: RMAC };
    expect(fibOf().map((r) => r.nexthops)).toEqual([[nh], [nh]]);
    expect(dp.tunnels().filter((t) => t.remote === '198.51.100.1')).toEqual([expect.objectContaining({ vni: 9001 })]); // one tunnel for both
    expect(m.paths('red', '10.2.0.0/16')).toEqual([{ remote: '198.51.100.1', label: 9001, encap: 'vxlan', rmac: '02:00:00:00:00:aa', source: '127.0.0.1' }]);
    src.withdraw('evpn', type5('198.51.100.1', '10.2.0.0/16', 9001, [])[1]);
    await until('withdrawn', () => fibOf().length === 1);
  });

  it('not installed, logged and counted: no router MAC, no VXLAN community, a gateway IP (overlay index)', async () => {
    const { src, m, logs, fibOf } = await setup();
    m.apply([vrf()]);
    src.originate(...type5('198.51.100.1', '10.2.0.0/16', 9001, ['encap:vxlan']));
    src.originate(...type5('198.51.100.1', '10.3.0.0/16', 9001, ['router-mac:02:00:00:00:00:aa']));
    src.originate(...type5('198.51.100.1', '10.4.0.0/16', 9001, ['router-mac:02:00:00:00:00:aa', 'encap:mpls']));
    src.originate(...type5('198.51.100.1', '10.5.0.0/16', 9001, ['router-mac:02:00:00:00:00:aa', 'encap:vxlan'], { gateway: '10.5.0.1' }));
    src.originate(...type5('198.51.100.1', '10.6.0.0/16', 9001, ['router-mac:02:00:00:00:00:aa', 'encap:vxlan']));
    await until('the good one installed', () => fibOf().length === 1);
    await until('four counted', () => {
      const n = m.list()[0]!.notInstalled;
      return n['no-router-mac'] === 1 && n['no-common-encapsulation'] === 2 && n['overlay-index'] === 1;
    });
    expect(fibOf()[0]!.prefix).toBe('10.6.0.0/16');
    expect(logs.filter((l) => l.includes('EVPN type-5 route not installed')).length).toBe(4);
  });

  it('one prefix behind two VTEPs (two RDs): an ECMP group of VXLAN next hops', async () => {
    const { src, m, fibOf } = await setup();
    m.apply([vrf()]);
    src.originate(...type5('198.51.100.2', '10.2.0.0/16', 9002, ['router-mac:02:00:00:00:00:02', 'encap:vxlan']));
    src.originate(...type5('198.51.100.1', '10.2.0.0/16', 9001, ['router-mac:02:00:00:00:00:01', 'encap:vxlan']));
    await until('two next hops', () => fibOf()[0]?.nexthops.length === 2);
    expect(fibOf()[0]!.nexthops.map((n) => n.kind === 'vxlan' && [n.remote, n.vni, n.rmac])).toEqual([
      ['198.51.100.1', 9001, '02:00:00:00:00:01'],
      ['198.51.100.2', 9002, '02:00:00:00:00:02'],
    ]);
  });

  it('a VPN-IPv4 path and a type-5 path for one prefix: our encapsulation order decides', async () => {
    for (const [encaps, kind] of [[['vxlan', 'mpls-udp'], 'vxlan'], [['mpls-udp', 'vxlan'], 'mpls']] as const) {
      const { src, m, fibOf } = await setup();
      m.apply([vrf({ encaps: [...encaps] })]);
      src.originate(...type5('198.51.100.1', '10.2.0.0/16', 9001, ['router-mac:02:00:00:00:00:aa', 'encap:vxlan']));
      src.originate('vpnv4', { rd: '198.51.100.1:2', prefix: '10.2.0.0/16', label: 100 }, { nextHop: '198.51.100.1', extCommunities: [RED, 'encap:mpls-in-udp'] });
      await until('both candidates', () => m.paths('red', '10.2.0.0/16').length === 2);
      await until(`${kind} chosen`, () => fibOf()[0]?.nexthops.length === 1 && fibOf()[0]!.nexthops[0]!.kind === kind);
      for (const f of cleanup.splice(0).reverse()) await f();
    }
  });
});
