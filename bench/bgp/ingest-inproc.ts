/**
 * In-process ingest: feed a pre-built UPDATE stream (bgpblast --dump) straight
 * into Rib.ingestUpdate, without TCP. Isolates parse + RIB insert cost.
 * Usage: node build/bgp-bench/bench/bgp/ingest-inproc.js FILE [--as4]
 */
import { readFileSync } from 'node:fs';
import { Rib } from '../../src/bgp/rib/rib.js';
import { FAMILIES } from '../../src/bgp/codec/family.js';
import { MessageReader } from '../../src/bgp/codec/message/index.js';

const file = process.argv[2];
if (!file) throw new Error('usage: ingest-inproc FILE');
const stream = readFileSync(file);
const gc = (globalThis as { gc?: () => void }).gc;
gc?.(); gc?.();
const rss0 = process.memoryUsage().rss;
const rib = new Rib(65001, '10.255.0.3', '10.255.0.3');
rib.addSource({ index: 1, name: 'injector', ebgp: false, routerId: 1, addressKey: 'a', addPath: FAMILIES.map(() => false) });
const t0 = process.hrtime.bigint();
const r = new MessageReader();
r.maxLen = 65535;
let msgs = 0;
for (let o = 0; o < stream.length; o += 256 * 1024) {
  r.push(stream.subarray(o, Math.min(stream.length, o + 256 * 1024)));
  for (let m = r.next(); m; m = r.next()) { rib.ingestUpdate(1, m[0], m[1], m[2], { as4: true }); msgs++; }
}
const t1 = process.hrtime.bigint();
gc?.(); gc?.();
const rss1 = process.memoryUsage().rss;
const routes = rib.loc.reduce((n, t) => n + t.count, 0);
const s = Number(t1 - t0) / 1e9;
console.log(JSON.stringify({ file, msgs, routes, seconds: +s.toFixed(3), routesPerSec: Math.round(routes / s), rssPerRouteB: Math.round((rss1 - rss0) / routes), attrSets: rib.attrs.size }));
