// IP-VPN config (src/controller/config-vpn.ts): the `vpn:` block of a VRF and
// `pe:`, their defaults, and errors that name the field.
import { describe, expect, it } from 'vitest';

import { normalizeConfig } from '../../src/controller/index.js';
import { problems } from './config-problems.js';
import { defaultRouterMac, rdNumber } from '../../src/controller/config-vpn.js';

const BGP = { global: { as: 65000, 'router-id': '192.0.2.11' }, neighbors: [] };

describe('IP-VPN config', () => {
  it('defaults: RD router-id:N (N from the name), per-vrf labels, [mpls-udp, mpls-gre], route-targets both ways, pe from vtep', () => {
    const c = normalizeConfig({ bgp: BGP, vtep: { address: '192.0.2.11', mtu: 9000 }, vrfs: { red: { vpn: { 'route-targets': ['65000:100'] } } } });
    expect(c.pe).toEqual({ address: '192.0.2.11', af: 4, mtu: 9000 });
    expect(c.l3vpn).toEqual([
      { vrf: 'red', rd: `192.0.2.11:${rdNumber('red')}`, importRts: ['rt:65000:100'], exportRts: ['rt:65000:100'], labelMode: 'per-vrf', encaps: ['mpls-udp', 'mpls-gre'], l3vni: null, rmac: null, rmacSet: false },
    ]);
  });

  it('explicit fields: pe, rd (canonical), import/export route targets apart, per-prefix, one encapsulation', () => {
    const c = normalizeConfig({
      bgp: BGP,
      pe: { address: '2001:db8::0011' },
      vrfs: { blue: { vpn: { rd: '65000:7', 'import-route-targets': ['65000:1', '65000:2'], 'export-route-targets': ['192.0.2.1:5'], 'label-mode': 'per-prefix', encapsulations: ['mpls-gre'] } } },
    });
    expect(c.pe).toEqual({ address: '2001:db8::11', af: 6, mtu: 1500 });
    expect(c.l3vpn[0]).toMatchObject({ rd: '65000:7', importRts: ['rt:65000:1', 'rt:65000:2'], exportRts: ['rt:192.0.2.1:5'], labelMode: 'per-prefix', encaps: ['mpls-gre'] });
  });

  it('a VRF without vpn has no service, and pe is only derived from the VTEP when a VRF needs it', () => {
    const c = normalizeConfig({ bgp: BGP, vtep: { address: '192.0.2.11' }, vrfs: { red: {} } });
    expect(c.l3vpn).toEqual([]);
    expect(c.pe).toBeNull();
  });

  it('errors name the field', () => {
    expect(problems({ bgp: BGP, vtep: { address: '192.0.2.11' }, vrfs: { red: { vpn: { 'route-targets': ['nope'], rd: 'x:y' } } } })).toEqual(
      expect.arrayContaining([
        { path: 'vrfs.red.vpn.route-targets.0', message: "'nope' is not a route target (ASN:N or IPv4:N)" },
        expect.objectContaining({ path: 'vrfs.red.vpn.rd' }),
      ]),
    );
    expect(problems({ bgp: BGP, vrfs: { red: { vpn: { 'route-targets': ['65000:1'] } } } })).toEqual([
      { path: 'vrfs.red.vpn', message: 'an IP-VPN needs our PE address: set pe.address (or vtep.address)' },
    ]);
    expect(problems({ vtep: { address: '192.0.2.11' }, vrfs: { red: { vpn: { 'route-targets': ['65000:1'] } } } })).toEqual([
      { path: 'vrfs.red.vpn', message: 'an IP-VPN needs the BGP speaker: set bgp.global.as and router-id' },
    ]);
    expect(problems({ bgp: BGP, pe: { address: '192.0.2.11' }, vrfs: { red: { vpn: {} } } })).toEqual([
      { path: 'vrfs.red.vpn.route-targets', message: 'an IP-VPN needs route targets (route-targets, or import-route-targets / export-route-targets)' },
    ]);
    expect(problems({ bgp: BGP, pe: { address: 'pe1' }, vrfs: {} })).toEqual([{ path: 'pe.address', message: "'pe1' is not an IP address" }]);
    expect(problems({ bgp: BGP, pe: { address: '192.0.2.11' }, vrfs: { red: { vpn: { 'route-targets': ['65000:1'], encapsulations: ['geneve'] } } } })[0]!.path).toBe(
      'vrfs.red.vpn.encapsulations.0',
    );
    expect(problems({ bgp: BGP, pe: { address: '192.0.2.11' }, vrfs: { red: { vpn: { 'route-targets': ['65000:1'], 'label-mode': 'per-route' } } } })[0]!.path).toBe(
      'vrfs.red.vpn.label-mode',
    );
    expect(problems({ bgp: BGP, pe: { address: '192.0.2.11' }, vrfs: { red: { vpn: { rd: '65000:1', 'route-targets': ['65000:1'] } }, blue: { vpn: { rd: '65000:1', 'route-targets': ['65000:2'] } } } })).toEqual([
      { path: 'vrfs.blue.vpn.rd', message: 'RD 65000:1 is also used by vrfs.red.vpn' },
    ]);
  });
});

