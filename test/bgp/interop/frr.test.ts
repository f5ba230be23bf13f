/**
 * Interop with FRR bgpd 8.x as route reflector (started by the test in its own
 * namespace, no zebra), hvswitch as its client: every family FRR supports
 * (no RTC in FRR) both ways with attributes, withdrawals both ways, FRR's
 * reflection of our own routes (ORIGINATOR_ID = us) dropped by our loop check,
 * End-of-RIB with graceful restart, hold-timer expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BgpSpeaker } from '../../../src/bgp/speaker.js';
import type { FamilyName } from '../../../src/bgp/codec/family.js';
import { checkCapture } from './capture-check.js';
import { canRun, Topology, until } from './topo.js';
import { Frr } from './frr.js';

const skip = canRun();
if (skip && process.env.CI === 'true') throw new Error(`interop tests cannot run under CI: ${skip}`);
const FAMS: FamilyName[] = ['ipv4', 'ipv6', 'vpnv4', 'vpnv6', 'evpn'];

describe.skipIf(!!skip)('FRR interop (bgpd route reflector, hvswitch client)', () => {
  const t = new Topology();
  let frr: Frr;
  let sp: BgpSpeaker;
  const eors: string[] = [];
  const updateErrors: string[] = [];
  const s = (o: unknown) => JSON.stringify(o);

  beforeAll(async () => {
    t.up();
    await t.startCapture();
    frr = new Frr(t);
    await frr.start();
    sp = new BgpSpeaker({ asn: 65000, routerId: t.hostIp, listenPort: false });
    sp.on('eor', (e: { family: string }) => eors.push(e.family));
    sp.on('update-error', (e: { reasons: string[] }) => updateErrors.push(...e.reasons));
    await sp.start();
    sp.addNeighbor({ address: t.peerIp, peerAs: 65000, localAddress: t.hostIp, families: FAMS, holdTime: 9, keepaliveInterval: 3, connectRetry: 1, idleHoldTime: 1 });
    await until('session established', () => sp.neighbors()[0]!.state === 'established', 30_000);
  });
  afterAll(async () => { await sp?.stop(); t.destroy(); });

  it('RFC 4271 §8 Established with every FRR family; RFC 4724 End-of-RIB received for each', async () => {
    expect(sp.neighbors()[0]!.families).toEqual(FAMS);
    const sum = frr.json('show bgp ipv4 unicast summary json') as { peers: Record<string, { state: string }> };
    expect(sum.peers[t.hostIp]!.state).toBe('Established');
    await until('End-of-RIB for every family', () => FAMS.every((f) => eors.includes(f)), 15_000);
  });

  it('routes originated at FRR appear in hvswitch RIB with attributes intact', async () => {
    const v4 = await until('ipv4 from FRR', () => sp.routes('ipv4').find((r) => r.key === '10.80.0.0/24'));
    expect(v4.paths[0]).toMatchObject({ source: t.peerIp, nextHop: t.peerIp });
    expect(v4.paths[0]!.attrs).toMatchObject({ origin: 0, asPath: [], localPref: 100, med: 0 });
    const v6 = await until('ipv6 from FRR', () => sp.routes('ipv6').find((r) => r.key === '2001:db8:80::/64'));
    expect(v6.paths[0]!.nextHop).toMatch(/^(::ffff:10\.254\.|fd00:254:)/);
    const vpn4 = await until('vpnv4 from FRR', () => sp.routes('vpnv4').find((r) => r.key === '65000:20:10.81.0.0/24'));
    expect(vpn4.route).toEqual({ rd: '65000:20', prefix: '10.81.0.0/24', label: 400 });
    const vpn6 = await until('vpnv6 from FRR', () => sp.routes('vpnv6').find((r) => r.key === '65000:21:2001:db8:81::/64'));
    expect(vpn6.route).toEqual({ rd: '65000:21', prefix: '2001:db8:81::/64', label: 401 });
  });

  it('routes originated by hvswitch appear in FRR RIB for every family with attributes', async () => {
    const nh = t.hostIp;
    sp.originate('ipv4', { prefix: '10.1.0.0/24' }, { nextHop: nh, communities: ['65000:7'], med: 10, largeCommunities: ['65000:1:2'] });
    sp.originate('ipv6', { prefix: '2001:db8:1::/64' }, { nextHop: t.hostIp6 });
    sp.originate('vpnv4', { rd: '65000:1', prefix: '10.2.0.0/24', label: 100 }, { nextHop: nh, extCommunities: ['rt:65000:100'] });
    sp.originate('vpnv6', { rd: '65000:1', prefix: '2001:db8:2::/64', label: 101 }, { nextHop: t.hostIp6, extCommunities: ['rt:65000:100'] });
    sp.originate('evpn', { type: 2, rd: '65000:1', esi: '0', ethernetTag: 0, mac: '02:00:00:00:00:01', ip: '10.3.0.1', labels: [10100, 50000] }, { nextHop: nh, extCommunities: ['rt:65000:100', 'encap:vxlan', 'router-mac:02:aa:bb:cc:dd:ee'] });
    sp.originate('evpn', { type: 3, rd: '65000:1', ethernetTag: 0, originatorIp: nh }, { nextHop: nh, extCommunities: ['rt:65000:100', 'encap:vxlan'], pmsiTunnel: { flags: 0, tunnelType: 6, label: 10100, tunnelId: nh } });
    sp.originate('evpn', { type: 5, rd: '65000:1', esi: '0', ethernetTag: 0, prefix: '10.4.0.0/24', gateway: '0.0.0.0', label: 50000 }, { nextHop: nh, extCommunities: ['rt:65000:100', 'encap:vxlan', 'router-mac:02:aa:bb:cc:dd:ee'] });
    const v4 = await until('ipv4 at FRR', () => { const j = frr.json('show bgp ipv4 unicast 10.1.0.0/24 json'); return s(j).includes(nh) && j; });
    expect(s(v4)).toContain('"community":{"string":"65000:7"');
    expect(s(v4)).toContain('"metric":10');
    expect(s(v4)).toContain('65000:1:2');
    await until('ipv6 at FRR', () => s(frr.json('show bgp ipv6 unicast json')).includes('2001:db8:1::/64'));
    const vpn = await until('vpnv4 at FRR', () => { const j = s(frr.json('show bgp ipv4 vpn json')); return j.includes('10.2.0.0/24') && j; });
    expect(vpn).toContain('65000:1');
    await until('vpnv6 at FRR', () => s(frr.json('show bgp ipv6 vpn json')).includes('2001:db8:2::/64'));
    const evpn = await until('evpn at FRR', () => { const j = frr.vtysh(['show bgp l2vpn evpn']); return j.includes('02:00:00:00:00:01') && j.includes('10.4.0.0') && j.includes(`[3]:[0]:[32]:[${nh}]`) && j; });
    expect(evpn).toContain('10.3.0.1');
    const detail = frr.vtysh(['show bgp l2vpn evpn route detail type macip']);
    expect(detail).toMatch(/RT:65000:100/);
    expect(detail).toMatch(/Rmac:02:aa:bb:cc:dd:ee/);
    expect(detail).toMatch(/Label 10100\/50000|label 10100\/50000|VNI 10100\/50000/i);
  });

  it('RFC 4456 §8 FRR reflects our routes back with ORIGINATOR_ID = us; we drop them', async () => {
    await until('reflection dropped', () => updateErrors.includes('ORIGINATOR_ID is our router ID'), 10_000);
    expect(sp.neighbors()[0]!.updateErrors.treatAsWithdraw).toBeGreaterThan(0);
    const adjIn = sp.routes('ipv4', { table: 'in', neighbor: t.peerIp }).map((r) => r.key);
    expect(adjIn).not.toContain('10.1.0.0/24');
    expect(sp.routes('ipv4').find((r) => r.key === '10.1.0.0/24')!.paths[0]!.source).toBe('local');
  });

  it('withdrawals both ways', async () => {
    sp.withdraw('vpnv4', { rd: '65000:1', prefix: '10.2.0.0/24', label: 100 });
    sp.withdraw('evpn', { type: 2, rd: '65000:1', esi: '0', ethernetTag: 0, mac: '02:00:00:00:00:01', ip: '10.3.0.1', labels: [10100, 50000] });
    sp.withdraw('ipv6', { prefix: '2001:db8:1::/64' });
    await until('vpnv4 withdrawn at FRR', () => !s(frr.json('show bgp ipv4 vpn json')).includes('10.2.0.0/24'));
    await until('evpn type 2 withdrawn at FRR', () => !frr.vtysh(['show bgp l2vpn evpn']).includes('02:00:00:00:00:01'));
    await until('ipv6 withdrawn at FRR', () => !s(frr.json('show bgp ipv6 unicast json')).includes('2001:db8:1::/64'));
    frr.configure(['address-family ipv4 unicast', 'no network 10.80.0.0/24']);
    frr.configure(['address-family ipv4 vpn', 'no network 10.81.0.0/24 rd 65000:20 label 400']);
    await until('ipv4 withdrawn from us', () => !sp.routes('ipv4').some((r) => r.key === '10.80.0.0/24'));
    await until('vpnv4 withdrawn from us', () => !sp.routes('vpnv4').some((r) => r.key === '65000:20:10.81.0.0/24'));
  });

  it('RFC 4271 §6.5 hold timer expiry: a stopped bgpd gets NOTIFICATION 4/0', async () => {
    const events: Array<{ to: string; reason: string; lastError: string }> = [];
    sp.on('neighbor', (e) => events.push(e));
    frr.kill('SIGSTOP');
    try {
      const e = await until('hold timer expired', () => events.find((x) => x.reason === 'hold-timer-expires'), 20_000);
      expect(e.lastError).toMatch(/sent NOTIFICATION 4\/0/);
    } finally { frr.kill('SIGCONT'); }
    await until('session back', () => sp.neighbors()[0]!.state === 'established', 60_000);
    await until('FRR routes back', () => sp.routes('vpnv6').some((r) => r.key === '65000:21:2001:db8:81::/64'), 15_000);
  });

  it('RFC 4724 graceful restart: FRR killed and restarted — its routes stay (stale) meanwhile and are refreshed after', async () => {
    await until('established', () => sp.neighbors()[0]!.state === 'established', 60_000);
    await until('FRR vpnv6 route present', () => sp.routes('vpnv6').some((r) => r.key === '65000:21:2001:db8:81::/64'));
    expect(sp.neighbors()[0]!.gracefulRestart.peerRestartTime).toBeGreaterThan(0);
    frr.kill('SIGKILL');
    await until('session down', () => sp.neighbors()[0]!.state !== 'established', 20_000);
    const stale = sp.routes('vpnv6', { table: 'in', neighbor: t.peerIp }).find((r) => r.key === '65000:21:2001:db8:81::/64');
    expect(stale?.paths[0]!.stale).toBe(true);
    expect(sp.routes('vpnv6').some((r) => r.key === '65000:21:2001:db8:81::/64')).toBe(true);
    frr = new Frr(t);
    await frr.start();
    await until('session back', () => sp.neighbors()[0]!.state === 'established', 60_000);
    await until('route refreshed, no stale paths left', () => {
      const r = sp.routes('vpnv6', { table: 'in', neighbor: t.peerIp }).find((x) => x.key === '65000:21:2001:db8:81::/64');
      return r && !r.paths[0]!.stale && sp.neighbors()[0]!.gracefulRestart.staleRoutes === 0;
    }, 30_000);
  });

  it('captured UPDATEs from the peer decode and re-encode to the same attributes and NLRI', async () => {
    await checkCapture(t, 'frr-8.4-rr', 'FRR bgpd 8.4.4 (Debian 12 package frr 8.4.4-1.1~deb12u2) acting as route reflector, no zebra; routes from `network` statements and reflected hvswitch routes', ['ipv4', 'ipv6', 'vpnv4', 'vpnv6', 'evpn']);
  });
});
