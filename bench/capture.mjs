// Capture bench: what a packet capture on one busy port costs the forwarding
// of the other ports (docs/capture.md).  Run as root:
//   node bench/capture.mjs [--reps N] [--duration S] [--busy-pps R]   (bench/run.sh builds hvgen first)
//
// One hvswitchd (1 worker, pinned to CPU 1 with all its threads, as in
// `npm run bench`) switches two independent pairs of veth ports:
//
//   src  [eth0] == [sw0]  VLAN 1  [sw1] == [eth0]  dst     the measured pair, flat out
//   bsrc [eth0] == [sw2]  VLAN 2  [sw3] == [eth0]  bdst    the busy port sw2, paced
//
// hvgen (bench/gen/hvgen.c, CPU 0) sends 64 B UDP frames from src to dst as
// fast as it can, and a second hvgen sends --busy-pps frames/s from bsrc to
// bdst.  Each window (warm-up, then --duration seconds) runs in one of three
// conditions, interleaved within each repetition on the same daemon and
// topology, so they share the machine's drift:
//   none         no capture anywhere (the flag is off on every port)
//   filtered     `hvswitch port capture sw2 --filter 'tcp port 1'`: a capture
//                attached to the busy port whose filter rejects its frames
//                (the core runs the filter per frame, copies nothing)
//   all          `hvswitch port capture sw2 -w FILE`: every frame of the busy
//                port copied (256 B snap), drained and written to a file
// The capture CLI runs on CPU 0 (an operator's shell is not on a worker's
// core); the daemon's controller thread, which drains the rings and serves
// the gRPC stream, is on CPU 1 with the worker, as everything is in this bench.
//
// Figures per condition: the measured pair's delivered Mpps (dst eth0
// rx_packets, median [min-max] over the repetitions) and offered Mpps (src
// eth0 tx_packets + tx_dropped: the generator shares CPU 0 with the busy
// generator and the capture CLI), the busy pair's delivered kpps, the
// daemon's CPU split into its worker thread (CPU ns per frame forwarded, both
// pairs: the core's cost per frame, tap and copy included) and its other
// threads (the controller draining the rings and serving the stream), and
// what the capture counted.  On a shared machine the rates move with the
// generator's share of CPU 0; the worker's ns/frame and the loss do not.
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { CLK_TCK, ipBatch, netDev, nsRun, procCpu, run, sleep, start, stop } from './lib/sys.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: o } = parseArgs({
  options: {
    reps: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    'busy-pps': { type: 'string', default: '50000' },
  },
});
const reps = Number(o.reps), duration = Number(o.duration), warmup = Number(o.warmup), busyPps = Number(o['busy-pps']);
const gen = process.env.HVGEN ?? path.join(root, 'build/bench/hvgen');
const cli = path.join(root, 'dist/src/cli/main.js');
const id = `hvc${Date.now().toString(36).slice(-5)}`;
const ns = { src: `${id}-src`, dst: `${id}-dst`, bsrc: `${id}-bsrc`, bdst: `${id}-bdst`, sw: `${id}-sw` };
const tmp = mkdtempSync(path.join(tmpdir(), 'hvcapbench-'));
const procs = [];

