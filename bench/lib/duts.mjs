// Devices under test: one table row per device.  Each row says what it is, whether
// it can run on this machine (and why not), whether it has a TAP variant, and how
// to start it in the switch namespace of a topology whose ports exist (veth) or
// that it must create (tap).  `start` returns the pids whose CPU is the device's,
// a `stop`, and `tables` (MACs, or routes, in its tables now: checks that a
// many-MACs or many-routes scenario really filled them).  A userspace device is
// pinned to the DUT CPU with taskset.
//
// Wiring the same way everywhere: two ports in one L2 domain; access ports in
// VLAN 1 (OVS: tag=1, hvswitch: access vlan 1; the Linux bridge has no VLANs);
// for a trunk scenario both ports are trunks carrying the scenario's VLANs
// (OVS: trunks=..., hvswitch: mode trunk; the Linux bridge forwards tagged frames
// without looking at the tag: noted in the report).  MAC tables are sized for the
// scenario (OVS defaults to 2048 MACs, hvswitch to 4096 per port).
//
// Routed scenarios (bench/lib/l3.mjs): the device is the hosts' router —
// two interfaces 198.18.1.254/24 and 198.18.2.254/24 and the scenario's routes
// via the sink.  Linux: IP forwarding in the switch namespace (`ip -batch`);
// hvswitch: a VRF with two routed ports and the routes in its config file
// (JSON); OVS: OpenFlow rules as an SDN controller (OVN) would program them —
// ARP answered for the gateway addresses, a /32 flow per host and a flow per
// route (rewrite MACs, dec_ttl, output), loaded with `ovs-ofctl add-flows`.
//
// VXLAN scenario (topo.vxlan): the device runs in both hypervisors, bridging
// the host port onto VNI 10010 over the underlay.  Linux: a bridge + kernel
// VXLAN device in each; hvswitch: one hvswitchd in each, the VNI an EVPN
// instance, remote MACs from type-2 routes over a direct iBGP session; the
// device's `primed` waits for them before anything is measured.  A device
// whose `supports(scen)` says no is reported as not run, with the reason.
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { L3, routePrefixes } from './l3.mjs';
import { ipBatch, nsRun, run, sleep, start, stop } from './sys.mjs';
import { UNDERLAY } from './topo.mjs';
import { noVpn, startHvswitchVpn } from './vpn.mjs';

const count = (text) => text.split('\n').filter(Boolean).length;

const has = (cmd) => run('sh', ['-c', `command -v ${cmd}`], { allowFail: true }) !== null;

function fdbSize(scen) {
  return Math.max(4096, 2 * (scen.macs ?? 1));
}

