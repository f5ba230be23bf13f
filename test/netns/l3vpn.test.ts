// IP-VPN between hvswitch PEs (issue 11, docs/l3vpn.md): three hvswitchd PEs
// with VMs on vm ports, clients of an FRR VPNv4/VPNv6 route reflector on the
// fabric.  VMs of one VPN ping across in IPv4 and IPv6 over MPLS-in-UDP, then
// (after a SIGHUP that makes PE1 offer GRE only) over MPLS-in-GRE; tshark on
// the fabric checks the outer headers, the label and the inner packet.  Two
// VPNs with the same prefixes stay apart; a VRF importing another VPN's route
// target reaches it; a prefix behind two PEs is an ECMP group spread by flow;
// a VM port removed is withdrawn at the reflector and traffic to it dropped
// and counted.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

import type { Frr } from './helpers/frr.js';
import { haveFrr } from './helpers/frr.js';
import { bgpRoutes, peBgp, peNamespace, startFabric, startVm, vmPort } from './helpers/l3vpn.js';
import { capture, netnsGate, ping, py, sh, tcpTransfer, Topology, until, type Daemon } from './helpers/netns.js';

const gate = netnsGate();
if (!gate.skip && !haveFrr && process.env.CI === 'true') throw new Error('FRR is not installed (scripts/install-deps.sh installs it)');

const PE1 = '192.0.2.11', PE2 = '192.0.2.12', PE3 = '192.0.2.13';
const RED = { 'route-targets': ['65000:100'] };
const BLUE = { 'route-targets': ['65000:200'] };
const mac = (n: number) => `52:54:00:00:00:${n.toString(16).padStart(2, '0')}`;
type Stats = Record<string, Record<string, number>>;
const METRICS_PORT = 9911; // inside each PE's own namespace