describe('EVPN type-5 config (l3-vni, router-mac, vxlan)', () => {
  const VTEP = { address: '192.0.2.11' };
  it('l3-vni alone: encapsulations [vxlan], the router MAC derived from the VTEP (locally administered, stable)', () => {
    const c = normalizeConfig({ bgp: BGP, vtep: VTEP, vrfs: { red: { vpn: { 'route-targets': ['65000:1'], 'l3-vni': 9000 } } } });
    expect(c.l3vpn[0]).toMatchObject({ encaps: ['vxlan'], l3vni: 9000, rmac: defaultRouterMac('192.0.2.11'), rmacSet: false });
    expect(c.l3vpn[0]!.rmac).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    expect(defaultRouterMac('192.0.2.12')).not.toBe(c.l3vpn[0]!.rmac);
  });

  it('configured: router-mac (lower-cased), vxlan beside the MPLS encapsulations, in our order', () => {
    const c = normalizeConfig({
      bgp: BGP,
      vtep: VTEP,
      vrfs: { red: { vpn: { 'route-targets': ['65000:1'], 'l3-vni': 9000, 'router-mac': '02:AA:00:00:00:01', encapsulations: ['vxlan', 'mpls-udp'] } } },
    });
    expect(c.l3vpn[0]).toMatchObject({ encaps: ['vxlan', 'mpls-udp'], l3vni: 9000, rmac: '02:aa:00:00:00:01', rmacSet: true });
  });

  it('errors name the field', () => {
    const vpn = (v: object) => ({ 'route-targets': ['65000:1'], ...v });
    expect(problems({ bgp: BGP, vtep: VTEP, vrfs: { red: { vpn: vpn({ encapsulations: ['vxlan'] }) } } })).toEqual([
      { path: 'vrfs.red.vpn.l3-vni', message: 'encapsulation vxlan (EVPN type-5) needs an L3 VNI' },
    ]);
    expect(problems({ bgp: BGP, vtep: VTEP, vrfs: { red: { vpn: vpn({ 'l3-vni': 9000, encapsulations: ['mpls-udp'] }) } } })).toEqual([
      { path: 'vrfs.red.vpn.encapsulations', message: 'l3-vni is set: list vxlan (EVPN type-5) among the encapsulations' },
    ]);
    expect(problems({ bgp: BGP, pe: VTEP, vrfs: { red: { vpn: vpn({ 'l3-vni': 9000 }) } } })).toEqual([
      { path: 'vrfs.red.vpn.l3-vni', message: 'EVPN type-5 needs the local VTEP: set vtep.address' },
    ]);
    expect(problems({ bgp: BGP, vtep: VTEP, vrfs: { red: { vpn: vpn({ 'l3-vni': 9000, 'router-mac': '01:00:5e:00:00:01' }) } } })).toEqual([
      { path: 'vrfs.red.vpn.router-mac', message: '01:00:5e:00:00:01 is a multicast MAC' },
    ]);
    expect(problems({ bgp: BGP, vtep: VTEP, vrfs: { red: { vpn: vpn({ 'l3-vni': 9000, 'router-mac': 'router' }) } } })[0]!.path).toBe('vrfs.red.vpn.router-mac');
    expect(problems({ bgp: BGP, vtep: VTEP, vrfs: { red: { vpn: vpn({ 'router-mac': '02:00:00:00:00:01' }) } } })[0]!.path).toBe('vrfs.red.vpn.router-mac');
    expect(problems({ bgp: BGP, vtep: VTEP, vrfs: { red: { vpn: vpn({ 'l3-vni': 0 }) } } })[0]!.path).toBe('vrfs.red.vpn.l3-vni');
    expect(
      problems({
        bgp: BGP,
        vtep: VTEP,
        vrfs: { red: { vpn: vpn({ 'l3-vni': 9000 }) }, blue: { vpn: { 'route-targets': ['65000:2'], 'l3-vni': 9000 } } },
      }),
    ).toEqual([{ path: 'vrfs.blue.vpn.l3-vni', message: 'VNI 9000 is also the L3 VNI of vrfs.red.vpn' }]);
    expect(
      problems({
        bgp: BGP,
        vtep: VTEP,
        bridges: { br0: { evpn: [{ vlan: 10, vni: 9000, 'route-targets': ['65000:10'] }] } },
        vrfs: { red: { vpn: vpn({ 'l3-vni': 9000 }) } },
      }),
    ).toEqual(expect.arrayContaining([{ path: 'vrfs.red.vpn.l3-vni', message: 'VNI 9000 is also the VNI of bridges.br0.evpn.0' }]));
  });
});

