// Counters: per-port counters (names and help come from the core's
// HV_PORT_COUNTERS table through the addon) and per-worker statistics (names
// and help from HV_WORKER_STATS).
import { loadAddon, type RawCore, type RawWorkerStats } from './addon.js';
import type { Registry } from './registry.js';

export type PortCounters = Record<string, number>;
/** One worker's statistics; its keys are HV_WORKER_STATS (hv.h), checked
 *  against the addon's table by test/unit/worker-stats.test.ts. */
export type WorkerStats = RawWorkerStats;
export type WorkerStatName = keyof WorkerStats;

export const counterNames: readonly { name: string; help: string }[] = loadAddon().counters;
/** Worker statistics (name, help) in HV_WORKER_STATS order, from the addon. */
export const workerStatNames = loadAddon().workerStats as readonly { name: WorkerStatName; help: string }[];

export class Counters {
  constructor(
    private core: RawCore,
    private reg: Registry,
  ) {}

  port(name: string): PortCounters {
    return this.core.portStats(this.reg.portEntry(name).id);
  }

  workers(): WorkerStats[] {
    return this.core.workerStats();
  }
}
