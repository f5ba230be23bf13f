// The three measurements.  Each returns one flat record of figures for one
// window; the harness adds who/what/when.
//
// pps: the generator (trafgen, or hvgen: bench/lib/trafgen.mjs) on the source
//   host, pinned to the generator CPU, runs warm-up + window; counters are
//   snapshotted at the window's edges.
//   offered   = source interface tx_packets + tx_dropped (what the generator got
//               onto the wire, including what the first hop refused)
//   delivered = sink interface rx_packets (what arrived), never "what was sent"
//   dut_cpu   = utime+stime of the device's processes (vxlan: both hypervisors'
//               hvswitchd, summed: encap + decap); this includes kernel work
//               done in their context, e.g. delivering the frames they send into
//               the sink's stack.  The kernel bridge has no process: its work runs
//               in softirq on the sending CPU (veth calls the peer's receive path
//               in the sender's context), so only the machine-wide figure exists.
//   path_cpu  = CPU of everything on the path, per delivered frame: generator +
//               device processes + ksoftirqd.  Without IRQ time accounting a
//               softirq is charged to the task it interrupted, so the bridge's
//               work and the sink's receive path land in the generator's or the
//               device's time.  The one CPU figure every device has, and unlike
//               the machine's busy time it does not count other tenants.
// lat: ping -i 0.01 on the idle path, pinned to the generator CPU; per-packet
//   RTTs; median and p99 by nearest rank.
// tcp: iperf3, one stream, client and server pinned to the generator CPU,
//   default offloads (TSO/GSO and partial checksums cross the switch).
//   tcp_dut_cpu_s_per_gb = the device's CPU over the window / the bytes the
//   sink's interface received in it (GB, 1e9): CPU per byte carried, the TCP
//   counterpart of CPU per frame.
import path from 'node:path';
import { openSync, writeFileSync } from 'node:fs';
import { cpuDelta, cpuTimes, ksoftirqdPids, nsRun, procCpu, run, sleep, start, stop, withDescendants } from './sys.mjs';
import { generator } from './trafgen.mjs';

const KSOFTIRQD = ksoftirqdPids();

function snapshot(topo, pids, genPids = []) {
  return {
    t: process.hrtime.bigint(), ...topo.counters(), dut: procCpu(pids),
    path: procCpu([...pids, ...genPids, ...KSOFTIRQD]), cpu: cpuTimes(),
  };
}

function cpuFigures(a, b, seconds) {
  const per = cpuDelta(a.cpu, b.cpu);
  const busy = per.reduce((s, c) => s + c.busy, 0);
  const steal = per.reduce((s, c) => s + c.steal, 0);
  return {
    busy_s: busy,
    busy_cores: busy / seconds,
    steal_pct: (100 * steal) / (seconds * per.length),
    per_cpu: per.map((c) => ({
      usr: Math.round((100 * c.user) / seconds), sys: Math.round((100 * c.system) / seconds),
      si: Math.round((100 * c.softirq) / seconds), steal: Math.round((100 * c.steal) / seconds),
    })),
  };
}

export async function measurePps({ topo, scen, dut, opts, dir, gen, tag }) {
  const total = opts.warmup + opts.duration + 0.5;
  const g0 = generator({ opts, topo, scen, dir, tag, total, gen });
  const g = start('ip', g0.args, { captureStdout: true, log: openSync(path.join(dir, `gen-${tag}.log`), 'a') });
  await sleep(opts.warmup * 1000);
  const genPids = withDescendants(g.pid); // trafgen's worker is a forked child
  const a = snapshot(topo, dut.pids, genPids);
  const perf = opts.profile ? startProfile(dir, tag, dut.pids, opts.duration) : null;
  await sleep(opts.duration * 1000);
  const b = snapshot(topo, dut.pids, genPids);
  if (!g0.selfStops) {
    await sleep(500);
    try { process.kill(-g.pid, 'SIGINT'); } catch { /* gone already */ }
  }
  const gr = await Promise.race([g.done, sleep(5000).then(() => null)]);
  if (!gr) await stop(g);
  if (perf) await perf.done;
  const s = Number(b.t - a.t) / 1e9;
  const offered = (b.src.tx_packets + b.src.tx_dropped) - (a.src.tx_packets + a.src.tx_dropped);
  const delivered = b.dst.rx_packets - a.dst.rx_packets;
  const cpu = cpuFigures(a, b, s);
  const dutCpu = dut.pids.length ? b.dut - a.dut : null;
  const genOut = gr ? g0.report(gr.stdout ?? '', gr.code) : null;
  const rec = {
    window_s: s,
    offered_mpps: offered / s / 1e6,
    delivered_mpps: delivered / s / 1e6,
    loss_pct: offered > 0 ? (100 * (offered - delivered)) / offered : null,
    delivered_gbps: ((b.dst.rx_bytes - a.dst.rx_bytes) * 8) / s / 1e9,
    src_tx_dropped: b.src.tx_dropped - a.src.tx_dropped,
    dut_cores: dutCpu === null ? null : dutCpu / s,
    dut_cpu_s_per_mpkt: dutCpu === null || delivered === 0 ? null : dutCpu / (delivered / 1e6),
    path_cpu_s_per_mpkt: delivered === 0 ? null : (b.path - a.path) / (delivered / 1e6),
    path_cores: (b.path - a.path) / s,
    busy_cores: cpu.busy_cores,
    steal_pct: cpu.steal_pct,
    per_cpu: cpu.per_cpu,
    generator: genOut,
  };
  if (!genOut) rec.error = `generator gave no report (exit ${gr?.code ?? 'killed'}); see gen-${tag}.log`;
  if (perf) rec.profile = profileReport(dir, tag);
  return rec;
}

