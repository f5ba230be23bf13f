// Namespace topologies for integration tests: real namespaces, veth pairs and
// TAP devices, hvswitchd started as a real process.  Every name carries a
// per-run unique tag; everything created is recorded and removed in
// `destroy()`, which tests call from afterAll (it runs on failure too).
// Without root the tests are skipped with the reason, except under CI=true,
// where a skip is a failure.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { stringify } from 'yaml';
import { until } from '../../wait.js';

const pexec = promisify(execFile);
export const ROOT = new URL('../../..', import.meta.url).pathname;

export function canRunNetns(): { ok: boolean; reason: string } {
  if (process.getuid?.() !== 0) return { ok: false, reason: 'needs root (network namespaces)' };
  return { ok: true, reason: '' };
}

/** describe() or describe.skip(), failing loudly under CI when not runnable. */
export function netnsGate(): { skip: boolean; reason: string } {
  const { ok, reason } = canRunNetns();
  if (!ok && process.env.CI === 'true') throw new Error(`namespace tests cannot run under CI: ${reason}`);
  return { skip: !ok, reason };
}

let counter = 0;
/** A short unique tag: interface names must fit in 15 characters. */
/** The backends of ports on existing interfaces: the switching and routing
 *  suites run once on each (describe.each), so AF_XDP ports pass the same
 *  cases as AF_PACKET ports (docs/afxdp.md).  HV_TEST_BACKENDS=af-xdp (a comma
 *  list) narrows a run to some of them. */
export const IFACE_BACKENDS = (process.env.HV_TEST_BACKENDS ?? 'af-packet,af-xdp').split(',') as ('af-packet' | 'af-xdp')[];

export function uniqueTag(): string {
  counter++;
  return `${(process.pid % 100000).toString(36)}${counter.toString(36)}${Math.floor(Math.random() * 36 * 36).toString(36)}`;
}

