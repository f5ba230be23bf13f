// npm run bench -- --evpn-routes [--routes N] [--reps R]: the EVPN control
// plane, hvswitch (routes.mjs) beside FRR bgpd + zebra + the kernel bridge
// (frr.mjs), alternating, R repetitions each (3), the same N routes from the
// same source; medians and the ratios to FRR of the same run, as a table and
// as JSON (bench/results/latest/evpn-routes.json).  Root.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i >= 0 ? Number(process.argv[i + 1]) : dflt; };
const N = arg('--routes', 10_000), REPS = arg('--reps', 3);
const here = new URL('.', import.meta.url).pathname;
const run = (script, extra = []) => JSON.parse(execFileSync(process.execPath, [...extra, `${here}${script}`, String(N)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
const median = (xs) => { const s = xs.slice().sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const ours = [], frr = [];
for (let r = 0; r < REPS; r++) {
  ours.push(run('routes.mjs', ['--expose-gc']));
  frr.push(run('frr.mjs'));
  process.stderr.write(`rep ${r + 1}/${REPS}: hvswitch ${ours.at(-1).loadSeconds} s, FRR ${frr.at(-1).loadSeconds} s\n`);
}
const m = (xs, f) => median(xs.map(f));
const out = {
  routes: N, reps: REPS,
  hvswitch: {
    loadSeconds: m(ours, (o) => o.loadSeconds), cpuMicrosPerRoute: m(ours, (o) => o.cpuMicrosPerRoute),
    bytesPerRemoteMac: { heap: m(ours, (o) => o.bytesPerRemoteMac.heap), external: m(ours, (o) => o.bytesPerRemoteMac.external), rss: m(ours, (o) => o.bytesPerRemoteMac.rss) },
    updateToFdbMs: { p50: m(ours, (o) => o.updateToFdbMs.p50), p99: m(ours, (o) => o.updateToFdbMs.p99) },
    learnToRouteMs: { p50: m(ours, (o) => o.learnToRouteMs.p50), p99: m(ours, (o) => o.learnToRouteMs.p99) },
  },
  frr: { loadSeconds: m(frr, (o) => o.loadSeconds), bytesPerRemoteMac: { rss: m(frr, (o) => o.bytesPerRemoteMac.rss) } },
  runs: { hvswitch: ours, frr },
  aims: ours[0].aims,
};
const h = out.hvswitch, f = out.frr;
const rows = [
  ['', 'hvswitch', 'FRR + kernel', 'ratio', 'aim'],
  [`${N} type-2 routes -> FDB, s`, h.loadSeconds, f.loadSeconds, (h.loadSeconds / f.loadSeconds).toFixed(2), out.aims.loadSeconds],
  ['bytes per remote MAC (heap + external)', h.bytesPerRemoteMac.heap + h.bytesPerRemoteMac.external, '', '', out.aims.bytesPerRemoteMac],
  ['bytes per remote MAC (RSS growth)', h.bytesPerRemoteMac.rss, f.bytesPerRemoteMac.rss, (h.bytesPerRemoteMac.rss / f.bytesPerRemoteMac.rss).toFixed(2), ''],
  ['CPU per route (receiver), us', h.cpuMicrosPerRoute, '', '', ''],
  ['UPDATE -> FDB entry p50 / p99, ms', `${h.updateToFdbMs.p50} / ${h.updateToFdbMs.p99}`, '', '', `p99 ${out.aims.p99Ms}`],
  ['MAC learned -> route at peer p50 / p99, ms', `${h.learnToRouteMs.p50} / ${h.learnToRouteMs.p99}`, '', '', ''],
];
const w = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
console.log(rows.map((r) => r.map((v, c) => String(v).padEnd(w[c])).join('  ')).join('\n'));
const dir = new URL('../results/latest/', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}evpn-routes.json`, JSON.stringify(out, null, 2));
