// Ports: add/update/remove, their state, and the mapping of a PortSpec to the
// core's raw settings (VLAN mode, bridge domain, layer-3 settings of routed and
// vm ports, punt classes and rate from punt.ts).
import type { RawCore, RawL3Settings, RawPortSettings } from './addon.js';
import { puntSettings, type PuntSpec } from './punt.js';
import { CEnum, limits } from './constants.js';
import { DataplaneError, macBytes, type Registry } from './registry.js';
import { ipToU32, parsePrefix } from '../util/ip.js';

/** `bond`: a bond's logical port (bonds.ts), its members are ports of mode `member` */
export type PortBackend = 'tap' | 'af-packet' | 'af-xdp' | 'memory' | 'bond';

/** Backends that open an existing interface by name (its presence is watched, port-presence.ts). */
export function opensInterface(b: PortBackend): boolean {
  return b === 'af-packet' || b === 'af-xdp';
}
export type PortMode = 'access' | 'trunk' | 'routed' | 'vm' | 'member';

export interface PortSpec {
  name: string;
  backend: PortBackend;
  bridge: string | null;
  mode: PortMode;
  /** access: the port's VLAN; trunk: the native VLAN (0 = none) */
  vlan: number;
  allowedVlans: number[];
  macLimit: number;
  mtu: number;
  /** routed and vm ports */
  vrf?: string | null;
  /** routed: interface addresses (CIDR); vm: the VM's /32 and /128 */
  addresses?: string[];
  /** our MAC on a routed or vm port */
  mac?: string | null;
  /** vm: the VM's MAC */
  vmMac?: string | null;
  /** link-local frames sent to the controller instead of forwarded (punt.ts); none by default */
  punt?: PuntSpec;
  /** split-horizon group in flood lists (flood.h): a BUM frame from this port
   *  is not flooded to members of the same group; 0 or absent = none */
  floodGroup?: number;
  /** mode member: the bond (a port of backend `bond`) */
  bond?: string;
}

export interface PortState extends PortSpec {
  id: number;
  created: boolean;
  macs: number;
  /** af-xdp: how the port runs: 'af-xdp zero-copy' | 'af-xdp native copy' | 'af-xdp generic copy',
   *  or 'af-packet' when AF_XDP could not attach (`fallback` says why) */
  datapath?: string;
  fallback?: string;
}

/** Port backends (enum hv_port_kind, port.h) and modes (enum hv_port_mode, core.h). */
export const BACKEND_KIND = new CEnum<PortBackend | 'udp' | 'mpls'>('port_kind', { tap: 'TAP', 'af-packet': 'AFPACKET', 'af-xdp': 'AFXDP', memory: 'MEMORY', udp: 'UDP', mpls: 'MPLS', bond: 'BOND' });
export const MODE = new CEnum<PortMode | 'underlay'>('port_mode', { access: 'ACCESS', trunk: 'TRUNK', routed: 'ROUTED', vm: 'VM', underlay: 'UNDERLAY', member: 'MEMBER' });
const NO_BD = limits.HV_NO_BD;

export class Ports {
  /** `drainEvents` resolves pending MAC events before a port id is reused. */
  constructor(
    private core: RawCore,
    private reg: Registry,
    private drainEvents: () => void,
  ) {}

  add(spec: PortSpec): PortState {
    if (this.reg.ports.has(spec.name)) throw new DataplaneError(`port ${spec.name} exists`);
    const id = this.core.addPort({ kind: BACKEND_KIND.value[spec.backend], name: spec.name, mtu: spec.mtu }, this.rawSettings(spec));
    this.reg.ports.set(spec.name, { ...spec, id });
    this.reg.portById.set(id, spec.name);
    return this.get(spec.name);
  }

  update(spec: PortSpec): void {
    const cur = this.reg.portEntry(spec.name);
    this.core.setPort(cur.id, this.rawSettings(spec));
    this.reg.ports.set(spec.name, { ...spec, id: cur.id });
  }

  remove(name: string): void {
    const p = this.reg.portEntry(name);
    this.drainEvents(); // events naming this port id must be resolved before it is reused
    this.core.removePort(p.id);
    this.reg.ports.delete(name);
    this.reg.portById.delete(p.id);
  }

  get(name: string): PortState {
    const p = this.reg.portEntry(name);
    const info = this.core.portInfo(p.id);
    const st: PortState = { ...p, created: info?.created ?? false, macs: info?.macs ?? 0 };
    if (p.backend === 'af-xdp' && info) {
      st.datapath = info.xdpMode ? `af-xdp ${info.xdpMode}` : 'af-packet';
      if (info.fallback) st.fallback = info.fallback;
    }
    return st;
  }

  list(): PortState[] {
    return [...this.reg.ports.keys()].sort().map((n) => this.get(n));
  }

  has(name: string): boolean {
    return this.reg.ports.has(name);
  }

  private rawSettings(spec: PortSpec): RawPortSettings {
    const punt = puntSettings(spec.name, spec.punt);
    const floodGroup = spec.floodGroup ?? 0;
    if (!Number.isInteger(floodGroup) || floodGroup < 0 || floodGroup > 0xffff)
      throw new DataplaneError(`port ${spec.name}: floodGroup must be 0-65535, got ${spec.floodGroup}`);
    if (spec.mode === 'member') {
      if (!spec.bond) throw new DataplaneError(`port ${spec.name}: a member port needs a bond`);
      return { bd: NO_BD, mode: MODE.value.member, vlan: 0, macLimit: spec.macLimit, allowed: [], bond: this.reg.portEntry(spec.bond).id, floodGroup, ...punt };
    }
    if (spec.mode === 'routed' || spec.mode === 'vm') {
      return { bd: NO_BD, mode: MODE.value[spec.mode], vlan: 0, macLimit: spec.macLimit, allowed: [], l3: this.rawL3(spec), floodGroup, ...punt };
    }
    return {
      bd: spec.bridge === null ? NO_BD : this.reg.bridge(spec.bridge).index,
      mode: MODE.value[spec.mode],
      vlan: spec.vlan,
      macLimit: spec.macLimit,
      allowed: spec.mode === 'trunk' ? spec.allowedVlans : [],
      floodGroup,
      ...punt,
    };
  }

  private rawL3(spec: PortSpec): RawL3Settings {
    if (!spec.vrf) throw new DataplaneError(`port ${spec.name}: a ${spec.mode} port needs a vrf`);
    const l3: RawL3Settings = { vrf: this.reg.vrfIndex(spec.vrf), addr4: [], addr6: [], vm4: [], vm6: [] };
    if (spec.mac) l3.mac = macBytes(spec.mac);
    if (spec.vmMac) l3.vmMac = macBytes(spec.vmMac);
    for (const a of spec.addresses ?? []) {
      const p = parsePrefix(a, true);
      if (!p) throw new DataplaneError(`port ${spec.name}: invalid address ${a}`);
      if (spec.mode === 'routed') {
        if (p.af === 4) l3.addr4!.push({ addr: ipToU32(p.bytes), plen: p.plen });
        else l3.addr6!.push({ addr: p.bytes, plen: p.plen });
      } else if (p.af === 4) l3.vm4!.push(ipToU32(p.bytes));
      else l3.vm6!.push(p.bytes);
    }
    return l3;
  }
}
