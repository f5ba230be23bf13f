// EVPN multihoming in the core (native/core/es.h): the Ethernet segment filter
// of a local port (a bond) — the VLANs where this PE is not the designated
// forwarder, and the VTEPs of the other PEs of the segment (RFC 8365 §8.3.1
// local bias) — and aliasing groups, sets of tunnel endpoints an FDB entry of
// egress kind `group` spreads flows over.  What to write is decided by
// src/vpn/es.ts; this wrapper only names ports and checks arguments.
import type { RawCore } from './addon.js';
import { DataplaneError, type Registry } from './registry.js';
import { parseIp } from '../util/ip.js';

/** HV_ES_PEERS, HV_GROUP_MEMBERS, HV_GROUP_MAX (es.h) */
export const ES_PEERS = 8;
export const GROUP_MEMBERS = 8;
export const GROUP_MAX = 65536;

export interface SegmentState {
  port: string;
  ndfVlans: number[];
  peers: string[];
}

export class Segments {
  private readonly state = new Map<string, SegmentState & { id: number }>();

  constructor(private core: RawCore, private reg: Registry) {}

  /** Attaches `port` to a segment: not the DF on `ndfVlans`, other PEs `peers` (VTEP addresses). */
  set(port: string, ndfVlans: number[], peers: string[]): void {
    const id = this.reg.portEntry(port).id;
    if (peers.length > ES_PEERS) throw new DataplaneError(`peers: at most ${ES_PEERS} other PEs on a segment, got ${peers.length}`);
    const raw = peers.map((p, i) => {
      const ip = parseIp(p);
      if (!ip) throw new DataplaneError(`peers[${i}]: '${p}' is not an IP address`);
      return { af: ip.af, addr: Buffer.from(ip.bytes) };
    });
    for (const [i, v] of ndfVlans.entries())
      if (!Number.isInteger(v) || v < 0 || v > 4094) throw new DataplaneError(`ndfVlans[${i}]: VLAN ${v} out of range`);
    this.core.esSet(id, ndfVlans, raw);
    this.state.set(port, { id, port, ndfVlans: [...ndfVlans].sort((a, b) => a - b), peers: [...peers] });
  }

  /** Detaches `port` (false: it had no segment).  Call it before the port is removed. */
  del(port: string): boolean {
    const s = this.state.get(port);
    if (!s) return false;
    this.state.delete(port);
    return this.core.esDel(s.id);
  }

  get(port: string): SegmentState | undefined {
    const s = this.state.get(port);
    return s && { port: s.port, ndfVlans: s.ndfVlans, peers: s.peers };
  }

  /** Sets aliasing group `id` to tunnel endpoints `tunnels` (ids of tunnelAdd). */
  groupSet(id: number, tunnels: number[]): void {
    if (!Number.isInteger(id) || id < 0 || id >= GROUP_MAX) throw new DataplaneError(`id: ${id} out of range (0-${GROUP_MAX - 1})`);
    if (tunnels.length < 1 || tunnels.length > GROUP_MEMBERS) throw new DataplaneError(`tunnels: 1 to ${GROUP_MEMBERS}, got ${tunnels.length}`);
    this.core.groupSet(id, tunnels);
  }

  groupDel(id: number): boolean { return this.core.groupDel(id); }
  /** The tunnel ids of group `id` now ([]: none). */
  group(id: number): number[] { return this.core.groupGet(id); }
}
