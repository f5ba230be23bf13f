// Devices under test: one table row per device.  Each row says what it is, whether
// it can run on this machine (and why not), whether it has a TAP variant, and how
// to start it in the switch namespace of a topology whose ports exist (veth) or
// that it must create (tap).  `start` returns the pids whose CPU is the device's,
// a `stop`, and `fdbEntries` (MACs in its table now: checks that a many-MACs
// scenario really filled the table).  A userspace device is pinned to the DUT CPU with taskset.
//
// Wiring the same way everywhere: two ports in one L2 domain; access ports in
// VLAN 1 (OVS: tag=1, hvswitch: access vlan 1; the Linux bridge has no VLANs);
// for a trunk scenario both ports are trunks carrying the scenario's VLANs
// (OVS: trunks=..., hvswitch: mode trunk; the Linux bridge forwards tagged frames
// without looking at the tag: noted in the report).  MAC tables are sized for the
// scenario (OVS defaults to 2048 MACs, hvswitch to 4096 per port).
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ipBatch, nsRun, run, sleep, start, stop } from './sys.mjs';

const has = (cmd) => run('sh', ['-c', `command -v ${cmd}`], { allowFail: true }) !== null;

function fdbSize(scen) {
  return Math.max(4096, 2 * (scen.macs ?? 1));
}

