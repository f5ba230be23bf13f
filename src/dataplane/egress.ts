// Egress handles (native/core/egress.h): where a frame leaves the switch, a
// local port, a tunnel endpoint or a bond.  The core packs kind and index into
// one 32-bit value; the addon splits it into (kind, index), so the bit layout
// stays in C.  Here a local port is known by its name (the registry's), a
// tunnel or bond by its index in that kind's table.
import { EGRESS_KIND, limits, type EgressKind } from './constants.js';
import { DataplaneError } from './registry.js';

export type { EgressKind } from './constants.js';

/** A tunnel endpoint or bond: an egress that is not a local port. */
export interface RemoteEgress {
  kind: Exclude<EgressKind, 'port'>;
  index: number;
}

/** A raw egress (kind, index) as a RemoteEgress, or null for a local port (or none given). */
export function remoteEgress(kind: number | undefined, index: number | undefined): RemoteEgress | null {
  if (kind === undefined) return null;
  const k = EGRESS_KIND.name(kind);
  if (k === 'port') return null;
  // A kind this side has no name for is shown as it is rather than hidden.
  return { kind: k ?? (`#${kind}` as RemoteEgress['kind']), index: index ?? 0 };
}

/** Checks a tunnel/bond egress (field path `field`) and returns its raw (kind, index). */
export function rawRemoteEgress(e: RemoteEgress, field = 'egress'): [kind: number, index: number] {
  const kind = (e.kind as string) === 'port' ? undefined : EGRESS_KIND.value[e.kind];
  if (kind === undefined) throw new DataplaneError(`${field}.kind must be tunnel or bond, got ${e.kind}`);
  if (!Number.isInteger(e.index) || e.index < 0 || e.index > limits.HV_EGRESS_INDEX_MASK)
    throw new DataplaneError(`${field}.index must be 0-${limits.HV_EGRESS_INDEX_MASK}, got ${e.index}`);
  return [kind, e.index];
}
