// Spanning tree failover, hvswitch beside its references in the same run
// (issue 12: "failover times ... beside the 802.1D/OVS references").
//
// One topology for every device under test: two bridges A and B joined by two
// links (l1, l2), a host on each (hA 10.9.0.1, hB 10.9.0.2).  A is the root
// (priority 4096); on B, l2 costs ten times l1, so l1 is B's root port and
// l2 its alternate (RSTP) / blocking (802.1D) port.  hA pings hB every
// INTERVAL ms; once the tree is stable, l1 is cut (its B end set down:
// carrier lost on both ends) and the outage is the longest run of lost echo
// sequence numbers × INTERVAL.  The ping stops after RECOVERED answers in a
// row after the gap.
//
// Devices:
//   hvswitch    two hvswitchd (RSTP), one per namespace, AF_PACKET ports
//   ovs-rstp    Open vSwitch's userspace datapath, two bridges with rstp_enable
//   kernel-stp  two Linux bridges, stp_state 1 (802.1D), the shortest timers
//               the kernel allows (hello 1 s, max age 6 s, forward delay 4 s)
//
// Run as root after `npm run build`:
//   node bench/l2gw/failover.mjs [--dut hvswitch,ovs-rstp,kernel-stp] [--reps 3] [--json]
// Figures: outage in ms per rep, median, ratio of each median to hvswitch's.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const INTERVAL_MS = 1;
const RECOVERED = 300;

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const duts = opt('dut', 'hvswitch,ovs-rstp,kernel-stp').split(',');
const reps = Number(opt('reps', '3'));
const asJson = args.includes('--json');

const tag = `${process.pid % 10000}`;
let namespaces = [];
let procs = [];
let tmp = '';

function sh(argv, { allowFail = false } = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0 && !allowFail) throw new Error(`${argv.join(' ')}: ${r.stderr || r.stdout}`);
  return r;
}
const inNs = (ns, argv, o) => sh(['ip', 'netns', 'exec', ns, ...argv], o);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, cond, ms) {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}
function bg(ns, argv) {
  const p = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  p.out = '';
  p.stdout.on('data', (d) => (p.out += d));
  p.stderr.on('data', (d) => (p.out += d));
  procs.push(p);
  return p;
}
function mkns(role) {
  const n = `hvfo-${role}-${tag}`;
  sh(['ip', 'netns', 'add', n]);
  namespaces.push(n);
  inNs(n, ['ip', 'link', 'set', 'lo', 'up']);
  return n;
}
async function teardown() {
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
  await Promise.all(procs.map((p) => (p.exitCode !== null || p.signalCode !== null ? null : new Promise((r) => { const t = setTimeout(r, 5000); p.once('exit', () => { clearTimeout(t); r(); }); }))));
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const n of namespaces.reverse()) sh(['ip', 'netns', 'del', n], { allowFail: true });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  namespaces = [];
  procs = [];
  tmp = '';
}

