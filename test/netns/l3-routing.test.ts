// Per-VRF routing through hvswitchd in network namespaces: four VRFs with their
// own uplinks, overlapping subnets without leaks, a routed VM configured like
// the CloudStack netplan (address /32 + /128, default via 169.254.0.1 on-link,
// ::/0 via fe80::1), anti-spoofing, and ICMP time exceeded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { capture, IFACE_BACKENDS, netnsGate, ping, sleep, Topology, type Daemon } from './helpers/netns.js';

const gate = netnsGate();
const VRFS = ['mgmt', 'pub', 'storacc', 'storrepl'] as const;
const VM_MAC = '52:54:00:12:34:56';

describe.skipIf(gate.skip).each(IFACE_BACKENDS)(`VRF routing on %s${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, (backend) => {
  const topo = new Topology();
  let sw: string, vm: string;
  const host: Record<string, string> = {};
  const up: Record<string, string> = {};
  const hostPort = (i: number) => topo.name(`h${i}`);
  const upPort = (i: number) => topo.name(`u${i}`);
  const vmTap = topo.name('vm');
  let d: Daemon;

  beforeAll(async () => {
    sw = await topo.ns('sw');
    vm = await topo.ns('vm');
    const ports: Record<string, object> = {};
    const vrfs: Record<string, object> = {};
    for (const [i, v] of VRFS.entries()) {
      host[v] = await topo.ns(`h${i}`);
      up[v] = await topo.ns(`u${i}`);
      await topo.veth(sw, hostPort(i), host[v]!, 'eth0', `10.0.0.${10 + i}/24`);
      await topo.exec(host[v]!, ['ip', 'route', 'add', 'default', 'via', '10.0.0.1']);
      await topo.veth(sw, upPort(i), up[v]!, 'eth0', `192.168.${i}.2/24`);
      // behind each gateway: its own address, and one they all share
      await topo.exec(up[v]!, ['ip', 'addr', 'add', `198.51.100.${i + 1}/32`, 'dev', 'lo']);
      await topo.exec(up[v]!, ['ip', 'addr', 'add', '203.0.113.1/32', 'dev', 'lo']);
      await topo.exec(up[v]!, ['ip', 'route', 'add', '10.0.0.0/24', 'via', `192.168.${i}.1`]);
      ports[hostPort(i)] = { backend, mode: 'routed', vrf: v, addresses: ['10.0.0.1/24'] };
      ports[upPort(i)] = { backend, mode: 'routed', vrf: v, addresses: [`192.168.${i}.1/24`, `2001:db8:${i}::1/64`] };
      vrfs[v] = { routes: [{ to: 'default', via: `192.168.${i}.2` }, { to: '::/0', via: `2001:db8:${i}::2` }] };
    }
    // IPv6 on the pub uplink (and the VM below)
    const pub = up.pub!;
    await topo.exec(pub, ['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=0', 'net.ipv6.conf.eth0.disable_ipv6=0', 'net.ipv6.conf.lo.disable_ipv6=0']);
    await topo.exec(pub, ['ip', '-6', 'addr', 'add', '2001:db8:1::2/64', 'dev', 'eth0', 'nodad']);
    await topo.exec(pub, ['ip', '-6', 'addr', 'add', '2001:db8:ffff::1/128', 'dev', 'lo']);
    await topo.exec(pub, ['ip', '-6', 'route', 'add', '2a14:9b80:103::100/128', 'via', '2001:db8:1::1']);
    await topo.exec(pub, ['ip', 'route', 'add', '2.57.57.29/32', 'via', '192.168.1.1']);
    ports[vmTap] = { backend: 'tap', mode: 'vm', vrf: 'pub', 'vm-mac': VM_MAC, addresses: ['2.57.57.29/32', '2a14:9b80:103::100/128'] };
    d = await topo.daemon(sw, { vrfs, ports });
    // the VM, configured like the CloudStack netplan
    await topo.adoptTap(sw, vmTap, vm, '2.57.57.29/32');
    await topo.exec(vm, ['ip', 'link', 'set', vmTap, 'down']);
    await topo.exec(vm, ['ip', 'link', 'set', vmTap, 'address', VM_MAC]);
    await topo.exec(vm, ['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=0', `net.ipv6.conf.${vmTap}.disable_ipv6=0`]);
    await topo.exec(vm, ['ip', 'link', 'set', vmTap, 'up']);
    await topo.exec(vm, ['ip', '-6', 'addr', 'add', '2a14:9b80:103::100/128', 'dev', vmTap, 'nodad']);
    await topo.exec(vm, ['ip', 'route', 'add', '169.254.0.1', 'dev', vmTap]);
    await topo.exec(vm, ['ip', 'route', 'add', 'default', 'via', '169.254.0.1', 'dev', vmTap, 'onlink']);
    await topo.exec(vm, ['ip', '-6', 'route', 'add', 'default', 'via', 'fe80::1', 'dev', vmTap]);
  });
  afterAll(async () => {
    await topo.destroy();
  });

  it('1. each VRF reaches the address behind its own gateway, through its own uplink only', async () => {
    for (const [i, v] of VRFS.entries()) {
      const caps = await Promise.all(VRFS.map((u) => capture(topo, up[u]!, 'eth0', ['icmp'])));
      const r = await ping(topo, host[v]!, `198.51.100.${i + 1}`, 3);
      const shared = await ping(topo, host[v]!, '203.0.113.1', 2);
      const seen = await Promise.all(caps.map((c) => c.stop()));
      expect(r.received, `${v}: ${r.output}`).toBe(3);
      expect(shared.received).toBe(2);
      for (const [k, u] of VRFS.entries()) {
        const fromHost = seen[k]!.filter((l) => l.includes(`10.0.0.${10 + i}`));
        if (u === v) expect(fromHost.length, `${v} on its uplink`).toBeGreaterThanOrEqual(10);
        else expect(fromHost, `${v} leaked to the ${u} uplink`).toEqual([]);
      }
      // and not what sits behind another VRF's gateway
      const other = (i + 1) % VRFS.length;
      const miss = await ping(topo, host[v]!, `198.51.100.${other + 1}`, 1);
      expect(miss.received).toBe(0);
    }
  });

  it('2. the same 10.0.0.0/24 in two VRFs does not leak', async () => {
    const cap = await capture(topo, host.pub!, 'eth0');
    const r = await ping(topo, host.mgmt!, '10.0.0.11', 2); // 10.0.0.11 is pub's host
    const lines = await cap.stop();
    expect(r.received).toBe(0);
    expect(lines.filter((l) => l.includes('10.0.0.10')), lines.join('\n')).toEqual([]);
  });

  it('3. a routed VM pings over IPv4 and IPv6 through its gateway; spoofing is dropped', async () => {
    const v4 = await ping(topo, vm, '198.51.100.2', 3);
    expect(v4.received, v4.output).toBe(3);
    const v6 = await ping(topo, vm, '2001:db8:ffff::1', 3);
    expect(v6.received, v6.output).toBe(3);
    const gw = await ping(topo, vm, '169.254.0.1', 1);
    expect(gw.received).toBe(1);
    const neigh = await topo.exec(vm, ['ip', 'neigh', 'show', 'dev', vmTap]);
    expect(neigh.stdout).toMatch(/169\.254\.0\.1 lladdr/);
    expect(neigh.stdout).toMatch(/fe80::1 lladdr .* router/);
    const before = await d.cliJson<Record<string, Record<string, number>>>(['stats']);
    await topo.exec(vm, ['ip', 'addr', 'add', '2.57.57.30/32', 'dev', vmTap]);
    const spoof = await ping(topo, vm, '198.51.100.2', 3, ['-I', '2.57.57.30']);
    await topo.exec(vm, ['ip', 'addr', 'del', '2.57.57.30/32', 'dev', vmTap]);
    expect(spoof.received).toBe(0);
    const after = await d.cliJson<Record<string, Record<string, number>>>(['stats']);
    expect(after[vmTap]!.drop_spoofed! - (before[vmTap]?.drop_spoofed ?? 0)).toBeGreaterThanOrEqual(3);
  });

  it('4. TTL expiry produces ICMP time exceeded', async () => {
    const r = await ping(topo, vm, '198.51.100.2', 2, ['-t', '1']);
    expect(r.output).toMatch(/From 169\.254\.0\.1 .*Time to live exceeded/);
    const h = await ping(topo, host.mgmt!, '198.51.100.1', 1, ['-t', '1']);
    expect(h.output).toMatch(/From 10\.0\.0\.1 .*Time to live exceeded/);
  });
});
