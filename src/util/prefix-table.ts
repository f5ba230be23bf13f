// A compact prefix -> uint32 table for tables of a million routes, where a JS
// Map costs ~80 B per entry (entry, boxed number or string key, hash bucket)
// and a million small objects for the garbage collector to walk.
//
// Keys (prefixKey): an IPv4 prefix is a number, plen * 2^32 + address (exact
// in a double: < 2^38); an IPv6 prefix is a short string (the 16 address
// bytes as latin1, then the length).  IPv4 keys live in an open-addressed
// hash over two typed arrays (Float64Array keys + 1, 0 = empty; Uint32Array
// values), linear probing, load <= 1/2 after a resize (<= 3/4 before one),
// deletion by backward shift: 12 B a slot, 16-24 B a route, nothing for the
// GC to trace.  IPv6 keys go to a plain Map: VPN tables are mostly IPv4, and
// an IPv6 key is a string anyway.
//
// Values are uint32 (a next-hop id, a candidate id); `get` returns -1 for a
// missing key so that a lookup allocates nothing.
import type { Prefix } from './ip.js';

export type PrefixKey = number | string;

/** The key of an IPv4 prefix (address host order, host bits cleared by the caller). */
export function prefixKey4(addr: number, plen: number): number {
  return plen * 0x100000000 + (addr >>> 0);
}

/** The key of an IPv4 prefix of `plen` bits whose significant octets (only those) start at `b[off]`,
 *  bits past `plen` already clear (a BGP NLRI key). */
export function prefixKey4Bytes(b: Uint8Array, off: number, plen: number): number {
  const n = (plen + 7) >> 3;
  let a = 0;
  for (let i = 0; i < 4; i++) a = a * 256 + (i < n ? b[off + i]! : 0);
  return prefixKey4(a, plen);
}

/** The key of a parsed prefix. */
export function prefixKey(p: Pick<Prefix, 'bytes' | 'plen'>): PrefixKey {
  if (p.bytes.length === 4) return prefixKey4(p.bytes.readUInt32BE(0), p.plen);
  return p.bytes.toString('latin1') + String.fromCharCode(p.plen);
}

/** The prefix of a key: address bytes (network order) and length. */
export function keyPrefix(k: PrefixKey): { bytes: Buffer; plen: number } {
  if (typeof k === 'number') {
    const b = Buffer.allocUnsafe(4);
    const a = k >>> 0; // ToUint32: k mod 2^32
    b.writeUInt32BE(a, 0);
    return { bytes: b, plen: (k - a) / 0x100000000 };
  }
  return { bytes: Buffer.from(k.slice(0, -1), 'latin1'), plen: k.charCodeAt(k.length - 1) };
}

