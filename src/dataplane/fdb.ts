// Forwarding databases, one per bridge: list (filtered, sorted), static entries,
// delete, flush.
import type { RawCore } from './addon.js';
import { DataplaneError, macBytes, type Registry } from './registry.js';

export interface FdbEntry {
  bridge: string;
  port: string;
  vlan: number;
  mac: string;
  static: boolean;
  /** seconds since last seen (0 for static entries) */
  age: number;
}

export class Fdb {
  constructor(
    private core: RawCore,
    private reg: Registry,
  ) {}

  list(filter: { bridge?: string; vlan?: number; port?: string } = {}): FdbEntry[] {
    const out: FdbEntry[] = [];
    for (const [bname, b] of this.reg.bridges) {
      if (filter.bridge !== undefined && filter.bridge !== bname) continue;
      for (const e of this.core.fdbList(b.index)) {
        const port = this.reg.portName(e.port);
        if (filter.vlan !== undefined && filter.vlan !== e.vlan) continue;
        if (filter.port !== undefined && filter.port !== port) continue;
        out.push({ bridge: bname, port, vlan: e.vlan, mac: e.mac, static: e.static, age: e.age });
      }
    }
    return out.sort((a, b) => a.bridge.localeCompare(b.bridge) || a.vlan - b.vlan || a.mac.localeCompare(b.mac));
  }

  addStatic(bridge: string, vlan: number, mac: string, port: string): void {
    const p = this.reg.portEntry(port);
    if (p.bridge !== bridge) throw new DataplaneError(`port ${port} is not in bridge ${bridge}`);
    this.core.fdbAddStatic(this.reg.bridge(bridge).index, vlan, macBytes(mac), p.id);
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
