// The remote MACs of one EVPN instance: for each MAC, the type-2
// advertisements that name it (its candidates) and the remote FDB entry the
// instance installed for it (VTEP and VNI), in one table keyed by the MAC.
//
// A hypervisor imports tens of thousands of remote MACs, and almost every one
// of them has a single advertisement without an IP.  Those live in flat typed
// arrays (an open-addressing hash on the 48-bit MAC, linear probing, ≤ 75 %
// load): the RD, the
// VTEP and the attribute set are small integers into reference-counted intern
// tables, so a MAC costs 32 bytes per slot (43–85 bytes as the table fills) and no
// JS object.  The common case, one advertisement and its installed entry, is
// also decided without building an object (`sole`, `installSole`: evpn.ts's
// settle fast path).  A MAC with several
// advertisements (a MAC that moves has two, a MAC/IP route adds one per IP)
// keeps them as objects in a side map; so does nothing else.  The EVPN bench
// (bench/evpn/routes.mjs) measures bytes per remote MAC.
import type { PathAttrs } from '../bgp/index.js';

/** One type-2 advertisement of a MAC, known by (rd, ip). */
export interface RemoteMac {
  rd: string;
  ip: string | null;
  vtep: string;
  vni: number;
  attrs: PathAttrs;
  /** the ESI of a multihomed MAC (RFC 7432 §14.1); absent: single-homed */
  esi?: string;
}

/** Where an installed remote entry points: a VTEP, or (multihoming, aliasing.ts)
 *  `es:<ESI>` for an aliasing group or `bond:<name>` for our own segment. */
export interface Installed {
  vtep: string;
  vni: number;
}

/** Values interned with reference counts: id 0 is "none". */
class Interner<T> {
  private readonly ids = new Map<T, number>();
  private readonly values: (T | undefined)[] = [undefined];
  private readonly refs: number[] = [0];
  private readonly free: number[] = [];

  ref(v: T): number {
    let id = this.ids.get(v);
    if (id === undefined) {
      id = this.free.pop() ?? this.values.length;
      this.values[id] = v;
      this.refs[id] = 0;
      this.ids.set(v, id);
    }
    this.refs[id]!++;
    return id;
  }

  /** One more reference to an id already held. */
  refId(id: number): void {
    if (id !== 0) this.refs[id]!++;
  }

  unref(id: number): void {
    if (id === 0 || --this.refs[id]! > 0) return;
    this.ids.delete(this.values[id]!);
    this.values[id] = undefined;
    this.free.push(id);
  }

  get(id: number): T {
    return this.values[id]!;
  }
}

const EMPTY = 0, LIVE = 1, DEAD = 2;
/** `ncand` of a slot whose candidates are in the side map */
const MANY = 255;

const HEX = '0123456789abcdef';
function hex2(b: number): string {
  return HEX[b >> 4]! + HEX[b & 15]!;
}
function nib(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  c |= 0x20;
  if (c >= 97 && c <= 102) return c - 87;
  throw new Error('bad MAC address');
}
/** "aa:bb:cc:dd:ee:ff" → [top 16 bits, low 32 bits]. */
function parseMac(mac: string): [number, number] {
  if (mac.length !== 17) throw new Error(`bad MAC address ${mac}`);
  const b = (i: number) => (nib(mac.charCodeAt(i * 3)) << 4) | nib(mac.charCodeAt(i * 3 + 1));
  return [(b(0) << 8) | b(1), ((b(2) << 24) | (b(3) << 16) | (b(4) << 8) | b(5)) >>> 0];
}
function formatMac(hi: number, lo: number): string {
  return `${hex2(hi >> 8)}:${hex2(hi & 255)}:${hex2(lo >>> 24)}:${hex2((lo >>> 16) & 255)}:${hex2((lo >>> 8) & 255)}:${hex2(lo & 255)}`;
}

