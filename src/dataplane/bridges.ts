// Bridge domains: add, remove, list.  A bridge's index is the lowest free one.
import type { RawCore } from './addon.js';
import { DataplaneError, type Registry } from './registry.js';

export interface BridgeState {
  name: string;
  index: number;
  maxMacs: number;
  ports: string[];
  macs: number;
}

export class Bridges {
  constructor(
    private core: RawCore,
    private reg: Registry,
  ) {}

  add(name: string, maxMacs: number): void {
    if (this.reg.bridges.has(name)) throw new DataplaneError(`bridge ${name} exists`);
    let index = 0;
    while (this.reg.bridgeByIndex.has(index)) index++;
    this.core.addBridgeDomain(index, maxMacs);
    this.reg.bridges.set(name, { index, maxMacs });
    this.reg.bridgeByIndex.set(index, name);
  }

  remove(name: string): void {
    const b = this.reg.bridge(name);
    this.core.removeBridgeDomain(b.index);
    this.reg.bridges.delete(name);
    this.reg.bridgeByIndex.delete(b.index);
  }

  list(): BridgeState[] {
    return [...this.reg.bridges].map(([name, b]) => ({
      name,
      index: b.index,
      maxMacs: b.maxMacs,
      ports: this.reg.portsWhere('bridge', name),
      macs: this.core.fdbList(b.index).length,
    }));
  }
}
