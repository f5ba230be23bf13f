// Flood lists (native/core/flood.h): per bridge and VLAN, where broadcast,
// multicast and unknown-unicast frames are copied.  Ports are members by their
// VLAN membership (and their PortSpec.floodGroup); this adds and removes the
// other members, tunnel endpoints (EVPN ingress replication, RFC 7432 §11) and
// bonds, each with a split-horizon group: a frame from a member of group G
// (G != 0) is not flooded to the other members of G.
import type { RawCore } from './addon.js';
import { rawRemoteEgress, remoteEgress, type RemoteEgress } from './egress.js';
import { DataplaneError, type Registry } from './registry.js';

export interface FloodMember {
  bridge: string;
  vlan: number;
  /** a local port ('' for a tunnel or bond: `egress`) */
  port: string;
  egress?: RemoteEgress;
  group: number;
}

function checkGroup(group: number): number {
  if (!Number.isInteger(group) || group < 0 || group > 0xffff) throw new DataplaneError(`group must be 0-65535, got ${group}`);
  return group;
}

export class Flood {
  constructor(
    private core: RawCore,
    private reg: Registry,
  ) {}

  /** Adds (or regroups) a tunnel endpoint or bond in the flood list of (bridge, vlan). */
  add(bridge: string, vlan: number, egress: RemoteEgress, group = 0): void {
    const [kind, index] = rawRemoteEgress(egress);
    this.core.floodAdd(this.reg.bridge(bridge).index, vlan, kind, index, checkGroup(group));
  }

  /** Removes it; false if it was not a member. */
  del(bridge: string, vlan: number, egress: RemoteEgress): boolean {
    const [kind, index] = rawRemoteEgress(egress);
    return this.core.floodDel(this.reg.bridge(bridge).index, vlan, kind, index);
  }

  /** The flood lists as the workers see them: ports first, then added members. */
  list(bridge?: string): FloodMember[] {
    const out: FloodMember[] = [];
    for (const [name, b] of this.reg.bridges) {
      if (bridge !== undefined && bridge !== name) continue;
      for (const m of this.core.floodList(b.index)) {
        const egress = remoteEgress(m.egressKind, m.egressIndex);
        const member: FloodMember = { bridge: name, vlan: m.vlan, port: egress ? '' : this.reg.portName(m.egressIndex), group: m.group };
        if (egress) member.egress = egress;
        out.push(member);
      }
    }
    return out;
  }
}

