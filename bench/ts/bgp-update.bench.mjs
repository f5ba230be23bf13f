// BGP UPDATE decode, the controller's hot path when a route reflector sends a
// full table: `benchmark`-package suites over the compiled codec
// (dist/src/bgp/codec, built by `npm run build:ts`).
//
// Messages are built once with the codec's own encoder, then decoded in a loop:
//   ipv4 x1     one IPv4 unicast prefix (ORIGIN, AS_PATH, NEXT_HOP, MED, COMMUNITIES)
//   ipv4 full   as many /24s as fit in 4096 bytes (what a full-table dump sends)
//   evpn mac-ip MP_REACH l2vpn-evpn with type-2 routes (MAC/IP, 2 labels) and
//               RT / encap / router-mac extended communities, as an EVPN peer sends
// For each: decodeUpdate (whole message into objects, the API/test path) and
// scanUpdate (offsets only: the RIB ingest path's first step).  Reported as
// messages/s and, for the full messages, prefixes/s.
import Benchmark from 'benchmark';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const codecPath = path.join(root, 'dist/src/bgp/codec/message/index.js');
if (!existsSync(codecPath)) {
  console.log(`bgp-update: skipped: ${path.relative(root, codecPath)} not built (npm run build:ts)`);
  process.exit(0);
}
const codec = await import(pathToFileURL(codecPath).href);
const { decodeUpdate, encodeUpdate, scanUpdate, UpdateScan } = codec;
if (typeof decodeUpdate !== 'function' || typeof encodeUpdate !== 'function') {
  console.log('bgp-update: skipped: the codec does not export decodeUpdate/encodeUpdate');
  process.exit(0);
}

const attrs = { origin: 0, asPath: [{ type: 'seq', asns: [65001, 65002, 65003] }], nextHop: '192.0.2.1', med: 10, communities: ['65000:7'] };
const v4 = (i) => ({ route: { prefix: `${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24` } });

function fullV4() {
  // a /24 takes 4 octets: start from the estimate and back off until it fits in 4096
  const msg = (n) => encodeUpdate({ type: 'update', withdrawn: [], attrs, nlri: Array.from({ length: n }, (_, i) => v4(i)) });
  const base = msg(1).length - 4;
  for (let n = Math.floor((4096 - base) / 4); n > 0; n--) {
    try {
      const buf = msg(n);
      if (buf.length <= 4096) return { buf, n };
    } catch { /* too long: one fewer */ }
  }
  throw new Error('cannot build a full UPDATE');
}

function evpn(n) {
  const nlri = Array.from({ length: n }, (_, i) => ({
    route: { type: 2, rd: '65000:1', esi: '00:00:00:00:00:00:00:00:00:00', ethernetTag: 0,
      mac: `02:00:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
      ip: `10.3.${(i >> 8) & 255}.${i & 255}`, labels: [10100, 50000] },
  }));
  return encodeUpdate({ type: 'update', withdrawn: [], nlri: [],
    attrs: { origin: 0, asPath: [], localPref: 100, extCommunities: ['rt:65000:100', 'encap:vxlan', 'router-mac:02:aa:bb:cc:dd:ee'] },
    mpReach: { family: 'evpn', nextHop: { nextHop: '192.0.2.1' }, nlri } });
}

const one = encodeUpdate({ type: 'update', withdrawn: [], attrs, nlri: [v4(0)] });
const full = fullV4();
let evpnBuf;
let evpnErr = null;
try {
  evpnBuf = evpn(40);
  decodeUpdate(evpnBuf); // the shape must round-trip, else the case is reported as skipped
} catch (e) {
  evpnErr = e.message;
}

const ctx = { as4: true };
const scan = typeof UpdateScan === 'function' ? new UpdateScan() : null;
const suite = new Benchmark.Suite('bgp-update');
let sink = 0;
suite
  .add(`decodeUpdate ipv4 x1 (${one.length} B)`, () => { sink += decodeUpdate(one, ctx).nlri.length; })
  .add(`decodeUpdate ipv4 full (${full.n} prefixes, ${full.buf.length} B)`, () => { sink += decodeUpdate(full.buf, ctx).nlri.length; });
if (scan && typeof scanUpdate === 'function')
  suite.add(`scanUpdate ipv4 full (${full.n} prefixes)`, () => { sink += scanUpdate(full.buf, 0, full.buf.length, scan).nlriEnd; });
if (evpnBuf) {
  suite.add(`decodeUpdate evpn mac-ip x40 (${evpnBuf.length} B)`, () => { sink += decodeUpdate(evpnBuf, ctx).mpReach.nlri.length; });
}
suite
  .on('cycle', (ev) => {
    const b = ev.target;
    const per = b.name.startsWith('scan') ? null : (/full \((\d+) prefixes/.exec(b.name)?.[1] ?? /x(\d+)/.exec(b.name)?.[1]);
    const extra = per ? `, ${((b.hz * Number(per)) / 1e6).toFixed(2)} M routes/s` : '';
    console.log(`${b.name.padEnd(52)} ${Math.round(b.hz).toLocaleString('en-US').padStart(12)} msg/s ±${b.stats.rme.toFixed(1)}% (${b.stats.sample.length} runs)${extra}`);
  })
  .on('complete', () => { if (sink < 0) console.log(sink); })
  .run({ async: false });
if (evpnErr) console.log(`decodeUpdate evpn mac-ip: skipped: could not build the message (${evpnErr})`);
