// Turning windows into figures: median and min–max per (scenario, device,
// metric) over the repetitions, and each median as a ratio to the Linux bridge's
// median in the same run and scenario.  Rendered as a terminal table (metrics in
// rows, devices in columns) and kept as JSON next to the charts.

export const METRICS = [
  { key: 'delivered_mpps', label: 'delivered Mpps', better: 'higher', digits: 3 },
  { key: 'offered_mpps', label: 'offered Mpps', better: 'higher', digits: 3 },
  { key: 'loss_pct', label: 'loss %', better: 'lower', digits: 1, noRatio: true },
  { key: 'delivered_gbps', label: 'delivered Gbit/s (L2)', better: 'higher', digits: 2 },
  { key: 'dut_cpu_s_per_mpkt', label: 'DUT CPU s/Mpkt', better: 'lower', digits: 2 },
  { key: 'path_cpu_s_per_mpkt', label: 'path CPU s/Mpkt', better: 'lower', digits: 2 },
  { key: 'tcp_gbps', label: 'TCP Gbit/s', better: 'higher', digits: 2 },
  { key: 'tcp_dut_cpu_s_per_gb', label: 'TCP: DUT CPU s/GB', better: 'lower', digits: 3 },
  { key: 'tcp_retransmits', label: 'TCP retransmits', better: 'lower', digits: 0, noRatio: true },
  { key: 'lat_p50_ms', label: 'ping p50 ms', better: 'lower', digits: 3 },
  { key: 'lat_p99_ms', label: 'ping p99 ms', better: 'lower', digits: 3 },
  { key: 'lat_dut_cores', label: 'DUT cores during the pings (100/s)', better: 'lower', digits: 3, noRatio: true },
  { key: 'latload_p50_ms', label: 'ping p50 ms beside a 64 B stream', better: 'lower', digits: 3 },
  { key: 'latload_p99_ms', label: 'ping p99 ms beside a 64 B stream', better: 'lower', digits: 3 },
  { key: 'tcpnooff_gbps', label: 'TCP Gbit/s, offloads off', better: 'higher', digits: 2 },
  { key: 'tcpnooff_retransmits', label: 'TCP retransmits, offloads off', better: 'lower', digits: 0, noRatio: true },
  { key: 'idle_cpu_s', label: 'idle CPU s (device, no traffic)', better: 'lower', digits: 3, noRatio: true },
  { key: 'fdb_entries', label: 'MACs in table after pps', better: 'higher', digits: 0, noRatio: true },
  { key: 'fib_routes', label: 'routes/flows in table after pps', better: 'higher', digits: 0, noRatio: true },
  { key: 'start_s', label: 'start + load tables s', better: 'lower', digits: 1 },
];

export const REFERENCE = 'linux-bridge';

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** {scenario: {dut: {metric: {median, min, max, n, ratio}, errors: [...]}}} */
export function aggregate(windows) {
  const out = {};
  for (const w of windows) {
    const d = ((out[w.scenario] ??= {})[w.dut] ??= { errors: [], skipped: [] });
    if (w.error) d.errors.push(`${w.test} rep ${w.rep}: ${w.error}`);
    if (w.skipped && !d.skipped.includes(`${w.test}: ${w.skipped}`)) d.skipped.push(`${w.test}: ${w.skipped}`);
    for (const m of METRICS) {
      const v = w[m.key];
      if (typeof v === 'number' && Number.isFinite(v)) (d[m.key] ??= { values: [] }).values.push(v);
    }
  }
  for (const devs of Object.values(out)) {
    for (const d of Object.values(devs)) {
      for (const m of METRICS) {
        const f = d[m.key];
        if (!f || !f.values) continue;
        f.median = median(f.values);
        f.min = Math.min(...f.values);
        f.max = Math.max(...f.values);
        f.n = f.values.length;
      }
    }
    const ref = devs[REFERENCE];
    for (const d of Object.values(devs)) {
      for (const m of METRICS) {
        const f = d[m.key];
        const r = ref?.[m.key]?.median;
        if (f && !m.noRatio && r) f.ratio = f.median / r;
      }
    }
  }
  return out;
}

const fmt = (v, digits) => (v === undefined || v === null ? '-' : v.toFixed(digits));

function cell(f, m) {
  if (!f) return '-';
  const range = f.n > 1 ? ` [${fmt(f.min, m.digits)}–${fmt(f.max, m.digits)}]` : '';
  const ratio = f.ratio !== undefined ? ` ×${f.ratio.toFixed(2)}` : '';
  return `${fmt(f.median, m.digits)}${range}${ratio}`;
}

/** The terminal table for one scenario. */
export function table(scen, agg, duts) {
  const lines = [`== ${scen.name}: ${scen.title}`];
  if (scen.planned) return [...lines, `   not run: ${scen.planned}`].join('\n');
  if (scen.note) lines.push(`   note: ${scen.note}`);
  const devs = duts.filter((d) => d.ok).map((d) => d.name);
  const rows = [['', ...devs]];
  for (const m of METRICS) {
    if (m.key === 'start_s' && !(scen.l3?.routes > 1)) continue; // only where loading the tables takes time
    const cells = devs.map((d) => cell(agg?.[d]?.[m.key], m));
    if (cells.every((c) => c === '-')) continue;
    rows.push([m.label, ...cells]);
  }
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) lines.push('   ' + r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd());
  for (const d of duts) if (!d.ok) lines.push(`   ${d.name}: unavailable: ${d.reason}`);
  for (const d of devs) for (const e of agg?.[d]?.errors ?? []) lines.push(`   ${d}: ${e}`);
  // a device that does not run this scenario at all (its `supports`) says so under its name
  const notRun = (s) => s.startsWith('setup: ');
  for (const d of devs) for (const s of (agg?.[d]?.skipped ?? []).filter(notRun)) lines.push(`   ${d}: not run: ${s.slice(7)}`);
  const skipped = [...new Set(devs.flatMap((d) => (agg?.[d]?.skipped ?? []).filter((s) => !notRun(s))))];
  for (const s of skipped) lines.push(`   not measured: ${s}`);
  if (devs.includes(REFERENCE) && devs.length > 1)
    lines.push(`   ×: ratio of the median to ${REFERENCE}'s median in this run; [min–max] over repetitions`);
  return lines.join('\n');
}