/** perf record (cpu-clock: works in VMs without hardware counters) of the device's processes. */
function startProfile(dir, tag, pids, seconds) {
  if (!pids.length) return null;
  return start('perf', ['record', '-e', 'cpu-clock', '-F', '997', '-g', '-o', path.join(dir, `perf-${tag}.data`),
    '-p', pids.join(','), '--', 'sleep', String(seconds)], { log: openSync(path.join(dir, `perf-${tag}.log`), 'a') });
}

/** Self time by symbol, and inclusive time of the paths that matter, written next to the recording. */
function profileReport(dir, tag) {
  const data = path.join(dir, `perf-${tag}.data`);
  const self = run('perf', ['report', '-i', data, '--stdio', '--no-children', '--sort', 'dso,sym',
    '--percent-limit', '0.5', '-g', 'none'], { allowFail: true, timeout: 120000 });
  const incl = run('perf', ['report', '-i', data, '--stdio', '--children', '--sort', 'sym',
    '--percent-limit', '2', '-g', 'none'], { allowFail: true, timeout: 120000 });
  if (self === null) return null;
  const f = path.join(dir, `perf-${tag}.txt`);
  writeFileSync(f, `## self time by symbol\n${self}\n## inclusive (children) time, >= 2%\n${incl ?? ''}`);
  return path.basename(f);
}

export function measureLat({ topo, opts, dir, tag, dut }) {
  // pinned like the generator: a ping that lands on the device's CPU competes with its worker
  const pids = dut?.pids ?? [];
  const cpu0 = pids.length ? procCpu(pids) : 0, t0 = process.hrtime.bigint();
  const out = nsRun(topo.src, 'taskset', ['-c', String(opts.genCpu), 'ping', '-n', '-D', '-c', String(opts.pings), '-i', '0.01', '-W', '1', topo.ip.dst],
    { allowFail: true, timeout: 60000 }) ?? '';
  writeFileSync(path.join(dir, `ping-${tag}.txt`), out); // per-reply timestamps: when the slow ones came
  // the device's CPU while the pings ran (100/s): what a polling mode costs beside a trickle of traffic
  const dutCores = pids.length ? (procCpu(pids) - cpu0) / (Number(process.hrtime.bigint() - t0) / 1e9) : null;
  const rtts = [...out.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1])).sort((x, y) => x - y);
  if (!rtts.length) return { error: 'no ping reply' };
  const rank = (p) => rtts[Math.max(0, Math.ceil((p / 100) * rtts.length) - 1)];
  return {
    lat_p50_ms: rank(50), lat_p99_ms: rank(99), lat_min_ms: rtts[0], lat_max_ms: rtts[rtts.length - 1],
    lat_loss_pct: (100 * (opts.pings - rtts.length)) / opts.pings, lat_dut_cores: dutCores,
  };
}

export async function measureTcp({ topo, scen, dut, opts, dir, tag }) {
  const cpuPin = ['taskset', '-c', String(opts.genCpu)];
  const srv = start('ip', ['netns', 'exec', topo.dst, ...cpuPin, 'iperf3', '-s', '-1', '-B', topo.ip.dst],
    { log: openSync(path.join(dir, `iperf-server-${tag}.log`), 'a') });
  await sleep(300);
  const a = snapshot(topo, dut.pids);
  const t = opts.tcpDuration;
  const perf = opts.profile ? startProfile(dir, tag, dut.pids, t) : null;
  const outFile = path.join(dir, `iperf-${tag}.json`);
  const out = nsRun(topo.src, cpuPin[0], [...cpuPin.slice(1), 'iperf3', '-c', topo.ip.dst, '-t', String(t),
    '-O', '1', '-J', '--connect-timeout', '3000'], { allowFail: true, timeout: (t + 20) * 1000 });
  const b = snapshot(topo, dut.pids);
  await stop(srv, 1000);
  if (perf) await perf.done;
  let j = null;
  try { j = JSON.parse(out ?? ''); } catch { /* below */ }
  if (j) writeFileSync(outFile, JSON.stringify(j));
  if (!j || j.error || !j.end?.sum_received) return { error: `iperf3: ${j?.error ?? 'no result'}` };
  const s = Number(b.t - a.t) / 1e9;
  const dutCpu = dut.pids.length ? b.dut - a.dut : null;
  const rxGB = (b.dst.rx_bytes - a.dst.rx_bytes) / 1e9; // what reached the sink's interface in the CPU window
  return {
    ...(perf ? { profile: profileReport(dir, tag) } : {}),
    tcp_dut_cpu_s_per_gb: dutCpu === null || rxGB <= 0 ? null : dutCpu / rxGB,
    tcp_gbps: j.end.sum_received.bits_per_second / 1e9,
    tcp_retransmits: j.end.sum_sent?.retransmits ?? null,
    tcp_window_s: s, // the CPU window (iperf3's run, omitted second included): CPU per frame from the device's counters
    tcp_dut_cores: dutCpu === null ? null : dutCpu / s,
    tcp_busy_cores: cpuFigures(a, b, s).busy_cores,
  };
}
