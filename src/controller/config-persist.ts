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
// The check costs a parse of the whole file; a config with 100k routes takes
// seconds to parse as YAML, and the write runs in the control queue.  So the
// document is kept in memory after a write whose file matched the running
// config, with the file's identity (inode, size, mtime, ctime): the next
// change, if the file was not touched meanwhile, is applied to that document
// without parsing or checking again — the file then describes the running
// config by construction (both change by the same edits).  A file touched by
// anyone else is parsed and checked again.
//
// A failed write never undoes the change nor fails the request: the change
// is live, the failure is logged and counted (`hvswitch_config_writes_total
// {result="error"}`), and the last error is kept for `state()`.  The daemon's
// `--no-persist` leaves the controller without a ConfigPersistence: changes
// then live until the next reload, as before.
import { readFileSync, statSync } from 'node:fs';

import type { Logger } from '../util/logger.js';
import { ConfigDocument, diffRaw, writeAtomic, type DocEdit } from './config-document.js';
import { normalizeConfig, type Config, type RawConfig } from './config.js';

/** The sections a live change can touch: compared after a write. */
const SECTIONS = ['bridges', 'vrfs', 'ports', 'bgp', 'evpn', 'vtep'] as const satisfies readonly (keyof Config)[];

export interface PersistState {
  file: string;
  writes: number;
  failures: number;
  lastError: string | null;
}

/** What identifies the file's content without reading it. */
type FileId = { ino: bigint; size: bigint; mtimeNs: bigint; ctimeNs: bigint };

function fileId(file: string): FileId {
  const st = statSync(file, { bigint: true });
  return { ino: st.ino, size: st.size, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs };
}

const sameFile = (a: FileId, b: FileId) => a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;

export class ConfigPersistence {
  private writes = 0;
  private failures = 0;
  private lastError: string | null = null;
  /** The document as last written, while the file is untouched and matched the running config. */
  private cache: { doc: ConfigDocument; id: FileId } | null = null;

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
    const cached = this.cache;
    this.cache = null; // until this write is done
    try {
      const trusted = cached !== null && sameFile(cached.id, fileId(this.file));
      const doc = trusted ? cached.doc : ConfigDocument.parse(readFileSync(this.file, 'utf8'));
      doc.apply(edits);
      const differs = trusted ? [] : this.check(doc, running);
      const w = writeAtomic(this.file, doc.toString());
      this.writes++;
      this.log.info({ module: 'persist', file: w.path, prev: w.prev, paths: edits.map(pathText) }, 'config file updated');
      if (differs.length)
        this.log.warn({ module: 'persist', file: w.path, sections: differs }, 'the config file differs from the running config (edited by hand and not reloaded?)');
      else this.cache = { doc, id: fileId(this.file) };
      return null;
    } catch (e) {
      this.failures++;
      this.lastError = (e as Error).message;
      this.log.error({ module: 'persist', file: this.file, err: this.lastError, paths: edits.map(pathText) }, 'config file not updated: the change is live until the next reload');
      return this.lastError;
    }
  }

  /** Throws (naming the field) if the edited document would not load; returns
   *  the sections where it does not describe the running config. */
  private check(doc: ConfigDocument, running: Config): string[] {
    const loaded = normalizeConfig(doc.toJS(), `${this.file} (as it would be written)`);
    return SECTIONS.filter((s) => JSON.stringify(loaded[s]) !== JSON.stringify(running[s]));
  }
}

function pathText(e: DocEdit): string {
  return `${e.op === 'set' ? '' : '-'}${e.path.join('.')}`;
}
