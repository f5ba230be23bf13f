// Before/after of the EVPN control-plane load (routes.mjs) in one interleaved
// run: the checkout in --ref (built: dist/ and build/addon) and this one take
// turns, R repetitions each, so machine noise hits both alike (the same idea
// as the `hvswitch-ref` device of the dataplane bench).  Wall time and the
// receiver's CPU time per route are both reported, median [min-max]: on a
// shared machine the CPU time is the steadier of the two.
//   node bench/evpn/ab.mjs --ref /path/to/checkout [--reps 5] [--routes 10000] [--out FILE.json]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const opt = (name, dflt) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : dflt; };
const ref = opt('--ref');
if (!ref) { console.error('usage: node bench/evpn/ab.mjs --ref CHECKOUT [--reps N] [--routes N] [--out FILE]'); process.exit(2); }
const REPS = Number(opt('--reps', 5)), N = Number(opt('--routes', 10_000)), out = opt('--out');
const here = new URL('../..', import.meta.url).pathname;
const sides = { before: resolve(ref), after: resolve(here) };
const run = (root) => JSON.parse(execFileSync(process.execPath, ['--expose-gc', `${root}/bench/evpn/routes.mjs`, String(N)], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
const load1 = () => Number(execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ')[0]);

const runs = { before: [], after: [] };
for (let r = 0; r < REPS; r++) {
  for (const side of ['before', 'after']) {
    const o = run(sides[side]);
    o.loadAverage = load1();
    runs[side].push(o);
    process.stderr.write(`rep ${r + 1}/${REPS} ${side}: ${o.loadSeconds} s, ${o.cpuMicrosPerRoute} us/route (load average ${o.loadAverage})\n`);
  }
}
const stat = (xs) => { const s = xs.slice().sort((a, b) => a - b); return { median: s[Math.floor(s.length / 2)], min: s[0], max: s.at(-1) }; };
const metrics = {
  loadSeconds: (o) => o.loadSeconds,
  cpuMicrosPerRoute: (o) => o.cpuMicrosPerRoute,
  bytesPerRemoteMac: (o) => o.bytesPerRemoteMac.heap + o.bytesPerRemoteMac.external,
  updateToFdbP99Ms: (o) => o.updateToFdbMs.p99,
};
const figures = {};
for (const [m, f] of Object.entries(metrics)) {
  const b = stat(runs.before.map(f)), a = stat(runs.after.map(f));
  figures[m] = { before: b, after: a, ratio: +(a.median / b.median).toFixed(3) };
}
const fmt = (s) => `${s.median} [${s.min}-${s.max}]`;
const rows = [['', 'before', 'after', 'after/before'], ...Object.entries(figures).map(([m, f]) => [m, fmt(f.before), fmt(f.after), f.ratio])];
const w = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
console.log(`# ${N} EVPN type-2 routes -> FDB, ${REPS} interleaved reps; before: ${sides.before}, after: ${sides.after}`);
console.log(rows.map((r) => r.map((v, c) => String(v).padEnd(w[c])).join('  ')).join('\n'));
if (out) writeFileSync(out, JSON.stringify({ routes: N, reps: REPS, sides, figures, runs }, null, 2));
