// Route sets per origin.  Every VRF's FIB is the merge of several sets, each
// owned by one source of routes:
//
//   origin      owner                               replaced by
//   local       the addresses of routed ports,      a config reload / API config edit
//               the VM gateway (169.254.0.1, fe80::1)
//   connected   the subnets of routed ports         a config reload / API config edit
//   vm          the host routes of vm ports         a config reload / API config edit
//   static      `vrfs.<name>.routes` of the config  a config reload / API config edit
//   api         routes pushed by an API client      Controller.setRoutes('api', ...)
//   bgp         routes imported from the speaker    Controller.setRoutes('bgp', ...)
//
// A reload replaces the config-derived sets (local, connected, vm, static)
// only; the `api` and `bgp` sets are replaced only by their owner, through
// the controller's serialized queue, so neither wipes the other.
//
// Precedence (like an administrative distance): when two origins give the
// same prefix, the one earlier in ORIGINS wins — local > connected > vm >
// static > api > bgp.  A configured static route to a BGP-learned prefix
// therefore wins, and withdrawing a winning route uncovers the next one.
// Within one origin the last route given for a prefix wins (a set is a map).
//
// Imported sources.  A VPN import (src/vpn/l3vpn-import.ts) holds a million
// routes in its own compact table; copying them into a Map of Route objects
// here would cost ~100 B and an object per route.  So the import is attached
// as a *source* of the `bgp` origin of its VRF and read through when needed:
// within `bgp`, the set's own routes (given by setRoutes/updateRoutes: the
// pure-L3 upstream, an API client) come first, then the sources'.  `shadowed`
// tells which prefixes any set holds, so that an import batch can go straight
// to the FIB for the prefixes nobody else gives (the usual case) and take the
// precedence walk only for the others.
//
// This module is pure bookkeeping (no dataplane): `merged(vrf)` is the table
// the controller pushes to the dataplane, which applies only the difference.
import { formatPrefix, parsePrefix } from '../util/ip.js';
import { prefixKey, type PrefixKey } from '../util/prefix-table.js';
import type { Route } from '../dataplane/index.js';

/** Routes held elsewhere, part of a VRF's `bgp` origin (an import). */
export interface RouteSource {
  get(prefix: string): Route | null;
  routes(): Route[];
}

/** Every origin, highest precedence first. */
export const ORIGINS = ['local', 'connected', 'vm', 'static', 'api', 'bgp'] as const;
export type Origin = (typeof ORIGINS)[number];

/** The origins a config (file, reload, API config edit) derives: the reconciler owns them. */
export const CONFIG_ORIGINS = ['local', 'connected', 'vm', 'static'] as const satisfies readonly Origin[];
export type ConfigOrigin = (typeof CONFIG_ORIGINS)[number];
/** The origins owned by a client of the controller (an API client, the BGP speaker). */
export type OwnedOrigin = Exclude<Origin, ConfigOrigin>;

export function isConfigOrigin(o: Origin): o is ConfigOrigin {
  return (CONFIG_ORIGINS as readonly Origin[]).includes(o);
}

export function isOrigin(o: string): o is Origin {
  return (ORIGINS as readonly string[]).includes(o);
}

export class RouteSetError extends Error {}

/** The canonical CIDR of `prefix`, or a RouteSetError naming it. */
export function canonical(prefix: string): string {
  const p = parsePrefix(prefix);
  if (!p) throw new RouteSetError(`'${prefix}' is not a prefix (CIDR)`);
  return formatPrefix(p);
}

type Sets = Map<Origin, Map<string, Route>>;

export class RouteSets {
  private vrfs = new Map<string, Sets>();
  private sources = new Map<string, RouteSource[]>();
  /** per VRF: the keys of every prefix its sets hold (not its sources'), built when asked */
  private shadow = new Map<string, Set<PrefixKey>>();

  /** Makes `src` a source of the `bgp` origin of `vrf`. */
  attach(vrf: string, src: RouteSource): void {
    const l = this.sources.get(vrf) ?? [];
    if (!l.includes(src)) this.sources.set(vrf, [...l, src]);
  }

  detach(vrf: string, src: RouteSource): void {
    const l = (this.sources.get(vrf) ?? []).filter((x) => x !== src);
    if (l.length) this.sources.set(vrf, l);
    else this.sources.delete(vrf);
  }

  /** The keys (prefix-table.ts) of every prefix some set of `vrf` holds, any
   *  origin, the sources' routes not included: a source's prefix outside it is
   *  the source's alone (but for another source of the VRF). */
  shadowed(vrf: string): ReadonlySet<PrefixKey> {
    let s = this.shadow.get(vrf);
    if (!s) {
      s = new Set();
      for (const set of this.vrfs.get(vrf)?.values() ?? [])
        for (const p of set.keys()) {
          const x = parsePrefix(p);
          if (x) s.add(prefixKey(x));
        }
      this.shadow.set(vrf, s);
    }
    return s;
  }

  /** Sources of `vrf` other than `src`. */
  otherSources(vrf: string, src: RouteSource): boolean {
    return (this.sources.get(vrf) ?? []).some((x) => x !== src);
  }

  private sets(vrf: string): Sets {
    this.shadow.delete(vrf); // asked for to be changed
    let s = this.vrfs.get(vrf);
    if (!s) this.vrfs.set(vrf, (s = new Map()));
    return s;
  }