export const DUTS = {
  'linux-bridge': {
    describe: 'Linux bridge (kernel), bridge-nf-call-* off, no VLAN filtering',
    kernel: true, // no process of its own: its work runs in softirq on the sending CPU
    tap: false,
    available: () => ({ ok: true }),
    async start({ topo }) {
      ipBatch([
        'link add br0 type bridge',
        ...topo.ports.map((p) => `link set ${p} master br0`),
        'link set br0 up',
      ], topo.sw);
      const fdbEntries = () => (run('bridge', ['-n', topo.sw, 'fdb', 'show', 'br', 'br0'], { timeout: 60000 }) ?? '')
        .split('\n').filter((l) => l && !/permanent/.test(l)).length;
      return { pids: [], stop: async () => {}, fdbEntries };
    },
  },

  hvswitch: {
    describe: 'hvswitchd (this repository), 1 worker, AF_PACKET (TPACKET_V3 rx, sendmmsg tx) or TAP ports',
    tap: true,
    available({ root }) {
      const main = path.join(root, 'dist/src/daemon/main.js');
      const addon = path.join(root, 'build/addon/Release/hvswitch.node');
      if (!existsSync(main)) return { ok: false, reason: `${main} missing (npm run build)` };
      if (!existsSync(addon)) return { ok: false, reason: `${addon} missing (npm run build:native)` };
      return { ok: true };
    },
    async start({ topo, scen, dir, opts, root }) {
      const backend = topo.link === 'tap' ? 'tap' : 'af-packet';
      const vlanCfg = scen.vlan
        ? `mode: trunk, allowed-vlans: [${scen.trunkVlans.join(', ')}]`
        : 'mode: access, vlan: 1';
      const cfg = path.join(dir, 'hvswitchd.yaml');
      writeFileSync(cfg, [
        'version: 1',
        'workers: 1',
        'log-level: warn',
        `fdb: {aging: 300, mac-limit: ${fdbSize(scen)}}`,
        `bridges: {br0: {max-macs: ${fdbSize(scen)}}}`,
        'ports:',
        ...topo.ports.map((p) => `  ${p}: {backend: ${backend}, bridge: br0, ${vlanCfg}}`),
        '',
      ].join('\n'));
      const log = openSync(path.join(dir, 'hvswitchd.log'), 'a');
      const sockDir = mkdtempSync(path.join(os.tmpdir(), 'hvb-')); // unix socket paths are short
      const sock = path.join(sockDir, 'api.sock');
      const proc = start('ip', ['netns', 'exec', topo.sw, 'taskset', '-c', String(opts.dutCpu),
        process.execPath, path.join(root, 'dist/src/daemon/main.js'),
        '--config', cfg, '--socket', sock, '--log-level', 'warn'], { log });
      const early = await Promise.race([proc.done, sleep(300).then(() => null)]);
      if (early) {
        rmSync(sockDir, { recursive: true, force: true });
        throw new Error(`hvswitchd exited at start (code ${early.code}); see ${dir}/hvswitchd.log`);
      }
      const cli = (...a) => run(process.execPath, [path.join(root, 'dist/src/cli/main.js'), '--socket', sock, ...a], { timeout: 60000 });
      const fdbEntries = (tag) => {
        writeFileSync(path.join(dir, `stats-${tag}.json`), cli('stats', '--json'));
        return JSON.parse(cli('bridge', 'list', '--json'))[0]?.macs ?? null;
      };
      const stopAll = async () => { await stop(proc); rmSync(sockDir, { recursive: true, force: true }); };
      return { pids: [proc.pid], stop: stopAll, fdbEntries };
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
    async start({ topo, scen, dir, opts }) {
      // A private OVS in the switch namespace: own database, rundir and logs, no systemd,
      // no kernel module (the netdev datapath opens the ports with AF_PACKET, or TAP).
      const rd = path.join(dir, 'ovs');
      mkdirSync(rd, { recursive: true });
      const env = { ...process.env, OVS_RUNDIR: rd, OVS_DBDIR: rd, OVS_LOGDIR: rd, OVS_SYSCONFDIR: rd, OVS_PKGDATADIR: '/usr/share/openvswitch' };
      const db = path.join(rd, 'conf.db');
      const sock = `unix:${path.join(rd, 'db.sock')}`;
      run('ovsdb-tool', ['create', db, '/usr/share/openvswitch/vswitch.ovsschema'], { env });
      const log = openSync(path.join(rd, 'console.log'), 'a');
      const ovsdb = start('ip', ['netns', 'exec', topo.sw, 'ovsdb-server', db, `--remote=p${sock}`,
        `--pidfile=${rd}/ovsdb-server.pid`, `--unixctl=${rd}/ovsdb-server.ctl`, `--log-file=${rd}/ovsdb-server.log`], { env, log });
      const vsctl = (...a) => nsRun(topo.sw, 'ovs-vsctl', [`--db=${sock}`, '--timeout=10', ...a], { env });
      for (let i = 0; i < 50 && !existsSync(path.join(rd, 'db.sock')); i++) await sleep(100);
      vsctl('--no-wait', 'init');
      vsctl('--no-wait', 'set', 'Open_vSwitch', '.', 'other_config:userspace-tso-enable=true');
      const vswitchd = start('ip', ['netns', 'exec', topo.sw, 'taskset', '-c', String(opts.dutCpu), 'ovs-vswitchd', sock,
        `--pidfile=${rd}/ovs-vswitchd.pid`, `--unixctl=${rd}/ovs-vswitchd.ctl`, `--log-file=${rd}/ovs-vswitchd.log`], { env, log });
      const stopAll = async () => { await stop(vswitchd); await stop(ovsdb); };
      try {
        const cmds = ['add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath_type=netdev',
          `other_config:mac-table-size=${fdbSize(scen)}`];
        for (const p of topo.ports) {
          cmds.push('--', 'add-port', 'br0', p);
          if (topo.link === 'tap') cmds.push('--', 'set', 'interface', p, 'type=tap');
          cmds.push('--', 'set', 'port', p, scen.vlan ? `trunks=${scen.trunkVlans.join(',')}` : 'tag=1');
        }
        vsctl(...cmds);
        if (topo.link === 'veth') for (const p of topo.ports) ipBatch([`link set ${p} up`], topo.sw);
      } catch (e) {
        await stopAll();
        throw e;
      }
      const fdbEntries = () => nsRun(topo.sw, 'ovs-appctl', [`--target=${rd}/ovs-vswitchd.ctl`, 'fdb/show', 'br0'],
        { env, timeout: 60000 }).split('\n').filter((l) => /^\s*\d+\s+\d+\s+[0-9a-f:]{17}/.test(l)).length;
      return { pids: [vswitchd.pid, ovsdb.pid], stop: stopAll, fdbEntries };
    },
  },
};

/** Availability of every requested device, with the reason when it cannot run. */
export function checkDuts(names, ctx) {
  return names.map((name) => {
    const d = DUTS[name];
    if (!d) return { name, ok: false, reason: `unknown device (known: ${Object.keys(DUTS).join(', ')})` };
    return { name, ...d.available(ctx) };
  });
}
