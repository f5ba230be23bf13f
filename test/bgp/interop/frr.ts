/** FRR bgpd started by the interop tests inside a Topology namespace (no zebra, private vty socket and pid file). */
import { existsSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { Topology } from './topo.js';
import { sh, until } from './topo.js';

export class Frr {
  pid = 0;
  constructor(private readonly t: Topology, private readonly gracefulRestart = true, private readonly ipv6Transport = false) {}

  /** Session over IPv6 with RFC 8950 extended next hop: IPv4 unicast carried with IPv6 next hops. */
  configV6(): string {
    const t = this.t, h = t.hostIp6;
    const af = (name: string, extra = '') => ` address-family ${name}\n  neighbor ${h} activate\n  neighbor ${h} route-reflector-client\n${extra} exit-address-family\n`;
    return `frr defaults traditional
hostname rr-frr6
log file ${join(t.dir, 'bgpd.log')} informational
!
router bgp 65000
 bgp router-id ${t.peerIp}
 no bgp default ipv4-unicast
 no bgp network import-check
 neighbor ${h} remote-as 65000
 neighbor ${h} update-source ${t.peerIp6}
 neighbor ${h} capability extended-nexthop
 neighbor ${h} timers connect 1
${af('ipv4 unicast', '  network 10.85.0.0/24\n')}${af('ipv6 unicast', '  network 2001:db8:85::/64\n')}exit
!
`;
  }

  config(): string {
    if (this.ipv6Transport) return this.configV6();
    const t = this.t, h = t.hostIp;
    const af = (name: string, extra = '') => ` address-family ${name}\n  neighbor ${h} activate\n  neighbor ${h} route-reflector-client\n${extra} exit-address-family\n`;
    return `frr defaults traditional
hostname rr-frr
log file ${join(t.dir, 'bgpd.log')} informational
!
router bgp 65000
 bgp router-id ${t.peerIp}
 bgp cluster-id ${t.peerIp}
 no bgp default ipv4-unicast
 no bgp network import-check
 no bgp ebgp-requires-policy
${this.gracefulRestart ? ' bgp graceful-restart\n' : ''} neighbor ${h} remote-as 65000
 neighbor ${h} update-source ${t.peerIp}
 neighbor ${h} timers connect 1
${af('ipv4 unicast', '  network 10.80.0.0/24\n')}${af('ipv6 unicast', '  network 2001:db8:80::/64\n')}${af('ipv4 vpn', '  network 10.81.0.0/24 rd 65000:20 label 400\n')}${af('ipv6 vpn', '  network 2001:db8:81::/64 rd 65000:21 label 401\n')}${af('l2vpn evpn')}exit
!
`;
  }

  async start(): Promise<void> {
    const d = this.t.dir;
    chmodSync(d, 0o777);
    writeFileSync(join(d, 'bgpd.conf'), this.config());
    const pidFile = join(d, 'bgpd.pid');
    rmSync(pidFile, { force: true });
    this.t.inNs('/usr/lib/frr/bgpd', ['-d', '-S', '-Z', '-f', join(d, 'bgpd.conf'), '-i', pidFile, '--vty_socket', d, '-P', '0', '-l', this.ipv6Transport ? this.t.peerIp6 : this.t.peerIp]);
    this.pid = await until('bgpd pid', () => existsSync(pidFile) && Number(readFileSync(pidFile, 'utf8')));
    this.t.track(this.pid);
    await until('bgpd vty', () => existsSync(join(d, 'bgpd.vty')) && this.vtysh(['show bgp summary']).length > 0, 15_000);
  }

  vtysh(cmds: string[]): string {
    return sh('vtysh', ['--vty_socket', this.t.dir, ...cmds.flatMap((c) => ['-c', c])]);
  }
  json(cmd: string): Record<string, unknown> { return JSON.parse(this.vtysh([cmd]) || '{}'); }
  configure(lines: string[]): void { this.vtysh(['configure terminal', 'router bgp 65000', ...lines]); }
  kill(signal: NodeJS.Signals): void { this.t.kill(this.pid, signal); }
}
