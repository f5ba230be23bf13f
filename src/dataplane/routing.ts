// Per-VRF route tables over the core's FIBs and next-hop table (native/core/l3.h).
// Routes are desired state: setRoutes(vrf, routes) diffs against what is
// installed and changes only the difference, in one batched call into the
// core.  Next hops are interned (one id per distinct next-hop set and origin,
// reference-counted); an id is rewritten only when no route refers to it, after
// a grace period (core.synchronize()), as l3.h requires.  ECMP groups are next
// hops whose members are next-hop ids.  The installed routes are not copied
// here: the core's FIB rule stores are the table (routeList, routeCount), and
// each routeBatch record comes back with the next hop its prefix had, which is
// how references are counted and changes told apart (a million routes cost
// nothing on the JS side).  updateKeys is the packed path of imports: prefix
// keys (util/prefix-table.ts) and next-hop specs, no RouteSpec or prefix text
// per route.
import type { RawCore, RawNextHop } from './addon.js';
import { CEnum, limits } from './constants.js';
import { formatIp, parsePrefix } from '../util/ip.js';
import { keyPrefix as prefixOfKey, prefixKey, prefixKey4, type PrefixKey as Key } from '../util/prefix-table.js';

export type NextHopSpec =
  | { kind: 'connected'; port: number }
  | { kind: 'gateway'; port: number; gw: Buffer }
  | { kind: 'mac'; port: number; mac: Buffer }
  | { kind: 'local' }
  | { kind: 'drop' }
  | { kind: 'reject' }
  /** into MPLS tunnel `tunnel` (mpls.ts) with the remote PE's `label` */
  | { kind: 'mpls'; tunnel: number; label: number }
  /** into VXLAN tunnel `tunnel` (an L3 VNI, tunnels.ts) as an Ethernet frame `smac` -> `mac` (EVPN type-5) */
  | { kind: 'vxlan'; tunnel: number; mac: Buffer; smac: Buffer };

export interface RouteSpec {
  prefix: string; // CIDR
  nexthops: NextHopSpec[]; // more than one: ECMP
  origin: string; // 'connected', 'local', 'vm', 'static', 'bgp'...
}

/** Next-hop kinds (enum hv_nh_kind, l3.h); 'none' is an unset id. */
export const NH_KIND = new CEnum<NextHopSpec['kind'] | 'ecmp' | 'none'>('nh_kind', {
  none: 'NONE',
  connected: 'CONNECTED',
  gateway: 'GATEWAY',
  mac: 'MAC',
  local: 'LOCAL',
  drop: 'DROP',
  reject: 'REJECT',
  ecmp: 'ECMP',
  mpls: 'MPLS',
  vxlan: 'VXLAN',
});
const KIND = NH_KIND.value;
/** Next-hop ids are below HV_MAX_NH; an ECMP group has at most HV_ECMP_MAX members (l3.h). */
export const MAX_NH = limits.HV_MAX_NH;
export const ECMP_MAX = limits.HV_ECMP_MAX;
/** Deferred FIB reclaim (updateRoutes): at most this long after the change. */
const RECLAIM_MS = 200;
// routeBatch record size: the addon's own wire format (vrfs.cc RouteBatch), not a C struct;
// the core writes each applied record's previous next hop at offset 24 (NONE: none).
const REC = 28;
const NONE = 0xffffffff;
// routeList record size (vrfs.cc RouteList)
const LIST_REC = 24;

interface NhEntry {
  id: number;
  refs: number;
  key: string;
  nexthops: NextHopSpec[];
  origin: string;
}

export class RouteError extends Error {}

export interface RouteCounts {
  added: number;
  removed: number;
  changed: number;
}

/** A route to install, its prefix parsed. */
interface Wanted {
  r: RouteSpec;
  bytes: Buffer;
  plen: number;
}

function nhKey(nhs: NextHopSpec[], origin: string): string {
  let k = origin;
  for (const n of nhs) {
    k += `|${n.kind}`;
    if ('port' in n) k += `:${n.port}`;
    if (n.kind === 'gateway') k += `:${n.gw.toString('hex')}`;
    if (n.kind === 'mac') k += `:${n.mac.toString('hex')}`;
    if (n.kind === 'mpls') k += `:${n.tunnel}:${n.label}`;
    if (n.kind === 'vxlan') k += `:${n.tunnel}:${n.mac.toString('hex')}:${n.smac.toString('hex')}`;
  }
  return k;
}

