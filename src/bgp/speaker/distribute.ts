/**
 * Best-path distribution: after each received batch or API call, the keys
 * whose Loc-RIB best path changed (the RIB's dirty set per family) are
 * exported to every Established peer (advertise.ts) and reported to the
 * family's subscribers, one `BestPathChange[]` per family per flush.
 *
 * The RIB records dirty keys only for families someone consumes
 * (`updateTracking`: a subscriber or a peer with the family negotiated); when
 * exactly one peer and no subscriber consumes a family, the RIB is told which
 * source that is (`soleConsumer`) and does not record the changes caused by
 * that peer's own UPDATEs (a bulk feed from the only peer costs no dirty
 * set).
 */
import { FAMILIES, type AnyRoute } from '../codec/family.js';
import type { SpeakerContext } from './context.js';
import { exportKey, flushPeer } from './advertise.js';
import { sourceName } from './rib-view.js';
import type { BestPathChange, RibPath } from './types.js';

/** A best-path change as subscribers get it; its key text is built only if read
 *  (an importer of a bulk feed rarely needs it, and it costs a string a route). */
class PathChange implements BestPathChange {
  readonly family: BestPathChange['family'];
  readonly #f: (typeof FAMILIES)[number];
  #key: string | undefined;
  constructor(
    f: (typeof FAMILIES)[number],
    readonly route: AnyRoute,
    readonly best: RibPath | null,
    readonly prefixKey: number | undefined,
  ) { this.family = f.name; this.#f = f; }
  get key(): string { return (this.#key ??= this.#f.nlri.keyString(this.route)); }
}

const NO_DATA = new Uint8Array(0);

/** Decide, per family, whether best-path changes must be recorded (someone consumes them). */
export function updateTracking(ctx: SpeakerContext): void {
  for (const f of FAMILIES) {
    const consumers = [...ctx.peers.values()].filter((ps) => ps.peer.established && ps.peer.negotiated?.families[f.id]);
    const subs = ctx.subs[f.id]!.size > 0;
    ctx.rib.track[f.id] = subs || consumers.length > 0;
    ctx.rib.soleConsumer[f.id] = !subs && consumers.length === 1 ? consumers[0]!.peer.sourceIndex : -1;
  }
}

/** Push pending best-path changes to peers and subscribers now. */
export function flushBestPaths(ctx: SpeakerContext): void {
  const { rib } = ctx;
  for (const f of FAMILIES) {
    const dirty = rib.dirty[f.id]!;
    if (dirty.count === 0) continue;
    const targets = [...ctx.peers.values()].filter((ps) => ps.peer.established && ps.packers[f.id]);
    const subs = ctx.subs[f.id]!;
    const changes: BestPathChange[] = [];
    const loc = rib.loc[f.id]!;
    // the paths of a batch mostly share one attribute set and source (one UPDATE's NLRI): one RibPath for them
    let lastAttr = -1, lastSource = -1, lastBest: RibPath | null = null;
    dirty.forEach((rec) => {
      const ko = dirty.keyOff(rec), kl = dirty.keyLen(rec);
      // one Loc-RIB lookup per key, shared by the peers' exports and the subscribers
      const slot = loc.find(dirty.arena, ko, kl, 0);
      for (const ps of targets) exportKey(ctx, ps, f, dirty.arena, ko, kl, slot);
      if (subs.size) {
        let route: AnyRoute; let best: RibPath | null = null;
        if (slot >= 0) {
          const lrec = loc.rec(slot);
          route = rib.routeOf(f, loc, lrec);
          const aid = loc.attrId(lrec), src = loc.flags(lrec);
          if (aid !== lastAttr || src !== lastSource) {
            const set = rib.attrs.get(aid);
            lastBest = { source: sourceName(rib, src), nextHop: set.nextHop, attrs: set.attrs };
            lastAttr = aid;
            lastSource = src;
          }
          best = lastBest;
        } else route = f.nlri.fromKD(dirty.arena.subarray(ko, ko + kl), NO_DATA); // withdrawn
        changes.push(new PathChange(f, route, best, f.nlri.prefixKey4?.(dirty.arena, ko)));
      }
    });
    dirty.reset(); // keeps its arrays while small: no arena allocated per flush
    for (const cb of subs) cb(changes);
  }
  for (const ps of ctx.peers.values()) if (ps.peer.established) flushPeer(ps);
}
