// hvswitchd under a notify socket of its own, as systemd runs it with
// Type=notify, NotifyAccess=main and WatchdogSec=2s: a real daemon (memory
// ports, two workers: no root needed) and a real AF_UNIX datagram socket
// (test/helpers/notify-socket.py, which records each message with its
// sender's PID from SCM_CREDENTIALS and a monotonic time).  Checks: READY=1
// from the main PID only after the API listens, with a STATUS line; WATCHDOG=1
// pings; a stalled worker (the SIGUSR2 test hook) stops them for as long as it
// is stuck, named in STATUS, and they resume after; RELOADING=1 then READY=1
// on SIGHUP; STOPPING=1 on SIGTERM and a clean exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

import { until } from '../wait.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const PING_MS = 1000; // WATCHDOG_USEC=2000000: a ping every second
const STALL_MS = 5000; // > WatchdogSec: systemd would have aborted us

interface Note {
  msg: string;
  pid: number | null;
  ms: number;
  /** the API socket existed when the test read this message */
  apiUp: boolean;
}

describe('hvswitchd under a notify socket (sd_notify(3), Type=notify, WatchdogSec=)', { timeout: 45_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hvsd-'));
  const notifyPath = join(dir, 'notify.sock');
  const apiSocket = join(dir, 'api.sock');
  const notes: Note[] = [];
  let out = '';
  let receiver: ChildProcess;
  let daemon: ChildProcess;
  const count = (m: string) => notes.filter((n) => n.msg === m).length;

  beforeAll(async () => {
    receiver = spawn('python3', [join(ROOT, 'test/helpers/notify-socket.py'), notifyPath], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buf = '';
    let listening = false;
    receiver.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line === 'listening') listening = true;
        else notes.push({ ...(JSON.parse(line) as Omit<Note, 'apiUp'>), apiUp: existsSync(apiSocket) });
      }
    });
    await until('the notify socket', () => listening, 10_000);
    const config = {
      workers: 2,
      'log-level': 'info',
      bridges: { br0: {} },
      ports: { m1: { backend: 'memory', bridge: 'br0', vlan: 10 }, m2: { backend: 'memory', bridge: 'br0', vlan: 10 } },
    };
    const cfg = join(dir, 'hvswitchd.yaml');
    writeFileSync(cfg, stringify(config));
    daemon = spawn(process.execPath, [join(ROOT, 'dist/src/daemon/main.js'), '--config', cfg, '--socket', apiSocket], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NOTIFY_SOCKET: notifyPath, WATCHDOG_USEC: String(PING_MS * 2000), HVSWITCHD_TEST_STALL_WORKER: `1:${STALL_MS}` },
    });
    daemon.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    daemon.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  });

  afterAll(async () => {
    for (const p of [daemon, receiver]) if (p?.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('READY=1 comes from the main PID once the ports are attached and the API listens, with a STATUS line', async () => {
    const ready = await until('READY=1', () => notes.find((n) => n.msg.startsWith('READY=1')), 15_000);
    expect(ready.msg).toBe('READY=1\nSTATUS=2 ports, 2 workers');
    expect(ready.pid).toBe(daemon.pid);
    expect(ready.apiUp).toBe(true);
    // nothing before READY=1, and the daemon logged the API listening before it told systemd
    expect(notes[0]).toBe(ready);
    await until('the ready log line', () => out.includes('systemd notified: ready'), 5000);
    expect(out.indexOf('API listening')).toBeGreaterThan(-1);
    expect(out.indexOf('API listening')).toBeLessThan(out.indexOf('systemd notified: ready'));
  });

  it("the runtime's helper threads run under SCHED_BATCH; the main thread and the dataplane workers keep the default policy", async () => {
    await until('READY=1', () => notes.find((n) => n.msg.startsWith('READY=1')), 15_000);
    // sched(7): SCHED_OTHER 0, SCHED_BATCH 3 (/proc/PID/task/TID/sched "policy")
    const threads = readdirSync(`/proc/${daemon.pid}/task`).map((tid) => ({
      tid: Number(tid),
      comm: readFileSync(`/proc/${daemon.pid}/task/${tid}/comm`, 'utf8').trim(),
      policy: Number(/^policy\s*:\s*(\d+)/m.exec(readFileSync(`/proc/${daemon.pid}/task/${tid}/sched`, 'utf8'))![1]),
    }));
    expect(threads.find((t) => t.tid === daemon.pid)).toMatchObject({ comm: 'node', policy: 0 });
    const workers = threads.filter((t) => t.comm.startsWith('hv-worker'));
    expect(workers.map((t) => t.policy)).toEqual([0, 0]);
    const helpers = threads.filter((t) => t.tid !== daemon.pid && t.comm === 'node');
    expect(helpers.length).toBeGreaterThanOrEqual(4); // V8's platform workers at least
    expect(helpers.filter((t) => t.policy === 3).length).toBeGreaterThanOrEqual(4);
    expect(out).toMatch(/"threads":\d+,"msg":"runtime helper threads under SCHED_BATCH"/);
  });

  it('pings WATCHDOG=1 every WATCHDOG_USEC/2 while the workers turn', async () => {
    await until('3 watchdog pings', () => count('WATCHDOG=1') >= 3, 15_000);
    const pings = notes.filter((n) => n.msg === 'WATCHDOG=1');
    for (const p of pings) expect(p.pid).toBe(daemon.pid);
    const gaps = pings.slice(1).map((p, i) => p.ms - pings[i]!.ms);
    for (const g of gaps) expect(g).toBeLessThan(PING_MS * 2); // systemd's deadline is 2 * PING_MS
  });

  it('a stalled worker stops the pings for as long as it is stuck, shows in STATUS, and they resume after', async () => {
    daemon.kill('SIGUSR2'); // TEST HOOK: worker 1 holds its loop for STALL_MS
    const stalled = await until('the stall in STATUS', () => notes.find((n) => n.msg.startsWith('STATUS=') && n.msg.includes('worker 1 stalled')), 10_000);
    expect(stalled.msg).toBe('STATUS=2 ports, 2 workers; watchdog withheld: worker 1 stalled');
    const from = notes.indexOf(stalled);
    const healed = await until('STATUS back to normal', () => notes.slice(from + 1).find((n) => n.msg === 'STATUS=2 ports, 2 workers'), 20_000);
    const between = notes.slice(from + 1, notes.indexOf(healed));
    // the only message in between is the ping that resumed, sent at the tick that saw worker 1 turn again
    expect(between.map((n) => n.msg)).toEqual(['WATCHDOG=1']);
    // no ping for longer than WatchdogSec: systemd would have killed and restarted us
    expect(between[0]!.ms - stalled.ms).toBeGreaterThan(2 * PING_MS);
    expect(between[0]!.ms - stalled.ms).toBeGreaterThan(STALL_MS / 2);
    expect(out).toMatch(/watchdog ping withheld: dataplane worker stalled/);
    expect(out).toMatch(/"workers":\[1\]/);
    const after = count('WATCHDOG=1');
    await until('pings after the stall', () => count('WATCHDOG=1') >= after + 2, 15_000);
  });

  it('RELOADING=1 with MONOTONIC_USEC on SIGHUP, then READY=1 again', async () => {
    const before = notes.length;
    daemon.kill('SIGHUP');
    const re = await until('RELOADING=1', () => notes.slice(before).find((n) => n.msg.startsWith('RELOADING=1')), 10_000);
    expect(re.msg).toMatch(/^RELOADING=1\nMONOTONIC_USEC=\d+\nSTATUS=reloading the config$/);
    const i = notes.indexOf(re);
    const ready = await until('READY=1 after the reload', () => notes.slice(i).find((n) => n.msg.startsWith('READY=1')), 10_000);
    expect(ready.msg).toBe('READY=1\nSTATUS=2 ports, 2 workers');
  });

  it('STOPPING=1 on SIGTERM, then a clean exit', async () => {
    const exited = new Promise<number | null>((r) => daemon.once('exit', (code) => r(code)));
    daemon.kill('SIGTERM');
    const stop = await until('STOPPING=1', () => notes.find((n) => n.msg.startsWith('STOPPING=1')), 10_000);
    expect(stop.msg).toBe('STOPPING=1\nSTATUS=stopping');
    expect(stop.pid).toBe(daemon.pid);
    expect(await exited).toBe(0);
    const i = notes.indexOf(stop);
    expect(notes.slice(i + 1).filter((n) => n.msg === 'WATCHDOG=1')).toEqual([]);
  });
});