function keyOf(bytes: Buffer, plen: number): Key {
  return prefixKey({ bytes, plen });
}

/** Writes one routeBatch record at batch[o]: prefix `k`, next hop `nh` (-1: delete). */
function putOp(batch: Buffer, o: number, k: Key, nh: number): void {
  if (typeof k === 'number') {
    const a = k >>> 0; // ToUint32: k mod 2^32
    batch[o] = 4;
    batch[o + 1] = (k - a) / 0x100000000;
    batch.writeUInt32BE(a, o + 8);
  } else {
    batch[o] = 6;
    batch[o + 1] = k.charCodeAt(k.length - 1);
    batch.write(k.slice(0, -1), o + 8, 16, 'latin1');
  }
  batch[o + 2] = nh === -1 ? 1 : 0;
  batch.writeUInt32LE(nh === -1 ? 0 : nh, o + 4);
}

export class RouteTables {
  private nhByKey = new Map<string, NhEntry>();
  private nhById = new Map<number, NhEntry>();
  private freeIds: number[] = [];
  private retired: number[] = [];
  private nextId = 1;
  private reclaimTimer: NodeJS.Timeout | null = null;
  /** keyOf: each next-hop array's nhKey, with the origin it was built for */
  private readonly specKeys = new WeakMap<NextHopSpec[], { origin: string; key: string }>();

  constructor(private core: RawCore) {}

  private allocId(): number {
    if (this.freeIds.length === 0 && this.retired.length > 0) {
      this.core.synchronize(); // nobody reads the retired ids any more
      this.freeIds.push(...this.retired);
      this.retired = [];
    }
    const id = this.freeIds.pop() ?? this.nextId++;
    if (id >= MAX_NH) throw new RouteError('next-hop table full');
    return id;
  }

  private acquire(nhs: NextHopSpec[], origin: string, key = nhKey(nhs, origin)): number {
    const have = this.nhByKey.get(key);
    if (have) {
      have.refs++;
      return have.id;
    }
    let raw: RawNextHop;
    if (nhs.length > 1) {
      raw = { kind: KIND.ecmp, members: nhs.slice(0, ECMP_MAX).map((n) => this.acquire([n], '')) };
    } else {
      const n = nhs[0]!;
      raw = { kind: KIND[n.kind] };
      if ('port' in n) raw.port = n.port;
      if (n.kind === 'gateway') {
        raw.gw = n.gw;
        raw.af = n.gw.length === 4 ? 4 : 6;
      }
      if (n.kind === 'mac') raw.mac = n.mac;
      if (n.kind === 'mpls') {
        raw.tunnel = n.tunnel;
        raw.label = n.label;
      }
      if (n.kind === 'vxlan') {
        raw.tunnel = n.tunnel;
        raw.mac = n.mac;
        raw.smac = n.smac;
      }
    }
    const id = this.allocId();
    this.core.setNextHop(id, raw);
    const e = { id, refs: 1, key, nexthops: nhs, origin };
    this.nhByKey.set(key, e);
    this.nhById.set(id, e);
    return id;
  }

  private release(id: number): void {
    const e = this.nhById.get(id);
    if (!e || --e.refs > 0) return;
    this.nhByKey.delete(e.key);
    this.nhById.delete(id);
    this.retired.push(id);
    if (e.nexthops.length > 1)
      for (const n of e.nexthops.slice(0, ECMP_MAX)) this.release(this.nhByKey.get(nhKey([n], ''))!.id);
  }

  /** Makes the routes of VRF `vrf` exactly `routes`. */
  setRoutes(vrf: number, routes: RouteSpec[]): RouteCounts {
    const want = new Map<Key, Wanted>();
    for (const r of routes) {
      const p = parsePrefix(r.prefix);
      if (!p) throw new RouteError(`invalid prefix ${r.prefix}`);
      want.set(keyOf(p.bytes, p.plen), { r, bytes: p.bytes, plen: p.plen });
    }
    const gone: Key[] = [];
    this.installed(vrf, (k) => {
      if (!want.has(k)) gone.push(k);
    });
    return this.apply(vrf, gone, want, false);
  }

