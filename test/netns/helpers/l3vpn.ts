// IP-VPN topology for namespace tests (test/netns/l3vpn.test.ts): a fabric
// namespace whose bridge joins the PEs' underlay interfaces and runs FRR as a
// VPNv4/VPNv6 route reflector; hvswitchd PEs; VMs on vm-mode TAP ports,
// configured like the CloudStack netplan (host addresses, default via
// 169.254.0.1 on-link and fe80::1).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Frr } from './frr.js';
import type { Daemon, Topology } from './netns.js';

export const RR = '192.0.2.1';
export const AS = 65000;

/** The fabric: bridge fab0 with the reflector's address, FRR reflecting VPNv4/VPNv6 to `clients`. */
export async function startFabric(topo: Topology, clients: string[]): Promise<{ ns: string; frr: Frr }> {
  const ns = await topo.ns('fab');
  await topo.exec(ns, ['ip', 'link', 'add', 'fab0', 'type', 'bridge']);
  await topo.exec(ns, ['ip', 'addr', 'add', `${RR}/24`, 'dev', 'fab0']);
  await topo.exec(ns, ['ip', 'link', 'set', 'fab0', 'up']);
  const frr = new Frr(topo, ns, 'rr');
  const conf = ['frr defaults traditional', 'hostname rr', `router bgp ${AS}`, ` bgp router-id ${RR}`, ' no bgp default ipv4-unicast', ` bgp cluster-id ${RR}`];
  for (const c of clients) conf.push(` neighbor ${c} remote-as ${AS}`, ` neighbor ${c} timers connect 1`);
  for (const af of ['ipv4 vpn', 'ipv6 vpn']) {
    conf.push(` address-family ${af}`);
    for (const c of clients) conf.push(`  neighbor ${c} activate`, `  neighbor ${c} route-reflector-client`);
    conf.push(' exit-address-family');
  }
  await frr.start([...conf, 'exit', ''].join('\n'));
  return { ns, frr };
}

/** A PE namespace whose ul0 (address `pe`/24) is a port of the fabric bridge. */
export async function peNamespace(topo: Topology, fabric: string, role: string, pe: string): Promise<string> {
  const ns = await topo.ns(role);
  const up = topo.name(`u${role}`);
  await topo.veth(fabric, up, ns, 'ul0', `${pe}/24`);
  await topo.exec(fabric, ['ip', 'link', 'set', up, 'master', 'fab0']);
  return ns;
}

/** hvswitchd's BGP section for a PE: one iBGP session to the reflector, VPNv4 and VPNv6. */
/** A PE's BGP: one iBGP session to the reflector, VPNv4 and VPNv6 (and RT constraint with `rtc`). */
export function peBgp(pe: string, opts: { rtc?: boolean } = {}): object {
  return {
    global: { as: AS, 'router-id': pe, 'listen-port': 0 },
    neighbors: [
      {
        'neighbor-address': RR,
        'peer-as': AS,
        'afi-safis': ['l3vpn-ipv4-unicast', 'l3vpn-ipv6-unicast', ...(opts.rtc ? ['rtc'] : [])],
        'local-address': pe,
        timers: { 'connect-retry': 1, 'idle-hold-time': 1 },
      },
    ],
  };
}

/** A vm port's config: the VM's MAC and host addresses in `vrf`. */
export function vmPort(vrf: string, mac: string, addresses: string[]): object {
  return { backend: 'tap', mode: 'vm', vrf, 'vm-mac': mac, addresses };
}

/** Moves the daemon's TAP `tap` into a new VM namespace and configures the VM. */
export async function startVm(topo: Topology, pe: string, tap: string, role: string, mac: string, v4: string, v6?: string): Promise<string> {
  const vm = await topo.ns(role);
  await topo.adoptTap(pe, tap, vm, `${v4}/32`);
  await topo.exec(vm, ['ip', 'link', 'set', tap, 'down']);
  await topo.exec(vm, ['ip', 'link', 'set', tap, 'address', mac]);
  if (v6) await topo.exec(vm, ['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=0', `net.ipv6.conf.${tap}.disable_ipv6=0`]);
  await topo.exec(vm, ['ip', 'link', 'set', tap, 'up']);
  await topo.exec(vm, ['ip', 'route', 'add', '169.254.0.1', 'dev', tap]);
  await topo.exec(vm, ['ip', 'route', 'add', 'default', 'via', '169.254.0.1', 'dev', tap, 'onlink']);
  if (v6) {
    await topo.exec(vm, ['ip', '-6', 'addr', 'add', `${v6}/128`, 'dev', tap, 'nodad']);
    await topo.exec(vm, ['ip', '-6', 'route', 'add', 'default', 'via', 'fe80::1', 'dev', tap]);
  }
  return vm;
}

/** `route show --origin bgp --json` of a daemon. */
export interface BgpRouteRow {
  vrf: string;
  prefix: string;
  origin: string;
  nexthops: { via: string | null; label?: number; encap?: string; source?: string }[];
}
export const bgpRoutes = (d: Daemon, vrf: string) => d.cliJson<BgpRouteRow[]>(['route', 'show', '--vrf', vrf, '--origin', 'bgp']);

/** The fabric with GoBGP as the VPNv4/VPNv6 reflector instead of FRR; `gobgp` runs its CLI there. */
/** GoBGP as the reflector of `clients` (VPNv4, VPNv6; with `rtc`, RT constraint too, RFC 4684). */
export async function startGobgpFabric(topo: Topology, clients: string[], opts: { rtc?: boolean } = {}): Promise<{ ns: string; gobgp: (args: string[]) => Promise<string> }> {
  const ns = await topo.ns('fab');
  await topo.exec(ns, ['ip', 'link', 'add', 'fab0', 'type', 'bridge']);
  await topo.exec(ns, ['ip', 'addr', 'add', `${RR}/24`, 'dev', 'fab0']);
  await topo.exec(ns, ['ip', 'link', 'set', 'fab0', 'up']);
  let conf = `[global.config]\n  as = ${AS}\n  router-id = "${RR}"\n  local-address-list = ["${RR}"]\n`;
  for (const c of clients) {
    conf += `[[neighbors]]\n  [neighbors.config]\n    neighbor-address = "${c}"\n    peer-as = ${AS}\n`;
    conf += `  [neighbors.route-reflector.config]\n    route-reflector-client = true\n    route-reflector-cluster-id = "${RR}"\n`;
    conf += `  [neighbors.timers.config]\n    connect-retry = 1\n`;
    for (const af of ['l3vpn-ipv4-unicast', 'l3vpn-ipv6-unicast', ...(opts.rtc ? ['rtc'] : [])]) conf += `  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "${af}"\n`;
  }
  const file = join(topo.tmp, 'gobgpd-vpn.toml');
  writeFileSync(file, conf);
  topo.spawnIn(ns, ['gobgpd', '-f', file, '-t', 'toml', '-p', '--api-hosts', '127.0.0.1:50051', '--pprof-disable']);
  const gobgp = async (args: string[]) => (await topo.exec(ns, ['gobgp', '-u', '127.0.0.1', '-p', '50051', ...args], { allowFail: true })).stdout;
  return { ns, gobgp };
}
