// Route-target import, shared by every BGP-to-dataplane importer (EVPN
// instances, evpn.ts; IP-VPN VRFs, l3vpn.ts): one mechanism, not one per
// service.  An importer of some families and import route targets
//
//  - subscribes to the speaker's best paths of those families carrying one of
//    its route targets (RFC 4364 §4.3.5: a route is imported into every VRF
//    whose import targets it names; a best path that stops naming them is
//    reported as `best: null`, i.e. gone for this importer);
//  - gets them in the speaker's batches (all changes of one event-loop turn,
//    per family) and handles each batch inside the controller's serialized
//    queue, so dataplane writes never interleave with a config change; a
//    batch that reaches the queue after the importer was closed is dropped;
//  - replays the matching routes already in the RIB when it starts;
//  - announces its route targets as RT-constraint memberships (RFC 4684).
//    Memberships are counted per speaker: two importers of one route target
//    announce it once, and it is withdrawn only when the last one closes.
import type { BestPathChange, BgpSpeaker, FamilyName, RouteByFamily } from '../bgp/index.js';
import { hasRouteTarget, normaliseRouteTarget } from '../bgp/index.js';

export type AnyChange = BestPathChange<RouteByFamily[FamilyName]>;

const memberships = new WeakMap<BgpSpeaker, Map<string, number>>();

function join(speaker: BgpSpeaker, rts: string[]): void {
  let m = memberships.get(speaker);
  if (!m) memberships.set(speaker, (m = new Map()));
  const fresh: string[] = [];
  for (const rt of rts) {
    const n = m.get(rt) ?? 0;
    m.set(rt, n + 1);
    if (n === 0) fresh.push(rt);
  }
  if (fresh.length) speaker.importRouteTargets(fresh);
}

function leave(speaker: BgpSpeaker, rts: string[]): void {
  const m = memberships.get(speaker);
  const gone: string[] = [];
  for (const rt of rts) {
    const n = m?.get(rt) ?? 0;
    if (n > 1) m!.set(rt, n - 1);
    else if (n === 1) {
      m!.delete(rt);
      gone.push(rt);
    }
  }
  if (gone.length) speaker.unimportRouteTargets(gone);
}

/** The RT-constraint memberships announced through this module (tests, `show`). */
export function rtMemberships(speaker: BgpSpeaker): string[] {
  return [...(memberships.get(speaker)?.keys() ?? [])].sort();
}

export class RtImport {
  private readonly rts: string[];
  private unsubscribe: (() => void)[] = [];
  private closed = false;

  /** Starts importing: `handle` gets each batch, in the queue. */
  constructor(
    private readonly speaker: BgpSpeaker,
    families: FamilyName[],
    importRts: string[],
    private readonly serialize: <T>(fn: () => T) => Promise<T>,
    private readonly handle: (changes: AnyChange[]) => void,
  ) {
    this.rts = [...new Set(importRts.map(normaliseRouteTarget))];
    for (const f of families)
      this.unsubscribe.push(speaker.subscribe(f, (changes) => this.deliver(changes as AnyChange[]), { routeTargets: this.rts }));
    join(speaker, this.rts);
    // routes already in the RIB
    const rtSet = new Set(this.rts);
    for (const f of families) {
      const present: AnyChange[] = [];
      for (const r of speaker.iterRoutes(f)) {
        const best = r.paths[0];
        if (best && hasRouteTarget(best.attrs, rtSet)) present.push({ family: f, route: r.route, key: r.key, best });
      }
      if (present.length) this.deliver(present);
    }
  }

  private deliver(changes: AnyChange[]): void {
    void this.serialize(() => {
      if (!this.closed) this.handle(changes);
    });
  }

  /** Stops: no more batches (queued ones are dropped), memberships released. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    leave(this.speaker, this.rts);
  }
}
