// What watches hvswitchd from outside, wired to the controller: the systemd
// notifications (systemd.ts) with the status line and the workers'
// heartbeats, and the test hook that stalls a worker to prove the watchdog.
import { sdNotify } from '../dataplane/index.js';
import type { Controller } from '../controller/index.js';
import type { Logger } from '../util/logger.js';
import { Systemd } from './systemd.js';

/** "3 ports, 2 workers, BGP 1/2 established": what `systemctl status` shows. */
export function statusLine(controller: Controller): string {
  const dp = controller.dataplane;
  const parts = [`${dp.listPorts().length} ports`, `${dp.workerStats().length} workers`];
  const bgp = controller.bgp?.neighbors();
  if (bgp) parts.push(`BGP ${bgp.filter((n) => n.state === 'established').length}/${bgp.length} established`);
  return parts.join(', ');
}

export function startSupervision(controller: Controller, log: Logger): Systemd {
  const dp = controller.dataplane;
  return new Systemd({
    send: sdNotify,
    heartbeats: () => dp.workerHeartbeats(),
    status: () => statusLine(controller),
    log: log.child({ module: 'systemd' }),
    pollMs: dp.options.pollMs ?? 100,
  });
}

/**
 * TEST HOOK, off unless HVSWITCHD_TEST_STALL_WORKER=<worker>:<ms> is set:
 * then SIGUSR2 makes that dataplane worker hold its loop for <ms>, as a worker
 * stuck in a stage would, so a test can see the watchdog pings stop.
 */
export function installTestHooks(controller: Controller, log: Logger, env: Record<string, string | undefined> = process.env): void {
  const spec = env.HVSWITCHD_TEST_STALL_WORKER;
  if (!spec) return;
  const m = /^(\d+):(\d+)$/.exec(spec);
  if (!m) {
    log.warn({ HVSWITCHD_TEST_STALL_WORKER: spec }, 'TEST HOOK ignored: want <worker>:<ms>');
    return;
  }
  const [worker, ms] = [Number(m[1]), Number(m[2])];
  log.warn({ worker, ms }, 'TEST HOOK armed: SIGUSR2 stalls a dataplane worker');
  process.on('SIGUSR2', () => {
    log.warn({ worker, ms }, 'TEST HOOK: stalling dataplane worker');
    controller.dataplane.testStallWorker(worker, ms);
  });
}
