/**
 * A compact route table: open-addressing hash over (key bytes, path id) whose
 * entries live in one flat byte arena. No JS object per route.
 *
 * Record layout (arena offset r):
 *   r+0  int32  attribute-set id (AttrStore)        r+4  uint32 path id (RFC 7911) or source index
 *   r+8  uint8  flags (bit 0 = stale, RFC 4724)     r+9  uint8  key length   r+10 uint8 data length
 *   r+11 key bytes, then data bytes
 * A VPNv4 /32 takes 11 + 13 + 3 = 27 octets of arena plus 8 octets of slot and
 * hash words at ≤ 50 % load. Replacing a route with data of the same length
 * rewrites in place; otherwise a new record is appended and the old one
 * becomes garbage, reclaimed by compaction when garbage exceeds live bytes.
 */
import { KeyData } from '../codec/nlri/types.js';

export const HDR = 11;
export const FLAG_STALE = 1;

function hashKey(buf: Uint8Array, off: number, len: number, pathId: number): number {
  let h = 0x811c9dc5 ^ pathId;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ buf[off + i]!, 0x01000193);
  h ^= h >>> 15; h = Math.imul(h, 0x2c1b3c6d); h ^= h >>> 12;
  return h | 0;
}

export class RouteTable {
  arena = new Uint8Array(1 << 12);
  private top = 0;
  private garbage = 0;
  /** per slot i: [2i] record offset + 1 (0 empty, -1 tombstone), [2i + 1] the key's hash; side by
   *  side, so that a probe of a table far bigger than the cache misses once, not twice */
  private slots = new Int32Array(32);
  private mask = 15;
  private used = 0; // live + tombstones
  count = 0;
  /** set by `set`: false when the same attributes and data were already stored */
  changed = false;

  attrId(rec: number): number { const a = this.arena; return (a[rec]! << 24) | (a[rec + 1]! << 16) | (a[rec + 2]! << 8) | a[rec + 3]!; }
  pathId(rec: number): number { const a = this.arena; return ((a[rec + 4]! << 24) | (a[rec + 5]! << 16) | (a[rec + 6]! << 8) | a[rec + 7]!) >>> 0; }
  flags(rec: number): number { return this.arena[rec + 8]!; }
  keyLen(rec: number): number { return this.arena[rec + 9]!; }
  dataLen(rec: number): number { return this.arena[rec + 10]!; }
  keyOff(rec: number): number { return rec + HDR; }
  dataOff(rec: number): number { return rec + HDR + this.arena[rec + 9]!; }
  setFlags(rec: number, f: number): void { this.arena[rec + 8] = f; }
  private setAttr(rec: number, id: number): void { const a = this.arena; a[rec] = id >>> 24; a[rec + 1] = id >>> 16; a[rec + 2] = id >>> 8; a[rec + 3] = id; }

