// EVPN over VXLAN with an IPv6 underlay (issue 10): two hvswitchd whose VTEPs
// are IPv6 addresses on a veth between their namespaces, peering with each
// other directly over iBGP (IPv6 session, IPv6 next hops in the EVPN routes).
// The VMs ping; tcpdump sees VXLAN in IPv6/UDP 4789 between the VTEPs with the
// VNI; the kernel accepted our UDP checksums (the datagrams were delivered).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { capture, netnsGate, ping, Topology, until, type Daemon } from './helpers/netns.js';

const gate = netnsGate();

describe.skipIf(gate.skip)(`EVPN over VXLAN with an IPv6 underlay${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  const hv: string[] = [];
  const vm: string[] = [];
  const d: Daemon[] = [];
  const vtep = (i: number) => `fd00:2::1${i + 1}`;

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const h = await topo.ns(`h6${i}`);
      await topo.exec(h, ['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=0', 'net.ipv6.conf.default.disable_ipv6=0']);
      hv.push(h);
      vm.push(await topo.ns(`v6${i}`));
    }
    const ul = topo.name('ul');
    await topo.exec(hv[0]!, ['ip', 'link', 'add', ul, 'type', 'veth', 'peer', 'name', 'ul0', 'netns', hv[1]!]);
    await topo.exec(hv[0]!, ['ip', 'link', 'set', ul, 'name', 'ul0']);
    for (let i = 0; i < 2; i++) {
      await topo.exec(hv[i]!, ['ip', 'link', 'set', 'ul0', 'mtu', '1600', 'up']);
      await topo.exec(hv[i]!, ['ip', '-6', 'addr', 'add', `${vtep(i)}/64`, 'dev', 'ul0', 'nodad']);
    }
    for (let i = 0; i < 2; i++) {
      const port = topo.name(`q${i}`);
      await topo.veth(hv[i]!, port, vm[i]!, 'eth0', `10.100.0.${i + 1}/24`);
      d.push(
        await topo.daemon(hv[i]!, {
          vtep: { address: vtep(i), mtu: 1600 },
          bridges: { br0: { evpn: [{ vlan: 10, vni: 10010 }] } },
          ports: { [port]: { backend: 'af-packet', bridge: 'br0', mode: 'access', vlan: 10 } },
          bgp: {
            global: { as: 65000, 'router-id': `192.0.2.1${i + 1}`, 'listen-port': i === 0 ? 179 : 0, ...(i === 0 ? { 'listen-address': vtep(0) } : {}) },
            neighbors: [{
              'neighbor-address': vtep(1 - i), 'peer-as': 65000, 'afi-safis': ['l2vpn-evpn'], 'local-address': vtep(i),
              ...(i === 0 ? { passive: true } : {}), timers: { 'connect-retry': 1, 'idle-hold-time': 1 },
            }],
          },
        }),
      );
    }
  }, 60_000);

  afterAll(async () => {
    await topo.destroy();
  });

  it('the VMs ping each other through VXLAN over IPv6', async () => {
    await until('ping across the IPv6 underlay', async () => (await ping(topo, vm[0]!, '10.100.0.2', 1)).received === 1, 30_000);
    const wire = await capture(topo, hv[0]!, 'ul0', ['ip6', 'and', 'udp', 'port', '4789']);
    const r = await ping(topo, vm[0]!, '10.100.0.2', 3);
    expect(r.received, r.output).toBe(3);
    const lines = await wire.stop();
    const out = lines.filter((l) => l.includes(`${vtep(0)}.`) && l.includes(`> ${vtep(1)}.4789`));
    const back = lines.filter((l) => l.includes(`${vtep(1)}.`) && l.includes(`> ${vtep(0)}.4789`));
    expect(out.length, lines.join('\n')).toBeGreaterThanOrEqual(3);
    expect(back.length, lines.join('\n')).toBeGreaterThanOrEqual(3);
    expect(lines.filter((l) => l.includes('VXLAN')).every((l) => /vni 10010\b/.test(l))).toBe(true);
  }, 60_000);
});