export class RemoteMacTable {
  private cap = 16;
  private state = new Uint8Array(16);
  private hi = new Uint16Array(16);
  private lo = new Uint32Array(16);
  /** the single candidate (ncand 1): interned RD, VTEP, attribute set, and its VNI */
  private ncand = new Uint8Array(16);
  private rdId = new Uint32Array(16);
  private vtepId = new Uint32Array(16);
  private attrId = new Uint32Array(16);
  private vni = new Uint32Array(16);
  /** the installed entry: interned VTEP (0: none) and VNI */
  private instVtep = new Uint32Array(16);
  private instVni = new Uint32Array(16);
  private live = 0;
  private dead = 0;
  /** number of MACs with an installed entry */
  installedCount = 0;
  /** slot → candidates of a MAC that has several, or one with an IP */
  private readonly many = new Map<number, RemoteMac[]>();
  private readonly rds = new Interner<string>();
  private readonly vteps = new Interner<string>();
  private readonly attrSets = new Interner<PathAttrs>();

  // the last MAC parsed: an import looks one MAC up several times in a row
  private lastMac = '';
  private lastHi = 0;
  private lastLo = 0;

  /** Parses `mac` into lastHi/lastLo (throws on a malformed one). */
  private key(mac: string): void {
    if (mac === this.lastMac) return;
    const [hi, lo] = parseMac(mac);
    this.lastMac = mac; this.lastHi = hi; this.lastLo = lo;
  }

  private hash(hi: number, lo: number): number {
    let h = Math.imul(lo ^ (hi << 7), 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h ^ hi, 0x85ebca6b);
    return (h ^ (h >>> 13)) & (this.cap - 1);
  }

  /** The slot of `mac`, or -1. */
  private find(hi: number, lo: number): number {
    const m = this.cap - 1;
    for (let i = this.hash(hi, lo); ; i = (i + 1) & m) {
      const s = this.state[i]!;
      if (s === EMPTY) return -1;
      if (s === LIVE && this.lo[i] === lo && this.hi[i] === hi) return i;
    }
  }

  /** The slot of `mac`, taken if it has none. */
  private slot(hi: number, lo: number): number {
    const at = this.find(hi, lo);
    if (at >= 0) return at;
    // at 3/4 full (tombstones included) grow, or only rehash if tombstones made it so
    if ((this.live + this.dead + 1) * 4 > this.cap * 3) this.resize((this.live + 1) * 2 > this.cap ? this.cap * 2 : this.cap);
    const m = this.cap - 1;
    let i = this.hash(hi, lo);
    while (this.state[i] === LIVE) i = (i + 1) & m;
    if (this.state[i] === DEAD) this.dead--;
    this.state[i] = LIVE; this.hi[i] = hi; this.lo[i] = lo;
    this.ncand[i] = 0; this.instVtep[i] = 0;
    this.live++;
    return i;
  }

  private resize(cap: number): void {
    const o = { state: this.state, hi: this.hi, lo: this.lo, ncand: this.ncand, rdId: this.rdId, vtepId: this.vtepId, attrId: this.attrId, vni: this.vni, instVtep: this.instVtep, instVni: this.instVni };
    const oldCap = this.cap;
    this.cap = cap;
    this.state = new Uint8Array(cap); this.hi = new Uint16Array(cap); this.lo = new Uint32Array(cap); this.ncand = new Uint8Array(cap);
    this.rdId = new Uint32Array(cap); this.vtepId = new Uint32Array(cap); this.attrId = new Uint32Array(cap); this.vni = new Uint32Array(cap);
    this.instVtep = new Uint32Array(cap); this.instVni = new Uint32Array(cap);
    const moved = new Map<number, RemoteMac[]>();
    for (let j = 0; j < oldCap; j++) {
      if (o.state[j] !== LIVE) continue;
      let i = this.hash(o.hi[j]!, o.lo[j]!);
      while (this.state[i] === LIVE) i = (i + 1) & (cap - 1);
      this.state[i] = LIVE; this.hi[i] = o.hi[j]!; this.lo[i] = o.lo[j]!; this.ncand[i] = o.ncand[j]!;
      this.rdId[i] = o.rdId[j]!; this.vtepId[i] = o.vtepId[j]!; this.attrId[i] = o.attrId[j]!; this.vni[i] = o.vni[j]!;
      this.instVtep[i] = o.instVtep[j]!; this.instVni[i] = o.instVni[j]!;
      const many = this.many.get(j);
      if (many) moved.set(i, many);
    }
    this.many.clear();
    for (const [i, c] of moved) this.many.set(i, c);
    this.dead = 0;
  }

