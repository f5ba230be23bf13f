// Counters: per-port counters (names and help come from the core's
// HV_PORT_COUNTERS table through the addon) and per-worker statistics.
import { loadAddon, type RawCore, type RawWorkerStats } from './addon.js';
import type { Registry } from './registry.js';

export type PortCounters = Record<string, number>;
export type WorkerStats = RawWorkerStats;

export const counterNames: readonly { name: string; help: string }[] = loadAddon().counters;

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
