// `hvswitchd --print-default-config` (the demo's first block): the built-in
// config as YAML, whole, whatever its stdout is — a pipe, a file, a pipe into
// a file (the demo run as `bash scripts/demo.sh > demo.log` once printed an
// empty block; the demo now also refuses an empty answer).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { BUILTIN_DEFAULT } from '../../src/controller/index.js';

const ROOT = join(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/src/daemon/main.js');
const dir = mkdtempSync(join(tmpdir(), 'hv-default-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hvswitchd --print-default-config', () => {
  it('to a pipe: the whole built-in config', () => {
    const out = execFileSync(process.execPath, [MAIN, '--print-default-config'], { encoding: 'utf8' });
    expect(parse(out)).toEqual(BUILTIN_DEFAULT);
  });

  it('to a file, and through a pipe into a file (as the demo prints it)', () => {
    const f1 = join(dir, 'direct.yaml'), f2 = join(dir, 'piped.log');
    execFileSync('sh', ['-c', `"${process.execPath}" "${MAIN}" --print-default-config > "${f1}"`]);
    execFileSync('sh', ['-c', `"${process.execPath}" "${MAIN}" --print-default-config | sed 's/^/   /' > "${f2}"`]);
    expect(parse(readFileSync(f1, 'utf8'))).toEqual(BUILTIN_DEFAULT);
    const piped = readFileSync(f2, 'utf8');
    expect(piped.split('\n').filter((l) => l.trim()).length).toBeGreaterThan(5);
    expect(parse(piped.replace(/^ {3}/gm, ''))).toEqual(BUILTIN_DEFAULT);
  });
});
