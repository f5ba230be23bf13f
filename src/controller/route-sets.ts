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
// This module is pure bookkeeping (no dataplane): `merged(vrf)` is the table
// the controller pushes to the dataplane, which applies only the difference.
import { formatPrefix, parsePrefix } from '../util/ip.js';
import type { Route } from '../dataplane/index.js';

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

  private sets(vrf: string): Sets {
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
    if (!s) return null;
    for (const o of ORIGINS) {
      const r = s.get(o)?.get(prefix);
      if (r && usable(r)) return r;
    }
    return null;
  }

  /** The routes of one origin in `vrf`. */
  routes(vrf: string, origin: Origin): Route[] {
    return [...(this.vrfs.get(vrf)?.get(origin)?.values() ?? [])];
  }

  /** A snapshot of the sets of `vrf` (to restore them if the dataplane refuses a change). */
  snapshot(vrf: string): Sets {
    return new Map(this.vrfs.get(vrf));
  }

  restore(vrf: string, sets: Sets): void {
    this.vrfs.set(vrf, new Map(sets));
  }

  /** Forgets every set of a VRF that no longer exists. */
  dropVrf(vrf: string): void {
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
    const s = this.vrfs.get(vrf);
    if (!s) return [];
    const present = ORIGINS.filter((o) => s.has(o));
    if (present.length === 1) return [...s.get(present[0]!)!.values()].filter(usable);
    const out = new Map<string, Route>();
    for (const o of present) for (const [prefix, r] of s.get(o)!) if (!out.has(prefix) && usable(r)) out.set(prefix, r);
    return [...out.values()];
  }
}
