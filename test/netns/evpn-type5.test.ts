// EVPN type-5 over VXLAN between hvswitch PEs (issue 11, docs/evpn-type5.md):
// two hvswitchd PEs whose VRF `red` has an L3 VNI, VMs on vm ports, clients
// of a gobgpd route reflector on the fabric (l2vpn-evpn only).  Checked: each
// PE installs the other's VM /32 and /128 with a VXLAN next hop (the remote
// VTEP, its L3 VNI, its router MAC; route show --json and the table); the VMs
// ping both ways in IPv4 and IPv6; tshark on the fabric sees VXLAN with the
// L3 VNI between the VTEPs and, inside, Ethernet between the two router MACs
// around the echo; the reflector holds the type-5 routes with the router MAC
// and VXLAN communities; a type-5 route injected at the reflector with
// `gobgp global rib -a evpn add prefix` is installed with its VNI and router
// MAC, one without a router MAC or without the VXLAN encapsulation is not
// (logged); a VM port removed is withdrawn at the reflector and its route
// leaves the other PE's FIB.  The same with FRR's bgpd as the reflector (it
// decodes and relays our type-5 routes: `show bgp l2vpn evpn route type
// prefix`), except the injection, which is gobgp's CLI.  FRR as a type-5 PE
// needs a kernel VRF device, which this kernel lacks (docs/evpn-type5.md).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { defaultRouterMac } from '../../src/controller/config-vpn.js';
import { Frr, haveFrr } from './helpers/frr.js';
import { startVm, vmPort } from './helpers/l3vpn.js';
import { netnsGate, ping, sh, Topology, until, type Daemon } from './helpers/netns.js';

const gate = netnsGate();
const RR = '192.0.2.1';
const PE = { p1: '192.0.2.11', p2: '192.0.2.12' } as const;
const L3VNI = 9100;
const RED = { 'route-targets': ['65000:100'], 'l3-vni': L3VNI };
const mac = (n: number) => `52:54:00:00:00:${n.toString(16).padStart(2, '0')}`;
const RMAC1 = '02:00:5e:00:11:11'; // configured on PE1; PE2 derives its own from its VTEP address

interface Type5Row {
  vrf: string;
  prefix: string;
  origin: string;
  nexthops: { via: string | null; encap?: string; vni?: number; 'router-mac'?: string; source?: string }[];
}

if (!gate.skip && !haveFrr && process.env.CI === 'true') throw new Error('FRR is not installed (scripts/install-deps.sh installs it)');