  /** Makes the `origin` set of `vrf` exactly `routes` (their origin field is
   *  set to `origin`).  A Map (prefix → route of that origin) is taken as is. */
  replace(vrf: string, origin: Origin, routes: Iterable<Route> | Map<string, Route>): void {
    let set: Map<string, Route>;
    if (routes instanceof Map) set = routes;
    else {
      set = new Map();
      for (const r of routes) set.set(r.prefix, r.origin === origin ? r : { ...r, origin });
    }
    const s = this.sets(vrf);
    if (set.size) s.set(origin, set);
    else s.delete(origin);
  }

  /** Adds or replaces `put` and removes `withdraw` (prefixes) in the `origin` set of `vrf`. */
  update(vrf: string, origin: Origin, put: Iterable<Route>, withdraw: Iterable<string>): void {
    const s = this.sets(vrf);
    const set = new Map(s.get(origin));
    for (const p of withdraw) set.delete(p);
    for (const r of put) set.set(r.prefix, r.origin === origin ? r : { ...r, origin });
    if (set.size) s.set(origin, set);
    else s.delete(origin);
  }

  /** `update` in place, for churn: the cost is that of the change, not of the
   *  set (`update` copies the set so that a `snapshot` stays intact).  Returns
   *  the undo: it puts back what the touched prefixes held. */
  edit(vrf: string, origin: Origin, put: Iterable<Route>, withdraw: Iterable<string>): () => void {
    const s = this.sets(vrf);
    let set = s.get(origin);
    if (!set) s.set(origin, (set = new Map()));
    const held = new Map<string, Route | undefined>();
    const keep = (p: string) => { if (!held.has(p)) held.set(p, set!.get(p)); };
    for (const p of withdraw) {
      keep(p);
      set.delete(p);
    }
    for (const r of put) {
      keep(r.prefix);
      set.set(r.prefix, r.origin === origin ? r : { ...r, origin });
    }
    if (!set.size) s.delete(origin);
    return () => {
      this.shadow.delete(vrf);
      const cur = s.get(origin) ?? new Map<string, Route>();
      for (const [p, r] of held) {
        if (r) cur.set(p, r);
        else cur.delete(p);
      }
      if (cur.size) s.set(origin, cur);
      else s.delete(origin);
    };
  }

  /** The route the FIB of `vrf` has for `prefix`: the usable one of the origin
   *  with the highest precedence (as `merged`), or null. */
  winner(vrf: string, prefix: string, usable: (r: Route) => boolean = () => true): Route | null {
    const s = this.vrfs.get(vrf);
    for (const o of ORIGINS) {
      const r = s?.get(o)?.get(prefix);
      if (r && usable(r)) return r;
    }
    for (const src of this.sources.get(vrf) ?? []) {
      const r = src.get(prefix);
      if (r && usable(r)) return r;
    }
    return null;
  }

  /** The routes of one origin in `vrf` (bgp: its sources' too). */
  routes(vrf: string, origin: Origin): Route[] {
    const own = [...(this.vrfs.get(vrf)?.get(origin)?.values() ?? [])];
    if (origin !== 'bgp' || !this.sources.has(vrf)) return own;
    const seen = new Set(own.map((r) => r.prefix));
    for (const src of this.sources.get(vrf)!)
      for (const r of src.routes())
        if (!seen.has(r.prefix)) {
          seen.add(r.prefix);
          own.push(r);
        }
    return own;
  }

  /** A snapshot of the sets of `vrf` (to restore them if the dataplane refuses a change). */
  snapshot(vrf: string): Sets {
    return new Map(this.vrfs.get(vrf));
  }

  restore(vrf: string, sets: Sets): void {
    this.shadow.delete(vrf);
    this.vrfs.set(vrf, new Map(sets));
  }

  /** Forgets every set of a VRF that no longer exists (its sources are detached by their owners). */
  dropVrf(vrf: string): void {
    this.shadow.delete(vrf);
    this.vrfs.delete(vrf);
  }

  vrfNames(): string[] {
    return [...this.vrfs.keys()];
  }

  /** The FIB of `vrf`: per prefix, the usable route of the origin with the
   *  highest precedence.  `usable` filters routes whose next hops cannot be
   *  installed now (a BGP route via a port a reload removed, a connected or
   *  static route via a port whose interface is absent): they stay in their
   *  set and come back when they can, and meanwhile a route of a lower
   *  origin to the same prefix is used. */
  merged(vrf: string, usable: (r: Route) => boolean = () => true): Route[] {
    const s = this.vrfs.get(vrf) ?? new Map<Origin, Map<string, Route>>();
    const present = ORIGINS.filter((o) => s.has(o));
    const srcs = this.sources.get(vrf) ?? [];
    if (present.length === 1 && !srcs.length) return [...s.get(present[0]!)!.values()].filter(usable);
    const out = new Map<string, Route>();
    for (const o of present) for (const [prefix, r] of s.get(o)!) if (!out.has(prefix) && usable(r)) out.set(prefix, r);
    for (const src of srcs) for (const r of src.routes()) if (!out.has(r.prefix) && usable(r)) out.set(r.prefix, r);
    return [...out.values()];
  }
}
