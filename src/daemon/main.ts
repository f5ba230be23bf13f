#!/usr/bin/env node
// hvswitchd: the hvswitch daemon.  Reads and validates the config (or uses the
// built-in default), starts the dataplane, serves the API, and stops cleanly on
// SIGTERM/SIGINT (workers joined, TAP devices it created removed, exit 0).
// SIGHUP re-reads the config file and applies the difference.  Under systemd
// (Type=notify) it reports readiness, reloads, stopping and watchdog pings
// gated by the dataplane workers (systemd.ts, supervision.ts).
import { Command } from 'commander';

import { BUILTIN_DEFAULT, ConfigError, ConfigPersistence, Controller, missingInterfaces, normalizeConfig, type Config } from '../controller/index.js';
import { createLogger, type Logger } from '../util/logger.js';
import { loadConfigFile } from './config.js';
import { startServices, type Services } from './services.js';
import { installTestHooks, startSupervision } from './supervision.js';
import type { Systemd } from './systemd.js';
import { claimSocket } from '../api/server.js';
import { batchRuntimeHelpers } from '../dataplane/index.js';

const program = new Command()
  .name('hvswitchd')
  .description('hvswitch daemon: BGP-driven virtual switch')
  .option('-c, --config <file>', 'config file, YAML (or JSON) (default: built-in config)')
  .option('--check-config <file>', 'validate a config file and exit')
  .option('--log-level <level>', 'log level (fatal, error, warn, info, debug, trace)')
  .option('--socket <path>', 'API unix socket path')
  .option('--metrics <addr>', 'serve Prometheus metrics on ADDR (host:port)')
  .option('--print-default-config', 'print the built-in config as YAML and exit')
  .option('--no-persist', 'do not write API changes back to the config file (they live until the next reload)');

interface Options {
  config?: string;
  checkConfig?: string;
  logLevel?: string;
  socket?: string;
  metrics?: string;
  printDefaultConfig?: boolean;
  persist: boolean;
}

/** --print-default-config and --check-config: answer and exit (true when handled). */
async function oneShot(opts: Options): Promise<boolean> {
  if (opts.printDefaultConfig) {
    const { stringify } = await import('yaml');
    process.stdout.write(stringify(BUILTIN_DEFAULT));
    return true;
  }
  if (!opts.checkConfig) return false;
  try {
    const c = loadConfigFile(opts.checkConfig);
    // A missing interface does not stop the switch (the port is absent until it appears): a warning, exit 0.
    for (const w of missingInterfaces(c)) process.stderr.write(`${opts.checkConfig}: warning: ${w.path}: ${w.message}\n`);
    process.stdout.write(`${opts.checkConfig}: ok\n`);
    return true;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}

/** The config file (or the built-in default) with the command-line overrides. */
function loader(opts: Options): () => Config {
  return () => {
    const c = opts.config ? loadConfigFile(opts.config) : normalizeConfig(BUILTIN_DEFAULT, 'built-in default');
    if (opts.socket) c.apiSocket = opts.socket;
    if (opts.metrics) c.metricsListen = opts.metrics;
    if (opts.logLevel) c.logLevel = opts.logLevel;
    return c;
  };
}

/** SIGTERM/SIGINT stop cleanly (services, BGP, dataplane); SIGHUP reloads. */
function handleSignals(log: Logger, controller: Controller, services: Services | undefined, reload: () => Promise<void>, systemd: Systemd): void {
  let stopping = false;
  const stop = (sig: string) => {
    if (stopping) return;
    stopping = true;
    systemd.stopping();
    log.info({ signal: sig }, 'stopping');
    void (async () => {
      await services?.close();
      await controller.stopBgp().catch((e: unknown) => log.warn({ err: (e as Error).message }, 'bgp stop'));
      controller.close();
      log.info('stopped');
      log.flush?.();
      setTimeout(() => process.exit(0), 50);
    })();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    reload().then(
      () => log.info('config reloaded'),
      (e: unknown) => log.error({ err: e instanceof ConfigError ? e.problems : (e as Error).message }, 'reload refused; running config kept'),
    );
  });
}

async function main(): Promise<void> {
  program.parse();
  const opts = program.opts<Options>();
  if (await oneShot(opts)) return;
  const load = loader(opts);
  let config: Config;
  try {
    config = load();
  } catch (e) {
    process.stderr.write(`hvswitchd: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  log.info({ config: opts.config ?? 'built-in default', workers: config.workers }, 'hvswitchd starting');
  try {
    // The main thread takes the UPDATEs and writes the FIB: the runtime's helper threads must not preempt it (src/dataplane/sched.ts).
    log.info({ threads: batchRuntimeHelpers() }, 'runtime helper threads under SCHED_BATCH');
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'runtime helper threads keep their scheduling policy');
  }
  try {
    // Before any port is opened: a second hvswitchd must not touch the first one's interfaces.
    await claimSocket(config.apiSocket, log.child({ module: 'api' }));
  } catch (e) {
    log.fatal({ err: (e as Error).message }, 'startup failed');
    log.flush?.();
    process.exit(1);
  }
  const controller = new Controller(config, log);
  const systemd = startSupervision(controller, log);
  if (opts.config && opts.persist) controller.persistence = new ConfigPersistence(opts.config, log);
  // SIGHUP and the ReloadConfig RPC: a ConfigError keeps the running config.
  // The file is read inside the queue: an API change written back just before is seen.
  const reload = async (): Promise<void> => {
    systemd.reloading();
    try {
      await controller.update(() => load());
    } finally {
      systemd.reloaded();
    }
  };
  let services: Services | undefined;
  try {
    const s = controller.start(config);
    log.info({ ports: s.portsAdded, bridges: s.bridgesAdded }, 'dataplane started');
    services = await startServices(controller, config, log, { reload, configFile: opts.config });
    await controller.startBgp();
  } catch (e) {
    log.fatal({ err: (e as Error).message }, 'startup failed');
    systemd.failed((e as Error).message);
    services?.close();
    await controller.stopBgp().catch(() => undefined);
    controller.close();
    process.exit(1);
  }
  handleSignals(log, controller, services, reload, systemd);
  installTestHooks(controller, log);
  systemd.ready(); // ports attached, API listening, BGP speaker started
  // Keep the event loop alive while the dataplane runs on its own threads.
  setInterval(() => undefined, 1 << 30);
}

void main();
