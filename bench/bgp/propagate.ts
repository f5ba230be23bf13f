/**
 * Export path: speaker A originates N VPNv4 routes (one attribute set), then
 * speaker B connects over loopback; prints the time until B's Loc-RIB holds N
 * (A's Adj-RIB-Out build + UPDATE packing + B's ingest) and A's memory.
 * Usage: node --expose-gc build/bgp-bench/bench/bgp/propagate.js [N]
 */
import { BgpSpeaker } from '../../src/bgp/speaker.js';

const n = Number(process.argv[2] ?? 1_000_000);
const a = new BgpSpeaker({ asn: 65000, routerId: '10.0.0.1', listenPort: 0, listenAddress: '127.0.0.1', allowLoopbackNextHop: true });
const b = new BgpSpeaker({ asn: 65000, routerId: '10.0.0.2', listenPort: false, allowLoopbackNextHop: true });
await a.start();
const t0 = Date.now();
for (let i = 0; i < n; i++) {
  a.originate('vpnv4', { rd: '65000:1', prefix: `${100 + (i >> 24)}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`, label: 100 }, { nextHop: '192.0.2.1', extCommunities: ['rt:65000:100'] });
}
const t1 = Date.now();
a.addNeighbor({ address: '127.0.0.1', peerAs: 65000, passive: true, families: ['vpnv4'] });
await b.start();
b.addNeighbor({ address: '127.0.0.1', peerAs: 65000, port: a.listenPort, families: ['vpnv4'] });
let tEst = 0;
b.on('neighbor', (e: { to: string }) => { if (e.to === 'established') tEst = Date.now(); });
await new Promise<void>((resolve) => {
  const iv = setInterval(() => { if (b.rib.loc[2]!.count >= n) { clearInterval(iv); resolve(); } }, 5);
});
const t2 = Date.now();
console.log(JSON.stringify({ routes: n, originateS: (t1 - t0) / 1000, establishedToAllS: (t2 - tEst) / 1000, updatesSent: a.neighbors()[0]!.counters.tx.update }));
await a.stop(); await b.stop();
process.exit(0);
