// EVPN control plane (issue 10): remote type-2 routes arriving over BGP until
// they are FDB entries in the core, through the whole controller path (the
// speaker's decode and best path, the EVPN instance's import, the tunnel pool,
// the core's FDB), in one process: a source speaker originates N MACs behind
// 16 remote VTEPs to a receiving speaker over loopback TCP.  Reported:
//   - time from the first route originated to the last FDB entry installed, and
//     the rate; heap + RSS growth per remote MAC;
//   - UPDATE -> FDB entry live, p50/p99, routes sent one at a time;
//   - MAC learned (frame into the core) -> type-2 route at the peer, p50/p99.
// References: the seed's own implementation (bagpipe-bgp 17.0 with its Linux
// driver) took 53 s for 10,000 routes at ~6 KB per route (published figure,
// ../shared/reference); the aims are <= 0.2 s and <= 300 B per remote MAC.
// Run after `npm run build`:  node --expose-gc bench/evpn-routes.mjs [N]
import { Writable } from 'node:stream';

import pino from 'pino';

import { BgpSpeaker } from '../dist/src/bgp/speaker.js';
import { Dataplane } from '../dist/src/dataplane/index.js';
import { EvpnManager, TUNNEL_GROUP } from '../dist/src/vpn/evpn.js';

const N = Number(process.argv[2] ?? 10_000);
const SAMPLES = 200;
const log = pino({ level: 'warn' }, new Writable({ write: (_c, _e, cb) => cb() }));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const until = async (cond) => { while (!cond()) await sleep(1); };
const mac = (i) => `02:${[(i >>> 24) & 255, (i >>> 16) & 255, (i >>> 8) & 255, i & 255, 0x42].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const dp = new Dataplane({ workers: 1, agingSeconds: 300 });
dp.addBridge('br0', N * 2 + 1024);
dp.addPort({ name: 'vm', backend: 'memory', bridge: 'br0', mode: 'access', vlan: 10, allowedVlans: [], macLimit: 4096, mtu: 1500 });
dp.setVtep({ address: '192.0.2.1', floodGroup: TUNNEL_GROUP, backend: 'memory' });
// installation times, by MAC (the instance calls fdbAddRemote once per remote MAC)
const installedAt = new Map();
const add = dp.fdbAddRemote.bind(dp);
dp.fdbAddRemote = (b, v, m, e) => { add(b, v, m, e); installedAt.set(m, process.hrtime.bigint()); };

const rx = new BgpSpeaker({ asn: 65000, routerId: '192.0.2.1', listenPort: 0, listenAddress: '127.0.0.1', allowLoopbackNextHop: true });
const tx = new BgpSpeaker({ asn: 65000, routerId: '192.0.2.2', listenPort: false, allowLoopbackNextHop: true });
await rx.start();
rx.addNeighbor({ address: '127.0.0.1', peerAs: 65000, passive: true, families: ['evpn'] });
await tx.start();
tx.addNeighbor({ address: '127.0.0.1', peerAs: 65000, port: rx.listenPort, families: ['evpn'] });
await until(() => rx.neighbors()[0].state === 'established' && tx.neighbors()[0].state === 'established');

let q = Promise.resolve();
const serialize = (fn) => { const n = q.then(fn); q = n.catch(() => undefined); return n; };
const evpn = new EvpnManager(dp, rx, '192.0.2.1', serialize, log);
dp.on('mac', (ev) => void serialize(() => evpn.onMacEvents(ev)));
evpn.apply([{ bridge: 'br0', vlan: 10, vni: 10010, rd: '192.0.2.1:1', importRts: ['rt:65000:10010'], exportRts: ['rt:65000:10010'] }]);

const attrs = (vtep) => ({ nextHop: vtep, extCommunities: ['rt:65000:10010', 'encap:vxlan'] });
const route = (i, vtep) => ({ type: 2, rd: `${vtep}:1`, esi: '0', ethernetTag: 0, mac: mac(i), ip: null, labels: [10010] });
const vtepOf = (i) => `198.51.100.${1 + (i % 16)}`;

global.gc?.();
await sleep(200);
const mem0 = process.memoryUsage();
const t0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) tx.originate('evpn', route(i, vtepOf(i)), attrs(vtepOf(i)));
await until(() => installedAt.size >= N);
const tLoad = Number([...installedAt.values()].reduce((a, b) => (b > a ? b : a)) - t0) / 1e9;
global.gc?.();
await sleep(200);
const mem1 = process.memoryUsage();
const perMac = (k) => (mem1[k] - mem0[k]) / N;
const fdbRemote = dp.fdb({ bridge: 'br0' }).filter((e) => e.kind === 'remote').length;

// UPDATE -> FDB entry live, one route at a time
const lat = [];
for (let i = 0; i < SAMPLES; i++) {
  const k = N + i;
  const s = process.hrtime.bigint();
  tx.originate('evpn', route(k, vtepOf(k)), attrs(vtepOf(k)));
  await until(() => installedAt.has(mac(k)));
  lat.push(Number(installedAt.get(mac(k)) - s) / 1e6);
}

// MAC learned -> type-2 route at the peer
const seenAt = new Map();
tx.subscribe('evpn', (changes) => { const t = process.hrtime.bigint(); for (const c of changes) if (c.best && c.route.type === 2) seenAt.set(c.route.mac, t); });
const learn = [];
for (let i = 0; i < SAMPLES; i++) {
  const m = `02:aa:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
  const f = Buffer.concat([Buffer.alloc(6, 0xff), Buffer.from(m.split(':').map((h) => parseInt(h, 16))), Buffer.from([0x08, 0x06]), Buffer.alloc(46)]);
  const s = process.hrtime.bigint();
  dp.memInject('vm', f);
  dp.pollOnce();
  dp.drainEvents();
  await until(() => seenAt.has(m));
  learn.push(Number(seenAt.get(m) - s) / 1e6);
}

const out = {
  routes: N,
  remoteFdbEntries: fdbRemote,
  loadSeconds: +tLoad.toFixed(3),
  routesPerSecond: Math.round(N / tLoad),
  bytesPerRemoteMac: { heap: Math.round(perMac('heapUsed')), rss: Math.round(perMac('rss')) },
  updateToFdbMs: { p50: +pct(lat, 50).toFixed(3), p99: +pct(lat, 99).toFixed(3) },
  learnToRouteMs: { p50: +pct(learn, 50).toFixed(3), p99: +pct(learn, 99).toFixed(3) },
  reference: { bagpipe: { loadSeconds: 53, bytesPerRoute: 6000, source: 'published (../shared/reference), bagpipe-bgp 17.0, 10,000 routes' }, aims: { loadSeconds: 0.2, bytesPerRemoteMac: 300, p99Ms: 1 } },
};
console.log(JSON.stringify(out, null, 2));
evpn.close();
await tx.stop();
await rx.stop();
dp.close();
