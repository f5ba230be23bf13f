// VXLAN (native/core/vxlan.h): the local VTEP (an underlay port of kind UDP:
// a UDP socket bound to the VTEP address, a pool of them to send), the tunnel
// endpoints (remote VTEP + VNI) that FDB entries and flood members name by
// index, and the VNI -> (bridge, VLAN) map for decapsulation.  The underlay
// port is not a configured port: it is not in the port registry, and its
// counters (encap, decap and the drops by reason) are read through `stats()`
// here (the API's EvpnService, `hvswitch evpn show`, the vxlan metrics).
import type { RawCore } from './addon.js';
import { limits } from './constants.js';
import { BACKEND_KIND, MODE } from './ports.js';
import { DataplaneError, macBytes, type Registry } from './registry.js';
import { parseIp } from '../util/ip.js';

export interface VtepSpec {
  /** local VTEP address: IPv4 or IPv6, an address of this host */
  address: string;
  /** UDP port to receive on (default 4789) */
  port?: number;
  /** underlay IP MTU (default 1500) */
  mtu?: number;
  /** split-horizon group of the underlay port and of every tunnel flood member */
  floodGroup: number;
  /** 'udp' (default): the host's IP stack; 'memory': an in-process port carrying whole
   *  IP datagrams (memInject/memPop on UNDERLAY_PORT), for tests without root */
  backend?: 'udp' | 'memory';
}

export interface TunnelState {
  id: number;
  remote: string;
  vni: number;
}

/** The underlay port's name in logs and `stats` (not an interface). */
export const UNDERLAY_PORT = 'vxlan-underlay';

export class Tunnels {
  private underlay: { id: number; af: 4 | 6; local: Buffer; spec: VtepSpec } | null = null;
  private readonly tunnels = new Map<number, TunnelState>();
  /** L3 VNI tunnels (EVPN type-5 next hops), by `vni|remote`: ids from the top of the
   *  table down, apart from the ids the EVPN instances choose from 1 up (src/vpn/tunnels.ts) */
  private readonly l3 = new Map<string, TunnelState>();
  private l3Next: number = limits.HV_MAX_TUNNELS - 1;
  private readonly l3Free: number[] = [];

  constructor(
    private core: RawCore,
    private reg: Registry,
  ) {}

  /** Opens the VTEP (or replaces it: every tunnel must be deleted first), or closes it (null). */
  setVtep(spec: VtepSpec | null): void {
    const cur = this.underlay;
    if (cur && spec && cur.spec.address === spec.address && cur.spec.port === spec.port && cur.spec.mtu === spec.mtu && cur.spec.backend === spec.backend)
      return;
    if (cur) {
      const l2 = this.tunnels.size - this.l3.size;
      if (l2) throw new DataplaneError(`vtep: ${l2} tunnels still use ${cur.spec.address}`);
      // L3 VNI tunnels live as long as the VTEP (the routes naming them are gone by now: the
      // VRFs' VPN services stop before the VTEP changes)
      for (const t of this.l3.values()) this.del(t.id);
      this.l3.clear();
      this.l3Free.length = 0;
      this.l3Next = limits.HV_MAX_TUNNELS - 1;
      this.core.removePort(cur.id);
      this.reg.portById.delete(cur.id);
      this.underlay = null;
    }
    if (!spec) return;
    const ip = parseIp(spec.address);
    if (!ip) throw new DataplaneError(`vtep: '${spec.address}' is not an IP address`);
    const local = Buffer.from(ip.bytes);
    const id = this.core.addPort(
      { kind: BACKEND_KIND.value[spec.backend ?? 'udp'], name: UNDERLAY_PORT, mtu: spec.mtu ?? 1500, af: ip.af, local, udpPort: spec.port ?? limits.HV_VXLAN_PORT },
      { bd: limits.HV_NO_BD, mode: MODE.value.underlay, vlan: 0, macLimit: 0, allowed: [], floodGroup: spec.floodGroup },
    );
    this.reg.portById.set(id, UNDERLAY_PORT);
    this.underlay = { id, af: ip.af, local, spec };
  }

  vtep(): { address: string; af: 4 | 6; port: number; mtu: number } | null {
    const u = this.underlay;
    return u ? { address: u.spec.address, af: u.af, port: u.spec.port ?? limits.HV_VXLAN_PORT, mtu: u.spec.mtu ?? 1500 } : null;
  }

  add(id: number, t: { remote: string; vni: number }): void {
    const u = this.underlay;
    if (!u) throw new DataplaneError('tunnel: no vtep configured');
    const ip = parseIp(t.remote);
    if (!ip) throw new DataplaneError(`tunnel ${id}: remote '${t.remote}' is not an IP address`);
    if (ip.af !== u.af) throw new DataplaneError(`tunnel ${id}: remote ${t.remote} is not of the vtep's family (IPv${u.af})`);
    this.core.tunnelAdd(id, { underlay: u.id, af: ip.af, local: u.local, remote: Buffer.from(ip.bytes), vni: t.vni });
    this.tunnels.set(id, { id, remote: t.remote, vni: t.vni });
  }

  /** The tunnel to (remote, L3 VNI) for an EVPN type-5 next hop, created on first use
   *  and kept while the VTEP is (a slot per remote VTEP and VNI); its id. */
  l3TunnelFor(remote: string, vni: number): number {
    const key = `${vni}|${remote}`;
    const have = this.l3.get(key);
    if (have) return have.id;
    if (!Number.isInteger(vni) || vni < 1 || vni > 0xffffff) throw new DataplaneError(`vxlan next hop: vni ${vni} is not 1-16777215`);
    const id = this.l3Free.pop() ?? this.l3Next--;
    if (this.tunnels.has(id)) throw new DataplaneError('vxlan next hop: tunnel table full');
    this.add(id, { remote, vni });
    const t = this.tunnels.get(id)!;
    this.l3.set(key, t);
    return id;
  }

  /** VNI `vni` is VRF `vrf`'s L3 VNI, `rmac` our router MAC in it (decapsulation: route in the VRF). */
  l3vniSet(vni: number, vrf: string, rmac: string): void {
    this.core.l3vniSet(vni, this.reg.vrfIndex(vrf), macBytes(rmac));
  }

  del(id: number): boolean {
    this.tunnels.delete(id);
    return this.core.tunnelDel(id);
  }

  get(id: number): TunnelState | undefined {
    return this.tunnels.get(id);
  }

  list(): TunnelState[] {
    return [...this.tunnels.values()].sort((a, b) => a.id - b.id);
  }

  vniSet(vni: number, bridge: string, vlan: number): void {
    this.core.vniSet(vni, this.reg.bridge(bridge).index, vlan);
  }

  vniDel(vni: number): boolean {
    return this.core.vniDel(vni);
  }

  /** The underlay port's core id (memory-port test hooks), or undefined without a vtep. */
  portId(): number | undefined {
    return this.underlay?.id;
  }

  /** The underlay port's backend, undefined without a vtep. */
  backend(): 'udp' | 'memory' | undefined {
    return this.underlay ? (this.underlay.spec.backend ?? 'udp') : undefined;
  }

  /** The underlay port's counters (encap, decap, drops by reason), or null without a vtep. */
  stats(): Record<string, number> | null {
    return this.underlay ? this.core.portStats(this.underlay.id) : null;
  }
}
