// MAC events from the core (learned, moved, aged, ring overflow) mapped from
// indices to bridge and port names.  A move from a tunnel or bond (a remote
// entry the controller wrote, fdb.h) names the old egress instead of a port, so
// the controller can apply EVPN MAC mobility (RFC 7432 §15).
import type { RawEvent } from './addon.js';
import { CEnum } from './constants.js';
import { remoteEgress, type RemoteEgress } from './egress.js';
import type { Registry } from './registry.js';

type Where = { bridge: string; vlan: number; mac: string; port: string };
export type MacEvent =
  | ({ kind: 'learned' | 'aged' } & Where)
  /** moved from a local port (`oldPort`) or from a tunnel/bond (`oldEgress`) */
  | ({ kind: 'moved'; oldPort: string } & Where)
  | ({ kind: 'moved'; oldEgress: RemoteEgress } & Where)
  | { kind: 'overflow'; lost: number };

/** MAC event kinds (enum hv_event_kind, hv.h). */
export const EV_KIND = new CEnum<MacEvent['kind']>('event_kind', {
  learned: 'LEARNED',
  moved: 'MOVED',
  aged: 'AGED',
  overflow: 'RING_OVERFLOW',
});

export function mapEvent(reg: Registry, e: RawEvent): MacEvent {
  const kind = EV_KIND.name(e.kind) ?? 'overflow';
  if (kind === 'overflow') return { kind, lost: e.count ?? 0 };
  const base = { bridge: reg.bridgeName(e.bd), vlan: e.vlan ?? 0, mac: e.mac ?? '', port: reg.portName(e.port) };
  if (kind === 'moved') {
    const old = remoteEgress(e.oldEgressKind, e.oldEgressIndex);
    return old ? { kind, ...base, oldEgress: old } : { kind, ...base, oldPort: reg.portName(e.oldPort) };
  }
  return { kind, ...base };
}
