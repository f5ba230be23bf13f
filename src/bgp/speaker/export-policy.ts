/**
 * Export policy: may a Loc-RIB route go to a peer, and with which attributes.
 *
 * Which routes (RFC 4271 §9.1.3 / §9.2):
 * - never back to the peer it was learned from (split horizon);
 * - iBGP-learned routes to iBGP peers only as route reflection (reflection.ts);
 * - on RT-constraint sessions, VPN routes only for RTs the peer asked for
 *   (rt-constraint.ts).
 *
 * Which attributes (RFC 4271 §5.1):
 * - eBGP: our AS prepended to AS_PATH (a new AS_SEQUENCE when the first
 *   segment is a set or full), next hop self, no LOCAL_PREF, no
 *   ORIGINATOR_ID/CLUSTER_LIST (RFC 4456 §8), MED only on our own routes
 *   (§5.1.4: a received MED is not passed to other ASes).
 * - iBGP: LOCAL_PREF as set, 100 if missing or learned from eBGP (§5.1.5);
 *   next hop unchanged, or the session's local address for our own routes
 *   without one; reflection attributes on reflected routes.
 * - Next hop encoding per family (legacy NEXT_HOP for IPv4 unicast with an
 *   IPv4 next hop, MP_REACH next hop otherwise; IPv4 next hops of IPv6
 *   families as IPv4-mapped; a received link-local kept unless we set self).
 *
 * The attribute bytes depend only on the peer and the attribute set, so they
 * are encoded once per (peer, set) and cached in `PeerState.outAttrs` (a
 * WeakMap, so sets freed by the attribute store drop out); only the next hop,
 * which may depend on the session's local address, is encoded each time.
 *
 * VRF-bound neighbors (vrf-scope.ts): only their VRF's routes, with their
 * communities, and the next hop the VRF chose.
 *
 * Not supported: route maps or any policy beyond these rules, AS-path
 * prepending by config, next-hop-self towards iBGP, confederations.
 */
import { encodePathAttrs } from '../codec/message/update.js';
import { encodeNextHop, type Family } from '../codec/family.js';
import type { PathAttrs } from '../codec/attr/types.js';
import type { AttrSet } from '../rib/attr-store.js';
import type { PeerState, SpeakerContext } from './context.js';
import { addReflectionAttrs, mayReflect } from './reflection.js';
import { rtcAllows } from './rt-constraint.js';
import { addExportCommunities, selfNextHop6, vrfExportAllowed } from './vrf-scope.js';

/** May the route of family `f` from RIB source `src` (0 = ours) with attribute set `set` (and, ours, originated
 *  for VRF `scope`) go to this peer? */
export function exportAllowed(ctx: SpeakerContext, ps: PeerState, f: Family, src: number, set: AttrSet, scope?: string): boolean {
  const p = ps.peer;
  if (src === p.sourceIndex) return false;
  if (!vrfExportAllowed(ctx, ps, src, scope)) return false;
  if (src !== 0) {
    const from = ctx.rib.sources[src]!;
    if (!from.ebgp && !ps.ebgp && !mayReflect(!!ctx.peers.get(from.name)?.peer.config.routeReflectorClient, p.config.routeReflectorClient)) return false;
  }
  return rtcAllows(ps, f, set);
}

/** Attributes as sent to this peer (cached per attribute set), and the MP_REACH next hop (null: legacy NEXT_HOP). */
export function outAttrs(ctx: SpeakerContext, ps: PeerState, f: Family, src: number, set: AttrSet): [Buffer, Buffer | null] {
  const cached = ps.outAttrs.get(set);
  const legacy = f.name === 'ipv4';
  const p = ps.peer;
  let nh = set.nextHop;
  const selfNh = !nh || ps.ebgp;
  if (selfNh) nh = f.afi === 2 ? selfNextHop6(ps, p.localAddress) : p.localAddress;
  if ((f.name === 'ipv6' || f.name === 'vpnv6') && !nh.includes(':')) nh = `::ffff:${nh}`;
  const nhBytes = legacy && !nh.includes(':') ? null : encodeNextHop(f, set.linkLocal && !selfNh ? { nextHop: nh, linkLocal: set.linkLocal } : { nextHop: nh });
  if (cached) return [cached, nhBytes];
  const a: PathAttrs = { ...set.attrs };
  delete a.nextHop;
  if (legacy && !nhBytes) a.nextHop = nh;
  addExportCommunities(ps, src, a);
  if (ps.ebgp) {
    a.asPath = prependAs(a.asPath ?? [], ctx.options.asn);
    delete a.localPref; delete a.originatorId; delete a.clusterList;
    if (src !== 0) delete a.med;
  } else {
    // RFC 4271 §5.1.5: LOCAL_PREF received from an eBGP peer is ignored; our default is 100.
    const from = src !== 0 ? ctx.rib.sources[src]! : null;
    a.localPref = from?.ebgp ? 100 : (set.localPref ?? 100);
    if (from && !from.ebgp) addReflectionAttrs(a, set.attrs, from.routerId, ctx.rib.clusterId);
  }
  const bytes = encodePathAttrs(a, { as4: p.ctx.as4 });
  ps.outAttrs.set(set, bytes);
  return [bytes, nhBytes];
}

/** Our AS in front of the AS_PATH: into the leading AS_SEQUENCE if it has room, else a new one. */
export function prependAs(path: NonNullable<PathAttrs['asPath']>, asn: number): NonNullable<PathAttrs['asPath']> {
  const first = path[0];
  if (first && first.type === 'seq' && first.asns.length < 255) return [{ type: 'seq', asns: [asn, ...first.asns] }, ...path.slice(1)];
  return [{ type: 'seq', asns: [asn] }, ...path];
}