  /** Frees the slot once it holds neither candidates nor an installed entry. */
  private release(i: number): void {
    if (this.ncand[i] !== 0 || this.instVtep[i] !== 0) return;
    this.state[i] = DEAD;
    this.live--; this.dead++;
  }

  private single(i: number): RemoteMac {
    return { rd: this.rds.get(this.rdId[i]!), ip: null, vtep: this.vteps.get(this.vtepId[i]!), vni: this.vni[i]!, attrs: this.attrSets.get(this.attrId[i]!) };
  }

  private setSingle(i: number, m: RemoteMac): void {
    this.setSingleOf(i, m.rd, m.vtep, m.vni, m.attrs);
  }

  private setSingleOf(i: number, rd: string, vtep: string, vni: number, attrs: PathAttrs): void {
    this.rdId[i] = this.rds.ref(rd); this.vtepId[i] = this.vteps.ref(vtep); this.attrId[i] = this.attrSets.ref(attrs);
    this.vni[i] = vni; this.ncand[i] = 1;
  }

  private clearSingle(i: number): void {
    this.rds.unref(this.rdId[i]!); this.vteps.unref(this.vtepId[i]!); this.attrSets.unref(this.attrId[i]!);
    this.ncand[i] = 0;
  }

  /** Files the advertisement `m` under `mac`. */
  addCandidate(mac: string, m: RemoteMac): void {
    this.add(mac, m.rd, m.ip, m.vtep, m.vni, m.attrs, m);
  }

  /** addCandidate by fields: a MAC's first advertisement without an IP (the
   *  bulk of an import) builds no object. `m`: the same as an object, if the caller has one. */
  add(mac: string, rd: string, ip: string | null, vtep: string, vni: number, attrs: PathAttrs, m?: RemoteMac): void {
    this.key(mac);
    const hi = this.lastHi, lo = this.lastLo;
    const i = this.slot(hi, lo);
    const n = this.ncand[i]!;
    if (n === 0 && ip === null && m?.esi === undefined) return this.setSingleOf(i, rd, vtep, vni, attrs);
    m ??= { rd, ip, vtep, vni, attrs };
    if (n === MANY) { this.many.get(i)!.push(m); return; }
    const list = n === 1 ? [this.single(i), m] : [m];
    if (n === 1) this.clearSingle(i);
    this.many.set(i, list);
    this.ncand[i] = MANY;
  }

  /** Removes the advertisement (rd, ip) of `mac`; whether there was one. */
  dropCandidate(mac: string, rd: string, ip: string | null): boolean {
    this.key(mac);
    const hi = this.lastHi, lo = this.lastLo;
    const i = this.find(hi, lo);
    if (i < 0) return false;
    const n = this.ncand[i]!;
    if (n === 1) {
      if (ip !== null || this.rds.get(this.rdId[i]!) !== rd) return false;
      this.clearSingle(i);
      this.release(i);
      return true;
    }
    if (n !== MANY) return false;
    const list = this.many.get(i)!;
    const at = list.findIndex((m) => m.rd === rd && m.ip === ip);
    if (at < 0) return false;
    list.splice(at, 1);
    if (list.length === 1 && list[0]!.ip === null && list[0]!.esi === undefined) {
      this.many.delete(i);
      this.setSingle(i, list[0]!);
    } else if (list.length === 0) {
      this.many.delete(i);
      this.ncand[i] = 0;
      this.release(i);
    }
    return true;
  }

