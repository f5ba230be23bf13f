// The compact prefix table of the import and its keys (src/util/prefix-table.ts):
// the IPv4 hash against a Map on random insert/replace/delete sequences (the
// backward-shift delete must keep every other key findable), IPv6 keys, the
// key <-> text round trip, and the parser's refusals.
import { describe, expect, it } from 'vitest';

import { parsePrefix } from '../../src/util/ip.js';
import { formatKey4, keyPrefix, parseKey4, prefixKey, prefixKey4, PrefixTable } from '../../src/util/prefix-table.js';

/** xorshift32: a fixed sequence per seed */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}

describe('PrefixTable', () => {
  it('behaves as a Map over random inserts, replaces and deletes (clustered and scattered IPv4 keys)', () => {
    for (const seed of [1, 7, 42]) {
      const r = rng(seed);
      const t = new PrefixTable();
      const ref = new Map<number, number>();
      for (let step = 0; step < 20000; step++) {
        // half the keys in one /20 (runs of neighbours), half anywhere; lengths 8..32
        const addr = r() & 1 ? (0x0a000000 | (r() & 0xfff)) >>> 0 : r();
        const k = prefixKey4(addr, 8 + (r() % 25));
        const op = r() % 3;
        if (op < 2) {
          const v = r() % 1000;
          expect(t.set(k, v)).toBe(ref.get(k) ?? -1);
          ref.set(k, v);
        } else {
          expect(t.delete(k)).toBe(ref.get(k) ?? -1);
          ref.delete(k);
        }
        if (step % 997 === 0) for (const [rk, rv] of ref) expect(t.get(rk)).toBe(rv);
      }
      expect(t.size).toBe(ref.size);
      expect(t.size4).toBe(ref.size);
      const seen = new Map<number, number>();
      t.forEach((v, k) => seen.set(k as number, v));
      expect(seen).toEqual(ref);
      for (const k of [...ref.keys()]) t.delete(k);
      expect(t.size).toBe(0);
      expect(t.bytes()).toBeLessThan(1024); // shrinks back
    }
  });

  it('keeps IPv6 keys apart from IPv4 ones; reset empties it', () => {
    const t = new PrefixTable();
    const k6 = prefixKey(parsePrefix('2001:db8::/32')!);
    const k4 = parseKey4('32.1.13.184/32')!; // the same first four bytes
    t.set(k6, 6);
    t.set(k4, 4);
    expect([t.get(k6), t.get(k4), t.size, t.size4]).toEqual([6, 4, 2, 1]);
    expect(t.delete(k6)).toBe(6);
    expect(t.get(k6)).toBe(-1);
    t.reset();
    expect([t.size, t.get(k4)]).toEqual([0, -1]);
  });

  it('holds a million /32s in ~24 B each', () => {
    const t = new PrefixTable();
    for (let i = 0; i < 1_000_000; i++) t.set(prefixKey4(0x64000000 + i, 32), i & 0xffff);
    expect(t.size).toBe(1_000_000);
    expect(t.get(prefixKey4(0x64000000 + 999_999, 32))).toBe(999_999 & 0xffff);
    expect(t.bytes() / t.size).toBeLessThanOrEqual(26);
  });
});

describe('prefix keys', () => {
  it('round-trip through text and bytes; host bits are cleared', () => {
    expect(formatKey4(parseKey4('10.1.2.3/16')!)).toBe('10.1.0.0/16');
    expect(formatKey4(parseKey4('0.0.0.0/0')!)).toBe('0.0.0.0/0');
    expect(formatKey4(parseKey4('255.255.255.255/32')!)).toBe('255.255.255.255/32');
    expect(parseKey4('100.0.3.7/32')).toBe(prefixKey(parsePrefix('100.0.3.7/32')!));
    const k6 = prefixKey(parsePrefix('2001:db8:1::/48')!);
    expect(keyPrefix(k6)).toEqual({ bytes: parsePrefix('2001:db8:1::/48')!.bytes, plen: 48 });
    expect(keyPrefix(parseKey4('198.51.100.0/24')!)).toEqual({ bytes: Buffer.from([198, 51, 100, 0]), plen: 24 });
  });

  it('parseKey4 refuses what is not exactly a.b.c.d/n (the caller then parses in full)', () => {
    for (const s of ['10.0.0.0/33', '10.0.0/8', '256.0.0.0/8', '10.0.0.0/', '10.0.0.0', '1.2.3.4/3x', '1.2.3.4/0032', '::/0', ' 1.2.3.4/32'])
      expect(parseKey4(s), s).toBeUndefined();
  });
});
