// IP-VPN between hvswitch PEs (RFC 4364 BGP/MPLS IP VPNs, RFC 4659 for IPv6)
// over MPLS-in-UDP (RFC 7510) and MPLS-in-GRE (RFC 4023): one service per VRF
// with a `vpn:` block, between the BGP speaker and the dataplane.
//
// Export (local -> BGP).  The VRF's VM host routes (/32, /128), connected
// prefixes and static routes are advertised as VPN-IPv4/VPN-IPv6 routes:
// the VRF's RD and our label (RFC 8277 §2), its export route targets, one
// RFC 9012 encapsulation extended community per encapsulation it offers
// (tunnel type 13 MPLS-in-UDP, 11 MPLS-in-GRE; preference order is ours to
// apply on import, the communities carry none), next hop our PE address (for
// VPN-IPv6 over an IPv4 PE, its IPv4-mapped IPv6 form, RFC 4659 §3.2.1.1).
// `sync` is called in the controller's queue with the VRF's prefixes after
// every config change: a VM port added or removed is originated or withdrawn
// there, so it goes in the speaker's next flush (one UPDATE batch).
//
// Labels (RFC 4364 §4.3.2).  Per-VRF mode (default): one label for the VRF,
// every prefix carries it; per-prefix mode: one label per prefix.  Either way
// the label is installed in the core's label table as "pop, then look up in
// this VRF" (mpls.h).  Labels come from 16 up (0-15 are reserved, RFC 3032
// §2.1) and are reused after release.
//
// A VRF with an L3 VNI (`vxlan` among its encapsulations) also advertises
// each prefix as an EVPN type-5 route and imports type-5 routes (type5.ts);
// its L3 VNI is mapped to the VRF in the core while the service runs.  A VRF
// without an MPLS encapsulation takes no label and sends no VPN route.
//
// Import (BGP -> dataplane): l3vpn-import.ts, through rt-import.ts.
import type { BgpSpeaker, VpnRoute } from '../bgp/index.js';
import { normaliseRouteTarget } from '../bgp/index.js';
import type { NextHop, Route } from '../dataplane/index.js';
import type { PrefixKey } from '../util/prefix-table.js';
import type { Logger } from '../util/logger.js';
import { ENCAP_COMMUNITY, isMplsEncap, type VrfVpnConfig } from './l3vpn-types.js';
import { VrfImport, type NotInstalledReason, type PackedChange } from './l3vpn-import.js';
import { RtImport, type AnyChange } from './rt-import.js';
import { type5Attrs, type5Route } from './type5.js';

/** The first label we allocate (0-15 reserved, RFC 3032 §2.1). */
export const FIRST_LABEL = 16;
export const LAST_LABEL = (1 << 20) - 1;

/** What the VPNs need of the dataplane: the label table (src/dataplane/mpls.ts). */
export interface L3vpnDataplane {
  labelSet(label: number, vrf: string): void;
  labelDel(label: number): boolean;
}

/** What type-5 needs of the dataplane: our VTEP and the L3 VNI map (src/dataplane/tunnels.ts). */
export interface Type5Dataplane {
  vtep(): { address: string; af: 4 | 6 } | null;
  l3vniSet(vni: number, vrf: string, rmac: string): void;
  vniDel(vni: number): boolean;
}

/** An import as the VRF's route sets see it: its routes are part of the VRF's
 *  `bgp` origin, read where the controller needs them (a merge, `show`). */
export interface ImportedRoutes {
  get(prefix: string): Route | null;
  routes(): Route[];
  keys(): PrefixKey[];
  readonly size: number;
}

/** The VRFs' `bgp` routes (the controller's, written in its queue): an import
 *  is attached to its VRF once, then reports the prefixes each batch changed,
 *  packed (no Route object per prefix), to be written into the FIB at once. */
export interface L3vpnFib {
  attach(vrf: string, src: ImportedRoutes): void;
  /** `src` goes: its prefixes leave the FIB (or uncover another origin's route) */
  detach(vrf: string, src: ImportedRoutes): void;
  /** the prefixes `keys` of `src` now have next hops `hops[i]` (null: none) */
  changed(vrf: string, src: ImportedRoutes, keys: PrefixKey[], hops: (NextHop[] | null)[]): void;
}

