// L3 VPN data plane (native/core/mpls.h, docs/mpls.md): the local PE, MPLS
// tunnels to remote PEs, and the label table.
//  - The PE is an MPLS underlay port on our PE address: backend 'mpls' (a raw
//    GRE socket and a UDP socket on port 6635, port_mpls.c) or 'memory' (an
//    in-process port carrying whole IP datagrams, memInject/memPop on
//    MPLS_UNDERLAY_PORT, for tests without root).  Like the VXLAN underlay it
//    is not a configured port: not in the port registry, counters via stats().
//  - A tunnel is one (remote PE address, encapsulation) pair, created the first
//    time a route's next hop names it (tunnelFor) and kept until the PE is
//    replaced: a slot per remote PE and encapsulation is all it costs, and the
//    label stays in the next hop (one per VPN route), not in the tunnel.
//  - The label table maps a label we advertised to a VRF (pop and lookup);
//    several labels may name one VRF (per-VRF or per-prefix label mode).
import type { RawCore } from './addon.js';
import { CEnum, limits } from './constants.js';
import { BACKEND_KIND, MODE } from './ports.js';
import { DataplaneError, type Registry } from './registry.js';
import { parseIp } from '../util/ip.js';

export type MplsEncap = 'udp' | 'gre';
/** Encapsulations (enum hv_mpls_encap, mpls.h): MPLS over UDP (RFC 7510), over GRE (RFC 4023). */
export const MPLS_ENCAP = new CEnum<MplsEncap>('mpls_encap', { udp: 'UDP', gre: 'GRE' });

export interface PeSpec {
  /** our PE address: IPv4 or IPv6, an address of this host */
  address: string;
  /** underlay IP MTU (default 1500) */
  mtu?: number;
  /** 'mpls' (default): the host's IP stack; 'memory': an in-process port, for tests */
  backend?: 'mpls' | 'memory';
}

export interface MplsTunnelState {
  id: number;
  remote: string;
  encap: MplsEncap;
}

/** The MPLS underlay port's name in logs and `stats` (not an interface). */
export const MPLS_UNDERLAY_PORT = 'mpls-underlay';

export class Mpls {
  private underlay: { id: number; af: 4 | 6; local: Buffer; spec: PeSpec } | null = null;
  private readonly byKey = new Map<string, MplsTunnelState>();
  private readonly byId = new Map<number, MplsTunnelState>();
  private readonly labelVrf = new Map<number, string>();
  /** tunnels by the text a next hop names them with (`encap|remote` as given): the
   *  per-route lookup of the churn path, without parsing the address each time */
  private readonly byText = new Map<string, MplsTunnelState>();
  /** bumped whenever tunnel ids stop meaning what they meant (the PE replaced or
   *  closed): what callers cached from tunnelFor is stale when it changes */
  epoch = 0;

  constructor(
    private core: RawCore,
    private reg: Registry,
  ) {}

  /** Opens the PE's underlay port (or replaces it: no tunnel may be in use), or closes it (null). */
  setPe(spec: PeSpec | null): void {
    const cur = this.underlay;
    if (cur && spec && cur.spec.address === spec.address && cur.spec.mtu === spec.mtu && cur.spec.backend === spec.backend) return;
    if (cur) {
      for (const t of this.byId.values()) this.core.mplsTunnelDel(t.id);
      this.byKey.clear();
      this.byId.clear();
      this.byText.clear();
      this.epoch++;
      this.core.removePort(cur.id);
      this.reg.portById.delete(cur.id);
      this.underlay = null;
    }
    if (!spec) return;
    const ip = parseIp(spec.address);
    if (!ip) throw new DataplaneError(`pe: address '${spec.address}' is not an IP address`);
    const local = Buffer.from(ip.bytes);
    const memory = spec.backend === 'memory';
    const id = this.core.addPort(
      { kind: BACKEND_KIND.value[memory ? 'memory' : 'mpls'], name: MPLS_UNDERLAY_PORT, mtu: spec.mtu ?? 1500, af: ip.af, local, mpls: 1 },
      { bd: limits.HV_NO_BD, mode: MODE.value.underlay, vlan: 0, macLimit: 0, allowed: [] },
    );
    this.reg.portById.set(id, MPLS_UNDERLAY_PORT);
    this.underlay = { id, af: ip.af, local, spec };
  }

  pe(): { address: string; af: 4 | 6; mtu: number; backend: 'mpls' | 'memory' } | null {
    const u = this.underlay;
    return u ? { address: u.spec.address, af: u.af, mtu: u.spec.mtu ?? 1500, backend: u.spec.backend ?? 'mpls' } : null;
  }

  /** The tunnel to `remote` with `encap`, created on first use; its id. */
  tunnelFor(remote: string, encap: MplsEncap): number {
    const u = this.underlay;
    if (!u) throw new DataplaneError('mpls next hop: no PE address configured');
    const text = `${encap}|${remote}`;
    const known = this.byText.get(text);
    if (known) return known.id;
    const ip = parseIp(remote);
    if (!ip) throw new DataplaneError(`mpls next hop: remote '${remote}' is not an IP address`);
    if (ip.af !== u.af) throw new DataplaneError(`mpls next hop: remote ${remote} is not of the PE address's family (IPv${u.af})`);
    if (MPLS_ENCAP.value[encap] === undefined) throw new DataplaneError(`mpls next hop: encap '${String(encap)}' is not udp or gre`);
    const key = `${encap}|${Buffer.from(ip.bytes).toString('hex')}`;
    const have = this.byKey.get(key);
    if (have) {
      this.byText.set(text, have); // another spelling of a known PE
      return have.id;
    }
    let id = 1;
    while (this.byId.has(id)) id++;
    if (id >= limits.HV_MAX_MPLS_TUNNELS) throw new DataplaneError('mpls next hop: tunnel table full');
    this.core.mplsTunnelAdd(id, { underlay: u.id, af: ip.af, encap: MPLS_ENCAP.value[encap], local: u.local, remote: Buffer.from(ip.bytes) });
    const t = { id, remote, encap };
    this.byKey.set(key, t);
    this.byId.set(id, t);
    this.byText.set(text, t);
    return id;
  }

  tunnel(id: number): MplsTunnelState | undefined {
    return this.byId.get(id);
  }

  tunnels(): MplsTunnelState[] {
    return [...this.byId.values()].sort((a, b) => a.id - b.id);
  }

  /** Label `label` pops into VRF `vrf` (replaces a previous mapping). */
  labelSet(label: number, vrf: string): void {
    this.core.labelSet(label, this.reg.vrfIndex(vrf));
    this.labelVrf.set(label, vrf);
  }

  labelDel(label: number): boolean {
    this.labelVrf.delete(label);
    return this.core.labelDel(label);
  }

  labels(): { label: number; vrf: string }[] {
    return [...this.labelVrf].map(([label, vrf]) => ({ label, vrf })).sort((a, b) => a.label - b.label);
  }

  /** Drops the labels of a VRF being removed. */
  forgetVrf(vrf: string): void {
    for (const [label, v] of this.labelVrf) if (v === vrf) this.labelDel(label);
  }

  /** The underlay port's core id (memory-port test hooks), or undefined without a PE. */
  portId(): number | undefined {
    return this.underlay?.id;
  }

  /** The underlay port's counters (mpls_encap, mpls_decap, drops by reason), or null without a PE. */
  stats(): Record<string, number> | null {
    return this.underlay ? this.core.portStats(this.underlay.id) : null;
  }
}
