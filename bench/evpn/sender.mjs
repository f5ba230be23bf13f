// The route source of bench/evpn/routes.mjs, in its own process so that its
// encoding, RIB and Adj-RIB-Out count neither in the receiver's time nor in
// its memory: a BGP speaker (ours) that plays the reflector.  It originates
// the N type-2 routes before the session comes up, so they leave as one burst
// after the OPENs, like a reflector's table at session start.  Then, on IPC
// commands, one route at a time (latency samples), and it reports when our
// type-2 routes arrive (the monotonic clock is the same in both processes).
// argv: receiver port, N, remote VTEP count.
import { BgpSpeaker } from '../../dist/src/bgp/speaker.js';
import { attrs, route, vtepOf } from './routes-common.mjs';

const [port, n, vteps] = process.argv.slice(2).map(Number);
const tx = new BgpSpeaker({ asn: 65000, routerId: '192.0.2.2', listenPort: false, allowLoopbackNextHop: true });
await tx.start();
for (let i = 0; i < n; i++) tx.originate('evpn', route(i, vtepOf(i, vteps)), attrs(vtepOf(i, vteps)));
tx.subscribe('evpn', (changes) => {
  const t = process.hrtime.bigint();
  for (const c of changes) if (c.best && c.best.source !== 'local' && c.route.type === 2) process.send({ seen: c.route.mac, t: String(t) });
});
process.on('message', (m) => {
  if (m.originate !== undefined) tx.originate('evpn', route(m.originate, vtepOf(m.originate, vteps)), attrs(vtepOf(m.originate, vteps)));
  if (m.stop) void tx.stop().then(() => process.exit(0));
});
tx.addNeighbor({ address: '127.0.0.1', peerAs: 65000, port, families: ['evpn'] });
process.send({ ready: true });
