// hvswitchd under systemd: the service-manager side of `Type=notify` with
// `WatchdogSec=` (sd_notify(3), systemd.service(5) Type=, WatchdogSec=,
// NotifyAccess=; the unit is packaging/hvswitchd.service).
//
// Messages, each one datagram to $NOTIFY_SOCKET (sent by the addon, Node has
// no AF_UNIX datagram sockets: src/dataplane/sd-notify.ts):
//   READY=1 + STATUS=   once ports are attached, the API listens and the BGP
//                       speaker runs (main.ts calls ready()), and after a reload;
//   RELOADING=1 + MONOTONIC_USEC=  when a reload (SIGHUP, ReloadConfig) starts;
//   STATUS=             "3 ports, 2 workers, BGP 1/2 established" when it changes;
//   STOPPING=1          on SIGTERM/SIGINT;
//   WATCHDOG=1          every WATCHDOG_USEC/2, only while every dataplane
//                       worker is alive: a ping is sent only if each worker's
//                       heartbeat (liveness.c) advanced since the previous one.
//                       The ping runs on the Node event loop, so a stuck
//                       controller stops it too.  A withheld ping is logged
//                       and shown in STATUS; systemd restarts us after
//                       WatchdogSec without one (Restart=on-failure).
// Without $NOTIFY_SOCKET (not started by systemd) everything here is a no-op.
// The variables are removed from the environment once read, as sd_notify's
// unset_environment does, so the programs we run (ip) do not inherit them.
// Not supported: WATCHDOG_USEC changes at run time (EXTEND_TIMEOUT_USEC,
// WATCHDOG_USEC=), file-descriptor store, vsock notify addresses.
import type { Logger } from '../util/logger.js';

/** What systemd passed in the environment, parsed (problems are logged, the daemon still runs). */
export interface NotifySettings {
  socket: string | null;
  /** ping interval in ms (WATCHDOG_USEC / 2), null: no watchdog for us */
  pingMs: number | null;
  problems: string[];
}

type Env = Record<string, string | undefined>;

export function notifySettings(env: Env, pid: number): NotifySettings {
  const problems: string[] = [];
  let socket: string | null = env.NOTIFY_SOCKET || null;
  if (socket && !socket.startsWith('/') && !socket.startsWith('@')) {
    problems.push(`NOTIFY_SOCKET "${socket}": only absolute paths and @abstract names are supported`);
    socket = null;
  }
  let pingMs: number | null = null;
  const usec = env.WATCHDOG_USEC;
  const forPid = env.WATCHDOG_PID;
  if (usec !== undefined && forPid !== undefined && forPid !== String(pid)) {
    // sd_watchdog_enabled(3): the watchdog is for another process (our parent's).
  } else if (usec !== undefined) {
    const n = Number(usec);
    if (!Number.isSafeInteger(n) || n <= 0) problems.push(`WATCHDOG_USEC "${usec}": not a positive integer`);
    else pingMs = Math.max(1, Math.floor(n / 2000));
  }
  if (pingMs !== null && !socket) {
    problems.push('WATCHDOG_USEC without a usable NOTIFY_SOCKET: no watchdog pings');
    pingMs = null;
  }
  return { socket, pingMs, problems };
}

/** The watchdog's gate: alive when every worker's heartbeat advanced since the previous check. */
export class WorkerGate {
  private last: number[];
  constructor(first: number[]) {
    this.last = first;
  }
  check(now: number[]): { alive: boolean; stalled: number[] } {
    const stalled = now.flatMap((h, i) => (h > (this.last[i] ?? -1) ? [] : [i]));
    this.last = now;
    return { alive: stalled.length === 0, stalled };
  }
}

export interface SystemdDeps {
  /** one datagram; throws with the reason */
  send(socket: string, message: string): void;
  heartbeats(): number[];
  /** the status line for `systemctl status` */
  status(): string;
  log: Logger;
  /** the dataplane's poll timeout: a ping interval shorter than two of them would withhold pings from idle workers */
  pollMs: number;
  /** how often STATUS is looked at when there is no watchdog (ms) */
  statusEveryMs?: number;
}

