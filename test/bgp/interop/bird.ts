/** BIRD 2 started by the interop tests inside a Topology namespace (private control socket, pid and log). */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Topology } from './topo.js';
import { sh, until } from './topo.js';

export class Bird {
  pid = 0;
  constructor(private readonly t: Topology) {}
  get ctl(): string { return join(this.t.dir, 'bird.ctl'); }

  config(): string {
    const t = this.t;
    return `log "${join(t.dir, 'bird.log')}" all;
router id ${t.peerIp};
protocol device { }
vpn4 table vpntab4;
vpn6 table vpntab6;
protocol static st4 { ipv4; route 10.95.0.0/24 via ${t.peerIp}; }
protocol static st6 { ipv6; route 2001:db8:95::/64 via ${t.peerIp6}; }
protocol static stv4 { vpn4 { table vpntab4; }; route 65000:30 10.96.0.0/24 via ${t.peerIp} mpls 500; }
protocol bgp hv {
  local ${t.peerIp} port 179 as 65000;
  neighbor ${t.hostIp} as 65000;
  direct;
  rr client;
  rr cluster id ${t.peerIp};
  ipv4      { import all; export all; gateway direct; };
  ipv6      { import all; export all; gateway direct; extended next hop off; };
  vpn4 mpls { table vpntab4; import all; export all; gateway direct; };
  vpn6 mpls { table vpntab6; import all; export all; gateway direct; };
}
`;
  }

  async start(): Promise<void> {
    const d = this.t.dir;
    writeFileSync(join(d, 'bird.conf'), this.config());
    const pidFile = join(d, 'bird.pid');
    rmSync(pidFile, { force: true });
    this.t.inNs('bird', ['-c', join(d, 'bird.conf'), '-s', this.ctl, '-P', pidFile]);
    this.pid = await until('bird pid', () => existsSync(pidFile) && Number(readFileSync(pidFile, 'utf8')));
    this.t.track(this.pid);
    await until('bird control socket', () => existsSync(this.ctl));
  }

  birdc(cmd: string): string { return sh('birdc', ['-s', this.ctl, ...cmd.split(' ')]); }
}