/** The links and hosts; `a`, `b` hold the bridge ends (for OVS both in one namespace). */
function wire(a, b) {
  const hA = mkns('ha');
  const hB = mkns('hb');
  for (const l of ['l1', 'l2']) sh(['ip', '-n', a, 'link', 'add', `${l}a`, 'type', 'veth', 'peer', 'name', `${l}b`, 'netns', b]);
  sh(['ip', '-n', a, 'link', 'add', 'ha', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', hA]);
  sh(['ip', '-n', b, 'link', 'add', 'hb', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', hB]);
  for (const [ns, ifs] of [[a, ['l1a', 'l2a', 'ha']], [b, ['l1b', 'l2b', 'hb']]]) for (const i of ifs) sh(['ip', '-n', ns, 'link', 'set', i, 'up']);
  sh(['ip', '-n', hA, 'addr', 'add', '10.9.0.1/24', 'dev', 'eth0']);
  sh(['ip', '-n', hB, 'addr', 'add', '10.9.0.2/24', 'dev', 'eth0']);
  for (const h of [hA, hB]) sh(['ip', '-n', h, 'link', 'set', 'eth0', 'up']);
  return { hA, hB };
}

/** Each device: builds A and B, returns the namespaces and `altBlocked()` (B's l2 not forwarding). */
const DEVICES = {
  async hvswitch() {
    tmp = mkdtempSync(join(tmpdir(), 'hvfo-'));
    const a = mkns('a');
    const b = mkns('b');
    const hosts = wire(a, b);
    const cli = (side, argv) => sh([process.execPath, join(ROOT, 'dist/src/cli/main.js'), '--socket', join(tmp, `${side}.sock`), ...argv], { allowFail: true });
    for (const [side, ns] of [['a', a], ['b', b]]) {
      const port = (cost) => ({ backend: 'af-packet', bridge: 'br0', mode: 'access', vlan: 1, stp: { cost } });
      const cfg = {
        bridges: { br0: { stp: { mode: 'rstp', priority: side === 'a' ? 4096 : 32768, mac: side === 'a' ? '02:00:00:00:5a:0a' : '02:00:00:00:5a:0b' } } }, // one host: two bridge addresses
        ports: { [`l1${side}`]: port(2000), [`l2${side}`]: port(side === 'b' ? 20000 : 2000), [`h${side}`]: { backend: 'af-packet', bridge: 'br0', mode: 'access', vlan: 1, stp: { edge: true } } },
      };
      const file = join(tmp, `${side}.yaml`);
      writeFileSync(file, JSON.stringify(cfg)); // JSON is YAML
      bg(ns, [process.execPath, join(ROOT, 'dist/src/daemon/main.js'), '--config', file, '--socket', join(tmp, `${side}.sock`), '--no-persist']);
    }
    await until('both daemons', async () => cli('a', ['daemon', 'info']).status === 0 && cli('b', ['daemon', 'info']).status === 0, 20_000);
    const portOf = (name) => {
      const r = cli('b', ['stp', 'show', '--json']);
      if (r.status !== 0) return null;
      return JSON.parse(r.stdout)[0]?.ports.find((p) => p.name === name || p.port === name) ?? null;
    };
    return {
      ...hosts, cutNs: b, show: () => cli('b', ['stp', 'show']).stdout + cli('a', ['stp', 'show']).stdout,
      stable: async () => portOf('l1b')?.state === 'forwarding' && portOf('l1b')?.role === 'root' && portOf('l2b')?.state === 'discarding',
    };
  },

  async 'ovs-rstp'() {
    tmp = mkdtempSync(join(tmpdir(), 'hvfo-'));
    const o = mkns('ovs');
    const hosts = wire(o, o);
    const env = ['env', `OVS_RUNDIR=${tmp}`, `OVS_LOGDIR=${tmp}`, `OVS_DBDIR=${tmp}`];
    const vsctl = (...a) => inNs(o, ['ovs-vsctl', `--db=unix:${tmp}/db.sock`, ...a], { allowFail: true });
    inNs(o, ['ovsdb-tool', 'create', `${tmp}/conf.db`, '/usr/share/openvswitch/vswitch.ovsschema']);
    bg(o, [...env, 'ovsdb-server', `${tmp}/conf.db`, `--remote=punix:${tmp}/db.sock`, `--pidfile=${tmp}/ovsdb.pid`, `--unixctl=${tmp}/ovsdb.ctl`]);
    await until('ovsdb-server', async () => vsctl('--no-wait', 'init').status === 0, 10_000);
    bg(o, [...env, 'ovs-vswitchd', `unix:${tmp}/db.sock`, `--pidfile=${tmp}/vswitchd.pid`, `--unixctl=${tmp}/vswitchd.ctl`, `--log-file=${tmp}/vswitchd.log`]);
    for (const [br, prio, ports] of [['bra', 4096, ['l1a', 'l2a', 'ha']], ['brb', 32768, ['l1b', 'l2b', 'hb']]]) {
      const r = vsctl('add-br', br, '--', 'set', 'bridge', br, 'datapath_type=netdev', 'rstp_enable=true', `other_config:rstp-priority=${prio}`);
      if (r.status !== 0) throw new Error(`ovs-vsctl add-br ${br}: ${r.stderr}`);
      for (const p of ports) {
        const cost = p === 'l2b' ? 20000 : 2000;
        vsctl('add-port', br, p, '--', 'set', 'port', p, `other_config:rstp-path-cost=${cost}`, ...(p.startsWith('h') ? ['other_config:rstp-port-admin-edge=true'] : []));
      }
    }
    const state = (p) => {
      const r = inNs(o, ['ovs-appctl', '-t', `${tmp}/vswitchd.ctl`, 'rstp/show', 'brb'], { allowFail: true });
      const m = new RegExp(`^\\s*${p}\\s+(\\S+)\\s+(\\S+)`, 'm').exec(r.stdout);
      return m ? { role: m[1], state: m[2] } : null;
    };
    return {
      ...hosts, cutNs: o, show: () => inNs(o, ['ovs-appctl', '-t', `${tmp}/vswitchd.ctl`, 'rstp/show'], { allowFail: true }).stdout,
      stable: async () => state('l1b')?.role === 'Root' && state('l1b')?.state === 'Forwarding' && state('l2b')?.state === 'Discarding',
    };
  },

  async 'kernel-stp'() {
    const a = mkns('a');
    const b = mkns('b');
    const hosts = wire(a, b);
    for (const [ns, side, prio] of [[a, 'a', 4096], [b, 'b', 32768]]) {
      sh(['ip', '-n', ns, 'link', 'add', 'br0', 'type', 'bridge', 'stp_state', '1', 'priority', String(prio), 'hello_time', '100', 'max_age', '600', 'forward_delay', '400']);
      for (const p of [`l1${side}`, `l2${side}`, `h${side}`]) sh(['ip', '-n', ns, 'link', 'set', p, 'master', 'br0']);
      sh(['ip', '-n', ns, 'link', 'set', 'br0', 'up']);
    }
    sh(['ip', '-n', b, 'link', 'set', 'dev', 'l2b', 'type', 'bridge_slave', 'cost', '20000']);
    sh(['ip', '-n', b, 'link', 'set', 'dev', 'l1b', 'type', 'bridge_slave', 'cost', '2000']);
    const state = (p) => {
      const r = sh(['ip', '-n', b, '-j', '-d', 'link', 'show', 'dev', p], { allowFail: true });
      try {
        return JSON.parse(r.stdout)[0]?.linkinfo?.info_slave_data?.state ?? null;
      } catch { return null; }
    };
    return { ...hosts, cutNs: b, show: () => sh(['ip', '-n', b, '-d', 'link', 'show'], { allowFail: true }).stdout, stable: async () => state('l1b') === 'forwarding' && state('l2b') === 'blocking' };
  },
};

/** One measurement: the longest gap in answered echo sequence numbers, in ms. */
async function measure(dev) {
  try {
    await until('the tree to be stable (B: l1 root forwarding, l2 alternate/blocking)', dev.stable, 60_000);
  } catch (e) {
    throw new Error(`${e.message}; B's ports now:\n${dev.show()}`);
  }
  await until('hA to reach hB', async () => inNs(dev.hA, ['ping', '-c', '1', '-W', '1', '10.9.0.2'], { allowFail: true }).status === 0, 30_000);
  const p = bg(dev.hA, ['ping', '-n', '-i', String(INTERVAL_MS / 1000), '-W', '1', '10.9.0.2']);
  const seqs = () => [...p.out.matchAll(/icmp_seq=(\d+)/g)].map((m) => Number(m[1]));
  await until('100 answers before the cut', async () => seqs().length >= 100, 10_000);
  const cutAt = Math.max(...seqs());
  sh(['ip', '-n', dev.cutNs, 'link', 'set', 'l1b', 'down']);
  const recovered = () => {
    const s = seqs().filter((x) => x > cutAt);
    if (s.length < RECOVERED) return false;
    const last = s.slice(-RECOVERED);
    return last[RECOVERED - 1] - last[0] === RECOVERED - 1;
  };
  await until('answers again after the cut', async () => recovered(), 60_000);
  p.kill('SIGINT');
  const s = [...new Set(seqs())].sort((x, y) => x - y);
  let gap = 0;
  for (let i = 1; i < s.length; i++) gap = Math.max(gap, s[i] - s[i - 1] - 1);
  return gap * INTERVAL_MS;
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const results = {};
process.on('SIGINT', () => void teardown().then(() => process.exit(130)));
try {
  for (let r = 0; r < reps; r++) {
    for (const name of duts) {
      if (!DEVICES[name]) throw new Error(`--dut: unknown device ${name} (known: ${Object.keys(DEVICES).join(', ')})`);
      try {
        const dev = await DEVICES[name]();
        (results[name] ??= []).push(await measure(dev));
      } finally {
        await teardown();
      }
    }
  }
} catch (e) {
  await teardown();
  throw e;
}
const ref = results.hvswitch ? median(results.hvswitch) : null;
const rows = Object.entries(results).map(([dut, ms]) => ({ dut, outageMs: ms, medianMs: median(ms), xHvswitch: ref ? Number((median(ms) / Math.max(ref, INTERVAL_MS)).toFixed(1)) : null }));
if (asJson) console.log(JSON.stringify({ intervalMs: INTERVAL_MS, reps, rows }, null, 2));
else {
  console.log(`spanning tree failover: outage after the forwarding link is cut (echo every ${INTERVAL_MS} ms, ${reps} reps, interleaved)`);
  for (const r of rows) console.log(`${r.dut.padEnd(12)} median ${String(r.medianMs).padStart(6)} ms   reps ${r.outageMs.join(', ')} ms   ${r.xHvswitch === null ? '' : `${r.xHvswitch}x hvswitch`}`);
}
