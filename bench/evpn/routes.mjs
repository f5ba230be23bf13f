// EVPN control plane (issue 10): remote type-2 routes arriving over BGP until
// they are FDB entries in the core, through the whole controller path (the
// speaker's decode and best path, the EVPN instance's import, the tunnel pool,
// the core's FDB).  The route source is another process (sender.mjs: our
// speaker playing the reflector, over loopback TCP), so its work counts
// neither in the time nor in the memory measured here.  Reported:
//   - time from the first UPDATE sent (loopback: received) to the last FDB entry installed, and
//     the rate; heap and RSS growth per remote MAC (RIB + EVPN state + FDB);
//   - UPDATE received -> FDB entry live, p50/p99, routes sent one at a time;
//   - MAC learned (frame into the core) -> type-2 route received by the peer, p50/p99.
// The same-run reference (FRR bgpd + zebra installing the same routes into the
// kernel's bridge FDB) is frr.mjs; the seed's own implementation (bagpipe-bgp
// 17.0 with its Linux driver) took 53 s for 10,000 routes at ~6 KB per route
// (published, ../shared/reference).  Aims: <= 0.2 s, <= 300 B per remote MAC,
// p99 <= 1 ms.
// Run after `npm run build`:  node --expose-gc bench/evpn/routes.mjs [N]  (JSON on stdout)
// EVPN_BENCH_PROFILE=FILE writes a CPU profile of the load phase alone (.cpuprofile).
// EVPN_BENCH_PIN=R,S pins this process (all its threads) to CPU R and the source to CPU S (taskset -a)
//   for the latency phases, after the load (pinned for the load too with EVPN_BENCH_PIN_LOAD=1: the
//   load then loses the second CPU its compiler and GC threads use, 0.11 -> 0.175 s on 2 vCPUs).
import { execFileSync, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Writable } from 'node:stream';

import pino from 'pino';

import { BgpSpeaker } from '../../dist/src/bgp/speaker.js';
import * as dataplane from '../../dist/src/dataplane/index.js';
import { EvpnManager, TUNNEL_GROUP } from '../../dist/src/vpn/evpn.js';

import { mac } from './routes-common.mjs';

const N = Number(process.argv[2] ?? 10_000);
const VTEPS = 16;
const SAMPLES = 200;
const log = pino({ level: 'warn' }, new Writable({ write: (_c, _e, cb) => cb() }));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => process.hrtime.bigint();
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const ms = (ns) => Number(ns) / 1e6;

// hvswitchd puts the runtime's helper threads under SCHED_BATCH at startup (src/dataplane/sched.ts);
// EVPN_BENCH_HELPERS=default leaves them under the default policy, for a before/after.
if (process.env.EVPN_BENCH_HELPERS !== 'default' && dataplane.batchRuntimeHelpers) dataplane.batchRuntimeHelpers();
const { Dataplane } = dataplane;
const dp = new Dataplane({ workers: 1, agingSeconds: 300 });
dp.addBridge('br0', N + SAMPLES + 1024);
dp.addPort({ name: 'vm', backend: 'memory', bridge: 'br0', mode: 'access', vlan: 10, allowedVlans: [], macLimit: 4096, mtu: 1500 });
dp.setVtep({ address: '192.0.2.1', floodGroup: TUNNEL_GROUP, backend: 'memory' });

// Instrumentation: FDB entries installed (count, time of the last) and the
// time of the last UPDATE the speaker ingested.  No per-MAC state, so the
// memory measured is the switch's.
let installed = 0, lastInstall = 0n, lastUpdate = 0n, firstUpdate = 0n;
let waiter = null;
const wake = () => { if (waiter && waiter.cond()) { const w = waiter; waiter = null; w.resolve(); } };
const until = (cond) => (cond() ? Promise.resolve() : new Promise((resolve) => { waiter = { cond, resolve }; }));
for (const name of ['fdbAddRemote', 'fdbAddRemoteMany', 'fdbAddRemoteColumns']) {
  const fn = dp[name]?.bind(dp);
  if (!fn) continue;
  dp[name] = (...a) => { const r = fn(...a); installed += name === 'fdbAddRemote' ? 1 : r; lastInstall = now(); wake(); return r; };
}

const rx = new BgpSpeaker({ asn: 65000, routerId: '192.0.2.1', listenPort: 0, listenAddress: '127.0.0.1', allowLoopbackNextHop: true });
const rib = rx.ctx.rib;
const ingest = rib.ingestUpdate.bind(rib);
rib.ingestUpdate = (...a) => { lastUpdate = now(); if (!firstUpdate) firstUpdate = lastUpdate; return ingest(...a); };
await rx.start();
rx.addNeighbor({ address: '127.0.0.1', peerAs: 65000, passive: true, families: ['evpn'] });

let q = Promise.resolve();
const serialize = (fn) => { const n = q.then(fn); q = n.catch(() => undefined); return n; };
const evpn = new EvpnManager(dp, rx, '192.0.2.1', serialize, log);
dp.on('mac', (ev) => void serialize(() => evpn.onMacEvents(ev)));
evpn.apply([{ bridge: 'br0', vlan: 10, vni: 10010, rd: '192.0.2.1:1', importRts: ['rt:65000:10010'], exportRts: ['rt:65000:10010'] }]);