  /** The advertisements of `mac` (a fresh array). */
  candidates(mac: string): RemoteMac[] {
    this.key(mac);
    const hi = this.lastHi, lo = this.lastLo;
    const i = this.find(hi, lo);
    if (i < 0) return [];
    const n = this.ncand[i]!;
    return n === 1 ? [this.single(i)] : n === MANY ? this.many.get(i)!.slice() : [];
  }

  /** The slot of `mac` when it has exactly one advertisement, without an IP
   *  (read with soleVtep/soleVni, installSole); -1 otherwise.  Valid until the
   *  table next changes. */
  sole(mac: string): number {
    this.key(mac);
    const i = this.find(this.lastHi, this.lastLo);
    return i >= 0 && this.ncand[i] === 1 ? i : -1;
  }

  soleVtep(i: number): string {
    return this.vteps.get(this.vtepId[i]!);
  }

  soleVni(i: number): number {
    return this.vni[i]!;
  }

  /** Whether slot i's installed entry is where its one advertisement points. */
  soleIsInstalled(i: number): boolean {
    return this.instVtep[i] === this.vtepId[i] && this.instVni[i] === this.vni[i];
  }

  /** The VTEP of slot i's installed entry, or null (its VNI: installedVniAt). */
  installedVtepAt(i: number): string | null {
    return this.instVtep[i] === 0 ? null : this.vteps.get(this.instVtep[i]!);
  }

  installedVniAt(i: number): number {
    return this.instVni[i]!;
  }

  /** setInstalled(mac of slot i, its one advertisement's VTEP and VNI). */
  installSole(i: number): void {
    const prev = this.instVtep[i]!;
    this.vteps.refId(this.vtepId[i]!); // first: prev may be the same id
    if (prev === 0) this.installedCount++;
    else this.vteps.unref(prev);
    this.instVtep[i] = this.vtepId[i]!;
    this.instVni[i] = this.vni[i]!;
  }

  /** The remote entry installed for `mac`, if any. */
  installed(mac: string): Installed | undefined {
    this.key(mac);
    const hi = this.lastHi, lo = this.lastLo;
    const i = this.find(hi, lo);
    if (i < 0 || this.instVtep[i] === 0) return undefined;
    return { vtep: this.vteps.get(this.instVtep[i]!), vni: this.instVni[i]! };
  }

  setInstalled(mac: string, to: Installed): void {
    this.key(mac);
    const hi = this.lastHi, lo = this.lastLo;
    const i = this.slot(hi, lo);
    if (this.instVtep[i] === 0) this.installedCount++;
    else this.vteps.unref(this.instVtep[i]!);
    this.instVtep[i] = this.vteps.ref(to.vtep);
    this.instVni[i] = to.vni;
  }

  deleteInstalled(mac: string): void {
    this.key(mac);
    const hi = this.lastHi, lo = this.lastLo;
    const i = this.find(hi, lo);
    if (i < 0 || this.instVtep[i] === 0) return;
    this.vteps.unref(this.instVtep[i]!);
    this.instVtep[i] = 0;
    this.installedCount--;
    this.release(i);
  }

  /** Every installed entry, with its MAC. */
  *installedEntries(): Generator<[string, Installed]> {
    for (let i = 0; i < this.cap; i++) {
      if (this.state[i] !== LIVE || this.instVtep[i] === 0) continue;
      yield [formatMac(this.hi[i]!, this.lo[i]!), { vtep: this.vteps.get(this.instVtep[i]!), vni: this.instVni[i]! }];
    }
  }

  /** MACs known (with candidates or an installed entry). */
  get size(): number {
    return this.live;
  }
}