for (const rrKind of ['gobgp', 'frr'] as const)
describe.skipIf(gate.skip || (rrKind === 'frr' && !haveFrr))(`EVPN type-5 over VXLAN: two hvswitchd PEs behind a ${rrKind} reflector${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  let fabric: string;
  let frr: Frr | undefined;
  const d: Record<string, Daemon> = {};
  const vm: Record<string, string> = {};
  const taps: Record<string, string> = {};
  const pcap = join(topo.tmp, 'fabric.pcap');
  const gobgp = (args: string[]) => topo.exec(fabric, ['gobgp', '-u', '127.0.0.1', '-p', '50051', ...args], { allowFail: true });
  /** The reflector's type-5 routes as text: one line per route with its attributes. */
  const reflectorRib = async (): Promise<string> => {
    if (rrKind === 'gobgp') return (await gobgp(['global', 'rib', '-a', 'evpn'])).stdout;
    // FRR prints a route over several lines: joined per RD/prefix entry
    const out = (await frr!.vtysh('show bgp l2vpn evpn route type prefix')).stdout;
    return out.split(/\n(?=\s*\*)/).map((e) => e.replace(/\s*\n\s*/g, ' ')).join('\n');
  };
  const routes = (role: string) => d[role]!.cliJson<Type5Row[]>(['route', 'show', '--vrf', 'red', '--origin', 'bgp']);
  const routeTo = async (role: string, prefix: string) => (await routes(role)).find((r) => r.prefix === prefix);

  async function startPe(role: 'p1' | 'p2', n: number, v4: string, v6: string, vpn: object): Promise<void> {
    const ns = await topo.ns(role);
    const up = topo.name(`u${role}`);
    await topo.veth(fabric, up, ns, 'ul0', `${PE[role]}/24`);
    await topo.exec(fabric, ['ip', 'link', 'set', up, 'master', 'fab0']);
    const tap = topo.name(`t${role}`);
    taps[role] = tap;
    d[role] = await topo.daemon(ns, {
      vtep: { address: PE[role] },
      vrfs: { red: { vpn } },
      ports: { [tap]: vmPort('red', mac(n), [`${v4}/32`, `${v6}/128`]) },
      bgp: {
        global: { as: 65000, 'router-id': PE[role], 'listen-port': 0 },
        neighbors: [{ 'neighbor-address': RR, 'peer-as': 65000, 'afi-safis': ['l2vpn-evpn'], 'local-address': PE[role], timers: { 'connect-retry': 1, 'idle-hold-time': 1 } }],
      },
    });
    vm[role] = await startVm(topo, ns, tap, `v${role}`, mac(n), v4, v6);
  }

  beforeAll(async () => {
    fabric = await topo.ns('fab');
    await topo.exec(fabric, ['ip', 'link', 'add', 'fab0', 'type', 'bridge']);
    await topo.exec(fabric, ['ip', 'addr', 'add', `${RR}/24`, 'dev', 'fab0']);
    await topo.exec(fabric, ['ip', 'link', 'set', 'fab0', 'up']);
    if (rrKind === 'gobgp') {
      let conf = `[global.config]\n  as = 65000\n  router-id = "${RR}"\n  local-address-list = ["${RR}"]\n`;
      for (const pe of Object.values(PE)) {
        conf += `[[neighbors]]\n  [neighbors.config]\n    neighbor-address = "${pe}"\n    peer-as = 65000\n`;
        conf += `  [neighbors.route-reflector.config]\n    route-reflector-client = true\n    route-reflector-cluster-id = "${RR}"\n`;
        conf += `  [neighbors.timers.config]\n    connect-retry = 1\n`;
        conf += `  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "l2vpn-evpn"\n`;
      }
      const gobgpConf = join(topo.tmp, 'gobgpd.toml');
      writeFileSync(gobgpConf, conf);
      topo.spawnIn(fabric, ['gobgpd', '-f', gobgpConf, '-t', 'toml', '-p', '--api-hosts', '127.0.0.1:50051', '--pprof-disable']);
    } else {
      frr = new Frr(topo, fabric, 'rr');
      const clients = Object.values(PE);
      await frr.start([
        'frr defaults traditional', 'hostname rr', 'router bgp 65000', ` bgp router-id ${RR}`, ` bgp cluster-id ${RR}`, ' no bgp default ipv4-unicast',
        ...clients.flatMap((c) => [` neighbor ${c} remote-as 65000`, ` neighbor ${c} timers connect 1`]),
        ' address-family l2vpn evpn', ...clients.flatMap((c) => [`  neighbor ${c} activate`, `  neighbor ${c} route-reflector-client`]),
        ' exit-address-family', 'exit', '',
      ].join('\n'));
    }
    topo.spawnIn(fabric, ['tcpdump', '-nn', '-i', 'fab0', '-s', '0', '-U', '-w', pcap, 'udp port 4789']);
    await startPe('p1', 1, '10.1.0.1', '2001:db8:1::1', { ...RED, 'router-mac': RMAC1 });
    await startPe('p2', 2, '10.1.0.2', '2001:db8:1::2', RED);
  }, 120_000);

  afterAll(async () => {
    await frr?.stop();
    await topo.destroy();
  });

  it('each PE installs the other VM /32 and /128 with a VXLAN next hop: remote VTEP, L3 VNI, router MAC', async () => {
    const r2 = await until('PE2 VM at PE1', () => routeTo('p1', '10.1.0.2/32'), 60_000);
    expect(r2.nexthops).toEqual([{ via: PE.p2, port: null, mac: null, encap: 'vxlan', vni: L3VNI, 'router-mac': defaultRouterMac(PE.p2), source: RR }]);
    const r1v6 = await until('PE1 VM /128 at PE2', () => routeTo('p2', '2001:db8:1::1/128'), 60_000);
    expect(r1v6.nexthops).toEqual([expect.objectContaining({ via: PE.p1, encap: 'vxlan', vni: L3VNI, 'router-mac': RMAC1 })]);
    const table = (await d.p1!.cli(['route', 'show', '--vrf', 'red', '--origin', 'bgp'])).stdout;
    expect(table).toMatch(new RegExp(`red\\s+10\\.1\\.0\\.2/32\\s+via ${PE.p2} encap vxlan vni ${L3VNI} rmac ${defaultRouterMac(PE.p2)} from ${RR}\\s+bgp`));
  }, 90_000);

  it('the reflector holds the type-5 routes: label = L3 VNI, router MAC and VXLAN extended communities', async () => {
    const rib = await until('type-5 at the reflector', async () => {
      const r = await reflectorRib();
      return r.includes(rrKind === 'gobgp' ? '[prefix:10.1.0.1/32]' : '[10.1.0.1]') && r.includes(rrKind === 'gobgp' ? '[prefix:2001:db8:1::2/128]' : '[2001:db8:1::2]') && r;
    });
    const line = rib.split('\n').find((l) => l.includes(rrKind === 'gobgp' ? '[prefix:10.1.0.1/32]' : '[10.1.0.1]'))!;
    if (rrKind === 'gobgp') {
      expect(line).toContain(`[${L3VNI}]`);
      expect(line).toContain(PE.p1);
      expect(line).toContain('[VXLAN]');
      expect(line).toContain(`[router's mac: ${RMAC1}]`);
      expect(line).toContain('65000:100');
    } else {
      // FRR decodes our NLRI ([5]:[tag]:[len]:[IP]) and communities: ET:8 is RFC 9012 VXLAN
      expect(line).toMatch(new RegExp(`\\[5\\]:\\[0\\]:\\[32\\]:\\[10\\.1\\.0\\.1\\] ${PE.p1.replace(/\./g, '\\.')} `));
      expect(line).toContain(`RT:65000:100 ET:8 Rmac:${RMAC1}`);
    }
  });

  it('the VMs ping both ways, IPv4 and IPv6, over VXLAN with the L3 VNI and the router MACs inside', async () => {
    await until('ping p1 -> p2 (IPv4)', async () => (await ping(topo, vm.p1!, '10.1.0.2', 1)).received === 1, 30_000);
    expect((await ping(topo, vm.p1!, '10.1.0.2', 3)).received).toBe(3);
    expect((await ping(topo, vm.p2!, '10.1.0.1', 3)).received).toBe(3);
    await until('ping p1 -> p2 (IPv6)', async () => (await ping(topo, vm.p1!, '2001:db8:1::2', 1)).received === 1, 30_000);
    expect((await ping(topo, vm.p1!, '2001:db8:1::2', 3)).received).toBe(3);
    expect((await ping(topo, vm.p2!, '2001:db8:1::1', 3)).received).toBe(3);
    const fields = ['ip.src', 'ip.dst', 'udp.dstport', 'vxlan.vni', 'eth.src', 'eth.dst', 'icmp.type', 'ipv6.dst'].flatMap((f) => ['-e', f]);
    const rows = async (filter: string) =>
      until(`packets matching ${filter}`, async () => {
        const r = await sh('tshark', ['-r', pcap, '-Y', filter, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...fields], { allowFail: true });
        const got = r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
        return got.length > 0 && got;
      });
    // PE1 -> PE2: outer VTEP to VTEP, UDP 4789, the L3 VNI; inner Ethernet PE1's router MAC -> PE2's, the echo request
    const [srcs, dsts, dport, vni, esrc, edst, icmp] = (await rows(`vxlan.vni == ${L3VNI} && ip.src == ${PE.p1} && icmp.type == 8`))[0]!;
    expect(srcs).toBe(`${PE.p1},10.1.0.1`);
    expect(dsts).toBe(`${PE.p2},10.1.0.2`);
    expect([dport, vni, icmp]).toEqual(['4789', String(L3VNI), '8']);
    expect(esrc!.split(',')[1]).toBe(RMAC1);
    expect(edst!.split(',')[1]).toBe(defaultRouterMac(PE.p2));
    // the reply PE2 -> PE1, and IPv6 inside
    const back = (await rows(`vxlan.vni == ${L3VNI} && ip.src == ${PE.p2} && icmp.type == 0`))[0]!;
    expect([back[4]!.split(',')[1], back[5]!.split(',')[1]]).toEqual([defaultRouterMac(PE.p2), RMAC1]);
    const v6 = (await rows(`vxlan.vni == ${L3VNI} && ip.src == ${PE.p1} && ipv6.dst == 2001:db8:1::2`))[0]!;
    expect(v6[5]!.split(',')[1]).toBe(defaultRouterMac(PE.p2));
  }, 90_000);

  if (rrKind === 'gobgp') it('type-5 routes injected with gobgp: installed with their VNI and router MAC; without router MAC or VXLAN not installed', async () => {
    const add = (prefix: string, gw: string, extra: string[]) =>
      gobgp(['global', 'rib', '-a', 'evpn', 'add', 'prefix', prefix, 'gw', gw, 'esi', '0', 'etag', '0', 'label', '9200', 'rd', '192.0.2.50:7', 'rt', '65000:100', 'nexthop', '192.0.2.50', ...extra]);
    expect((await add('10.9.0.0/24', '0.0.0.0', ['encap', 'vxlan', 'router-mac', '02:00:00:00:50:01'])).code).toBe(0);
    expect((await add('2001:db8:9::/64', '::', ['encap', 'vxlan', 'router-mac', '02:00:00:00:50:01'])).code).toBe(0);
    expect((await add('10.9.1.0/24', '0.0.0.0', ['encap', 'vxlan'])).code).toBe(0);
    expect((await add('10.9.2.0/24', '0.0.0.0', ['router-mac', '02:00:00:00:50:01'])).code).toBe(0);
    for (const role of ['p1', 'p2']) {
      const r = await until(`10.9.0.0/24 at ${role}`, () => routeTo(role, '10.9.0.0/24'), 30_000);
      expect(r.nexthops).toEqual([{ via: '192.0.2.50', port: null, mac: null, encap: 'vxlan', vni: 9200, 'router-mac': '02:00:00:00:50:01', source: RR }]);
      const r6 = await until(`2001:db8:9::/64 at ${role}`, () => routeTo(role, '2001:db8:9::/64'), 30_000);
      expect(r6.nexthops[0]).toMatchObject({ via: '192.0.2.50', vni: 9200, 'router-mac': '02:00:00:00:50:01' });
      await d[role]!.waitFor('"reason":"no-router-mac"', 10_000);
      await d[role]!.waitFor('"reason":"no-common-encapsulation"', 10_000);
      const all = (await routes(role)).map((x) => x.prefix);
      expect(all).not.toContain('10.9.1.0/24');
      expect(all).not.toContain('10.9.2.0/24');
    }
  }, 90_000);

  it('a VM port removed: its type-5 routes withdrawn at the reflector and gone from the other PE', async () => {
    await d.p2!.cli(['port', 'del', taps.p2!]);
    await until('withdrawn at the reflector', async () => !(await reflectorRib()).includes(rrKind === 'gobgp' ? '[prefix:10.1.0.2/32]' : '[10.1.0.2]'), 30_000);
    await until('gone at PE1', async () => !(await routeTo('p1', '10.1.0.2/32')) && !(await routeTo('p1', '2001:db8:1::2/128')), 30_000);
    expect((await ping(topo, vm.p1!, '10.1.0.2', 1)).received).toBe(0);
  }, 60_000);
});
