// Aliasing and mass withdraw on the remote side of an Ethernet segment
// (RFC 7432 §8.2, §8.4, §14.1; RFC 8365 §8.1): what one EVPN instance knows of
// the multihomed segments of other PEs, and the dataplane groups its MACs
// point at.
//
// Ethernet A-D routes (type 1) reach the instance through its route targets:
// a PE's per-ES route (tag MAX-ET) says it is attached to the segment, its
// per-EVI route (tag 0, this EVI's targets) that it serves this EVI there.
// The aliasing set of a segment in an instance is the VTEPs that advertise
// both.  A MAC advertised with that ESI (type 2, by any one of them) is
// reachable through all of them: its FDB entry points at an aliasing group
// (native/core/es.h) of their tunnels, one per (segment, VNI), and the core
// spreads flows over the group by flow hash.  A PE's per-ES route withdrawn
// (its link to the segment failed: mass withdraw) takes it out of the group in
// one core write, for every MAC of the segment at once, before (and whatever)
// its type-2 withdrawals follow.  With no aliasing set (no A-D routes heard)
// a MAC with an ESI goes to the VTEP that advertised it, as any MAC.
import type { EvpnRoute, RibPath } from '../bgp/index.js';
import type { TunnelPool } from './tunnels.js';

export const ZERO_ESI = '00:00:00:00:00:00:00:00:00:00';
const MAX_ET = 0xffffffff;

/** The A-D routes one instance holds, and its MACs per segment. */
export class AliasTable {
  /** ESI -> VTEP -> which A-D routes it advertises (by route key, so a withdrawal finds them) */
  private readonly ads = new Map<string, Map<string, { perEs: Set<string>; perEvi: Set<string> }>>();
  private readonly byKey = new Map<string, { esi: string; vtep: string; perEs: boolean }>();
  /** ESI -> MACs with a candidate advertisement naming it */
  readonly macs = new Map<string, Set<string>>();

  /** Records a type-1 best-path change; returns the ESI whose aliasing set may have changed. */
  onAd(key: string, r: Extract<EvpnRoute, { type: 1 }>, best: RibPath | null, self: string): string | null {
    const prev = this.byKey.get(key);
    if (prev) {
      const v = this.ads.get(prev.esi)?.get(prev.vtep);
      (prev.perEs ? v?.perEs : v?.perEvi)?.delete(key);
      this.byKey.delete(key);
    }
    if (best && best.nextHop !== self && r.esi !== ZERO_ESI && (r.ethernetTag === MAX_ET || r.ethernetTag === 0)) {
      const perEs = r.ethernetTag === MAX_ET;
      let byVtep = this.ads.get(r.esi);
      if (!byVtep) this.ads.set(r.esi, (byVtep = new Map()));
      let v = byVtep.get(best.nextHop);
      if (!v) byVtep.set(best.nextHop, (v = { perEs: new Set(), perEvi: new Set() }));
      (perEs ? v.perEs : v.perEvi).add(key);
      this.byKey.set(key, { esi: r.esi, vtep: best.nextHop, perEs });
      return r.esi;
    }
    return prev?.esi ?? null;
  }

  /** The VTEPs advertising both A-D routes for `esi`, sorted. */
  aliasSet(esi: string): string[] {
    const byVtep = this.ads.get(esi);
    if (!byVtep) return [];
    const out: string[] = [];
    for (const [vtep, v] of byVtep) {
      if (v.perEs.size && v.perEvi.size) out.push(vtep);
      else if (!v.perEs.size && !v.perEvi.size) byVtep.delete(vtep);
    }
    if (!byVtep.size) this.ads.delete(esi);
    return out.sort();
  }

  /** Every ESI with A-D routes (for `show`). */
  esis(): string[] { return [...this.ads.keys()]; }

  noteMac(esi: string, mac: string, present: boolean): void {
    if (esi === ZERO_ESI) return;
    let s = this.macs.get(esi);
    if (present) {
      if (!s) this.macs.set(esi, (s = new Set()));
      s.add(mac);
    } else if (s) {
      s.delete(mac);
      if (!s.size) this.macs.delete(esi);
    }
  }
}

/** What the groups need of the dataplane. */
export interface GroupBackend {
  segments: { groupSet(id: number, tunnels: number[]): void; groupDel(id: number): boolean };
}

interface Group {
  id: number;
  refs: number;
  vteps: string[];
}

/** Aliasing groups shared by the instances: one per (ESI, VNI), referenced
 *  by the MACs installed toward it, its members' tunnels held in the pool. */
export class AliasGroups {
  private readonly groups = new Map<string, Group>();
  private readonly free: number[] = [];
  private next = 1;

  constructor(private readonly dp: GroupBackend, private readonly tunnels: TunnelPool) {}

  /** The group of (esi, vni) with members `vteps` (non-empty), created or
   *  updated; one more reference.  Returns its id. */
  ref(esi: string, vni: number, vteps: string[]): number {
    const k = `${esi}/${vni}`;
    let g = this.groups.get(k);
    if (!g) {
      g = { id: this.free.pop() ?? this.next++, refs: 0, vteps: [] };
      this.groups.set(k, g);
      this.setMembers(g, vni, vteps);
    }
    g.refs++;
    return g.id;
  }

  /** Updates the members of (esi, vni) if the group exists (mass withdraw, a PE added). */
  update(esi: string, vni: number, vteps: string[]): void {
    const g = this.groups.get(`${esi}/${vni}`);
    if (g && vteps.length && vteps.join() !== g.vteps.join()) this.setMembers(g, vni, vteps);
  }

  unref(esi: string, vni: number): void {
    const k = `${esi}/${vni}`;
    const g = this.groups.get(k);
    if (!g || --g.refs > 0) return;
    this.groups.delete(k);
    this.dp.segments.groupDel(g.id);
    for (const v of g.vteps) this.tunnels.unref(v, vni);
    this.free.push(g.id);
  }

  members(esi: string, vni: number): string[] { return this.groups.get(`${esi}/${vni}`)?.vteps ?? []; }

  private setMembers(g: Group, vni: number, vteps: string[]): void {
    const ids = vteps.slice(0, 8).map((v) => this.tunnels.ref(v, vni));
    this.dp.segments.groupSet(g.id, ids);
    for (const v of g.vteps) this.tunnels.unref(v, vni);
    g.vteps = vteps.slice(0, 8);
  }
}
