// Local Ethernet segments of EVPN multihoming, all-active (RFC 7432 §8, §14;
// RFC 8365 §8): a bond (config-es.ts) that other hypervisors attach to the
// same physical segment, under the same ESI and the same LACP system ID.
//
// The ESI (config-es.ts): configured (type 0), `auto-local` (type 1 from our
// own LACP system ID and key, fixed by the config), or `auto`: type 1 from
// the CE's LACP system ID and key (RFC 7432 §5), i.e. the partner of the
// bond's aggregated members as its LACPDUs carry them (setPartner, fed by
// BondControl).  Until a partner is heard an `auto` segment has no ESI: no
// type-1/type-4 route is originated, its MACs are advertised without an ESI,
// and it is non-DF on every VLAN.  Once derived the ESI is kept when the
// partner goes silent or the bond goes down (its routes still follow the bond,
// below; the bond coming back with the same partner brings back the same
// routes, as SR OS keeps an auto-ESI); a different partner (system ID or key)
// replaces it: the old ESI's routes are withdrawn, the bond's MACs flushed
// (they were advertised with the old ESI), and the new ESI's routes, with
// their ES-Import target, originated, the DF election starting over.  A
// derived ESI that another local segment already has is refused (logged,
// reported as a conflict) and the segment stays as it was.
//
// Per segment, while the bond is up (some member collecting) and the ESI is
// known, we originate
//  - its Ethernet Segment route (type 4, §7.4): RD <vtep>:0, the ESI, our VTEP
//    as originating router, the ES-Import route target (§7.6) so only the PEs
//    of the segment import it, and for HRW the DF Election community (RFC
//    8584 §2.2; without it a PE asks for the default, modulo, §2.2.1);
//  - its per-ES Ethernet A-D route (type 1, §8.2): RD <vtep>:0, tag MAX-ET
//    (0xffffffff), the ESI Label community with the single-active flag clear
//    (all-active) and label 0 (VXLAN has no ESI label: split horizon is local
//    bias, RFC 8365 §8.3.1), the route targets of every EVI on the segment;
//  - one per-EVI A-D route (type 1, §8.4) per EVI on the segment: the EVI's
//    RD and route targets, tag 0, its VNI as label.
// When the bond goes down all of them are withdrawn: the per-ES A-D withdrawal
// is the mass withdraw (§8.2) that takes us out of every MAC of the segment at
// the remote PEs at once (aliasing.ts), and its MACs are flushed here.
//
// DF election (RFC 7432 §8.5, RFC 8584).  The PEs of a segment are the
// originators of the type-4 routes with its ESI (ours included).  When the
// segment comes up, or a PE appears, we wait the DF timer (default 3 s) for
// the others' routes, non-DF meanwhile; when a PE disappears we elect at once
// (it no longer forwards, waiting would only lose frames).  Per EVI (V = the
// VNI) the algorithm is df-election.ts's, HRW only if every PE asks for it.
// The core enforces the result (segments.ts, native/core/es.h): BUM frames
// from tunnels reach the bond only on the VLANs where we are DF, and never
// when they come from a VTEP of another PE of the segment (local bias).
import type { BestPathChange, BgpSpeaker, EvpnRoute, RouteByFamily } from '../bgp/index.js';
import { normaliseRouteTarget } from '../bgp/index.js';
import { esImportOf, lacpEsi, reservedEsi, type EsiSource, type EvpnEsConfig } from '../controller/config-es.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { agreedAlgorithm, electDf, type DfAlgorithm } from './df-election.js';
import type { EviConfig } from './evpn.js';

/** MAX-ET, the Ethernet tag of a per-ES A-D route (RFC 7432 §8.2.1). */
export const MAX_ET = 0xffffffff;

/** A bond with an Ethernet segment, as the config gives it. */
export interface SegmentConfig {
  bond: string;
  bridge: string;
  /** the VLANs the bond carries (access VLAN, or the trunk's allowed VLANs) */
  vlans: number[];
  es: EvpnEsConfig;
}

/** What a segment needs of the dataplane. */
export interface SegmentDataplane {
  segments: { set(port: string, ndfVlans: number[], peers: string[]): void; del(port: string): boolean };
  fdbFlush(filter: { port?: string }): number;
}

type Phase = 'down' | 'waiting' | 'elected';

/** An LACP partner as its LACPDUs name it: the CE's system ID and key. */
export interface LacpPartner { system: string; key: number }

