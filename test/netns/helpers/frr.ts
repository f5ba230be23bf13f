// FRR (zebra + bgpd) started by a test inside one of its namespaces, as the
// frr-evpn anchor runs it: private config, pid, zserv and vty paths under the
// topology's directory; stop() ends exactly the daemons it started, by PID.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { sh, until, type Topology } from './netns.js';

export const FRR_DIR = '/usr/lib/frr';
export const haveFrr = existsSync(`${FRR_DIR}/bgpd`) && existsSync(`${FRR_DIR}/zebra`);

export class Frr {
  readonly dir: string;
  private readonly pids: number[] = [];

  constructor(private readonly topo: Topology, private readonly ns: string, name: string) {
    this.dir = join(topo.tmp, `frr-${name}`);
  }

  /** Starts zebra and bgpd with `bgpdConf` (bgpd.conf text). */
  async start(bgpdConf: string): Promise<void> {
    mkdirSync(this.dir);
    writeFileSync(join(this.dir, 'zebra.conf'), 'hostname frr\n!\n');
    writeFileSync(join(this.dir, 'bgpd.conf'), bgpdConf);
    await sh('chown', ['-R', 'frr:frr', this.dir]);
    await sh('chmod', ['o+x', this.topo.tmp]); // zebra runs as user frr: it must reach its directory
    for (const [daemon, extra] of [['zebra', []], ['bgpd', ['-S']]] as const) {
      const pidFile = join(this.dir, `${daemon}.pid`);
      const r = await this.topo.exec(this.ns, [`${FRR_DIR}/${daemon}`, '-d', ...extra, '-f', join(this.dir, `${daemon}.conf`), '-i', pidFile,
        '-z', join(this.dir, 'zserv.api'), '--vty_socket', this.dir, '-P', '0'], { allowFail: true });
      this.pids.push(await until(`${daemon} pid (${r.stderr.trim()})`, async () => existsSync(pidFile) && Number(readFileSync(pidFile, 'utf8'))));
      await until(`${daemon} vty`, async () => existsSync(join(this.dir, `${daemon}.vty`)));
    }
  }

  vtysh(cmd: string) {
    return sh('vtysh', ['--vty_socket', this.dir, '-c', cmd], { allowFail: true });
  }

  /** SIGTERM to the daemons this object started; waits for them to exit. */
  async stop(): Promise<void> {
    for (const pid of this.pids) {
      try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
    }
    const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
    for (const pid of this.pids) await until(`FRR daemon ${pid} to exit`, async () => !alive(pid), 5000).catch(() => undefined);
    this.pids.length = 0;
  }
}
