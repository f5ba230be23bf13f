// EVPN multihoming, all-active (RFC 7432 §8, §14; RFC 8365 §8), end to end with
// real parts: a "physical" host is a namespace running a private Open vSwitch
// (datapath_type=netdev) whose LACP bond (lacp=active, fast, active-backup)
// has one member cabled to hypervisor A and one to hypervisor B; A and B are
// hvswitchd, each with a one-member bond presenting the same LACP system ID and
// key, and an Ethernet segment `evpn-es: {esi: auto}`: RFC 7432 §5 type 1 from
// the CE's LACP system ID and key, i.e. OVS's; a third hvswitchd C has a VM;
// the three peer with gobgpd, a route reflector on the underlay fabric (a Linux
// bridge).  Checked: OVS sees one LACP partner on both links, both aggregated;
// A and B derive the same ESI from what OVS sends (`ovs-appctl lacp/show`:
// actor sys_id and key) and elect one DF; the host pings the VM on C; C spreads
// flows to the host over both VTEPs (aliasing, counted at A's and B's
// decapsulation); a broadcast from the host reaches the VM once and never
// comes back into the segment; a broadcast from the VM reaches the segment
// once (DF only, counted on OVS's member links); the hypervisor carrying the
// host's traffic killed (SIGKILL) under a 100/s ping: traffic continues
// through the other, the loss is printed; OVS given another LACP system ID:
// the surviving hypervisor withdraws the old ESI and advertises the new one,
// which C then aliases over.
//
// OVS bond mode: active-backup.  balance-tcp against our bond loses replies in
// about half the runs (a known defect of our bond being fixed on branch
// s20-bond, vitest.config.ts), and active-backup is the mode a server would
// use toward two switches that are not one chassis anyway.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { capture, netnsGate, ping, py, Topology, until, waitExit, type Daemon } from './helpers/netns.js';

const gate = netnsGate();
const SYSTEM = '02:00:00:00:e5:01';
const KEY = 7;
/** The ESI A and B derive from OVS's LACPDUs (set by the first case). */
let ESI = '';
const HOST = '10.100.0.100';
const VM = '10.100.0.3';

interface EvpnJson { vtep: { counters: Record<string, number> } | null }
interface SegJson {
  esi: string; esiSource: string; derivation: string; partner: { system: string; key: number } | null;
  local: boolean; up: boolean; vteps: string[]; df: { vni: number; df: string; local: boolean }[];
}

/** OVS's own LACP identity as it sends it (`lacp/show`: every member's actor sys_id and key). */
function ovsActor(show: string): { system: string; key: number } {
  const sys = new Set([...show.matchAll(/actor sys_id: ([0-9a-f:]+)/g)].map((x) => x[1]!));
  const keys = new Set([...show.matchAll(/actor key: (\d+)/g)].map((x) => Number(x[1])));
  if (sys.size !== 1 || keys.size !== 1) throw new Error(`OVS members disagree on their actor system or key:\n${show}`);
  return { system: [...sys][0]!, key: [...keys][0]! };
}
const type1 = (a: { system: string; key: number }) => `01:${a.system}:${(a.key >> 8).toString(16).padStart(2, '0')}:${(a.key & 0xff).toString(16).padStart(2, '0')}:00`;

