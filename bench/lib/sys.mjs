// System helpers for the benchmark harness: running commands (in a network
// namespace or not), reading counters without spawning processes, CPU
// accounting, the quiet gate and the machine description.
//
// Counters are read from /proc/<pid>/net/dev of an idle "anchor" process that
// lives in each host namespace: no `ip netns exec` per sample, and the source
// and sink are read within microseconds of each other.  CPU is read from
// /proc/stat (per CPU, ticks) and /proc/<pid>/stat (utime+stime of a process
// and all its threads).  On kernels without CONFIG_IRQ_TIME_ACCOUNTING these are
// tick samples (HZ): fine over windows of seconds, not below.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs a command and returns its stdout; throws with stderr on failure. */
export function run(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: opts.timeout ?? 30000,
      env: opts.env ?? process.env, maxBuffer: 256 << 20 });
  } catch (e) {
    if (opts.allowFail) return null;
    const err = (e.stderr || '').toString().trim();
    throw new Error(`${cmd} ${args.join(' ')}: ${err || e.message}`);
  }
}

/** `ip netns exec NS cmd args...` */
export const nsRun = (ns, cmd, args, opts) => run('ip', ['netns', 'exec', ns, cmd, ...args], opts);

/** Several `ip` commands in one process (`ip -batch -`). */
export function ipBatch(lines, ns) {
  const args = ns ? ['-n', ns, '-batch', '-'] : ['-batch', '-'];
  try {
    execFileSync('ip', args, { input: lines.join('\n') + '\n', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`ip -batch (${ns ?? 'root'}): ${(e.stderr || e.message).toString().trim()}`);
  }
}

/** Starts a long-running process; returns {child, pid, done} (done resolves to {code, stdout}). */
export function start(cmd, args, { log, env, captureStdout = false } = {}) {
  const child = spawn(cmd, args, {
    detached: true, // own process group: stopped as a group, never by name
    stdio: ['ignore', captureStdout ? 'pipe' : (log ?? 'ignore'), log ?? 'ignore'],
    env: env ?? process.env,
  });
  let stdout = '';
  if (captureStdout) child.stdout.on('data', (d) => (stdout += d));
  const done = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout })));
  child.on('error', () => {});
  return { child, pid: child.pid, done };
}

/** SIGTERM to the process group, SIGKILL after `graceMs`. */
export async function stop(proc, graceMs = 3000) {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  try { process.kill(-proc.pid, 'SIGTERM'); } catch { return; }
  const t = await Promise.race([proc.done.then(() => 'exited'), sleep(graceMs).then(() => 'timeout')]);
  if (t === 'timeout') {
    try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ }
    await proc.done;
  }
}

/** Interface counters of the namespace `pid` lives in: {ifname: {rx_packets, ...}}. */
export function netDev(pid) {
  const out = {};
  const lines = readFileSync(`/proc/${pid}/net/dev`, 'utf8').split('\n').slice(2);
  for (const l of lines) {
    const m = l.match(/^\s*([^:]+):\s*(.*)$/);
    if (!m) continue;
    const f = m[2].trim().split(/\s+/).map(Number);
    out[m[1]] = { rx_bytes: f[0], rx_packets: f[1], rx_dropped: f[3], tx_bytes: f[8], tx_packets: f[9], tx_dropped: f[11] };
  }
  return out;
}

export const CLK_TCK = Number(run('getconf', ['CLK_TCK']).trim()) || 100;

/** utime+stime in seconds of each pid (all threads), 0 for a pid that is gone. */
export function procCpu(pids) {
  let s = 0;
  for (const pid of pids) {
    try {
      const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      s += (Number(f[11]) + Number(f[12])) / CLK_TCK; // fields 14, 15 of stat(5)
    } catch { /* exited */ }
  }
  return s;
}

/** A process and all its descendants (a generator that forks its workers). */
export function withDescendants(pid) {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    let tasks = [];
    try { tasks = readdirSync(`/proc/${out[i]}/task`); } catch { continue; }
    for (const t of tasks) {
      try {
        for (const c of readFileSync(`/proc/${out[i]}/task/${t}/children`, 'utf8').split(' ')) if (c.trim()) out.push(Number(c));
      } catch { /* gone */ }
    }
  }
  return out;
}

