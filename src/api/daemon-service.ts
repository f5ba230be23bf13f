// hvswitch.v1.DaemonService: identity, reload (the same path as SIGHUP), log level.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Config, Controller } from '../controller/index.js';
import type { Logger } from '../util/logger.js';
import { packageRoot } from '../util/root.js';
import { invalid } from './errors.js';
import type { DaemonServiceHandlers } from './gen/hvswitch/v1/DaemonService.js';
import type { ReloadConfigResponse } from './gen/hvswitch/v1/ReloadConfigResponse.js';
import { unary } from './handlers.js';

export interface DaemonHooks {
  /** Re-reads the config file and applies it (throws ConfigError: running config kept). */
  reload(): Promise<void>;
  /** The config file, if any (for `daemon info`). */
  configFile?: string;
  /** Loggers whose level SetLogLevel changes (the root and module children). */
  loggers?: Logger[];
}

export const VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** What a reload changed, from the running config before and after. */
export function diffConfigs(a: Config, b: Config): ReloadConfigResponse {
  const names = <T extends { name: string }>(xs: T[]) => new Map(xs.map((x) => [x.name, JSON.stringify(x)]));
  const ab = names(a.bridges), bb = names(b.bridges), ap = names(a.ports), bp = names(b.ports), av = names(a.vrfs), bv = names(b.vrfs);
  return {
    bridgesAdded: [...bb.keys()].filter((n) => !ab.has(n)),
    bridgesRemoved: [...ab.keys()].filter((n) => !bb.has(n)),
    portsAdded: [...bp.keys()].filter((n) => !ap.has(n)),
    portsRemoved: [...ap.keys()].filter((n) => !bp.has(n)),
    portsChanged: [...bp.keys()].filter((n) => ap.has(n) && ap.get(n) !== bp.get(n)),
    vrfsAdded: [...bv.keys()].filter((n) => !av.has(n)),
    vrfsRemoved: [...av.keys()].filter((n) => !bv.has(n)),
    vrfsChanged: [...bv.keys()].filter((n) => av.has(n) && av.get(n) !== bv.get(n)),
  };
}

export function daemonHandlers(controller: Controller, config: Config, log: Logger, hooks: DaemonHooks): DaemonServiceHandlers {
  return {
    GetDaemonInfo: unary(log, 'GetDaemonInfo', () => {
      const c = controller.running;
      return {
        version: VERSION,
        pid: process.pid,
        startTimeUnixMs: controller.startedAt,
        uptimeSeconds: (Date.now() - controller.startedAt) / 1000,
        nodeVersion: process.version,
        workers: c.workers,
        ports: c.ports.length,
        bridges: c.bridges.length,
        vrfs: c.vrfs.length,
        apiSocket: config.apiSocket,
        apiTcp: config.apiTcp ?? '',
        metricsListen: config.metricsListen ?? '',
        logLevel: controller.log.level,
        configFile: hooks.configFile ?? '',
        fdbAgingSeconds: c.agingSeconds,
      };
    }),

    ReloadConfig: unary(log, 'ReloadConfig', async () => {
      const before = controller.running;
      await hooks.reload(); // a ConfigError becomes INVALID_ARGUMENT with the problems
      const diff = diffConfigs(before, controller.running);
      log.info(diff, 'config reloaded (API)');
      return diff;
    }),

    SetLogLevel: unary(log, 'SetLogLevel', (req) => {
      const level = req.level ?? '';
      if (!LEVELS.includes(level)) throw invalid('level', `must be one of ${LEVELS.join(', ')}`);
      for (const l of [controller.log, ...(hooks.loggers ?? [])]) l.level = level;
      log.info({ level }, 'log level set');
      return {};
    }),
  };
}
