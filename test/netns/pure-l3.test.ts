// The "pure L3" hypervisor (docs/pure-l3.md, issue 11): two hvswitchd
// hypervisors, each with a routed uplink in VRF `pub` toward an FRR
// top-of-rack router (eBGP, AS 65000) in its own namespace, and a routed VM.
// Each hypervisor's BGP session runs from its host interface, which shares the
// uplink's address; the neighbor is bound to `pub`.  FRR learns each VM's /32
// and /128 with next hop = the hypervisor and our communities, loses them when
// the VM port is deleted, and the VMs reach each other (IPv4 and IPv6) through
// the routes FRR sends back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Frr, haveFrr } from './helpers/frr.js';
import { netnsGate, ping, Topology, until, type Daemon } from './helpers/netns.js';

const gate = netnsGate();
if (!gate.skip && !haveFrr && process.env.CI === 'true') throw new Error('FRR is not installed (scripts/install-deps.sh installs it)');

interface Hv { ns: string; vm: string; tap: string; d: Daemon; v4: string; v6: string; addr: string; addr6: string; as: number }
type FrrRoutes = { routes?: Record<string, { nexthops?: { ip: string }[]; path?: string }[]> };

describe.skipIf(gate.skip || !haveFrr)(`pure L3: VM host routes to an FRR upstream over eBGP${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  let fab: string;
  let frr: Frr;
  const hv: Hv[] = [];
  const vtyshJson = async <T,>(cmd: string): Promise<T> => JSON.parse((await frr.vtysh(`${cmd} json`)).stdout || '{}') as T;
  const frrRoute = async (family: 'ipv4' | 'ipv6', prefix: string) => (await vtyshJson<FrrRoutes>(`show bgp ${family} unicast`)).routes?.[prefix]?.[0];

  async function enableIpv6(ns: string, ifs: string[]): Promise<void> {
    await topo.exec(ns, ['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=0', ...ifs.map((i) => `net.ipv6.conf.${i}.disable_ipv6=0`)]);
  }

  async function hypervisor(i: 0 | 1): Promise<Hv> {
    const n = i + 1;
    const h = { ns: await topo.ns(`hv${n}`), vm: await topo.ns(`vm${n}`), tap: topo.name(`t${n}`), as: 65011 + i,
      addr: `192.0.2.1${n}`, addr6: `2001:db8::1${n}`, v4: `203.0.113.${n}`, v6: `2001:db8:100::${n}` };
    const fabSide = topo.name(`f${n}`);
    await topo.veth(fab, fabSide, h.ns, 'ul0');
    await topo.exec(fab, ['ip', 'link', 'set', fabSide, 'master', 'fab0']);
    const vmMac = `52:54:00:00:01:0${n}`;
    const d = await topo.daemon(h.ns, {
      vrfs: { pub: { 'host-interface': { name: 'hif0', addresses: [`${h.addr}/24`] } } },
      ports: {
        ul0: { backend: 'af-packet', mode: 'routed', vrf: 'pub', addresses: [`${h.addr}/24`, `${h.addr6}/64`] },
        [h.tap]: { backend: 'tap', mode: 'vm', vrf: 'pub', 'vm-mac': vmMac, addresses: [`${h.v4}/32`, `${h.v6}/128`] },
      },
      bgp: {
        global: { as: h.as, 'router-id': h.addr, 'listen-port': 0 },
        neighbors: [{
          'neighbor-address': '192.0.2.1', 'peer-as': 65000, 'afi-safis': ['ipv4-unicast', 'ipv6-unicast'], vrf: 'pub',
          'local-address': h.addr, communities: [`${h.as}:100`, `${h.as}:200`], 'large-communities': [`${h.as}:0:100`],
          timers: { 'connect-retry': 1, 'idle-hold-time': 1 },
        }],
      },
    });
    // the VM, configured like the CloudStack netplan
    await topo.adoptTap(h.ns, h.tap, h.vm, `${h.v4}/32`);
    await topo.exec(h.vm, ['ip', 'link', 'set', h.tap, 'down']);
    await topo.exec(h.vm, ['ip', 'link', 'set', h.tap, 'address', vmMac]);
    await enableIpv6(h.vm, [h.tap]);
    await topo.exec(h.vm, ['ip', 'link', 'set', h.tap, 'up']);
    await topo.exec(h.vm, ['ip', '-6', 'addr', 'add', `${h.v6}/128`, 'dev', h.tap, 'nodad']);
    await topo.exec(h.vm, ['ip', 'route', 'add', 'default', 'via', '169.254.0.1', 'dev', h.tap, 'onlink']);
    await topo.exec(h.vm, ['ip', '-6', 'route', 'add', 'default', 'via', 'fe80::1', 'dev', h.tap]);
    return { ...h, d };
  }

  beforeAll(async () => {
    fab = await topo.ns('fab');
    await topo.exec(fab, ['ip', 'link', 'add', 'fab0', 'type', 'bridge']);
    await enableIpv6(fab, ['fab0', 'default']);
    await topo.exec(fab, ['ip', 'addr', 'add', '192.0.2.1/24', 'dev', 'fab0']);
    await topo.exec(fab, ['ip', '-6', 'addr', 'add', '2001:db8::1/64', 'dev', 'fab0', 'nodad']);
    await topo.exec(fab, ['ip', 'link', 'set', 'fab0', 'up']);
    await topo.exec(fab, ['sysctl', '-qw', 'net.ipv4.ip_forward=1', 'net.ipv6.conf.all.forwarding=1']);
    frr = new Frr(topo, fab, 'tor');
    const nbr = (a: string, as: number) => [` neighbor ${a} remote-as ${as}`, ` neighbor ${a} timers connect 1`];
    const act = ['  neighbor 192.0.2.11 activate', '  neighbor 192.0.2.12 activate'];
    await frr.start([
      'frr defaults traditional', 'hostname tor', 'router bgp 65000', ' bgp router-id 192.0.2.1', ' no bgp ebgp-requires-policy',
      ...nbr('192.0.2.11', 65011), ...nbr('192.0.2.12', 65012),
      ' address-family ipv4 unicast', ...act, ' exit-address-family',
      ' address-family ipv6 unicast', ...act, ' exit-address-family', 'exit', '',
    ].join('\n'));
    hv.push(await hypervisor(0), await hypervisor(1));
  }, 120_000);

  afterAll(async () => {
    await frr?.stop();
    await topo.destroy();
  });

  it('FRR learns each VM\'s /32 and /128 with next hop = the hypervisor and our communities', async () => {
    for (const h of hv) {
      const r4 = await until(`FRR has ${h.v4}/32`, () => frrRoute('ipv4', `${h.v4}/32`), 60_000);
      expect(r4.nexthops?.[0]?.ip).toBe(h.addr);
      expect(r4.path).toBe(String(h.as));
      // the communities: from FRR's detailed view of the prefix (the table view has none)
      const detail = await vtyshJson<{ paths?: { community?: { string: string }; largeCommunity?: { string: string } }[] }>(`show bgp ipv4 unicast ${h.v4}/32`);
      expect(detail.paths?.[0]?.community?.string).toBe(`${h.as}:100 ${h.as}:200`);
      expect(detail.paths?.[0]?.largeCommunity?.string).toBe(`${h.as}:0:100`);
      const r6 = await until(`FRR has ${h.v6}/128`, () => frrRoute('ipv6', `${h.v6}/128`), 30_000);
      expect(r6.nexthops?.[0]?.ip).toBe(h.addr6); // a global IPv6 next hop over the IPv4 session
    }
    // only the VMs' host routes: not the uplink's /32 the host interface shares
    expect(await frrRoute('ipv4', '192.0.2.11/32')).toBeUndefined();
    // and our CLI lists the route in the neighbor's Adj-RIB-Out (as originated: the AS path, next hop and
    // communities are written per session, which FRR's view above shows); the shared /32 is not there
    const out = await hv[0]!.d.cliJson<{ network: string }[]>(['bgp', 'neighbor', '192.0.2.1', 'adj-out', '-a', 'ipv4']);
    expect(out.map((r) => r.network)).toEqual([`${hv[0]!.v4}/32`]);
  });

  it('each hypervisor installs the other\'s VM routes from FRR in its VRF with origin bgp', async () => {
    for (const [h, other] of [[hv[0]!, hv[1]!], [hv[1]!, hv[0]!]] as const) {
      const routes = await until(`${h.ns} has ${other.v4}/32 from bgp`, async () => {
        const r = await h.d.cliJson<{ prefix: string; origin: string; nexthops: { port?: string; via?: string }[] }[]>(['route', 'show', '--vrf', 'pub']);
        return r.some((x) => x.prefix === `${other.v4}/32`) && r.some((x) => x.prefix === `${other.v6}/128`) && r;
      }, 30_000);
      const r4 = routes.find((x) => x.prefix === `${other.v4}/32`)!;
      expect(r4.origin).toBe('bgp');
      expect(r4.nexthops[0]).toMatchObject({ port: 'ul0' });
      expect(['192.0.2.1', other.addr]).toContain(r4.nexthops[0]!.via); // FRR itself, or the other hypervisor (RFC 4271 §5.1.3 third-party next hop)
      const r6 = routes.find((x) => x.prefix === `${other.v6}/128`)!;
      expect(r6.nexthops[0]).toMatchObject({ port: 'ul0' });
      expect(['2001:db8::1', other.addr6]).toContain(r6.nexthops[0]!.via);
    }
  });

  it('the VM on hypervisor 1 reaches the VM on hypervisor 2 over IPv4 and IPv6', async () => {
    const [a, b] = [hv[0]!, hv[1]!];
    await until('IPv4 VM to VM', async () => (await ping(topo, a.vm, b.v4, 1)).received === 1, 30_000);
    const v4 = await ping(topo, a.vm, b.v4, 3);
    expect(v4.received, v4.output).toBe(3);
    await until('IPv6 VM to VM', async () => (await ping(topo, b.vm, a.v6, 1)).received === 1, 30_000);
    const v6 = await ping(topo, b.vm, a.v6, 3);
    expect(v6.received, v6.output).toBe(3);
  });

  it('a VM port deleted through the API: FRR loses its /32 and /128; added back: learns them again', async () => {
    const a = hv[0]!;
    await a.d.cli(['port', 'del', a.tap]);
    await until('FRR withdrew the /32', async () => (await frrRoute('ipv4', `${a.v4}/32`)) === undefined, 20_000);
    await until('FRR withdrew the /128', async () => (await frrRoute('ipv6', `${a.v6}/128`)) === undefined, 20_000);
    // and the other hypervisor's FIB loses them too (FRR's withdrawal, imported)
    await until('hypervisor 2 dropped the route', async () => {
      const r = await hv[1]!.d.cliJson<{ prefix: string }[]>(['route', 'show', '--vrf', 'pub']);
      return !r.some((x) => x.prefix === `${a.v4}/32`);
    }, 20_000);
    await a.d.cli(['port', 'add', a.tap, '--backend', 'tap', '--mode', 'vm', '--vrf', 'pub', '--vm-mac', '52:54:00:00:01:01', '--address', `${a.v4}/32`, `${a.v6}/128`]);
    const r4 = await until('FRR learned the /32 again', () => frrRoute('ipv4', `${a.v4}/32`), 20_000);
    expect(r4.nexthops?.[0]?.ip).toBe(a.addr);
  });
});
