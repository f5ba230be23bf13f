/**
 * Interop with GoBGP 3.x (gobgpd started by the test, in its own namespace,
 * acting as route reflector with hvswitch as its client): every family both
 * ways with attributes, withdrawals both ways, RT constraint, hold-timer
 * expiry, graceful restart of the peer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BgpSpeaker } from '../../../src/bgp/speaker.js';
import type { FamilyName } from '../../../src/bgp/codec/family.js';
import { checkCapture } from './capture-check.js';
import { canRun, sleep, Topology, until } from './topo.js';
import { Gobgpd } from './gobgp.js';

const skip = canRun();
if (skip && process.env.CI === 'true') throw new Error(`interop tests cannot run under CI: ${skip}`);
const GOBGP_FAMS = ['ipv4-unicast', 'ipv6-unicast', 'l3vpn-ipv4-unicast', 'l3vpn-ipv6-unicast', 'l2vpn-evpn'];
const OUR_FAMS: FamilyName[] = ['ipv4', 'ipv6', 'vpnv4', 'vpnv6', 'evpn'];

describe.skipIf(!!skip)('GoBGP interop (route reflector gobgpd, hvswitch client)', () => {
  const t = new Topology();
  let gobgp: Gobgpd;
  let sp: BgpSpeaker;
  const s = (o: unknown) => JSON.stringify(o);

  beforeAll(async () => {
    t.up();
    await t.startCapture();
    gobgp = new Gobgpd(t, { families: GOBGP_FAMS, gracefulRestart: true });
    await gobgp.start();
    sp = new BgpSpeaker({ asn: 65000, routerId: t.hostIp, listenPort: false });
    await sp.start();
    sp.addNeighbor({ address: t.peerIp, peerAs: 65000, localAddress: t.hostIp, families: OUR_FAMS, holdTime: 9, keepaliveInterval: 3, connectRetry: 1, idleHoldTime: 1 });
    await until('session established', () => sp.neighbors()[0]!.state === 'established', 30_000);
  });
  afterAll(async () => { await sp?.stop(); t.destroy(); });

  it('RFC 4271 §8 session reaches Established on both sides with every family negotiated', () => {
    const n = sp.neighbors()[0]!;
    expect(n.families).toEqual(OUR_FAMS);
    expect(n.holdTime).toBe(9);
    expect(n.gracefulRestart.peerRestartTime).toBe(20);
    expect(gobgp.neighborState()).toMatch(/6|established/i);
  });

  it('routes originated by hvswitch appear in gobgpd RIB for every family with attributes', async () => {
    const nh = t.hostIp;
    sp.originate('ipv4', { prefix: '10.1.0.0/24' }, { nextHop: nh, communities: ['65000:7'], med: 10 });
    sp.originate('ipv6', { prefix: '2001:db8:1::/64' }, { nextHop: t.hostIp6, largeCommunities: ['65000:1:2'] });
    sp.originate('vpnv4', { rd: '65000:1', prefix: '10.2.0.0/24', label: 100 }, { nextHop: nh, extCommunities: ['rt:65000:100'] });
    sp.originate('vpnv6', { rd: '65000:1', prefix: '2001:db8:2::/64', label: 101 }, { nextHop: t.hostIp6, extCommunities: ['rt:65000:100'] });
    sp.originate('evpn', { type: 2, rd: '65000:1', esi: '0', ethernetTag: 0, mac: '02:00:00:00:00:01', ip: '10.3.0.1', labels: [10100, 50000] }, { nextHop: nh, extCommunities: ['rt:65000:100', 'encap:vxlan', 'router-mac:02:aa:bb:cc:dd:ee'] });
    sp.originate('evpn', { type: 3, rd: '65000:1', ethernetTag: 0, originatorIp: nh }, { nextHop: nh, extCommunities: ['rt:65000:100', 'encap:vxlan'], pmsiTunnel: { flags: 0, tunnelType: 6, label: 10100, tunnelId: nh } });
    sp.originate('evpn', { type: 5, rd: '65000:1', esi: '0', ethernetTag: 0, prefix: '10.4.0.0/24', gateway: '0.0.0.0', label: 50000 }, { nextHop: nh, extCommunities: ['rt:65000:100', 'encap:vxlan', 'router-mac:02:aa:bb:cc:dd:ee'] });
    const v4 = await until('ipv4 at gobgp', () => gobgp.rib('ipv4').find((p) => s(p).includes('10.1.0.0/24')));
    expect(s(v4)).toContain(`"nexthop":"${nh}"`);
    expect(s(v4)).toContain('"communities":[4259840007]');
    expect(s(v4)).toContain('"metric":10');
    const v6 = await until('ipv6 at gobgp', () => gobgp.rib('ipv6').find((p) => s(p).includes('2001:db8:1::/64')));
    expect(s(v6)).toContain(t.hostIp6);
    expect(s(v6)).toContain('{"ASN":65000,"LocalData1":1,"LocalData2":2}');
    const vpn4 = await until('vpnv4 at gobgp', () => gobgp.rib('vpnv4').find((p) => s(p).includes('10.2.0.0')));
    expect(s(vpn4)).toMatch(/65000:1/);
    expect(s(vpn4)).toMatch(/\[100\]|"labels":\[100\]/);
    expect(s(vpn4)).toMatch(/65000:100/);
    await until('vpnv6 at gobgp', () => gobgp.rib('vpnv6').find((p) => s(p).includes('2001:db8:2::')));
    const evpn = await until('3 evpn routes at gobgp', () => { const r = gobgp.rib('evpn'); return r.length >= 3 && r; });
    const all = s(evpn);
    expect(all).toContain('02:00:00:00:00:01');
    expect(all).toContain('10.4.0.0');
    expect(all).toMatch(/10100/);
    expect(all).toMatch(/02:aa:bb:cc:dd:ee/);
  });

  it('routes injected at gobgpd appear in hvswitch RIB for every family with attributes intact', async () => {
    const nh = t.peerIp;
    gobgp.cli(['global', 'rib', 'add', '-a', 'ipv4', '10.50.0.0/24', 'nexthop', nh, 'origin', 'igp', 'community', '65000:50', 'med', '20', 'local-pref', '200', 'large-community', '65000:5:6']);
    gobgp.cli(['global', 'rib', 'add', '-a', 'ipv6', '2001:db8:50::/64', 'nexthop', t.peerIp6]);
    gobgp.cli(['global', 'rib', 'add', '-a', 'vpnv4', '10.51.0.0/24', 'label', '200', 'rd', '65000:2', 'rt', '65000:100', 'nexthop', nh]);
    gobgp.cli(['global', 'rib', 'add', '-a', 'vpnv6', 'fd10::/64', 'label', '201', 'rd', '1.2.3.4:7', 'rt', '65000:100', 'nexthop', t.peerIp6]);
    gobgp.cli(['global', 'rib', 'add', '-a', 'evpn', 'macadv', '02:00:00:00:00:50', '10.52.0.1', 'etag', '0', 'label', '10100,50000', 'rd', '65000:2', 'rt', '65000:100', 'encap', 'vxlan', 'router-mac', '02:aa:bb:cc:dd:50', 'nexthop', nh]);
    gobgp.cli(['global', 'rib', 'add', '-a', 'evpn', 'multicast', nh, 'etag', '0', 'rd', '65000:2', 'rt', '65000:100', 'encap', 'vxlan', 'pmsi', 'ingress-repl', '10100', nh, 'nexthop', nh]);
    gobgp.cli(['global', 'rib', 'add', '-a', 'evpn', 'prefix', '10.53.0.0/24', 'etag', '0', 'rd', '65000:2', 'rt', '65000:100', 'label', '50000', 'gw', '0.0.0.0', 'encap', 'vxlan', 'router-mac', '02:aa:bb:cc:dd:50', 'nexthop', nh]);
    const v4 = await until('ipv4 from gobgp', () => sp.routes('ipv4').find((r) => r.key === '10.50.0.0/24'));
    expect(v4.paths[0]).toMatchObject({ source: t.peerIp, nextHop: nh });
    expect(v4.paths[0]!.attrs).toMatchObject({ origin: 0, asPath: [], med: 20, localPref: 200, communities: ['65000:50'], largeCommunities: ['65000:5:6'] });
    const v6 = await until('ipv6 from gobgp', () => sp.routes('ipv6').find((r) => r.key === '2001:db8:50::/64'));
    expect(v6.paths[0]!.nextHop).toBe(t.peerIp6);
    const vpn4 = await until('vpnv4 from gobgp', () => sp.routes('vpnv4').find((r) => r.key === '65000:2:10.51.0.0/24'));
    expect(vpn4.route).toEqual({ rd: '65000:2', prefix: '10.51.0.0/24', label: 200 });
    expect(vpn4.paths[0]!.attrs.extCommunities).toEqual(['rt:65000:100']);
    expect(vpn4.paths[0]!.nextHop).toBe(nh);
    const vpn6 = await until('vpnv6 from gobgp', () => sp.routes('vpnv6').find((r) => r.key === '1.2.3.4:7:fd10::/64'));
    expect(vpn6.route).toMatchObject({ label: 201 });
    const evpn = await until('evpn from gobgp', () => { const r = sp.routes('evpn').filter((x) => x.paths[0]!.source === t.peerIp); return r.length === 3 && r; });
    const t2 = evpn.find((r) => (r.route as { type: number }).type === 2)!;
    expect(t2.route).toMatchObject({ rd: '65000:2', mac: '02:00:00:00:00:50', ip: '10.52.0.1', labels: [10100, 50000], ethernetTag: 0 });
    expect(t2.paths[0]!.attrs.extCommunities).toEqual(expect.arrayContaining(['rt:65000:100', 'encap:vxlan', 'router-mac:02:aa:bb:cc:dd:50']));
    const t3 = evpn.find((r) => (r.route as { type: number }).type === 3)!;
    expect(t3.paths[0]!.attrs.pmsiTunnel).toEqual({ flags: 0, tunnelType: 6, label: 10100, tunnelId: nh });
    const t5 = evpn.find((r) => (r.route as { type: number }).type === 5)!;
    expect(t5.route).toMatchObject({ prefix: '10.53.0.0/24', gateway: '0.0.0.0', label: 50000 });
  });

  it('RFC 7432 §7.1/§7.4 EVPN Ethernet A-D and Ethernet Segment routes both ways', async () => {
    const esi = '00:11:22:33:44:55:66:77:88:99';
    sp.originate('evpn', { type: 1, rd: '65000:1', esi, ethernetTag: 100, label: 200 }, { nextHop: t.hostIp, extCommunities: ['rt:65000:100', 'esi-label:300:single-active'] });
    sp.originate('evpn', { type: 4, rd: '65000:1', esi, originatorIp: t.hostIp }, { nextHop: t.hostIp });
    const ours = await until('types 1 and 4 at gobgp', () => { const r = s(gobgp.rib('evpn')); return r.includes('"etag":100') && r.includes('11:22:33:44:55:66:77:88:99') && r; });
    expect(ours).toContain('"nlri":{"type":1,');
    expect(ours).toContain('"nlri":{"type":4,');
    gobgp.cli(['global', 'rib', '-a', 'evpn', 'add', 'a-d', 'esi', 'ARBITRARY', 'aa:bb:cc:dd:ee:ff:00:11:22', 'etag', '7', 'label', '70', 'rd', '65000:9', 'rt', '65000:100', 'nexthop', t.peerIp]);
    const ad = await until('type 1 from gobgp', () => sp.routes('evpn').find((r) => (r.route as { type: number }).type === 1 && r.paths[0]!.source === t.peerIp));
    expect(ad.route).toEqual({ type: 1, rd: '65000:9', esi: '00:aa:bb:cc:dd:ee:ff:00:11:22', ethernetTag: 7, label: 70 });
  });

  it('withdrawals both ways', async () => {
    sp.withdraw('vpnv4', { rd: '65000:1', prefix: '10.2.0.0/24', label: 100 });
    sp.withdraw('evpn', { type: 3, rd: '65000:1', ethernetTag: 0, originatorIp: t.hostIp });
    await until('vpnv4 withdrawn at gobgp', () => !gobgp.rib('vpnv4').some((p) => s(p).includes('10.2.0.0')));
    await until('evpn type 3 withdrawn at gobgp', () => !gobgp.rib('evpn').some((p) => s(p).includes('"nlri":{"type":3,') && s(p).includes(`"neighbor-ip":"${t.hostIp}"`)));
    gobgp.cli(['global', 'rib', 'del', '-a', 'ipv4', '10.50.0.0/24']);
    gobgp.cli(['global', 'rib', 'del', '-a', 'vpnv4', '10.51.0.0/24', 'label', '200', 'rd', '65000:2', 'rt', '65000:100', 'nexthop', t.peerIp]);
    await until('ipv4 withdrawn from us', () => !sp.routes('ipv4').some((r) => r.key === '10.50.0.0/24'));
    await until('vpnv4 withdrawn from us', () => !sp.routes('vpnv4').some((r) => r.key === '65000:2:10.51.0.0/24'));
    expect(sp.routes('ipv4').map((r) => r.key)).toEqual(['10.1.0.0/24']);
  });

  it('RFC 4724 graceful restart: routes of a restarting gobgpd are kept stale, then refreshed or swept after End-of-RIB', async () => {
    gobgp.cli(['global', 'rib', 'add', '-a', 'ipv4', '10.60.0.0/24', 'nexthop', t.peerIp]);
    gobgp.cli(['global', 'rib', 'add', '-a', 'ipv4', '10.61.0.0/24', 'nexthop', t.peerIp]);
    const mine = (r: { key: string }) => r.key === '10.60.0.0/24' || r.key === '10.61.0.0/24';
    await until('two routes from gobgp', () => sp.routes('ipv4', { table: 'in', neighbor: t.peerIp }).filter(mine).length === 2);
    gobgp.kill('SIGKILL');
    await until('session down', () => sp.neighbors()[0]!.state !== 'established', 15_000);
    await sleep(500);
    // A non-GR speaker would have flushed these now; the helper keeps them, marked stale.
    const stale = sp.routes('ipv4', { table: 'in', neighbor: t.peerIp }).filter(mine);
    expect(stale.length).toBe(2);
    expect(stale.every((r) => r.paths[0]!.stale)).toBe(true);
    expect(sp.routes('ipv4').some((r) => r.key === '10.60.0.0/24')).toBe(true);
    expect(sp.neighbors()[0]!.gracefulRestart.staleRoutes).toBeGreaterThan(0);
    gobgp = new Gobgpd(t, { families: GOBGP_FAMS, gracefulRestart: true, restarting: true });
    await gobgp.start();
    gobgp.cli(['global', 'rib', 'add', '-a', 'ipv4', '10.60.0.0/24', 'nexthop', t.peerIp]);
    await until('session re-established', () => sp.neighbors()[0]!.state === 'established', 30_000);
    await until('10.61 swept after End-of-RIB, 10.60 refreshed', () => {
      const r = sp.routes('ipv4', { table: 'in', neighbor: t.peerIp });
      return r.some((x) => x.key === '10.60.0.0/24' && !x.paths[0]!.stale) && !r.some((x) => x.key === '10.61.0.0/24');
    }, 30_000);
  });

  it('RFC 4271 §6.5 hold timer expiry: a silent gobgpd gets NOTIFICATION 4/0 and the session resets', async () => {
    await until('established', () => sp.neighbors()[0]!.state === 'established', 30_000);
    const events: Array<{ to: string; reason: string; lastError: string }> = [];
    sp.on('neighbor', (e) => events.push(e));
    gobgp.kill('SIGSTOP');
    const t0 = Date.now();
    try {
      const e = await until('hold timer expired', () => events.find((x) => x.reason === 'hold-timer-expires'), 20_000);
      expect(e.to).toBe('idle');
      expect(e.lastError).toMatch(/sent NOTIFICATION 4\/0/);
      // negotiated hold time is 9 s: expiry between 6 s (last keepalive up to 3 s earlier) and 10 s
      expect(Date.now() - t0).toBeGreaterThan(5_000);
      expect(Date.now() - t0).toBeLessThan(12_000); // slack for a loaded CI machine
    } finally {
      gobgp.kill('SIGCONT');
    }
    await until('session back', () => sp.neighbors()[0]!.state === 'established', 60_000);
  });

  it('RFC 4724 §4.2 restart timer: a peer that does not come back within its restart time loses its stale routes', async () => {
    await until('established', () => sp.neighbors()[0]!.state === 'established', 60_000);
    gobgp.cli(['global', 'rib', 'add', '-a', 'ipv4', '10.62.0.0/24', 'nexthop', t.peerIp]);
    await until('route from gobgp', () => sp.routes('ipv4').some((r) => r.key === '10.62.0.0/24'));
    gobgp.kill('SIGKILL');
    await until('session down', () => sp.neighbors()[0]!.state !== 'established', 15_000);
    const down = Date.now();
    await sleep(2_000);
    expect(sp.routes('ipv4', { table: 'in', neighbor: t.peerIp }).find((r) => r.key === '10.62.0.0/24')?.paths[0]!.stale).toBe(true);
    // gobgpd advertised restart-time 20 s
    await until('stale routes flushed', () => !sp.routes('ipv4').some((r) => r.key === '10.62.0.0/24'), 30_000, 500);
    expect(Date.now() - down).toBeGreaterThan(19_000);
    expect(sp.neighbors()[0]!.gracefulRestart.staleRoutes).toBe(0);
  });

  it('captured UPDATEs from the peer decode and re-encode to the same attributes and NLRI', async () => {
    await checkCapture(t, 'gobgpd-3.10-rr', 'gobgpd 3.10.0 (Debian 12 package gobgpd 3.10.0-1+b4) acting as route reflector; routes added with `gobgp global rib add`', ['ipv4', 'ipv6', 'vpnv4', 'vpnv6', 'evpn']);
  });
});
