/** gobgpd started by the interop tests inside a Topology namespace (private config, API on the namespace's loopback). */
import { writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Topology } from './topo.js';
import { until } from './topo.js';

export interface GobgpOptions { families: string[]; gracefulRestart?: boolean; restarting?: boolean; holdTime?: number; addPathSend?: number }

export class Gobgpd {
  pid = 0;
  constructor(private readonly t: Topology, private readonly opts: GobgpOptions) {}

  config(): string {
    const t = this.t;
    let c = `[global.config]
  as = 65000
  router-id = "${t.peerIp}"
  port = 179
  local-address-list = ["${t.peerIp}"]

[[neighbors]]
  [neighbors.config]
    neighbor-address = "${t.hostIp}"
    peer-as = 65000
  [neighbors.transport.config]
    local-address = "${t.peerIp}"
  [neighbors.route-reflector.config]
    route-reflector-client = true
    route-reflector-cluster-id = "${t.peerIp}"
  [neighbors.timers.config]
    connect-retry = 1
    hold-time = ${this.opts.holdTime ?? 90}
`;
    if (this.opts.gracefulRestart) c += `  [neighbors.graceful-restart.config]\n    enabled = true\n    restart-time = 20\n`;
    for (const f of this.opts.families) {
      c += `  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "${f}"\n`;
      if (this.opts.gracefulRestart) c += `    [neighbors.afi-safis.mp-graceful-restart.config]\n      enabled = true\n`;
      if (this.opts.addPathSend) c += `    [neighbors.afi-safis.add-paths.config]\n      send-max = ${this.opts.addPathSend}\n`;
    }
    return c;
  }

  async start(): Promise<void> {
    const d = this.t.dir;
    writeFileSync(join(d, 'gobgpd.toml'), this.config());
    const pidFile = join(d, 'gobgpd.pid');
    rmSync(pidFile, { force: true });
    const args = ['-c', `echo $$ > ${pidFile}; exec gobgpd -f ${join(d, 'gobgpd.toml')} -t toml -p --api-hosts 127.0.0.1:50051 --pprof-disable -l info${this.opts.restarting ? ' -r' : ''}`];
    this.t.spawnInNs('sh', args, join(d, `gobgpd-${Date.now()}.log`));
    this.pid = await until('gobgpd pid', () => existsSync(pidFile) && Number(readFileSync(pidFile, 'utf8')));
    this.t.track(this.pid);
    await until('gobgpd API', () => this.cli(['global']).includes('AS'), 15_000);
  }

  cli(args: string[]): string { return this.t.inNs('gobgp', ['-u', '127.0.0.1', '-p', '50051', ...args]); }
  json(args: string[]): unknown { return JSON.parse(this.cli([...args, '-j'])); }

  /** `gobgp global rib -a FAMILY -j` as a flat list of paths. */
  rib(family: string): Array<{ nlri: Record<string, unknown>; attrs: Array<Record<string, unknown>>; 'source-id'?: string; neighbor?: string }> {
    const j = this.json(['global', 'rib', '-a', family]) as Record<string, unknown[]> | null;
    return Object.values(j ?? {}).flat() as never;
  }

  neighborState(): string {
    const j = this.json(['neighbor']) as Array<{ state: { session_state: number | string } }>;
    return String(j[0]?.state.session_state ?? '');
  }

  kill(signal: NodeJS.Signals): void { this.t.kill(this.pid, signal); }
}
