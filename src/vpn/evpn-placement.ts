// Where a MAC of an EVPN instance lives (evpn.ts): here (our type-2 route) or
// behind the best remote advertisement, ranked by MAC mobility (RFC 7432
// §15): a tunnel to the advertising VTEP, the aliasing group of its Ethernet
// segment (§8.4, aliasing.ts), or our own bond when the segment is one of
// ours (§14.1).  Decisions over a batch of changes are gathered (`settle`) and
// written to the core in one call (`write`); the tunnel and group references
// an entry held are let go only after its replacement is written.  Also the
// flood list members (type-3 routes, ingress replication, split-horizon group
// TUNNEL_GROUP) and duplicate MAC detection.
//
// Duplicate MACs (RFC 7432 §15.1, as FRR's `dup-addr-detection ... freeze`).
// Every move of a MAC between us and a remote VTEP, or from one remote VTEP
// to another (not to or from a multihomed segment's group), is counted; the
// one that makes `maxMoves` within `windowSeconds` (a sliding window,
// defaults 5 in 180 s) is carried out, then the MAC is frozen there:
// logged at warn, counted, and for `freezeSeconds` its updates are ignored
// (counted): a remote advertisement installs nothing and withdraws none of
// our routes; local learning advertises nothing (the core's learning still
// points the local FDB entry at the port, as the kernel does under FRR: the
// core is not told to refuse it).  A frozen MAC that ages here is withdrawn
// (aging is not a move) and nothing replaces it until the freeze ends.  When
// it ends (logged at info) the MAC is decided afresh from the FDB and the
// routes (evpn.ts `unfreeze`).  Not supported: a permanent freeze and an
// operator's clear (the timer is the only way out), duplicate IP detection.
import { compareMacMobility } from '../bgp/index.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { AliasGroups } from './aliasing.js';
import type { SegmentManager } from './es.js';
import { DEFAULT_DUP_DETECTION, isVtep, TUNNEL_GROUP, type Batch, type EvpnDataplane, type Instance } from './evpn-instance.js';
import type { Installed, RemoteMac } from './remote-macs.js';
import type { TunnelPool } from './tunnels.js';

export interface PlacementDeps {
  dp: EvpnDataplane;
  tunnels: TunnelPool;
  groups: AliasGroups;
  /** our VTEP address */
  vtep: string;
  log: Logger;
  clock: Clock;
  /** our Ethernet segments (es.ts), when there are any */
  segments: () => SegmentManager | null;
  /** withdraws our routes for a MAC that moved away (the export side, evpn.ts) */
  unadvertise: (inst: Instance, mac: string) => void;
  /** ends the freeze of a duplicate MAC and decides where it lives (evpn.ts) */
  unfreeze: (inst: Instance, mac: string) => void;
}

export class MacPlacement {
  constructor(private readonly x: PlacementDeps) {}

  /** Lets go of what an installed entry holds: a tunnel or an aliasing group reference. */
  release(to: Installed): void {
    if (to.vtep.startsWith('es:')) this.x.groups.unref(to.vtep.slice(3), to.vni);
    else if (!to.vtep.startsWith('bond:')) this.x.tunnels.unref(to.vtep, to.vni);
  }

  /** Counts a move of `mac` (its `from` and `to` VTEPs); at the instance's
   *  `maxMoves`-th within the window the MAC is a duplicate (RFC 7432 §15.1:
   *  a loop, or two hosts sharing it): frozen where this move left it, warned,
   *  counted.  Returns true if it is now frozen. */
  moved(inst: Instance, mac: string, from: string, to: string): boolean {
    const dup = inst.cfg.dupDetection ?? DEFAULT_DUP_DETECTION;
    const windowMs = dup.windowSeconds * 1000;
    const now = this.x.clock.now();
    const times = (inst.moves.get(mac) ?? []).filter((t) => now - t < windowMs);
    times.push(now);
    if (times.length < dup.maxMoves) {
      inst.moves.set(mac, times);
      return false;
    }
    inst.moves.delete(mac); // counting starts afresh once the freeze ends
    const timer = this.x.clock.setTimeout(() => this.x.unfreeze(inst, mac), dup.freezeSeconds * 1000);
    inst.frozen.set(mac, { at: to, since: now, until: now + dup.freezeSeconds * 1000, moves: times.length, ignored: 0, timer });
    inst.dupDetections++;
    this.x.log.warn(
      { module: 'evpn', vni: inst.cfg.vni, mac, from, to, moves: times.length, windowSeconds: dup.windowSeconds, freezeSeconds: dup.freezeSeconds },
      'duplicate MAC: it keeps moving between VTEPs; frozen',
    );
    return true;
  }

  /** True if `mac` is frozen (a duplicate): the update at hand is ignored and counted. */
  frozen(inst: Instance, mac: string, update: string): boolean {
    const f = inst.frozen.get(mac);
    if (!f) return false;
    f.ignored++;
    if (this.x.log.isLevelEnabled('debug')) this.x.log.debug({ module: 'evpn', vni: inst.cfg.vni, mac, at: f.at, update }, 'duplicate MAC frozen: update ignored');
    return true;
  }

  /** The best remote advertisement of `mac` by MAC mobility, or null. */
  bestRemote(inst: Instance, mac: string): RemoteMac | null {
    const c = inst.remote.candidates(mac);
    let best: RemoteMac | null = null;
    for (const m of c) {
      if (!best || compareMacMobility({ attrs: m.attrs, nextHop: m.vtep }, { attrs: best.attrs, nextHop: best.vtep }) < 0) best = m;
    }
    return best;
  }