  /** Changes only the given prefixes of VRF `vrf`: `put` added or replaced,
   *  `withdraw` removed (absent ones ignored).  The cost is that of the
   *  change, not of the table: the path for BGP churn. */
  updateRoutes(vrf: number, put: RouteSpec[], withdraw: string[]): RouteCounts {
    const want = new Map<Key, Wanted>();
    const gone: Key[] = [];
    for (const prefix of withdraw) {
      const p = parsePrefix(prefix);
      if (!p) throw new RouteError(`invalid prefix ${prefix}`);
      gone.push(keyOf(p.bytes, p.plen));
    }
    for (const r of put) {
      const p = parsePrefix(r.prefix);
      if (!p) throw new RouteError(`invalid prefix ${r.prefix}`);
      want.set(keyOf(p.bytes, p.plen), { r, bytes: p.bytes, plen: p.plen });
    }
    return this.apply(vrf, [...new Set(gone)].filter((k) => !want.has(k)), want, true);
  }

  /** One grace period within RECLAIM_MS for every deferred reclaim meanwhile. */
  private reclaimSoon(): void {
    if (this.reclaimTimer) return;
    this.reclaimTimer = setTimeout(() => {
      this.reclaimTimer = null;
      try {
        // a route changed in place or a group still holding other routes retires
        // nothing: skip the wait for the workers (milliseconds on a busy host,
        // with UPDATEs queued behind it)
        if (this.core.fibRetired() > 0) this.core.synchronize();
      } catch {
        /* the core was closed meanwhile: nothing left to reclaim */
      }
    }, RECLAIM_MS);
    this.reclaimTimer.unref();
  }

  /** Every route installed in `vrf` (the core's rule stores): fn(key, next-hop id). */
  private installed(vrf: number, fn: (k: Key, nh: number) => void): void {
    const b = this.core.routeList(vrf);
    for (let o = 0; o < b.length; o += LIST_REC) {
      const plen = b[o + 1]!, nh = b.readUInt32LE(o + 4);
      if (b[o] === 4) fn(prefixKey4(b.readUInt32BE(o + 8), plen), nh);
      else fn(prefixKey({ bytes: b.subarray(o + 8, o + 24), plen }), nh);
    }
  }

  /** The packed path (imports): prefix `keys[i]` (distinct) gets next hops
   *  `specs[i]` (null: removed if present), all of origin `origin`.  No
   *  RouteSpec, no prefix text: keys go into the batch as they are, and the
   *  core says what each prefix had. */
  updateKeys(vrf: number, keys: Key[], specs: (NextHopSpec[] | null)[], origin: string): RouteCounts {
    // from the pool (no ArrayBuffer per call for the small batches of churn): every
    // byte the core reads is written by putOp, and the core writes the rest it uses
    const batch = Buffer.allocUnsafe(REC * keys.length);
    const nhs = new Array<number>(keys.length);
    // per next-hop array of the batch: its entry (acquired once here, then counted per route)
    const entries = new Map<NextHopSpec[], NhEntry>();
    for (let i = 0; i < keys.length; i++) {
      const spec = specs[i]!;
      let nh = -1;
      if (spec) {
        let e = entries.get(spec);
        if (e === undefined) {
          const key = this.keyOf(spec, origin);
          e = this.nhByKey.get(key);
          if (!e) {
            e = this.nhById.get(this.acquire(spec, origin, key))!;
            e.refs--; // counted below, per route
          }
          entries.set(spec, e);
        }
        e.refs++;
        nh = e.id;
      }
      putOp(batch, i * REC, keys[i]!, nh);
      nhs[i] = nh;
    }
    return this.commit(vrf, batch, keys, nhs, true);
  }

