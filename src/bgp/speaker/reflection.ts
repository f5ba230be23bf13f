/**
 * RFC 4456 route reflection, export side: which iBGP-learned routes may go to
 * which iBGP peer, and the ORIGINATOR_ID / CLUSTER_LIST a reflected route
 * carries.
 *
 * - §6: without reflection an iBGP-learned route is never sent to another
 *   iBGP peer (RFC 4271 §9.2). We reflect when either side is a
 *   `route-reflector-client`: client → clients and non-clients, non-client →
 *   clients. Routes from eBGP peers and our own routes are not reflection and
 *   go to every iBGP peer.
 * - §8: a reflected route keeps the ORIGINATOR_ID it came with, or gets the
 *   BGP identifier of the peer we learned it from; our CLUSTER_ID (the
 *   speaker's `clusterId`, default router id) is prepended to CLUSTER_LIST.
 * - Both attributes are dropped towards eBGP peers (export-policy.ts). The
 *   receive-side loop checks (ORIGINATOR_ID = our router id, our cluster id
 *   in CLUSTER_LIST → treat-as-withdraw) are in rib/rib.ts, at ingest.
 *
 *   The §9 decision tie-breaks (ORIGINATOR_ID as router id, shorter
 *   CLUSTER_LIST) are in rib/rib.ts `compare`.
 *
 * Not supported: per-neighbor cluster ids, turning client-to-client
 * reflection off (§5).
 */
import type { PathAttrs } from '../codec/attr/types.js';

/** RFC 4456 §6: may a route learned from an iBGP peer go to another iBGP peer? */
export function mayReflect(fromClient: boolean, toClient: boolean): boolean {
  return fromClient || toClient;
}

/**
 * RFC 4456 §8: set the reflection attributes on `out` (the copy of `received`
 * being sent). `originatorRouterId` is the BGP identifier of the peer the
 * route was learned from, as a uint32.
 */
export function addReflectionAttrs(out: PathAttrs, received: PathAttrs, originatorRouterId: number, clusterId: string): void {
  out.originatorId = received.originatorId ?? numIp(originatorRouterId);
  out.clusterList = [clusterId, ...(received.clusterList ?? [])];
}

function numIp(n: number): string { return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'); }
