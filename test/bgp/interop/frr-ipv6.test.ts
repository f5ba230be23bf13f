/**
 * FRR over IPv6 transport with RFC 8950 extended next hop (FRR only offers it
 * on IPv6 sessions): IPv4 unicast routes travel in MP_REACH_NLRI with IPv6
 * next hops, both ways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BgpSpeaker } from '../../../src/bgp/speaker.js';
import { checkCapture } from './capture-check.js';
import { canRun, Topology, until } from './topo.js';
import { Frr } from './frr.js';

const skip = canRun();
if (skip && process.env.CI === 'true') throw new Error(`interop tests cannot run under CI: ${skip}`);

describe.skipIf(!!skip)('FRR interop over IPv6 transport, RFC 8950 extended next hop', () => {
  const t = new Topology();
  let frr: Frr;
  let sp: BgpSpeaker;

  beforeAll(async () => {
    t.up();
    await t.startCapture();
    frr = new Frr(t, false, true);
    await frr.start();
    sp = new BgpSpeaker({ asn: 65000, routerId: t.hostIp, listenPort: false });
    await sp.start();
    sp.addNeighbor({ address: t.peerIp6, peerAs: 65000, localAddress: t.hostIp6, families: ['ipv4', 'ipv6'], connectRetry: 1, idleHoldTime: 1 });
    await until('session established', () => sp.neighbors()[0]!.state === 'established', 30_000);
  });
  afterAll(async () => { await sp?.stop(); t.destroy(); });

  it('RFC 8950 §3 FRR\'s IPv4 route arrives with an IPv6 next hop', async () => {
    const r = await until('10.85.0.0/24 from FRR', () => sp.routes('ipv4').find((x) => x.key === '10.85.0.0/24'));
    expect(r.paths[0]!.nextHop).toBe(t.peerIp6);
  });

  it('RFC 8950 §3 our IPv4 route reaches FRR with our IPv6 address as next hop', async () => {
    sp.originate('ipv4', { prefix: '10.86.0.0/24' });
    const j = await until('10.86.0.0/24 at FRR', () => { const x = JSON.stringify(frr.json('show bgp ipv4 unicast 10.86.0.0/24 json')); return x.includes(t.hostIp6) && x; });
    expect(j).toContain('"afi":"ipv6"');
  });

  it('captured UPDATEs from the peer decode and re-encode to the same attributes and NLRI', async () => {
    await checkCapture(t, 'frr-8.4-ipv6-enhe', 'FRR bgpd 8.4.4 over IPv6 transport with `capability extended-nexthop`: IPv4 unicast with IPv6 next hops (RFC 8950)', ['ipv4', 'ipv6'], t.peerIp6);
  });
});
