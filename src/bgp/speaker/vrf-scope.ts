/**
 * VRF-bound neighbors (the "pure L3" hypervisor, docs/pure-l3.md): a neighbor
 * configured with `vrf` is an upstream eBGP peer of that VRF for plain
 * IPv4/IPv6 unicast, sharing the speaker's one RIB with the other sessions.
 * These rules keep each VRF's routes apart from the rest (as a route map on
 * each session would, in FRR's per-VRF instances):
 *
 * - our routes are originated with a scope (`originate(..., {vrf})`, kept here
 *   per family and NLRI key); a bound neighbor gets exactly the routes scoped
 *   to its VRF, an unbound one never a scoped route;
 * - routes learned from a bound neighbor belong to its VRF (src/vpn/unicast.ts
 *   imports them) and are sent to no other neighbor;
 * - to a bound neighbor our routes carry its `exportCommunities` /
 *   `exportLargeCommunities` (RFC 1997, RFC 8092; appended); next hop self,
 *   and for IPv6 routes over an IPv4 session the neighbor's `nextHop6` (our
 *   global address on the link toward it, RFC 2545 §3) instead of an
 *   IPv4-mapped address.
 *
 * Not supported: the same prefix in two VRFs at once (one Loc-RIB: one best
 * path; the importer sees only it) — per-VRF RIBs come with the VPN work.
 */
import type { PathAttrs } from '../codec/attr/types.js';
import type { PeerState, SpeakerContext } from './context.js';

/** The scope map's key for the NLRI key kb[ko, ko+kl) of family `fid`. */
export function scopeKey(fid: number, kb: Uint8Array, ko: number, kl: number): string {
  return `${fid}/${Buffer.from(kb.subarray(ko, ko + kl)).toString('latin1')}`;
}

/** The VRF the route at kb[ko, ko+kl) was originated for (our routes only). */
export function scopeOf(ctx: SpeakerContext, fid: number, src: number, kb: Uint8Array, ko: number, kl: number): string | undefined {
  if (src !== 0 || ctx.scopes.size === 0) return undefined;
  return ctx.scopes.get(scopeKey(fid, kb, ko, kl));
}

/** The VRF of the neighbor behind RIB source `src` (0: ours, unscoped). */
function sourceVrf(ctx: SpeakerContext, src: number): string | undefined {
  if (src === 0) return undefined;
  const name = ctx.rib.sources[src]?.name;
  return name === undefined ? undefined : ctx.peers.get(name)?.peer.config.vrf;
}

/** The VRF rules of export: may a route of source `src` and scope `scope` go to `ps`? */
export function vrfExportAllowed(ctx: SpeakerContext, ps: PeerState, src: number, scope: string | undefined): boolean {
  const vrf = ps.peer.config.vrf;
  if (vrf !== undefined) return src === 0 && scope === vrf;
  return scope === undefined && sourceVrf(ctx, src) === undefined;
}

/** Our own route to a bound neighbor: its communities appended (cached per set by the caller). */
export function addExportCommunities(ps: PeerState, src: number, a: PathAttrs): void {
  const c = ps.peer.config;
  if (c.vrf === undefined || src !== 0) return;
  if (c.exportCommunities?.length) a.communities = [...new Set([...(a.communities ?? []), ...c.exportCommunities])];
  if (c.exportLargeCommunities?.length) a.largeCommunities = [...new Set([...(a.largeCommunities ?? []), ...c.exportLargeCommunities])];
}

/** Next hop self for an IPv6 family: the neighbor's `nextHop6` when the session is IPv4, else `self`. */
export function selfNextHop6(ps: PeerState, self: string): string {
  const nh6 = ps.peer.config.nextHop6;
  return nh6 && !self.includes(':') ? nh6 : self;
}