  /** Writes the remote entries `settle` decided, then lets go of the tunnels
   *  they replaced; entries the FDB had no room for are not recorded as
   *  installed (a later change of the MAC retries them). */
  write(inst: Instance, { macs, egress, toVtep, toVni, unrefs }: Batch): void {
    const { dp, log } = this.x;
    const cfg = inst.cfg;
    const n = macs.length ? dp.fdbAddRemoteColumns(cfg.bridge, cfg.vlan, macs, egress) : 0;
    for (let i = n; i < macs.length; i++) {
      const mac = macs[i]!, to = { vtep: toVtep[i]!, vni: toVni[i]! };
      dp.fdbDel(cfg.bridge, cfg.vlan, mac); // whatever it pointed at before, it is not ours now
      const cur = inst.remote.installed(mac);
      if (cur && cur.vtep === to.vtep && cur.vni === to.vni) inst.remote.deleteInstalled(mac);
      this.release(to);
    }
    for (const u of unrefs) this.release(u);
    if (n < macs.length)
      log.warn({ module: 'evpn', bridge: cfg.bridge, vlan: cfg.vlan, vni: cfg.vni, notInstalled: macs.length - n, first: macs[n]! }, 'FDB full: remote MACs not installed');
    else if (log.isLevelEnabled('debug')) log.debug({ module: 'evpn', vni: cfg.vni, macs: n }, 'remote MACs installed');
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
    if (curVtep !== null) {
      batch.unrefs.push({ vtep: curVtep, vni: remote.installedVniAt(i) });
      if (curVtep !== vtep) this.moved(inst, mac, curVtep, vtep);
    }
    batch.add(mac, this.x.tunnels.refEgress(vtep, vni), vtep, vni);
    remote.installSole(i);
    return true;
  }

  /** Decides where `mac` lives after a change: here (our route) or at the best remote VTEP. */
  settle(inst: Instance, mac: string, batch: Batch): void {
    if (this.frozen(inst, mac, 'remote')) return;
    if (!inst.local.has(mac) && this.settleSole(inst, mac, batch)) return;
    const { dp, log, vtep } = this.x;
    const cfg = inst.cfg;
    const best = this.bestRemote(inst, mac);
    const localSeq = inst.local.get(mac);
    // another PE of one of our own segments advertises it (RFC 7432 §14.1)
    const ownBond = best?.esi ? this.x.segments()?.bondOfEsi(best.esi) ?? null : null;
    if (best && localSeq !== undefined) {
      if (ownBond !== null && inst.localEsi.get(mac) === best.esi) return; // behind our bond too: stays local
      const theirs = { attrs: best.attrs, nextHop: best.vtep };
      const ours = { attrs: { extCommunities: localSeq ? [`mac-mobility:${localSeq}`] : [] }, nextHop: vtep };
      if (compareMacMobility(ours, theirs) <= 0) return; // ours ranks first: stays local
      this.x.unadvertise(inst, mac); // it moved away
      log.info({ module: 'evpn', vni: cfg.vni, mac, to: best.vtep }, 'MAC moved away');
      this.moved(inst, mac, vtep, best.vtep);
    }
    const cur = inst.remote.installed(mac);
    const to = best ? this.target(inst, best, ownBond) : null;
    if (to && cur && cur.vtep === to.vtep && cur.vni === to.vni) return;
    if (to && cur && cur.vtep !== to.vtep && isVtep(cur.vtep) && isVtep(to.vtep)) this.moved(inst, mac, cur.vtep, to.vtep); // from one remote VTEP to another
    if (best && to) {
      if (to.vtep.startsWith('bond:')) dp.fdbAddStatic(cfg.bridge, cfg.vlan, mac, ownBond!);
      else if (to.vtep.startsWith('es:')) {
        const id = this.x.groups.ref(best.esi!, best.vni, inst.alias.aliasSet(best.esi!));
        batch.add(mac, { kind: 'group', index: id }, to.vtep, to.vni);
      } else batch.add(mac, this.x.tunnels.refEgress(best.vtep, best.vni), to.vtep, to.vni);
      inst.remote.setInstalled(mac, to);
    } else if (cur) {
      dp.fdbDel(cfg.bridge, cfg.vlan, mac);
      inst.remote.deleteInstalled(mac);
      if (cur.vtep.startsWith('es:')) inst.alias.noteMac(cur.vtep.slice(3), mac, false);
      log.debug({ module: 'evpn', vni: cfg.vni, mac }, 'remote MAC removed');
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

  /** One more type-3 route names flood member `k` ("vtep/vni"): added at the first. */
  floodJoin(inst: Instance, k: string): void {
    const n = inst.flood.get(k) ?? 0;
    inst.flood.set(k, n + 1);
    if (n) return;
    const [vtep, vni] = k.split('/');
    const id = this.x.tunnels.ref(vtep!, Number(vni));
    this.x.dp.floodAdd(inst.cfg.bridge, inst.cfg.vlan, { kind: 'tunnel', index: id }, TUNNEL_GROUP);
  }

  /** One type-3 route fewer names `k` (`all`: the instance stops): removed at the last. */
  floodLeave(inst: Instance, k: string, all: boolean): void {
    const n = inst.flood.get(k) ?? 0;
    if (!n) return;
    if (n > 1 && !all) {
      inst.flood.set(k, n - 1);
      return;
    }
    inst.flood.delete(k);
    const [vtep, vni] = k.split('/');
    const { tunnels } = this.x;
    const id = tunnels.ref(vtep!, Number(vni)); // the same id, held while it is removed
    this.x.dp.floodDel(inst.cfg.bridge, inst.cfg.vlan, { kind: 'tunnel', index: id });
    tunnels.unref(vtep!, Number(vni));
    tunnels.unref(vtep!, Number(vni));
  }
}