// The session comes up first (the source holds its burst until `go`): the
// baseline includes the session's fixed buffers, so what grows is per route.
const sender = fork(new URL('./sender.mjs', import.meta.url), ['127.0.0.1', String(rx.listenPort), String(N), String(VTEPS), 'hold']);
let pinned = null;
const pin = () => {
  const [r, s] = process.env.EVPN_BENCH_PIN.split(',').map(Number);
  if (!Number.isInteger(r) || !Number.isInteger(s)) throw new Error(`EVPN_BENCH_PIN must be R,S (two CPU numbers), got ${process.env.EVPN_BENCH_PIN}`);
  execFileSync('taskset', ['-a', '-p', '-c', String(r), String(process.pid)], { stdio: 'ignore' });
  execFileSync('taskset', ['-a', '-p', '-c', String(s), String(sender.pid)], { stdio: 'ignore' });
  pinned = { receiverCpu: r, sourceCpu: s, load: !!process.env.EVPN_BENCH_PIN_LOAD };
};
if (process.env.EVPN_BENCH_PIN && process.env.EVPN_BENCH_PIN_LOAD) pin();
while (!rx.neighbors().some((p) => p.state === 'established')) await sleep(10);
global.gc?.();
await sleep(100);
global.gc?.();
const mem0 = process.memoryUsage();
const cpu0 = process.cpuUsage();
const profiler = process.env.EVPN_BENCH_PROFILE ? new Session() : null;
if (profiler) { profiler.connect(); await profiler.post('Profiler.enable'); await profiler.post('Profiler.start'); }
sender.send({ go: true });
const seen = new Map();
let firstSent = 0n;
sender.on('message', (m) => {
  if (m.firstUpdate) firstSent = BigInt(m.firstUpdate);
  if (m.seen) { seen.set(m.seen, BigInt(m.t)); wake(); }
});

await until(() => installed >= N);
const cpu = process.cpuUsage(cpu0);
if (profiler) writeFileSync(process.env.EVPN_BENCH_PROFILE, JSON.stringify((await profiler.post('Profiler.stop')).profile));
const tLoad = Number(lastInstall - firstSent) / 1e9; // from the source's first UPDATE written (as frr.mjs)
const tReceive = Number(lastUpdate - firstUpdate) / 1e9;
global.gc?.();
await sleep(100);
global.gc?.();
const mem1 = process.memoryUsage();
const perMac = (k) => (mem1[k] - mem0[k]) / N;
if (process.env.EVPN_MEM_DETAIL) { const r = rx.ctx.rib; console.error(JSON.stringify({ loc: r.loc.map((t) => t.bytes()).filter((b) => b > 4096 + 128), adj: r.adjIn.map((fs) => fs.map((t) => t.bytes()).filter((b) => b > 4096 + 128)), dirty: r.dirty.map((t) => t.bytes()).filter((b) => b > 4096 + 128), locCount: r.loc.map((t) => t.count).filter(Boolean) })); }
const fdbRemote = dp.fdb({ bridge: 'br0' }).filter((e) => e.kind === 'remote').length;

if (process.env.EVPN_BENCH_PIN && !pinned) pin();

// UPDATE received -> FDB entry live, one route at a time
const lat = [];
for (let i = 0; i < SAMPLES; i++) {
  const want = installed + 1;
  sender.send({ originate: N + i });
  await until(() => installed >= want);
  lat.push(ms(lastInstall - lastUpdate));
}

// MAC learned -> type-2 route received by the peer
const learn = [];
for (let i = 0; i < SAMPLES; i++) {
  const m = `02:aa:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
  const f = Buffer.concat([Buffer.alloc(6, 0xff), Buffer.from(m.split(':').map((h) => parseInt(h, 16))), Buffer.from([0x08, 0x06]), Buffer.alloc(46)]);
  const s = now();
  dp.memInject('vm', f);
  dp.pollOnce();
  dp.drainEvents();
  await until(() => seen.has(m));
  learn.push(ms(seen.get(m) - s));
}

const out = {
  routes: N,
  remoteVteps: VTEPS,
  remoteFdbEntries: fdbRemote,
  loadSeconds: +tLoad.toFixed(3),
  routesPerSecond: Math.round(N / tLoad),
  // the last UPDATE of the burst arrived this long after the first: when it is
  // close to loadSeconds, the source (not the receiver) set the pace
  receiveSeconds: +tReceive.toFixed(3),
  cpuMicrosPerRoute: +((cpu.user + cpu.system) / N).toFixed(2),
  bytesPerRemoteMac: { heap: Math.round(perMac('heapUsed')), external: Math.round(perMac('external')), rss: Math.round(perMac('rss')) },
  coreFdbBytesPerEntry: dp.fdbEntryBytes?.() ?? null,
  updateToFdbMs: { p50: +pct(lat, 50).toFixed(3), p99: +pct(lat, 99).toFixed(3) },
  learnToRouteMs: { p50: +pct(learn, 50).toFixed(3), p99: +pct(learn, 99).toFixed(3) },
  pinned,
  aims: { loadSeconds: 0.2, bytesPerRemoteMac: 300, p99Ms: 1 },
};
console.log(JSON.stringify(out, null, 2));
sender.send({ stop: true });
await new Promise((r) => sender.on('exit', r));
evpn.close();
await rx.stop();
dp.close();
