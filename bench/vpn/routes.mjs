// IP-VPN control plane (issue 11): VPNv4 routes from a reflector until they are
// entries of the VRF's FIB in the core, through everything hvswitchd runs (the
// controller as a library: the BGP speaker, the IP-VPN import, the route sets,
// the dataplane wrapper, the C core's FIB and next-hop table, the MPLS tunnels
// to 16 remote PEs).  The source is another process (sender.mjs: our speaker
// playing the reflector over TCP), so its work counts neither in the time nor
// in the memory measured here.  Reported:
//   - load: time from the source's first UPDATE written to the last FIB entry
//     written into the core (a route counts when the dataplane's route call
//     that wrote it has returned), CPU µs per route (this process: every
//     thread), RSS and heap growth per route (RIB + import + route sets +
//     dataplane tables + core FIB: all in);
//     and the main thread's CPU µs per route (the critical path: steadier than the wall time on a shared host);
//   - churn: UPDATE written by the source -> FIB entry live, p50/p99/max, with
//     the source sending `--rate` UPDATEs/s (one route each, an existing prefix
//     moved to another label) for `--seconds`, over the loaded table; and the
//     CPU per churn UPDATE.
// Runs in a network namespace of its own (made and deleted here): the PE and
// the BGP session are on a veth pair inside it (192.0.2.1 us, 192.0.2.2 the source).
// Usage (root, after `npm run build`):
//   node bench/vpn/routes.mjs [--routes 1000000] [--rate 1000] [--seconds 5]   (JSON on stdout)
// VPN_BENCH_NODE_FLAGS='--trace-gc': extra node flags of the measuring process (churn window on stderr).
// VPN_BENCH_PROFILE=FILE: a CPU profile of the load phase (.cpuprofile); VPN_BENCH_PROFILE_CHURN=FILE: of the churn.
// VPN_BENCH_SENDER_FLAGS='...': node flags of the source process (default --single-threaded-gc, see below).
// VPN_BENCH_PIN=R,S: pins this process (all its threads) to CPU R and the source to CPU S (taskset -a),
//   as the dataplane bench pins DUT and generator, from the churn on; with VPN_BENCH_PIN_LOAD=1 from the
//   fork on (the load then loses the second CPU its GC and compiler threads use). Unset: both float.
// VPN_BENCH_HELPERS=default: leaves the runtime's helper threads under the default policy (hvswitchd puts
//   them under SCHED_BATCH at startup, src/dataplane/sched.ts, and so does this bench): for a before/after.
// VPN_BENCH_LATENCIES=FILE: each churn UPDATE's write time (ms from the first), latency (ms) and write time (µs, monotonic clock), one a line.
import { execFileSync, fork, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { routes: { type: 'string', default: '1000000' }, rate: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '5' } } });
const N = Number(values.routes), RATE = Number(values.rate), SECONDS = Number(values.seconds);
const US = '192.0.2.1', SRC = '192.0.2.2';
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()); // /proc stat times are in these

if (!process.env.VPN_BENCH_INNER) {
  // the outer run: a namespace, this script again inside it, the namespace deleted
  const ns = `hvvb-${process.pid}`;
  const ip = (...a) => execFileSync('ip', a, { stdio: 'inherit' });
  ip('netns', 'add', ns);
  try {
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip('-n', ns, 'link', 'add', 'd0', 'type', 'veth', 'peer', 'name', 'd1');
    ip('-n', ns, 'addr', 'add', `${US}/24`, 'dev', 'd0');
    ip('-n', ns, 'addr', 'add', `${SRC}/24`, 'dev', 'd1');
    for (const d of ['d0', 'd1']) ip('-n', ns, 'link', 'set', d, 'up');
    const flags = (process.env.VPN_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean); // e.g. --trace-gc
    const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, '--expose-gc', '--max-old-space-size=8192', ...flags, process.argv[1], ...process.argv.slice(2)],
      { stdio: 'inherit', env: { ...process.env, VPN_BENCH_INNER: '1' } });
    process.exitCode = r.status ?? 1;
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
} else {
  await inner();
}

