// Route load time through the whole controller path (TypeScript route tables,
// next-hop interning, one batched call into the core's FIB): N IPv4 /24 routes
// over 4 gateways, then the same N replaced by a diff of 10%.  Run after
// `npm run build`:  node bench/route-load.mjs [N]
import { Dataplane } from '../dist/src/dataplane/index.js';

const N = Number(process.argv[2] ?? 1_000_000);
const dp = new Dataplane({ workers: 1, agingSeconds: 300 });
dp.addVrf('v');
dp.addPort({ name: 'up', backend: 'memory', bridge: null, mode: 'routed', vlan: 0, allowedVlans: [], macLimit: 1, mtu: 1500, vrf: 'v', addresses: ['192.0.2.1/24'], mac: '02:00:00:00:00:01' });
const NH = [2, 3, 4, 5].map((g) => [{ kind: 'gateway', port: 'up', gw: `192.0.2.${g}` }]);
const mk = (shift) => {
  const routes = [];
  for (let i = 0; i < N; i++) {
    const a = 0x0b000000 + (i + shift) * 256;
    routes.push({ prefix: `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.0/24`, origin: 'bench', nexthops: NH[i % 4] });
  }
  return routes;
};
const rss0 = process.memoryUsage().rss;
let routes = mk(0);
let t0 = process.hrtime.bigint();
let r = dp.setRoutes('v', routes);
let t = Number(process.hrtime.bigint() - t0) / 1e9;
routes = null;
global.gc?.();
console.log(`load ${N} routes: ${t.toFixed(2)} s (${(N / t / 1e6).toFixed(2)} M routes/s)`, r);
routes = mk(N / 10);
t0 = process.hrtime.bigint();
r = dp.setRoutes('v', routes);
t = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`replace with a 10% shifted set: ${t.toFixed(2)} s`, r, `RSS +${((process.memoryUsage().rss - rss0) / 1e6).toFixed(0)} MB`);
dp.close();
