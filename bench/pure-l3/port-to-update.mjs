// Pure L3 (docs/pure-l3.md): a routed VM port added through the API -> its
// /32 UPDATE on the wire to the VRF's upstream eBGP peer, and the port deleted
// -> the withdrawal.  The whole daemon path in one process, no root: the real
// gRPC API server and client over a unix socket (AddPort / DeletePort), the
// controller (validation, reconcile, memory ports), the pure-L3 exporter
// (src/vpn/unicast.ts) and the speaker; the upstream is another BgpSpeaker
// over loopback TCP.  Two instants per operation:
//   - wire: the UPDATE written to the session's TCP socket (Peer.write, wrapped here);
//   - peer: the upstream speaker's best-path callback (decoded, in its RIB).
// and, to split the path, `apply`: the exporter called by the controller's
// config apply (after validation and reconcile; unicast.apply, wrapped here).
// Each port is added, its UPDATE awaited, then deleted and its withdrawal
// awaited, N times (default 100), one at a time.  Prints JSON with p50/p99 (ms).
// Run after `npm run build`:  node bench/pure-l3/port-to-update.mjs [N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import pino from 'pino';

import { call, connectApi } from '../../dist/src/api/client.js';
import { startApiServer } from '../../dist/src/api/server.js';
import { BgpSpeaker } from '../../dist/src/bgp/speaker.js';
import { Controller, normalizeConfig } from '../../dist/src/controller/index.js';

const N = Number(process.argv[2] ?? 100);
const log = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'hvbench-l3up-'));
const socket = join(dir, 'api.sock');

const tor = new BgpSpeaker({ asn: 65000, routerId: '10.255.0.1', listenPort: 0, listenAddress: '127.0.0.1', allowLoopbackNextHop: true });
await tor.start();
tor.addNeighbor({ address: '127.0.0.1', peerAs: 65011, passive: true, families: ['ipv4', 'ipv6'] });

const raw = {
  vrfs: { pub: {} },
  ports: { up: { backend: 'memory', mode: 'routed', vrf: 'pub', mac: '02:aa:00:00:00:02', addresses: ['127.0.0.2/8', '2001:db8::11/64'] } },
  bgp: {
    global: { as: 65011, 'router-id': '10.255.0.11', 'listen-port': 0 },
    neighbors: [{ 'neighbor-address': '127.0.0.1', port: tor.listenPort, 'peer-as': 65000, 'afi-safis': ['ipv4-unicast', 'ipv6-unicast'], vrf: 'pub', communities: ['65011:100'] }],
  },
};
const config = { ...normalizeConfig(raw), apiSocket: socket };
const ctl = new Controller(config, log);
ctl.start(config);
await ctl.startBgp();
const api = await startApiServer(ctl, config, log, { reload: async () => undefined, configFile: join(dir, 'none.yaml') }, { socket });
const client = connectApi(socket);

const wait = async (what, cond, ms = 10_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setImmediate(r));
  }
};
await wait('session', () => ctl.bgp.neighbors()[0]?.state === 'established' && tor.neighbors()[0]?.state === 'established');

// instants: the UPDATE written to our socket, the upstream's best-path change
let wroteAt = 0;
const peer = ctl.bgp.neighbor('127.0.0.1');
const write = peer.write.bind(peer);
peer.write = (b, n) => { if (b[18] === 2 && !wroteAt) wroteAt = performance.now(); write(b, n); };
let appliedAt = 0;
const u = ctl.unicast;
const apply = u.apply.bind(u);
u.apply = (c) => { if (!appliedAt) appliedAt = performance.now(); apply(c); };
let seen = null;
tor.subscribe('ipv4', (changes) => { for (const c of changes) seen = { key: c.key, up: !!c.best, at: performance.now() }; });

const add = { apply: [], wire: [], peer: [] }, del = { apply: [], wire: [], peer: [] };
for (let i = 0; i < N; i++) {
  const ip = `203.0.${113 + (i >> 8)}.${i & 255}`;
  const name = `vm${i}`;
  for (const [op, out] of [['add', add], ['del', del]]) {
    wroteAt = 0; appliedAt = 0; seen = null;
    const t0 = performance.now();
    const rpc = op === 'add'
      ? call(client.switch, 'AddPort', { port: { name, backend: 'PORT_BACKEND_MEMORY', mode: 'PORT_MODE_VM', vrf: 'pub', vmMac: '52:54:00:00:00:01', addresses: [`${ip}/32`] } })
      : call(client.switch, 'DeletePort', { name });
    await wait(`${op} ${ip}`, () => seen && seen.key === `${ip}/32` && seen.up === (op === 'add'));
    await rpc;
    out.apply.push(appliedAt - t0);
    out.wire.push(wroteAt - t0);
    out.peer.push(seen.at - t0);
  }
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return +s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)].toFixed(3); };
const summary = (o) => ({ apply: { p50: pct(o.apply, 50), p99: pct(o.apply, 99) }, wire: { p50: pct(o.wire, 50), p99: pct(o.wire, 99) }, peer: { p50: pct(o.peer, 50), p99: pct(o.peer, 99) } });
console.log(JSON.stringify({ bench: 'pure-l3 port-to-update', n: N, unit: 'ms', node: process.version, add: summary(add), del: summary(del) }, null, 2));

client.close();
await api.close();
await ctl.stopBgp();
await tor.stop();
ctl.close();
rmSync(dir, { recursive: true, force: true });
