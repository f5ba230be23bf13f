// VRFs and their contents as the controller names them: routes (next hops by
// port name and IP/MAC text, mapped to RouteTables' port ids and bytes) and
// neighbors.  The route diffing and next-hop interning live in routing.ts.
import type { RawCore } from './addon.js';
import { CEnum } from './constants.js';
import { limits } from './constants.js';
import type { Mpls, MplsEncap } from './mpls.js';
import { DataplaneError, macBytes, type Registry } from './registry.js';
import { RouteTables, type NextHopSpec, type RouteCounts, type RouteSpec } from './routing.js';
import type { Tunnels } from './tunnels.js';
import { formatIp, parseIp } from '../util/ip.js';
import type { PrefixKey } from '../util/prefix-table.js';

export type NextHop =
  | { kind: 'connected'; port: string }
  | { kind: 'gateway'; port: string; gw: string }
  | { kind: 'mac'; port: string; mac: string }
  | { kind: 'local' }
  | { kind: 'drop' }
  | { kind: 'reject' }
  /** a VPN route (mpls.ts): the remote PE, the label it advertised, the encapsulation */
  | { kind: 'mpls'; remote: string; label: number; encap: MplsEncap }
  /** an EVPN type-5 route (tunnels.ts): the remote VTEP, its L3 VNI, its router MAC, ours */
  | { kind: 'vxlan'; remote: string; vni: number; rmac: string; smac: string };

export interface Route {
  prefix: string;
  nexthops: NextHop[];
  origin: string;
}

export interface Neighbor {
  port: string;
  ip: string;
  mac: string;
  state: 'incomplete' | 'reachable' | 'stale' | 'failed' | 'permanent';
  age: number;
}

export interface VrfState {
  name: string;
  index: number;
  ports: string[];
  routes: number;
  routes4: number;
  routes6: number;
}

/** Neighbor states (enum hv_neigh_state, l3.h). */
export const NEIGH_STATE = new CEnum<Neighbor['state'] | 'none'>('neigh_state', {
  none: 'NONE',
  incomplete: 'INCOMPLETE',
  reachable: 'REACHABLE',
  stale: 'STALE',
  failed: 'FAILED',
  permanent: 'PERMANENT',
});

