/**
 * Interop test topology: one network namespace for the real peer (gobgpd or
 * FRR bgpd), joined to the test process's namespace by a veth pair. Names and
 * the /24 are unique per run (pid + random); `destroy()` removes only what
 * this run created and kills only the PIDs it started.
 *
 *   test process (hvswitch speaker)  hb<id>h 10.254.N.3/24, fd00:254:N::3/64
 *        <-- veth -->
 *   netns hvbgp-<id>                  hb<id>p 10.254.N.1/24, fd00:254:N::1/64   (peer, TCP 179)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function canRun(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  for (const bin of ['ip', 'gobgpd', 'gobgp', '/usr/lib/frr/bgpd', 'vtysh', 'tcpdump']) {
    try { execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }); } catch { return `${bin} not installed`; }
  }
  return null;
}

export function sh(cmd: string, args: string[], opts: { allowFail?: boolean } = {}): string {
  try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }); } catch (e) {
    if (opts.allowFail) return '';
    const err = e as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${err.stderr || err.message}`);
  }
}

export class Topology {
  readonly id = `${process.pid % 10000}${Math.floor(Math.random() * 900 + 100)}`;
  readonly ns = `hvbgp-${this.id}`;
  readonly hostIf = `hb${this.id}h`;
  readonly peerIf = `hb${this.id}p`;
  // a /24 not already routed in this namespace (another run may be using one)
  readonly net = freeNet(1 + (Number(this.id) % 250));
  readonly peerIp = `10.254.${this.net}.1`;
  readonly hostIp = `10.254.${this.net}.3`;
  readonly peerIp6 = `fd00:254:${this.net.toString(16)}::1`;
  readonly hostIp6 = `fd00:254:${this.net.toString(16)}::3`;
  readonly dir = mkdtempSync(join(tmpdir(), `hvbgp-${this.id}-`));
  private procs: ChildProcess[] = [];
  private pids: number[] = [];
  private created = false;

  up(): void {
    sh('ip', ['netns', 'add', this.ns]);
    this.created = true;
    sh('ip', ['link', 'add', this.hostIf, 'type', 'veth', 'peer', 'name', this.peerIf]);
    sh('ip', ['link', 'set', this.peerIf, 'netns', this.ns]);
    sh('sysctl', ['-qw', `net.ipv6.conf.${this.hostIf}.accept_dad=0`], { allowFail: true });
    this.inNs('sysctl', ['-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
    sh('ip', ['addr', 'add', `${this.hostIp}/24`, 'dev', this.hostIf]);
    sh('ip', ['-6', 'addr', 'add', `${this.hostIp6}/64`, 'dev', this.hostIf, 'nodad']);
    sh('ip', ['link', 'set', this.hostIf, 'up']);
    this.inNs('ip', ['addr', 'add', `${this.peerIp}/24`, 'dev', this.peerIf]);
    this.inNs('ip', ['-6', 'addr', 'add', `${this.peerIp6}/64`, 'dev', this.peerIf, 'nodad']);
    this.inNs('ip', ['link', 'set', this.peerIf, 'up']);
    this.inNs('ip', ['link', 'set', 'lo', 'up']);
  }

  inNs(cmd: string, args: string[], opts: { allowFail?: boolean } = {}): string {
    return sh('ip', ['netns', 'exec', this.ns, cmd, ...args], opts);
  }

  /** Start a long-running process inside the namespace; killed by destroy(). */
  spawnInNs(cmd: string, args: string[], logFile: string): ChildProcess {
    const p = spawn('ip', ['netns', 'exec', this.ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: string[] = [];
    p.stdout?.on('data', (d) => chunks.push(String(d)));
    p.stderr?.on('data', (d) => chunks.push(String(d)));
    p.on('exit', () => { try { require_fs().writeFileSync(logFile, chunks.join('')); } catch { /* dir gone */ } });
    this.procs.push(p);
    return p;
  }
  private capture: ChildProcess | null = null;
  readonly pcap = join(this.dir, 'bgp.pcap');
  /** tcpdump on our end of the veth (BGP only). */
  async startCapture(): Promise<void> {
    const p = spawn('tcpdump', ['-i', this.hostIf, '--immediate-mode', '-U', '-s', '0', '-w', this.pcap, 'tcp port 179'], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.capture = p;
    p.on('error', () => { /* reported by the capture check: no packets */ });
    this.procs.push(p);
    await new Promise<void>((resolve) => { p.stderr?.on('data', (d) => { if (String(d).includes('listening')) resolve(); }); setTimeout(resolve, 2000); });
  }
  async stopCapture(): Promise<string> {
    const p = this.capture;
    if (p && p.exitCode === null) { await new Promise((r) => setTimeout(r, 300)); await new Promise<void>((r) => { p.once('exit', () => r()); p.kill('SIGINT'); setTimeout(r, 3000); }); }
    this.capture = null;
    return this.pcap;
  }

  /** Remember a daemon PID (from a pid file) to kill at the end. */
  track(pid: number): void { this.pids.push(pid); }

  kill(pid: number, signal: NodeJS.Signals = 'SIGTERM'): void { try { process.kill(pid, signal); } catch { /* gone */ } }

  destroy(): void {
    for (const pid of this.pids) { this.kill(pid, 'SIGCONT'); this.kill(pid, 'SIGKILL'); }
    for (const p of this.procs) if (p.exitCode === null && p.pid) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
    if (this.created) {
      sh('ip', ['link', 'del', this.hostIf], { allowFail: true });
      sh('ip', ['netns', 'del', this.ns], { allowFail: true });
      this.created = false;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

import * as fs from 'node:fs';
function require_fs() { return fs; }

export async function until<T>(what: string, fn: () => T | undefined | null | false, ms = 30_000, every = 200): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try { const v = fn(); if (v) return v; last = v; } catch (e) { last = e; }
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, every));
  }
}
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freeNet(start: number): number {
  for (let i = 0; i < 250; i++) {
    const n = 1 + ((start - 1 + i) % 250);
    if (!sh('ip', ['-4', 'route', 'show', `10.254.${n}.0/24`], { allowFail: true }).trim()) return n;
  }
  throw new Error('no free 10.254.x.0/24 for the interop topology');
}
