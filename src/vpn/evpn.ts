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
//
// Layout: this file is the manager (instances started and stopped, the export
// side, local MAC events); evpn-instance.ts the per-instance state and the
// routes it originates; evpn-import.ts the import of best paths;
// evpn-placement.ts where a MAC lives (FDB entries, tunnels, aliasing groups,
// flood lists, duplicate detection and the freeze of duplicate MACs, RFC 7432
// §15.1).
import type { BestPathChange, BgpSpeaker } from '../bgp/index.js';
import { macMobility } from '../bgp/index.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { AliasGroups } from './aliasing.js';
import type { SegmentManager } from './es.js';
import { EvpnImport } from './evpn-import.js';
import { exportCommunities, imetRoute, Instance, isVtep, macRoute, newBatch, type AnyEvpn, type EviConfig, type EvpnDataplane } from './evpn-instance.js';
import { MacPlacement } from './evpn-placement.js';
import { ArpSuppression } from './evpn-suppress.js';
import { RtImport } from './rt-import.js';
import { TunnelPool } from './tunnels.js';

export { DEFAULT_DUP_DETECTION, DUP_MOVES, DUP_WINDOW_MS, TUNNEL_GROUP, type DupDetection, type EviConfig, type EvpnDataplane } from './evpn-instance.js';

/** A MAC event of the dataplane, as much of it as EVPN reads. */
export interface LocalMacEvent {
  kind: 'learned' | 'moved' | 'aged' | 'overflow';
  bridge?: string;
  vlan?: number;
  mac?: string;
  port?: string;
}

export class EvpnManager {
  private readonly instances = new Map<string, Instance>(); // "bridge/vlan"
  private readonly placement: MacPlacement;
  private readonly importer: EvpnImport;
  readonly tunnels: TunnelPool;
  readonly groups: AliasGroups;
  /** our Ethernet segments (es.ts), when there are any */
  segments: SegmentManager | null = null;
  /** the addresses configured for host `mac` behind `port` (ports.<p>.hosts): MAC/IP routes as soon as it is learned */
  hostIps: (port: string, mac: string) => readonly string[] = () => [];

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
    this.placement = new MacPlacement({
      dp, tunnels: this.tunnels, groups: this.groups, vtep, log, clock,
      segments: () => this.segments,
      unadvertise: (inst, mac) => this.unadvertise(inst, mac),
      unfreeze: (inst, mac) => void this.serialize(() => this.unfreeze(inst, mac)), // a timer: into the control queue
    });
    this.importer = new EvpnImport(this.placement, this.groups, vtep, log);
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