/** pids of the ksoftirqd threads: softirq work deferred out of the task that raised it. */
export function ksoftirqdPids() {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try { if (readFileSync(`/proc/${d}/comm`, 'utf8').startsWith('ksoftirqd/')) out.push(Number(d)); } catch { /* gone */ }
  }
  return out;
}

/** Per-CPU time in seconds from /proc/stat: [{user, system, softirq, steal, idle, busy}]. */
export function cpuTimes() {
  const cpus = [];
  for (const l of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const m = l.match(/^cpu(\d+)\s+(.*)$/);
    if (!m) continue;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = m[2].split(/\s+/).map((x) => Number(x) / CLK_TCK);
    cpus[Number(m[1])] = { user: user + nice, system, softirq: softirq + irq, steal, idle: idle + iowait, busy: user + nice + system + irq + softirq };
  }
  return cpus;
}

export function cpuDelta(a, b) {
  return b.map((c, i) => Object.fromEntries(Object.keys(c).map((k) => [k, c[k] - (a[i]?.[k] ?? 0)])));
}

/** Busy cores of the whole machine over `ms` (a load probe for the quiet gate). */
export async function busyCores(ms = 500) {
  const a = cpuTimes();
  await sleep(ms);
  const d = cpuDelta(a, cpuTimes());
  return d.reduce((s, c) => s + c.busy, 0) / (ms / 1000);
}

/** Waits up to `maxWaitS` for the machine to be quiet (< maxCores busy); returns what it saw. */
export async function quietGate(maxWaitS, maxCores) {
  const t0 = Date.now();
  let load = await busyCores();
  while (load > maxCores && (Date.now() - t0) / 1000 < maxWaitS) load = await busyCores(1000);
  return { load: Number(load.toFixed(2)), waited_s: Number(((Date.now() - t0) / 1000).toFixed(1)), quiet: load <= maxCores };
}

const firstLine = (cmd, args) => (run(cmd, args, { allowFail: true }) ?? '').split('\n')[0].trim() || null;

/** What the figures depend on: cores, CPU model, kernel, versions, sysctls. */
export function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = (cpuinfo.match(/^model name\s*:\s*(.*)$/m) ?? [])[1] ?? 'unknown';
  const hyper = /^flags\s*:.*\bhypervisor\b/m.test(cpuinfo);
  const rd = (p) => { try { return readFileSync(p, 'utf8').trim(); } catch { return null; } };
  let hz = null, irqTime = null;
  const cfg = `/boot/config-${os.release()}`;
  if (existsSync(cfg)) {
    const c = readFileSync(cfg, 'utf8');
    hz = Number((c.match(/^CONFIG_HZ=(\d+)/m) ?? [])[1]) || null;
    irqTime = /^CONFIG_IRQ_TIME_ACCOUNTING=y/m.test(c);
  }
  return {
    date: new Date().toISOString(),
    hostname: os.hostname(),
    cores: os.cpus().length,
    cpu_model: model,
    virtualized: hyper,
    kernel: os.release(),
    kernel_hz: hz,
    irq_time_accounting: irqTime,
    memory_mib: Math.round(os.totalmem() / 2 ** 20),
    loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
    os: (rd('/etc/os-release')?.match(/^PRETTY_NAME="?([^"\n]*)/m) ?? [])[1] ?? null,
    versions: {
      node: process.version,
      iperf3: firstLine('iperf3', ['--version']),
      ping: firstLine('ping', ['-V']),
      ovs: firstLine('ovs-vswitchd', ['--version']),
      gcc: firstLine('gcc', ['--version']),
    },
    sysctl: {
      netdev_max_backlog: Number(rd('/proc/sys/net/core/netdev_max_backlog')),
      rmem_max: Number(rd('/proc/sys/net/core/rmem_max')),
      wmem_max: Number(rd('/proc/sys/net/core/wmem_max')),
      rmem_default: Number(rd('/proc/sys/net/core/rmem_default')),
    },
  };
}

/** Namespaces whose name starts with `prefix` (for cleanup of an interrupted run). */
export function namespaces(prefix) {
  try { return readdirSync('/run/netns').filter((n) => n.startsWith(prefix)); } catch { return []; }
}
