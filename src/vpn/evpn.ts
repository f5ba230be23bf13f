// EVPN over VXLAN (RFC 7432, RFC 8365): one instance (EVI) per stretched
// (bridge domain, VLAN), VLAN-based service (Ethernet tag 0), between the
// BGP speaker and the dataplane.  Neither knows the other; this module does.
//
// Export (local -> BGP).  Every MAC the switch learns on a local port of the
// instance's bridge and VLAN is advertised as a type-2 route (RD, ESI 0, tag
// 0, MAC, VNI in the label field, RFC 8365 §5.1.3) with the export route
// targets, the VXLAN encapsulation extended community (RFC 9012 tunnel type 8)
// and our VTEP as next hop; an aged MAC is withdrawn.  One type-3 (IMET) route
// per instance carries a PMSI tunnel attribute: ingress replication (type 6),
// the VNI as label, our VTEP as tunnel endpoint (RFC 8365 §9).
//
// Import (BGP -> dataplane).  The instance subscribes to the speaker's best
// EVPN paths carrying one of its import route targets (and so announces them
// as RT-constraint memberships, RFC 4684).  A type-3 route makes its VTEP a
// member of the VLAN's flood list (split-horizon group TUNNEL_GROUP: BUM from
// a tunnel never goes back into one); a type-2 route points the MAC's FDB
// entry at the tunnel to (next hop, VNI).  Several advertisements of one MAC
// (different RDs: a MAC that moved) are ranked by MAC mobility, RFC 7432
// §15: the highest sequence number, then the lowest VTEP address.
//
// Mobility.  A MAC learned locally while a remote route for it exists is a
// move to us: we advertise it with the remote's sequence number + 1, so the
// other VTEPs (and we) switch to ours.  A remote route with a higher sequence
// than ours means the MAC moved away: our route is withdrawn and the remote
// entry installed (learning never overwrites a remote entry silently: the core
// reports the move, and this module decides).
//
// Multihoming (RFC 7432 §8, §14).  A MAC learned on a bond with an Ethernet
// segment (es.ts) is advertised with the segment's ESI.  A MAC advertised with
// an ESI is installed toward the segment's aliasing group (aliasing.ts); one
// advertised by another PE of one of our own segments goes straight to our
// bond (a static entry: learning does not turn it into a move), unless we
// learned it there too.
//
// Every dataplane write from an import runs in the controller's serialized
// queue, after the BGP changes of one event-loop turn are gathered: the
// subscription, batching, queueing and RT-constraint memberships are
// rt-import.ts's, shared with the IP-VPN importer (l3vpn.ts).
import type { BestPathChange, BgpSpeaker, EvpnRoute, PathAttrs, RouteByFamily } from '../bgp/index.js';
import { compareMacMobility, macMobility, normaliseRouteTarget } from '../bgp/index.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { AliasGroups, AliasTable, ZERO_ESI, type GroupBackend } from './aliasing.js';
import type { SegmentManager } from './es.js';
import { RemoteMacTable, type Installed, type RemoteMac } from './remote-macs.js';
import { RtImport } from './rt-import.js';
import { TunnelPool, type TunnelBackend } from './tunnels.js';

/** The split-horizon group of every tunnel flood member and of the underlay port. */
export const TUNNEL_GROUP = 1;
/** RFC 7432 §15.1 duplicate MAC detection: this many moves within DUP_WINDOW_MS. */
export const DUP_MOVES = 5;
export const DUP_WINDOW_MS = 180_000;

/** An EVPN instance: a VLAN of a bridge, its VNI, RD and route targets (canonical `rt:` text). */
export interface EviConfig {
  bridge: string;
  vlan: number;
  vni: number;
  rd: string;
  importRts: string[];
  exportRts: string[];
}

type TunnelEgress = { kind: 'tunnel' | 'group'; index: number };
/** An EVPN route as the speaker reports it (types 1-5, or an opaque other type). */
type AnyEvpn = RouteByFamily['evpn'];

