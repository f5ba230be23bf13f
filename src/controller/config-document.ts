// Edits of the config file as a document, so that a live change (an API
// call) can be written back without losing what the operator wrote around
// it.  A change is described as the difference between two raw configs (the
// raw running config before and after the edit, both in the file's kebab-case
// vocabulary); `diffRaw` turns it into a list of set/delete operations on
// paths (`ports.vm1.vlan`, `vrfs.red.routes.2`), and `editText` applies them
// to the file's text with the `yaml` library's Document API (parseDocument,
// setIn, deleteIn), which keeps comments, blank lines, key order, quoting
// and flow style of every node it does not touch.  What the library does not
// keep is horizontal spacing it normalizes on output: one space before a
// trailing comment, `[ 10, 20 ]` inside flow brackets; a file written in that
// style comes back byte for byte outside the changed paths.  A JSON file (the loader's fast path, text
// starting with `{`) is edited as JSON (JSON.parse, the same operations,
// JSON.stringify): it has no comments to keep, and a flow-style YAML rewrite
// would not parse as JSON any more.
//
// Arrays are diffed by position with two exact shortcuts: items appended at
// the end (a route or BGP neighbor added) and one item removed (deleted):
// the other items' nodes, and their comments, stay as they are.  Any other
// change of an array replaces it whole.
//
// `writeAtomic` is the write: a temporary file in the file's own directory
// (same filesystem), written and fsync'ed with the file's mode and owner,
// the current file hard-linked as `<file>.prev` (copied where links are not
// allowed), then renamed over the file and the directory fsync'ed — a
// reader, or a crash, sees the old file or the new one, never half of one.
import { chownSync, closeSync, copyFileSync, existsSync, fsyncSync, linkSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { isCollection, isMap, isScalar, parseDocument, type Document } from 'yaml';

export type DocPath = (string | number)[];

/** One operation on the document: set `path` to `value`, or delete it. */
export type DocEdit = { op: 'set'; path: DocPath; value: unknown } | { op: 'delete'; path: DocPath };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** The operations that turn `before` into `after` (both raw configs). */
export function diffRaw(before: unknown, after: unknown, path: DocPath = []): DocEdit[] {
  if (deepEqual(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const out: DocEdit[] = [];
    for (const k of Object.keys(before)) if (before[k] !== undefined && after[k] === undefined) out.push({ op: 'delete', path: [...path, k] });
    for (const k of Object.keys(after)) {
      if (after[k] === undefined) continue;
      if (before[k] === undefined) out.push({ op: 'set', path: [...path, k], value: after[k] });
      else out.push(...diffRaw(before[k], after[k], [...path, k]));
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) return diffArray(before, after, path);
  return [{ op: 'set', path, value: after }];
}

/** Appended items, one item removed, same length (per index), else the whole array. */
function diffArray(before: unknown[], after: unknown[], path: DocPath): DocEdit[] {
  const n = before.length;
  if (after.length > n && before.every((x, i) => deepEqual(x, after[i])))
    return after.slice(n).map((value, i) => ({ op: 'set', path: [...path, n + i], value }));
  if (after.length === n - 1) {
    const i = after.findIndex((x, k) => !deepEqual(x, before[k]));
    const at = i < 0 ? n - 1 : i;
    if (after.every((x, k) => deepEqual(x, before[k < at ? k : k + 1]))) return [{ op: 'delete', path: [...path, at] }];
  }
  if (after.length === n) return after.flatMap((x, i) => diffRaw(before[i], x, [...path, i]));
  return [{ op: 'set', path, value: after }];
}

/** Sets `path` in a YAML document, turning an empty (null) parent into a map. */
function setInDoc(doc: Document, path: DocPath, value: unknown): void {
  for (let i = 0; i < path.length - 1; i++) {
    const parent = path.slice(0, i + 1);
    const node = doc.getIn(parent, true);
    if (node === undefined || (isScalar(node) && (node.value === null || node.value === undefined))) {
      doc.setIn(parent, doc.createNode(typeof path[i + 1] === 'number' ? [] : {}));
    } else if (!isCollection(node)) throw new Error(`${path.slice(0, i + 1).join('.')}: not a map or list in the file`);
  }
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  const last = path[path.length - 1]!;
  if (typeof last === 'number' && isCollection(parent) && !isMap(parent) && last === parent.items.length) parent.items.push(doc.createNode(value));
  else doc.setIn(path, doc.createNode(value));
}

/** A config file's content held for editing: a YAML Document (comments and
 *  layout kept), or, for a JSON file, the parsed object. */
export class ConfigDocument {
  private constructor(
    private readonly yaml: Document | null,
    private readonly json: Record<string, unknown> | null,
  ) {}

  /** Parses the file's text; throws if it does not parse. */
  static parse(text: string): ConfigDocument {
    if (/^\s*\{/.test(text)) return new ConfigDocument(null, JSON.parse(text) as Record<string, unknown>);
    const doc: Document = parseDocument(text);
    if (doc.errors.length) throw new Error(`the file does not parse: ${doc.errors[0]!.message.split('\n')[0]}`);
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) doc.contents = doc.createNode({});
    return new ConfigDocument(doc, null);
  }

  apply(edits: DocEdit[]): void {
    if (this.json) return editJson(this.json, edits);
    const doc = this.yaml!;
    for (const e of edits) {
      if (e.op === 'set') setInDoc(doc, e.path, e.value);
      else if (doc.hasIn(e.path)) doc.deleteIn(e.path);
    }
  }

  /** The plain config it describes (what the loader would parse). */
  toJS(): unknown {
    return this.json ?? this.yaml!.toJS();
  }

  toString(): string {
    if (this.json) return `${JSON.stringify(this.json, null, 2)}\n`;
    return this.yaml!.toString({ lineWidth: 0 }); // never fold a long line the operator wrote on one
  }
}

/** Applies `edits` to the config file's text (YAML or JSON); returns the new text. */
export function editText(text: string, edits: DocEdit[]): string {
  const d = ConfigDocument.parse(text);
  d.apply(edits);
  return d.toString();
}

function editJson(root: Record<string, unknown>, edits: DocEdit[]): void {
  for (const e of edits) {
    let node: Record<string | number, unknown> = root;
    for (let i = 0; i < e.path.length - 1; i++) {
      const k = e.path[i]!;
      if (node[k] === undefined || node[k] === null) node[k] = typeof e.path[i + 1] === 'number' ? [] : {};
      node = node[k] as Record<string | number, unknown>;
    }
    const last = e.path[e.path.length - 1]!;
    if (e.op === 'set') node[last] = e.value;
    else if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
    else delete node[last];
  }
}

/** Writes `text` to `file` atomically (temp + fsync + rename), keeping the
 *  previous version as `<file>.prev`.  A symbolic link is followed: the file
 *  it points to is replaced, the link stays. */
export function writeAtomic(file: string, text: string): { path: string; prev: string | null } {
  const target = existsSync(file) ? realpathSync(file) : file;
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.tmp-${process.pid}`);
  const st = existsSync(target) ? statSync(target) : null;
  const fd = openSync(tmp, 'w', st ? st.mode & 0o7777 : 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  let prev: string | null = null;
  try {
    if (st) {
      try {
        chownSync(tmp, st.uid, st.gid);
      } catch {
        /* not ours to give: the new file keeps our owner */
      }
      prev = `${target}.prev`;
      if (existsSync(prev)) unlinkSync(prev);
      try {
        linkSync(target, prev);
      } catch {
        copyFileSync(target, prev);
      }
    }
    renameSync(tmp, target);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw e;
  }
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
  return { path: target, prev };
}
