// Persistent live changes: after a change made through the API has been
// applied (inside the controller's queue, so no reload can come between),
// the same change is written to the config file, so that a reload or a
// restart brings back the state the operator built with the CLI.  The file
// is edited as a document (config-document.ts): only the changed paths are
// touched, comments and layout stay, the write is atomic and the previous
// version is kept as `<file>.prev`.
//
// The new text is checked before it replaces the file: it must load (the
// same validator as startup and reload) — a text that would not load is not
// written — and it should describe the running config; when it does not
// (the file was edited by hand and not reloaded since), it is written all
// the same (it holds the operator's edit and ours) and a warning names the
// sections that differ, so that the next reload is no surprise.
//
// A failed write never undoes the change nor fails the request: the change
// is live, the failure is logged and counted (`hvswitch_config_writes_total
// {result="error"}`), and the last error is kept for `state()`.  The daemon's
// `--no-persist` leaves the controller without a ConfigPersistence: changes
// then live until the next reload, as before.
import { readFileSync } from 'node:fs';

import { parse as parseYaml } from 'yaml';

import type { Logger } from '../util/logger.js';
import { diffRaw, editText, writeAtomic, type DocEdit } from './config-document.js';
import { normalizeConfig, type Config, type RawConfig } from './config.js';

/** The sections a live change can touch: compared after a write. */
const SECTIONS = ['bridges', 'vrfs', 'ports', 'bgp', 'evpn', 'vtep'] as const satisfies readonly (keyof Config)[];

export interface PersistState {
  file: string;
  writes: number;
  failures: number;
  lastError: string | null;
}

export class ConfigPersistence {
  private writes = 0;
  private failures = 0;
  private lastError: string | null = null;

  constructor(
    readonly file: string,
    private readonly log: Logger,
  ) {}

  state(): PersistState {
    return { file: this.file, writes: this.writes, failures: this.failures, lastError: this.lastError };
  }

  /** Writes the change `before` → `after` (raw configs) to the file; `running`
   *  is the config now applied.  Never throws: returns the error text, or null. */
  record(before: RawConfig, after: RawConfig, running: Config): string | null {
    const edits = diffRaw(before, after);
    if (edits.length === 0) return null;
    try {
      const text = editText(readFileSync(this.file, 'utf8'), edits);
      const loaded = parseChecked(text, this.file);
      const w = writeAtomic(this.file, text);
      this.writes++;
      this.log.info({ module: 'persist', file: w.path, prev: w.prev, paths: edits.map(pathText) }, 'config file updated');
      const differs = SECTIONS.filter((s) => JSON.stringify(loaded[s]) !== JSON.stringify(running[s]));
      if (differs.length)
        this.log.warn({ module: 'persist', file: w.path, sections: differs }, 'the config file differs from the running config (edited by hand and not reloaded?)');
      return null;
    } catch (e) {
      this.failures++;
      this.lastError = (e as Error).message;
      this.log.error({ module: 'persist', file: this.file, err: this.lastError, paths: edits.map(pathText) }, 'config file not updated: the change is live until the next reload');
      return this.lastError;
    }
  }
}

function pathText(e: DocEdit): string {
  return `${e.op === 'set' ? '' : '-'}${e.path.join('.')}`;
}

/** The config the new text describes; throws (naming the field) if it would not load. */
function parseChecked(text: string, file: string): Config {
  const raw: unknown = /^\s*\{/.test(text) ? JSON.parse(text) : parseYaml(text);
  return normalizeConfig(raw, `${file} (as it would be written)`);
}