export async function sh(cmd: string, args: string[], opts: { allowFail?: boolean; timeoutMs?: number } = {}) {
  try {
    const r = await pexec(cmd, args, { timeout: opts.timeoutMs ?? 30_000, maxBuffer: 64 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string; message: string };
    if (!opts.allowFail) throw new Error(`${cmd} ${args.join(' ')} failed: ${err.stderr || err.message}`);
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

export class Topology {
  readonly tag = uniqueTag();
  readonly namespaces: string[] = [];
  private procs: ChildProcess[] = [];
  readonly tmp = mkdtempSync(join(tmpdir(), 'hvtest-'));

  name(role: string): string {
    const n = `${role}${this.tag}`;
    if (n.length > 15) throw new Error(`name too long: ${n}`);
    return n;
  }

  /** Creates a namespace with lo up and IPv6 off (no RS/DAD chatter in captures). */
  async ns(role: string): Promise<string> {
    const n = this.name(role);
    await sh('ip', ['netns', 'add', n]);
    this.namespaces.push(n);
    await this.exec(n, ['ip', 'link', 'set', 'lo', 'up']);
    await this.exec(n, ['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    return n;
  }

  exec(ns: string, argv: string[], opts: { allowFail?: boolean; timeoutMs?: number } = {}) {
    return sh('ip', ['netns', 'exec', ns, ...argv], opts);
  }

  /** veth pair: `swName` in the switch namespace (up, no address), `eth0`-like
   *  `hostIf` in the host namespace with `addr`. */
  async veth(swNs: string, swName: string, hostNs: string, hostIf: string, addr?: string, mtu?: number): Promise<void> {
    await sh('ip', ['link', 'add', swName, 'netns', swNs, 'type', 'veth', 'peer', 'name', hostIf, 'netns', hostNs]);
    if (mtu) {
      await this.exec(swNs, ['ip', 'link', 'set', swName, 'mtu', String(mtu)]);
      await this.exec(hostNs, ['ip', 'link', 'set', hostIf, 'mtu', String(mtu)]);
    }
    await this.exec(swNs, ['ip', 'link', 'set', swName, 'up']);
    if (addr) await this.exec(hostNs, ['ip', 'addr', 'add', addr, 'dev', hostIf]);
    await this.exec(hostNs, ['ip', 'link', 'set', hostIf, 'up']);
  }

  /** Moves a TAP the daemon created into a host namespace and configures it. */
  async adoptTap(swNs: string, tap: string, hostNs: string, addr: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const r = await this.exec(swNs, ['ip', 'link', 'show', tap], { allowFail: true });
      if (r.code === 0) break;
      await sleep(50);
    }
    await this.exec(swNs, ['ip', 'link', 'set', tap, 'netns', hostNs]);
    await this.exec(hostNs, ['ip', 'addr', 'add', addr, 'dev', tap]);
    await this.exec(hostNs, ['ip', 'link', 'set', tap, 'up']);
  }

  /** Starts hvswitchd in `ns` with `config`; resolves once the dataplane runs.
   * `opts.cpu`: every thread of the daemon on that CPU (taskset), as an operator pins it
   * (systemd CPUAffinity=; docs/polling.md, "Order and CPU affinity"). */
  async daemon(ns: string, config: object, opts: { cpu?: number } = {}): Promise<Daemon> {
    const cfgPath = join(this.tmp, `hvswitchd-${ns}.yaml`);
    const socket = join(this.tmp, `api-${ns}.sock`);
    writeFileSync(cfgPath, stringify(config));
    const pin = opts.cpu === undefined ? [] : ['taskset', '-c', String(opts.cpu)];
    const proc = spawn('ip', ['netns', 'exec', ns, ...pin, process.execPath, join(ROOT, 'dist/src/daemon/main.js'), '--config', cfgPath, '--socket', socket], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.procs.push(proc);
    const d = new Daemon(proc, socket, cfgPath);
    await d.waitFor('dataplane started', 15_000);
    await d.waitFor('API listening', 15_000); // the CLI needs the socket
    return d;
  }

  /** Starts a background command (tcpdump, iperf3 -s); killed in destroy(). */
  spawnIn(ns: string, argv: string[]): ChildProcess {
    const p = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.procs.push(p);
    return p;
  }

  async destroy(): Promise<void> {
    for (const p of this.procs) {
      if (p.exitCode === null && p.signalCode === null && p.pid) {
        try { process.kill(p.pid, 'SIGTERM'); } catch { /* gone */ }
      }
    }
    await Promise.all(this.procs.map((p) => waitExit(p, 5000)));
    for (const p of this.procs)
      if (p.exitCode === null && p.signalCode === null && p.pid) {
        try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
      }
    for (const n of this.namespaces.reverse()) await sh('ip', ['netns', 'del', n], { allowFail: true });
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

export function waitExit(p: ChildProcess, ms: number): Promise<number | null> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve(p.exitCode);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(null), ms);
    p.once('exit', (code) => {
      clearTimeout(t);
      resolve(code);
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a condition with a deadline (test/wait.ts). */
export { until };

export class Daemon {
  output = '';
  constructor(readonly proc: ChildProcess, readonly socket: string, readonly configPath: string) {
    proc.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  async waitFor(text: string, ms: number): Promise<void> {
    const t0 = Date.now();
    while (!this.output.includes(text)) {
      if (this.proc.exitCode !== null) throw new Error(`hvswitchd exited (${this.proc.exitCode}):\n${this.output}`);
      if (Date.now() - t0 > ms) throw new Error(`hvswitchd did not log "${text}" within ${ms} ms:\n${this.output}`);
      await sleep(50);
    }
  }

  /** Waits until `text` has appeared `n` times in the daemon's output. */
  async waitForCount(text: string, n: number, ms: number): Promise<void> {
    const t0 = Date.now();
    while (this.output.split(text).length - 1 < n) {
      if (this.proc.exitCode !== null) throw new Error(`hvswitchd exited (${this.proc.exitCode}):\n${this.output}`);
      if (Date.now() - t0 > ms) throw new Error(`hvswitchd did not log "${text}" ${n} times within ${ms} ms:\n${this.output}`);
      await sleep(50);
    }
  }

  /** Runs the CLI against this daemon. */
  async cli(args: string[], opts: { allowFail?: boolean } = {}) {
    return sh(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), '--socket', this.socket, ...args], opts);
  }

  async cliJson<T>(args: string[]): Promise<T> {
    const r = await this.cli([...args, '--json']);
    return JSON.parse(r.stdout) as T;
  }

  /** SIGTERM and wait: resolves to the exit code. */
  async stop(): Promise<number | null> {
    if (this.proc.pid) this.proc.kill('SIGTERM');
    return waitExit(this.proc, 10_000);
  }
}

export async function ping(topo: Topology, ns: string, addr: string, count = 3, extra: string[] = []) {
  const r = await topo.exec(ns, ['ping', '-c', String(count), '-i', '0.2', '-W', '1', ...extra, addr], { allowFail: true, timeoutMs: 30_000 });
  const m = /(\d+) received/.exec(r.stdout);
  return { ok: r.code === 0, received: m ? Number(m[1]) : 0, output: r.stdout };
}

/** tcpdump's counters: one line on SIGUSR1 (`N packets captured, M packets received by filter, K packets dropped by kernel`), three at exit. */
const TCPDUMP_STATS = /(\d+) packets? captured(?:, |\n)(\d+) packets? received by filter(?:, |\n)(\d+) packets? dropped by kernel/g;

/** A running tcpdump; stop() returns the decoded lines (-e: link headers).
 *  --immediate-mode: each frame is handed to tcpdump as it arrives (no ring
 *  block held back for a timeout).  stop() waits on tcpdump's own counters,
 *  not on time: it asks for them (SIGUSR1) until every frame the kernel's
 *  filter passed has been printed and read (captured + dropped = received by
 *  filter; or, where libpcap discards frames itself after the kernel counted
 *  them, e.g. -Q, two answers in a row with no frame processed between
 *  them), then SIGINT, tcpdump's final counters, its exit and the end of its
 *  output.  Frames still on their way (through a daemon, a tunnel) are not
 *  waited for: a caller expecting N of them waits with until() over seen()
 *  first.  A capture the kernel dropped frames from fails, naming the counts. */
export async function capture(topo: Topology, ns: string, iface: string, filter: string[] = []) {
  const p = topo.spawnIn(ns, ['tcpdump', '-l', '-n', '-e', '-i', iface, '-U', '--immediate-mode', ...filter]);
  let out = '';
  let err = '';
  let outEnded = false;
  p.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  p.stdout?.on('close', () => (outEnded = true));
  p.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = () => p.exitCode !== null || p.signalCode !== null;
  await until(`tcpdump on ${iface} listening`, () => {
    if (exited()) throw new Error('tcpdump exited');
    return err.includes('listening on');
  }, 5000).catch((e: Error) => { throw new Error(`tcpdump did not start (${e.message}): ${err}`); });
  const stats = () => [...err.matchAll(TCPDUMP_STATS)].map((m) => ({ captured: Number(m[1]), received: Number(m[2]), dropped: Number(m[3]) }));
  const lines = () => out.split('\n').filter((l) => l.trim().length > 0);
  return {
    /** the lines printed so far: a caller waits (until()) for the frames it expects, then stops */
    seen: lines,
    async stop(): Promise<string[]> {
      // caught up: tcpdump has printed every frame the kernel passed to it, or
      // (frames libpcap itself discards after counting them: the counters never
      // meet) it processed nothing between two answers while every line is read
      let last: { captured: number; received: number; dropped: number } | null = null;
      await until(`tcpdump on ${iface} to print every frame its filter passed`, async () => {
        const n = stats().length;
        p.kill('SIGUSR1');
        const s = await until('tcpdump\'s counters', () => stats()[n], 2000);
        const idle = last !== null && last.captured === s.captured && last.received === s.received;
        last = s;
        return lines().length >= s.captured && (s.captured + s.dropped >= s.received || idle);
      }, 5000).catch((e: Error) => { throw new Error(`${e.message} (last counters ${JSON.stringify(last)}): ${err}`); });
      const n = stats().length;
      p.kill('SIGINT');
      const final = await until(`tcpdump on ${iface} to stop`, () => (stats().length > n && exited() && outEnded ? stats().at(-1)! : null), 5000);
      if (final.dropped > 0) throw new Error(`capture on ${iface}: the kernel dropped ${final.dropped} of ${final.received} frames`);
      return lines();
    },
  };
}

/** Runs python3 (Debian's, with scapy) inside a namespace. */
export async function py(topo: Topology, ns: string, code: string, timeoutMs = 30_000) {
  const file = join(topo.tmp, `py-${uniqueTag()}.py`);
  writeFileSync(file, code);
  return topo.exec(ns, ['/usr/bin/python3', file], { timeoutMs });
}

/** Sends `bytes` of seeded pseudo-random data over one TCP connection from namespace `from` to a
 * receiver listening on `addr`:`port` in namespace `to`, and returns what each end counted and
 * hashed (SHA-256).  TCP's checksum is no proof here: a frame that crosses the switch as a GSO
 * super-frame with a partial checksum is completed, not verified, by the receiving stack. */
export async function tcpTransfer(topo: Topology, from: string, to: string, addr: string, port: number, bytes: number) {
  const rx = join(topo.tmp, `rx-${uniqueTag()}.py`);
  writeFileSync(rx, [
    'import hashlib, socket',
    's = socket.socket(socket.AF_INET6 if ":" in ' + JSON.stringify(addr) + ' else socket.AF_INET)',
    's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
    `s.bind((${JSON.stringify(addr)}, ${port})); s.listen(1)`,
    'print("listening", flush=True)',
    'c, _ = s.accept(); h = hashlib.sha256(); n = 0',
    'while True:',
    '    b = c.recv(1 << 20)',
    '    if not b: break',
    '    h.update(b); n += len(b)',
    'print(n, h.hexdigest(), flush=True)',
  ].join('\n'));
  const server = topo.spawnIn(to, ['/usr/bin/python3', rx]);
  let out = '';
  server.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  await until(`receiver on ${addr}:${port}`, async () => out.includes('listening'), 10_000);
  const tx = await py(topo, from, [
    'import hashlib, random, socket',
    `r = random.Random(7); data = r.randbytes(${bytes}); h = hashlib.sha256(data).hexdigest()`,
    `s = socket.create_connection((${JSON.stringify(addr)}, ${port}), timeout=20)`,
    'for o in range(0, len(data), 1 << 16): s.sendall(data[o:o + (1 << 16)])',
    's.shutdown(socket.SHUT_WR); s.recv(1); s.close()',
    'print(len(data), h)',
  ].join('\n'), 60_000);
  if (tx.code !== 0) throw new Error(`tcpTransfer sender: ${tx.stderr}`);
  await until('the receiver to report', async () => out.trim().split('\n').length >= 2, 30_000);
  const [sent, sentHash] = tx.stdout.trim().split(' ');
  const [received, receivedHash] = out.trim().split('\n')[1]!.split(' ');
  return { sent: Number(sent), sentHash, received: Number(received), receivedHash };
}