function topology() {
  for (const n of Object.values(ns)) {
    run('ip', ['netns', 'add', n]);
    ipBatch(['link set lo up'], n);
    nsRun(n, 'sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  }
  const hosts = [['sw0', ns.src, '198.18.0.1'], ['sw1', ns.dst, '198.18.0.2'], ['sw2', ns.bsrc, '198.18.2.1'], ['sw3', ns.bdst, '198.18.2.2']];
  ipBatch(hosts.flatMap(([p, h]) => [`link add ${p} type veth peer name eth0 netns ${h}`, `link set ${p} up`]), ns.sw);
  for (const [, h, ip] of hosts) ipBatch([`addr add ${ip}/24 dev eth0`, 'link set eth0 up'], h);
}

const mac = (n) => nsRun(n, 'cat', ['/sys/class/net/eth0/address']).trim();

async function daemon() {
  const cfg = path.join(tmp, 'hvswitchd.yaml');
  writeFileSync(cfg, ['bridges: {br0: {}}', 'ports:',
    ...['sw0', 'sw1'].map((p) => `  ${p}: {backend: af-packet, bridge: br0, vlan: 1}`),
    ...['sw2', 'sw3'].map((p) => `  ${p}: {backend: af-packet, bridge: br0, vlan: 2}`)].join('\n') + '\n');
  const socket = path.join(tmp, 'api.sock');
  const log = path.join(tmp, 'hvswitchd.log');
  const d = start('ip', ['netns', 'exec', ns.sw, 'taskset', '-c', '1', process.execPath, path.join(root, 'dist/src/daemon/main.js'), '--config', cfg, '--socket', socket], { log: openSync(log, 'a') });
  procs.push(d);
  for (let i = 0; i < 200; i++) {
    if (run(process.execPath, [cli, '--socket', socket, 'port', 'list', '-q'], { allowFail: true })) break;
    await sleep(50);
  }
  // the switch learns where the sinks are
  nsRun(ns.src, 'ping', ['-c', '2', '-i', '0.2', '198.18.0.2']);
  nsRun(ns.bsrc, 'ping', ['-c', '2', '-i', '0.2', '198.18.2.2']);
  return { socket, log, pids: [d.pid] }; // ip netns exec and taskset exec node: one pid
}

/** One window; returns the pair's and the busy pair's delivered rates and the daemon's CPU. */
async function window(dpids, anchors, macs) {
  const total = warmup + duration + 0.5;
  const hv = (from, to, dstMac, rate) => start('ip', ['netns', 'exec', from, gen, '-i', 'eth0', '-d', dstMac, '-S', to.src, '-D', to.sink, '-l', '64', '-t', String(total), '-c', '0', ...(rate ? ['-r', String(rate)] : [])], { captureStdout: true });
  const g1 = hv(ns.src, { src: '198.18.0.1', sink: '198.18.0.99' }, macs.dst, 0);
  const g2 = hv(ns.bsrc, { src: '198.18.2.1', sink: '198.18.2.99' }, macs.bdst, busyPps);
  await sleep(warmup * 1000);
  const snap = () => {
    const src = netDev(anchors.src).eth0;
    return { t: process.hrtime.bigint(), src: src.tx_packets + src.tx_dropped, dst: netDev(anchors.dst).eth0.rx_packets, bdst: netDev(anchors.bdst).eth0.rx_packets, cpu: procCpu(dpids), th: threadCpu(dpids[0]) };
  };
  const a = snap();
  await sleep(duration * 1000);
  const b = snap();
  await Promise.all([g1.done, g2.done]);
  const s = Number(b.t - a.t) / 1e9;
  const frames = (b.dst - a.dst) + (b.bdst - a.bdst); // every frame the worker forwarded
  return { offered_mpps: (b.src - a.src) / s / 1e6, pair_mpps: (b.dst - a.dst) / s / 1e6, busy_kpps: (b.bdst - a.bdst) / s / 1e3, dut_cores: (b.cpu - a.cpu) / s,
    worker_ns: ((b.th.worker - a.th.worker) / frames) * 1e9, controller_cores: (b.th.other - a.th.other) / s };
}

function captureCli(socket, cond) {
  if (cond === 'none') return null;
  const args = cond === 'filtered' ? ['--filter', 'tcp port 1', '-w', '/dev/null'] : ['-w', path.join(tmp, 'busy.pcap')];
  const p = start('taskset', ['-c', '0', process.execPath, cli, '--socket', socket, 'port', 'capture', 'sw2', ...args], { log: 'pipe' });
  let err = '';
  p.child.stderr.on('data', (x) => (err += x));
  return { p, summary: () => err };
}

/** CPU seconds of the daemon's worker thread(s) (comm hv-worker-*) and of its other threads (controller, libuv, gRPC). */
function threadCpu(pid) {
  const out = { worker: 0, other: 0 };
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const st = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      const sec = (Number(f[11]) + Number(f[12])) / CLK_TCK;
      const comm = readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8');
      if (comm.startsWith('hv-worker')) out.worker += sec;
      else out.other += sec;
    } catch { /* thread gone */ }
  }
  return out;
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

async function main() {
  if (process.getuid() !== 0) throw new Error('run as root');
  topology();
  for (const h of ['src', 'dst', 'bdst']) procs.push(start('ip', ['netns', 'exec', ns[h], 'sleep', 'infinity']));
  const anchors = { src: procs[0].pid, dst: procs[1].pid, bdst: procs[2].pid };
  await sleep(200);
  const macs = { dst: mac(ns.dst), bdst: mac(ns.bdst) };
  const d = await daemon();
  const results = { none: [], filtered: [], all: [] };
  for (let rep = 1; rep <= reps; rep++)
    for (const cond of Object.keys(results)) {
      const attached = readFileSync(d.log, 'utf8').split('capture attached').length;
      const c = captureCli(d.socket, cond);
      if (c) { // attached (the daemon logs it), and the CLI's start-up over before the window
        for (let i = 0; i < 400 && readFileSync(d.log, 'utf8').split('capture attached').length === attached; i++) await sleep(25);
        await sleep(1000);
      }
      const r = await window(d.pids, anchors, macs);
      if (c) {
        c.p.child.kill('SIGINT');
        await c.p.done;
        const n = (re) => Number(re.exec(c.summary())?.[1] ?? NaN);
        Object.assign(r, { written: n(/^(\d+) packets? written/m), filtered: n(/(\d+) packets rejected by the filter/), ring_drops: n(/(\d+) packets dropped by the capture ring/), slow_drops: n(/(\d+) packets dropped: reader too slow/) });
      }
      results[cond].push(r);
      console.log(`rep ${rep} ${cond.padEnd(8)} pair ${r.pair_mpps.toFixed(3)} Mpps (offered ${r.offered_mpps.toFixed(3)}), busy port ${r.busy_kpps.toFixed(1)} kpps, hvswitchd ${r.dut_cores.toFixed(2)} cores (worker ${r.worker_ns.toFixed(0)} ns/frame, other threads ${r.controller_cores.toFixed(3)} cores)` +
        (r.written !== undefined ? `, capture: ${r.written} written, ${r.filtered} filtered, ${r.ring_drops} ring drops, ${r.slow_drops} slow-reader drops` : ''));
    }
  console.log(`\nmeasured pair sw0 -> sw1, 64 B, flat out; busy port sw2 at ${busyPps} pps; ${reps} reps x ${duration} s; median [min-max]`);
  const base = median(results.none.map((r) => r.pair_mpps));
  for (const [cond, rs] of Object.entries(results)) {
    const p = rs.map((r) => r.pair_mpps);
    console.log(`${cond.padEnd(9)} pair ${median(p).toFixed(3)} [${Math.min(...p).toFixed(3)}-${Math.max(...p).toFixed(3)}] Mpps (x${(median(p) / base).toFixed(3)}), offered ${median(rs.map((r) => r.offered_mpps)).toFixed(3)} Mpps, busy ${median(rs.map((r) => r.busy_kpps)).toFixed(1)} kpps, loss ${median(rs.map((r) => 100 * (1 - r.pair_mpps / r.offered_mpps))).toFixed(1)} %, hvswitchd ${median(rs.map((r) => r.dut_cores)).toFixed(2)} cores: worker ${median(rs.map((r) => r.worker_ns)).toFixed(0)} ns/frame, other threads ${median(rs.map((r) => r.controller_cores)).toFixed(3)} cores`);
  }
}

async function cleanup() {
  for (const p of procs.reverse()) await stop(p);
  for (const n of Object.values(ns)) run('ip', ['netns', 'del', n], { allowFail: true });
  rmSync(tmp, { recursive: true, force: true });
}

process.on('SIGINT', () => cleanup().then(() => process.exit(130)));
main().then(cleanup, async (e) => {
  console.error(`capture bench: ${e.message}`);
  await cleanup();
  process.exit(1);
});