describe.skipIf(gate.skip)(`EVPN multihoming: an OVS bond across two hypervisors${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  let fabric: string, phy: string, vmNs: string;
  const hv: string[] = [];
  const d: Daemon[] = [];
  let run: string, ctl: string;
  const vtep = (i: number) => `192.0.2.1${i + 1}`;
  const o = [topo.name('o1'), topo.name('o2')] as const; // OVS's members, to A and B

  const vsctl = (...args: string[]) => topo.exec(phy, ['ovs-vsctl', `--db=unix:${run}/db.sock`, ...args]);
  const appctl = async (...args: string[]) => (await topo.exec(phy, ['ovs-appctl', '-t', ctl, ...args])).stdout;
  const decap = async (i: number) => (await d[i]!.cliJson<EvpnJson>(['evpn', 'show'])).vtep?.counters.decap ?? 0;
  const segments = (i: number) => d[i]!.cliJson<SegJson[]>(['evpn', 'es', 'show']);
  let killed = -1; // the hypervisor the failover case kills

  function hvConfig(i: number, extra: object): object {
    return {
      vtep: { address: vtep(i), mtu: 1600 },
      bridges: { br0: { evpn: [{ vlan: 10, vni: 10010 }] } },
      ...extra,
      bgp: {
        global: { as: 65000, 'router-id': vtep(i), 'listen-port': 0 },
        neighbors: [{ 'neighbor-address': '192.0.2.1', 'peer-as': 65000, 'afi-safis': ['l2vpn-evpn'], 'local-address': vtep(i), timers: { 'connect-retry': 1, 'idle-hold-time': 1 } }],
      },
    };
  }

  beforeAll(async () => {
    fabric = await topo.ns('fab');
    await topo.exec(fabric, ['ip', 'link', 'add', 'fab0', 'type', 'bridge']);
    await topo.exec(fabric, ['ip', 'addr', 'add', '192.0.2.1/24', 'dev', 'fab0']);
    await topo.exec(fabric, ['ip', 'link', 'set', 'fab0', 'up']);
    // gobgpd: a plain reflector (no RT constraint: ES routes carry only the ES-Import target)
    let conf = `[global.config]\n  as = 65000\n  router-id = "192.0.2.1"\n  local-address-list = ["192.0.2.1"]\n`;
    for (let i = 0; i < 3; i++) {
      conf += `[[neighbors]]\n  [neighbors.config]\n    neighbor-address = "${vtep(i)}"\n    peer-as = 65000\n`;
      conf += `  [neighbors.route-reflector.config]\n    route-reflector-client = true\n    route-reflector-cluster-id = "192.0.2.1"\n`;
      conf += `  [neighbors.timers.config]\n    connect-retry = 1\n`;
      conf += `  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "l2vpn-evpn"\n`;
    }
    const gobgpConf = join(topo.tmp, 'gobgpd.toml');
    writeFileSync(gobgpConf, conf);
    topo.spawnIn(fabric, ['gobgpd', '-f', gobgpConf, '-t', 'toml', '-p', '--api-hosts', '127.0.0.1:50051', '--pprof-disable']);
    // the physical host: OVS with a LACP bond over two links
    phy = await topo.ns('phy');
    run = topo.tmp;
    ctl = `${run}/vswitchd.ctl`;
    for (let i = 0; i < 3; i++) {
      const h = await topo.ns(`hv${i}`);
      hv.push(h);
      const up = topo.name(`u${i}`);
      await topo.veth(fabric, up, h, 'ul0', `${vtep(i)}/24`, 1600);
      await topo.exec(fabric, ['ip', 'link', 'set', up, 'master', 'fab0']);
    }
    const m = [topo.name('mA'), topo.name('mB')];
    for (let i = 0; i < 2; i++) await topo.veth(hv[i]!, m[i]!, phy, o[i]!);
    vmNs = await topo.ns('vm');
    const pv = topo.name('pv');
    await topo.veth(hv[2]!, pv, vmNs, 'eth0', `${VM}/24`);
    await topo.exec(phy, ['ovsdb-tool', 'create', `${run}/conf.db`, '/usr/share/openvswitch/vswitch.ovsschema']);
    const env = ['env', `OVS_RUNDIR=${run}`, `OVS_DBDIR=${run}`, `OVS_LOGDIR=${run}`];
    topo.spawnIn(phy, [...env, 'ovsdb-server', `${run}/conf.db`, `--remote=punix:${run}/db.sock`, `--pidfile=${run}/ovsdb.pid`, `--unixctl=${run}/ovsdb.ctl`]);
    await until('ovsdb-server listening', async () => (await vsctl('--no-wait', 'init').catch(() => ({ code: 1 }))).code === 0);
    topo.spawnIn(phy, [...env, 'ovs-vswitchd', `unix:${run}/db.sock`, `--pidfile=${run}/vswitchd.pid`, `--unixctl=${ctl}`, `--log-file=${run}/vswitchd.log`]);
    await vsctl('add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath_type=netdev');
    await until('OVS br0 internal port', async () => (await topo.exec(phy, ['ip', 'link', 'show', 'br0'], { allowFail: true })).code === 0);
    await topo.exec(phy, ['ip', 'addr', 'add', `${HOST}/24`, 'dev', 'br0']);
    await topo.exec(phy, ['ip', 'link', 'set', 'br0', 'up']);
    await vsctl('add-bond', 'br0', 'bond0', o[0], o[1], 'lacp=active', 'other_config:lacp-time=fast', 'bond_mode=active-backup');
    for (let i = 0; i < 2; i++) {
      d.push(await topo.daemon(hv[i]!, hvConfig(i, {
        bonds: { bond0: { bridge: 'br0', vlan: 10, members: { [m[i]!]: {} }, lacp: { rate: 'fast', 'system-id': SYSTEM, key: KEY }, 'evpn-es': { esi: 'auto', 'df-timer': 0.5 } } },
      })));
    }
    d.push(await topo.daemon(hv[2]!, hvConfig(2, { ports: { [pv]: { backend: 'af-packet', bridge: 'br0', mode: 'access', vlan: 10 } } })));
    for (const x of d) await x.waitForCount('evpn instance started', 1, 15_000);
  }, 120_000);

  afterAll(async () => {
    for (const x of d) if (x.proc.exitCode !== null && x.proc.signalCode === null) console.log(`hvswitchd exited early (${x.proc.exitCode}):\n${x.output.slice(-3000)}`);
    await topo.destroy();
  });

  it('OVS sees one LACP partner on both links; A and B derive one ESI from OVS\'s system ID and key and elect one DF', async () => {
    await until('OVS negotiated both members', async () => {
      const s = await appctl('lacp/show', 'bond0');
      return /status: active negotiated/.test(s) && o.every((i) => new RegExp(`member: ${i}: current attached`).test(s));
    }, 30_000);
    const show = await appctl('lacp/show', 'bond0');
    const partners = [...show.matchAll(/partner sys_id: ([0-9a-f:]+)/g)].map((x) => x[1]);
    expect(partners).toEqual([SYSTEM, SYSTEM]); // one partner system behind both links
    const ovs = ovsActor(show);
    ESI = type1(ovs);
    expect(ESI).not.toBe(`01:${SYSTEM}:00:07:00`); // the CE's identity, not our own (that is auto-local)
    const dfs = await until('one DF elected', async () => {
      const [a, b] = await Promise.all([segments(0), segments(1)]);
      const sa = a.find((s) => s.local), sb = b.find((s) => s.local);
      return sa?.vteps.length === 2 && sb?.vteps.length === 2 && !!sa.df[0]?.df && sa.df[0].df === sb.df[0]?.df && ([sa, sb] as const);
    }, 20_000).catch(async (e: Error) => {
      const rib = (await topo.exec(fabric, ['gobgp', '-u', '127.0.0.1', '-p', '50051', 'global', 'rib', '-a', 'evpn'], { allowFail: true })).stdout;
      throw new Error(`${e.message}\nA: ${JSON.stringify(await segments(0))}\nB: ${JSON.stringify(await segments(1))}\nreflector:\n${rib}\n${d[0]!.output.slice(-3000)}`);
    });
    for (const x of dfs) {
      expect(x.esi).toBe(ESI);
      expect(x).toMatchObject({ esiSource: 'auto', partner: ovs, derivation: `auto from partner ${ovs.system},${ovs.key}` });
    }
    expect(dfs[0].df[0]!.local !== dfs[1].df[0]!.local).toBe(true);
    console.log(`EVPN-MH: OVS sends sys_id ${ovs.system} key ${ovs.key}; A and B derived ESI ${ESI}; DF for VNI 10010: ${dfs[0].df[0]!.df}`);
    console.log(`EVPN-MH es show (A):\n${(await d[0]!.cli(['evpn', 'es', 'show'])).stdout}`);
  });

  it('the host pings the VM on C; C aliases the host MAC over both VTEPs (flows through A and B)', async () => {
    await until('host -> VM', async () => (await ping(topo, phy, VM, 1)).received === 1, 30_000);
    expect((await ping(topo, phy, VM, 3)).received).toBe(3);
    await until('C sees the segment through A and B', async () => (await segments(2)).some((s) => !s.local && s.esi === ESI && s.vteps.length === 2), 15_000);
    const before = await Promise.all([decap(0), decap(1)]);
    const r = await py(topo, vmNs, [
      'import socket',
      'for port in range(20000, 20032):',
      '    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
      `    s.bind(('${VM}', port))`,
      '    for _ in range(20):',
      `        s.sendto(b'x' * 64, ('${HOST}', 9))`,
      '    s.close()',
    ].join('\n'));
    expect(r.code, r.stderr).toBe(0);
    let delta = [0, 0];
    await until('the datagrams crossed', async () => {
      const after = await Promise.all([decap(0), decap(1)]);
      delta = after.map((v, i) => v - before[i]!);
      return delta[0]! + delta[1]! >= 640;
    }, 10_000);
    console.log(`EVPN-MH aliasing: 640 datagrams in 32 flows from C -> A ${delta[0]}, B ${delta[1]} decapsulated`);
    expect(delta[0]).toBeGreaterThanOrEqual(40); // 2 of 32 flows at least each
    expect(delta[1]).toBeGreaterThanOrEqual(40);
  });

  it('BUM: from the host, the VM gets it once and the segment never; from the VM, the segment gets it once', async () => {
    const sendBcast = (ns: string, src: string) => py(topo, ns, [
      'import socket',
      's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
      's.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)',
      `s.bind(('${src}', 0))`,
      'for i in range(5):',
      "    s.sendto(b'bum-%d' % i, ('10.100.0.255', 9999))",
    ].join('\n'));
    // host -> segment -> (A or B) -> tunnels: the VM once each; nothing back toward OVS
    const atVm = await capture(topo, vmNs, 'eth0', ['udp', 'port', '9999']);
    const back = await Promise.all(o.map((i) => capture(topo, phy, i, ['-Q', 'in', 'udp', 'port', '9999'])));
    expect((await sendBcast(phy, HOST)).code).toBe(0);
    await until('the 5 broadcasts at the VM', () => atVm.seen().length >= 5, 10_000).catch(() => undefined); // the count is checked below
    const vmLines = await atVm.stop();
    const backLines = (await Promise.all(back.map((c) => c.stop()))).flat();
    expect(vmLines.length, vmLines.join('\n')).toBe(5);
    expect(backLines.length, backLines.join('\n')).toBe(0);
    // VM -> C -> A and B: only the DF sends it into the segment
    const into = await Promise.all(o.map((i) => capture(topo, phy, i, ['-Q', 'in', 'udp', 'port', '9999'])));
    expect((await sendBcast(vmNs, VM)).code).toBe(0);
    await until('the 5 broadcasts into the segment', () => into[0]!.seen().length + into[1]!.seen().length >= 5, 10_000).catch(() => undefined); // checked below
    const intoLines = await Promise.all(into.map((c) => c.stop()));
    console.log(`EVPN-MH BUM from the VM: ${intoLines[0]!.length} on ${o[0]} (A), ${intoLines[1]!.length} on ${o[1]} (B)`);
    expect(intoLines[0]!.length + intoLines[1]!.length).toBe(5);
    expect(intoLines.filter((l) => l.length === 5)).toHaveLength(1);
  });

  it('the hypervisor carrying the host killed under a 100/s ping: traffic continues through the other', async () => {
    const bond = await appctl('bond/show', 'bond0');
    const active = /active member: (\S+)/.exec(bond)?.[1] ?? /member (\S+): enabled\n\s+active member/.exec(bond)?.[1];
    const k = active === o[1] ? 1 : 0;
    killed = k;
    const pinger = topo.spawnIn(phy, ['ping', '-c', '1500', '-i', '0.01', '-W', '1', VM]);
    let out = '';
    pinger.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    await until('the 100/s ping answered', async () => (out.match(/bytes from/g) ?? []).length >= 20, 10_000);
    const seqs = () => [...out.matchAll(/icmp_seq=(\d+)/g)].map((m) => Number(m[1]));
    const t0 = Date.now();
    const atKill = Math.max(...seqs());
    d[k]!.proc.kill('SIGKILL');
    await waitExit(d[k]!.proc, 5_000);
    // answered again: an echo sent well after the kill (10 sequence numbers, 100 ms) has its reply
    await until('replies again', async () => seqs().some((x) => x > atKill + 10), 30_000);
    const back = Date.now() - t0;
    await waitExit(pinger, 30_000);
    const s = /(\d+) packets transmitted, (\d+) received/.exec(out)!;
    const lost = Number(s[1]) - Number(s[2]);
    console.log(`EVPN-MH failover: hypervisor ${k === 0 ? 'A' : 'B'} (OVS active member ${o[k]}) killed; replies back within ${back} ms; ping at 100/s lost ${lost} of ${s[1]} (~${lost * 10} ms)`);
    expect(lost).toBeLessThan(1000);
    expect((await ping(topo, phy, VM, 3)).received).toBe(3);
  });

  it('OVS given another LACP system ID: the survivor withdraws the old ESI and advertises the new one; C aliases over it', async () => {
    expect(killed).toBeGreaterThanOrEqual(0);
    const live = 1 - killed;
    const old = ESI;
    await vsctl('set', 'port', 'bond0', 'other_config:lacp-system-id=02:00:00:00:0e:99');
    const ovs = await until('OVS sends the new system ID', async () => {
      const a = ovsActor(await appctl('lacp/show', 'bond0'));
      return a.system === '02:00:00:00:0e:99' && a;
    }, 15_000);
    const want = type1(ovs);
    const seg = await until('the survivor derived the new ESI', async () => {
      const x = (await segments(live)).find((s) => s.local);
      return x?.esi === want && x.up && x;
    }, 30_000);
    expect(seg).toMatchObject({ esiSource: 'auto', partner: ovs });
    await until('C aliases over the new ESI only', async () => {
      const r = (await segments(2)).filter((s) => !s.local);
      return r.some((s) => s.esi === want && s.vteps.includes(vtep(live))) && !r.some((s) => s.esi === old);
    }, 30_000);
    // C's RIB: the old ESI's type-1/type-4 routes withdrawn, the survivor's three under the new one
    const nets = await until('C\'s RIB holds the new ESI\'s routes', async () => {
      const n = (await d[2]!.cliJson<{ network: string }[]>(['bgp', 'rib', '-a', 'evpn'])).map((r) => r.network);
      return n.filter((x) => x.includes(`[esi:${want}]`)).length === 3 && n;
    }, 15_000);
    expect(nets.filter((x) => x.includes(`[esi:${old}]`))).toEqual([]);
    await until('host -> VM again', async () => (await ping(topo, phy, VM, 1)).received === 1, 30_000);
    console.log(`EVPN-MH partner change: OVS sys_id ${ovs.system} key ${ovs.key}: ${vtep(live)} moved from ESI ${old} to ${want}`);
  });
});
