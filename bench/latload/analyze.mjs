#!/usr/bin/env node
// bench/latload/analyze.mjs DIR: per-hop times of each ping crossing in the
// traces bench/latload/trace.sh recorded (DIR/trace-N.data), from
// `perf script --ns`.  Prints, per trace, the median [p90] of each segment
// over the pings whose every point was seen, and writes DIR/hops-N.tsv (one
// line per ping).  The points, in order (veth / TAP):
//   send    ping enters sendto()
//   out     the request leaves the source host (net_dev_start_xmit eth0 / tap0)
//   ring    veth: it reaches the switch's packet sockets (netif_receive_skb sw0)
//   loop    the worker's last poll() that found frames before it took the request
//           (TAP: the read() that returned it)
//   txcall  the worker enters the sendmmsg / writev that carries it
//   sink    the sink's stack has it (netif_rx / netif_receive_skb on the sink's interface)
//   reply   the sink sends the echo reply (net_dev_start_xmit, in the worker's context)
//   back    the worker returns from that sendmmsg (TAP: from the batch's last writev)
//   rread   the worker reads the reply (recvmmsg / read returning it)
//   rtx     the worker enters the sendmmsg / writev of the reply
//   home    the reply reaches the source host's stack (ping's receive timestamp)
//   woke    ping returns from recvmsg() (its wake-up on the generator's CPU)
// plus: the number of frames in the request's tx batch before it (ahead),
// and, TAP, the frames the worker read between the request and its writev.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const RE = /^\s*(\S+)\s+(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+(\S+):\s*(.*)$/;

function* events(file) {
  const txt = execFileSync('perf', ['script', '--ns', '-i', file], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  for (const line of txt.split('\n')) {
    const m = RE.exec(line);
    if (!m) continue;
    const [, comm, tid, cpu, ts, ev, rest] = m;
    const t = Math.round(Number(ts) * 1e9);
    const dev = /dev=(\S+)/.exec(rest)?.[1];
    const len = Number(/ len=(\d+)/.exec(rest)?.[1] ?? NaN);
    const ret = /^0x[0-9a-f]+$/.test(rest.trim()) ? parseInt(rest.trim(), 16) : NaN;
    const vlen = /vlen: 0x([0-9a-f]+)/.exec(rest);
    yield { comm, tid: Number(tid), cpu: Number(cpu), t, ev: ev.replace(/^(net|syscalls|sched):/, ''), dev, len, ret,
      vlen: vlen ? parseInt(vlen[1], 16) : NaN, rest };
  }
}

const SEG = [
  ['send', 'out', 'ping: sendto to the wire'],
  ['out', 'ring', 'CPU 0 backlog to the switch port'],
  ['ring', 'loop', 'waits for the worker to look'],
  ['loop', 'txcall', 'worker: rx and stages'],
  ['txcall', 'sink', 'frames ahead of it in the tx call'],
  ['out', 'sink', 'request: source host to the sink'],
  ['sink', 'reply', "sink's stack"],
  ['reply', 'home', 'reply: sink to the source host'],
  ['reply', 'rread', 'reply waits for the worker'],
  ['reply', 'back', '  of which: the rest of the request\'s tx'],
  ['back', 'rread', '  of which: from there to reading the reply'],
  ['rread', 'rtx', 'worker: reply rx and stages'],
  ['rtx', 'home', 'reply tx call'],
  ['send', 'home', 'total (ping measures this)'],
  ['home', 'woke', "ping's wake-up (not in its RTT)"],
];

// The bridge: no worker; the same points where they exist (sink, reply, home, woke).
function analyzeBridge(file) {
  const pings = [];
  let p = null;
  for (const e of events(file)) {
    if (e.comm === 'ping' && e.ev === 'sys_enter_sendto') { if (p) pings.push(p); p = { send: e.t }; continue; }
    if (!p) continue;
    if (!p.out && e.ev === 'net_dev_start_xmit' && e.len === 98 && e.dev === 'eth0') { p.out = e.t; continue; }
    if (p.out && !p.sink && e.ev === 'netif_rx' && e.dev === 'eth0' && e.len === 84) { p.sink = e.t; continue; }
    if (p.sink && !p.reply && e.ev === 'net_dev_start_xmit' && e.len === 98 && e.dev === 'eth0') { p.reply = e.t; continue; }
    if (p.reply && !p.home && e.ev === 'netif_rx' && e.dev === 'eth0' && e.len === 84) { p.home = e.t; continue; }
    if (p.home && !p.woke && e.comm === 'ping' && e.ev === 'sys_exit_recvmsg' && e.ret === 84) p.woke = e.t;
  }
  if (p) pings.push(p);
  return { pings: pings.filter((x) => x.home && x.woke), all: pings.length };
}

function analyze(file) {
  const pings = [];
  let p = null;
  let lastPoll = 0, lastTxEnter = 0, lastTxVlen = 0, lastWritevEnter = 0, readsSinceReq = 0, tap = false;
  const workerTids = new Set();
  for (const e of events(file)) {
    if (e.comm.startsWith('hv-worker')) workerTids.add(e.tid);
    const w = workerTids.has(e.tid);
    if (w && e.ev === 'sys_exit_poll') lastPoll = e.t;
    if (w && e.ev === 'sys_enter_sendmmsg') { lastTxEnter = e.t; lastTxVlen = e.vlen; }
    if (w && e.ev === 'sys_enter_writev') lastWritevEnter = e.t;
    if (e.comm === 'ping' && e.ev === 'sys_enter_sendto') {
      if (p) pings.push(p);
      p = { send: e.t };
      continue;
    }
    if (!p) continue;
    if (e.comm === 'ping' && e.ev === 'net_dev_start_xmit' && e.len === 98 && !p.out) { p.out = e.t; tap = e.dev.startsWith('tap'); continue; }
    if (!p.out) continue;
    // request side
    if (!tap && !p.ring && e.ev === 'netif_receive_skb' && e.dev === 'sw0' && e.len === 84) { p.ring = e.t; continue; }
    if (tap && !p.loop && w && e.ev === 'sys_exit_read' && e.ret === 108) { p.ring = p.loop = e.t; readsSinceReq = 0; continue; }
    if (tap && p.loop && !p.txcall && w && e.ev === 'sys_exit_read' && e.ret === 70) readsSinceReq++;
    const sinkIn = !tap ? e.ev === 'netif_rx' && e.dev === 'eth0' && w : e.ev === 'netif_receive_skb' && e.dev === 'tap1' && e.len === 84;
    if (p.ring && !p.sink && sinkIn && e.len === 84) {
      p.sink = e.t;
      if (!tap) { p.loop = lastPoll; p.txcall = lastTxEnter; p.ahead = lastTxVlen; }
      else { p.txcall = lastWritevEnter; p.readAfter = readsSinceReq; }
      continue;
    }
    if (p.sink && !p.reply && e.ev === 'net_dev_start_xmit' && e.len === 98 && e.dev === (tap ? 'tap1' : 'eth0')) { p.reply = e.t; continue; }
    if (p.reply && !p.back && w && (tap ? e.ev === 'sys_exit_read' : e.ev === 'sys_exit_sendmmsg')) { p.back = e.t; }
    if (p.reply && !p.rread && w && (tap ? e.ev === 'sys_exit_read' && e.ret === 108 : e.ev === 'sys_exit_recvmmsg')) { p.rread = e.t; continue; }
    if (p.rread && !p.rtx && w && (tap ? e.ev === 'sys_enter_writev' : e.ev === 'sys_enter_sendmmsg') && e.t > p.rread) {
      // the reply's tx call is the one after which the reply reaches home; take the last before home
      p.rtxCand = e.t;
    }
    const homeIn = !tap ? e.ev === 'netif_rx' && e.dev === 'eth0' && e.len === 84 && w : e.ev === 'netif_receive_skb' && e.dev === 'tap0' && e.len === 84;
    if (p.rread && !p.home && homeIn) { p.home = e.t; p.rtx = p.rtxCand; continue; }
    if (p.home && !p.woke && e.comm === 'ping' && e.ev === 'sys_exit_recvmsg' && e.ret === 84) p.woke = e.t;
  }
  if (p) pings.push(p);
  return { pings: pings.filter((x) => x.home && x.woke && x.rtx && x.loop && x.txcall), all: pings.length };
}

const q = (a, f) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.min(s.length - 1, Math.floor(f * s.length))] : NaN; };
const us = (x) => (x / 1000).toFixed(1);