class Labels {
  private next = FIRST_LABEL;
  private readonly free: number[] = [];
  take(): number {
    const l = this.free.pop() ?? this.next++;
    if (l > LAST_LABEL) throw new Error('label space exhausted');
    return l;
  }
  give(l: number): void {
    this.free.push(l);
  }
}

class VrfVpn {
  /** per-vrf mode: the VRF's label */
  vrfLabel: number | null = null;
  /** exported prefix -> its label (null: no MPLS encapsulation, no VPN route) */
  readonly exported = new Map<string, number | null>();
  importer: RtImport | null = null;
  constructor(readonly cfg: VrfVpnConfig, readonly imports: VrfImport) {}
}

export interface VrfVpnState {
  cfg: VrfVpnConfig;
  label: number | null;
  exported: { prefix: string; label: number | null }[];
  imported: number;
  notInstalled: Record<NotInstalledReason, number>;
}

export class L3vpnManager {
  private readonly vrfs = new Map<string, VrfVpn>();
  private readonly labels = new Labels();

  constructor(
    private readonly dp: L3vpnDataplane,
    private readonly speaker: BgpSpeaker,
    private readonly pe: { address: string; af: 4 | 6 },
    private readonly serialize: <T>(fn: () => T) => Promise<T>,
    private readonly fib: L3vpnFib,
    private readonly log: Logger,
    private readonly vx: Type5Dataplane | null = null,
  ) {}

  /** Makes the services those of `cfgs`: gone or changed ones stop (withdrawn, FIB emptied), new ones start. */
  apply(cfgs: VrfVpnConfig[]): void {
    const want = new Map(cfgs.map((c) => [c.vrf, c]));
    for (const [name, v] of this.vrfs) {
      const next = want.get(name);
      if (!next || JSON.stringify(next) !== JSON.stringify(v.cfg)) this.stop(v);
    }
    for (const c of cfgs) if (!this.vrfs.has(c.vrf)) this.start(c);
  }

  /** Advertises exactly `prefixes` for `vrf` (a running service; others are ignored). */
  sync(vrf: string, prefixes: Iterable<string>): void {
    const v = this.vrfs.get(vrf);
    if (!v) return;
    const want = new Set(prefixes);
    for (const p of [...v.exported.keys()]) if (!want.has(p)) this.unexport(v, p);
    for (const p of want) if (!v.exported.has(p)) this.export(v, p);
  }

  close(): void {
    for (const v of [...this.vrfs.values()]) this.stop(v);
  }

  list(): VrfVpnState[] {
    return [...this.vrfs.values()].map((v) => ({
      cfg: v.cfg,
      label: v.vrfLabel,
      exported: [...v.exported].map(([prefix, label]) => ({ prefix, label })),
      imported: v.imports.size,
      notInstalled: { ...v.imports.notInstalled },
    }));
  }

  /** The paths behind an imported prefix (remote PE, label, encapsulation, peer). */
  paths(vrf: string, prefix: string): ReturnType<VrfImport['paths']> {
    return this.vrfs.get(vrf)?.imports.paths(prefix) ?? [];
  }

  private start(cfg: VrfVpnConfig): void {
    const vtep = cfg.l3vni !== null ? (this.vx?.vtep() ?? null) : null;
    const v = new VrfVpn(cfg, new VrfImport(cfg, this.pe, (o, m) => this.log.warn(o, m), vtep));
    this.vrfs.set(cfg.vrf, v);
    this.fib.attach(cfg.vrf, v.imports);
    const mpls = cfg.encaps.some(isMplsEncap);
    if (mpls && cfg.labelMode === 'per-vrf') {
      v.vrfLabel = this.labels.take();
      this.dp.labelSet(v.vrfLabel, cfg.vrf);
    }
    if (cfg.l3vni !== null) {
      if (!vtep) this.log.warn({ module: 'l3vpn', vrf: cfg.vrf, l3vni: cfg.l3vni }, 'no VTEP: EVPN type-5 not started');
      else this.vx!.l3vniSet(cfg.l3vni, cfg.vrf, cfg.rmac!);
    }
    const families = [...(mpls ? (['vpnv4', 'vpnv6'] as const) : []), ...(vtep ? (['evpn'] as const) : [])];
    v.importer = new RtImport(this.speaker, families, cfg.importRts, this.serialize, (changes) => this.onBest(v, changes));
    this.log.info({ module: 'l3vpn', vrf: cfg.vrf, rd: cfg.rd, label: v.vrfLabel, encaps: cfg.encaps, l3vni: cfg.l3vni, rmac: cfg.rmac }, 'ip-vpn started');
  }

