/**
 * Interop with BIRD 2.0 as route reflector (IPv4, IPv6, VPNv4, VPNv6; BIRD 2.0
 * has no EVPN or RTC): routes both ways with attributes, withdrawal by us.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BgpSpeaker } from '../../../src/bgp/speaker.js';
import type { FamilyName } from '../../../src/bgp/codec/family.js';
import { canRun, sh, Topology, until } from './topo.js';
import { Bird } from './bird.js';
import { checkCapture } from './capture-check.js';

let skip = canRun();
if (!skip) { try { sh('sh', ['-c', 'command -v bird && command -v birdc']); } catch { skip = 'bird not installed'; } }
if (skip && process.env.CI === 'true') throw new Error(`interop tests cannot run under CI: ${skip}`);
const FAMS: FamilyName[] = ['ipv4', 'ipv6', 'vpnv4', 'vpnv6'];

describe.skipIf(!!skip)('BIRD interop (route reflector, hvswitch client)', () => {
  const t = new Topology();
  let bird: Bird;
  let sp: BgpSpeaker;

  beforeAll(async () => {
    t.up();
    await t.startCapture();
    bird = new Bird(t);
    await bird.start();
    sp = new BgpSpeaker({ asn: 65000, routerId: t.hostIp, listenPort: false });
    await sp.start();
    sp.addNeighbor({ address: t.peerIp, peerAs: 65000, localAddress: t.hostIp, families: FAMS, connectRetry: 1, idleHoldTime: 1 });
    // BIRD refuses connections for a few seconds after start (protocol start delay)
    await until('session established', () => sp.neighbors()[0]!.state === 'established', 60_000);
  });
  afterAll(async () => { await sp?.stop(); t.destroy(); });

  it('RFC 4271 §8 Established with the four families BIRD 2.0 supports', () => {
    expect(sp.neighbors()[0]!.families).toEqual(FAMS);
  });

  it('BIRD static routes arrive with attributes (IPv4, IPv6, VPNv4 with label)', async () => {
    const v4 = await until('ipv4 from BIRD', () => sp.routes('ipv4').find((r) => r.key === '10.95.0.0/24'));
    expect(v4.paths[0]!.nextHop).toBe(t.peerIp);
    expect(v4.paths[0]!.attrs).toMatchObject({ origin: 0, asPath: [], localPref: 100 });
    await until('ipv6 from BIRD', () => sp.routes('ipv6').find((r) => r.key === '2001:db8:95::/64'));
    const vpn = await until('vpnv4 from BIRD', () => sp.routes('vpnv4').find((r) => r.key === '65000:30:10.96.0.0/24'));
    expect(vpn.route).toEqual({ rd: '65000:30', prefix: '10.96.0.0/24', label: 500 });
  });

  it('our routes appear in BIRD; withdrawal removes them', async () => {
    sp.originate('ipv4', { prefix: '10.1.0.0/24' }, { nextHop: t.hostIp, communities: ['65000:7'], largeCommunities: ['65000:1:2'] });
    sp.originate('vpnv4', { rd: '65000:1', prefix: '10.2.0.0/24', label: 100 }, { nextHop: t.hostIp, extCommunities: ['rt:65000:100'] });
    sp.originate('vpnv6', { rd: '65000:1', prefix: '2001:db8:2::/64', label: 101 }, { nextHop: t.hostIp6, extCommunities: ['rt:65000:100'] });
    const v4 = await until('ipv4 at BIRD', () => { const o = bird.birdc('show route 10.1.0.0/24 all'); return o.includes('10.1.0.0/24') && o; });
    expect(v4).toMatch(/BGP.community: \(65000,7\)/);
    expect(v4).toMatch(/BGP.large_community: \(65000, 1, 2\)/);
    const vpn = await until('vpnv4 at BIRD', () => { const o = bird.birdc('show route table vpntab4 all'); return o.includes('65000:1 10.2.0.0/24') && o; });
    expect(vpn).toMatch(/mpls 100/);
    expect(vpn).toMatch(/\(rt, 65000, 100\)/);
    await until('vpnv6 at BIRD', () => bird.birdc('show route table vpntab6').includes('2001:db8:2::/64'));
    sp.withdraw('vpnv4', { rd: '65000:1', prefix: '10.2.0.0/24', label: 100 });
    await until('vpnv4 withdrawn at BIRD', () => !bird.birdc('show route table vpntab4').includes('10.2.0.0/24'));
  });

  it('captured UPDATEs from the peer decode and re-encode to the same attributes and NLRI', async () => {
    await checkCapture(t, 'bird-2.0-rr', 'BIRD 2.0.12 (Debian 12 package bird2 2.0.12-7) as route reflector; routes from static protocols', ['ipv4', 'ipv6', 'vpnv4']);
  });
});