export const DUTS = {
  'linux-bridge': {
    describe: 'Linux kernel: the bridge (bridge-nf-call-* off, no VLAN filtering), or IP forwarding in routed scenarios',
    kernel: true, // no process of its own: its work runs in softirq on the sending CPU
    tap: false,
    available: () => ({ ok: true }),
    supports: noVpn, // no MPLS-in-UDP PE of the kernel's is wired here
    async start({ topo, scen, dir }) {
      if (scen.vxlan) return startLinuxVxlan({ topo, scen });
      if (scen.twoHv) return startLinuxTwoHv({ topo });
      if (scen.l3) {
        nsRun(topo.sw, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
        ipBatch([`addr add ${L3.src.gw}/${L3.plen} dev sw0`, `addr add ${L3.dst.gw}/${L3.plen} dev sw1`], topo.sw);
        const f = path.join(dir, 'routes.batch');
        writeFileSync(f, routePrefixes(scen).map((p) => `route add ${p} via ${L3.dst.host}\n`).join(''));
        run('ip', ['-n', topo.sw, '-batch', f], { timeout: 600000 });
        rmSync(f);
        const tables = () => ({ fib_routes: count(run('ip', ['-n', topo.sw, 'route', 'show'], { timeout: 120000 })) });
        return { pids: [], stop: async () => {}, tables };
      }
      ipBatch([
        'link add br0 type bridge',
        ...topo.ports.map((p) => `link set ${p} master br0`),
        'link set br0 up',
      ], topo.sw);
      const fdbEntries = () => (run('bridge', ['-n', topo.sw, 'fdb', 'show', 'br', 'br0'], { timeout: 60000 }) ?? '')
        .split('\n').filter((l) => l && !/permanent/.test(l)).length;
      return { pids: [], stop: async () => {}, tables: () => ({ fdb_entries: fdbEntries() }) };
    },
  },

  hvswitch: {
    describe: 'hvswitchd (this repository), 1 worker, AF_PACKET (TPACKET_V3 rx, sendmmsg tx) or TAP ports; vxlan: one per hypervisor, EVPN over direct iBGP',
    tap: true,
    available({ root }) {
      const main = path.join(root, 'dist/src/daemon/main.js');
      const addon = path.join(root, 'build/addon/Release/hvswitch.node');
      if (!existsSync(main)) return { ok: false, reason: `${main} missing (npm run build)` };
      if (!existsSync(addon)) return { ok: false, reason: `${addon} missing (npm run build:native)` };
      return { ok: true };
    },
    start: (ctx) => (ctx.scen.vpn ? startHvswitchVpn(ctx) : ctx.scen.vxlan ? startHvswitchVxlan(ctx) : ctx.scen.twoHv ? startHvswitchTwoHv(ctx) : startHvswitch(ctx)),
  },

  // The same switch with its veth ports on AF_XDP (docs/afxdp.md): an XSK per
  // queue, the XDP program in native mode on veth, copy mode.
  'hvswitch-xdp': {
    describe: 'hvswitchd (this repository), 1 worker, AF_XDP ports (backend af-xdp: native XDP on veth, copy-mode XSK)',
    tap: false,
    available: (ctx) => DUTS.hvswitch.available(ctx),
    supports(scen) {
      if (scen.link === 'tap') return { ok: false, reason: 'TAP ports are created by the switch (backend tap), not opened over AF_XDP' };
      if (scen.vxlan || scen.vpn) return { ok: false, reason: 'the two-hypervisor tunnel scenarios run their host ports on AF_PACKET (not parametrized by backend)' };
      return { ok: true };
    },
    start: (ctx) => startHvswitch({ ...ctx, backend: 'af-xdp' }),
  },

  // hvswitch-xdp built from the HV_BENCH_REF checkout (before/after of an AF_XDP change in one run).
  'hvswitch-ref-xdp': {
    describe: 'hvswitchd built from HV_BENCH_REF, AF_XDP ports (as hvswitch-xdp)',
    tap: false,
    available: () => DUTS['hvswitch-ref'].available(),
    supports: (scen) => DUTS['hvswitch-xdp'].supports(scen),
    start: (ctx) => startHvswitch({ ...ctx, backend: 'af-xdp', root: path.resolve(process.env.HV_BENCH_REF) }),
  },

  // The same switch built from another checkout (HV_BENCH_REF=/path/to/checkout,
  // built with `npm run build`): a before/after comparison of a change in one
  // interleaved run, so that machine noise hits both sides alike.
  'hvswitch-ref': {
    describe: 'hvswitchd built from the checkout in HV_BENCH_REF (before/after comparisons in one run)',
    tap: true,
    available() {
      const ref = process.env.HV_BENCH_REF;
      if (!ref) return { ok: false, reason: 'HV_BENCH_REF is not set (path of a built checkout to compare with)' };
      return DUTS.hvswitch.available({ root: path.resolve(ref) });
    },
    supports(scen) {
      // a checkout from before VXLAN (issue 10) or MPLS (issue 11): its addon has no tunnel methods
      const addon = path.join(path.resolve(process.env.HV_BENCH_REF), 'build/addon/Release/hvswitch.node');
      const [what, fn] = scen.vxlan ? ['VXLAN', 'tunnelAdd'] : scen.vpn ? ['MPLS tunnels', 'mplsTunnelAdd'] : [];
      if (fn && !(existsSync(addon) && readFileSync(addon).includes(fn)))
        return { ok: false, reason: `the checkout in HV_BENCH_REF has no ${what} (its addon ${addon} has no ${fn}): nothing to compare with` };
      return { ok: true };
    },
    start(ctx) {
      return DUTS.hvswitch.start({ ...ctx, root: path.resolve(process.env.HV_BENCH_REF) });
    },
  },

  'ovs-netdev': {
    describe: 'Open vSwitch userspace datapath (datapath_type=netdev, userspace-tso-enable), NORMAL action',
    tap: true,
    available() {
      for (const c of ['ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ovsdb-tool'])
        if (!has(c)) return { ok: false, reason: `${c} not installed (apt-get install openvswitch-switch)` };
      if (!existsSync('/usr/share/openvswitch/vswitch.ovsschema')) return { ok: false, reason: 'vswitch.ovsschema not found' };
      return { ok: true };
    },
    supports: noVpn,
    start: (ctx) => (ctx.scen.vxlan ? startOvsVxlan(ctx) : ctx.scen.twoHv ? startOvsTwoHv(ctx) : startOvs(ctx)),
  },
};

// hvswitch in each worker polling mode (native/core/polling.h, docs/polling.md):
// the same switch with `dataplane.polling` set, so one run puts the modes side
// by side with the bridge.  `hvswitch` itself runs with the config's default.
for (const mode of ['interrupt', 'adaptive', 'busy']) {
  DUTS[`hvswitch-${mode}`] = {
    describe: `hvswitchd as \`hvswitch\`, workers in polling mode ${mode}${mode === 'adaptive' ? ' (budget --budget-us)' : ''}`,
    tap: true,
    available: (ctx) => DUTS.hvswitch.available(ctx),
    start: (ctx) => DUTS.hvswitch.start({ ...ctx, polling: { mode, 'budget-us': ctx.opts.budgetUs } }),
  };
  // AF_XDP ports (as hvswitch-xdp) in the same mode: both backends × every mode in one run.
  DUTS[`hvswitch-xdp-${mode}`] = {
    ...DUTS['hvswitch-xdp'],
    describe: `hvswitchd as \`hvswitch-xdp\` (AF_XDP ports), workers in polling mode ${mode}`,
    start: (ctx) => startHvswitch({ ...ctx, backend: 'af-xdp', polling: { mode, 'budget-us': ctx.opts.budgetUs } }),
  };
  // The HV_BENCH_REF checkout in the same mode: a change's before/after per mode in one run.
  DUTS[`hvswitch-ref-${mode}`] = {
    ...DUTS['hvswitch-ref'],
    describe: `hvswitchd built from HV_BENCH_REF, workers in polling mode ${mode}`,
    start: (ctx) => DUTS['hvswitch-ref'].start({ ...ctx, polling: { mode, 'budget-us': ctx.opts.budgetUs } }),
  };
}

/** A private OVS in namespace `ns`: own database, rundir (`rd`) and logs, no
 * systemd, no kernel module (the netdev datapath opens the ports with
 * AF_PACKET, or TAP); ovs-vswitchd pinned to the DUT CPU.  Returns its pids,
 * `vsctl`, `appctl`, `ofctl` and `stop`. */
async function launchOvs({ ns, rd, opts }) {
  mkdirSync(rd, { recursive: true });
  const env = { ...process.env, OVS_RUNDIR: rd, OVS_DBDIR: rd, OVS_LOGDIR: rd, OVS_SYSCONFDIR: rd, OVS_PKGDATADIR: '/usr/share/openvswitch' };
  const db = path.join(rd, 'conf.db');
  const sock = `unix:${path.join(rd, 'db.sock')}`;
  run('ovsdb-tool', ['create', db, '/usr/share/openvswitch/vswitch.ovsschema'], { env });
  const log = openSync(path.join(rd, 'console.log'), 'a');
  const ovsdb = start('ip', ['netns', 'exec', ns, 'ovsdb-server', db, `--remote=p${sock}`,
    `--pidfile=${rd}/ovsdb-server.pid`, `--unixctl=${rd}/ovsdb-server.ctl`, `--log-file=${rd}/ovsdb-server.log`], { env, log });
  const vsctl = (...a) => nsRun(ns, 'ovs-vsctl', [`--db=${sock}`, '--timeout=10', ...a], { env });
  for (let i = 0; i < 50 && !existsSync(path.join(rd, 'db.sock')); i++) await sleep(100);
  vsctl('--no-wait', 'init');
  vsctl('--no-wait', 'set', 'Open_vSwitch', '.', 'other_config:userspace-tso-enable=true');
  const vswitchd = start('ip', ['netns', 'exec', ns, 'taskset', '-c', String(opts.dutCpu), 'ovs-vswitchd', sock,
    `--pidfile=${rd}/ovs-vswitchd.pid`, `--unixctl=${rd}/ovs-vswitchd.ctl`, `--log-file=${rd}/ovs-vswitchd.log`], { env, log });
  return {
    pids: [vswitchd.pid, ovsdb.pid],
    vsctl,
    appctl: (...a) => nsRun(ns, 'ovs-appctl', [`--target=${rd}/ovs-vswitchd.ctl`, ...a], { env, timeout: 60000 }),
    ofctl: (a, o = {}) => nsRun(ns, 'ovs-ofctl', a, { env, ...o }),
    stop: async () => { await stop(vswitchd); await stop(ovsdb); },
  };
}

const ovsFdbEntries = (o, br) => o.appctl('fdb/show', br).split('\n').filter((l) => /^\s*\d+\s+\d+\s+[0-9a-f:]{17}/.test(l)).length;

async function startOvs({ topo, scen, dir, opts }) {
  const o = await launchOvs({ ns: topo.sw, rd: path.join(dir, 'ovs'), opts });
  try {
    const cmds = ['add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath_type=netdev',
      `other_config:mac-table-size=${fdbSize(scen)}`];
    topo.ports.forEach((p, i) => {
      cmds.push('--', 'add-port', 'br0', p, '--', 'set', 'interface', p, `ofport_request=${i + 1}`);
      if (topo.link === 'tap') cmds.push('--', 'set', 'interface', p, 'type=tap');
      if (!scen.l3) cmds.push('--', 'set', 'port', p, scen.vlan ? `trunks=${scen.trunkVlans.join(',')}` : 'tag=1');
    });
    o.vsctl(...cmds);
    if (topo.link === 'veth') for (const p of topo.ports) ipBatch([`link set ${p} up`], topo.sw);
    if (scen.l3) {
      const f = path.join(dir, 'flows.txt');
      writeFileSync(f, ovsRouterFlows(topo, scen));
      o.ofctl(['del-flows', 'br0']);
      o.ofctl(['add-flows', 'br0', f], { timeout: 900000 });
      rmSync(f);
    }
  } catch (e) {
    await o.stop();
    throw e;
  }
  const tables = () => {
    if (scen.l3) {
      const agg = o.ofctl(['dump-aggregate', 'br0'], { timeout: 60000 });
      return { fib_routes: Number(/flow_count=(\d+)/.exec(agg)?.[1] ?? NaN) };
    }
    return { fdb_entries: ovsFdbEntries(o, 'br0') };
  };
  return { pids: o.pids, stop: o.stop, tables };
}

/** vxlan, OVS: per hypervisor its own OVS (both pinned to the DUT CPU, pids
 * summed), with OVS's native (userspace) tunnelling as its documentation sets
 * it up: br-int holds the host port and a vxlan port (key 10010, remote = the
 * other VTEP); br-phy holds the underlay veth, and its internal interface
 * carries the VTEP address (moved off ul0), so that OVS's route table (from
 * the kernel's) sends the outer packets out of br-phy; the neighbor is set with
 * tnl/arp/set (each br-phy takes its ul0's MAC, known to both sides).
 * TCP does not get through OVS 3.1: it drops every frame with offload flags
 * at the tunnel ("Tunneling packets with HW offload flags is not supported"),
 * and with userspace TSO off the hosts' partial checksums are never completed. */
async function startOvsVxlan({ topo, scen, dir, opts }) {
  const vtep = [UNDERLAY.a, UNDERLAY.b];
  const ulMac = topo.hv.map((ns) => JSON.parse(run('ip', ['-n', ns, '-j', 'link', 'show', 'dev', UNDERLAY.dev]))[0].address);
  const o = [];
  const stopAll = async () => { for (const x of o.reverse()) await x.stop(); };
  try {
    for (const [i, ns] of topo.hv.entries()) {
      const x = await launchOvs({ ns, rd: path.join(dir, `ovs-${'ab'[i]}`), opts });
      o.push(x);
      const host = i ? 'sw1' : 'sw0';
      x.vsctl('add-br', 'br-int', '--', 'set', 'bridge', 'br-int', 'datapath_type=netdev', `other_config:mac-table-size=${fdbSize(scen)}`,
        '--', 'add-port', 'br-int', host,
        '--', 'add-port', 'br-int', 'vx0', '--', 'set', 'interface', 'vx0', 'type=vxlan',
        `options:remote_ip=${vtep[1 - i]}`, `options:local_ip=${vtep[i]}`, `options:key=${scen.vxlan.vni}`,
        '--', 'add-br', 'br-phy', '--', 'set', 'bridge', 'br-phy', 'datapath_type=netdev', `other_config:hwaddr=${ulMac[i]}`,
        '--', 'add-port', 'br-phy', UNDERLAY.dev);
      ipBatch([`addr flush dev ${UNDERLAY.dev}`, `addr add ${vtep[i]}/${UNDERLAY.plen} dev br-phy`, 'link set br-phy up', 'link set br-int up'], ns);
      x.appctl('tnl/arp/set', 'br-phy', vtep[1 - i], ulMac[1 - i]);
    }
  } catch (e) {
    await stopAll();
    throw e;
  }
  // per side after every test: the datapath flows and OVS's event counters (upcalls, tunnel drops)
  const afterTest = (tag) => o.forEach((x, i) => writeFileSync(path.join(dir, `ovs-${'ab'[i]}-${tag}.txt`),
    `## dpctl/dump-flows\n${x.appctl('dpctl/dump-flows')}\n## coverage/show\n${x.appctl('coverage/show')}`));
  const tables = () => ({ fdb_entries: o.reduce((n, x) => n + ovsFdbEntries(x, 'br-int'), 0) });
  return { pids: o.flatMap((x) => x.pids), stop: stopAll, tables, afterTest };
}

/** vxlan, Linux: per hypervisor a bridge of the host port and a kernel VXLAN
 * device (VNI 10010, UDP 4789, on the underlay, `remote` = the other VTEP: its
 * all-zeros FDB entry sends every frame there; `nolearning`: one remote, nothing
 * to learn).  The bridge learns the far host's MAC behind vx0. */
function startLinuxVxlan({ topo, scen }) {
  const vtep = [UNDERLAY.a, UNDERLAY.b];
  topo.hv.forEach((ns, i) => ipBatch([
    `link add vx0 type vxlan id ${scen.vxlan.vni} local ${vtep[i]} remote ${vtep[1 - i]} dev ${UNDERLAY.dev} dstport 4789 nolearning`,
    'link add br0 type bridge',
    `link set ${i ? 'sw1' : 'sw0'} master br0`,
    'link set vx0 master br0',
    'link set vx0 up',
    'link set br0 up',
  ], ns));
  const fdbEntries = (ns) => (run('bridge', ['-n', ns, 'fdb', 'show', 'br', 'br0'], { timeout: 60000 }) ?? '')
    .split('\n').filter((l) => l && !/permanent/.test(l)).length;
  return { pids: [], stop: async () => {}, tables: () => ({ fdb_entries: topo.hv.reduce((n, ns) => n + fdbEntries(ns), 0) }) };
}

/** Two hypervisors, plain L2, Linux: per hypervisor a bridge of the host port and the link. */
function startLinuxTwoHv({ topo }) {
  topo.hv.forEach((ns, i) => ipBatch([
    'link add br0 type bridge', `link set ${i ? 'sw1' : 'sw0'} master br0`, `link set ${UNDERLAY.dev} master br0`, 'link set br0 up',
  ], ns));
  const fdbEntries = (ns) => (run('bridge', ['-n', ns, 'fdb', 'show', 'br', 'br0'], { timeout: 60000 }) ?? '')
    .split('\n').filter((l) => l && !/permanent/.test(l)).length;
  return { pids: [], stop: async () => {}, tables: () => ({ fdb_entries: topo.hv.reduce((n, ns) => n + fdbEntries(ns), 0) }) };
}

/** Two hypervisors, plain L2, OVS: one per hypervisor (pinned to the DUT CPU, pids summed), br0 with the host port and the link. */
async function startOvsTwoHv({ topo, scen, dir, opts }) {
  const o = [];
  const stopAll = async () => { for (const x of o.reverse()) await x.stop(); };
  try {
    for (const [i, ns] of topo.hv.entries()) {
      const x = await launchOvs({ ns, rd: path.join(dir, `ovs-${'ab'[i]}`), opts });
      o.push(x);
      x.vsctl('add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath_type=netdev', `other_config:mac-table-size=${fdbSize(scen)}`,
        '--', 'add-port', 'br0', i ? 'sw1' : 'sw0', '--', 'set', 'port', i ? 'sw1' : 'sw0', 'tag=1',
        '--', 'add-port', 'br0', UNDERLAY.dev, '--', 'set', 'port', UNDERLAY.dev, 'tag=1');
    }
  } catch (e) {
    await stopAll();
    throw e;
  }
  return { pids: o.flatMap((x) => x.pids), stop: stopAll, tables: () => ({ fdb_entries: o.reduce((n, x) => n + ovsFdbEntries(x, 'br0'), 0) }) };
}

/** hvswitchd's config for one switch with the scenario's two ports (bridged, or routed in a VRF). */
function hvswitchConfig({ topo, scen, dir, polling, backend: interfaceBackend = 'af-packet' }) {
  const dataplane = polling ? { dataplane: { polling } } : {};
  const backend = topo.link === 'tap' ? 'tap' : interfaceBackend;
  if (scen.l3) {
    // JSON: a config with a million routes parses in ~1 s (YAML: ~40 s)
    const cfg = path.join(dir, 'hvswitchd.json');
    const port = (gw) => ({ backend, mode: 'routed', vrf: 'bench', addresses: [`${gw}/${L3.plen}`] });
    writeFileSync(cfg, JSON.stringify({
      version: 1, workers: 1, 'log-level': 'warn', ...dataplane,
      vrfs: { bench: { routes: routePrefixes(scen).map((p) => ({ to: p, via: L3.dst.host })) } },
      ports: { [topo.ports[0]]: port(L3.src.gw), [topo.ports[1]]: port(L3.dst.gw) },
    }));
    return cfg;
  }
  const vlanCfg = scen.vlan
    ? `mode: trunk, allowed-vlans: [${scen.trunkVlans.join(', ')}]`
    : 'mode: access, vlan: 1';
  const cfg = path.join(dir, 'hvswitchd.yaml');
  writeFileSync(cfg, [
    'version: 1',
    'workers: 1',
    'log-level: warn',
    ...(polling ? [`dataplane: ${JSON.stringify(dataplane.dataplane)}`] : []),
    `fdb: {aging: 300, mac-limit: ${fdbSize(scen)}}`,
    `bridges: {br0: {max-macs: ${fdbSize(scen)}}}`,
    'ports:',
    ...topo.ports.map((p) => `  ${p}: {backend: ${backend}, bridge: br0, ${vlanCfg}}`),
    '',
  ].join('\n'));
  return cfg;
}

/** Starts hvswitchd in `ns`, pinned to the DUT CPU, and waits for its API (the
 * config, all its routes, applied before it listens).  `name` names its log. */
export async function launchHvswitchd({ ns, cfg, dir, name, opts, root }) {
  const log = openSync(path.join(dir, `${name}.log`), 'a');
  const sockDir = mkdtempSync(path.join(os.tmpdir(), 'hvb-')); // unix socket paths are short
  const sock = path.join(sockDir, 'api.sock');
  const proc = start('ip', ['netns', 'exec', ns, 'taskset', '-c', String(opts.dutCpu),
    process.execPath, path.join(root, 'dist/src/daemon/main.js'),
    '--config', cfg, '--socket', sock, '--log-level', 'warn'], { log });
  const cliArgs = (a) => [path.join(root, 'dist/src/cli/main.js'), '--socket', sock, ...a];
  const cli = (...a) => run(process.execPath, cliArgs(a), { timeout: 60000 });
  const stopIt = async () => { await stop(proc); rmSync(sockDir, { recursive: true, force: true }); };
  for (const t0 = Date.now(); ;) {
    if (run(process.execPath, cliArgs(['vrf', 'list', '-q']), { allowFail: true, timeout: 10000 }) !== null) break;
    const gone = await Promise.race([proc.done, sleep(200).then(() => null)]);
    if (gone || Date.now() - t0 > 300000) {
      await stopIt();
      throw new Error(`${name} ${gone ? `exited (code ${gone.code})` : 'not answering after 300 s'}; see ${dir}/${name}.log`);
    }
  }
  return { pid: proc.pid, cli, stop: stopIt };
}

async function startHvswitch({ topo, scen, dir, opts, root, polling, backend }) {
  const cfg = hvswitchConfig({ topo, scen, dir, polling, backend });
  const d = await launchHvswitchd({ ns: topo.sw, cfg, dir, name: 'hvswitchd', opts, root });
  // the switch's own counters after every test (drops by reason, per port)
  const afterTest = (tag) => writeFileSync(path.join(dir, `stats-${tag}.json`), d.cli('stats', '--json'));
  const tables = () => {
    if (scen.l3) return { fib_routes: JSON.parse(d.cli('vrf', 'list', '--json')).find((v) => v.name === 'bench')?.routes ?? null };
    return { fdb_entries: JSON.parse(d.cli('bridge', 'list', '--json'))[0]?.macs ?? null };
  };
  return { pids: [d.pid], stop: d.stop, tables, afterTest };
}

/** vxlan: hypervisor A's or B's config: the host port in VLAN 1 of br0, VLAN 1
 * stretched as VNI 10010 (EVPN), the VTEP on the underlay address, and an iBGP
 * session (l2vpn-evpn) straight to the other hypervisor: A connects, B listens. */
function hvswitchVxlanConfig({ scen, dir, side, polling }) {
  const [me, peer, port] = side === 'a' ? [UNDERLAY.a, UNDERLAY.b, 'sw0'] : [UNDERLAY.b, UNDERLAY.a, 'sw1'];
  const cfg = path.join(dir, `hvswitchd-${side}.json`);
  writeFileSync(cfg, JSON.stringify({
    version: 1, workers: 1, 'log-level': 'warn', ...(polling ? { dataplane: { polling } } : {}),
    fdb: { aging: 300, 'mac-limit': fdbSize(scen) },
    vtep: { address: me, mtu: UNDERLAY.mtu },
    bridges: { br0: { 'max-macs': fdbSize(scen), evpn: [{ vlan: 1, vni: scen.vxlan.vni }] } },
    ports: { [port]: { backend: 'af-packet', bridge: 'br0', mode: 'access', vlan: 1 } },
    bgp: {
      global: { as: 65000, 'router-id': me, 'listen-port': side === 'a' ? 0 : 179 },
      neighbors: [{
        'neighbor-address': peer, 'peer-as': 65000, 'afi-safis': ['l2vpn-evpn'], 'local-address': me,
        passive: side === 'b', timers: { 'connect-retry': 1, 'idle-hold-time': 1 },
      }],
    },
  }, null, 1));
  return cfg;
}

/** vxlan: one hvswitchd per hypervisor, both pinned to the DUT CPU (encap + decap
 * share one core, as one switch does in the other scenarios); `pids` has both, so
 * DUT CPU is the sum of the two.  `primed` waits until each side's FDB has the
 * far host's MAC as a remote entry (from the other's type-2 route). */
async function startHvswitchVxlan({ topo, scen, dir, opts, root, polling }) {
  const d = [];
  const stopAll = async () => { for (const x of d.reverse()) await x.stop(); };
  try {
    for (const [i, side] of ['a', 'b'].entries()) {
      const cfg = hvswitchVxlanConfig({ scen, dir, side, polling });
      d.push(await launchHvswitchd({ ns: topo.hv[i], cfg, dir, name: `hvswitchd-${side}`, opts, root }));
    }
  } catch (e) {
    await stopAll();
    throw e;
  }
  const [a, b] = d;
  const remote = (x, mac) => JSON.parse(x.cli('fdb', 'show', '--json')).some((e) => e.kind === 'remote' && e.mac === mac);
  const primed = async ({ topo: t, timeoutMs = 20000 }) => {
    const t0 = Date.now();
    while (!(remote(a, t.dstMac) && remote(b, t.srcMac))) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`remote MACs not in the FDBs after ${timeoutMs / 1000}s (EVPN type-2 routes): see ${dir}/hvswitchd-*.log`);
      await sleep(100);
    }
    return (Date.now() - t0) / 1000;
  };
  // the host ports' counters, and the underlay's (encap, decap, drops by reason) where the daemon lists it
  const afterTest = (tag) => {
    for (const [x, side] of [[a, 'a'], [b, 'b']]) {
      writeFileSync(path.join(dir, `stats-${side}-${tag}.json`), x.cli('stats', '--json'));
      let u;
      try { u = x.cli('stats', 'vxlan-underlay', '--json'); } catch (e) { u = JSON.stringify({ unavailable: e.message }); }
      writeFileSync(path.join(dir, `stats-${side}-underlay-${tag}.json`), u);
    }
  };
  const macs = (x) => JSON.parse(x.cli('bridge', 'list', '--json'))[0]?.macs ?? 0;
  return { pids: [a.pid, b.pid], stop: stopAll, primed, afterTest, tables: () => ({ fdb_entries: macs(a) + macs(b) }) };
}

