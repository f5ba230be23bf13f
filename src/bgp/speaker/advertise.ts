/**
 * Advertisement to one peer: its Adj-RIB-Out per family and the UPDATEs that
 * keep the peer in step with it.
 *
 * - `exportKey` is the one place a route reaches a peer: the Loc-RIB best
 *   path for a key goes through the export policy (export-policy.ts); the
 *   Adj-RIB-Out records what was sent, so an unchanged re-export sends
 *   nothing and a route that is no longer allowed (or gone) is withdrawn.
 *   UPDATEs are packed per attribute set (rib/adj-rib-out.ts `UpdatePacker`)
 *   and written by `flushPeer`, once per batch.
 * - Session start: every negotiated family is dumped, each followed by
 *   End-of-RIB (RFC 4724 §2). With RT constraint (RFC 4684 §6) the rtc family
 *   goes first and the VPN families wait for the peer's RTC End-of-RIB, or
 *   10 s; a change in the peer's membership re-exports the VPN families.
 * - Route refresh re-dumps one family (route-refresh.ts).
 *
 * Adj-RIB-Out entries hold a reference on their interned attribute set, so
 * the set outlives the Loc-RIB path while a peer still has it.
 */
import { FAMILIES, familyOf, type Family } from '../codec/family.js';
import { endOfRib } from '../codec/message/update.js';
import { KeyData } from '../codec/nlri/types.js';
import { UpdatePacker } from '../rib/adj-rib-out.js';
import type { PeerState, SpeakerContext } from './context.js';
import { exportAllowed, outAttrs } from './export-policy.js';
import { clearRtcTimer, recomputeRtMembership } from './rt-constraint.js';
import { scopeOf } from './vrf-scope.js';

/** RFC 4684 §6 bound on waiting for the peer's RTC End-of-RIB. */
const RTC_EOR_WAIT_MS = 10_000;

/** Established: fresh packers for the negotiated families, and no cached attributes (the session may differ). */
export function openAdjOut(ps: PeerState): void {
  const p = ps.peer, n = p.negotiated!;
  ps.outAttrs = new WeakMap();
  ps.packers = FAMILIES.map((f) => (n.families[f.id] ? new UpdatePacker(f, p.maxLen, n.addPathTx[f.id]!) : null));
}

/** Session down: nothing is advertised any more. */
export function closeAdjOut(ctx: SpeakerContext, ps: PeerState): void {
  clearAdjOut(ctx, ps);
  ps.packers = FAMILIES.map(() => null);
}

/** Bring the peer's Adj-RIB-Out for one key (kb[ko, ko+kl)) in line with the Loc-RIB; queue the UPDATE.
 *  `locSlot`: the key's Loc-RIB slot (-1: none) when the caller already looked it up. */
export function exportKey(ctx: SpeakerContext, ps: PeerState, f: Family, kb: Uint8Array, ko: number, kl: number, locSlot?: number): void {
  const p = ps.peer;
  const rib = ctx.rib;
  const packer = ps.packers[f.id];
  if (!p.established || !packer || (ps.rtc.deferVpn && f.vpn)) return;
  const loc = rib.loc[f.id]!;
  const adj = ps.adjOut[f.id]!;
  const slot = locSlot ?? loc.find(kb, ko, kl, 0);
  if (slot >= 0) {
    const rec = loc.rec(slot);
    const src = loc.flags(rec);
    const set = rib.attrs.get(loc.attrId(rec));
    if (exportAllowed(ctx, ps, f, src, set, scopeOf(ctx, f.id, src, kb, ko, kl))) {
      const prev = adj.setRaw(kb, ko, kl, loc.arena, loc.dataOff(rec), loc.dataLen(rec), 0, set.id, 0);
      if (!adj.changed) return;
      if (prev !== set.id) { rib.attrs.ref(set.id); if (prev >= 0) rib.attrs.unref(prev); }
      const [attrs, nh] = outAttrs(ctx, ps, f, src, set);
      packer.announce(attrs, nh, loc.arena, loc.keyOff(rec), kl, loc.dataOff(rec), loc.dataLen(rec), 0);
      return;
    }
  }
  const aslot = adj.find(kb, ko, kl, 0);
  if (aslot < 0) return;
  const arec = adj.rec(aslot);
  packer.withdraw(adj.arena, adj.keyOff(arec), kl, adj.dataOff(arec), adj.dataLen(arec), 0);
  rib.attrs.unref(adj.deleteSlot(aslot));
}

