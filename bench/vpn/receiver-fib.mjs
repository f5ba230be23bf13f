// hvswitch as the receiver of the ingestion benchmark (bench/bgp/run.ts,
// receiver `hvswitch-fib`), all the way to the FIB: the controller as a
// library (what hvswitchd runs: the BGP speaker, the IP-VPN import, the route
// sets, the dataplane wrapper and the C core), a PE on --listen and VRF
// `bench` importing the stream's route target (bgpblast: RT 65000:100, RD
// 65000:1, label 100, next hop the injector; no encapsulation community, so
// MPLS-in-GRE, docs/l3vpn.md).  A route counts when the dataplane's
// incremental route call that wrote it into the core's FIB has returned.
//
// Prints `READY <rss>` once listening, `ESTABLISHED`, then
// `DONE <epoch ms> <rss> <cpu µs> <attr sets> <fib routes>` when the VRF's FIB
// holds --count BGP routes (checked after every FIB write, not polled), and
// exits.  Run inside the benchmark namespace by run.ts (needs `npm run build`).
// VPN_FIB_PROFILE=FILE writes a CPU profile from READY to DONE (.cpuprofile).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

import { Controller, normalizeConfig } from '../../dist/src/controller/index.js';
import { createLogger } from '../../dist/src/util/logger.js';
import { batchRuntimeHelpers } from '../../dist/src/dataplane/index.js';

const arg = (k, d) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? process.argv[i + 1] : d; };
const listen = arg('listen'), peer = arg('peer'), count = Number(arg('count')), rt = arg('rt', '65000:100');
const gc = globalThis.gc;

const config = normalizeConfig({
  version: 1, workers: 1, 'log-level': 'warn',
  pe: { address: listen },
  vrfs: { bench: { vpn: { rd: `${listen}:1`, 'route-targets': [rt], encapsulations: ['mpls-gre', 'mpls-udp'] } } },
  bgp: {
    global: { as: 65000, 'router-id': listen, 'listen-port': 179, 'listen-address': listen },
    neighbors: [{ 'neighbor-address': peer, 'peer-as': 65000, 'afi-safis': ['l3vpn-ipv4-unicast'], passive: true, timers: { 'hold-time': 180 } }],
  },
});
batchRuntimeHelpers(); // as hvswitchd does at startup (src/dataplane/sched.ts)
const ctl = new Controller(config, createLogger('warn'));
ctl.start(config);
await ctl.startBgp();

// FIB writes: routes added minus removed, from the dataplane's own counts
const dp = ctl.dataplane;
let installed = 0;
let done = false;
const cpu0 = process.cpuUsage();
const update = dp.updateRoutes.bind(dp);
dp.updateRoutes = (vrf, put, withdraw) => {
  const r = update(vrf, put, withdraw);
  installed += r.added - r.removed;
  if (!done && installed >= count) finish();
  return r;
};
// imports write through the packed path (Dataplane.updateKeys)
const updateKeys = dp.updateKeys.bind(dp);
dp.updateKeys = (vrf, keys, hops, origin) => {
  const r = updateKeys(vrf, keys, hops, origin);
  installed += r.added - r.removed;
  if (!done && installed >= count) finish();
  return r;
};
const set = dp.setRoutes.bind(dp);
dp.setRoutes = (vrf, routes) => {
  const r = set(vrf, routes);
  installed += r.added - r.removed;
  if (!done && installed >= count) finish();
  return r;
};

function finish() {
  done = true;
  const t = Date.now();
  const cpu = process.cpuUsage(cpu0);
  setImmediate(async () => {
    if (profiler) writeFileSync(process.env.VPN_FIB_PROFILE, JSON.stringify((await profiler.post('Profiler.stop')).profile));
    gc?.(); gc?.();
    const fib = dp.listVrfs().find((v) => v.name === 'bench')?.routes ?? 0;
    console.log(`DONE ${t} ${process.memoryUsage().rss} ${cpu.user + cpu.system} ${ctl.bgp?.rib.attrs.size ?? 0} ${fib}`);
    setTimeout(() => { void ctl.stopBgp?.().catch(() => {}); ctl.close(); process.exit(0); }, 200);
  });
}

ctl.bgp.on('neighbor', (e) => { if (e.to === 'established') console.log('ESTABLISHED'); });
const profiler = process.env.VPN_FIB_PROFILE ? new Session() : null;
if (profiler) { profiler.connect(); await profiler.post('Profiler.enable'); await profiler.post('Profiler.start'); }
gc?.(); gc?.();
console.log(`READY ${process.memoryUsage().rss}`);