  list(): {
    cfg: EviConfig;
    localMacs: number;
    remoteMacs: number;
    suppressed: number;
    vteps: { vtep: string; vni: number; flood: boolean; macs: number }[];
    /** MACs found duplicate since the instance started (RFC 7432 §15.1) */
    dupDetections: number;
    /** the duplicate MACs frozen now, by MAC: where (`at`, our VTEP when `local`), for how long still */
    frozen: { mac: string; at: string; local: boolean; moves: number; ignored: number; secondsLeft: number }[];
  }[] {
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
      for (const [, m] of i.remote.installedEntries()) if (isVtep(m.vtep)) at(m.vtep, m.vni).macs++;
      const now = this.clock.now();
      const frozen = [...i.frozen]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([mac, f]) => ({ mac, at: f.at, local: f.at === this.vtep, moves: f.moves, ignored: f.ignored, secondsLeft: Math.max(0, Math.ceil((f.until - now) / 1000)) }));
      return { cfg: i.cfg, localMacs: i.local.size, remoteMacs: i.remote.installedCount, suppressed: i.suppress?.size ?? 0, vteps: [...vteps.values()], dupDetections: i.dupDetections, frozen };
    });
  }

  /** The MAC mobility sequence number (RFC 7432 §7.7, 0 without the community)
   *  of the type-2 route a remote FDB entry of an instance follows (the highest
   *  of the advertisements toward where it is installed); undefined when no
   *  instance installed the entry (`fdb show`). */
  remoteSeq(bridge: string, vlan: number, mac: string): number | undefined {
    const inst = this.instances.get(`${bridge}/${vlan}`);
    const cur = inst?.remote.installed(mac);
    if (!inst || !cur) return undefined;
    let seq: number | undefined;
    for (const c of inst.remote.candidates(mac)) {
      const follows = c.vtep === cur.vtep || (c.esi !== undefined && (cur.vtep === `es:${c.esi}` || cur.vtep.startsWith('bond:')));
      if (follows) seq = Math.max(seq ?? 0, macMobility(c.attrs)?.seq ?? 0);
    }
    return seq;
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
      else {
        this.localSeen(inst, e.mac, e.port);
        if (e.port !== undefined) this.hostSeen(inst, e.mac, e.port);
      }
    }
  }

  /** After a config change: the configured addresses of the hosts learned now (added ones advertised). */
  refreshHosts(): void {
    for (const inst of this.instances.values())
      for (const e of this.dp.fdb({ bridge: inst.cfg.bridge, vlan: inst.cfg.vlan })) if (e.kind === 'learned' && e.port) this.hostSeen(inst, e.mac, e.port);
  }

  /** Host `mac` learned behind `port`: its configured addresses go out as MAC/IP routes, as snooped ones do. */
  private hostSeen(inst: Instance, mac: string, port: string): void {
    for (const ip of this.hostIps(port, mac)) this.onSnoop(inst.cfg.bridge, inst.cfg.vlan, mac, ip);
  }

  private start(key: string, cfg: EviConfig): void {
    const inst = new Instance(cfg);
    inst.suppress = new ArpSuppression(this.dp, cfg, this.log);
    this.instances.set(key, inst);
    this.dp.vniSet(cfg.vni, cfg.bridge, cfg.vlan);
    this.speaker.originate('evpn', imetRoute(cfg, this.vtep), {
      extCommunities: exportCommunities(cfg, 0),
      pmsiTunnel: { flags: 0, tunnelType: 6, label: cfg.vni, tunnelId: this.vtep },
      nextHop: this.vtep,
    });
    // best paths with our import targets, RTC memberships, the RIB's routes now (rt-import.ts)
    inst.importer = new RtImport(this.speaker, ['evpn'], cfg.importRts, this.serialize, (changes) => this.importer.onBest(inst, changes as BestPathChange<AnyEvpn>[]));
    this.log.info({ module: 'evpn', bridge: cfg.bridge, vlan: cfg.vlan, vni: cfg.vni, rd: cfg.rd }, 'evpn instance started');
  }

  private stop(key: string, inst: Instance): void {
    const cfg = inst.cfg;
    inst.importer?.close();
    this.speaker.withdraw('evpn', imetRoute(cfg, this.vtep));
    for (const mac of [...inst.local.keys()]) this.unadvertise(inst, mac);
    for (const [mac, m] of inst.remote.installedEntries()) {
      this.dp.fdbDel(cfg.bridge, cfg.vlan, mac);
      this.placement.release(m);
    }
    for (const k of inst.flood.keys()) this.placement.floodLeave(inst, k, true);
    inst.suppress?.clear();
    for (const f of inst.frozen.values()) this.clock.clearTimeout(f.timer);
    inst.frozen.clear();
    this.dp.vniDel(cfg.vni);
    this.instances.delete(key);
    this.log.info({ module: 'evpn', bridge: cfg.bridge, vlan: cfg.vlan, vni: cfg.vni }, 'evpn instance stopped');
  }

  // ---- export --------------------------------------------------------------

  /** Our type-2 routes for `mac`: the MAC alone and with each IP snooped for it. */
  private advertise(inst: Instance, mac: string, seq: number): void {
    inst.local.set(mac, seq);
    const attrs = { extCommunities: exportCommunities(inst.cfg, seq), nextHop: this.vtep };
    const esi = inst.localEsi.get(mac);
    this.speaker.originate('evpn', macRoute(inst.cfg, mac, null, esi), attrs);
    for (const ip of inst.localIps.get(mac) ?? []) this.speaker.originate('evpn', macRoute(inst.cfg, mac, ip, esi), attrs);
  }

  private unadvertise(inst: Instance, mac: string): void {
    inst.local.delete(mac);
    this.speaker.withdraw('evpn', macRoute(inst.cfg, mac));
    for (const ip of inst.localIps.get(mac) ?? []) this.speaker.withdraw('evpn', macRoute(inst.cfg, mac, ip));
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
    this.speaker.originate('evpn', macRoute(inst.cfg, mac, ip, inst.localEsi.get(mac)), { extCommunities: exportCommunities(inst.cfg, seq), nextHop: this.vtep });
  }

  private localSeen(inst: Instance, mac: string, port?: string): void {
    const best = this.placement.bestRemote(inst, mac);
    const moved = inst.remote.installed(mac);
    if (moved) {
      // learned over our remote entry: the MAC moved here (the core replaced the entry)
      inst.remote.deleteInstalled(mac);
      this.placement.release(moved);
    }
    // a duplicate MAC: learning points the FDB here, but nothing is advertised anew (RFC 7432 §15.1)
    if (inst.frozen.has(mac)) {
      if (moved || !inst.local.has(mac)) this.placement.frozen(inst, mac, 'local');
      return;
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
      this.placement.moved(inst, mac, moved.vtep, this.vtep);
    }
  }

  /** The freeze of a duplicate MAC ends (its timer): the MAC is decided
   *  afresh, from the FDB (learned here or not) and the remote routes. */
  private unfreeze(inst: Instance, mac: string): void {
    const f = inst.frozen.get(mac);
    if (!f || this.instances.get(`${inst.cfg.bridge}/${inst.cfg.vlan}`) !== inst) return;
    inst.frozen.delete(mac);
    this.clock.clearTimeout(f.timer);
    this.log.info({ module: 'evpn', vni: inst.cfg.vni, mac, at: f.at, ignored: f.ignored }, 'duplicate MAC unfrozen');
    const learned = this.dp.fdb({ bridge: inst.cfg.bridge, vlan: inst.cfg.vlan }).find((e) => e.mac === mac && e.kind === 'learned');
    if (learned && !inst.local.has(mac)) return this.localSeen(inst, mac, learned.port || undefined);
    if (!learned && inst.local.has(mac)) return this.localGone(inst, mac);
    const batch = newBatch();
    this.placement.settle(inst, mac, batch);
    this.placement.write(inst, batch);
  }

  private localGone(inst: Instance, mac: string): void {
    if (!inst.local.has(mac)) return;
    this.unadvertise(inst, mac);
    if (inst.frozen.has(mac)) return; // aged, withdrawn; no remote entry replaces it while frozen
    const batch = newBatch();
    this.placement.settle(inst, mac, batch);
    this.placement.write(inst, batch);
  }
}