async function inner() {
  const { Controller, normalizeConfig } = await import('../../dist/src/controller/index.js');
  const { createLogger } = await import('../../dist/src/util/logger.js');
  const dpMod = await import('../../dist/src/dataplane/index.js');
  if (process.env.VPN_BENCH_HELPERS !== 'default' && dpMod.batchRuntimeHelpers) dpMod.batchRuntimeHelpers(); // as hvswitchd does at startup
  const formatKey4 = (k) => { const a = k >>> 0; return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/${(k - a) / 0x100000000}`; }; // util/prefix-table.ts
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const now = () => process.hrtime.bigint();
  const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
  const gc = () => { globalThis.gc?.(); globalThis.gc?.(); };

  const config = normalizeConfig({
    version: 1, workers: 1, 'log-level': 'warn',
    pe: { address: US },
    vrfs: { bench: { vpn: { rd: `${US}:1`, 'route-targets': ['65000:100'], encapsulations: ['mpls-udp', 'mpls-gre'] } } },
    bgp: {
      global: { as: 65000, 'router-id': US, 'listen-port': 179, 'listen-address': US },
      neighbors: [{ 'neighbor-address': SRC, 'peer-as': 65000, 'afi-safis': ['l3vpn-ipv4-unicast'], passive: true, timers: { 'hold-time': 180 } }],
    },
  });
  const ctl = new Controller(config, createLogger('warn'));
  ctl.start(config);
  await ctl.startBgp();
  const dp = ctl.dataplane;

  // FIB writes: routes added minus removed (the dataplane's own counts), the
  // time of the last, and the write time of each churned prefix
  let installed = 0, lastInstall = 0n, waiter = null;
  const fibAt = new Map();
  let churning = false;
  const wake = () => { if (waiter?.cond()) { const w = waiter; waiter = null; w.resolve(); } };
  const until = (cond) => (cond() ? Promise.resolve() : new Promise((resolve) => { waiter = { cond, resolve }; }));
  const update = dp.updateRoutes.bind(dp);
  dp.updateRoutes = (vrf, put, withdraw) => {
    const r = update(vrf, put, withdraw);
    const t = now();
    installed += r.added - r.removed;
    lastInstall = t;
    if (churning) for (const x of put) fibAt.set(x.prefix, t);
    wake();
    return r;
  };
  // imports write through the packed path (prefix keys, util/prefix-table.ts)
  const updateKeys = dp.updateKeys?.bind(dp); // absent before the packed path: the bench runs on both
  if (updateKeys) dp.updateKeys = (vrf, keys, hops, origin) => {
    const r = updateKeys(vrf, keys, hops, origin);
    const t = now();
    installed += r.added - r.removed;
    lastInstall = t;
    if (churning) for (let i = 0; i < keys.length; i++) if (hops[i] && typeof keys[i] === 'number') fibAt.set(formatKey4(keys[i]), t);
    wake();
    return r;
  };

  // The source holds its million originated routes as JS objects (a ~300 MB heap): its major
  // GCs would run parallel marking threads on the CPUs this process is measured on (2 vCPUs
  // here). VPN_BENCH_SENDER_FLAGS (default --single-threaded-gc) keeps its GC on its own thread;
  // set it to '' to measure with the source's default GC.
  const senderFlags = (process.env.VPN_BENCH_SENDER_FLAGS ?? '--single-threaded-gc').split(' ').filter(Boolean);
  const sender = fork(new URL('./sender.mjs', import.meta.url), [US, '179', String(N), SRC], { execArgv: senderFlags });
  let pin = process.env.VPN_BENCH_PIN_LOAD ? pinCpus(process.env.VPN_BENCH_PIN, sender.pid, true) : null;
  let firstSent = 0n, burst = null, churnDone = false;
  const wrote = new Map();
  sender.on('message', (m) => {
    if (m.firstUpdate) { firstSent = BigInt(m.firstUpdate); burst = m; }
    if (m.wrote) for (const p of m.wrote) wrote.set(p, BigInt(m.t));
    if (m.churnDone) { churnDone = true; wake(); }
  });
  while (!ctl.bgp.neighbors().some((p) => p.state === 'established')) await sleep(10);
  gc();
  await sleep(200);
  gc();
  const mem0 = process.memoryUsage();
  const cpu0 = process.cpuUsage(), main0 = mainThreadMicros();
  const profiler = process.env.VPN_BENCH_PROFILE ? new Session() : null;
  if (profiler) { profiler.connect(); await profiler.post('Profiler.enable'); await profiler.post('Profiler.start'); }
  sender.send({ go: true });
  await until(() => installed >= N);
  const cpu = process.cpuUsage(cpu0), mainCpu = mainThreadMicros() - main0;
  if (profiler) writeFileSync(process.env.VPN_BENCH_PROFILE, JSON.stringify((await profiler.post('Profiler.stop')).profile));
  const tLoad = Number(lastInstall - firstSent) / 1e9;
  gc();
  await sleep(200);
  gc();
  const mem1 = process.memoryUsage();
  const per = (k) => Math.round((mem1[k] - mem0[k]) / N);
  const vrf = dp.listVrfs().find((v) => v.name === 'bench');

  // churn over the loaded table
  pin ??= pinCpus(process.env.VPN_BENCH_PIN, sender.pid, false);
  churning = true;
  const profC = process.env.VPN_BENCH_PROFILE_CHURN ? new Session() : null;
  if (profC) { profC.connect(); await profC.post('Profiler.enable'); await profC.post('Profiler.start'); }
  const cpuC = process.cpuUsage(), mainC = mainThreadMicros();
  if (process.env.VPN_BENCH_NODE_FLAGS) console.error(`churn from ${Math.round(performance.now())} ms`);
  sender.send({ churn: RATE, seconds: SECONDS });
  await until(() => churnDone && fibAt.size >= wrote.size && wrote.size > 0);
  const cpuChurn = process.cpuUsage(cpuC), mainChurn = mainThreadMicros() - mainC;
  if (process.env.VPN_BENCH_NODE_FLAGS) console.error(`churn to ${Math.round(performance.now())} ms`);
  if (profC) writeFileSync(process.env.VPN_BENCH_PROFILE_CHURN, JSON.stringify((await profC.post('Profiler.stop')).profile));
  const lat = [];
  for (const [p, t] of wrote) if (fibAt.has(p)) lat.push(Number(fibAt.get(p) - t) / 1e6);
  if (process.env.VPN_BENCH_LATENCIES) // each churn UPDATE: ms since the first, latency ms
    writeFileSync(process.env.VPN_BENCH_LATENCIES, [...wrote].filter(([p]) => fibAt.has(p)).map(([p, t]) => `${(Number(t - [...wrote.values()][0]) / 1e6).toFixed(3)} ${(Number(fibAt.get(p) - t) / 1e6).toFixed(3)} ${t / 1000n}`).join('\n') + '\n');

  const out = {
    routes: N, remotePes: 16, fibRoutes: vrf?.routes ?? null,
    burst: { bytes: burst.burstBytes, updates: burst.updates },
    loadSeconds: +tLoad.toFixed(3),
    routesPerSecond: Math.round(N / tLoad),
    cpuMicrosPerRoute: +((cpu.user + cpu.system) / N).toFixed(2),
    mainThreadMicrosPerRoute: +(mainCpu / N).toFixed(2),
    bytesPerRoute: { rss: per('rss'), heap: per('heapUsed'), external: per('external') },
    churn: {
      rate: RATE, seconds: SECONDS, updates: wrote.size, measured: lat.length,
      updateToFibMs: { p50: +pct(lat, 50).toFixed(3), p99: +pct(lat, 99).toFixed(3), max: +Math.max(...lat).toFixed(3) },
      cpuMicrosPerUpdate: +((cpuChurn.user + cpuChurn.system) / wrote.size).toFixed(1),
      mainThreadMicrosPerUpdate: +(mainChurn / wrote.size).toFixed(1),
    },
    pinned: pin,
    helpers: process.env.VPN_BENCH_HELPERS === 'default' || !dpMod.batchRuntimeHelpers ? 'default' : 'batch',
    aims: { loadSeconds: 2, bytesPerRoute: 250, p99Ms: 1 },
  };
  console.log(JSON.stringify(out, null, 2));
  sender.send({ stop: true });
  await new Promise((r) => sender.on('exit', r));
  await ctl.stopBgp();
  ctl.close();
}

/** CPU time of the main thread (user + system, µs; /proc/thread-self/stat fields 14 and 15, clock ticks):
 *  the load's critical path, less disturbed by other processes than its wall time. */
function mainThreadMicros() {
  const stat = readFileSync('/proc/thread-self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1e6) / CLK_TCK;
}

/** `R,S` -> this process's threads on CPU R, the source's (pid) on CPU S; null when unset. */
function pinCpus(spec, pid, load) {
  if (!spec) return null;
  const [r, s] = spec.split(',').map(Number);
  if (!Number.isInteger(r) || !Number.isInteger(s)) throw new Error(`VPN_BENCH_PIN must be R,S (two CPU numbers), got ${spec}`);
  execFileSync('taskset', ['-a', '-p', '-c', String(r), String(process.pid)], { stdio: 'ignore' });
  execFileSync('taskset', ['-a', '-p', '-c', String(s), String(pid)], { stdio: 'ignore' });
  return { receiverCpu: r, sourceCpu: s, load };
}
