// hvswitch benchmark harness: hvswitch side by side with the Linux bridge and
// Open vSwitch (userspace datapath), same topology, same run.
//
// Method: for each repetition, for each scenario, each device in turn gets a
// fresh topology (A B C A B C ...), so slow drifts of a shared machine hit all
// devices alike; every figure is reported as median [min–max] over repetitions
// and as a ratio to the Linux bridge's median in the same run.  Before each
// window a quiet gate waits for the machine to be idle and records what it saw.
//
// Output: a table on the terminal, results.json and one SVG per scenario in the
// run directory (bench/results/run-<stamp>/, with the raw per-window records and
// logs), and the same summary + charts copied to bench/results/latest/.
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { DUTS, checkDuts } from './duts.mjs';
import { measureLat, measurePps, measureTcp } from './measure.mjs';
import { measureIdle, measureLatLoad, measureTcpNoOffload } from './polling.mjs';
import { METRICS, aggregate, table } from './report.mjs';
import { SCENARIOS, scenarioByName } from './scenarios.mjs';
import { CHART_METRICS, chart } from './svg.mjs';
import { machine, namespaces, quietGate, run } from './sys.mjs';
import { Topology } from './topo.mjs';
import { GENERATORS } from './trafgen.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NS_PREFIX = 'hvb-';

const HELP = `usage: npm run bench -- [options]        (as root)
  --dut LIST          devices, comma-separated (default: linux-bridge,hvswitch,ovs-netdev);
                      hvswitch-ref: the switch built in the checkout HV_BENCH_REF (before/after in one run);
                      hvswitch-ref-interrupt, -adaptive, -busy: that checkout in a polling mode;
                      hvswitch-ref-xdp: that checkout with AF_XDP ports (as hvswitch-xdp);
                      hvswitch-interrupt, -adaptive, -busy: hvswitch in that polling mode (docs/polling.md);
                      hvswitch-adaptive-N: adaptive with a budget of N µs;
                      hvswitch[-ref]-adaptive-grow-M[-nap-N]: adaptive (--budget-us) growing up to M µs
                      with the traffic, the rest past --budget-us in N µs naps (docs/polling.md)
  --budget-us N       adaptive polling budget of hvswitch-adaptive, microseconds (default 100)
  --load-pps N        lat-load: rate of the 64 B stream beside the pings (default 100000)
  --idle-duration S   idle: seconds of CPU accounting with no traffic (default 5)
  --scenario LIST     scenarios (default: all); --list shows them
  --tests LIST        pps,lat,lat-load,tcp,tcp-nooff,idle (default: all; bench/lib/polling.mjs)
  --reps N            repetitions, interleaved (default 3)
  --duration S        pps window in seconds (default 5); --warmup S before it (default 1)
  --tcp-duration S    iperf3 time (default: --duration)
  --pings N           ping count at 10 ms intervals (default 200)
  --generator G       trafgen (netsniff-ng, default) or hvgen (bench/gen/hvgen.c)
  --rate PPS          pps: offer a fixed rate (hvgen's token bucket) instead of flat out, the same for
                      every device, so that CPU per frame compares devices at one load with no loss
                      (default 0: flat out); needs --generator hvgen
  --gen-cpu N         CPU of the generator, iperf3 and ping (default 0; trafgen -P 1 pins itself to 0)
  --dut-cpu N         CPU the userspace devices are pinned to (default 1)
  --rps-cpu N         steer what the hosts send into the switch (veth) to CPU N with RPS, for every
                      device (default: off; see bench/lib/topo.mjs on TCP reordering)
  --quiet-wait S      wait up to S seconds for the machine to be idle before a window (default 10)
  --quiet-max C       ... i.e. for fewer than C busy cores (default 0.15)
  --profile           perf record (cpu-clock, call graphs) of the device's processes during pps windows
  --out DIR           run directory (default bench/results/run-<stamp>)
  --no-latest         do not update bench/results/latest/
  --cleanup           delete namespaces left by an interrupted run (hvb-*) and exit
  --render DIR        write DIR's tables and charts again from DIR/results.json and exit
  --micro             run the micro-benchmarks instead (bench/micro.sh)`;

