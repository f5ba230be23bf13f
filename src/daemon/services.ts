// Services around the controller: the API server and the metrics endpoint.
// Each is started from here so that main.ts stays a lifecycle script.
import type { Config } from './config.js';
import type { Controller } from './controller.js';
import type { Logger } from './logger.js';

export interface Services {
  close(): Promise<void>;
}

export interface ServiceHooks {
  reload(): Promise<void>;
}

export async function startServices(controller: Controller, config: Config, log: Logger, hooks: ServiceHooks): Promise<Services> {
  const closers: (() => Promise<void> | void)[] = [];
  void controller;
  void config;
  void log;
  void hooks;
  return {
    async close() {
      for (const c of closers.reverse()) await c();
    },
  };
}
