/**
 * Interned attribute sets. Routes that share path attributes and next hop
 * share one `AttrSet`, referenced by id from the route tables; a packed feed
 * of 1M routes holds a handful of sets. Each set keeps the fields the decision
 * process reads, precomputed once, and its RFC 7606 outcome.
 * Sets are reference counted and their ids recycled when the count drops to 0.
 */
import type { PathAttrs } from '../codec/attr/types.js';
import { asPathLength } from '../codec/attr/as-path.js';
import { ipv4ToBytes } from '../codec/addr.js';

export interface AttrSet {
  id: number;
  key: string;
  refs: number;
  attrs: PathAttrs;
  nextHop: string;
  linkLocal?: string;
  /** RFC 7606 action (0 clean, 2 treat-as-withdraw), or loop detected */
  withdraw: boolean;
  reasons: string[];
  // decision-process fields (RFC 4271 §9.1.2.2, RFC 4456 §9)
  localPref: number | undefined;
  asPathLen: number;
  origin: number;
  med: number;
  neighborAs: number;
  originatorId: number;
  clusterLen: number;
  /** route-target communities (8 octets each, as latin1 strings) for RT constraint */
  rts: string[];
}

export class AttrStore {
  private sets: Array<AttrSet | undefined> = [];
  private free: number[] = [];
  private byKey = new Map<string, number>();

  get(id: number): AttrSet { return this.sets[id]!; }
  lookup(key: string): number { return this.byKey.get(key) ?? -1; }
  get size(): number { return this.byKey.size; }

  add(key: string, attrs: PathAttrs, nextHop: string, linkLocal: string | undefined, withdraw: boolean, reasons: string[], rts: string[]): number {
    const id = this.free.pop() ?? this.sets.length;
    // Shared by every route of the set and handed out by the API: read-only.
    deepFreeze(attrs);
    const firstSeq = attrs.asPath?.find((s) => s.type === 'seq');
    const set: AttrSet = {
      id, key, refs: 0, attrs, nextHop, withdraw, reasons,
      localPref: attrs.localPref, asPathLen: asPathLength(attrs.asPath), origin: attrs.origin ?? 2, med: attrs.med ?? 0,
      neighborAs: firstSeq?.asns[0] ?? 0,
      originatorId: attrs.originatorId ? Buffer.from(ipv4ToBytes(attrs.originatorId)).readUInt32BE(0) : 0,
      clusterLen: attrs.clusterList?.length ?? 0, rts,
    };
    if (linkLocal) set.linkLocal = linkLocal;
    this.sets[id] = set;
    this.byKey.set(key, id);
    return id;
  }

  ref(id: number): void { this.sets[id]!.refs++; }
  /** Free a set that no route references (e.g. one whose UPDATE was treated as withdraw). */
  dropIfUnused(id: number): void {
    const s = this.sets[id];
    if (s && s.refs <= 0) { this.byKey.delete(s.key); this.sets[id] = undefined; this.free.push(id); }
  }
  unref(id: number): void {
    const s = this.sets[id];
    if (!s) return;
    if (--s.refs <= 0) { this.byKey.delete(s.key); this.sets[id] = undefined; this.free.push(id); }
  }
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}