describe.skipIf(gate.skip || !haveFrr)(`IP-VPN: three hvswitchd PEs behind an FRR route reflector${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  let frr: Frr, fabric: string;
  const d: Record<string, Daemon> = {};
  const peNs: Record<string, string> = {};
  const vm: Record<string, string> = {};
  const tap: Record<string, string> = {};
  const cfg: Record<string, Record<string, unknown>> = {};
  const pcap = join(topo.tmp, 'fabric.pcap');

  /** Starts a PE with `vrfs` and `vms` (name -> [vrf, MAC number, v4, v6?]). */
  async function startPe(role: string, pe: string, vrfs: Record<string, object>, vms: Record<string, [string, number, string, string?]>) {
    const ns = await peNamespace(topo, fabric, role, pe);
    peNs[role] = ns;
    const ports: Record<string, object> = {};
    for (const [name, [vrf, m, v4, v6]] of Object.entries(vms)) {
      tap[name] = topo.name(`t${name}`);
      ports[tap[name]] = vmPort(vrf, mac(m), [`${v4}/32`, ...(v6 ? [`${v6}/128`] : [])]);
    }
    cfg[role] = { pe: { address: pe }, vrfs, ports, bgp: peBgp(pe), metrics: { listen: `127.0.0.1:${METRICS_PORT}` } };
    d[role] = await topo.daemon(ns, cfg[role]);
    for (const [name, [, m, v4, v6]] of Object.entries(vms)) vm[name] = await startVm(topo, ns, tap[name]!, `v${name}`, mac(m), v4, v6);
  }

  beforeAll(async () => {
    ({ ns: fabric, frr } = await startFabric(topo, [PE1, PE2, PE3]));
    // MPLS-in-UDP and GRE, but not the iperf3 test's TCP (udp[21]: the inner IPv4
    // protocol behind one label): a pcap of gigabytes made every later tshark read slow
    topo.spawnIn(fabric, ['tcpdump', '-nn', '-i', 'fab0', '-s', '0', '-U', '-w', pcap, '(udp port 6635 and udp[21] != 6) or ip proto 47']);
    await startPe('p1', PE1, { red: { vpn: { ...RED, 'import-route-targets': ['65000:100', '65000:300'] } }, blue: { vpn: BLUE } }, {
      r1: ['red', 1, '10.1.0.1', '2001:db8:1::1'],
      b1: ['blue', 2, '10.1.0.1'],
    });
    await startPe('p2', PE2, {
      red: { vpn: RED },
      blue: { vpn: BLUE },
      shared: { vpn: { 'import-route-targets': ['65000:300', '65000:100'], 'export-route-targets': ['65000:300'] } },
    }, {
      r2: ['red', 3, '10.1.0.2', '2001:db8:1::2'],
      b2: ['blue', 4, '10.1.0.2'],
      s2: ['shared', 5, '10.3.0.1'],
      a2: ['red', 6, '10.1.0.100'],
    });
    await startPe('p3', PE3, { red: { vpn: RED } }, { a3: ['red', 7, '10.1.0.100'] });
  }, 180_000);

  afterAll(async () => {
    await frr?.stop();
    await topo.destroy();
  });

  /** tshark rows (fields joined per packet, all occurrences) of our MPLS packets from `src`. */
  async function wire(filter: string, n = 1): Promise<string[][]> {
    const fields = ['ip.src', 'ip.dst', 'udp.dstport', 'gre.proto', 'mpls.label', 'mpls.bottom', 'icmp.type', 'ipv6.dst'].flatMap((f) => ['-e', f]);
    return until(`${n} packets matching ${filter}`, async () => {
      const r = await sh('tshark', ['-r', pcap, '-Y', filter, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...fields], { allowFail: true });
      const rows = r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
      return rows.length >= n && rows;
    });
  }

  it('VMs of one VPN ping across over MPLS-in-UDP, IPv4 and IPv6; route show lists the bgp routes', async () => {
    await until('red route to VM2 at PE1', async () => (await bgpRoutes(d.p1!, 'red')).some((r) => r.prefix === '10.1.0.2/32'), 60_000);
    const routes = await bgpRoutes(d.p1!, 'red');
    const r2 = routes.find((r) => r.prefix === '10.1.0.2/32')!;
    expect(r2.origin).toBe('bgp');
    expect(r2.nexthops).toEqual([{ via: PE2, port: null, mac: null, label: expect.any(Number), encap: 'mpls-udp', source: '192.0.2.1' }]);
    expect(r2.nexthops[0]!.label).toBeGreaterThanOrEqual(16);
    expect(routes.find((r) => r.prefix === '2001:db8:1::2/128')?.nexthops[0]).toMatchObject({ via: PE2, encap: 'mpls-udp', label: r2.nexthops[0]!.label });
    const table = (await d.p1!.cli(['route', 'show', '--vrf', 'red', '--origin', 'bgp'])).stdout;
    expect(table).toMatch(new RegExp(`red\\s+10\\.1\\.0\\.2/32\\s+via ${PE2} encap mpls-udp label ${r2.nexthops[0]!.label} from 192\\.0\\.2\\.1\\s+bgp`));
    await until('red VMs ping (IPv4)', async () => (await ping(topo, vm.r1!, '10.1.0.2', 1)).received === 1, 30_000);
    expect((await ping(topo, vm.r1!, '10.1.0.2', 3)).received).toBe(3);
    await until('red VMs ping (IPv6)', async () => (await ping(topo, vm.r1!, '2001:db8:1::2', 1)).received === 1, 30_000);
    expect((await ping(topo, vm.r2!, '2001:db8:1::1', 3)).received).toBe(3);
    // on the wire: outer PE1 -> PE2, UDP 6635, one label entry (S set) = PE2's red label, the inner echo request
    const rows = await wire(`udp.dstport == 6635 && ip.src == ${PE1} && icmp.type == 8`);
    const [srcs, dsts, dport, , label, bottom, icmp] = rows[0]!;
    expect(srcs).toBe(`${PE1},10.1.0.1`);
    expect(dsts).toBe(`${PE2},10.1.0.2`);
    expect([dport, label, bottom, icmp]).toEqual(['6635', String(r2.nexthops[0]!.label), '1', '8']);
    const v6 = await wire(`udp.dstport == 6635 && ip.src == ${PE1} && ipv6.dst == 2001:db8:1::2`);
    expect(v6[0]![4]).toBe(String(r2.nexthops[0]!.label));
  }, 120_000);

  it('TCP between VMs on two PEs over MPLS-in-UDP with the default offloads: TSO super-frames are segmented before encapsulation', async () => {
    const off = await topo.exec(vm.r1!, ['ethtool', '-k', tap.r1!]);
    expect(off.stdout).toMatch(/tcp-segmentation-offload: on/);
    const metric = async (name: string) => {
      const m = (await topo.exec(peNs.p1!, ['curl', '-s', `http://127.0.0.1:${METRICS_PORT}/metrics`])).stdout;
      return Number(m.split('\n').find((l) => l.startsWith(`${name}{pe="${PE1}"}`))?.split(' ')[1] ?? NaN);
    };
    // the fabric's MTU is 1500 (no room for the 32 bytes of IPv4 + UDP + label over a 1500-byte
    // packet: drop_underlay_mtu), so the VMs use 1400, as VMs behind a tunnel do
    for (const v of ['r1', 'r2']) await topo.exec(vm[v]!, ['ip', 'link', 'set', tap[v]!, 'mtu', '1400']);
    const encap0 = await metric('hvswitch_mpls_encap_total');
    topo.spawnIn(vm.r2!, ['iperf3', '-s', '-p', '5201']);
    type Iperf = { end?: { sum_sent?: { bytes: number }; sum_received?: { bits_per_second: number } } };
    const j = await until('iperf3 across the VPN', async () => {
      const x = await topo.exec(vm.r1!, ['iperf3', '-c', '10.1.0.2', '-p', '5201', '-t', '3', '-J'], { allowFail: true, timeoutMs: 30_000 });
      let out: Iperf = {};
      try { out = JSON.parse(x.stdout) as Iperf; } catch { /* no report */ }
      return x.code === 0 && out.end?.sum_received && out; // the server may not listen yet: retried
    }, 60_000);
    expect(j.end!.sum_received!.bits_per_second).toBeGreaterThan(50e6);
    // every byte crossed as wire-size MPLS datagrams: at least one per 1500 bytes sent
    expect((await metric('hvswitch_mpls_encap_total')) - encap0).toBeGreaterThan(j.end!.sum_sent!.bytes / 1500);
    // every byte arrives as sent: PE2 merges the decapsulated segments into GSO frames (gro.h), and
    // the VM's stack completes their partial checksum without verifying it, so TCP would not see a wrong byte
    const merged = async () => (await d.p2!.cliJson<Record<string, Record<string, number>>>(['stats', tap.r2!]))[tap.r2!]!.gro_merged!;
    const merged0 = await merged();
    const t = await tcpTransfer(topo, vm.r1!, vm.r2!, '10.1.0.2', 5301, 16 << 20);
    expect(t.received).toBe(t.sent);
    expect(t.receivedHash).toBe(t.sentHash);
    expect((await merged()) - merged0).toBeGreaterThan(1000);
    for (const v of ['r1', 'r2']) await topo.exec(vm[v]!, ['ip', 'link', 'set', tap[v]!, 'mtu', '1500']);
  }, 90_000);

  it('two VPNs with the same prefixes stay apart: blue reaches blue, red never sees it', async () => {
    await until('blue route at PE1', async () => (await bgpRoutes(d.p1!, 'blue')).some((r) => r.prefix === '10.1.0.2/32'), 30_000);
    const red = (await bgpRoutes(d.p1!, 'red')).find((r) => r.prefix === '10.1.0.2/32')!.nexthops[0]!.label;
    const blue = (await bgpRoutes(d.p1!, 'blue')).find((r) => r.prefix === '10.1.0.2/32')!.nexthops[0]!.label;
    expect(blue).not.toBe(red);
    const [inRed, inBlue] = await Promise.all([capture(topo, vm.r2!, tap.r2!, ['icmp']), capture(topo, vm.b2!, tap.b2!, ['icmp'])]);
    await until('blue VMs ping', async () => (await ping(topo, vm.b1!, '10.1.0.2', 1)).received === 1, 30_000);
    const r = await ping(topo, vm.b1!, '10.1.0.2', 3);
    const [red2, blue2] = await Promise.all([inRed.stop(), inBlue.stop()]);
    expect(r.received).toBe(3);
    expect(blue2.filter((l) => l.includes('echo request')).length).toBeGreaterThanOrEqual(3);
    expect(red2.filter((l) => l.includes('echo request'))).toEqual([]);
    // blue imports neither red's nor shared's routes
    expect((await bgpRoutes(d.p1!, 'blue')).map((x) => x.prefix).sort()).toEqual(['10.1.0.2/32']);
  }, 90_000);

  it('leaking: red at PE1 imports the shared VPN\'s route target and reaches it (shared imports red\'s)', async () => {
    await until('shared route in red at PE1', async () => (await bgpRoutes(d.p1!, 'red')).some((r) => r.prefix === '10.3.0.1/32'), 30_000);
    await until('red VM -> shared VM', async () => (await ping(topo, vm.r1!, '10.3.0.1', 1)).received === 1, 30_000);
    expect((await ping(topo, vm.r1!, '10.3.0.1', 3)).received).toBe(3);
  }, 60_000);

  it('the same prefix behind two PEs: an ECMP group at PE1, flows spread over both tunnels', async () => {
    const r = await until('ECMP route', async () => {
      const x = (await bgpRoutes(d.p1!, 'red')).find((y) => y.prefix === '10.1.0.100/32');
      return x?.nexthops.length === 2 && x;
    }, 60_000);
    expect(r.nexthops.map((n) => n.via).sort()).toEqual([PE2, PE3]);
    // 32 UDP flows (source ports) from VM1 to the anycast address
    await py(topo, vm.r1!, 'import socket\nfor p in range(40000, 40032):\n  s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n  s.bind(("10.1.0.1", p))\n  s.sendto(b"x" * 8, ("10.1.0.100", 9))\n  s.close()\n');
    // until both tunnels carried some: equal-size datagrams of one pool socket to one PE may go as one UDP
    // GSO send (port_mpls.c), which the capture on the veth fabric records as one frame, so frames < 32
    const outers = (rows: string[][]) => new Set(rows.map((row) => row[1]!.split(',')[0]!));
    const rows = await until('flows over both tunnels', async () => {
      const x = await wire(`udp.dstport == 6635 && ip.src == ${PE1} && udp.dstport == 9`, 1);
      return outers(x).size >= 2 && x;
    }, 30_000);
    expect([...outers(rows)].sort()).toEqual([PE2, PE3]);
    await until('anycast ping', async () => (await ping(topo, vm.r1!, '10.1.0.100', 1)).received === 1, 30_000);
  }, 90_000);

  it('SIGHUP: PE1\'s red offers GRE only; both PEs switch to MPLS-in-GRE and the VMs ping over it', async () => {
    const red = (cfg.p1!.vrfs as Record<string, { vpn: object }>).red!;
    red.vpn = { ...red.vpn, encapsulations: ['mpls-gre'] };
    writeFileSync(d.p1!.configPath, stringify(cfg.p1));
    process.kill(d.p1!.proc.pid!, 'SIGHUP');
    const at = async (dm: Daemon, prefix: string) => (await bgpRoutes(dm, 'red')).find((r) => r.prefix === prefix)?.nexthops[0];
    await until('PE1 uses GRE to PE2', async () => (await at(d.p1!, '10.1.0.2/32'))?.encap === 'mpls-gre', 30_000);
    await until('PE2 uses GRE to PE1', async () => (await at(d.p2!, '10.1.0.1/32'))?.encap === 'mpls-gre', 30_000);
    const label = (await at(d.p1!, '10.1.0.2/32'))!.label;
    await until('red VMs ping over GRE', async () => (await ping(topo, vm.r1!, '10.1.0.2', 1)).received === 1, 30_000);
    expect((await ping(topo, vm.r1!, '10.1.0.2', 3)).received).toBe(3);
    expect((await ping(topo, vm.r1!, '2001:db8:1::2', 3)).received).toBe(3);
    const rows = await wire(`gre && ip.src == ${PE1} && icmp.type == 8`);
    const [srcs, dsts, , greProto, lbl, bottom] = rows[0]!;
    expect([srcs, dsts, greProto, lbl, bottom]).toEqual([`${PE1},10.1.0.1`, `${PE2},10.1.0.2`, '0x8847', String(label), '1']);
    const v6 = await wire(`gre && ip.src == ${PE1} && ipv6.dst == 2001:db8:1::2`);
    expect(v6[0]![3]).toBe('0x8847');
  }, 90_000);

  it('a VM port removed: its routes withdrawn at the reflector, traffic to it dropped and counted', async () => {
    const vtysh = async () => (await frr.vtysh('show bgp ipv4 vpn')).stdout;
    await until('reflector has VM2', async () => (await vtysh()).includes('10.1.0.2/32'));
    await d.p2!.cli(['port', 'del', tap.r2!]);
    let t = '';
    await until('withdrawn at the reflector', async () => {
      t = await vtysh();
      // blue's VM2 (another RD) keeps its 10.1.0.2/32: only red's goes
      return t.split(/Route Distinguisher: /).filter((x) => x.includes('10.1.0.2/32')).length === 1;
    }, 30_000).catch((e: Error) => { throw new Error(`${e.message}\n${t}\nPE2:\n${d.p2!.output.slice(-4000)}`); });
    await until('withdrawn at PE1', async () => !(await bgpRoutes(d.p1!, 'red')).some((r) => r.prefix === '10.1.0.2/32'), 30_000);
    const before = (await d.p1!.cliJson<Stats>(['stats', tap.r1!]))[tap.r1!]!.drop_no_route!;
    const r = await ping(topo, vm.r1!, '10.1.0.2', 2);
    expect(r.received).toBe(0);
    await until('counted as no route', async () => (await d.p1!.cliJson<Stats>(['stats', tap.r1!]))[tap.r1!]!.drop_no_route! >= before + 2);
  }, 60_000);

  it('metrics: MPLS underlay counters and the VPN route gauges', async () => {
    const m = (await topo.exec(peNs.p1!, ['curl', '-s', `http://127.0.0.1:${METRICS_PORT}/metrics`])).stdout;
    const ours = m.split('\n').filter((l) => /^hvswitch_(l3vpn|mpls)_/.test(l)).join('\n');
    const value = (line: string) => expect(Number(m.split('\n').find((l) => l.startsWith(line))?.slice(line.length + 1)), ours);
    value(`hvswitch_mpls_encap_total{pe="${PE1}"}`).toBeGreaterThan(0);
    value(`hvswitch_mpls_decap_total{pe="${PE1}"}`).toBeGreaterThan(0);
    value(`hvswitch_mpls_drop_total{pe="${PE1}",reason="unknown_label"}`).toBe(0);
    value('hvswitch_l3vpn_routes_exported{vrf="red"}').toBe(2); // 10.1.0.1/32, 2001:db8:1::1/128
    value('hvswitch_l3vpn_routes_exported{vrf="blue"}').toBe(1);
    value('hvswitch_l3vpn_routes_imported{vrf="red"}').toBe(2); // shared's 10.3.0.1, the anycast 10.1.0.100 (VM2's went)
    expect(m).toContain('hvswitch_l3vpn_routes_not_installed_total{vrf="red",reason="no-common-encapsulation"} 0');
  });
});
