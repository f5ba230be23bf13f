/**
 * What the speaker does on each session event (the `PeerHooks` a Peer calls):
 * the wiring between the session (peer.ts) and the routing concerns.
 *
 * - Established: learn the peer's identifier and ADD-PATH use, reset its RT
 *   membership, open the Adj-RIB-Out, end graceful-restart waiting (RFC 4724
 *   §4.2), then the initial export (advertise.ts, RFC 4684 §6 order).
 * - Down: forget the Adj-RIB-Out; the peer's routes are dropped, or kept
 *   stale if it is restarting (graceful-restart.ts).
 * - UPDATE: ingest into the Adj-RIB-In (rib/rib.ts); End-of-RIB ends stale
 *   waiting and RTC deferral; RFC 7606 outcomes are counted and emitted as
 *   `update-error`; the per-peer prefix limit ends the session with Cease /
 *   Maximum Number of Prefixes Reached (RFC 4486 §4).
 * - End of a received batch: a changed RT membership re-exports the VPN
 *   families; best-path changes are flushed after this event-loop turn.
 * - ROUTE-REFRESH: route-refresh.ts. State changes: the `neighbor` event.
 */
import { ipv4ToBytes } from '../codec/addr.js';
import type { Peer, PeerHooks } from '../peer.js';
import { closeAdjOut, initialExport, openAdjOut, rtMembershipChanged } from './advertise.js';
import { stateOf, type SpeakerContext } from './context.js';
import { updateTracking } from './distribute.js';
import { grEndOfRib, grSessionDown, grSessionUp } from './graceful-restart.js';
import { onRouteRefresh } from './route-refresh.js';
import { clearRtcTimer, resetRtcSession, rtcEndOfRib } from './rt-constraint.js';

export function peerHooks(ctx: SpeakerContext): PeerHooks {
  return {
    localAs: ctx.options.asn,
    routerId: ctx.options.routerId,
    clock: ctx.clock,
    onEstablished: (p) => onEstablished(ctx, p),
    onDown: (p, graceful) => onDown(ctx, p, graceful),
    onUpdate: (p, buf, off, len) => onUpdate(ctx, p, buf, off, len),
    onRouteRefresh: (p, m) => onRouteRefresh(ctx, p, m),
    onStateChange: (p, from, to, reason) => ctx.emit('neighbor', { address: p.name, from, to, reason, lastError: p.outageError }),
    onBatch: (p) => onBatch(ctx, p),
  };
}

function onEstablished(ctx: SpeakerContext, p: Peer): void {
  const ps = stateOf(ctx, p);
  const n = p.negotiated!;
  const src = ctx.rib.sources[p.sourceIndex]!;
  src.routerId = ipNum(n.remoteId);
  src.addPath = n.addPathRx.slice();
  resetRtcSession(ps.rtc);
  openAdjOut(ps);
  // Graceful restart (RFC 4724 §4.2): the peer is back.
  grSessionUp(ctx, ps);
  updateTracking(ctx);
  initialExport(ctx, ps);
}

function onDown(ctx: SpeakerContext, p: Peer, graceful: boolean): void {
  const ps = stateOf(ctx, p);
  closeAdjOut(ctx, ps);
  clearRtcTimer(ctx.clock, ps.rtc);
  grSessionDown(ctx, ps, graceful);
  updateTracking(ctx);
  ctx.scheduleFlush();
}

function onUpdate(ctx: SpeakerContext, p: Peer, buf: Buffer, off: number, len: number): void {
  const ps = stateOf(ctx, p);
  const rib = ctx.rib;
  const r = rib.ingestUpdate(p.sourceIndex, buf, off, len, p.ctx);
  if (r.eor) {
    grEndOfRib(rib, ps, r.eor.id);
    rtcEndOfRib(ps.rtc, r.eor);
    ctx.emit('eor', { address: p.name, family: r.eor.name });
    return;
  }
  if (r.ignored) { ps.updateErrors.ignoredFamily++; ctx.emit('update-error', { address: p.name, action: 'ignored', reasons: [`NLRI of non-negotiated family ${r.ignored}`] }); }
  if (r.treatAsWithdraw) { ps.updateErrors.treatAsWithdraw++; ctx.emit('update-error', { address: p.name, action: 'treat-as-withdraw', reasons: r.treatAsWithdraw }); }
  else if (r.discarded) { ps.updateErrors.attributeDiscard++; ctx.emit('update-error', { address: p.name, action: 'attribute-discard', reasons: r.discarded }); }
  if (rib.scanFamilyIs('rtc')) ps.rtc.changed = true;
  const max = p.config.maxPrefix;
  if (max !== undefined && r.announced > 0 && rib.prefixCount(p.sourceIndex) > max) {
    const f = rib.lastFamily();
    p.maxPrefixExceeded(f.afi, f.safi);
  }
}

function onBatch(ctx: SpeakerContext, p: Peer): void {
  const ps = ctx.peers.get(p.name);
  if (ps?.rtc.changed && p.established) rtMembershipChanged(ctx, ps);
  ctx.scheduleFlush();
}

function ipNum(s: string): number { return Buffer.from(ipv4ToBytes(s)).readUInt32BE(0); }