/** What the instances need of the dataplane (the Dataplane facade has it). */
export interface EvpnDataplane extends TunnelBackend, GroupBackend {
  fdbAddStatic(bridge: string, vlan: number, mac: string, port: string): void;
  /** writes the first n entries (macs[i] behind egress[i]) and returns n (the rest: FDB full) */
  fdbAddRemoteColumns(bridge: string, vlan: number, macs: readonly string[], egress: readonly TunnelEgress[]): number;
  fdbDel(bridge: string, vlan: number, mac: string): boolean;
  floodAdd(bridge: string, vlan: number, egress: TunnelEgress, group?: number): void;
  floodDel(bridge: string, vlan: number, egress: TunnelEgress): boolean;
  vniSet(vni: number, bridge: string, vlan: number): void;
  vniDel(vni: number): boolean;
  fdb(filter: { bridge?: string; vlan?: number }): { mac: string; kind: string }[];
}

/** A MAC event of the dataplane, as much of it as EVPN reads. */
export interface LocalMacEvent {
  kind: 'learned' | 'moved' | 'aged' | 'overflow';
  bridge?: string;
  vlan?: number;
  mac?: string;
  port?: string;
}

/** One EVI: its advertised routes and what its imports installed. */
class Instance {
  readonly local = new Map<string, number>(); // MAC -> sequence number we advertise
  readonly localIps = new Map<string, Set<string>>(); // MAC -> IPs snooped for it (MAC/IP routes)
  readonly imets = new Map<string, Installed>(); // type-3 route key -> the flood member it added
  // MAC -> its type-2 advertisements and the remote FDB entry we installed for it
  readonly remote = new RemoteMacTable();
  readonly flood = new Map<string, number>(); // "vtep/vni" -> IMET routes naming it
  readonly alias = new AliasTable(); // other PEs' segments: A-D routes, MACs per ESI
  readonly localEsi = new Map<string, string>(); // local MAC -> the ESI of the segment it was learned on
  importer: RtImport | null = null;
  constructor(readonly cfg: EviConfig) {}
}

/** What `settle` decided over one batch: remote FDB entries, written to the core
 *  in one call, and the tunnel references to let go once they are written (an
 *  entry must never point at a tunnel id already freed, and maybe reused).
 *  The entries are columns (entry i: macs[i] behind egress[i], installed as
 *  (toVtep[i], toVni[i])) of strings and handles that exist already: an
 *  import batch builds no object per MAC. */
class Batch {
  readonly macs: string[] = [];
  readonly egress: TunnelEgress[] = [];
  readonly toVtep: string[] = [];
  readonly toVni: number[] = [];
  readonly unrefs: Installed[] = [];
  add(mac: string, egress: TunnelEgress, vtep: string, vni: number): void {
    this.macs.push(mac); this.egress.push(egress); this.toVtep.push(vtep); this.toVni.push(vni);
  }
}
const newBatch = (): Batch => new Batch();

export class EvpnManager {
  private readonly instances = new Map<string, Instance>(); // "bridge/vlan"
  /** move times per "vni/mac" within the detection window */
  private readonly moves = new Map<string, number[]>();
  private readonly vxlanByAttrs = new WeakMap<PathAttrs, boolean>();
  readonly tunnels: TunnelPool;
  readonly groups: AliasGroups;
  /** our Ethernet segments (es.ts), when there are any */
  segments: SegmentManager | null = null;