/** Export the whole Loc-RIB of a family to a peer, then End-of-RIB. */
export function dumpFamily(ctx: SpeakerContext, ps: PeerState, f: Family, eor = true): void {
  const loc = ctx.rib.loc[f.id]!;
  const kb = new KeyData();
  loc.forEach((rec) => {
    loc.load(rec, kb);
    exportKey(ctx, ps, f, kb.buf, 0, kb.keyLen);
  });
  if (eor) {
    flushPeer(ps);
    ps.peer.write(endOfRib(f.name));
  }
}

/** Write the UPDATEs queued for a peer. */
export function flushPeer(ps: PeerState): void {
  for (const pk of ps.packers) {
    if (!pk) continue;
    const msgs = pk.take();
    if (msgs.length) ps.peer.write(msgs.length === 1 ? msgs[0]! : Buffer.concat(msgs), msgs.length);
  }
}

export function clearAdjOutFamily(ctx: SpeakerContext, ps: PeerState, f: number): void {
  const t = ps.adjOut[f]!;
  t.forEach((rec) => ctx.rib.attrs.unref(t.attrId(rec)));
  t.clear();
}
export function clearAdjOut(ctx: SpeakerContext, ps: PeerState): void { for (let f = 0; f < FAMILIES.length; f++) clearAdjOutFamily(ctx, ps, f); }

/** Session start: every negotiated family with End-of-RIB, in RFC 4684 §6 order. */
export function initialExport(ctx: SpeakerContext, ps: PeerState): void {
  const p = ps.peer, n = p.negotiated!;
  const rtc = familyOf('rtc');
  ps.rtc.deferVpn = !!n.families[rtc.id];
  // RFC 4684 §6: RT membership first, then End-of-RIB for RTC; VPN routes wait for the peer's RTC End-of-RIB.
  const order = [rtc, ...FAMILIES.filter((f) => f.name !== 'rtc')];
  for (const f of order) {
    if (!n.families[f.id]) continue;
    if (ps.rtc.deferVpn && f.vpn) continue;
    dumpFamily(ctx, ps, f);
  }
  flushPeer(ps);
  if (ps.rtc.deferVpn) {
    // RFC 4684 §6 deferral is bounded: a peer that never sends its RTC End-of-RIB gets the VPN routes after 10 s.
    ps.rtc.timer = ctx.clock.setTimeout(() => { ps.rtc.timer = null; if (ps.rtc.deferVpn && p.established) releaseVpn(ctx, ps); }, RTC_EOR_WAIT_MS);
  }
}

/** End the RFC 4684 §6 deferral: the VPN families, each with End-of-RIB. */
export function releaseVpn(ctx: SpeakerContext, ps: PeerState): void {
  ps.rtc.deferVpn = false;
  clearRtcTimer(ctx.clock, ps.rtc);
  for (const f of FAMILIES) if (f.vpn && ps.peer.negotiated?.families[f.id]) dumpFamily(ctx, ps, f);
  flushPeer(ps);
}

/** After a batch that changed the peer's RTC routes: new membership, so re-export (or release) the VPN families. */
export function rtMembershipChanged(ctx: SpeakerContext, ps: PeerState): void {
  const p = ps.peer;
  ps.rtc.changed = false;
  recomputeRtMembership(ctx.rib, ps);
  if (ps.rtc.deferVpn && ps.rtc.eorSeen) releaseVpn(ctx, ps);
  else if (!ps.rtc.deferVpn) for (const f of FAMILIES) if (f.vpn && p.negotiated?.families[f.id]) dumpFamily(ctx, ps, f, false);
}
