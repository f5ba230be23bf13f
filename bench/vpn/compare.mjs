// The `vpn` scenario beside hvswitch's own `routed` scenario of the same run
// (issue 11's aim: vpn delivered >= 0.8x routed): reads a run's results.json
// (bench/lib/main.mjs) and prints, per figure, vpn / routed for hvswitch,
// CPU per frame first, with the median [min-max] of each over the repetitions.
// usage: node bench/vpn/compare.mjs RUN_DIR [DEVICE] [--json]
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [dir, dev = 'hvswitch'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!dir) throw new Error('usage: node bench/vpn/compare.mjs RUN_DIR [DEVICE] [--json]');
const res = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8'));
const fig = (scen) => res.scenarios.find((s) => s.name === scen)?.figures?.[dev];
const routed = fig('routed'), vpn = fig('vpn');
if (!routed || !vpn) throw new Error(`${dir}: no ${dev} figures for both routed and vpn`);

// CPU per frame first: on a shared machine it moves less than the rates
const ROWS = [
  ['dut_cpu_s_per_mpkt', 'DUT CPU s/Mpkt (vpn: both PEs summed)', 2],
  ['path_cpu_s_per_mpkt', 'path CPU s/Mpkt', 2],
  ['delivered_mpps', 'delivered Mpps', 3],
  ['offered_mpps', 'offered Mpps', 3],
  ['loss_pct', 'loss %', 1],
  ['tcp_gbps', 'TCP Gbit/s (default offloads)', 2],
  ['tcp_retransmits', 'TCP retransmits', 0],
  ['tcpnooff_gbps', 'TCP Gbit/s, offloads off', 2],
  ['lat_p50_ms', 'ping p50 ms', 3],
  ['lat_p99_ms', 'ping p99 ms', 3],
];
const cell = (f, d) => (f ? `${f.median.toFixed(d)} [${f.min.toFixed(d)}–${f.max.toFixed(d)}]` : '-');
const rows = ROWS.filter(([k]) => routed[k] || vpn[k]).map(([k, label, d]) => ({
  key: k, label, routed: routed[k] ?? null, vpn: vpn[k] ?? null,
  ratio: routed[k]?.median && vpn[k] ? vpn[k].median / routed[k].median : null, digits: d,
}));
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ run: res.run.id, started: res.run.started, git: res.run.git, device: dev, reps: res.run.options.reps,
    rows: rows.map(({ digits, ...r }) => r), errors: { routed: routed.errors, vpn: vpn.errors } }, null, 1));
} else {
  console.log(`${dev}: vpn (MPLS-in-UDP, two PEs) / routed (one router), run ${res.run.id} ${res.run.started}, ${res.run.options.reps} reps, median [min–max]`);
  console.log(`${'figure'.padEnd(40)} ${'routed'.padEnd(24)} ${'vpn'.padEnd(24)} vpn/routed`);
  for (const r of rows) console.log(`${r.label.padEnd(40)} ${cell(r.routed, r.digits).padEnd(24)} ${cell(r.vpn, r.digits).padEnd(24)} ${r.ratio === null ? '' : `${r.ratio.toFixed(2)}x`}`);
  for (const [s, f] of [['routed', routed], ['vpn', vpn]]) for (const e of f.errors ?? []) console.log(`${s} error: ${e}`);
}
