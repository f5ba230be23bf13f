#!/usr/bin/env node
// bench/latload/quantiles.mjs RUNDIR: per window and pooled over the reps,
// the p10/p25/p50/p90/p99 of lat-load's pings (logs/<scenario>-<dut>-r<N>/ping-lat-load.txt), ms.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
const dir = process.argv[2];
const q = (s, f) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(f * s.length) - 1))];
const fmt = (s) => [0.1, 0.25, 0.5, 0.9, 0.99].map((f) => q(s, f).toFixed(3)).join(' ');
const pooled = new Map();
console.log('window                                          n   p10   p25   p50   p90   p99 (ms)');
for (const w of readdirSync(path.join(dir, 'logs')).sort()) {
  const f = path.join(dir, 'logs', w, 'ping-lat-load.txt');
  if (!existsSync(f)) continue;
  const r = [...readFileSync(f, 'utf8').matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
  if (!r.length) continue;
  console.log(`${w.padEnd(46)} ${String(r.length).padStart(3)} ${fmt(r)}`);
  const k = w.replace(/-r\d+$/, '');
  pooled.set(k, [...(pooled.get(k) ?? []), ...r]);
}
console.log('\npooled over reps');
for (const [k, r] of pooled) console.log(`${k.padEnd(46)} ${String(r.length).padStart(3)} ${fmt(r.sort((a, b) => a - b))}`);
