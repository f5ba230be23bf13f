// The `vpn` scenario's device wiring (bench/lib/scenarios.mjs): the routed
// scenario cut in two at an IP-VPN (RFC 4364) between two PEs, each an
// hvswitchd in its own hypervisor namespace:
//
//   src 198.18.1.1 == [sw0 198.18.1.254  PE A  ul0 198.18.254.1] ==underlay== [198.18.254.2 ul0  PE B  198.18.2.254 sw1] == 198.18.2.2 dst
//                                                                                         route 198.19.0.0/16 via 198.18.2.2
//
// Both PEs have VRF `bench` (RT 65000:1, RD <PE>:1, one label per VRF, the
// scenario's encapsulation only) with one routed port, and exchange VPNv4 over
// a direct iBGP session (AS 65000; A connects, B listens on 179), no reflector:
// what is measured is the data path.  B exports its connected 198.18.2.0/24 and
// the static 198.19.0.0/16 via the sink; A exports 198.18.1.0/24.  Every frame
// of the generator (to 198.19.0.99) is routed by A into the tunnel (TTL
// decremented, label pushed, outer IPv4/UDP 6635), decapsulated by B (label
// popped, looked up in the VRF) and routed to the sink: the routed scenario's
// work plus encapsulation and decapsulation, over two daemons.  Both daemons
// are pinned to the DUT CPU, so DUT CPU is their sum, as in `vxlan`.
//
// `start` returns once each PE has the other's routes in its FIB (origin bgp):
// the BGP convergence is part of "start + load tables".
//
// `vpn-encap` and `vpn-decap` (scen.vpn.half): one PE on its own, the other PE's
// end of the underlay a host namespace (bench/lib/topo.mjs createHalf) with our
// BGP speaker (bench/vpn/pe-stub.mjs) for its VPNv4 session.  encap: PE A, the
// stand-in advertises B's routes and bench/gen/udpsink.c counts the datagrams;
// decap: PE B, the stand-in reads the label B advertises for the generator.
import { existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchHvswitchd } from './duts.mjs';
import { L3, routePrefixes } from './l3.mjs';
import { run, sleep, start, stop } from './sys.mjs';
import { UNDERLAY } from './topo.mjs';

const AS = 65000;
const VRF = 'bench';

/** `supports` of the devices that have no PE wired here. */
export function noVpn(scen) {
  if (scen.vpn) return { ok: false, reason: `no ${scen.vpn.encap} PE of this device is wired in the bench (the reference is hvswitch's own routed scenario)` };
  return { ok: true };
}

/** PE A's or B's config (JSON). */
function peConfig({ scen, dir, side, polling }) {
  const a = side === 'a';
  const [me, peer] = a ? [UNDERLAY.a, UNDERLAY.b] : [UNDERLAY.b, UNDERLAY.a];
  const [port, gw] = a ? ['sw0', L3.src.gw] : ['sw1', L3.dst.gw];
  const cfg = path.join(dir, `hvswitchd-${side}.json`);
  writeFileSync(cfg, JSON.stringify({
    version: 1, workers: 1, 'log-level': 'warn', ...(polling ? { dataplane: { polling } } : {}),
    pe: { address: me, mtu: UNDERLAY.mtu },
    vrfs: {
      [VRF]: {
        vpn: { rd: `${me}:1`, 'route-targets': [`${AS}:1`], encapsulations: [scen.vpn.encap] },
        ...(a ? {} : { routes: routePrefixes(scen).map((p) => ({ to: p, via: L3.dst.host })) }),
      },
    },
    ports: { [port]: { backend: 'af-packet', mode: 'routed', vrf: VRF, addresses: [`${gw}/${L3.plen}`] } },
    bgp: {
      global: { as: AS, 'router-id': me, 'listen-port': a ? 0 : 179 },
      neighbors: [{
        'neighbor-address': peer, 'peer-as': AS, 'afi-safis': ['l3vpn-ipv4-unicast'], 'local-address': me,
        passive: !a, timers: { 'connect-retry': 1, 'idle-hold-time': 1 },
      }],
    },
  }, null, 1));
  return cfg;
}

/** The prefixes a PE holds in its VRF with origin bgp (imported VPN routes). */
const bgpPrefixes = (d) => new Set(JSON.parse(d.cli('route', 'show', '--vrf', VRF, '--origin', 'bgp', '--json')).map((r) => r.prefix));

/** Waits until A has B's prefixes and B has A's, imported. */
async function converged(a, b, scen, dir, timeoutMs = 60000) {
  const wantA = [...routePrefixes(scen), `198.18.2.0/${L3.plen}`];
  const wantB = [`198.18.1.0/${L3.plen}`];
  for (const t0 = Date.now(); ;) {
    const [ha, hb] = [bgpPrefixes(a), bgpPrefixes(b)];
    if (wantA.every((p) => ha.has(p)) && wantB.every((p) => hb.has(p))) return;
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`VPN routes not imported after ${timeoutMs / 1000}s (A has ${[...ha].join(',') || 'none'}, B has ${[...hb].join(',') || 'none'}): see ${dir}/hvswitchd-*.log`);
    await sleep(100);
  }
}

