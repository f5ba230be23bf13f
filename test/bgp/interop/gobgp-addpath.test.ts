/**
 * ADD-PATH receive (RFC 7911) against gobgpd configured to send up to 8 paths:
 * two paths of one prefix (path identifiers 1 and 2) are both kept in our
 * Adj-RIB-In, the Loc-RIB picks one, and withdrawing one path id keeps the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BgpSpeaker } from '../../../src/bgp/speaker.js';
import { canRun, Topology, until } from './topo.js';
import { Gobgpd } from './gobgp.js';

const skip = canRun();
if (skip && process.env.CI === 'true') throw new Error(`interop tests cannot run under CI: ${skip}`);

describe.skipIf(!!skip)('GoBGP interop: RFC 7911 ADD-PATH receive', () => {
  const t = new Topology();
  let gobgp: Gobgpd;
  let sp: BgpSpeaker;

  beforeAll(async () => {
    t.up();
    gobgp = new Gobgpd(t, { families: ['ipv4-unicast'], addPathSend: 8 });
    await gobgp.start();
    sp = new BgpSpeaker({ asn: 65000, routerId: t.hostIp, listenPort: false });
    await sp.start();
    sp.addNeighbor({ address: t.peerIp, peerAs: 65000, localAddress: t.hostIp, families: ['ipv4'], addPathReceive: ['ipv4'], connectRetry: 1, idleHoldTime: 1 });
    await until('session established', () => sp.neighbors()[0]!.state === 'established', 30_000);
  });
  afterAll(async () => { await sp?.stop(); t.destroy(); });

  it('RFC 7911 §3 two paths of one prefix arrive with their path identifiers', async () => {
    gobgp.cli(['global', 'rib', 'add', '-a', 'ipv4', '10.90.0.0/24', 'nexthop', '10.254.0.11', 'local-pref', '100', 'identifier', '1']);
    gobgp.cli(['global', 'rib', 'add', '-a', 'ipv4', '10.90.0.0/24', 'nexthop', '10.254.0.12', 'local-pref', '200', 'identifier', '2']);
    const paths = await until('two paths', () => { const r = sp.routes('ipv4', { table: 'in', neighbor: t.peerIp }).filter((x) => x.key === '10.90.0.0/24'); return r.length === 2 && r; });
    expect(paths.map((p) => [p.paths[0]!.pathId, p.paths[0]!.nextHop]).sort()).toEqual([[1, '10.254.0.11'], [2, '10.254.0.12']]);
    const best = sp.routes('ipv4').find((r) => r.key === '10.90.0.0/24')!;
    expect(best.paths[0]!.nextHop).toBe('10.254.0.12'); // LOCAL_PREF 200
  });

  it('RFC 7911 §3 withdrawal of one path identifier leaves the other as best', async () => {
    gobgp.cli(['global', 'rib', 'del', '-a', 'ipv4', '10.90.0.0/24', 'nexthop', '10.254.0.12', 'local-pref', '200', 'identifier', '2']);
    await until('one path left', () => sp.routes('ipv4', { table: 'in', neighbor: t.peerIp }).filter((x) => x.key === '10.90.0.0/24').length === 1);
    expect(sp.routes('ipv4').find((r) => r.key === '10.90.0.0/24')!.paths[0]!.nextHop).toBe('10.254.0.11');
  });
});