/** Two hypervisors, plain L2, hvswitch: one hvswitchd per hypervisor (both
 * pinned to the DUT CPU, pids summed), its host port and the link as access
 * ports of VLAN 1 of br0: the vxlan scenario's hypervisors without the tunnel. */
async function startHvswitchTwoHv({ topo, scen, dir, opts, root }) {
  const d = [];
  const stopAll = async () => { for (const x of d.reverse()) await x.stop(); };
  try {
    for (const [i, side] of ['a', 'b'].entries()) {
      const cfg = path.join(dir, `hvswitchd-${side}.json`);
      const access = { backend: 'af-packet', bridge: 'br0', mode: 'access', vlan: 1 };
      writeFileSync(cfg, JSON.stringify({
        version: 1, workers: 1, 'log-level': 'warn',
        fdb: { aging: 300, 'mac-limit': fdbSize(scen) },
        bridges: { br0: { 'max-macs': fdbSize(scen) } },
        ports: { [i ? 'sw1' : 'sw0']: access, [UNDERLAY.dev]: access },
      }, null, 1));
      d.push(await launchHvswitchd({ ns: topo.hv[i], cfg, dir, name: `hvswitchd-${side}`, opts, root }));
    }
  } catch (e) {
    await stopAll();
    throw e;
  }
  const afterTest = (tag) => d.forEach((x, i) => writeFileSync(path.join(dir, `stats-${'ab'[i]}-${tag}.json`), x.cli('stats', '--json')));
  const macs = (x) => JSON.parse(x.cli('bridge', 'list', '--json'))[0]?.macs ?? 0;
  return { pids: d.map((x) => x.pid), stop: stopAll, afterTest, tables: () => ({ fdb_entries: d.reduce((n, x) => n + macs(x), 0) }) };
}

