// hvswitchd as a process (memory ports: no root), changed through the CLI:
// the change is in the config file (comments kept), `hvswitch daemon reload`
// keeps it, and after SIGTERM and a restart the switch comes back with it.
// With --no-persist the file is left alone and a reload drops the change.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { packageRoot } from '../../src/util/root.js';
import { until } from '../wait.js';

const ROOT = packageRoot();
const run = promisify(execFile);

const CONFIG = `# hvswitchd test config — keep this comment
bridges:
  br0: {} # VMs
ports:
  m1: { backend: memory, bridge: br0, vlan: 10 } # first VM
`;

class Daemon {
  output = '';
  readonly proc: ChildProcess;
  constructor(args: string[]) {
    this.proc = spawn(process.execPath, [join(ROOT, 'dist/src/daemon/main.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.proc.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
  }
  async ready(): Promise<void> {
    await until('hvswitchd API listening', () => {
      if (this.proc.exitCode !== null) throw new Error(`hvswitchd exited (${this.proc.exitCode}):\n${this.output}`);
      return this.output.includes('API listening');
    }, 15_000);
  }
  stop(): Promise<number | null> {
    return new Promise((resolve) => {
      if (this.proc.exitCode !== null) return resolve(this.proc.exitCode);
      this.proc.once('exit', (code) => resolve(code));
      this.proc.kill('SIGTERM');
    });
  }
}

describe('hvswitchd: CLI changes persist across reload and restart', () => {
  let dir: string;
  let file: string;
  let socket: string;
  const daemons: Daemon[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hvpersist-'));
    file = join(dir, 'hvswitchd.yaml');
    socket = join(dir, 'api.sock');
    writeFileSync(file, CONFIG);
  });
  afterEach(async () => {
    for (const d of daemons.splice(0)) await d.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (...extra: string[]) => {
    const d = new Daemon(['--config', file, '--socket', socket, ...extra]);
    daemons.push(d);
    await d.ready();
    return d;
  };
  const cli = async (...args: string[]) => (await run(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), '--socket', socket, ...args])).stdout;
  const ports = async () => (JSON.parse(await cli('port', 'list', '--json')) as { name: string; bridge: string | null; vlan: number }[]).map((p) => `${p.name}:${p.bridge}:${p.vlan}`);
  const bridges = async () => (await cli('bridge', 'list', '-q')).split('\n').filter(Boolean).sort();

  it('port and bridge added, a VLAN changed: the file, a reload and a restart all agree', async () => {
    const d = await start('--metrics', '127.0.0.1:0');
    await cli('bridge', 'add', 'br1');
    await cli('port', 'add', 'm2', '--backend', 'memory', '--bridge', 'br1', '--vlan', '20');
    await cli('port', 'set', 'm1', '--vlan', '30');
    const want = ['m1:br0:30', 'm2:br1:20'];
    expect(await ports()).toEqual(want);

    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# hvswitchd test config — keep this comment');
    expect(text).toContain('  m1: { backend: memory, bridge: br0, vlan: 30 } # first VM');
    expect(readFileSync(`${file}.prev`, 'utf8')).toContain('vlan: 10 } # first VM'); // the version before the last write

    const port = Number(/"port":(\d+)[^\n]*metrics listening/.exec(d.output)?.[1]);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('hvswitch_config_writes_total{result="ok"} 3');
    expect(metrics).toContain('hvswitch_config_writes_total{result="error"} 0');

    await cli('daemon', 'reload');
    expect(await ports()).toEqual(want);
    expect(await bridges()).toEqual(['br0', 'br1']);

    expect(await d.stop()).toBe(0);
    await start();
    expect(await ports()).toEqual(want);
    expect(await bridges()).toEqual(['br0', 'br1']);
  }, 90_000);

  it('--no-persist: the file is left alone and a reload goes back to it', async () => {
    await start('--no-persist');
    await cli('port', 'add', 'm2', '--backend', 'memory', '--bridge', 'br0', '--vlan', '20');
    expect(await ports()).toEqual(['m1:br0:10', 'm2:br0:20']);
    expect(readFileSync(file, 'utf8')).toBe(CONFIG);
    await cli('daemon', 'reload');
    expect(await ports()).toEqual(['m1:br0:10']);
  }, 60_000);
});