function macText(b: Buffer): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export class Vrfs {
  private routes: RouteTables;
  /** specsOf: MPLS next-hop arrays already converted, valid while Mpls.epoch is unchanged */
  private readonly specCache = new WeakMap<NextHop[], { epoch: number; specs: NextHopSpec[] }>();

  constructor(
    private core: RawCore,
    private reg: Registry,
    private mpls?: Mpls,
    private tunnels?: Tunnels,
  ) {
    this.routes = new RouteTables(core);
  }

  add(name: string): void {
    if (this.reg.vrfs.has(name)) throw new DataplaneError(`vrf ${name} exists`);
    let index = 1;
    const used = new Set(this.reg.vrfs.values());
    while (used.has(index)) index++;
    this.core.addVrf(index);
    this.reg.vrfs.set(name, index);
  }

  remove(name: string): void {
    const index = this.reg.vrfIndex(name);
    this.routes.dropVrf(index);
    this.mpls?.forgetVrf(name);
    this.core.removeVrf(index);
    this.reg.vrfs.delete(name);
  }

  list(): VrfState[] {
    return [...this.reg.vrfs].map(([name, index]) => {
      const { ipv4, ipv6 } = this.routes.countByFamily(index);
      return { name, index, ports: this.reg.portsWhere('vrf', name), routes: this.routes.count(index), routes4: ipv4, routes6: ipv6 };
    });
  }

  /** Makes the routes of `vrf` exactly `routes` (only the difference is applied). */
  setRoutes(vrf: string, routes: Route[]): RouteCounts {
    return this.routes.setRoutes(this.reg.vrfIndex(vrf), this.specs(routes));
  }

  /** Adds or replaces `put` and removes `withdraw` (prefixes) in `vrf`, leaving the rest alone. */
  updateRoutes(vrf: string, put: Route[], withdraw: string[]): RouteCounts {
    return this.routes.updateRoutes(this.reg.vrfIndex(vrf), this.specs(put), withdraw);
  }

  /** The packed path of imports: prefix `keys[i]` (util/prefix-table.ts; distinct)
   *  gets next hops `hops[i]`, null: removed.  Each distinct next-hop array is
   *  converted once. */
  updateKeys(vrf: string, keys: PrefixKey[], hops: (NextHop[] | null)[], origin: string): RouteCounts {
    const specs = new Array<NextHopSpec[] | null>(hops.length);
    const batch = new Map<NextHop[], NextHopSpec[]>(); // arrays not kept across calls: converted once per batch
    let lastH: NextHop[] | null = null, lastS: NextHopSpec[] | null = null; // runs of one PE's routes share an array
    for (let i = 0; i < hops.length; i++) {
      const h = hops[i]!;
      if (h !== lastH) lastS = h ? this.specsOf(h, batch) : null, lastH = h;
      specs[i] = lastS;
    }
    return this.routes.updateKeys(this.reg.vrfIndex(vrf), keys, specs, origin);
  }

  /** The core's terms for a next-hop array of the packed path.  An import hands
   *  the same (immutable) array for every route of one PE and label, batch after
   *  batch: an array of MPLS next hops only keeps its conversion across calls
   *  (one tunnel lookup per array, not per UPDATE), until the MPLS tunnel ids
   *  change (Mpls.epoch).  Others (VXLAN next hops) are converted once per
   *  batch (`batch`), as before. */
  private specsOf(h: NextHop[], batch: Map<NextHop[], NextHopSpec[]>): NextHopSpec[] {
    const c = this.specCache.get(h);
    if (c && c.epoch === this.mpls?.epoch) return c.specs;
    let specs = batch.get(h);
    if (specs) return specs;
    specs = h.map((n) => this.nhSpec(n));
    if (this.mpls && h.every((n) => n.kind === 'mpls')) this.specCache.set(h, { epoch: this.mpls.epoch, specs });
    else batch.set(h, specs);
    return specs;
  }

  /** The routes with their next hops in the core's terms; routes usually share
   *  a few next-hop sets: each distinct one is converted once. */
  private specs(routes: Route[]): RouteSpec[] {
    const byArray = new Map<NextHop[], NextHopSpec[]>();
    const byText = new Map<string, NextHopSpec[]>();
    return routes.map((r) => {
      let nhs = byArray.get(r.nexthops);
      if (!nhs) {
        const k = JSON.stringify(r.nexthops);
        nhs = byText.get(k);
        if (!nhs) byText.set(k, (nhs = r.nexthops.map((n) => this.nhSpec(n))));
        byArray.set(r.nexthops, nhs);
      }
      return { prefix: r.prefix, origin: r.origin, nexthops: nhs };
    });
  }

  listRoutes(vrf?: string): (Route & { vrf: string })[] {
    const out: (Route & { vrf: string })[] = [];
    for (const [name, index] of this.reg.vrfs) {
      if (vrf !== undefined && vrf !== name) continue;
      for (const r of this.routes.list(index))
        out.push({ vrf: name, prefix: r.prefix, origin: r.origin, nexthops: r.nexthops.map((n) => this.nhOut(n)) });
    }
    return out;
  }

  neighbors(): Neighbor[] {
    return this.core
      .neighList()
      .map((n) => ({
        port: this.reg.portName(n.port),
        ip: formatIp(n.ip),
        mac: n.mac,
        state: (NEIGH_STATE.name(n.state) ?? 'none') as Neighbor['state'],
        age: n.age,
      }))
      .filter((n) => (n.state as string) !== 'none')
      .sort((a, b) => a.port.localeCompare(b.port) || a.ip.localeCompare(b.ip));
  }

  setNeighbor(port: string, ip: string, mac: string): void {
    const a = parseIp(ip);
    if (!a) throw new DataplaneError(`invalid IP address ${ip}`);
    this.core.neighSet(this.reg.portEntry(port).id, a.bytes, macBytes(mac));
  }

  /** Removes resolved and pending entries (of one port); permanent ones only if asked. */
  flushNeighbors(port?: string, includePermanent = false): void {
    this.core.neighFlush(port === undefined ? -1 : this.reg.portEntry(port).id, includePermanent);
  }

  private nhSpec(n: NextHop): NextHopSpec {
    switch (n.kind) {
      case 'connected': return { kind: 'connected', port: this.reg.portEntry(n.port).id };
      case 'gateway': {
        const gw = parseIp(n.gw);
        if (!gw) throw new DataplaneError(`invalid gateway ${n.gw}`);
        return { kind: 'gateway', port: this.reg.portEntry(n.port).id, gw: gw.bytes };
      }
      case 'mac': return { kind: 'mac', port: this.reg.portEntry(n.port).id, mac: macBytes(n.mac) };
      case 'mpls': {
        if (!this.mpls) throw new DataplaneError('mpls next hop: no MPLS support');
        if (!Number.isInteger(n.label) || n.label < limits.HV_MPLS_LABEL_MIN || n.label > limits.HV_MPLS_LABEL_MAX)
          throw new DataplaneError(`mpls next hop: label ${n.label} is not ${limits.HV_MPLS_LABEL_MIN}-${limits.HV_MPLS_LABEL_MAX}`);
        return { kind: 'mpls', tunnel: this.mpls.tunnelFor(n.remote, n.encap), label: n.label };
      }
      case 'vxlan': {
        if (!this.tunnels) throw new DataplaneError('vxlan next hop: no VXLAN support');
        return { kind: 'vxlan', tunnel: this.tunnels.l3TunnelFor(n.remote, n.vni), mac: macBytes(n.rmac), smac: macBytes(n.smac) };
      }
      default: return { kind: n.kind };
    }
  }

  private nhOut(n: NextHopSpec): NextHop {
    switch (n.kind) {
      case 'connected': return { kind: 'connected', port: this.reg.portName(n.port) };
      case 'gateway': return { kind: 'gateway', port: this.reg.portName(n.port), gw: formatIp(n.gw) };
      case 'mac': return { kind: 'mac', port: this.reg.portName(n.port), mac: macText(n.mac) };
      case 'mpls': {
        const t = this.mpls?.tunnel(n.tunnel);
        return { kind: 'mpls', remote: t?.remote ?? '', label: n.label, encap: t?.encap ?? 'udp' };
      }
      case 'vxlan': {
        const t = this.tunnels?.get(n.tunnel);
        return { kind: 'vxlan', remote: t?.remote ?? '', vni: t?.vni ?? 0, rmac: macText(n.mac), smac: macText(n.smac) };
      }
      default: return { kind: n.kind };
    }
  }
}