/** OpenFlow rules that make OVS the hosts' router (ports 1 = sw0, 2 = sw1):
 * answer ARP for the gateway addresses with the port's MAC; a /32 per host and
 * a rule per route rewrite the MACs, decrement the TTL and send the frame out. */
function ovsRouterFlows(topo, scen) {
  const hex = (s, sep) => `0x${s.split(sep).map((x) => Number(x).toString(16).padStart(2, '0')).join('')}`;
  const macHex = (m) => `0x${m.replace(/:/g, '')}`;
  // router MACs of their own, as OVN's logical routers have (and hvswitch's
  // routed ports): frames to the interface's own MAC would also climb the switch
  // namespace's IP stack; OVS's ports are promiscuous
  const side = [
    { port: 1, gw: L3.src.gw, gwMac: '02:00:5e:00:fe:01', host: L3.src.host, hostMac: topo.mac('src') },
    { port: 2, gw: L3.dst.gw, gwMac: '02:00:5e:00:fe:02', host: L3.dst.host, hostMac: topo.mac('dst') },
  ];
  const lines = [];
  for (const s of side) {
    lines.push(`priority=1000,arp,in_port=${s.port},arp_op=1,arp_tpa=${s.gw},actions=` +
      `move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:${s.gwMac},load:0x2->NXM_OF_ARP_OP[],` +
      `move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],` +
      `load:${macHex(s.gwMac)}->NXM_NX_ARP_SHA[],load:${hex(s.gw, '.')}->NXM_OF_ARP_SPA[],in_port`);
    lines.push(`priority=32,ip,nw_dst=${s.host},actions=mod_dl_src:${s.gwMac},mod_dl_dst:${s.hostMac},dec_ttl,output:${s.port}`);
  }
  const to = side[1];
  const act = `actions=mod_dl_src:${to.gwMac},mod_dl_dst:${to.hostMac},dec_ttl,output:${to.port}`;
  for (const p of routePrefixes(scen)) lines.push(`priority=${p.split('/')[1]},ip,nw_dst=${p},${act}`);
  return lines.join('\n') + '\n';
}