/** The label the PE B stand-in of vpn-encap advertises for its routes. */
export const STUB_LABEL = 1000;

/** Our BGP speaker as the other PE (this checkout's, also for hvswitch-ref), in namespace `ns`, pinned to the generator CPU. */
const STUB = fileURLToPath(new URL('../vpn/pe-stub.mjs', import.meta.url));
function startStub({ ns, args, dir, opts }) {
  return start('ip', ['netns', 'exec', ns, 'taskset', '-c', String(opts.genCpu), process.execPath, STUB, ...args],
    { log: openSync(path.join(dir, 'pe-stub.log'), 'a') });
}

async function until(what, fn, dir, timeoutMs = 60000) {
  for (const t0 = Date.now(); ;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what} after ${timeoutMs / 1000}s: see ${dir}/hvswitchd-*.log, pe-stub.log`);
    await sleep(100);
  }
}

/** PE stats after each test: port counters and the MPLS underlay's (encap, decap, drops by reason). */
function peStats(d, side, dir, tag) {
  writeFileSync(path.join(dir, `stats-${side}-${tag}.json`), d.cli('stats', '--json'));
  let u;
  try { u = d.cli('stats', 'mpls-underlay', '--json'); } catch (e) { u = JSON.stringify({ unavailable: e.message }); }
  writeFileSync(path.join(dir, `stats-${side}-underlay-${tag}.json`), u);
}

/** The udpsink's counters (bench/gen/udpsink.c): datagrams, payload bytes, receive messages, last label stack entry. */
function readSink(file) {
  const b = readFileSync(file);
  if (b.length < 40) return { rx_packets: 0, rx_bytes: 0, skbs: 0, lse: 0, short: 0 };
  const u = (i) => Number(b.readBigUInt64LE(8 * i));
  return { rx_packets: u(0), rx_bytes: u(1), skbs: u(2), lse: u(3), short: u(4) };
}

/** vpn-encap: PE A only.  In the dst namespace (PE B's stand-in): the BGP speaker advertising B's routes with
 * STUB_LABEL, the udpsink counting the datagrams to 6635 (the topology's delivered count), and one capture of the
 * first datagrams, decoded after pps (capture-pps.txt: MPLS-in-UDP, label, inner packet). */
async function startEncap({ topo, scen, dir, opts, root, polling }) {
  const sinkBin = process.env.HVUDPSINK;
  if (!sinkBin) throw new Error('HVUDPSINK (path to the built bench/gen/udpsink.c) not set: run through bench/run.sh');
  const own = [];
  const stopAll = async () => { for (const x of own.reverse()) await x(); };
  try {
    const countFile = path.join(dir, 'udpsink.counts');
    const sink = start('ip', ['netns', 'exec', topo.dst, 'taskset', '-c', String(opts.genCpu), sinkBin, '-a', UNDERLAY.b, '-c', countFile],
      { log: openSync(path.join(dir, 'udpsink.log'), 'a') });
    own.push(() => stop(sink));
    const pcap = path.join(dir, 'capture-pps.pcap');
    const cap = start('ip', ['netns', 'exec', topo.dst, 'tcpdump', '-i', UNDERLAY.dev, '-c', '20', '-w', pcap, 'udp dst port 6635'],
      { log: openSync(path.join(dir, 'tcpdump.log'), 'a') });
    own.push(() => stop(cap, 500));
    const stub = startStub({ ns: topo.dst, dir, opts, args: ['--role', 'b', '--addr', UNDERLAY.b, '--peer', UNDERLAY.a,
      '--label', String(STUB_LABEL), ...[...routePrefixes(scen), `198.18.2.0/${L3.plen}`].flatMap((p) => ['--prefix', p])] });
    own.push(() => stop(stub));
    await until('udpsink not listening', () => existsSync(countFile), dir, 10000);
    const a = await launchHvswitchd({ ns: topo.sw, cfg: peConfig({ scen, dir, side: 'a', polling }), dir, name: 'hvswitchd-a', opts, root });
    own.push(() => a.stop());
    const want = [...routePrefixes(scen), `198.18.2.0/${L3.plen}`];
    await until('B\'s VPN routes not imported by A', () => { const h = bgpPrefixes(a); return want.every((p) => h.has(p)); }, dir);
    topo.sinkCounter = () => readSink(countFile);
    const afterTest = (tag) => {
      peStats(a, 'a', dir, tag);
      writeFileSync(path.join(dir, `udpsink-${tag}.json`), JSON.stringify(readSink(countFile)));
      if (tag === 'pps' && existsSync(pcap)) {
        const out = run('tshark', ['-r', pcap, '-d', 'udp.port==6635,mpls', '-T', 'fields', '-E', 'header=y', '-e', 'frame.len',
          '-e', 'ip.src', '-e', 'ip.dst', '-e', 'ip.ttl', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'udp.length',
          '-e', 'mpls.label', '-e', 'mpls.bottom', '-e', 'mpls.ttl'], { allowFail: true }) ?? 'tshark failed';
        writeFileSync(path.join(dir, 'capture-pps.txt'), out);
      }
    };
    const routes = () => JSON.parse(a.cli('vrf', 'list', '--json')).find((v) => v.name === VRF)?.routes ?? 0;
    return { pids: [a.pid], stop: stopAll, afterTest, tables: () => ({ fib_routes: routes() }) };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** vpn-decap: PE B only.  In the src namespace (PE A's stand-in): the BGP speaker, which writes the route B
 * advertised for the traffic's prefix; its label goes into the generator's frames (topo.vpnLabel). */
async function startDecap({ topo, scen, dir, opts, root, polling }) {
  const own = [];
  const stopAll = async () => { for (const x of own.reverse()) await x(); };
  try {
    const b = await launchHvswitchd({ ns: topo.sw, cfg: peConfig({ scen, dir, side: 'b', polling }), dir, name: 'hvswitchd-b', opts, root });
    own.push(() => b.stop());
    const out = path.join(dir, 'advertised-by-b.json');
    const [want] = routePrefixes(scen);
    const stub = startStub({ ns: topo.src, dir, opts, args: ['--role', 'a', '--addr', UNDERLAY.a, '--peer', UNDERLAY.b,
      '--label', String(STUB_LABEL), '--prefix', `198.18.1.0/${L3.plen}`, '--want', want, '--out', out] });
    own.push(() => stop(stub));
    const r = await until(`no route for ${want} advertised by B`, () => existsSync(out) && JSON.parse(readFileSync(out, 'utf8')), dir);
    if (r.nextHop !== UNDERLAY.b || !r.extCommunities.includes('encap:mpls-in-udp'))
      throw new Error(`B advertised ${JSON.stringify(r)}: not next hop ${UNDERLAY.b} with MPLS-in-UDP`);
    await until('A\'s route not imported by B', () => bgpPrefixes(b).has(`198.18.1.0/${L3.plen}`), dir);
    topo.vpnLabel = r.label;
    // B's receives: the UDP MIB of B's namespace counts one InDatagram per datagram read, a GRO run once,
    // while B's mpls_decap counts datagrams; over the daemon's lifetime both cover the same traffic
    const afterTest = (tag) => {
      peStats(b, 'b', dir, tag);
      writeFileSync(path.join(dir, `udp-B-${tag}.txt`), run('ip', ['netns', 'exec', topo.sw, 'nstat', '-asz', 'Udp*'], { allowFail: true }) ?? '');
    };
    const routes = () => JSON.parse(b.cli('vrf', 'list', '--json')).find((v) => v.name === VRF)?.routes ?? 0;
    return { pids: [b.pid], stop: stopAll, afterTest, tables: () => ({ fib_routes: routes(), vpn_label: r.label }) };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** vpn: one hvswitchd PE per hypervisor, both pinned to the DUT CPU (`pids` has both: DUT CPU is their sum). */
export async function startHvswitchVpn(ctx) {
  const { topo, scen, dir, opts, root, polling } = ctx;
  if (scen.vpn.half === 'encap') return startEncap(ctx);
  if (scen.vpn.half === 'decap') return startDecap(ctx);
  const d = [];
  const stopAll = async () => { for (const x of d.reverse()) await x.stop(); };
  try {
    for (const [i, side] of ['a', 'b'].entries())
      d.push(await launchHvswitchd({ ns: topo.hv[i], cfg: peConfig({ scen, dir, side, polling }), dir, name: `hvswitchd-${side}`, opts, root }));
    await converged(d[0], d[1], scen, dir);
  } catch (e) {
    await stopAll();
    throw e;
  }
  const [a, b] = d;
  // after every test: each PE's port counters and its MPLS underlay's (encap, decap, drops by reason)
  const afterTest = (tag) => {
    for (const [x, side] of [[a, 'a'], [b, 'b']]) {
      writeFileSync(path.join(dir, `stats-${side}-${tag}.json`), x.cli('stats', '--json'));
      let u;
      try { u = x.cli('stats', 'mpls-underlay', '--json'); } catch (e) { u = JSON.stringify({ unavailable: e.message }); }
      writeFileSync(path.join(dir, `stats-${side}-underlay-${tag}.json`), u);
    }
  };
  const routes = (x) => JSON.parse(x.cli('vrf', 'list', '--json')).find((v) => v.name === VRF)?.routes ?? 0;
  return { pids: [a.pid, b.pid], stop: stopAll, afterTest, tables: () => ({ fib_routes: routes(a) + routes(b) }) };
}
