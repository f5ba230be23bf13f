// The route source of the EVPN control-plane bench (routes.mjs, frr.mjs), in
// its own process so that its encoding, RIB and Adj-RIB-Out count neither in
// the receiver's time nor in its memory: a BGP speaker (ours) that plays the
// reflector.  It originates the N type-2 routes before the session comes up,
// so they leave as one burst after the OPENs, like a reflector's table at
// session start (held until all are encoded, then one write), and reports
// (IPC) when it wrote the first UPDATE: the start
// of the measured window for every receiver alike (process.hrtime is the
// monotonic clock, the same in every process).  Then, on IPC commands, one
// route at a time (latency samples); and it reports when our type-2 routes
// arrive.  argv: peer address, peer port, N, remote VTEP count, and `hold`
// to keep the burst until the parent sends `go` (routes.mjs takes its memory
// baseline with the session up, so a session's fixed buffers are not charged
// to the routes).
import { Peer } from '../../dist/src/bgp/peer.js';
import { BgpSpeaker } from '../../dist/src/bgp/speaker.js';
import { attrs, route, vtepOf } from './routes-common.mjs';

const [peer, port, n, vteps] = [process.argv[2], ...process.argv.slice(3, 6).map(Number)];
let go = process.argv[6] !== 'hold';
let onGo = null;
// The table is held back until it is all encoded, then written in one go: the
// receiver gets the burst as fast as TCP carries it, so the window measures
// the receiver, not our encoder (a reflector sending a table it already has).
let holding = true;
const held = [];
const write = Peer.prototype.write;
Peer.prototype.write = function (b, updates = 1) {
  if (holding) { held.push({ peer: this, b, updates }); return; }
  return write.call(this, b, updates);
};
async function release() {
  const evpnOut = () => tx.stats().families.evpn.advertisedPaths;
  let last = -1;
  for (;;) { // all N packed and no UPDATE written for two looks in a row
    await new Promise((r) => setTimeout(r, 20));
    if (evpnOut() >= n && held.length === last) break;
    last = held.length;
  }
  if (!go) await new Promise((r) => { onGo = r; });
  holding = false;
  const burst = Buffer.concat(held.map((h) => h.b));
  const updates = held.reduce((s, h) => s + h.updates, 0);
  process.send({ firstUpdate: String(process.hrtime.bigint()), burstBytes: burst.length });
  write.call(held[0].peer, burst, updates);
}
const tx = new BgpSpeaker({ asn: 65000, routerId: '192.0.2.2', listenPort: false, allowLoopbackNextHop: true });
await tx.start();
for (let i = 0; i < n; i++) tx.originate('evpn', route(i, vtepOf(i, vteps)), attrs(vtepOf(i, vteps)));
tx.subscribe('evpn', (changes) => {
  const t = process.hrtime.bigint();
  for (const c of changes) if (c.best && c.best.source !== 'local' && c.route.type === 2) process.send({ seen: c.route.mac, t: String(t) });
});
process.on('message', (m) => {
  if (m.go) { go = true; onGo?.(); }
  if (m.originate !== undefined) tx.originate('evpn', route(m.originate, vtepOf(m.originate, vteps)), attrs(vtepOf(m.originate, vteps)));
  if (m.stop) void tx.stop().then(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
tx.addNeighbor({ address: peer, peerAs: 65000, port, families: ['evpn'] });
await release();
