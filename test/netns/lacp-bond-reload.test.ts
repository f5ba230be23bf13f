// Reloads that change a bond while traffic flows, on real ports: hvswitchd in
// namespace `sw` with an af-packet bond (two members, three possible) against
// Open vSwitch's userspace LACP bond (balance-tcp, fast) in `peer`, a server
// behind OVS (10.0.0.2), a VM (10.0.0.1) sending a 500/s ping and UDP to 64
// ports; then reloads, each a random mix (fixed seed; SEED= and N= change
// them) of: a member removed, one added, one reopened (MTU, port priority),
// new LACP rate or key, another hash, the bridge resized (bridge and bond
// rebuilt), the bond moved to another bridge. Checked: the daemon survives
// every reload (it once died of SIGSEGV here: a worker that slept through
// view commits walked a freed view's poll list, docs/lacp.md), and back on
// the first config the bond negotiates and the ping is answered.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { netnsGate, ping, Topology, until, type Daemon } from './helpers/netns.js';

const gate = netnsGate();

interface Raw { bridges: Record<string, object>; ports: Record<string, object>; bonds: { bond0: { bridge: string; hash: string; members: Record<string, object>; lacp: Record<string, unknown> } } }

describe.skipIf(gate.skip)(`bond reloads under traffic${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  let sw: string, peer: string, vm: string;
  let d: Daemon;
  const m = [topo.name('m1'), topo.name('m2'), topo.name('m3')];
  const p = [topo.name('p1'), topo.name('p2'), topo.name('p3')];
  const pv = topo.name('pv');
  const variants: Array<(c: Raw) => void> = [
    () => {},
    (c) => { delete c.bonds.bond0.members[m[1]!]; },
    (c) => { c.bonds.bond0.members[m[2]!] = {}; },
    (c) => { c.bonds.bond0.members[m[0]!] = { mtu: 1400 }; },
    (c) => { c.bonds.bond0.lacp.rate = 'slow'; },
    (c) => { c.bonds.bond0.hash = 'l2'; },
    (c) => { c.bridges.br0 = { 'max-macs': 1000 }; },
    (c) => { c.bridges.br1 = {}; c.bonds.bond0.bridge = 'br1'; },
    (c) => { c.bonds.bond0.lacp.key = 2; },
    (c) => { c.bonds.bond0.members[m[1]!] = { 'port-priority': 5 }; },
  ];
  function config(k: number): object {
    const c: Raw = {
      bridges: { br0: {} },
      ports: { [pv]: { backend: 'af-packet', bridge: 'br0', vlan: 1 } },
      bonds: { bond0: { bridge: 'br0', hash: 'l3l4', members: { [m[0]!]: {}, [m[1]!]: {} }, lacp: { rate: 'fast' } } },
    };
    for (let i = 0; i < variants.length; i++) if (k & (1 << i)) variants[i]!(c);
    return c;
  }
  beforeAll(async () => {
    sw = await topo.ns('sw'); peer = await topo.ns('peer'); vm = await topo.ns('vm');
    for (let i = 0; i < 3; i++) await topo.veth(sw, m[i]!, peer, p[i]!);
    const run = topo.tmp, ctl = `${run}/vswitchd.ctl`;
    const vsctl = (...a: string[]) => topo.exec(peer, ['ovs-vsctl', `--db=unix:${run}/db.sock`, ...a]);
    await topo.exec(peer, ['ovsdb-tool', 'create', `${run}/conf.db`, '/usr/share/openvswitch/vswitch.ovsschema']);
    const env = ['env', `OVS_RUNDIR=${run}`, `OVS_DBDIR=${run}`, `OVS_LOGDIR=${run}`];
    topo.spawnIn(peer, [...env, 'ovsdb-server', `${run}/conf.db`, `--remote=punix:${run}/db.sock`, `--pidfile=${run}/ovsdb.pid`, `--unixctl=${run}/ovsdb.ctl`]);
    await until('ovsdb', async () => (await vsctl('--no-wait', 'init').catch(() => ({ code: 1 }))).code === 0);
    topo.spawnIn(peer, [...env, 'ovs-vswitchd', `unix:${run}/db.sock`, `--pidfile=${run}/vswitchd.pid`, `--unixctl=${ctl}`, `--log-file=${run}/vswitchd.log`]);
    await vsctl('add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath_type=netdev');
    await vsctl('add-bond', 'br0', 'bond0', p[0]!, p[1]!, p[2]!, 'lacp=active', 'other_config:lacp-time=fast', 'bond_mode=balance-tcp');
    const srv = await topo.ns('srv');
    await topo.veth(peer, topo.name('ps'), srv, topo.name('sv'), '10.0.0.2/24');
    await vsctl('add-port', 'br0', topo.name('ps'));
    await topo.veth(sw, pv, vm, topo.name('ve'), '10.0.0.1/24');
    d = await topo.daemon(sw, config(0));
  }, 60_000);
  afterAll(async () => {
    if (d && d.proc.exitCode !== null) console.log(`hvswitchd exited early (${d.proc.exitCode}):\n${d.output.slice(-4000)}`);
    if (d) await d.stop();
    await topo.destroy();
  });

  it('survives reloads under traffic', async () => {
    await until('ping', async () => (await topo.exec(vm, ['ping', '-c', '1', '-W', '1', '10.0.0.2'], { allowFail: true })).code === 0, 30_000);
    const flood = topo.spawnIn(vm, ['ping', '-i', '0.002', '-w', '400', '10.0.0.2']);
    const udp = topo.spawnIn(vm, ['sh', '-c', 'while true; do for p in $(seq 2000 2063); do echo x > /dev/udp/10.0.0.2/$p; done; done']);
    let seed = Number(process.env.SEED ?? 7);
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let n = 0; n < Number(process.env.N ?? 60); n++) {
      const k = rnd() & ((1 << variants.length) - 1);
      writeFileSync(d.configPath, stringify(config(k)));
      const r = await d.cli(['daemon', 'reload'], { allowFail: true });
      if (d.proc.exitCode !== null || d.proc.signalCode !== null) {
        console.log(`DIED at reload ${n} variant ${k} (exit ${d.proc.exitCode} sig ${d.proc.signalCode}) cli: ${r.stdout} ${r.stderr}\n${d.output.slice(-6000)}`);
        throw new Error('died');
      }
      if (r.code !== 0) console.log(`reload ${n} k=${k} refused: ${r.stderr}`);
    }
    flood.kill('SIGINT'); udp.kill();
    expect(d.proc.exitCode).toBe(null);
    expect(d.proc.signalCode).toBe(null);
    writeFileSync(d.configPath, stringify(config(0)));
    await d.cli(['daemon', 'reload']);
    await until('bond renegotiated', async () => (await d.cliJson<{ members: { mayEnable: boolean }[] }[]>(['lacp', 'show', 'bond0']))[0]!.members.filter((x) => x.mayEnable).length === 2, 30_000);
    await until('ping through the bond', async () => (await ping(topo, vm, '10.0.0.2', 1)).received === 1, 20_000);
  }, 600_000);
});