  /** Our VTEP address if `v` sends type-5 routes. */
  private type5Vtep(v: VrfVpn): string | null {
    return v.cfg.l3vni !== null ? (this.vx?.vtep()?.address ?? null) : null;
  }

  private stop(v: VrfVpn): void {
    v.importer?.close();
    for (const p of [...v.exported.keys()]) this.unexport(v, p);
    try {
      this.fib.detach(v.cfg.vrf, v.imports);
    } catch (e) {
      this.log.warn({ module: 'l3vpn', vrf: v.cfg.vrf, err: (e as Error).message }, 'vpn routes not removed');
    }
    if (v.vrfLabel !== null) {
      this.dp.labelDel(v.vrfLabel);
      this.labels.give(v.vrfLabel);
    }
    if (v.cfg.l3vni !== null && this.type5Vtep(v)) this.vx!.vniDel(v.cfg.l3vni);
    this.vrfs.delete(v.cfg.vrf);
    this.log.info({ module: 'l3vpn', vrf: v.cfg.vrf }, 'ip-vpn stopped');
  }

  // ---- export --------------------------------------------------------------

  private route(v: VrfVpn, prefix: string, label: number): { family: 'vpnv4' | 'vpnv6'; route: VpnRoute } {
    return { family: prefix.includes(':') ? 'vpnv6' : 'vpnv4', route: { rd: v.cfg.rd, prefix, label } };
  }

  /** Our next hop for a route of `family`: the PE address (IPv4-mapped for VPN-IPv6 over IPv4). */
  private nextHop(family: 'vpnv4' | 'vpnv6'): string {
    return family === 'vpnv6' && this.pe.af === 4 ? `::ffff:${this.pe.address}` : this.pe.address;
  }

  private export(v: VrfVpn, prefix: string): void {
    const vtep = this.type5Vtep(v);
    if (vtep) this.speaker.originate('evpn', type5Route(v.cfg, prefix), type5Attrs(v.cfg, vtep));
    const mpls = v.cfg.encaps.filter(isMplsEncap);
    if (!mpls.length) {
      v.exported.set(prefix, null);
      return;
    }
    let label = v.vrfLabel;
    if (label === null) {
      label = this.labels.take();
      this.dp.labelSet(label, v.cfg.vrf);
    }
    v.exported.set(prefix, label);
    const { family, route } = this.route(v, prefix, label);
    const extCommunities = [...v.cfg.exportRts.map(normaliseRouteTarget), ...mpls.map((e) => ENCAP_COMMUNITY[e])];
    this.speaker.originate(family, route, { extCommunities, nextHop: this.nextHop(family) });
  }

  private unexport(v: VrfVpn, prefix: string): void {
    const label = v.exported.get(prefix)!;
    v.exported.delete(prefix);
    if (this.type5Vtep(v)) this.speaker.withdraw('evpn', type5Route(v.cfg, prefix));
    if (label === null) return;
    const { family, route } = this.route(v, prefix, label);
    this.speaker.withdraw(family, route);
    if (v.vrfLabel === null) {
      this.dp.labelDel(label);
      this.labels.give(label);
    }
  }

  // ---- import --------------------------------------------------------------

  /** One batch of VPN best paths for `v`, in the control queue. */
  private onBest(v: VrfVpn, changes: AnyChange[]): void {
    const c: PackedChange = v.imports.apply(changes);
    if (!c.keys.length) return;
    try {
      this.fib.changed(v.cfg.vrf, v.imports, c.keys, c.hops);
      if (this.log.isLevelEnabled('debug')) this.log.debug({ module: 'l3vpn', vrf: v.cfg.vrf, changed: c.keys.length }, 'vpn routes applied');
    } catch (e) {
      this.log.warn({ module: 'l3vpn', vrf: v.cfg.vrf, changed: c.keys.length, err: (e as Error).message }, 'vpn routes not installed');
    }
  }
}
