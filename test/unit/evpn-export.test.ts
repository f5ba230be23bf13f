// What an EVPN instance sends (src/vpn/evpn.ts, evpn-instance.ts), as a peer
// receives it: the type-3 (IMET) route with its PMSI tunnel attribute (RFC
// 7432 §11.2, RFC 6514 §5: ingress replication, the VNI as its label, our
// VTEP as the tunnel endpoint), the type-2 route of a learned MAC with the VNI
// in its label field (RFC 8365 §5.1.3), both with the export route target
// and the VXLAN encapsulation extended community (RFC 9012, tunnel type 8);
// and on the import side, a type-2 route carrying no route target we import
// installs nothing.  A real core with a memory VM port, and two speakers over
// loopback: `rx` runs the instance, `src` is the peer.
import { afterEach, describe, expect, it } from 'vitest';

import { macBytes } from '../../src/dataplane/index.js';
import { until } from '../wait.js';
import { evpnSwitch, RT, VNI } from './evpn-fixture.js';

const VTEP = '192.0.2.1';
const VM_MAC = '02:aa:00:00:00:01';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

const setup = () => evpnSwitch(cleanup, { vtep: VTEP });

describe('EVPN routes as a peer receives them', () => {
  it('RFC 7432 §11.2 / RFC 8365 §5.1.3: the type-3 carries a PMSI tunnel (ingress replication, label = VNI, endpoint = our VTEP), the type-2 the VNI in its label', async () => {
    const { dp, src } = await setup();
    dp.memInject('vm', Buffer.concat([Buffer.alloc(6, 0xff), macBytes(VM_MAC), Buffer.from([0x08, 0x06]), Buffer.alloc(46)]));
    dp.pollOnce();
    dp.drainEvents();
    const got = await until('both routes at the peer', () => {
      const r = src.routes('evpn');
      const imet = r.find((e) => e.route.type === 3), mac = r.find((e) => e.route.type === 2);
      return imet && mac && { imet, mac };
    });
    expect(got.imet.route).toEqual({ type: 3, rd: `${VTEP}:1`, ethernetTag: 0, originatorIp: VTEP });
    const ia = got.imet.paths[0]!;
    expect(ia.nextHop).toBe(VTEP);
    expect(ia.attrs.pmsiTunnel).toEqual({ flags: 0, tunnelType: 6, label: VNI, tunnelId: VTEP });
    expect(ia.attrs.extCommunities).toEqual(expect.arrayContaining([RT, 'encap:vxlan']));
    expect(got.mac.route).toMatchObject({ type: 2, rd: `${VTEP}:1`, ethernetTag: 0, mac: VM_MAC, ip: null, labels: [VNI] });
    const ma = got.mac.paths[0]!;
    expect(ma.nextHop).toBe(VTEP);
    expect(ma.attrs.extCommunities).toEqual(expect.arrayContaining([RT, 'encap:vxlan']));
    expect(ma.attrs.extCommunities!.some((c) => c.startsWith('mac-mobility'))).toBe(false); // never moved: no sequence (RFC 7432 §15)
  });

  it("RFC 7432 §9.2.1: a host configured behind the port (ports.<p>.hosts) is advertised with its addresses as soon as its MAC is learned, with no ARP/ND seen", async () => {
    const { dp, src, evpn } = await setup();
    let hosts: Record<string, string[]> = { [`vm/${VM_MAC}`]: ['10.0.0.5', '2001:db8::5'] };
    evpn.hostIps = (port, mac) => hosts[`${port}/${mac}`] ?? [];
    // a frame that is not ARP/ND (IPv4, 0x0800): nothing to snoop
    dp.memInject('vm', Buffer.concat([Buffer.alloc(6, 0xff), macBytes(VM_MAC), Buffer.from([0x08, 0x00]), Buffer.alloc(46)]));
    dp.pollOnce();
    dp.drainEvents();
    const ipsAtPeer = () => src.routes('evpn').flatMap((e) => {
      const r = e.route as { type: number; mac?: string; ip?: string | null };
      return r.type === 2 && r.mac === VM_MAC && r.ip ? [r.ip] : [];
    }).sort();
    await until('both MAC/IP routes at the peer', () => ipsAtPeer().length === 2);
    expect(ipsAtPeer()).toEqual(['10.0.0.5', '2001:db8::5']);
    // an address configured later (a reload): advertised by refreshHosts, the others kept
    hosts = { [`vm/${VM_MAC}`]: ['10.0.0.5', '2001:db8::5', '10.0.0.6'] };
    evpn.refreshHosts();
    await until('the added address at the peer', () => ipsAtPeer().length === 3);
    expect(ipsAtPeer()).toEqual(['10.0.0.5', '10.0.0.6', '2001:db8::5']);
  });

  it('RFC 7432 §7.10: a type-2 route whose route targets we do not import installs nothing; one that we import does', async () => {
    const { dp, src } = await setup();
    const route = (mac: string) => ({ type: 2 as const, rd: '198.51.100.1:1', esi: '0', ethernetTag: 0, mac, ip: null, labels: [VNI] });
    src.originate('evpn', route('02:ee:00:00:00:01'), { nextHop: '198.51.100.1', extCommunities: ['rt:65000:99', 'encap:vxlan'] });
    src.originate('evpn', route('02:ee:00:00:00:02'), { nextHop: '198.51.100.1', extCommunities: [RT, 'encap:vxlan'] });
    await until('the imported one installed', () => dp.fdb({ bridge: 'br0' }).some((e) => e.mac === '02:ee:00:00:00:02' && e.kind === 'remote'));
    expect(dp.fdb({ bridge: 'br0' }).filter((e) => e.kind === 'remote').map((e) => e.mac)).toEqual(['02:ee:00:00:00:02']);
  });
});
