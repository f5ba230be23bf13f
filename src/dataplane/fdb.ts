// Forwarding databases, one per bridge: list (filtered, sorted), static and
// remote entries, delete, flush.  An entry's kind (fdb.h) is learned (by the
// workers, aged), static (a local port, from the API) or remote (a MAC behind
// a tunnel endpoint or bond, from the control plane: EVPN type-2 routes later).
// Its egress is a local port, named as everywhere else, or a tunnel/bond by
// index (`egress`); frames to a tunnel or bond are dropped and counted
// (drop_no_backend) until those have a transmit backend.
import type { RawCore } from './addon.js';
import { FDB_KIND, type FdbKind } from './constants.js';
import { rawRemoteEgress, remoteEgress, type RemoteEgress } from './egress.js';
import { DataplaneError, macBytes, writeMac, type Registry } from './registry.js';

export interface FdbEntry {
  bridge: string;
  /** the local port; '' when the egress is a tunnel or bond (`egress`) */
  port: string;
  vlan: number;
  mac: string;
  kind: FdbKind;
  /** kind !== 'learned': written by the controller, never aged nor moved silently */
  static: boolean;
  /** seconds since last seen (0 for static and remote entries) */
  age: number;
  /** the tunnel endpoint or bond, when the egress is not a local port */
  egress?: RemoteEgress;
}

/** Bytes per record of fdbAddRemoteMany (native/addon/fdb.cc). */
const REMOTE_RECORD = 16;

/** One record of fdbAddRemoteMany at `o`: VLAN (LE16), MAC, egress kind, 3 pad, egress index (LE32). */
function putRemote(rec: Buffer, o: number, vlan: number, mac: string, egress: RemoteEgress, field: string): void {
  const [kind, index] = rawRemoteEgress(egress, field);
  rec[o] = vlan & 0xff; rec[o + 1] = vlan >>> 8;
  writeMac(rec, o + 2, mac);
  rec[o + 8] = kind; rec[o + 9] = rec[o + 10] = rec[o + 11] = 0;
  rec[o + 12] = index & 0xff; rec[o + 13] = (index >>> 8) & 0xff; rec[o + 14] = (index >>> 16) & 0xff; rec[o + 15] = index >>> 24;
}

export type FdbFilter = { bridge?: string; vlan?: number; port?: string };

export class Fdb {
  constructor(
    private core: RawCore,
    private reg: Registry,
  ) {}

  list(filter: FdbFilter = {}): FdbEntry[] {
    const out: FdbEntry[] = [];
    for (const [bname, b] of this.reg.bridges) {
      if (filter.bridge !== undefined && filter.bridge !== bname) continue;
      for (const e of this.core.fdbList(b.index)) {
        const egress = remoteEgress(e.egressKind, e.egressIndex);
        const port = egress ? '' : this.reg.portName(e.port);
        if (filter.vlan !== undefined && filter.vlan !== e.vlan) continue;
        if (filter.port !== undefined && filter.port !== port) continue;
        const kind = FDB_KIND.name(e.kind) ?? (e.static ? 'static' : 'learned');
        const entry: FdbEntry = { bridge: bname, port, vlan: e.vlan, mac: e.mac, kind, static: kind !== 'learned', age: e.age };
        if (egress) entry.egress = egress;
        out.push(entry);
      }
    }
    return out.sort((a, b) => a.bridge.localeCompare(b.bridge) || a.vlan - b.vlan || a.mac.localeCompare(b.mac));
  }

  addStatic(bridge: string, vlan: number, mac: string, port: string): void {
    const p = this.reg.portEntry(port);
    if (p.bridge !== bridge) throw new DataplaneError(`port ${port} is not in bridge ${bridge}`);
    this.core.fdbAddStatic(this.reg.bridge(bridge).index, vlan, macBytes(mac), p.id);
  }

  /** A MAC behind a tunnel endpoint or bond (kind 'remote'), replacing any entry it had. */
  addRemote(bridge: string, vlan: number, mac: string, egress: RemoteEgress): void {
    const [kind, index] = rawRemoteEgress(egress);
    this.core.fdbAddRemote(this.reg.bridge(bridge).index, vlan, macBytes(mac), kind, index);
  }

  /** Remote entries of one (bridge, VLAN) in one call to the core (an EVPN import
   *  batch). Returns how many were written: the first `n`; the rest found the FDB full. */
  addRemoteMany(bridge: string, vlan: number, entries: { mac: string; egress: RemoteEgress }[]): number {
    const bd = this.remoteBridge(bridge, vlan);
    const rec = Buffer.allocUnsafe(REMOTE_RECORD * entries.length);
    for (let i = 0; i < entries.length; i++) putRemote(rec, i * REMOTE_RECORD, vlan, entries[i]!.mac, entries[i]!.egress, 'entries[].egress');
    return this.core.fdbAddRemoteMany(bd, rec);
  }

  /** addRemoteMany over parallel arrays (entry i: macs[i] behind egress[i]), so
   *  that a caller's batch needs no object per entry (evpn.ts). */
  addRemoteColumns(bridge: string, vlan: number, macs: readonly string[], egress: readonly RemoteEgress[]): number {
    const bd = this.remoteBridge(bridge, vlan);
    if (macs.length !== egress.length) throw new DataplaneError(`egress must have one entry per MAC (${macs.length}), got ${egress.length}`);
    const rec = Buffer.allocUnsafe(REMOTE_RECORD * macs.length);
    for (let i = 0; i < macs.length; i++) putRemote(rec, i * REMOTE_RECORD, vlan, macs[i]!, egress[i]!, 'egress');
    return this.core.fdbAddRemoteMany(bd, rec);
  }

  private remoteBridge(bridge: string, vlan: number): number {
    const bd = this.reg.bridge(bridge).index;
    if (!Number.isInteger(vlan) || vlan < 0 || vlan > 4095) throw new DataplaneError(`vlan must be 0-4095, got ${vlan}`);
    return bd;
  }

  del(bridge: string, vlan: number, mac: string): boolean {
    return this.core.fdbDel(this.reg.bridge(bridge).index, vlan, macBytes(mac));
  }

  flush(filter: { bridge?: string; port?: string; vlan?: number; includeStatic?: boolean } = {}): number {
    let n = 0;
    const port = filter.port !== undefined ? this.reg.portEntry(filter.port).id : -1;
    for (const [name, b] of this.reg.bridges) {
      if (filter.bridge !== undefined && filter.bridge !== name) continue;
      n += this.core.fdbFlush(b.index, port, filter.vlan ?? -1, filter.includeStatic ?? false);
    }
    return n;
  }
}
