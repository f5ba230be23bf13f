/**
 * Route-target policy helpers (RFC 4364 §4.3.5 import by RT, RFC 4684 RT
 * membership). The EVPN and IP-VPN managers subscribe with the RTs a VRF or
 * bridge domain imports; `importRouteTargets` also advertises them as RT
 * constraint NLRI so that RTC-capable route reflectors send only those.
 */
import type { PathAttrs } from './codec/attr/types.js';
import { extCommunityFromString, extCommunityToString, isRouteTarget } from './codec/extcomm/index.js';

/** Normalise `65000:100` / `rt:65000:100` to the canonical `rt:` text. */
export function normaliseRouteTarget(rt: string): string {
  const s = rt.startsWith('rt:') ? rt : `rt:${rt}`;
  const b = extCommunityFromString(s);
  if (!isRouteTarget(b, 0)) throw new TypeError(`${rt} is not a route target`);
  return extCommunityToString(b, 0);
}

/** True if the path carries at least one of the route targets (canonical `rt:` text). */
export function hasRouteTarget(attrs: PathAttrs, rts: ReadonlySet<string>): boolean {
  for (const c of attrs.extCommunities ?? []) if (rts.has(c)) return true;
  return false;
}
