// Two BGP speakers in one process over loopback: `rx` (listening) and `src`
// (connecting to it), both started and Established on `families`; their stop
// is pushed on `cleanup`.  By default iBGP in AS 65000, `src` a route source
// with router ID 192.0.2.9; `opts` gives `src` another router ID, AS (eBGP)
// or its own neighbor options toward `rx` (the port is filled in).
import { BgpSpeaker, type FamilyName, type NeighborOptions } from '../../src/bgp/index.js';
import { until } from '../wait.js';

export interface PairOptions {
  srcRouterId?: string;
  srcAs?: number;
  srcNeighbor?: NeighborOptions;
}

export async function speakerPair(routerId: string, families: readonly FamilyName[], cleanup: (() => Promise<void> | void)[], opts: PairOptions = {}): Promise<{ rx: BgpSpeaker; src: BgpSpeaker }> {
  const srcAs = opts.srcAs ?? 65000;
  const rx = new BgpSpeaker({ asn: 65000, routerId, listenPort: 0, listenAddress: '127.0.0.1', allowLoopbackNextHop: true });
  const src = new BgpSpeaker({ asn: srcAs, routerId: opts.srcRouterId ?? '192.0.2.9', listenPort: false, allowLoopbackNextHop: true });
  await rx.start();
  cleanup.push(() => rx.stop());
  rx.addNeighbor({ address: '127.0.0.1', peerAs: srcAs, passive: true, families: [...families] });
  await src.start();
  cleanup.push(() => src.stop());
  src.addNeighbor({ ...(opts.srcNeighbor ?? { address: '127.0.0.1', peerAs: 65000, families: [...families] }), port: rx.listenPort });
  await until('session', () => rx.neighbors()[0]!.state === 'established' && src.neighbors()[0]!.state === 'established');
  return { rx, src };
}