  /** nhKey of a next-hop array, kept with the array: the packed path gets the same
   *  arrays batch after batch (Vrfs.specsOf), so the key is built once, not per UPDATE. */
  private keyOf(spec: NextHopSpec[], origin: string): string {
    const c = this.specKeys.get(spec);
    if (c !== undefined && c.origin === origin) return c.key;
    const key = nhKey(spec, origin);
    this.specKeys.set(spec, { origin, key });
    return key;
  }

  /** Removes `gone` and installs `want` in one batched call into the core.
   *  What removed or replaced routes freed in the core's FIB is reclaimed after a grace period
   *  (core.synchronize(): every worker passes a quiescent state): at once, or (`deferReclaim`,
   *  the churn path) by a timer within RECLAIM_MS, so that an UPDATE never waits for the
   *  worker threads to be scheduled (on a busy host, milliseconds).  Next-hop ids are never
   *  reused before a grace period either way (allocId). */
  private apply(vrf: number, gone: Key[], want: Map<Key, Wanted>, deferReclaim: boolean): RouteCounts {
    const n = want.size + gone.length;
    const batch = Buffer.alloc(REC * n);
    const keys: Key[] = [];
    const nhs: number[] = [];
    const add = (k: Key, nh: number) => {
      putOp(batch, keys.length * REC, k, nh);
      keys.push(k);
      nhs.push(nh);
    };
    for (const k of gone) add(k, -1);
    const keyCache = new Map<NextHopSpec[], string>();
    for (const [k, { r }] of want) {
      // the cache is by next-hop array; two origins may share one array (vrfs.ts interns equal next hops)
      let key = keyCache.get(r.nexthops);
      if (key === undefined || !key.startsWith(`${r.origin}|`)) keyCache.set(r.nexthops, (key = nhKey(r.nexthops, r.origin)));
      add(k, this.acquire(r.nexthops, r.origin, key));
    }
    return this.commit(vrf, batch, keys, nhs, deferReclaim);
  }

  /** Writes the batch into the core in one call, then counts what it did from
   *  each record's previous next hop (the core's answer) and settles the
   *  next-hop references: the old one released, or the new one if unchanged
   *  or not applied. */
  private commit(vrf: number, batch: Buffer, keys: Key[], nhs: number[], deferReclaim: boolean): RouteCounts {
    const n = keys.length;
    const fail = n ? this.core.routeBatch(vrf, batch) : null;
    const applied = fail ? fail.index : n;
    let added = 0, removed = 0, changed = 0;
    for (let i = 0; i < n; i++) {
      const nh = nhs[i]!;
      if (i >= applied) {
        if (nh !== -1) this.release(nh); // not installed
        continue;
      }
      const old = batch.readUInt32LE(i * REC + 24);
      if (old === NONE) {
        if (nh !== -1) added++;
        continue;
      }
      this.release(old); // replaced, removed, or (old === nh) the reference taken for nothing
      if (nh === -1) removed++;
      else if (old !== nh) changed++;
    }
    if (removed || changed) {
      if (deferReclaim) this.reclaimSoon();
      else this.core.synchronize();
    }
    if (fail) {
      const { bytes, plen } = prefixOfKey(keys[fail.index]!);
      throw new RouteError(`${nhs[fail.index] === -1 ? 'removing' : 'installing'} ${formatIp(bytes)}/${plen}: error ${fail.error}`);
    }
    return { added, removed, changed };
  }

  dropVrf(vrf: number): void {
    this.setRoutes(vrf, []);
  }

  count(vrf: number): number {
    const c = this.countByFamily(vrf);
    return c.ipv4 + c.ipv6;
  }

  /** Routes per family (the core's rule counts). */
  countByFamily(vrf: number): { ipv4: number; ipv6: number } {
    try {
      return this.core.routeCount(vrf);
    } catch {
      return { ipv4: 0, ipv6: 0 }; // no such VRF
    }
  }

  list(vrf: number): RouteSpec[] {
    const out: RouteSpec[] = [];
    this.installed(vrf, (k, id) => {
      const { bytes, plen } = prefixOfKey(k);
      const e = this.nhById.get(id)!;
      out.push({ prefix: `${formatIp(bytes)}/${plen}`, nexthops: e.nexthops, origin: e.origin });
    });
    return out;
  }
}