/** One local segment: its config, its ESI, EVIs, the PEs heard, the election. */
class Segment {
  up = false;
  /** the ESI now: the config's, or derived from `partner` (null: auto, no partner heard yet) */
  esi: string | null;
  /** auto: the partner the ESI was derived from */
  partner: LacpPartner | null = null;
  /** auto: a derived ESI refused because another local bond already has it */
  conflict: { esi: string; bond: string } | null = null;
  phase: Phase = 'down';
  timer: unknown = null;
  /** type-4 route key -> the PE (originating IP) and the DF type it asked for */
  readonly peers = new Map<string, { pe: string; df: string | null }>();
  evis: EviConfig[] = [];
  /** VNI -> the DF elected (null: none yet) */
  df = new Map<number, string | null>();
  algorithm: DfAlgorithm = 'modulo';
  elections = 0;
  constructor(public cfg: SegmentConfig) { this.esi = cfg.es.esi; }
}

/** Routes advertised and a DF role possible: the bond carries traffic and the ESI is known. */
const live = (s: Segment): boolean => s.up && s.esi !== null;

/** A segment as `evpn es show` reports it. */
export interface SegmentReport {
  /** '' while an auto ESI waits for a partner */
  esi: string;
  esiSource: EsiSource;
  /** auto: the partner system ID and key the ESI comes from (null: none heard yet) */
  partner: LacpPartner | null;
  /** auto: a derived ESI refused because another local bond has it */
  conflict: { esi: string; bond: string } | null;
  bond: string;
  up: boolean;
  phase: Phase;
  algorithm: DfAlgorithm;
  pes: string[];
  df: { vni: number; vlan: number; df: string | null; local: boolean }[];
  elections: number;
}

export class SegmentManager {
  private readonly segments = new Map<string, Segment>(); // by bond
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly dp: SegmentDataplane,
    private readonly speaker: BgpSpeaker,
    private readonly vtep: string,
    private readonly serialize: <T>(fn: () => T) => Promise<T>,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {
    // type-4 routes carry the ES-Import target, not an EVI's: all of them, filtered by ESI here
    this.unsubscribe = speaker.subscribe('evpn', (changes) => {
      const t4 = changes.filter((c) => (c.route as EvpnRoute).type === 4);
      if (t4.length) void this.serialize(() => this.onEsRoutes(t4));
    });
  }

  /** Makes the segments those of `segs`, with the EVIs on them. */
  apply(segs: SegmentConfig[], evis: EviConfig[]): void {
    const want = new Map(segs.map((s) => [s.bond, s]));
    for (const [bond, s] of this.segments) {
      const n = want.get(bond);
      if (!n || JSON.stringify(n) !== JSON.stringify(s.cfg)) this.remove(s);
    }
    for (const [bond, cfg] of want) {
      let s = this.segments.get(bond);
      if (!s) {
        this.segments.set(bond, (s = new Segment(cfg)));
        if (s.esi !== null) this.replayEsRoutes(s);
      }
      const on = evis.filter((e) => e.bridge === cfg.bridge && cfg.vlans.includes(e.vlan));
      if (JSON.stringify(on) !== JSON.stringify(s.evis)) {
        if (live(s)) this.withdrawAll(s);
        s.evis = on;
        if (live(s)) this.originateAll(s);
        this.elect(s);
      }
    }
  }

  /** The bond `bond` came up (a member collecting) or went down. */
  setBondUp(bond: string, up: boolean): void {
    const s = this.segments.get(bond);
    if (!s || s.up === up) return;
    s.up = up;
    if (up && s.esi === null) {
      this.log.info({ module: 'evpn-mh', bond }, 'Ethernet segment up, its ESI waiting for an LACP partner: no routes, non-DF');
      this.program(s);
      return;
    }
    this.log.info({ module: 'evpn-mh', bond, esi: s.esi }, up ? 'Ethernet segment up' : 'Ethernet segment down: its routes withdrawn');
    if (up) {
      this.originateAll(s);
      this.startWait(s);
    } else {
      if (s.esi !== null) this.withdrawAll(s);
      this.stopTimer(s);
      s.phase = 'down';
      this.program(s);
      this.dp.fdbFlush({ port: bond });
    }
  }

