// The systemd notify logic (src/daemon/systemd.ts) in virtual time, with a
// recording sender and scripted heartbeats: what systemd.service(5) Type=notify
// and WatchdogSec= expect, and the watchdog gate (a ping only if every
// worker's heartbeat advanced).  The real datagrams and the real daemon are in
// systemd-notify.test.ts.
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { notifySettings, Systemd, WorkerGate } from '../../src/daemon/systemd.js';

describe('sd_notify environment (sd_notify(3), sd_watchdog_enabled(3))', () => {
  it('reads NOTIFY_SOCKET paths and @abstract names, refuses other forms', () => {
    expect(notifySettings({ NOTIFY_SOCKET: '/run/systemd/notify' }, 1)).toEqual({ socket: '/run/systemd/notify', pingMs: null, problems: [] });
    expect(notifySettings({ NOTIFY_SOCKET: '@sd-notify' }, 1).socket).toBe('@sd-notify');
    const bad = notifySettings({ NOTIFY_SOCKET: 'vsock:2:1234', WATCHDOG_USEC: '10000000' }, 1);
    expect(bad.socket).toBeNull();
    expect(bad.pingMs).toBeNull();
    expect(bad.problems.join('\n')).toMatch(/NOTIFY_SOCKET "vsock:2:1234".*\n.*WATCHDOG_USEC without a usable NOTIFY_SOCKET/);
    expect(notifySettings({}, 1)).toEqual({ socket: null, pingMs: null, problems: [] });
  });

  it('pings at half of WATCHDOG_USEC, only when WATCHDOG_PID is ours or absent', () => {
    expect(notifySettings({ NOTIFY_SOCKET: '/n', WATCHDOG_USEC: '10000000' }, 7).pingMs).toBe(5000);
    expect(notifySettings({ NOTIFY_SOCKET: '/n', WATCHDOG_USEC: '10000000', WATCHDOG_PID: '7' }, 7).pingMs).toBe(5000);
    expect(notifySettings({ NOTIFY_SOCKET: '/n', WATCHDOG_USEC: '10000000', WATCHDOG_PID: '8' }, 7).pingMs).toBeNull();
    const junk = notifySettings({ NOTIFY_SOCKET: '/n', WATCHDOG_USEC: '10s' }, 7);
    expect(junk.pingMs).toBeNull();
    expect(junk.problems).toEqual(['WATCHDOG_USEC "10s": not a positive integer']);
  });
});

describe('watchdog gate', () => {
  it('is alive only when every worker advanced since the previous check, and names the stalled ones', () => {
    const g = new WorkerGate([5, 9]);
    expect(g.check([6, 10])).toEqual({ alive: true, stalled: [] });
    expect(g.check([7, 10])).toEqual({ alive: false, stalled: [1] });
    expect(g.check([7, 11])).toEqual({ alive: false, stalled: [0] });
    expect(g.check([8, 12])).toEqual({ alive: true, stalled: [] });
  });
});

describe('Systemd notifier (virtual time)', () => {
  let sent: string[];
  let hb: number[];
  let status: string;
  let fail: boolean;
  const log = pino({ level: 'silent' });
  const make = (env: Record<string, string>) =>
    new Systemd(
      {
        send: (socket, msg) => {
          if (fail) throw new Error(`sendto ${socket}: Connection refused`);
          sent.push(msg);
        },
        heartbeats: () => hb,
        status: () => status,
        log,
        pollMs: 100,
        statusEveryMs: 1000,
      },
      env,
      42,
    );
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    hb = [0, 0];
    status = '2 ports, 2 workers';
    fail = false;
  });
  afterEach(() => vi.useRealTimers());

  it('sends nothing without NOTIFY_SOCKET', () => {
    const sd = make({});
    sd.ready();
    sd.reloading();
    sd.stopping();
    vi.advanceTimersByTime(10_000);
    expect(sd.enabled).toBe(false);
    expect(sent).toEqual([]);
  });

  it('READY=1 with STATUS, WATCHDOG=1 per interval while workers turn, withheld while one is stuck, STOPPING=1', () => {
    const sd = make({ NOTIFY_SOCKET: '/run/n', WATCHDOG_USEC: '2000000' });
    expect(sd.watchdogMs).toBe(2000);
    sd.ready();
    expect(sent).toEqual(['READY=1\nSTATUS=2 ports, 2 workers']);
    sent = [];
    hb = [3, 4];
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['WATCHDOG=1']);
    hb = [6, 4]; // worker 1 stuck
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['WATCHDOG=1', 'STATUS=2 ports, 2 workers; watchdog withheld: worker 1 stalled']);
    hb = [7, 4]; // worker 1 still stuck: nothing (the status did not change)
    vi.advanceTimersByTime(1000);
    expect(sent.length).toBe(2);
    hb = [9, 5];
    vi.advanceTimersByTime(1000);
    expect(sent.slice(2)).toEqual(['WATCHDOG=1', 'STATUS=2 ports, 2 workers']);
    sd.stopping();
    hb = [20, 20];
    vi.advanceTimersByTime(5000);
    expect(sent.slice(4)).toEqual(['STOPPING=1\nSTATUS=stopping']);
  });

  it('sends STATUS= only when it changes; RELOADING=1 with MONOTONIC_USEC, then READY=1', () => {
    const sd = make({ NOTIFY_SOCKET: '@n' });
    sd.ready();
    vi.advanceTimersByTime(3000);
    expect(sent).toEqual(['READY=1\nSTATUS=2 ports, 2 workers']);
    status = '2 ports, 2 workers, BGP 1/2 established';
    vi.advanceTimersByTime(1000);
    expect(sent[1]).toBe('STATUS=2 ports, 2 workers, BGP 1/2 established');
    sd.reloading();
    expect(sent[2]).toMatch(/^RELOADING=1\nMONOTONIC_USEC=\d+\nSTATUS=reloading the config$/);
    status = '3 ports, 2 workers, BGP 1/2 established';
    sd.reloaded();
    expect(sent[3]).toBe('READY=1\nSTATUS=3 ports, 2 workers, BGP 1/2 established');
    vi.advanceTimersByTime(3000);
    expect(sent.length).toBe(4);
  });

  it('a send that fails does not throw (the switch keeps running)', () => {
    fail = true;
    const sd = make({ NOTIFY_SOCKET: '/run/n', WATCHDOG_USEC: '2000000' });
    expect(() => sd.ready()).not.toThrow();
    hb = [1, 1];
    expect(() => vi.advanceTimersByTime(1000)).not.toThrow();
    fail = false;
    hb = [2, 2];
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['WATCHDOG=1']);
  });
});