export class Systemd {
  private readonly settings: NotifySettings;
  private timer: NodeJS.Timeout | undefined;
  private gate: WorkerGate | undefined;
  private lastStatus = '';
  private stalled: number[] = [];
  private sendFailed = false;

  constructor(private readonly deps: SystemdDeps, env: Env = process.env, pid = process.pid) {
    this.settings = notifySettings(env, pid);
    if (env === process.env) for (const k of ['NOTIFY_SOCKET', 'WATCHDOG_USEC', 'WATCHDOG_PID']) delete process.env[k];
    for (const p of this.settings.problems) deps.log.warn(p);
    const { pingMs } = this.settings;
    if (pingMs !== null && pingMs < 2 * deps.pollMs)
      deps.log.warn({ pingMs, pollMs: deps.pollMs }, 'WatchdogSec is too short for the dataplane poll timeout: pings may be withheld from idle workers');
  }

  get enabled(): boolean {
    return this.settings.socket !== null;
  }
  get watchdogMs(): number | null {
    return this.settings.pingMs === null ? null : this.settings.pingMs * 2;
  }

  /** The service is up: READY=1 with the status; starts the watchdog. */
  ready(): void {
    if (!this.enabled || this.timer) return;
    this.notify(['READY=1', this.status()]);
    this.gate = new WorkerGate(this.deps.heartbeats());
    const every = this.settings.pingMs ?? this.deps.statusEveryMs ?? 2000;
    this.timer = setInterval(() => this.tick(), every);
    this.timer.unref();
    this.deps.log.info({ watchdogMs: this.watchdogMs }, 'systemd notified: ready');
  }

  reloading(): void {
    const usec = process.hrtime.bigint() / 1000n; // CLOCK_MONOTONIC, as MONOTONIC_USEC wants
    this.notify(['RELOADING=1', `MONOTONIC_USEC=${usec}`, 'STATUS=reloading the config']);
  }

  reloaded(): void {
    this.notify(['READY=1', this.status()]);
  }

  stopping(): void {
    clearInterval(this.timer);
    this.notify(['STOPPING=1', 'STATUS=stopping']);
  }

  /** Startup failed: say why in the status systemd keeps after we exit. */
  failed(reason: string): void {
    this.notify([`STATUS=startup failed: ${reason.replace(/\n/g, ' ')}`]);
  }

  private tick(): void {
    if (this.settings.pingMs !== null && this.gate) {
      const { alive, stalled } = this.gate.check(this.deps.heartbeats());
      if (alive) {
        if (this.stalled.length) this.deps.log.info({ workers: this.stalled }, 'watchdog: workers alive again, pings resumed');
        this.notify(['WATCHDOG=1']);
      } else {
        this.deps.log.warn({ workers: stalled }, 'watchdog ping withheld: dataplane worker stalled');
      }
      this.stalled = stalled;
    }
    if (this.statusText() !== this.lastStatus) this.notify([this.status()]);
  }

  private statusText(): string {
    const s = this.deps.status();
    return this.stalled.length ? `${s}; watchdog withheld: worker ${this.stalled.join(',')} stalled` : s;
  }

  /** The STATUS= line, remembered so that only changes are sent. */
  private status(): string {
    this.lastStatus = this.statusText();
    return `STATUS=${this.lastStatus}`;
  }

  private notify(lines: string[]): void {
    const { socket } = this.settings;
    if (!socket) return;
    try {
      this.deps.send(socket, lines.join('\n'));
      this.sendFailed = false;
    } catch (e) {
      if (!this.sendFailed) this.deps.log.warn({ err: (e as Error).message }, 'systemd notify failed');
      this.sendFailed = true;
    }
  }
}