  /** The LACP partner of bond `bond`'s aggregated members (null: none now).
   *  For an `auto` segment this derives the ESI (module header): a partner
   *  heard first derives it, the same partner or none keeps it, a different
   *  one replaces it.  Other segments ignore it. */
  setPartner(bond: string, partner: LacpPartner | null): void {
    const s = this.segments.get(bond);
    if (!s || s.cfg.es.esiSource !== 'auto' || !partner) return;
    const esi = lacpEsi(partner.system, partner.key);
    if (esi === s.esi) {
      s.partner = partner;
      s.conflict = null;
      return;
    }
    if (reservedEsi(esi) || /^00(:00){5}$/.test(partner.system)) return; // not a partner's identity
    const other = [...this.segments.values()].find((x) => x !== s && x.esi === esi);
    if (other) {
      if (s.conflict?.esi !== esi)
        this.log.error({ module: 'evpn-mh', bond, esi, other: other.cfg.bond }, `LACP partner ${partner.system} key ${partner.key} gives ESI ${esi}, already the segment of bond ${other.cfg.bond}: not used`);
      s.conflict = { esi, bond: other.cfg.bond };
      return;
    }
    const old = s.esi;
    if (s.up) {
      this.withdrawAll(s); // the old segment's routes, if any
      this.dp.fdbFlush({ port: bond }); // its MACs were advertised with the old ESI (or none)
    }
    this.stopTimer(s);
    s.esi = esi;
    s.partner = partner;
    s.conflict = null;
    s.peers.clear();
    s.df = new Map();
    s.phase = 'down';
    this.log.info({ module: 'evpn-mh', bond, esi, old, partner: partner.system, key: partner.key }, old === null ? 'ESI derived from the LACP partner' : 'LACP partner changed: a new ESI, the old one withdrawn');
    this.replayEsRoutes(s);
    if (s.up) {
      this.originateAll(s);
      this.startWait(s);
    } else this.program(s);
  }

  /** The ESI of the segment on local port `port`, if it is up. */
  esiOfPort(port: string): string | null {
    const s = this.segments.get(port);
    return s?.up ? s.esi : null;
  }

  /** The bond of local segment `esi`, if it is up. */
  bondOfEsi(esi: string): string | null {
    for (const s of this.segments.values()) if (live(s) && s.esi === esi) return s.cfg.bond;
    return null;
  }

