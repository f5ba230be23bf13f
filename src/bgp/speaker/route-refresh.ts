/**
 * Route refresh (RFC 2918) and enhanced route refresh (RFC 7313).
 *
 * - Received ROUTE-REFRESH (subtype 0, RFC 2918 §4): the family's Adj-RIB-Out
 *   is forgotten and the whole Loc-RIB of the family re-exported. With
 *   enhanced route refresh negotiated, the re-advertisement is bracketed by
 *   BoRR (subtype 1) and EoRR (subtype 2) instead of an End-of-RIB (RFC 7313
 *   §4).
 * - Received BoRR: the peer's paths of the family become stale; received
 *   EoRR: those it did not re-announce are swept (RFC 7313 §4, using the
 *   stale marking of graceful-restart.ts). Without an EoRR the stale paths
 *   stay until the next sweep (session loss, End-of-RIB); RFC 7313's optional
 *   timer for a missing EoRR is not implemented.
 * - Requests for families not negotiated on the session, and unknown
 *   subtypes (RFC 7313 §5), are ignored; a bad message length is a decode
 *   error from the codec (codec/message/route-refresh.ts).
 * - `requestRefresh` sends a ROUTE-REFRESH for a family (API `refresh`).
 */
import { familyOf, type FamilyName } from '../codec/family.js';
import type { RouteRefreshMessage } from '../codec/message/route-refresh.js';
import { Peer } from '../peer.js';
import { clearAdjOutFamily, dumpFamily, flushPeer } from './advertise.js';
import { stateOf, type SpeakerContext } from './context.js';
import { markStale, sweep } from './graceful-restart.js';

export function onRouteRefresh(ctx: SpeakerContext, p: Peer, m: RouteRefreshMessage): void {
  const f = Peer.familyOf(m.afi, m.safi);
  if (!f || !p.negotiated?.families[f.id]) return;
  const ps = stateOf(ctx, p);
  if (m.subtype === 0) {
    // Re-advertise the whole family (RFC 2918 §4), bracketed by BoRR/EoRR if enhanced (RFC 7313 §4).
    const enhanced = p.negotiated.enhancedRouteRefresh;
    if (enhanced) p.sendRouteRefresh(f.afi, f.safi, 1);
    clearAdjOutFamily(ctx, ps, f.id);
    dumpFamily(ctx, ps, f, !enhanced);
    if (enhanced) { flushPeer(ps); p.sendRouteRefresh(f.afi, f.safi, 2); }
  } else if (m.subtype === 1) {
    markStale(ctx.rib, ps, f.id);
  } else if (m.subtype === 2) {
    sweep(ctx.rib, ps, f.id);
    ctx.scheduleFlush();
  }
}

/** Ask the peer to resend a family (RFC 2918 ROUTE-REFRESH, subtype 0). */
export function requestRefresh(p: Peer, family: FamilyName): void {
  const f = familyOf(family);
  p.sendRouteRefresh(f.afi, f.safi);
}