  /** Slot index holding (key, pathId), or -1. */
  find(buf: Uint8Array, off: number, len: number, pathId: number): number {
    const h = hashKey(buf, off, len, pathId);
    const slots = this.slots, a = this.arena;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const s = slots[2 * i]!;
      if (s === 0) return -1;
      if (s > 0 && slots[2 * i + 1] === h) {
        const r = s - 1;
        if (a[r + 9] === len && this.pathId(r) === pathId) {
          let j = 0;
          const k = r + HDR;
          while (j < len && a[k + j] === buf[off + j]) j++;
          if (j === len) return i;
        }
      }
    }
  }
  rec(slot: number): number { return this.slots[2 * slot]! - 1; }

  private alloc(n: number): number {
    if (this.top + n > this.arena.length) {
      if (this.garbage > this.top / 2) this.compact(n);
      if (this.top + n > this.arena.length) {
        let cap = this.arena.length * 2;
        while (cap < this.top + n) cap *= 2;
        const na = new Uint8Array(cap); na.set(this.arena.subarray(0, this.top)); this.arena = na;
      }
    }
    const r = this.top; this.top += n; return r;
  }

  private compact(extra: number): void {
    const na = new Uint8Array(Math.max(4096, (this.top - this.garbage + extra) * 2));
    let t = 0;
    const a = this.arena;
    for (let i = 0; i <= this.mask; i++) {
      const s = this.slots[2 * i]!;
      if (s <= 0) continue;
      const r = s - 1, n = HDR + a[r + 9]! + a[r + 10]!;
      na.set(a.subarray(r, r + n), t); this.slots[2 * i] = t + 1; t += n;
    }
    this.arena = na; this.top = t; this.garbage = 0;
  }

  private grow(): void {
    const old = this.slots, oldCap = old.length / 2;
    const cap = (this.count * 4 > oldCap) ? oldCap * 2 : oldCap;
    const slots = (this.slots = new Int32Array(2 * cap)); this.mask = cap - 1; this.used = 0;
    for (let i = 0; i < oldCap; i++) {
      const s = old[2 * i]!;
      if (s <= 0) continue;
      const h = old[2 * i + 1]!;
      let j = h & this.mask;
      while (slots[2 * j] !== 0) j = (j + 1) & this.mask;
      slots[2 * j] = s; slots[2 * j + 1] = h; this.used++;
    }
  }

  /**
   * Insert or replace (kd.key, pathId) with kd.data and attrId. Returns the
   * previous attribute-set id, or -1 if the route is new.
   */
  set(kd: KeyData, pathId: number, attrId: number, flags = 0): number {
    return this.setRaw(kd.buf, 0, kd.keyLen, kd.buf, KeyData.DATA, kd.dataLen, pathId, attrId, flags);
  }

  setRaw(kb: Uint8Array, ko: number, kl: number, db: Uint8Array, dof: number, dl: number, pathId: number, attrId: number, flags: number): number {
    const slot = this.find(kb, ko, kl, pathId);
    if (slot >= 0) {
      const r = this.slots[2 * slot]! - 1;
      const a = this.arena;
      const prev = this.attrId(r);
      const odl = a[r + 10]!;
      let same = prev === attrId && odl === dl;
      const d = r + HDR + kl;
      if (same) for (let j = 0; j < dl; j++) if (a[d + j] !== db[dof + j]) { same = false; break; }
      this.changed = !same;
      if (same) { a[r + 8] = flags; return prev; }
      if (odl === dl) {
        this.setAttr(r, attrId); a[r + 8] = flags;
        for (let j = 0; j < dl; j++) a[d + j] = db[dof + j]!;
        return prev;
      }
      this.garbage += HDR + kl + odl;
      const nr = this.write(kb, ko, kl, db, dof, dl, pathId, attrId, flags);
      this.slots[2 * slot] = nr + 1;
      return prev;
    }
    this.changed = true;
    if ((this.used + 1) * 4 > this.slots.length) this.grow(); // used > half the slots
    const h = hashKey(kb, ko, kl, pathId);
    const r = this.write(kb, ko, kl, db, dof, dl, pathId, attrId, flags);
    let i = h & this.mask;
    while (this.slots[2 * i]! > 0) i = (i + 1) & this.mask;
    if (this.slots[2 * i] === 0) this.used++;
    this.slots[2 * i] = r + 1; this.slots[2 * i + 1] = h;
    this.count++;
    return -1;
  }

  private write(kb: Uint8Array, ko: number, kl: number, db: Uint8Array, dof: number, dl: number, pathId: number, attrId: number, flags: number): number {
    const r = this.alloc(HDR + kl + dl);
    const a = this.arena;
    this.setAttr(r, attrId);
    a[r + 4] = pathId >>> 24; a[r + 5] = pathId >>> 16; a[r + 6] = pathId >>> 8; a[r + 7] = pathId;
    a[r + 8] = flags; a[r + 9] = kl; a[r + 10] = dl;
    for (let j = 0; j < kl; j++) a[r + HDR + j] = kb[ko + j]!;
    for (let j = 0; j < dl; j++) a[r + HDR + kl + j] = db[dof + j]!;
    return r;
  }

  /** Remove (key, pathId); returns the removed attribute-set id or -1. */
  delete(kb: Uint8Array, ko: number, kl: number, pathId: number): number {
    const slot = this.find(kb, ko, kl, pathId);
    return slot < 0 ? -1 : this.deleteSlot(slot);
  }

  deleteSlot(slot: number): number {
    const r = this.slots[2 * slot]! - 1;
    const prev = this.attrId(r);
    this.garbage += HDR + this.arena[r + 9]! + this.arena[r + 10]!;
    this.slots[2 * slot] = -1;
    this.count--;
    if (this.count === 0) this.clear();
    return prev;
  }

  clear(): void {
    this.slots = new Int32Array(32); this.mask = 15; this.used = 0; this.count = 0;
    this.arena = new Uint8Array(1 << 12); this.top = 0; this.garbage = 0;
  }

  /**
   * Empty, as `clear`, but a table still at its initial size keeps its arrays:
   * for the RIB's dirty sets, which best-path distribution empties after every
   * UPDATE of a steady churn (distribute.ts), a fresh 4 KiB arena each
   * time is an ArrayBuffer allocated, zeroed and left to the GC per UPDATE (and
   * counted as external memory, which brings on scavenges). Views of the arena
   * taken before are overwritten by later inserts (callers copy what they keep,
   * as `fromKD` does). A table that grew is replaced by a small one, as `clear`:
   * keeping a bulk load's dirty set for the next flush was tried (2026-12-07) and
   * left ~37 B per route of a 10,000-route load held after it, for no gain the
   * load's time showed.
   */
  reset(): void {
    if (this.mask !== 15 || this.arena.length !== 1 << 12) { this.clear(); return; }
    this.slots.fill(0); this.used = 0; this.count = 0; this.top = 0; this.garbage = 0;
  }

  /** Visit every live record. The callback may not insert; it may delete the visited slot. */
  forEach(fn: (rec: number, slot: number) => void): void {
    const s = this.slots;
    for (let i = 0; 2 * i < s.length; i++) if (s[2 * i]! > 0) fn(s[2 * i]! - 1, i);
  }

  /** Live records, lazily (for streaming listings). Do not modify the table while iterating. */
  *records(): Generator<number> {
    const s = this.slots;
    for (let i = 0; 2 * i < s.length; i++) if (s[2 * i]! > 0) yield s[2 * i]! - 1;
  }

  /** Copy a record's key/data into kd (and return its path id). */
  load(rec: number, kd: KeyData): number {
    const a = this.arena, kl = a[rec + 9]!, dl = a[rec + 10]!;
    kd.buf.set(a.subarray(rec + HDR, rec + HDR + kl), 0); kd.keyLen = kl;
    kd.buf.set(a.subarray(rec + HDR + kl, rec + HDR + kl + dl), KeyData.DATA); kd.dataLen = dl;
    kd.pathId = this.pathId(rec);
    return kd.pathId;
  }

  /** Approximate bytes held (arena + slot arrays). */
  bytes(): number { return this.arena.byteLength + this.slots.byteLength; }
}