  report(): SegmentReport[] {
    return [...this.segments.values()].map((s) => ({
      esi: s.esi ?? '', esiSource: s.cfg.es.esiSource, partner: s.partner && { ...s.partner }, conflict: s.conflict && { ...s.conflict }, bond: s.cfg.bond, up: s.up, phase: s.phase, algorithm: s.algorithm, pes: this.pes(s), elections: s.elections,
      df: s.evis.map((e) => { const df = s.df.get(e.vni) ?? null; return { vni: e.vni, vlan: e.vlan, df, local: df === this.vtep }; }),
    }));
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const s of [...this.segments.values()]) this.remove(s);
  }

  // ---- routes we originate ---------------------------------------------------

  private rd(): string { return `${this.vtep}:0`; }

  private esRoute(esi: string): EvpnRoute {
    return { type: 4, rd: this.rd(), esi, originatorIp: this.vtep };
  }
  private perEsAd(esi: string): EvpnRoute {
    return { type: 1, rd: this.rd(), esi, ethernetTag: MAX_ET, label: 0 };
  }
  private perEviAd(esi: string, e: EviConfig): EvpnRoute {
    return { type: 1, rd: e.rd, esi, ethernetTag: 0, label: e.vni };
  }

  /** The segment's routes under its ESI now (none while it has none). */
  private originateAll(s: Segment): void {
    const esi = s.esi;
    if (esi === null) return;
    const es = s.cfg.es;
    // modulo is what a PE naming no algorithm gets (RFC 8584 §2.2.1): the DF Election
    // community only for HRW (GoBGP 3.10 treats an UPDATE carrying it as a withdraw)
    const df = es.dfElection === 'modulo' ? [] : [`df-election:${es.dfElection}`];
    this.speaker.originate('evpn', this.esRoute(esi), { extCommunities: [`es-import:${esImportOf(esi)}`, ...df], nextHop: this.vtep });
    if (!s.evis.length) return;
    const rts = [...new Set(s.evis.flatMap((e) => e.exportRts.map(normaliseRouteTarget)))];
    this.speaker.originate('evpn', this.perEsAd(esi), { extCommunities: [...rts, 'esi-label:0', 'encap:vxlan'], nextHop: this.vtep });
    for (const e of s.evis)
      this.speaker.originate('evpn', this.perEviAd(esi, e), { extCommunities: [...e.exportRts.map(normaliseRouteTarget), 'encap:vxlan'], nextHop: this.vtep });
  }

  private withdrawAll(s: Segment): void {
    const esi = s.esi;
    if (esi === null) return;
    this.speaker.withdraw('evpn', this.perEsAd(esi)); // first: the mass withdraw
    for (const e of s.evis) this.speaker.withdraw('evpn', this.perEviAd(esi, e));
    this.speaker.withdraw('evpn', this.esRoute(esi));
  }

  private remove(s: Segment): void {
    if (live(s)) this.withdrawAll(s);
    this.stopTimer(s);
    this.dp.segments.del(s.cfg.bond);
    this.segments.delete(s.cfg.bond);
  }

  // ---- the PEs of each segment (type-4 routes) -----------------------------

  private replayEsRoutes(s: Segment): void {
    const present: BestPathChange<RouteByFamily['evpn']>[] = [];
    for (const r of this.speaker.iterRoutes('evpn')) {
      const best = r.paths[0];
      if (best && (r.route as EvpnRoute).type === 4) present.push({ family: 'evpn', route: r.route, key: r.key, best });
    }
    this.onEsRoutes(present, s);
  }

  private onEsRoutes(changes: BestPathChange<RouteByFamily['evpn']>[], only?: Segment): void {
    const touched = new Map<Segment, 'joined' | 'left'>();
    for (const c of changes) {
      const r = c.route as EvpnRoute;
      if (r.type !== 4) continue;
      for (const s of only ? [only] : this.segments.values()) {
        if (s.esi !== r.esi) continue;
        const had = s.peers.has(c.key);
        const b = c.best;
        if (b && r.originatorIp !== this.vtep) {
          const df = (b.attrs.extCommunities ?? []).find((x) => x.startsWith('df-election:'))?.slice(12).split(':')[0] ?? null;
          s.peers.set(c.key, { pe: r.originatorIp, df });
          if (!had) touched.set(s, 'joined');
        } else if (had) {
          s.peers.delete(c.key);
          if (touched.get(s) !== 'joined') touched.set(s, 'left');
        }
      }
    }
    for (const [s, how] of touched) {
      this.log.info({ module: 'evpn-mh', esi: s.esi, pes: this.pes(s) }, how === 'joined' ? 'a PE joined the Ethernet segment' : 'a PE left the Ethernet segment');
      if (!live(s)) this.program(s);
      else if (how === 'joined') this.startWait(s);
      else if (s.phase === 'elected') this.elect(s); // RFC 8584 §2.1: a PE lost, elect now
      else this.program(s); // still waiting: the timer elects
    }
  }

  private pes(s: Segment): string[] {
    const all = [...new Set([...s.peers.values()].map((p) => p.pe))];
    if (live(s)) all.push(this.vtep);
    return all;
  }

  // ---- election --------------------------------------------------------------

  private stopTimer(s: Segment): void {
    if (s.timer) this.clock.clearTimeout(s.timer);
    s.timer = null;
  }

  /** RFC 7432 §8.5 step 2: wait for the other PEs' routes, non-DF meanwhile. */
  private startWait(s: Segment): void {
    this.stopTimer(s);
    s.phase = 'waiting';
    s.df = new Map(s.evis.map((e) => [e.vni, null]));
    this.program(s);
    s.timer = this.clock.setTimeout(() => {
      s.timer = null;
      void this.serialize(() => { if (this.segments.get(s.cfg.bond) === s && live(s)) this.elect(s); });
    }, s.cfg.es.dfTimerMs);
  }

  private elect(s: Segment): void {
    const esi = s.esi;
    if (!s.up || esi === null || (s.phase === 'waiting' && s.timer !== null)) {
      this.program(s);
      return;
    }
    s.phase = 'elected';
    s.elections++;
    const own = s.cfg.es.dfElection;
    s.algorithm = agreedAlgorithm([own, ...[...s.peers.values()].map((p) => p.df)]);
    const pes = this.pes(s);
    const before = s.df;
    s.df = new Map(s.evis.map((e) => [e.vni, electDf(s.algorithm, pes, e.vni, esi)]));
    for (const e of s.evis) {
      const df = s.df.get(e.vni) ?? null;
      if (before.get(e.vni) !== df)
        this.log.info({ module: 'evpn-mh', esi: s.esi, vni: e.vni, df, local: df === this.vtep, algorithm: s.algorithm }, 'designated forwarder elected');
    }
    this.program(s);
  }

  /** Writes the segment's filter: non-DF VLANs and the other PEs (local bias). */
  private program(s: Segment): void {
    if (!live(s)) {
      // down: nothing floods into it from us anyway; keep no stale DF state.
      // Up with no ESI yet (auto, no partner): not a DF on any VLAN.
      this.dp.segments.set(s.cfg.bond, s.evis.map((e) => e.vlan), []);
      return;
    }
    const ndf = s.evis.filter((e) => s.phase !== 'elected' || s.df.get(e.vni) !== this.vtep).map((e) => e.vlan);
    const peers = this.pes(s).filter((p) => p !== this.vtep).slice(0, 8);
    this.dp.segments.set(s.cfg.bond, ndf, peers);
  }
}
