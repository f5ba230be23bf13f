// One EVPN instance (EVI) of evpn.ts: its configuration, what it advertised
// and what its imports installed, the routes it originates (RFC 7432 type 2
// and 3, RFC 8365 VXLAN: the VNI in the label field, the encapsulation
// extended community), and what it needs of the dataplane.  State and pure
// helpers only: export, import and MAC placement act on it (evpn.ts,
// evpn-import.ts, evpn-placement.ts).
import type { EvpnRoute, RouteByFamily } from '../bgp/index.js';
import { normaliseRouteTarget } from '../bgp/index.js';
import { AliasTable, type GroupBackend } from './aliasing.js';
import { RemoteMacTable, type Installed } from './remote-macs.js';
import type { RtImport } from './rt-import.js';
import type { TunnelBackend } from './tunnels.js';
import type { ArpSuppression, SuppressDataplane } from './evpn-suppress.js';

/** An installed entry's target is a VTEP (not an aliasing group `es:` nor our bond `bond:`). */
export const isVtep = (to: string): boolean => !to.startsWith('es:') && !to.startsWith('bond:');

/** The split-horizon group of every tunnel flood member and of the underlay port. */
export const TUNNEL_GROUP = 1;
/** RFC 7432 §15.1 duplicate MAC detection defaults (FRR's): this many moves within DUP_WINDOW_MS. */
export const DUP_MOVES = 5;
export const DUP_WINDOW_MS = 180_000;

/** RFC 7432 §15.1 duplicate MAC detection of an instance (config `dup-addr-detection`):
 *  `maxMoves` moves within `windowSeconds` make a MAC duplicate, frozen for `freezeSeconds`. */
export interface DupDetection {
  maxMoves: number;
  windowSeconds: number;
  freezeSeconds: number;
}
export const DEFAULT_DUP_DETECTION: DupDetection = { maxMoves: DUP_MOVES, windowSeconds: DUP_WINDOW_MS / 1000, freezeSeconds: DUP_WINDOW_MS / 1000 };

/** An EVPN instance: a VLAN of a bridge, its VNI, RD and route targets (canonical `rt:` text). */
export interface EviConfig {
  bridge: string;
  vlan: number;
  vni: number;
  rd: string;
  importRts: string[];
  exportRts: string[];
  /** absent: DEFAULT_DUP_DETECTION (the config always sets it) */
  dupDetection?: DupDetection;
}

/** A MAC found duplicate (RFC 7432 §15.1) and frozen where its last counted move left it. */
export interface FrozenMac {
  /** where it stays: our VTEP (advertised here) or the remote VTEP it is installed toward */
  at: string;
  /** clock times of the detection and of the end of the freeze */
  since: number;
  until: number;
  /** moves counted within the window at detection */
  moves: number;
  /** updates of the MAC ignored since (local learning, remote advertisements) */
  ignored: number;
  timer: unknown;
}

export type TunnelEgress = { kind: 'tunnel' | 'group'; index: number };
/** An EVPN route as the speaker reports it (types 1-5, or an opaque other type). */
export type AnyEvpn = RouteByFamily['evpn'];

/** What the instances need of the dataplane (the Dataplane facade has it). */
export interface EvpnDataplane extends TunnelBackend, GroupBackend, SuppressDataplane {
  fdbAddStatic(bridge: string, vlan: number, mac: string, port: string): void;
  /** writes the first n entries (macs[i] behind egress[i]) and returns n (the rest: FDB full) */
  fdbAddRemoteColumns(bridge: string, vlan: number, macs: readonly string[], egress: readonly TunnelEgress[]): number;
  fdbDel(bridge: string, vlan: number, mac: string): boolean;
  floodAdd(bridge: string, vlan: number, egress: TunnelEgress, group?: number): void;
  floodDel(bridge: string, vlan: number, egress: TunnelEgress): boolean;
  vniSet(vni: number, bridge: string, vlan: number): void;
  vniDel(vni: number): boolean;
  fdb(filter: { bridge?: string; vlan?: number }): { mac: string; kind: string; port?: string }[];
}

/** One EVI: its advertised routes and what its imports installed. */
export class Instance {
  readonly local = new Map<string, number>(); // MAC -> sequence number we advertise
  readonly localIps = new Map<string, Set<string>>(); // MAC -> IPs snooped for it (MAC/IP routes)
  readonly imets = new Map<string, Installed>(); // type-3 route key -> the flood member it added
  // MAC -> its type-2 advertisements and the remote FDB entry we installed for it
  readonly remote = new RemoteMacTable();
  readonly flood = new Map<string, number>(); // "vtep/vni" -> IMET routes naming it
  readonly alias = new AliasTable(); // other PEs' segments: A-D routes, MACs per ESI
  readonly localEsi = new Map<string, string>(); // local MAC -> the ESI of the segment it was learned on
  readonly moves = new Map<string, number[]>(); // MAC -> times of its moves within the detection window
  readonly frozen = new Map<string, FrozenMac>(); // duplicate MACs (RFC 7432 §15.1), frozen
  dupDetections = 0; // MACs found duplicate since the instance started
  importer: RtImport | null = null;
  /** remote MAC/IP advertisements -> ARP/ND suppression bindings (evpn-suppress.ts) */
  suppress: ArpSuppression | null = null;
  constructor(readonly cfg: EviConfig) {}
}

/** What `settle` decided over one batch: remote FDB entries, written to the core
 *  in one call, and the tunnel references to let go once they are written (an
 *  entry must never point at a tunnel id already freed, and maybe reused).
 *  The entries are columns (entry i: macs[i] behind egress[i], installed as
 *  (toVtep[i], toVni[i])) of strings and handles that exist already: an
 *  import batch builds no object per MAC. */
export class Batch {
  readonly macs: string[] = [];
  readonly egress: TunnelEgress[] = [];
  readonly toVtep: string[] = [];
  readonly toVni: number[] = [];
  readonly unrefs: Installed[] = [];
  add(mac: string, egress: TunnelEgress, vtep: string, vni: number): void {
    this.macs.push(mac); this.egress.push(egress); this.toVtep.push(vtep); this.toVni.push(vni);
  }
}
export const newBatch = (): Batch => new Batch();

/** The instance's type-3 (IMET) route from VTEP `vtep`. */
export function imetRoute(cfg: EviConfig, vtep: string): EvpnRoute {
  return { type: 3, rd: cfg.rd, ethernetTag: 0, originatorIp: vtep };
}

/** A type-2 route of the instance: the MAC alone, or with an IP; ESI 0 unless multihomed. */
export function macRoute(cfg: EviConfig, mac: string, ip: string | null = null, esi = '0'): EvpnRoute {
  return { type: 2, rd: cfg.rd, esi, ethernetTag: 0, mac, ip, labels: [cfg.vni] };
}

/** Export route targets, VXLAN encapsulation, and MAC mobility when `seq` > 0. */
export function exportCommunities(cfg: EviConfig, seq: number): string[] {
  const c = [...cfg.exportRts.map(normaliseRouteTarget), 'encap:vxlan'];
  if (seq > 0) c.push(`mac-mobility:${seq}`);
  return c;
}