/** "a.b.c.d/n" of an IPv4 key. */
export function formatKey4(k: number): string {
  const a = k >>> 0;
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/${(k - a) / 0x100000000}`;
}

/** The key of "a.b.c.d/n" without allocating (host bits cleared); undefined if
 *  `s` is not in that exact form (then parse it with parsePrefix). */
export function parseKey4(s: string): number | undefined {
  let a = 0, v = 0, digits = 0, dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      if (++digits > 3 || v > 255) return undefined;
    } else if (c === 46 && dots < 3 && digits) {
      a = a * 256 + v;
      dots++;
      v = digits = 0;
    } else if (c === 47 && dots === 3 && digits && i + 1 < s.length && s.length - i <= 3) {
      a = a * 256 + v;
      let plen = 0;
      for (let j = i + 1; j < s.length; j++) {
        const d = s.charCodeAt(j) - 48;
        if (d < 0 || d > 9) return undefined;
        plen = plen * 10 + d;
      }
      if (plen > 32) return undefined;
      const mask = plen === 0 ? 0 : (~0 << (32 - plen)) >>> 0;
      return prefixKey4((a & mask) >>> 0, plen);
    } else return undefined;
  }
  return undefined;
}

const MIN_CAP = 16;

export class PrefixTable {
  /** per slot s, three words side by side (a probe of a table far bigger than the cache misses
   *  once, not twice): [3s] prefix length + 1 (0 = empty), [3s + 1] the address, [3s + 2] the value */
  private kv = new Uint32Array(3 * MIN_CAP);
  private cap = MIN_CAP;
  private n4 = 0;
  private readonly v6 = new Map<string, number>();

  get size(): number {
    return this.n4 + this.v6.size;
  }

  /** IPv4 entries (the rest are IPv6). */
  get size4(): number {
    return this.n4;
  }

  /** The home slot of (hi, lo): the address's bits spread by a multiplicative hash, the length mixed in. */
  private slot(hi: number, lo: number): number {
    const h = Math.imul((lo ^ Math.imul(hi, 0x27d4eb2d)) >>> 0, 0x9e3779b1);
    return (h ^ (h >>> 15)) & (this.cap - 1);
  }

  /** The slot holding k, or the empty slot where it would go. */
  private probe(k: number): number {
    const lo = k >>> 0, hi = (k - lo) / 0x100000000 + 1;
    const kv = this.kv, mask = this.cap - 1;
    let s = this.slot(hi - 1, lo);
    for (;;) {
      const x = kv[3 * s]!;
      if (x === 0 || (x === hi && kv[3 * s + 1] === lo)) return s;
      s = (s + 1) & mask;
    }
  }

  get(k: PrefixKey): number {
    if (typeof k !== 'number') return this.v6.get(k) ?? -1;
    const s = this.probe(k);
    return this.kv[3 * s] === 0 ? -1 : this.kv[3 * s + 2]!;
  }

  has(k: PrefixKey): boolean {
    return this.get(k) !== -1;
  }

  /** Sets k to v (0 <= v < 2^32 - 1); returns the previous value or -1. */
  set(k: PrefixKey, v: number): number {
    if (typeof k !== 'number') {
      const old = this.v6.get(k) ?? -1;
      this.v6.set(k, v);
      return old;
    }
    let s = this.probe(k);
    if (this.kv[3 * s] !== 0) {
      const old = this.kv[3 * s + 2]!;
      this.kv[3 * s + 2] = v;
      return old;
    }
    if ((this.n4 + 1) * 4 > this.cap * 3) {
      this.resize(this.cap * 2);
      s = this.probe(k);
    }
    const lo = k >>> 0;
    this.kv[3 * s] = (k - lo) / 0x100000000 + 1;
    this.kv[3 * s + 1] = lo;
    this.kv[3 * s + 2] = v;
    this.n4++;
    return -1;
  }

  /** Removes k; returns its value or -1. */
  delete(k: PrefixKey): number {
    if (typeof k !== 'number') {
      const old = this.v6.get(k) ?? -1;
      this.v6.delete(k);
      return old;
    }
    let s = this.probe(k);
    const kv = this.kv;
    if (kv[3 * s] === 0) return -1;
    const old = kv[3 * s + 2]!;
    // backward shift: move later entries of the run into the hole when their home allows
    const mask = this.cap - 1;
    for (let j = (s + 1) & mask; kv[3 * j] !== 0; j = (j + 1) & mask) {
      const home = this.slot(kv[3 * j]! - 1, kv[3 * j + 1]!);
      // j may move to s if home is not cyclically in (s, j]
      if (((j - home) & mask) >= ((j - s) & mask)) {
        kv.copyWithin(3 * s, 3 * j, 3 * j + 3);
        s = j;
      }
    }
    kv[3 * s] = 0;
    this.n4--;
    if (this.n4 * 8 < this.cap && this.cap > MIN_CAP) this.resize(this.cap / 2);
    return old;
  }

  /** Empties the table, keeping its IPv4 capacity (a scratch table reused per batch). */
  reset(): void {
    if (this.cap > 4096) this.alloc(MIN_CAP); // after a big batch (a replay): not kept
    else if (this.n4) this.kv.fill(0);
    this.n4 = 0;
    this.v6.clear();
  }

  clear(): void {
    this.alloc(MIN_CAP);
    this.n4 = 0;
    this.v6.clear();
  }

  forEach(fn: (v: number, k: PrefixKey) => void): void {
    const kv = this.kv;
    for (let s = 0; s < this.cap; s++) if (kv[3 * s] !== 0) fn(kv[3 * s + 2]!, (kv[3 * s]! - 1) * 0x100000000 + kv[3 * s + 1]!);
    for (const [k, v] of this.v6) fn(v, k);
  }

  /** Bytes held (typed arrays; the IPv6 Map not counted). */
  bytes(): number {
    return this.kv.byteLength;
  }

  private alloc(cap: number): void {
    this.kv = new Uint32Array(3 * cap);
    this.cap = cap;
  }

  private resize(cap: number): void {
    const old = this.kv, oldCap = this.cap;
    this.alloc(cap);
    const kv = this.kv, mask = cap - 1;
    for (let s = 0; s < oldCap; s++) {
      const hi = old[3 * s]!;
      if (hi === 0) continue;
      let t = this.slot(hi - 1, old[3 * s + 1]!);
      while (kv[3 * t] !== 0) t = (t + 1) & mask;
      kv[3 * t] = hi;
      kv[3 * t + 1] = old[3 * s + 1]!;
      kv[3 * t + 2] = old[3 * s + 2]!;
    }
  }
}
