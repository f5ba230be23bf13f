// The config file edited as a document (src/controller/config-document.ts):
// a change touches only its paths, the operator's comments and layout stay,
// JSON stays JSON, and the write is atomic with the previous version kept.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { diffRaw, editText, writeAtomic } from '../../src/controller/config-document.js';

// In the style the yaml library writes (one space before a trailing comment,
// padded flow brackets): untouched lines come back byte for byte.
const FILE = `# hvswitchd on hv-17 — owned by netops, see RUNBOOK-42
version: 1
workers: 2 # two cores for the dataplane

bridges:
  br0: {} # the VM bridge
ports:
  # uplink first
  eth1:
    backend: af-packet
    bridge: br0
    mode: trunk
    allowed-vlans: [ 10, 20 ] # tenant VLANs
  vm1: { backend: tap, bridge: br0, vlan: 10 }
vrfs:
  red:
    routes:
      - to: default # the upstream router
        via: 192.0.2.1
      - { to: 10.9.0.0/16, type: blackhole }
`;

describe('diffRaw', () => {
  it('a changed leaf is one set at its path', () => {
    expect(diffRaw({ ports: { a: { vlan: 10, mtu: 1500 } } }, { ports: { a: { vlan: 20, mtu: 1500 } } })).toEqual([
      { op: 'set', path: ['ports', 'a', 'vlan'], value: 20 },
    ]);
  });
  it('an added key is set whole, a removed key deleted', () => {
    expect(diffRaw({ ports: { a: { vlan: 1 } } }, { ports: { b: { vlan: 2 } } })).toEqual([
      { op: 'delete', path: ['ports', 'a'] },
      { op: 'set', path: ['ports', 'b'], value: { vlan: 2 } },
    ]);
  });
  it('items appended to a list are set at the new indexes', () => {
    expect(diffRaw({ r: [1, 2] }, { r: [1, 2, 3, 4] })).toEqual([
      { op: 'set', path: ['r', 2], value: 3 },
      { op: 'set', path: ['r', 3], value: 4 },
    ]);
  });
  it('one item removed from a list is one delete at its index', () => {
    expect(diffRaw({ r: [{ a: 1 }, { a: 2 }, { a: 3 }] }, { r: [{ a: 1 }, { a: 3 }] })).toEqual([{ op: 'delete', path: ['r', 1] }]);
    expect(diffRaw({ r: [1, 2, 3] }, { r: [1, 2] })).toEqual([{ op: 'delete', path: ['r', 2] }]);
  });
  it('a list changed otherwise is replaced whole', () => {
    expect(diffRaw({ r: [1, 2, 3] }, { r: [3] })).toEqual([{ op: 'set', path: ['r'], value: [3] }]);
  });
  it('equal configs give no edit; undefined keys count as absent', () => {
    expect(diffRaw({ a: { b: [1, { c: 2 }] }, x: undefined }, { a: { b: [1, { c: 2 }] } })).toEqual([]);
  });
});

describe('editText (YAML)', () => {
  it('keeps every comment, blank line and flow collection it does not touch', () => {
    const out = editText(FILE, [{ op: 'set', path: ['ports', 'vm1', 'vlan'], value: 20 }]);
    expect(out).toBe(FILE.replace('vm1: { backend: tap, bridge: br0, vlan: 10 }', 'vm1: { backend: tap, bridge: br0, vlan: 20 }'));
  });

  it('adds a port after the others and removes one, leaving the rest byte for byte', () => {
    const added = editText(FILE, [{ op: 'set', path: ['ports', 'vm2'], value: { backend: 'tap', bridge: 'br0', vlan: 20 } }]);
    expect(parse(added).ports.vm2).toEqual({ backend: 'tap', bridge: 'br0', vlan: 20 });
    expect(added.startsWith(FILE.slice(0, FILE.indexOf('vrfs:')))).toBe(true);
    const removed = editText(FILE, [{ op: 'delete', path: ['ports', 'vm1'] }]);
    expect(removed).toBe(FILE.replace('  vm1: { backend: tap, bridge: br0, vlan: 10 }\n', ''));
  });

  it('appends a route and deletes one by index: the other routes keep their comments', () => {
    const appended = editText(FILE, [{ op: 'set', path: ['vrfs', 'red', 'routes', 2], value: { to: '10.1.0.0/16', via: '192.0.2.9' } }]);
    expect(appended.startsWith(FILE)).toBe(true);
    expect(parse(appended).vrfs.red.routes).toHaveLength(3);
    expect(parse(appended).vrfs.red.routes[2]).toEqual({ to: '10.1.0.0/16', via: '192.0.2.9' });
    const deleted = editText(FILE, [{ op: 'delete', path: ['vrfs', 'red', 'routes', 1] }]);
    expect(deleted).toBe(FILE.replace('      - { to: 10.9.0.0/16, type: blackhole }\n', ''));
  });

  it('a file in another style keeps every comment; only the spacing the library normalizes changes', () => {
    const hand = '# top\nworkers: 2      # aligned comment\nports:\n  a: {backend: tap,   vlan: 10}   # vm a\n  # next one\n  b: {backend: tap}\n';
    const out = editText(hand, [{ op: 'set', path: ['ports', 'b', 'vlan'], value: 7 }]);
    for (const c of ['# top', '# aligned comment', '# vm a', '# next one']) expect(out).toContain(c);
    expect(parse(out)).toEqual({ workers: 2, ports: { a: { backend: 'tap', vlan: 10 }, b: { backend: 'tap', vlan: 7 } } });
  });

  it('creates missing sections, and fills an empty one (`vrfs:` with nothing under it)', () => {
    const out = editText('# empty\nbridges:\nports: {}\n', [
      { op: 'set', path: ['bridges', 'br9'], value: {} },
      { op: 'set', path: ['vrfs', 'blue'], value: {} },
    ]);
    expect(out.startsWith('# empty\n')).toBe(true);
    expect(parse(out)).toEqual({ bridges: { br9: {} }, ports: {}, vrfs: { blue: {} } });
    expect(parse(editText('', [{ op: 'set', path: ['bridges', 'b'], value: {} }]))).toEqual({ bridges: { b: {} } });
  });

  it('a path through a scalar is refused, naming it', () => {
    expect(() => editText('ports: 3\n', [{ op: 'set', path: ['ports', 'a', 'vlan'], value: 1 }])).toThrow(/ports: not a map or list/);
  });

  it('a file that does not parse is refused', () => {
    expect(() => editText('ports: [\n', [{ op: 'set', path: ['x'], value: 1 }])).toThrow(/does not parse/);
  });
});

