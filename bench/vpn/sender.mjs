// The route source of the VPNv4-to-FIB bench (routes.mjs): our BGP speaker
// playing the reflector, in its own process so that its encoding and RIB count
// neither in the receiver's time nor in its memory (as bench/evpn/sender.mjs).
// It originates N VPNv4 /32s (100.0.0.0 + i, RD 192.0.2.9:1, RT 65000:100,
// MPLS-in-UDP, label 100, next hop one of 16 remote PEs 198.51.100.1-16)
// before the session is up, holds the burst until the parent sends `go`, then
// writes it at once and reports when (IPC `firstUpdate`, process.hrtime: the
// monotonic clock, the same in every process).
// Churn (IPC {churn: rate, seconds}): every millisecond, the routes due at
// `rate` per second, each an UPDATE that moves one of the N prefixes to label
// 101 (prefix j * 7919 mod N for the j-th: all distinct); each UPDATE's write
// time (taken just before the write) is reported with its prefixes (IPC
// `wrote`), then `churnDone`.
// argv: peer address, peer port, N, our address.
import { Peer } from '../../dist/src/bgp/peer.js';
import { BgpSpeaker } from '../../dist/src/bgp/speaker.js';

const [peer, port, n, local] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), process.argv[5]];
const RT = 'rt:65000:100';
const dotted = (a) => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
const prefix = (i) => `${dotted(0x64000000 + i)}/32`;
const pe = (i) => `198.51.100.${1 + (i % 16)}`;
const route = (i, label) => ({ rd: '192.0.2.9:1', prefix: prefix(i), label });
const attrs = (i) => ({ nextHop: pe(i), extCommunities: [RT, 'encap:mpls-in-udp'] });

let holding = true, go = false, onGo = null;
const held = [];
let pending = []; // churn prefixes originated, not yet written
const write = Peer.prototype.write;
Peer.prototype.write = function (b, updates = 1) {
  if (holding) { held.push({ peer: this, b, updates }); return; }
  const t = process.hrtime.bigint(); // before the write: the receiver may have it before write() returns
  const r = write.call(this, b, updates);
  if (pending.length) { process.send({ wrote: pending, t: String(t) }); pending = []; }
  return r;
};

const tx = new BgpSpeaker({ asn: 65000, routerId: '192.0.2.9', listenPort: false });
await tx.start();
for (let i = 0; i < n; i++) tx.originate('vpnv4', route(i, 100), attrs(i));

async function release() {
  const out = () => tx.stats().families.vpnv4.advertisedPaths;
  let last = -1;
  for (;;) { // all N packed and no UPDATE written for two looks in a row
    await new Promise((r) => setTimeout(r, 20));
    if (out() >= n && held.length === last) break;
    last = held.length;
  }
  if (!go) await new Promise((r) => { onGo = r; }); // `go` may come before the table is packed
  holding = false;
  const burst = Buffer.concat(held.map((h) => h.b));
  process.send({ firstUpdate: String(process.hrtime.bigint()), burstBytes: burst.length, updates: held.reduce((s, h) => s + h.updates, 0) });
  write.call(held[0].peer, burst, held.reduce((s, h) => s + h.updates, 0));
  held.length = 0;
}

function churn(rate, seconds) {
  const t0 = Date.now();
  let j = 0;
  const total = Math.round(rate * seconds);
  const tick = setInterval(() => {
    const due = Math.min(total, Math.floor(((Date.now() - t0) / 1000) * rate));
    for (; j < due; j++) {
      const i = (j * 7919) % n;
      tx.originate('vpnv4', route(i, 101), attrs(i));
      pending.push(prefix(i));
    }
    if (j >= total) {
      clearInterval(tick);
      setTimeout(() => process.send({ churnDone: j }), 50);
    }
  }, 1);
}

process.on('message', (m) => {
  if (m.go) { go = true; onGo?.(); }
  if (m.churn) churn(m.churn, m.seconds);
  if (m.stop) void tx.stop().then(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
tx.addNeighbor({ address: peer, peerAs: 65000, port, localAddress: local, families: ['vpnv4'] });
await release();