  constructor(
    private readonly dp: EvpnDataplane,
    private readonly speaker: BgpSpeaker,
    private readonly vtep: string,
    private readonly serialize: <T>(fn: () => T) => Promise<T>,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {
    this.tunnels = new TunnelPool(dp);
    this.groups = new AliasGroups(dp, this.tunnels);
  }

  /** Lets go of what an installed entry holds: a tunnel or an aliasing group reference. */
  private release(to: Installed): void {
    if (to.vtep.startsWith('es:')) this.groups.unref(to.vtep.slice(3), to.vni);
    else if (!to.vtep.startsWith('bond:')) this.tunnels.unref(to.vtep, to.vni);
  }

  /** Counts a move of `mac`; warns when it moved DUP_MOVES times within the
   *  window (RFC 7432 §15.1: a duplicate MAC, e.g. a loop or two VMs sharing it). */
  private moved(inst: Instance, mac: string, from: string, to: string): void {
    const k = `${inst.cfg.vni}/${mac}`;
    const now = this.clock.now();
    const times = (this.moves.get(k) ?? []).filter((t) => now - t < DUP_WINDOW_MS);
    times.push(now);
    this.moves.set(k, times);
    if (times.length === DUP_MOVES)
      this.log.warn({ module: 'evpn', vni: inst.cfg.vni, mac, from, to, moves: times.length, windowSeconds: DUP_WINDOW_MS / 1000 }, 'duplicate MAC: it keeps moving between VTEPs');
  }

  /** Makes the instances those of `evis`: new ones start, gone or changed ones stop first. */
  apply(evis: EviConfig[]): void {
    const want = new Map(evis.map((e) => [`${e.bridge}/${e.vlan}`, e]));
    for (const [k, inst] of this.instances) {
      const next = want.get(k);
      if (!next || JSON.stringify(next) !== JSON.stringify(inst.cfg)) this.stop(k, inst);
    }
    for (const [k, e] of want) if (!this.instances.has(k)) this.start(k, e);
  }

  /** Stops every instance: its routes withdrawn, its remote entries removed. */
  close(): void {
    for (const [k, inst] of this.instances) this.stop(k, inst);
  }

  list(): { cfg: EviConfig; localMacs: number; remoteMacs: number; vteps: { vtep: string; vni: number; flood: boolean; macs: number }[] }[] {
    return [...this.instances.values()].map((i) => {
      const vteps = new Map<string, { vtep: string; vni: number; flood: boolean; macs: number }>();
      const at = (vtep: string, vni: number) => {
        const k = `${vtep}/${vni}`;
        let v = vteps.get(k);
        if (!v) vteps.set(k, (v = { vtep, vni, flood: false, macs: 0 }));
        return v;
      };
      for (const k of i.flood.keys()) {
        const [vtep, vni] = k.split('/');
        at(vtep!, Number(vni)).flood = true;
      }
      // MACs behind an aliasing group or our own bond are `evpn es show`'s
      for (const [, m] of i.remote.installedEntries()) if (!m.vtep.startsWith('es:') && !m.vtep.startsWith('bond:')) at(m.vtep, m.vni).macs++;
      return { cfg: i.cfg, localMacs: i.local.size, remoteMacs: i.remote.installedCount, vteps: [...vteps.values()] };
    });
  }

  /** Other PEs' segments each instance sees, with their aliasing sets (`evpn es show`). */
  remoteSegments(): { esi: string; vni: number; vteps: string[] }[] {
    return [...this.instances.values()].flatMap((i) => i.alias.esis().map((esi) => ({ esi, vni: i.cfg.vni, vteps: i.alias.aliasSet(esi) })));
  }

  /** Withdraws the local MACs the FDB no longer has as learned (after a flush,
   *  or ports removed or moved: the core reports no event for those). */
  resync(): void {
    for (const inst of this.instances.values()) {
      const learned = new Set(this.dp.fdb({ bridge: inst.cfg.bridge, vlan: inst.cfg.vlan }).filter((e) => e.kind === 'learned').map((e) => e.mac));
      for (const mac of [...inst.local.keys()]) if (!learned.has(mac)) this.localGone(inst, mac);
    }
  }

  /** Local MAC events from the dataplane (learned, moved, aged). */
  onMacEvents(events: LocalMacEvent[]): void {
    for (const e of events) {
      if (e.kind === 'overflow' || e.bridge === undefined || e.mac === undefined) continue;
      const inst = this.instances.get(`${e.bridge}/${e.vlan}`);
      if (!inst) continue;
      if (e.kind === 'aged') this.localGone(inst, e.mac);
      else this.localSeen(inst, e.mac, e.port);
    }
  }

  private start(key: string, cfg: EviConfig): void {
    const inst = new Instance(cfg);
    this.instances.set(key, inst);
    this.dp.vniSet(cfg.vni, cfg.bridge, cfg.vlan);
    this.speaker.originate('evpn', this.imetRoute(cfg), {
      extCommunities: this.exportCommunities(cfg, 0),
      pmsiTunnel: { flags: 0, tunnelType: 6, label: cfg.vni, tunnelId: this.vtep },
      nextHop: this.vtep,
    });
    // best paths with our import targets, RTC memberships, the RIB's routes now (rt-import.ts)
    inst.importer = new RtImport(this.speaker, ['evpn'], cfg.importRts, this.serialize, (changes) => this.onBest(inst, changes as BestPathChange<AnyEvpn>[]));
    this.log.info({ module: 'evpn', bridge: cfg.bridge, vlan: cfg.vlan, vni: cfg.vni, rd: cfg.rd }, 'evpn instance started');
  }

  private stop(key: string, inst: Instance): void {
    const cfg = inst.cfg;
    inst.importer?.close();
    this.speaker.withdraw('evpn', this.imetRoute(cfg));
    for (const mac of [...inst.local.keys()]) this.unadvertise(inst, mac);
    for (const [mac, m] of inst.remote.installedEntries()) {
      this.dp.fdbDel(cfg.bridge, cfg.vlan, mac);
      this.release(m);
    }
    for (const k of inst.flood.keys()) this.floodLeave(inst, k, true);
    this.dp.vniDel(cfg.vni);
    this.instances.delete(key);
    this.log.info({ module: 'evpn', bridge: cfg.bridge, vlan: cfg.vlan, vni: cfg.vni }, 'evpn instance stopped');
  }

  private imetRoute(cfg: EviConfig): EvpnRoute {
    return { type: 3, rd: cfg.rd, ethernetTag: 0, originatorIp: this.vtep };
  }

  private macRoute(cfg: EviConfig, mac: string, ip: string | null = null, esi = '0'): EvpnRoute {
    return { type: 2, rd: cfg.rd, esi, ethernetTag: 0, mac, ip, labels: [cfg.vni] };
  }

  private exportCommunities(cfg: EviConfig, seq: number): string[] {
    const c = [...cfg.exportRts.map(normaliseRouteTarget), 'encap:vxlan'];
    if (seq > 0) c.push(`mac-mobility:${seq}`);
    return c;
  }

  // ---- export --------------------------------------------------------------

  /** Our type-2 routes for `mac`: the MAC alone and with each IP snooped for it. */
  private advertise(inst: Instance, mac: string, seq: number): void {
    inst.local.set(mac, seq);
    const attrs = { extCommunities: this.exportCommunities(inst.cfg, seq), nextHop: this.vtep };
    const esi = inst.localEsi.get(mac);
    this.speaker.originate('evpn', this.macRoute(inst.cfg, mac, null, esi), attrs);
    for (const ip of inst.localIps.get(mac) ?? []) this.speaker.originate('evpn', this.macRoute(inst.cfg, mac, ip, esi), attrs);
  }

  private unadvertise(inst: Instance, mac: string): void {
    inst.local.delete(mac);
    this.speaker.withdraw('evpn', this.macRoute(inst.cfg, mac));
    for (const ip of inst.localIps.get(mac) ?? []) this.speaker.withdraw('evpn', this.macRoute(inst.cfg, mac, ip));
    inst.localIps.delete(mac);
    inst.localEsi.delete(mac);
  }

  /** An IP a local VM showed for its MAC (ARP/ND snooping, snoop.ts): a MAC/IP route. */
  onSnoop(bridge: string, vlan: number, mac: string, ip: string): void {
    const inst = this.instances.get(`${bridge}/${vlan}`);
    const seq = inst?.local.get(mac);
    if (!inst || seq === undefined) return; // not (or no longer) a local MAC of an instance
    let ips = inst.localIps.get(mac);
    if (!ips) inst.localIps.set(mac, (ips = new Set()));
    if (ips.has(ip)) return;
    ips.add(ip);
    this.speaker.originate('evpn', this.macRoute(inst.cfg, mac, ip, inst.localEsi.get(mac)), { extCommunities: this.exportCommunities(inst.cfg, seq), nextHop: this.vtep });
  }

  private localSeen(inst: Instance, mac: string, port?: string): void {
    const best = this.bestRemote(inst, mac);
    const moved = inst.remote.installed(mac);
    if (moved) {
      // learned over our remote entry: the MAC moved here (the core replaced the entry)
      inst.remote.deleteInstalled(mac);
      this.release(moved);
    }
    const esi = port !== undefined ? this.segments?.esiOfPort(port) ?? undefined : undefined;
    const esiChanged = inst.local.has(mac) && inst.localEsi.get(mac) !== esi;
    if (esi) inst.localEsi.set(mac, esi);
    else inst.localEsi.delete(mac);
    const cur = inst.local.get(mac);
    const remoteSeq = best ? (macMobility(best.attrs)?.seq ?? 0) : -1;
    // RFC 7432 §15: the same MAC on the same segment behind another PE is not a move
    const sameEs = esi !== undefined && best?.esi === esi;
    if (cur !== undefined && (cur > remoteSeq || sameEs) && !esiChanged) return; // already advertised, still ours
    this.advertise(inst, mac, sameEs ? Math.max(remoteSeq, 0) : remoteSeq + 1);
    if (sameEs) return;
    if (moved) {
      this.log.info({ module: 'evpn', vni: inst.cfg.vni, mac, from: moved.vtep, seq: remoteSeq + 1 }, 'MAC moved here');
      this.moved(inst, mac, moved.vtep, this.vtep);
    }
  }

  private localGone(inst: Instance, mac: string): void {
    if (!inst.local.has(mac)) return;
    this.unadvertise(inst, mac);
    const batch = newBatch();
    this.settle(inst, mac, batch);
    this.write(inst, batch);
  }

  // ---- import --------------------------------------------------------------

  /** One batch of best-path changes, in the control queue (rt-import.ts). */
  private onBest(inst: Instance, changes: BestPathChange<AnyEvpn>[]): void {
    const touched = new Set<string>();
    for (const c of changes) {
      try {
        const r = c.route as EvpnRoute;
        if (r.type === 1) this.importAd(inst, c.key, r, c.best, touched);
        const mac = this.importOne(inst, c);
        if (mac) touched.add(mac);
      } catch (e) {
        this.log.warn({ module: 'evpn', vni: inst.cfg.vni, route: c.key, err: (e as Error).message }, 'evpn route not installed');
      }
    }
    const batch = newBatch();
    for (const mac of touched) this.settle(inst, mac, batch);
    this.write(inst, batch);
  }

  /** Writes the remote entries `settle` decided, then lets go of the tunnels
   *  they replaced; entries the FDB had no room for are not recorded as
   *  installed (a later change of the MAC retries them). */
  private write(inst: Instance, { macs, egress, toVtep, toVni, unrefs }: Batch): void {
    const cfg = inst.cfg;
    const n = macs.length ? this.dp.fdbAddRemoteColumns(cfg.bridge, cfg.vlan, macs, egress) : 0;
    for (let i = n; i < macs.length; i++) {
      const mac = macs[i]!, to = { vtep: toVtep[i]!, vni: toVni[i]! };
      this.dp.fdbDel(cfg.bridge, cfg.vlan, mac); // whatever it pointed at before, it is not ours now
      const cur = inst.remote.installed(mac);
      if (cur && cur.vtep === to.vtep && cur.vni === to.vni) inst.remote.deleteInstalled(mac);
      this.release(to);
    }
    for (const u of unrefs) this.release(u);
    if (n < macs.length)
      this.log.warn({ module: 'evpn', bridge: cfg.bridge, vlan: cfg.vlan, vni: cfg.vni, notInstalled: macs.length - n, first: macs[n]! }, 'FDB full: remote MACs not installed');
    else if (this.log.isLevelEnabled('debug')) this.log.debug({ module: 'evpn', vni: cfg.vni, macs: n }, 'remote MACs installed');
  }

  /** Records one best-path change; returns the MAC to re-decide, if any. */
  private importOne(inst: Instance, c: BestPathChange<AnyEvpn>): string | null {
    const r = c.route as EvpnRoute;
    let dropped = false;
    if (r.type === 3) {
      const prev = inst.imets.get(c.key);
      if (prev) {
        inst.imets.delete(c.key);
        this.floodLeave(inst, `${prev.vtep}/${prev.vni}`, false);
      }
    } else if (r.type === 2) dropped = inst.remote.dropCandidate(r.mac, r.rd, r.ip);
    const b = c.best;
    const remote = b && b.source !== 'local' && b.nextHop !== this.vtep;
    if (remote && r.type === 3 && this.vxlanOk(b.attrs)) {
      const t = b.attrs.pmsiTunnel;
      if (t && t.tunnelType !== 6) throw new Error(`PMSI tunnel type ${t.tunnelType} is not ingress replication`);
      const vtep = t?.tunnelId ?? r.originatorIp, vni = t?.label ?? inst.cfg.vni;
      if (vtep !== this.vtep) {
        inst.imets.set(c.key, { vtep, vni });
        this.floodJoin(inst, `${vtep}/${vni}`);
        this.log.debug({ module: 'evpn', vni: inst.cfg.vni, vtep }, 'flood list member added');
      }
      return null;
    }
    if (remote && r.type === 2 && r.ethernetTag === 0 && this.vxlanOk(b.attrs)) {
      const esi = r.esi !== ZERO_ESI ? r.esi : undefined;
      if (esi) {
        inst.remote.addCandidate(r.mac, { rd: r.rd, ip: r.ip, vtep: b.nextHop, vni: r.labels[0] ?? inst.cfg.vni, attrs: b.attrs, esi });
        inst.alias.noteMac(esi, r.mac, true);
      } else inst.remote.add(r.mac, r.rd, r.ip, b.nextHop, r.labels[0] ?? inst.cfg.vni, b.attrs); // no object per MAC
      return r.mac;
    }
    return dropped ? (r as { mac: string }).mac : null;
  }

  /** An Ethernet A-D route (type 1): the segment's aliasing set may change;
   *  its group is updated in one write (mass withdraw) and its MACs re-decided. */
  private importAd(inst: Instance, key: string, r: Extract<EvpnRoute, { type: 1 }>, best: BestPathChange<AnyEvpn>['best'], touched: Set<string>): void {
    const esi = inst.alias.onAd(key, r, best && best.source !== 'local' && this.vxlanOk(best.attrs) ? best : null, this.vtep);
    if (!esi) return;
    const set = inst.alias.aliasSet(esi);
    this.groups.update(esi, inst.cfg.vni, set);
    this.log.debug({ module: 'evpn', vni: inst.cfg.vni, esi, vteps: set }, 'aliasing set');
    for (const mac of inst.alias.macs.get(esi) ?? []) touched.add(mac);
  }

  /** Routes that name an encapsulation must offer VXLAN (none named: VXLAN, RFC 8365 §5.1.3). */
  private vxlanOk(attrs: PathAttrs): boolean {
    let ok = this.vxlanByAttrs.get(attrs); // attribute sets are interned: one test per set
    if (ok === undefined) {
      const encaps = (attrs.extCommunities ?? []).filter((c) => c.startsWith('encap:'));
      this.vxlanByAttrs.set(attrs, (ok = encaps.length === 0 || encaps.includes('encap:vxlan')));
    }
    return ok;
  }

  private bestRemote(inst: Instance, mac: string): RemoteMac | null {
    const c = inst.remote.candidates(mac);
    let best: RemoteMac | null = null;
    for (const m of c) {
      if (!best || compareMacMobility({ attrs: m.attrs, nextHop: m.vtep }, { attrs: best.attrs, nextHop: best.vtep }) < 0) best = m;
    }
    return best;
  }

  /** settle() for a MAC that is not ours and has one advertisement (the bulk of
   *  an import), without building an object; false if it is not that case. */
  private settleSole(inst: Instance, mac: string, batch: Batch): boolean {
    const remote = inst.remote;
    const i = remote.sole(mac);
    if (i < 0) return false;
    if (remote.soleIsInstalled(i)) return true;
    const vtep = remote.soleVtep(i), vni = remote.soleVni(i);
    const curVtep = remote.installedVtepAt(i);
    // an entry toward a segment (aliasing group, our bond) goes the long way: settle() undoes it
    if (curVtep !== null && (curVtep.startsWith('es:') || curVtep.startsWith('bond:'))) return false;
    if (curVtep !== null) batch.unrefs.push({ vtep: curVtep, vni: remote.installedVniAt(i) });
    batch.add(mac, this.tunnels.refEgress(vtep, vni), vtep, vni);
    remote.installSole(i);
    return true;
  }

  /** Decides where `mac` lives after a change: here (our route) or at the best remote VTEP. */
  private settle(inst: Instance, mac: string, batch: Batch): void {
    if (!inst.local.has(mac) && this.settleSole(inst, mac, batch)) return;
    const cfg = inst.cfg;
    const best = this.bestRemote(inst, mac);
    const localSeq = inst.local.get(mac);
    // another PE of one of our own segments advertises it (RFC 7432 §14.1)
    const ownBond = best?.esi ? this.segments?.bondOfEsi(best.esi) ?? null : null;
    if (best && localSeq !== undefined) {
      if (ownBond !== null && inst.localEsi.get(mac) === best.esi) return; // behind our bond too: stays local
      const theirs = { attrs: best.attrs, nextHop: best.vtep };
      const ours = { attrs: { extCommunities: localSeq ? [`mac-mobility:${localSeq}`] : [] }, nextHop: this.vtep };
      if (compareMacMobility(ours, theirs) <= 0) return; // ours ranks first: stays local
      this.unadvertise(inst, mac); // it moved away
      this.log.info({ module: 'evpn', vni: cfg.vni, mac, to: best.vtep }, 'MAC moved away');
      this.moved(inst, mac, this.vtep, best.vtep);
    }
    const cur = inst.remote.installed(mac);
    const to = best ? this.target(inst, best, ownBond) : null;
    if (to && cur && cur.vtep === to.vtep && cur.vni === to.vni) return;
    if (best && to) {
      if (to.vtep.startsWith('bond:')) this.dp.fdbAddStatic(cfg.bridge, cfg.vlan, mac, ownBond!);
      else if (to.vtep.startsWith('es:')) {
        const id = this.groups.ref(best.esi!, best.vni, inst.alias.aliasSet(best.esi!));
        batch.add(mac, { kind: 'group', index: id }, to.vtep, to.vni);
      } else batch.add(mac, this.tunnels.refEgress(best.vtep, best.vni), to.vtep, to.vni);
      inst.remote.setInstalled(mac, to);
    } else if (cur) {
      this.dp.fdbDel(cfg.bridge, cfg.vlan, mac);
      inst.remote.deleteInstalled(mac);
      if (cur.vtep.startsWith('es:')) inst.alias.noteMac(cur.vtep.slice(3), mac, false);
      this.log.debug({ module: 'evpn', vni: cfg.vni, mac }, 'remote MAC removed');
    }
    if (cur) batch.unrefs.push(cur);
  }

  /** Where the best advertisement of a MAC sends it: our bond (one of our
   *  segments), the segment's aliasing group, or the advertising VTEP. */
  private target(inst: Instance, best: RemoteMac, ownBond: string | null): Installed {
    if (ownBond !== null) return { vtep: `bond:${ownBond}`, vni: best.vni };
    if (best.esi && inst.alias.aliasSet(best.esi).length) return { vtep: `es:${best.esi}`, vni: best.vni };
    return { vtep: best.vtep, vni: best.vni };
  }


  private floodJoin(inst: Instance, k: string): void {
    const n = inst.flood.get(k) ?? 0;
    inst.flood.set(k, n + 1);
    if (n) return;
    const [vtep, vni] = k.split('/');
    const id = this.tunnels.ref(vtep!, Number(vni));
    this.dp.floodAdd(inst.cfg.bridge, inst.cfg.vlan, { kind: 'tunnel', index: id }, TUNNEL_GROUP);
  }

  private floodLeave(inst: Instance, k: string, all: boolean): void {
    const n = inst.flood.get(k) ?? 0;
    if (!n) return;
    if (n > 1 && !all) {
      inst.flood.set(k, n - 1);
      return;
    }
    inst.flood.delete(k);
    const [vtep, vni] = k.split('/');
    const id = this.tunnels.ref(vtep!, Number(vni)); // the same id, held while it is removed
    this.dp.floodDel(inst.cfg.bridge, inst.cfg.vlan, { kind: 'tunnel', index: id });
    this.tunnels.unref(vtep!, Number(vni));
    this.tunnels.unref(vtep!, Number(vni));
  }
}
