// Per-VRF route tables over the core's FIBs and next-hop table (native/core/l3.h).
// Routes are desired state: setRoutes(vrf, routes) diffs against what is
// installed and changes only the difference.  Next hops are interned (one id
// per distinct next hop, reference-counted); an id is rewritten only when no
// route refers to it, after a grace period (core.synchronize()), as l3.h
// requires.  ECMP groups are next hops whose members are next-hop ids.
import type { RawCore, RawNextHop } from './addon.js';
import { formatPrefix, parsePrefix, type Prefix } from '../util/ip.js';

export type NextHopSpec =
  | { kind: 'connected'; port: number }
  | { kind: 'gateway'; port: number; gw: Buffer }
  | { kind: 'mac'; port: number; mac: Buffer }
  | { kind: 'local' }
  | { kind: 'drop' }
  | { kind: 'reject' };

export interface RouteSpec {
  prefix: string; // CIDR
  nexthops: NextHopSpec[]; // more than one: ECMP
  origin: string; // 'connected', 'local', 'vm', 'static', 'bgp'...
}

const KIND = { connected: 1, gateway: 2, mac: 3, local: 4, drop: 5, reject: 6, ecmp: 7 } as const;
export const MAX_NH = 65536;
export const ECMP_MAX = 8;

interface Installed {
  prefix: Prefix;
  key: string; // next-hop key
  nh: number;
  spec: RouteSpec;
}

export class RouteError extends Error {}

export class RouteTables {
  private nhByKey = new Map<string, { id: number; refs: number }>();
  private freeIds: number[] = [];
  private retired: number[] = [];
  private nextId = 1;
  private tables = new Map<number, Map<string, Installed>>();

  constructor(private core: RawCore) {}

  private nhKey(nhs: NextHopSpec[]): string {
    return JSON.stringify(
      nhs.map((n) => ({ ...n, ...('gw' in n ? { gw: n.gw.toString('hex') } : {}), ...('mac' in n ? { mac: n.mac.toString('hex') } : {}) })),
    );
  }

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

  private acquire(nhs: NextHopSpec[]): number {
    const key = this.nhKey(nhs);
    const have = this.nhByKey.get(key);
    if (have) {
      have.refs++;
      return have.id;
    }
    let raw: RawNextHop;
    if (nhs.length > 1) {
      const members = nhs.slice(0, ECMP_MAX).map((n) => this.acquire([n]));
      raw = { kind: KIND.ecmp, members };
    } else {
      const n = nhs[0]!;
      raw = { kind: KIND[n.kind] };
      if ('port' in n) raw.port = n.port;
      if (n.kind === 'gateway') {
        raw.gw = n.gw;
        raw.af = n.gw.length === 4 ? 4 : 6;
      }
      if (n.kind === 'mac') raw.mac = n.mac;
    }
    const id = this.allocId();
    this.core.setNextHop(id, raw);
    this.nhByKey.set(key, { id, refs: 1 });
    return id;
  }

  private release(key: string, nhs: NextHopSpec[]): void {
    const have = this.nhByKey.get(key);
    if (!have || --have.refs > 0) return;
    this.nhByKey.delete(key);
    this.retired.push(have.id);
    if (nhs.length > 1) for (const n of nhs.slice(0, ECMP_MAX)) this.release(this.nhKey([n]), [n]);
  }

  /** Makes the routes of VRF `vrf` exactly `routes`. */
  setRoutes(vrf: number, routes: RouteSpec[]): { added: number; removed: number; changed: number } {
    const table = this.tables.get(vrf) ?? new Map<string, Installed>();
    this.tables.set(vrf, table);
    const want = new Map<string, RouteSpec>();
    for (const r of routes) {
      const p = parsePrefix(r.prefix);
      if (!p) throw new RouteError(`invalid prefix ${r.prefix}`);
      want.set(formatPrefix(p), r);
    }
    let added = 0, removed = 0, changed = 0;
    for (const [k, inst] of table) {
      if (want.has(k)) continue;
      const rc = this.core.route(vrf, inst.prefix.bytes, inst.prefix.plen, 0, true);
      if (rc < 0) throw new RouteError(`removing ${k}: error ${rc}`);
      this.release(inst.key, inst.spec.nexthops);
      table.delete(k);
      removed++;
    }
    for (const [k, r] of want) {
      const key = this.nhKey(r.nexthops);
      const inst = table.get(k);
      if (inst && inst.key === key) {
        inst.spec = r;
        continue;
      }
      const p = parsePrefix(k)!;
      const nh = this.acquire(r.nexthops);
      const rc = this.core.route(vrf, p.bytes, p.plen, nh, false);
      if (rc < 0) {
        this.release(key, r.nexthops);
        throw new RouteError(`installing ${k}: error ${rc}`);
      }
      if (inst) {
        this.release(inst.key, inst.spec.nexthops);
        changed++;
      } else {
        added++;
      }
      table.set(k, { prefix: p, key, nh, spec: r });
    }
    if (removed) this.core.synchronize();
    return { added, removed, changed };
  }

  dropVrf(vrf: number): void {
    this.setRoutes(vrf, []);
    this.tables.delete(vrf);
  }

  list(vrf: number): RouteSpec[] {
    return [...(this.tables.get(vrf)?.values() ?? [])].map((i) => i.spec);
  }
}
