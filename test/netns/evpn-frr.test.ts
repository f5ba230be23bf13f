// EVPN interop with FRR (issue 10): the reference VTEP of
// ../shared/anchors/frr-evpn (FRR zebra + bgpd driving a Linux bridge and the
// kernel's VXLAN device) beside three hvswitchd hypervisors, all one VNI, all
// clients of a route reflector on the fabric: gobgpd, then FRR (bgpd) as the
// reflector.  The four VMs ping each other across all pairs; a broadcast from
// a VM behind hvswitchd reaches every other VM once, FRR's included.  The VMs ping both ways; tshark on the underlay
// decodes our VXLAN (VNI, outer addresses, UDP 4789, DF); FRR lists our MAC
// behind our VTEP (`show evpn mac vni all`) and us among its remote VTEPs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Frr, haveFrr } from './helpers/frr.js';
import { capture, netnsGate, ping, py, sh, Topology, until, type Daemon } from './helpers/netns.js';

const gate = netnsGate();
if (!gate.skip && !haveFrr && process.env.CI === 'true') throw new Error('FRR is not installed (scripts/install-deps.sh installs it)');

for (const rrKind of ['gobgp', 'frr'] as const)
describe.skipIf(gate.skip || !haveFrr)(`EVPN interop: FRR VTEP and hvswitchd behind a ${rrKind} reflector${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  let fabric: string, frrHv: string, hvHv: string, vm1: string, vm2: string;
  let d: Daemon;
  const more: { hv: string; vm: string; d: Daemon; ip: string; vtep: string }[] = []; // hvswitchd hypervisors 2 and 3
  let frr: Frr;
  let rrFrr: Frr | undefined;
  const pcap = join(topo.tmp, 'underlay.pcap');
  const vtysh = (cmd: string) => frr.vtysh(cmd);
  const MAC1 = '02:00:0a:64:00:01', MAC2 = '02:00:0a:64:00:02';

  beforeAll(async () => {
    fabric = await topo.ns('fab');
    frrHv = await topo.ns('fhv');
    hvHv = await topo.ns('hhv');
    vm1 = await topo.ns('vma');
    vm2 = await topo.ns('vmb');
    await topo.exec(fabric, ['ip', 'link', 'add', 'fab0', 'type', 'bridge']);
    await topo.exec(fabric, ['ip', 'addr', 'add', '192.0.2.1/24', 'dev', 'fab0']);
    await topo.exec(fabric, ['ip', 'link', 'set', 'fab0', 'up']);
    for (const [ns, ip, role] of [[frrHv, '192.0.2.11', 'uf'], [hvHv, '192.0.2.12', 'uh']] as const) {
      const up = topo.name(role);
      await topo.veth(fabric, up, ns, 'ul0', `${ip}/24`);
      await topo.exec(fabric, ['ip', 'link', 'set', up, 'master', 'fab0']);
    }
    topo.spawnIn(fabric, ['tcpdump', '-nn', '-i', 'fab0', '-s', '0', '-U', '-w', pcap, 'udp', 'port', '4789']);
    for (const [ip, role] of [['192.0.2.13', 'ux'], ['192.0.2.14', 'uy']] as const) {
      const ns = await topo.ns(`h${role}`);
      const up = topo.name(role);
      await topo.veth(fabric, up, ns, 'ul0', `${ip}/24`);
      await topo.exec(fabric, ['ip', 'link', 'set', up, 'master', 'fab0']);
      more.push({ hv: ns, vm: '', d: undefined as unknown as Daemon, ip: '', vtep: ip });
    }
    const clients = ['192.0.2.11', '192.0.2.12', '192.0.2.13', '192.0.2.14'];
    if (rrKind === 'gobgp') {
      let conf = `[global.config]\n  as = 65000\n  router-id = "192.0.2.1"\n  local-address-list = ["192.0.2.1"]\n`;
      for (const n of clients) {
        conf += `[[neighbors]]\n  [neighbors.config]\n    neighbor-address = "${n}"\n    peer-as = 65000\n`;
        conf += `  [neighbors.route-reflector.config]\n    route-reflector-client = true\n    route-reflector-cluster-id = "192.0.2.1"\n`;
        conf += `  [neighbors.timers.config]\n    connect-retry = 1\n`;
        conf += `  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "l2vpn-evpn"\n`;
      }
      writeFileSync(join(topo.tmp, 'gobgpd.toml'), conf);
      topo.spawnIn(fabric, ['gobgpd', '-f', join(topo.tmp, 'gobgpd.toml'), '-t', 'toml', '-p', '--api-hosts', '127.0.0.1:50051', '--pprof-disable']);
    } else {
      rrFrr = new Frr(topo, fabric, 'rr');
      await rrFrr.start([
        'frr defaults traditional', 'hostname rr', 'router bgp 65000', ' bgp router-id 192.0.2.1', ' bgp cluster-id 192.0.2.1', ' no bgp default ipv4-unicast',
        ...clients.flatMap((c) => [` neighbor ${c} remote-as 65000`, ` neighbor ${c} timers connect 1`]),
        ' address-family l2vpn evpn', ...clients.flatMap((c) => [`  neighbor ${c} activate`, `  neighbor ${c} route-reflector-client`]),
        ' exit-address-family', 'exit', '',
      ].join('\n'));
    }

    // the FRR VTEP, as the anchor builds it: bridge + kernel VXLAN (VNI 100, no data-plane learning)
    const x = (argv: string[]) => topo.exec(frrHv, argv);
    await x(['ip', 'link', 'add', 'br100', 'type', 'bridge']);
    await x(['ip', 'link', 'set', 'br100', 'addrgenmode', 'none']);
    await x(['ip', 'link', 'add', 'vni100', 'type', 'vxlan', 'id', '100', 'local', '192.0.2.11', 'dstport', '4789', 'nolearning', 'dev', 'ul0']);
    await x(['ip', 'link', 'set', 'vni100', 'master', 'br100', 'addrgenmode', 'none']);
    const fv = topo.name('fv');
    await sh('ip', ['link', 'add', fv, 'netns', frrHv, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', vm1]);
    await x(['ip', 'link', 'set', fv, 'master', 'br100', 'mtu', '1450', 'up']);
    await x(['ip', 'link', 'set', 'vni100', 'up']);
    await x(['ip', 'link', 'set', 'br100', 'up']);
    await topo.exec(vm1, ['ip', 'link', 'set', 'eth0', 'address', MAC1, 'mtu', '1450']);
    await topo.exec(vm1, ['ip', 'addr', 'add', '10.100.0.1/24', 'dev', 'eth0']);
    await topo.exec(vm1, ['ip', 'link', 'set', 'eth0', 'up']);
    frr = new Frr(topo, frrHv, 'vtep');
    await frr.start([
      'frr defaults traditional', 'hostname fhv', 'router bgp 65000', ' bgp router-id 192.0.2.11', ' no bgp default ipv4-unicast',
      ' neighbor 192.0.2.1 remote-as 65000', ' neighbor 192.0.2.1 update-source 192.0.2.11', ' neighbor 192.0.2.1 timers connect 1',
      ' address-family l2vpn evpn', '  neighbor 192.0.2.1 activate', '  advertise-all-vni', ' exit-address-family', 'exit', '',
    ].join('\n'));

    // hvswitchd: VLAN 1 of br0 is VNI 100 (route targets 65000:100, as FRR derives them)
    const hp = topo.name('hp');
    await topo.veth(hvHv, hp, vm2, 'eth0', '10.100.0.2/24');
    await topo.exec(vm2, ['ip', 'link', 'set', 'eth0', 'address', MAC2, 'mtu', '1450']);
    d = await topo.daemon(hvHv, {
      vtep: { address: '192.0.2.12' },
      bridges: { br0: { evpn: [{ vlan: 1, vni: 100 }] } },
      ports: { [hp]: { backend: 'af-packet', bridge: 'br0', mode: 'access', vlan: 1 } },
      bgp: {
        global: { as: 65000, 'router-id': '192.0.2.12', 'listen-port': 0 },
        neighbors: [{ 'neighbor-address': '192.0.2.1', 'peer-as': 65000, 'afi-safis': ['l2vpn-evpn'], 'local-address': '192.0.2.12', timers: { 'connect-retry': 1, 'idle-hold-time': 1 } }],
      },
    });
    // two more hvswitchd hypervisors in the same VNI
    for (const [i, h] of more.entries()) {
      h.vm = await topo.ns(`vm${i + 3}`);
      h.ip = `10.100.0.${i + 3}`;
      const port = topo.name(`hq${i}`);
      await topo.veth(h.hv, port, h.vm, 'eth0', `${h.ip}/24`);
      await topo.exec(h.vm, ['ip', 'link', 'set', 'eth0', 'mtu', '1450']);
      h.d = await topo.daemon(h.hv, {
        vtep: { address: h.vtep },
        bridges: { br0: { evpn: [{ vlan: 1, vni: 100 }] } },
        ports: { [port]: { backend: 'af-packet', bridge: 'br0', mode: 'access', vlan: 1 } },
        bgp: {
          global: { as: 65000, 'router-id': h.vtep, 'listen-port': 0 },
          neighbors: [{ 'neighbor-address': '192.0.2.1', 'peer-as': 65000, 'afi-safis': ['l2vpn-evpn'], 'local-address': h.vtep, timers: { 'connect-retry': 1, 'idle-hold-time': 1 } }],
        },
      });
    }
  }, 120_000);

  afterAll(async () => {
    await frr?.stop();
    await rrFrr?.stop();
    await topo.destroy();
  });

  it('the VMs behind FRR and behind hvswitchd ping each other both ways', async () => {
    await until('vm2 -> vm1', async () => (await ping(topo, vm2, '10.100.0.1', 1)).received === 1, 60_000);
    for (const [from, to] of [[vm2, '10.100.0.1'], [vm1, '10.100.0.2']] as const) {
      const r = await ping(topo, from, to, 3);
      expect(r.received, r.output).toBe(3);
    }
  }, 90_000);

  it('three hvswitchd and the FRR VTEP share VNI 100: the four VMs ping each other across all pairs', async () => {
    const vms = [[vm1, '10.100.0.1'], [vm2, '10.100.0.2'], ...more.map((h) => [h.vm, h.ip] as const)] as const;
    for (const [from] of vms)
      for (const [, to] of vms) {
        if (from === vms.find((v) => v[1] === to)![0]) continue;
        await until(`${to} from ${from}`, async () => (await ping(topo, from, to, 1)).received === 1, 60_000);
      }
    const vteps = (await vtysh('show evpn vni 100')).stdout;
    for (const v of ['192.0.2.12', '192.0.2.13', '192.0.2.14']) expect(vteps, vteps).toContain(v); // FRR's remote VTEPs: the three of us
  }, 120_000);

  it('a broadcast from a VM behind hvswitchd reaches each other VM once, FRR\'s included, and each remote VTEP once', async () => {
    const wire = await capture(topo, fabric, 'fab0', ['udp', 'port', '4789']);
    const listeners = await Promise.all([vm1, ...more.map((h) => h.vm)].map((ns) => capture(topo, ns, 'eth0', ['arp', 'and', 'host', '10.100.0.99'])));
    const sent = await py(topo, vm2, [
      'from scapy.all import Ether, ARP, sendp, get_if_hwaddr',
      "m = get_if_hwaddr('eth0')",
      "sendp(Ether(src=m, dst='ff:ff:ff:ff:ff:ff')/ARP(op=1, hwsrc=m, psrc='10.100.0.2', pdst='10.100.0.99'), iface='eth0', verbose=False)",
    ].join('\n'));
    expect(sent.code, sent.stderr).toBe(0);
    await until('the request at every VM', () => listeners.every((l) => l.seen().some((x) => x.includes('Request'))), 10_000).catch(() => undefined); // checked below
    const lines = await wire.stop();
    const heard = await Promise.all(listeners.map((l) => l.stop()));
    for (const h of heard) expect(h.filter((x) => x.includes('Request')).length, h.join('\n')).toBe(1);
    const frames = lines.flatMap((l, i) => (l.includes('VXLAN') ? [`${l} | ${lines[i + 1] ?? ''}`] : []));
    const requests = frames.filter((l) => l.includes('who-has 10.100.0.99'));
    for (const v of ['192.0.2.11', '192.0.2.13', '192.0.2.14']) expect(requests.filter((l) => l.includes(`> ${v}.4789`)).length, lines.join('\n')).toBe(1);
    expect(requests.length).toBe(3); // from our VTEP only: never sent back into a tunnel
  }, 60_000);

  it('FRR lists our MAC behind our VTEP, and our VTEP among its remote VTEPs', async () => {
    const macs = await until('FRR knows our MAC', async () => {
      const r = await vtysh('show evpn mac vni all');
      return r.stdout.includes(MAC2) && r.stdout;
    });
    const line = macs.split('\n').find((l) => l.includes(MAC2))!;
    expect(line).toMatch(/remote/);
    expect(line).toContain('192.0.2.12');
    const vni = (await vtysh('show evpn vni 100')).stdout;
    expect(vni).toMatch(/Remote VTEPs[\s\S]*192\.0\.2\.12/);
  });

  it('FRR has our VM\'s IP from our MAC/IP route (ARP snooping) in its remote neighbor table', async () => {
    const arp = await until('FRR arp-cache has 10.100.0.2', async () => {
      const r = await vtysh('show evpn arp-cache vni 100');
      return r.stdout.includes('10.100.0.2') && r.stdout;
    });
    const line = arp.split('\n').find((l) => l.includes('10.100.0.2'))!;
    expect(line).toMatch(/remote/);
    expect(line).toContain(MAC2);
  });

  it('hvswitchd has FRR\'s MAC as a remote FDB entry', async () => {
    const f = await d.cliJson<{ mac: string; kind: string }[]>(['fdb', 'show']);
    expect(f.find((e) => e.mac === MAC1)?.kind).toBe('remote');
  });

  it('tshark decodes our VXLAN on the underlay: VNI 100, our VTEP to FRR\'s, UDP 4789, DF set', async () => {
    await ping(topo, vm2, '10.100.0.1', 2);
    const fields = ['-T', 'fields', '-E', 'occurrence=f', '-e', 'vxlan.vni', '-e', 'ip.dst', '-e', 'udp.dstport', '-e', 'ip.flags.df', '-e', 'udp.srcport'];
    const rows = await until('our VXLAN in the capture', async () => {
      const r = await sh('tshark', ['-r', pcap, '-Y', 'vxlan && ip.src == 192.0.2.12 && ip.dst == 192.0.2.11', ...fields], { allowFail: true });
      const x = r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
      return x.length > 0 && x;
    });
    expect(rows.length).toBeGreaterThan(0);
    for (const [vni, dst, dport, df, sport] of rows) {
      expect(vni).toBe('100');
      expect(dst).toBe('192.0.2.11');
      expect(dport).toBe('4789');
      expect(df === '1' || df === 'True').toBe(true);
      expect(Number(sport)).toBeGreaterThanOrEqual(49152);
    }
    // and FRR's VXLAN to us decodes the same way (the kernel's encapsulation, our decapsulation)
    const back = await sh('tshark', ['-r', pcap, '-Y', 'vxlan && ip.src == 192.0.2.11 && ip.dst == 192.0.2.12', '-T', 'fields', '-e', 'vxlan.vni']);
    expect(back.stdout.trim().split('\n').filter(Boolean).every((v) => v === '100')).toBe(true);
  });
});
