// Host services in a VRF: a VRF's `host-interface` is a TAP device in the
// host, created and owned by hvswitchd, through which the host's own stack
// (sshd, an iSCSI initiator, a BGP session) sends and receives in that VRF —
// as vRouter's vhost0 does for its one network, one per VRF here.
//
// To the switch it is a routed VM port of the VRF (mode `vm`): the host is the
// "VM", its addresses are /32 and /128 host routes in the VRF's FIB (exported
// like any VM's), its MAC is the TAP's host-side MAC (hvswitchd sets it), and
// the switch answers ARP for 169.254.0.1 and ND for fe80::1 on it.  To the
// host it is an interface with the configured addresses (noprefixroute) and
// routes via 169.254.0.1 / fe80::1 on-link for the prefixes it should reach
// through the VRF (`routes`, and the subnet of an address given with a
// shorter prefix), in `table` with `metric` when given: two VRFs with
// overlapping prefixes need different tables or metrics (a socket bound to
// the interface — `ping -I`, SO_BINDTODEVICE — then uses that VRF's route).
// This file resolves the config; host-side.ts configures the host.
// Not supported: Linux VRF (l3mdev) devices — the kernels this was built on
// lack them — nor following the VRF's BGP routes into the host.
import { createHash } from 'node:crypto';

import { formatIp, formatPrefix, maskBytes, parsePrefix } from '../util/ip.js';
import type { HostInterfaceConfig, PortConfig, RawConfig } from './config-schema.js';

type Problem = { path: string; message: string };
type RawHostInterface = NonNullable<NonNullable<RawConfig['vrfs']>[string]['host-interface']>;

const IFNAME = /^[A-Za-z0-9_.:-]{1,15}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** The host side's default MAC: locally administered, derived from the VRF and the name. */
export function hostInterfaceMac(vrf: string, name: string): string {
  const h = createHash('sha256').update(`hvswitch-host:${vrf}:${name}`).digest();
  return ['0a', ...[...h.subarray(0, 5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** The VRF's `vm` port that the host interface is to the switch. */
export function hostInterfacePort(vrf: string, h: HostInterfaceConfig, macLimit: number): PortConfig {
  const hosts = h.addresses.map((a) => {
    const p = parsePrefix(a, true)!;
    return `${formatIp(p.bytes)}/${p.af === 4 ? 32 : 128}`;
  });
  return {
    name: h.name,
    backend: 'tap',
    bridge: null,
    mode: 'vm',
    vrf,
    addresses: hosts,
    mac: null,
    vmMac: h.mac,
    vlan: 0,
    allowedVlans: [],
    macLimit,
    mtu: h.mtu,
    neighbors: [],
    hosts: [],
  };
}

/** One VRF's host interface, checked; null (with problems) if unusable. */
export function normalizeHostInterface(vrf: string, raw: RawHostInterface, problems: Problem[]): HostInterfaceConfig | null {
  const at = `vrfs.${vrf}.host-interface`;
  const before = problems.length;
  if (!IFNAME.test(raw.name)) problems.push({ path: `${at}.name`, message: 'must be a Linux interface name: 1-15 characters of A-Z a-z 0-9 _ . : -' });
  const routes: string[] = [];
  const addresses: string[] = [];
  raw.addresses.forEach((a, i) => {
    const p = parsePrefix(a, true);
    if (!p) return problems.push({ path: `${at}.addresses.${i}`, message: `'${a}' is not an address/prefix-length` });
    const text = `${formatIp(p.bytes)}/${p.plen}`;
    if (addresses.includes(text)) return problems.push({ path: `${at}.addresses.${i}`, message: `${a} is listed twice` });
    addresses.push(text);
    if (p.plen < (p.af === 4 ? 32 : 128)) routes.push(formatPrefix({ ...p, bytes: maskBytes(p.bytes, p.plen) }));
  });
  for (const af of [4, 6])
    if (addresses.filter((a) => a.includes(':') === (af === 6)).length > 4)
      problems.push({ path: `${at}.addresses`, message: `at most 4 IPv${af} addresses` });
  (raw.routes ?? []).forEach((r, i) => {
    const p = parsePrefix(r === 'default' ? '0.0.0.0/0' : r);
    if (!p) return problems.push({ path: `${at}.routes.${i}`, message: `'${r}' is not a prefix (CIDR), 'default' or '::/0'` });
    const text = formatPrefix(p);
    if (!routes.includes(text)) routes.push(text);
  });
  if (raw.mac !== undefined && (!MAC.test(raw.mac) || parseInt(raw.mac.slice(0, 2), 16) & 1))
    problems.push({ path: `${at}.mac`, message: 'must be a unicast MAC address like 0a:00:00:00:00:01' });
  if (problems.length > before) return null;
  return {
    name: raw.name,
    addresses,
    routes,
    metric: raw.metric ?? null,
    table: raw.table ?? null,
    mac: raw.mac?.toLowerCase() ?? hostInterfaceMac(vrf, raw.name),
    mtu: raw.mtu ?? 1500,
  };
}

/** Rules between host interfaces and ports: names unique, and no two host
 *  interfaces route the same prefix in the same host table with the same metric. */
export function checkHostInterfaces(list: { vrf: string; h: HostInterfaceConfig }[], ports: PortConfig[], problems: Problem[]): void {
  const names = new Map<string, string>();
  const routes = new Map<string, string>();
  for (const { vrf, h } of list) {
    const at = `vrfs.${vrf}.host-interface`;
    if (ports.some((p) => p.name === h.name)) problems.push({ path: `${at}.name`, message: `'${h.name}' is also a port (ports.${h.name})` });
    if (names.has(h.name)) problems.push({ path: `${at}.name`, message: `'${h.name}' is also the host interface of vrf ${names.get(h.name)}` });
    names.set(h.name, vrf);
    for (const r of h.routes) {
      const key = `${h.table ?? 'main'} ${h.metric ?? 'default'} ${r}`;
      const other = routes.get(key);
      if (other)
        problems.push({
          path: `${at}.routes`,
          message: `${r} is also routed through the host interface of vrf ${other} in the same table and metric: give one of them another metric or table`,
        });
      else routes.set(key, vrf);
    }
  }
}

/** The raw (`hvswitchd.yaml`) form that normalizes back to `h`. */
export function rawHostInterface(h: HostInterfaceConfig): RawHostInterface {
  const out: RawHostInterface = { name: h.name, addresses: [...h.addresses], mac: h.mac, mtu: h.mtu };
  if (h.routes.length) out.routes = [...h.routes];
  if (h.metric !== null) out.metric = h.metric;
  if (h.table !== null) out.table = h.table;
  return out;
}

/** The names of the ports that are host interfaces (they are written under their VRF, not under `ports`). */
export function hostInterfaceNames(vrfs: { hostInterface: HostInterfaceConfig | null }[]): Set<string> {
  return new Set(vrfs.flatMap((v) => (v.hostInterface ? [v.hostInterface.name] : [])));
}
