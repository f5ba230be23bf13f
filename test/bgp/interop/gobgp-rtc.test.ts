/**
 * RT constraint (RFC 4684) against GoBGP, the only peer here that implements
 * it: our RT membership NLRI reach gobgpd, and gobgpd sends us only the VPN
 * routes whose route targets we asked for (after our RTC End-of-RIB).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BgpSpeaker } from '../../../src/bgp/speaker.js';
import { checkCapture } from './capture-check.js';
import { canRun, Topology, until } from './topo.js';
import { Gobgpd } from './gobgp.js';

const skip = canRun();
if (skip && process.env.CI === 'true') throw new Error(`interop tests cannot run under CI: ${skip}`);

describe.skipIf(!!skip)('GoBGP interop: RFC 4684 route target constraint', () => {
  const t = new Topology();
  let gobgp: Gobgpd;
  let sp: BgpSpeaker;

  beforeAll(async () => {
    t.up();
    await t.startCapture();
    gobgp = new Gobgpd(t, { families: ['l3vpn-ipv4-unicast', 'rtc'] });
    await gobgp.start();
    const nh = t.peerIp;
    gobgp.cli(['global', 'rib', 'add', '-a', 'vpnv4', '10.70.0.0/24', 'label', '300', 'rd', '65000:10', 'rt', '65000:100', 'nexthop', nh]);
    gobgp.cli(['global', 'rib', 'add', '-a', 'vpnv4', '10.71.0.0/24', 'label', '301', 'rd', '65000:11', 'rt', '65000:200', 'nexthop', nh]);
    sp = new BgpSpeaker({ asn: 65000, routerId: t.hostIp, listenPort: false });
    // Membership originated before the session: it goes out first, then the RTC End-of-RIB.
    sp.originate('rtc', { originAs: 65000, routeTarget: '65000:100', length: 96 }, { nextHop: t.hostIp });
    await sp.start();
    sp.addNeighbor({ address: t.peerIp, peerAs: 65000, localAddress: t.hostIp, families: ['vpnv4', 'rtc'], connectRetry: 1, idleHoldTime: 1 });
    await until('session established', () => sp.neighbors()[0]!.state === 'established', 30_000);
  });
  afterAll(async () => { await sp?.stop(); t.destroy(); });

  it('RFC 4684 §4 our RT membership NLRI appears in gobgpd', async () => {
    const r = await until('rtc at gobgp', () => gobgp.rib('rtc').find((p) => JSON.stringify(p).includes('65000:100')));
    expect(JSON.stringify(r)).toContain(t.hostIp);
  });

  it('RFC 4684 §4 gobgpd sends only the VPN routes whose RT we asked for', async () => {
    await until('vpnv4 for rt 65000:100', () => sp.routes('vpnv4').some((r) => r.key === '65000:10:10.70.0.0/24'));
    await new Promise((r) => setTimeout(r, 1000));
    expect(sp.routes('vpnv4').map((r) => r.key)).toEqual(['65000:10:10.70.0.0/24']);
  });

  it('RFC 4684 §4 adding a membership pulls the other RT\'s routes; withdrawing it removes them', async () => {
    sp.originate('rtc', { originAs: 65000, routeTarget: '65000:200', length: 96 }, { nextHop: t.hostIp });
    const r = await until('vpnv4 for rt 65000:200', () => sp.routes('vpnv4').find((x) => x.key === '65000:11:10.71.0.0/24'));
    expect(r.route).toEqual({ rd: '65000:11', prefix: '10.71.0.0/24', label: 301 });
    expect(r.paths[0]!.attrs.extCommunities).toEqual(['rt:65000:200']);
    sp.withdraw('rtc', { originAs: 65000, routeTarget: '65000:200', length: 96 });
    await until('vpnv4 for rt 65000:200 withdrawn by gobgpd', () => !sp.routes('vpnv4').some((x) => x.key === '65000:11:10.71.0.0/24'), 15_000);
  });

  it('captured UPDATEs from the peer decode and re-encode to the same attributes and NLRI', async () => {
    await checkCapture(t, 'gobgpd-3.10-rtc', 'gobgpd 3.10.0 with rtc and l3vpn-ipv4-unicast; VPN routes filtered by RFC 4684', ['vpnv4', 'rtc']);
  });
});
