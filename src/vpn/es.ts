// Local Ethernet segments of EVPN multihoming, all-active (RFC 7432 §8, §14;
// RFC 8365 §8): a bond (config-es.ts) that other hypervisors attach to the
// same physical segment, under the same ESI and the same LACP system ID.
//
// Per segment, while the bond is up (some member collecting), we originate
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
import type { EvpnEsConfig } from '../controller/config-es.js';
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

/** One local segment: its config, EVIs, the PEs heard, the election. */
class Segment {
  up = false;
  phase: Phase = 'down';
  timer: unknown = null;
  /** type-4 route key -> the PE (originating IP) and the DF type it asked for */
  readonly peers = new Map<string, { pe: string; df: string | null }>();
  evis: EviConfig[] = [];
  /** VNI -> the DF elected (null: none yet) */
  df = new Map<number, string | null>();
  algorithm: DfAlgorithm = 'modulo';
  elections = 0;
  constructor(public cfg: SegmentConfig) {}
}

/** A segment as `evpn es show` reports it. */
export interface SegmentReport {
  esi: string;
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
        this.replayEsRoutes(s);
      }
      const on = evis.filter((e) => e.bridge === cfg.bridge && cfg.vlans.includes(e.vlan));
      if (JSON.stringify(on) !== JSON.stringify(s.evis)) {
        if (s.up) this.withdrawAll(s);
        s.evis = on;
        if (s.up) this.originateAll(s);
        this.elect(s);
      }
    }
  }

  /** The bond `bond` came up (a member collecting) or went down. */
  setBondUp(bond: string, up: boolean): void {
    const s = this.segments.get(bond);
    if (!s || s.up === up) return;
    s.up = up;
    this.log.info({ module: 'evpn-mh', bond, esi: s.cfg.es.esi }, up ? 'Ethernet segment up' : 'Ethernet segment down: its routes withdrawn');
    if (up) {
      this.originateAll(s);
      this.startWait(s);
    } else {
      this.withdrawAll(s);
      this.stopTimer(s);
      s.phase = 'down';
      this.program(s);
      this.dp.fdbFlush({ port: bond });
    }
  }

  /** The ESI of the segment on local port `port`, if it is up. */
  esiOfPort(port: string): string | null {
    const s = this.segments.get(port);
    return s?.up ? s.cfg.es.esi : null;
  }

  /** The bond of local segment `esi`, if it is up. */
  bondOfEsi(esi: string): string | null {
    for (const s of this.segments.values()) if (s.up && s.cfg.es.esi === esi) return s.cfg.bond;
    return null;
  }

  report(): SegmentReport[] {
    return [...this.segments.values()].map((s) => ({
      esi: s.cfg.es.esi, bond: s.cfg.bond, up: s.up, phase: s.phase, algorithm: s.algorithm, pes: this.pes(s), elections: s.elections,
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

  private esRoute(s: Segment): EvpnRoute {
    return { type: 4, rd: this.rd(), esi: s.cfg.es.esi, originatorIp: this.vtep };
  }
  private perEsAd(s: Segment): EvpnRoute {
    return { type: 1, rd: this.rd(), esi: s.cfg.es.esi, ethernetTag: MAX_ET, label: 0 };
  }
  private perEviAd(s: Segment, e: EviConfig): EvpnRoute {
    return { type: 1, rd: e.rd, esi: s.cfg.es.esi, ethernetTag: 0, label: e.vni };
  }

  private originateAll(s: Segment): void {
    const es = s.cfg.es;
    // modulo is what a PE naming no algorithm gets (RFC 8584 §2.2.1): the DF Election
    // community only for HRW (GoBGP 3.10 treats an UPDATE carrying it as a withdraw)
    const df = es.dfElection === 'modulo' ? [] : [`df-election:${es.dfElection}`];
    this.speaker.originate('evpn', this.esRoute(s), { extCommunities: [`es-import:${es.esImport}`, ...df], nextHop: this.vtep });
    if (!s.evis.length) return;
    const rts = [...new Set(s.evis.flatMap((e) => e.exportRts.map(normaliseRouteTarget)))];
    this.speaker.originate('evpn', this.perEsAd(s), { extCommunities: [...rts, 'esi-label:0', 'encap:vxlan'], nextHop: this.vtep });
    for (const e of s.evis)
      this.speaker.originate('evpn', this.perEviAd(s, e), { extCommunities: [...e.exportRts.map(normaliseRouteTarget), 'encap:vxlan'], nextHop: this.vtep });
  }

  private withdrawAll(s: Segment): void {
    this.speaker.withdraw('evpn', this.perEsAd(s)); // first: the mass withdraw
    for (const e of s.evis) this.speaker.withdraw('evpn', this.perEviAd(s, e));
    this.speaker.withdraw('evpn', this.esRoute(s));
  }

  private remove(s: Segment): void {
    if (s.up) this.withdrawAll(s);
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
        if (s.cfg.es.esi !== r.esi) continue;
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
      this.log.info({ module: 'evpn-mh', esi: s.cfg.es.esi, pes: this.pes(s) }, how === 'joined' ? 'a PE joined the Ethernet segment' : 'a PE left the Ethernet segment');
      if (!s.up) this.program(s);
      else if (how === 'joined') this.startWait(s);
      else if (s.phase === 'elected') this.elect(s); // RFC 8584 §2.1: a PE lost, elect now
      else this.program(s); // still waiting: the timer elects
    }
  }

  private pes(s: Segment): string[] {
    const all = [...new Set([...s.peers.values()].map((p) => p.pe))];
    if (s.up) all.push(this.vtep);
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
      void this.serialize(() => { if (this.segments.get(s.cfg.bond) === s && s.up) this.elect(s); });
    }, s.cfg.es.dfTimerMs);
  }

  private elect(s: Segment): void {
    if (!s.up || (s.phase === 'waiting' && s.timer !== null)) {
      this.program(s);
      return;
    }
    s.phase = 'elected';
    s.elections++;
    const own = s.cfg.es.dfElection;
    s.algorithm = agreedAlgorithm([own, ...[...s.peers.values()].map((p) => p.df)]);
    const pes = this.pes(s);
    const before = s.df;
    s.df = new Map(s.evis.map((e) => [e.vni, electDf(s.algorithm, pes, e.vni, s.cfg.es.esi)]));
    for (const e of s.evis) {
      const df = s.df.get(e.vni) ?? null;
      if (before.get(e.vni) !== df)
        this.log.info({ module: 'evpn-mh', esi: s.cfg.es.esi, vni: e.vni, df, local: df === this.vtep, algorithm: s.algorithm }, 'designated forwarder elected');
    }
    this.program(s);
  }

  /** Writes the segment's filter: non-DF VLANs and the other PEs (local bias). */
  private program(s: Segment): void {
    if (!s.up) {
      // down: nothing floods into it from us anyway; keep no stale DF state
      this.dp.segments.set(s.cfg.bond, s.evis.map((e) => e.vlan), []);
      return;
    }
    const ndf = s.evis.filter((e) => s.phase !== 'elected' || s.df.get(e.vni) !== this.vtep).map((e) => e.vlan);
    const peers = this.pes(s).filter((p) => p !== this.vtep).slice(0, 8);
    this.dp.segments.set(s.cfg.bond, ndf, peers);
  }
}