for (const f of readdirSync(dir).filter((n) => /^trace-\d+\.data$/.test(n)).sort((a, b) => parseInt(a.slice(6)) - parseInt(b.slice(6)))) {
  const n = f.match(/\d+/)[0];
  const dutTxt = readFileSync(path.join(dir, `trace-${n}.dut`), 'utf8');
  const dut = dutTxt.startsWith('no hvswitchd') ? 'linux-bridge'
    : `${/wt23-lat-ref/.test(dutTxt) ? 'ref ' : ''}${/"mode":"(\w+)"/.exec(dutTxt)?.[1]}${/"budget-max-us":(\d+)/.exec(dutTxt)?.[1] > 0 ? ` grow ${/"budget-max-us":(\d+)/.exec(dutTxt)[1]}` : ''}`;
  const scen = /tap0/.test(dutTxt) ? 'access-tap-64' : /sw0/.test(dutTxt) ? 'access-64' : '';
  const { pings, all } = (dut === 'linux-bridge' ? analyzeBridge : analyze)(path.join(dir, f));
  const lines = [`trace-${n}: ${dut} ${scen}; ${pings.length} of ${all} pings with every point; µs median [p90]`];
  if (pings.length) {
    for (const [a, b, what] of SEG) {
      const v = pings.filter((x) => x[a] && x[b]).map((x) => x[b] - x[a]);
      if (v.length) lines.push(`  ${`${a}->${b}`.padEnd(14)} ${us(q(v, 0.5)).padStart(7)} [${us(q(v, 0.9))}]  ${what}`);
    }
    const ahead = pings.filter((x) => x.ahead !== undefined).map((x) => x.ahead);
    if (ahead.length) lines.push(`  request's tx batch (sendmmsg vlen): median ${q(ahead, 0.5)} [p90 ${q(ahead, 0.9)}]`);
    const ra = pings.filter((x) => x.readAfter !== undefined).map((x) => x.readAfter);
    if (ra.length) lines.push(`  frames read after the request before its writev: median ${q(ra, 0.5)} [p90 ${q(ra, 0.9)}]`);
    writeFileSync(path.join(dir, `hops-${n}.tsv`), ['send\tout\tring\tloop\ttxcall\tsink\treply\tback\trread\trtx\thome\twoke\tahead\treadAfter',
      ...pings.map((x) => ['send', 'out', 'ring', 'loop', 'txcall', 'sink', 'reply', 'back', 'rread', 'rtx', 'home', 'woke']
        .map((k) => (x[k] ? x[k] - x.send : '')).concat([x.ahead ?? '', x.readAfter ?? '']).join('\t'))].join('\n') + '\n');
  }
  console.log(lines.join('\n'));
}