describe('IP-VPN exported prefixes (controller/l3vpn.ts)', () => {
  it('VM host routes, connected prefixes and static routes of the VRF; not our addresses, the VM gateway or other VRFs', async () => {
    const { exportedPrefixes } = await import('../../src/controller/l3vpn.js');
    const c = normalizeConfig({
      bgp: BGP,
      pe: { address: '192.0.2.11' },
      vrfs: { red: { vpn: { 'route-targets': ['65000:1'] }, routes: [{ to: '10.9.0.0/16', via: '10.2.0.254' }, { to: '10.8.0.0/16', type: 'blackhole' }] }, blue: {} },
      ports: {
        vm1: { backend: 'memory', mode: 'vm', vrf: 'red', 'vm-mac': '52:54:00:00:00:01', addresses: ['10.1.0.1/32', '2001:db8:1::1/128'] },
        up1: { backend: 'memory', mode: 'routed', vrf: 'red', addresses: ['10.2.0.1/24'] },
        vm2: { backend: 'memory', mode: 'vm', vrf: 'blue', 'vm-mac': '52:54:00:00:00:02', addresses: ['10.1.0.2/32'] },
      },
    });
    expect(exportedPrefixes(c, 'red').sort()).toEqual(['10.1.0.1/32', '10.2.0.0/24', '10.8.0.0/16', '10.9.0.0/16', '2001:db8:1::1/128']);
  });
});

describe('IP-VPN config written back (the API edits the running config as a raw document)', () => {
  it('pe and vrfs.<name>.vpn round-trip through toRawConfig', async () => {
    const { toRawConfig } = await import('../../src/api/convert.js');
    const c = normalizeConfig({
      bgp: BGP,
      vtep: { address: '192.0.2.11' },
      vrfs: { red: { vpn: { 'route-targets': ['65000:100'], 'label-mode': 'per-prefix', encapsulations: ['mpls-gre'] } }, blue: {} },
    });
    const again = normalizeConfig(JSON.parse(JSON.stringify(toRawConfig(c))));
    expect(again.pe).toEqual(c.pe);
    expect(again.l3vpn).toEqual(c.l3vpn);
    expect(again.vrfs.map((v) => v.name).sort()).toEqual(['blue', 'red']);
  });
});
