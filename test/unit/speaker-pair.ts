// Two BGP speakers in one process, iBGP over loopback (AS 65000): `rx` (the
// speaker under test, listening) and `src` (a route source connecting to it),
// both started and Established on `families`; their stop is pushed on `cleanup`.
import { BgpSpeaker, type FamilyName } from '../../src/bgp/index.js';
import { until } from '../wait.js';

export async function speakerPair(routerId: string, families: readonly FamilyName[], cleanup: (() => Promise<void> | void)[]): Promise<{ rx: BgpSpeaker; src: BgpSpeaker }> {
  const rx = new BgpSpeaker({ asn: 65000, routerId, listenPort: 0, listenAddress: '127.0.0.1', allowLoopbackNextHop: true });
  const src = new BgpSpeaker({ asn: 65000, routerId: '192.0.2.9', listenPort: false, allowLoopbackNextHop: true });
  await rx.start();
  cleanup.push(() => rx.stop());
  rx.addNeighbor({ address: '127.0.0.1', peerAs: 65000, passive: true, families: [...families] });
  await src.start();
  cleanup.push(() => src.stop());
  src.addNeighbor({ address: '127.0.0.1', peerAs: 65000, port: rx.listenPort, families: [...families] });
  await until('session', () => rx.neighbors()[0]!.state === 'established' && src.neighbors()[0]!.state === 'established');
  return { rx, src };
}