/** Availability of every requested device, with the reason when it cannot run. */
export function checkDuts(names, ctx) {
  return names.map((name) => {
    // hvswitch-adaptive-<N>: the adaptive mode with a budget of N µs (several budgets in one run)
    const budget = /^hvswitch-adaptive-(\d+)$/.exec(name);
    if (budget && !DUTS[name])
      DUTS[name] = { ...DUTS['hvswitch-adaptive'], describe: `hvswitchd, workers in polling mode adaptive, budget ${budget[1]} µs`,
        start: (c) => DUTS.hvswitch.start({ ...c, polling: { mode: 'adaptive', 'budget-us': Number(budget[1]) } }) };
    // hvswitch-adaptive-grow-<M>[-nap-<N>]: adaptive (--budget-us), the budget growing up to M µs
    // while wake-ups find traffic, the part past --budget-us napped in N µs sleeps (polling.h);
    // hvswitch-ref-… the same from HV_BENCH_REF, hvswitch-xdp-… on AF_XDP ports
    const grow = /^hvswitch(-ref|-xdp)?-adaptive-grow-(\d+)(?:-nap-(\d+))?$/.exec(name);
    if (grow && !DUTS[name]) {
      const base = grow[1] === '-ref' ? DUTS['hvswitch-ref-adaptive'] : grow[1] === '-xdp' ? DUTS['hvswitch-xdp-adaptive'] : DUTS['hvswitch-adaptive'];
      const start = grow[1] === '-ref' ? DUTS['hvswitch-ref'].start : grow[1] === '-xdp' ? DUTS['hvswitch-xdp'].start : DUTS.hvswitch.start;
      DUTS[name] = { ...base, describe: `hvswitchd, adaptive, budget growing up to ${grow[2]} µs${grow[3] ? `, naps of ${grow[3]} µs` : ''}`,
        start: (c) => start({ ...c, polling: { mode: 'adaptive', 'budget-us': c.opts.budgetUs, 'budget-max-us': Number(grow[2]),
          'nap-us': Number(grow[3] ?? 0) } }) };
    }
    const d = DUTS[name];
    if (!d) return { name, ok: false, reason: `unknown device (known: ${Object.keys(DUTS).join(', ')})` };
    return { name, ...d.available(ctx) };
  });
}
