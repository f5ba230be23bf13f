// The IP-VPN scenarios beside hvswitch's own `routed` scenario of the same run
// (issue 11's aim: vpn delivered >= 0.8x routed): reads a run's results.json
// (bench/lib/main.mjs) and prints, per figure, each of `vpn` (two PEs, the
// end-to-end check: both daemons on the DUT CPU), `vpn-encap` (PE A alone) and
// `vpn-decap` (PE B alone; `vpn-decap-gro`: with GRO on its underlay) and its ratio to routed, for one device, CPU per
// frame first, with the median [min-max] of each over the repetitions.  The
// halves are each one daemon on the DUT CPU, as routed is.  Scenarios the run
// did not have are left out.
// usage: node bench/vpn/compare.mjs RUN_DIR [DEVICE] [--json]
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [dir, dev = 'hvswitch'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!dir) throw new Error('usage: node bench/vpn/compare.mjs RUN_DIR [DEVICE] [--json]');
const res = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8'));
const fig = (scen) => res.scenarios.find((s) => s.name === scen)?.figures?.[dev];
const routed = fig('routed');
const vpns = ['vpn', 'vpn-encap', 'vpn-decap', 'vpn-decap-gro'].map((name) => ({ name, f: fig(name) })).filter((v) => v.f);
if (!routed || !vpns.length) throw new Error(`${dir}: no ${dev} figures for routed and one of vpn, vpn-encap, vpn-decap`);

// CPU per frame first: on a shared machine it moves less than the rates
const ROWS = [
  ['dut_cpu_s_per_mpkt', 'DUT CPU s/Mpkt (vpn: both PEs summed)', 2],
  ['path_cpu_s_per_mpkt', 'path CPU s/Mpkt', 2],
  ['delivered_mpps', 'delivered Mpps', 3],
  ['offered_mpps', 'offered Mpps', 3],
  ['loss_pct', 'loss %', 1],
  ['tcp_dut_cpu_s_per_gb', 'TCP: DUT CPU s/GB', 3],
  ['tcp_gbps', 'TCP Gbit/s (default offloads)', 2],
  ['tcp_retransmits', 'TCP retransmits', 0],
  ['tcpnooff_gbps', 'TCP Gbit/s, offloads off', 2],
  ['lat_p50_ms', 'ping p50 ms', 3],
  ['lat_p99_ms', 'ping p99 ms', 3],
];
const cell = (f, d) => (f ? `${f.median.toFixed(d)} [${f.min.toFixed(d)}–${f.max.toFixed(d)}]` : '-');
const ratio = (k, f) => (routed[k]?.median && f[k] ? f[k].median / routed[k].median : null);
const rows = ROWS.filter(([k]) => routed[k] || vpns.some((v) => v.f[k])).map(([k, label, d]) => ({
  key: k, label, routed: routed[k] ?? null, digits: d,
  ...Object.fromEntries(vpns.map((v) => [v.name, { value: v.f[k] ?? null, ratio: ratio(k, v.f) }])),
}));
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ run: res.run.id, started: res.run.started, git: res.run.git, device: dev, reps: res.run.options.reps,
    scenarios: ['routed', ...vpns.map((v) => v.name)],
    rows: rows.map(({ digits, ...r }) => r),
    errors: Object.fromEntries([['routed', routed.errors], ...vpns.map((v) => [v.name, v.f.errors])]) }, null, 1));
} else {
  console.log(`${dev}: IP-VPN scenarios (MPLS-in-UDP) / routed (one router), run ${res.run.id} ${res.run.started}, ${res.run.options.reps} reps, median [min–max], ×: / routed's median`);
  console.log(`${'figure'.padEnd(40)} ${'routed'.padEnd(24)} ${vpns.map((v) => v.name.padEnd(32)).join(' ')}`);
  for (const r of rows) {
    const cols = vpns.map((v) => {
      const c = r[v.name];
      return `${cell(c.value, r.digits)}${c.ratio === null ? '' : ` ×${c.ratio.toFixed(2)}`}`.padEnd(32);
    });
    console.log(`${r.label.padEnd(40)} ${cell(r.routed, r.digits).padEnd(24)} ${cols.join(' ')}`);
  }
  for (const [s, f] of [['routed', routed], ...vpns.map((v) => [v.name, v.f])]) for (const e of f.errors ?? []) console.log(`${s} error: ${e}`);
  decapRuns();
}

/** vpn-decap(-gro), per repetition: B's datagrams (mpls_decap) per receive (UdpInDatagrams of B's namespace, a
 * GRO run counts once) and its socket drops, daemon lifetime after pps (logs/<scenario>-<device>-r<rep>/). */
function decapRuns() {
  const logs = path.join(dir, 'logs');
  let tags;
  try { tags = readdirSync(logs).filter((t) => /^vpn-decap(-gro)?-/.test(t) && t.replace(/^vpn-decap(-gro)?-/, '').replace(/-r\d+$/, '') === dev).sort(); } catch { return; }
  const rows = [];
  for (const t of tags) {
    try {
      const u = JSON.parse(readFileSync(path.join(logs, t, 'stats-b-underlay-pps.json'), 'utf8'));
      const ctr = (k) => Object.values(u).reduce((a, x) => a + Number(x?.[k] ?? 0), 0); // { port: counters }
      const nst = readFileSync(path.join(logs, t, 'udp-B-pps.txt'), 'utf8');
      const udp = (k) => Number(new RegExp(`^${k}\\s+(\\d+)`, 'm').exec(nst)?.[1] ?? NaN);
      const dg = ctr('mpls_decap'), rx = udp('UdpInDatagrams');
      rows.push(`${t.padEnd(32)} mpls_decap ${String(dg).padStart(9)} in ${String(rx).padStart(9)} receives (${(dg / rx).toFixed(1)} a receive)`
        + `   drop_socket_rcvbuf ${ctr('drop_socket_rcvbuf')}  UdpRcvbufErrors ${udp('UdpRcvbufErrors')}  UdpInCsumErrors ${udp('UdpInCsumErrors')}`);
    } catch { /* a run without these files (before they were recorded) */ }
  }
  if (rows.length) console.log(`\n# vpn-decap: PE B's datagrams per receive (mpls_decap / UdpInDatagrams of B's namespace), after pps\n${rows.join('\n')}`);
}
