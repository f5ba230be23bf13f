// Services around the controller: the API server and the metrics endpoint.
// Each is started from here so that main.ts stays a lifecycle script.  If one
// fails to start, those already started are closed and the error is thrown.
// Listen addresses are read at start; a reload does not move them (restart).
import { VERSION } from '../api/daemon-service.js';
import { startApiServer } from '../api/server.js';
import type { Config, Controller } from '../controller/index.js';
import type { Logger } from '../util/logger.js';
import { startMetrics } from './metrics.js';

export interface Services {
  close(): Promise<void>;
}

export interface ServiceHooks {
  reload(): Promise<void>;
  /** The config file, if any (shown by `hvswitch daemon info`). */
  configFile?: string;
}

export async function startServices(controller: Controller, config: Config, log: Logger, hooks: ServiceHooks): Promise<Services> {
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c();
    closers.length = 0;
  };
  try {
    const apiLog = log.child({ module: 'api' });
    const metricsLog = log.child({ module: 'metrics' });
    const api = await startApiServer(
      controller,
      config,
      apiLog,
      { ...hooks, loggers: [apiLog, metricsLog] },
      { socket: config.apiSocket, tcp: config.apiTcp, tls: config.apiTls },
    );
    closers.push(() => api.close());
    if (config.metricsListen) {
      const m = await startMetrics(controller, config.metricsListen, VERSION, metricsLog);
      closers.push(() => m.close());
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { close };
}