describe('editText (JSON)', () => {
  it('a JSON file stays JSON (the loader parses it with JSON.parse)', () => {
    const json = JSON.stringify({ bridges: { br0: {} }, vrfs: { red: { routes: [{ to: 'default', via: '192.0.2.1' }, { to: '10.0.0.0/8', type: 'blackhole' }] } } });
    const out = editText(json, [
      { op: 'set', path: ['ports', 'p1'], value: { backend: 'tap', bridge: 'br0' } },
      { op: 'delete', path: ['vrfs', 'red', 'routes', 0] },
    ]);
    expect(JSON.parse(out)).toEqual({
      bridges: { br0: {} },
      vrfs: { red: { routes: [{ to: '10.0.0.0/8', type: 'blackhole' }] } },
      ports: { p1: { backend: 'tap', bridge: 'br0' } },
    });
  });
});

describe('writeAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hvdoc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the file by rename (a new inode), keeps the old one as .prev, leaves no temp file', () => {
    const f = join(dir, 'hvswitchd.yaml');
    writeFileSync(f, 'old: 1\n');
    chmodSync(f, 0o640);
    const before = statSync(f).ino;
    const r = writeAtomic(f, 'new: 2\n');
    expect(readFileSync(f, 'utf8')).toBe('new: 2\n');
    expect(statSync(f).ino).not.toBe(before); // renamed over, not rewritten in place
    expect(statSync(f).mode & 0o777).toBe(0o640);
    expect(r.prev).toBe(`${f}.prev`);
    expect(readFileSync(`${f}.prev`, 'utf8')).toBe('old: 1\n');
    expect(statSync(`${f}.prev`).ino).toBe(before);
    writeAtomic(f, 'newer: 3\n');
    expect(readFileSync(`${f}.prev`, 'utf8')).toBe('new: 2\n');
    expect(readdirSync(dir).sort()).toEqual(['hvswitchd.yaml', 'hvswitchd.yaml.prev']);
  });

  it('follows a symbolic link: the target is replaced, the link stays', () => {
    const real = join(dir, 'real.yaml');
    const link = join(dir, 'hvswitchd.yaml');
    writeFileSync(real, 'a: 1\n');
    symlinkSync(real, link);
    writeAtomic(link, 'a: 2\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('a: 2\n');
    expect(readFileSync(`${real}.prev`, 'utf8')).toBe('a: 1\n');
  });

  it('a directory it cannot write to fails before touching the file', () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: make the temp path a directory instead
      const f = join(dir, 'c.yaml');
      writeFileSync(f, 'a: 1\n');
      const tmp = join(dir, `.c.yaml.tmp-${process.pid}`);
      rmSync(tmp, { force: true });
      // a directory at the temp path: open(…, 'w') fails with EISDIR
      mkdirSync(tmp);
      expect(() => writeAtomic(f, 'a: 2\n')).toThrow();
      expect(readFileSync(f, 'utf8')).toBe('a: 1\n');
      return;
    }
    const f = join(dir, 'c.yaml');
    writeFileSync(f, 'a: 1\n');
    chmodSync(dir, 0o500);
    try {
      expect(() => writeAtomic(f, 'a: 2\n')).toThrow(/EACCES/);
      expect(readFileSync(f, 'utf8')).toBe('a: 1\n');
    } finally {
      chmodSync(dir, 0o700);
    }
  });
});

