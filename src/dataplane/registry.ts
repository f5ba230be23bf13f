// Names <-> core indices, shared by the concept wrappers (ports.ts, bridges.ts,
// fdb.ts, vrfs.ts, events.ts): the core knows bridge domains, ports and VRFs by
// small integers; the controller knows them by name.  One registry per
// Dataplane; each wrapper updates only the maps of its own concept.
import type { PortSpec } from './ports.js';

export class DataplaneError extends Error {}

export class Registry {
  readonly bridges = new Map<string, { index: number; maxMacs: number }>();
  readonly bridgeByIndex = new Map<number, string>();
  readonly ports = new Map<string, PortSpec & { id: number }>();
  readonly portById = new Map<number, string>();
  readonly vrfs = new Map<string, number>();

  bridge(name: string): { index: number; maxMacs: number } {
    const b = this.bridges.get(name);
    if (!b) throw new DataplaneError(`no bridge named ${name}`);
    return b;
  }

  portEntry(name: string): PortSpec & { id: number } {
    const p = this.ports.get(name);
    if (!p) throw new DataplaneError(`no port named ${name}`);
    return p;
  }

  /** A port's name, or `#id` for one already removed. */
  portName(id: number | undefined): string {
    return this.portById.get(id ?? -1) ?? `#${id}`;
  }

  bridgeName(index: number | undefined): string {
    return this.bridgeByIndex.get(index ?? -1) ?? `#${index}`;
  }

  vrfIndex(name: string): number {
    const i = this.vrfs.get(name);
    if (i === undefined) throw new DataplaneError(`no vrf named ${name}`);
    return i;
  }

  /** Names of the ports whose `key` is `value` (bridge or vrf membership). */
  portsWhere(key: 'bridge' | 'vrf', value: string): string[] {
    return [...this.ports.values()].filter((p) => p[key] === value).map((p) => p.name);
  }
}

export function macBytes(mac: string): Buffer {
  const b = Buffer.allocUnsafe(6);
  writeMac(b, 0, mac);
  return b;
}

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX['0123456789abcdef'.charCodeAt(i)] = HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
function hexAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 128 ? HEX[c]! : -1;
}

/** Writes `mac` (aa:bb:cc:dd:ee:ff, '-' or no separators too) at buf[off..off+6). */
export function writeMac(buf: Uint8Array, off: number, mac: string): void {
  const step = mac.length === 17 ? 3 : mac.length === 12 ? 2 : 0;
  for (let i = 0; step && i < 6; i++) {
    const p = i * step;
    const hi = hexAt(mac, p), lo = hexAt(mac, p + 1);
    const sep = step === 3 && i < 5 ? mac[p + 2] : ':';
    if (hi < 0 || lo < 0 || (sep !== ':' && sep !== '-')) break;
    buf[off + i] = (hi << 4) | lo;
    if (i === 5) return;
  }
  throw new DataplaneError(`invalid MAC address ${mac}`);
}