function options() {
  const { values } = parseArgs({
    options: {
      dut: { type: 'string', default: 'linux-bridge,hvswitch,hvswitch-xdp,ovs-netdev' },
      scenario: { type: 'string', default: SCENARIOS.map((s) => s.name).join(',') },
      tests: { type: 'string', default: 'pps,lat,lat-load,tcp,tcp-nooff,idle' },
      'budget-us': { type: 'string', default: '100' },
      'load-pps': { type: 'string', default: '100000' },
      'idle-duration': { type: 'string', default: '5' },
      reps: { type: 'string', default: '3' },
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      'tcp-duration': { type: 'string' },
      pings: { type: 'string', default: '200' },
      'gen-cpu': { type: 'string', default: '0' },
      generator: { type: 'string', default: 'trafgen' },
      rate: { type: 'string', default: '0' },
      'dut-cpu': { type: 'string', default: '1' },
      'rps-cpu': { type: 'string' },
      'quiet-wait': { type: 'string', default: '10' },
      'quiet-max': { type: 'string', default: '0.15' },
      profile: { type: 'boolean', default: false },
      out: { type: 'string' },
      'no-latest': { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      cleanup: { type: 'boolean', default: false },
      render: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const num = (k) => {
    const v = Number(values[k]);
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${k}: not a number: ${values[k]}`);
    return v;
  };
  return {
    ...values,
    duts: values.dut.split(',').filter(Boolean),
    scenarios: values.scenario.split(',').filter(Boolean),
    testSet: new Set(values.tests.split(',').filter(Boolean)),
    reps: Math.max(1, Math.round(num('reps'))),
    duration: num('duration'),
    warmup: num('warmup'),
    tcpDuration: values['tcp-duration'] ? num('tcp-duration') : Math.max(2, num('duration')),
    pings: Math.max(10, Math.round(num('pings'))),
    genCpu: num('gen-cpu'),
    dutCpu: num('dut-cpu'),
    rpsCpu: values['rps-cpu'] === undefined ? null : num('rps-cpu'),
    quietWait: num('quiet-wait'),
    quietMax: num('quiet-max'),
    budgetUs: Math.round(num('budget-us')),
    loadPps: num('load-pps'),
    rate: num('rate'),
    idleDuration: num('idle-duration'),
  };
}

/** Each test's measurement (measure.mjs, polling.mjs), by the name --tests and the scenarios use. */
const MEASURES = {
  pps: measurePps, lat: measureLat, tcp: measureTcp,
  'lat-load': measureLatLoad, 'tcp-nooff': measureTcpNoOffload, idle: measureIdle,
};

const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

let current = null; // {topo, dut} being measured, for cleanup on a signal

async function measureOne({ scen, dutName, rep, opts, runId, runDir, gen, record }) {
  const dutDef = DUTS[dutName];
  const link = scen.link === 'tap' && !dutDef.tap ? 'veth' : scen.link;
  const base = { scenario: scen.name, dut: dutName, rep, link };
  // a device without this scenario's forwarding mode: reported as not measured, with the reason
  const supported = dutDef.supports?.(scen) ?? { ok: true };
  if (!supported.ok) return record({ ...base, test: 'setup', skipped: supported.reason });
  const topo = new Topology(runId, { link, vlan: scen.vlan, l3: scen.l3, vxlan: scen.vxlan, twoHv: scen.twoHv, vpn: scen.vpn, rpsCpu: opts.rpsCpu });
  const tag = `${scen.name}-${dutName}-r${rep}`;
  const dir = path.join(runDir, 'logs', tag);
  mkdirSync(dir, { recursive: true });
  let dut = null;
  current = { topo, dut: null };
  try {
    await topo.create();
    const t0 = process.hrtime.bigint();
    dut = await dutDef.start({ topo, scen, dir, opts, root });
    const start_s = Number(process.hrtime.bigint() - t0) / 1e9; // start + tables loaded (1M routes)
    current.dut = dut;
    if (link === 'tap') await topo.adoptTaps();
    topo.configureHosts();
    // path up, then (vxlan, hvswitch) the tables the frames need: remote MACs from EVPN routes
    const ready_s = await topo.waitPath(gen) + (dut.primed ? await dut.primed({ topo }) : 0);
    for (const test of scen.tests.filter((t) => opts.testSet.has(t))) {
      if (test !== 'pps' && !topo.ipPath) {
        record({ ...base, test, ready_s, skipped: topo.noIpReason });
        continue;
      }
      const gate = await quietGate(opts.quietWait, opts.quietMax);
      const ctx = { topo, scen, dut, opts, dir, gen, tag: `${test}` };
      let r;
      try {
        r = await MEASURES[test](ctx);
      } catch (e) {
        r = { error: e.message };
      }
      if (dut.afterTest) try { dut.afterTest(test); } catch { /* a diagnostic only */ }
      if (test === 'pps') {
        r.start_s = start_s; // once per start: the first window carries it
        if (dut.tables) try { Object.assign(r, dut.tables(test)); } catch (e) { r.tables_error = e.message; }
      }
      record({ ...base, test, ready_s, gate, ...r });
    }
  } catch (e) {
    record({ ...base, test: 'setup', error: e.message });
  } finally {
    if (dut) await dut.stop().catch(() => {});
    await topo.destroy();
    current = null;
  }
}

function progress(w) {
  const f = (k, d = 3) => (typeof w[k] === 'number' ? w[k].toFixed(d) : '-');
  const what = w.error ? `ERROR ${w.error}` : w.skipped ? `skipped: ${w.skipped}`
    : w.test === 'pps' ? `offered ${f('offered_mpps')} Mpps, delivered ${f('delivered_mpps')} Mpps, DUT ${f('dut_cores', 2)} cores, path ${f('path_cores', 2)} cores, machine ${f('busy_cores', 2)}, ${w.fib_routes !== undefined ? `${w.fib_routes} routes` : `${w.fdb_entries ?? '?'} MACs`}, started in ${f('start_s', 1)} s`
    : w.test === 'lat' ? `p50 ${f('lat_p50_ms')} ms, p99 ${f('lat_p99_ms')} ms`
    : w.test === 'lat-load' ? `p50 ${f('latload_p50_ms')} ms, p99 ${f('latload_p99_ms')} ms beside ${f('latload_stream_kpps', 0)} kpps`
    : w.test === 'idle' ? `idle CPU ${f('idle_cpu_s')} s (${f('idle_cores')} cores)`
    : w.test === 'tcp-nooff' ? `offloads off: ${f('tcpnooff_gbps', 2)} Gbit/s, ${w.tcpnooff_retransmits ?? '-'} retransmits`
    : `${f('tcp_gbps', 2)} Gbit/s, ${w.tcp_retransmits ?? '-'} retransmits, DUT ${f('tcp_dut_cpu_s_per_gb')} CPU s/GB`;
  const gate = w.gate && !w.gate.quiet ? ` (machine not quiet: ${w.gate.load} cores busy before)` : '';
  console.log(`  rep ${w.rep} ${w.scenario} ${w.dut.padEnd(12)} ${w.test.padEnd(5)} ${what}${gate}`);
}

async function main() {
  const opts = options();
  if (opts.help) return console.log(HELP);
  if (opts.list) {
    for (const s of SCENARIOS) console.log(`${s.name.padEnd(14)} ${s.title}${s.planned ? `  [planned: ${s.planned}]` : ''}`);
    for (const [n, d] of Object.entries(DUTS)) console.log(`device ${n.padEnd(13)} ${d.describe}`);
    return;
  }
  if (opts.render) return rerender(path.resolve(opts.render));
  if (process.getuid() !== 0) throw new Error('run as root: the harness creates network namespaces');
  if (opts.cleanup) {
    for (const ns of namespaces(NS_PREFIX)) { run('ip', ['netns', 'del', ns], { allowFail: true }); console.log(`deleted netns ${ns}`); }
    return;
  }
  const gen = process.env.HVGEN;
  if (!GENERATORS.includes(opts.generator)) throw new Error(`--generator: one of ${GENERATORS.join(', ')}`);
  if (opts.rate > 0 && opts.generator !== 'hvgen') throw new Error('--rate: a paced rate needs --generator hvgen');
  if (opts.generator === 'hvgen' && !gen) throw new Error('HVGEN (path to the built generator) not set: run through bench/run.sh');
  if (opts.generator === 'trafgen' && run('sh', ['-c', 'command -v trafgen'], { allowFail: true }) === null)
    throw new Error('trafgen not installed (apt-get install netsniff-ng), or use --generator hvgen');
  if (opts.generator === 'trafgen' && opts.genCpu !== 0)
    throw new Error('trafgen -P 1 pins its worker to CPU 0: use --gen-cpu 0, or --generator hvgen');
  const scens = opts.scenarios.map((n) => scenarioByName(n) ?? (() => { throw new Error(`unknown scenario ${n} (--list)`); })());
  const runnable = scens.filter((s) => !s.planned);
  const duts = checkDuts(opts.duts, { root });
  const okDuts = duts.filter((d) => d.ok).map((d) => d.name);
  const runId = `${NS_PREFIX}${Date.now().toString(36).slice(-5)}`;
  const runDir = path.resolve(opts.out ?? path.join(root, 'bench/results', `run-${stamp()}`));
  mkdirSync(runDir, { recursive: true });
  const m = machine();
  console.log(`hvswitch bench ${runId}: ${m.cores} cores, ${m.cpu_model}, kernel ${m.kernel}; results in ${path.relative(process.cwd(), runDir) || '.'}`);
  for (const d of duts) if (!d.ok) console.log(`  device ${d.name}: unavailable: ${d.reason}`);
  for (const s of scens) if (s.planned) console.log(`  scenario ${s.name}: not run: ${s.planned}`);
  console.log(`  ${opts.reps} reps × ${runnable.length} scenarios × ${okDuts.length} devices; generator ${opts.generator}${opts.rate > 0 ? ` at ${opts.rate} pps` : ""}, pps window ${opts.duration}s, tcp ${opts.tcpDuration}s, ${opts.pings} pings`);

  const windows = [];
  const raw = path.join(runDir, 'raw.jsonl');
  const record = (w) => {
    const full = { time: new Date().toISOString(), ...w };
    windows.push(full);
    appendFileSync(raw, JSON.stringify(full) + '\n');
    progress(full);
  };
  const onSignal = async (sig) => {
    console.error(`\n${sig}: cleaning up`);
    if (current?.dut) await current.dut.stop().catch(() => {});
    if (current?.topo) await current.topo.destroy();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const started = new Date().toISOString();
  for (let rep = 1; rep <= opts.reps; rep++)
    for (const scen of runnable)
      for (const dutName of okDuts) await measureOne({ scen, dutName, rep, opts, runId, runDir, gen, record });

  const agg = aggregate(windows);
  const result = {
    schema: 'hvswitch-bench/1',
    run: {
      id: runId, started, finished: new Date().toISOString(),
      options: { reps: opts.reps, duration_s: opts.duration, warmup_s: opts.warmup, tcp_duration_s: opts.tcpDuration,
        pings: opts.pings, budget_us: opts.budgetUs, load_pps: opts.loadPps, rate_pps: opts.rate, idle_s: opts.idleDuration, generator: opts.generator, gen_cpu: opts.genCpu, dut_cpu: opts.dutCpu, rps_cpu: opts.rpsCpu, quiet_max_cores: opts.quietMax },
      machine: m,
      git: run('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { allowFail: true })?.trim() ?? null,
    },
    devices: duts.map((d) => ({ name: d.name, ok: d.ok, reason: d.reason ?? null, describe: DUTS[d.name]?.describe ?? null })),
    metrics: METRICS.map(({ key, label, better }) => ({ key, label, better })),
    scenarios: scens.map((s) => ({
      name: s.name, title: s.title, note: s.note ?? null, status: s.planned ? 'planned' : 'run', reason: s.planned ?? null,
      link: s.link ?? null, frames: s.frames ?? null, macs: s.macs ?? null, vlan: s.vlan ?? null, routes: s.l3?.routes ?? null,
      figures: s.planned ? null : Object.fromEntries(Object.entries(agg[s.name] ?? {}).map(([d, f]) => [d, strip(f)])),
    })),
    windows: windows.map(({ per_cpu, generator, ...w }) => ({ ...w, per_cpu, generator })),
  };
  writeFileSync(path.join(runDir, 'results.json'), JSON.stringify(result, null, 1) + '\n');
  console.log('');
  render({ runDir, result, windows, agg, scens, duts, quietMax: opts.quietMax });
  if (!opts['no-latest']) {
    const latest = path.join(root, 'bench/results/latest');
    rmSync(latest, { recursive: true, force: true });
    mkdirSync(latest, { recursive: true });
    for (const f of readdirSync(runDir)) if (/\.(svg|json|txt)$/.test(f)) copyFileSync(path.join(runDir, f), path.join(latest, f));
    console.log(`summary, results.json and charts copied to ${path.relative(process.cwd(), latest)}/`);
  }
}

/** Tables (terminal + summary.txt) and one chart per scenario, from the windows. */
function render({ runDir, result, windows, agg = aggregate(windows), scens, duts, quietMax }) {
  const m = result.run.machine;
  const okDuts = duts.filter((d) => d.ok).map((d) => d.name);
  const texts = [];
  for (const s of scens) {
    const t = table(s, agg[s.name], duts);
    texts.push(t);
    console.log(t + '\n');
    if (s.planned) continue;
    const metrics = METRICS.filter((x) => CHART_METRICS.includes(x.key) || (x.key === 'start_s' && s.l3?.routes > 1));
    writeFileSync(path.join(runDir, `${s.name}.svg`), chart({ scen: s, agg: agg[s.name] ?? {}, devices: okDuts, metrics, machine: m }));
  }
  const gated = windows.filter((w) => w.gate && !w.gate.quiet);
  const gateLine = `quiet gate: ${gated.length} of ${windows.filter((w) => w.gate).length} windows started while other processes kept more than ${quietMax} cores busy` +
    (gated.length ? ` (up to ${Math.max(...gated.map((w) => w.gate.load))} of ${m.cores}): a shared machine, compare ratios within this run only` : '');
  console.log(gateLine);
  const machineLine = `machine: ${m.cores} cores, ${m.cpu_model}${m.virtualized ? ' (virtualized)' : ''}, kernel ${m.kernel}, ${m.os}; ${result.run.started} – ${result.run.finished}`;
  writeFileSync(path.join(runDir, 'summary.txt'), [machineLine, gateLine, '', ...texts].join('\n\n') + '\n');
  console.log(machineLine);
}

/** --render DIR: tables and charts again from DIR/results.json (after a change to the report). */
function rerender(dir) {
  const result = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8'));
  const scens = result.scenarios.map((r) => scenarioByName(r.name) ?? { name: r.name, title: r.title, planned: r.reason });
  render({ runDir: dir, result, windows: result.windows, scens, duts: result.devices, quietMax: result.run.options.quiet_max_cores });
}

function strip(devFigures) {
  const o = { errors: devFigures.errors, skipped: devFigures.skipped };
  for (const [k, v] of Object.entries(devFigures)) if (k !== 'errors' && k !== 'skipped') o[k] = { median: v.median, min: v.min, max: v.max, n: v.n, ratio: v.ratio ?? null };
  return o;
}

main().catch((e) => {
  console.error(`bench: ${e.message}`);
  process.exit(1);
});
