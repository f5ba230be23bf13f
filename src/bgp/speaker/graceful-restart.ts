/**
 * RFC 4724 graceful restart, helper side: keeping a restarting peer's routes
 * as stale instead of withdrawing them, and sweeping what it does not
 * re-announce.
 *
 * - §4.2 session loss: when the TCP session fails (or the peer reconnects
 *   while Established, see peer.ts) and the peer's GR capability listed
 *   families, its paths of those families are marked stale (they stay in the
 *   decision process, reported `stale: true`), its other families are dropped,
 *   and the restart timer (the peer's Restart Time) is armed: if the peer is
 *   not back by then, everything stale is swept.
 * - §4.2 peer back: families the new capability no longer lists with the
 *   forwarding bit are swept at once; the rest stay stale until the peer's
 *   End-of-RIB for the family (§2), bounded by our `staleRoutesTime`.
 * - RFC 7313 §4 enhanced route refresh reuses the stale marking (BoRR marks,
 *   EoRR sweeps): `markStale` and `sweep` are shared with route-refresh.ts.
 *
 * Every timer runs on the injected clock (src/util/clock.ts), so the tests
 * drive restart and stale timers in virtual time. We are helper only: we
 * advertise the capability with no families (peer.ts), never claiming
 * preserved forwarding state ourselves. Stale paths are flagged in place in
 * the Adj-RIB-In (rib/route-table.ts FLAG_STALE), so marking and sweeping
 * cost one pass over the peer's table, with no copy.
 */
import { FAMILIES } from '../codec/family.js';
import type { Clock } from '../../util/clock.js';
import type { Rib } from '../rib/rib.js';
import type { PeerState, SpeakerContext } from './context.js';

export interface GrState {
  /** the peer's Restart Time, while it is away */
  restartTimer: unknown;
  /** our stale-routes time, once it is back */
  staleTimer: unknown;
  /** stale paths still held for the peer (shown by `hvswitch bgp neighbor`) */
  staleCount: number;
}

export function newGrState(): GrState { return { restartTimer: null, staleTimer: null, staleCount: 0 }; }

export function clearGrTimers(clock: Clock, gr: GrState): void {
  if (gr.restartTimer !== null) clock.clearTimeout(gr.restartTimer);
  if (gr.staleTimer !== null) clock.clearTimeout(gr.staleTimer);
  gr.restartTimer = gr.staleTimer = null;
}

/** Mark the peer's paths of a family stale. */
export function markStale(rib: Rib, ps: PeerState, f: number): void {
  ps.gr.staleCount += rib.markStale(ps.peer.sourceIndex, f);
}

/** Drop the peer's stale paths of a family (all families if `f` is undefined). */
export function sweep(rib: Rib, ps: PeerState, f?: number): void {
  const n = rib.sweepStale(ps.peer.sourceIndex, f);
  ps.gr.staleCount = Math.max(0, ps.gr.staleCount - n);
  if (f === undefined) ps.gr.staleCount = 0;
}

/** The session went down; `graceful`: the peer is restarting (§4.2), keep what it asked us to keep. */
export function grSessionDown(ctx: SpeakerContext, ps: PeerState, graceful: boolean): void {
  const { rib, clock } = ctx;
  const p = ps.peer;
  if (ps.gr.staleTimer !== null) { clock.clearTimeout(ps.gr.staleTimer); ps.gr.staleTimer = null; }
  const gr = p.negotiated?.peerGr;
  if (graceful && gr && gr.families.length) {
    for (const f of FAMILIES) {
      if (gr.families.some((x) => x.afi === f.afi && x.safi === f.safi)) markStale(rib, ps, f.id);
      else rib.dropAll(p.sourceIndex, f.id);
    }
    if (ps.gr.restartTimer !== null) clock.clearTimeout(ps.gr.restartTimer);
    ps.gr.restartTimer = clock.setTimeout(() => { ps.gr.restartTimer = null; sweep(rib, ps); ctx.scheduleFlush(); }, gr.time * 1000);
  } else {
    for (const f of FAMILIES) rib.dropAll(p.sourceIndex, f.id);
    ps.gr.staleCount = 0;
  }
}

/** The session is Established again: stop the restart timer, sweep families the peer did not preserve. */
export function grSessionUp(ctx: SpeakerContext, ps: PeerState): void {
  const { rib, clock } = ctx;
  const p = ps.peer;
  const n = p.negotiated!;
  if (ps.gr.restartTimer !== null) { clock.clearTimeout(ps.gr.restartTimer); ps.gr.restartTimer = null; }
  if (ps.gr.staleCount > 0) {
    for (const f of FAMILIES) {
      const kept = n.peerGr?.families.some((x) => x.afi === f.afi && x.safi === f.safi && x.forwarding);
      if (!kept) sweep(rib, ps, f.id);
    }
    if (ps.gr.staleCount > 0) {
      ps.gr.staleTimer = clock.setTimeout(() => { ps.gr.staleTimer = null; sweep(rib, ps); ctx.scheduleFlush(); }, p.config.gracefulRestart.staleRoutesTime * 1000);
    }
  }
}

/** §2 End-of-RIB from the peer: its re-announcement of the family is complete. */
export function grEndOfRib(rib: Rib, ps: PeerState, f: number): void {
  if (ps.gr.staleCount > 0) sweep(rib, ps, f);
}
