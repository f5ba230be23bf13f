// pino JSON logs; one child logger per module.  Human-readable (pino-pretty)
// when stdout is a terminal and pino-pretty is installed (a dev dependency).
import { createRequire } from 'node:module';

import { pino, type Logger } from 'pino';

function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

export function createLogger(level: string): Logger {
  if (process.stdout.isTTY && prettyAvailable()) {
    return pino({ level, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return pino({ level });
}

export type { Logger };
