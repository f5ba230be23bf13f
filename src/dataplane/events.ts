// MAC events from the core (learned, moved, aged, ring overflow) mapped from
// indices to bridge and port names.
import type { RawEvent } from './addon.js';
import type { Registry } from './registry.js';

export type MacEvent =
  | { kind: 'learned' | 'aged'; bridge: string; vlan: number; mac: string; port: string }
  | { kind: 'moved'; bridge: string; vlan: number; mac: string; port: string; oldPort: string }
  | { kind: 'overflow'; lost: number };

const EV_KIND: Record<number, 'learned' | 'moved' | 'aged' | 'overflow'> = { 1: 'learned', 2: 'moved', 3: 'aged', 4: 'overflow' };

export function mapEvent(reg: Registry, e: RawEvent): MacEvent {
  const kind = EV_KIND[e.kind] ?? 'overflow';
  if (kind === 'overflow') return { kind, lost: e.count ?? 0 };
  const base = { bridge: reg.bridgeName(e.bd), vlan: e.vlan ?? 0, mac: e.mac ?? '', port: reg.portName(e.port) };
  if (kind === 'moved') return { kind, ...base, oldPort: reg.portName(e.oldPort) };
  return { kind, ...base };
}
