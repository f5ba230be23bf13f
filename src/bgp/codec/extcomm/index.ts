/**
 * Extended community table: (type, subtype) → codec. Communities no codec
 * claims print as `raw:<16 hex digits>` and round-trip unchanged.
 */
import { dfElection } from './df-election.js';
import { encapsulation } from './encapsulation.js';
import { esImport } from './es-import.js';
import { esiLabel } from './esi-label.js';
import { macMobility } from './mac-mobility.js';
import { routeOrigin, routeTarget } from './route-target.js';
import { routerMac } from './router-mac.js';
import type { ExtCommunityCodec } from './types.js';

export const extCommunityCodecs: readonly ExtCommunityCodec[] = [routeTarget, routeOrigin, encapsulation, routerMac, macMobility, esiLabel, esImport, dfElection];
const byName = new Map(extCommunityCodecs.map((c) => [c.name, c]));

export function extCommunityToString(b: Uint8Array, off: number): string {
  const t = b[off]!, s = b[off + 1]!;
  for (const c of extCommunityCodecs) if (c.match(t, s)) return c.format(b, off);
  return `raw:${Buffer.from(b.subarray(off, off + 8)).toString('hex')}`;
}

export function extCommunityFromString(s: string): Uint8Array {
  const i = s.indexOf(':');
  const name = s.slice(0, i), v = s.slice(i + 1);
  const out = new Uint8Array(8);
  if (name === 'raw') {
    if (!/^[0-9a-fA-F]{16}$/.test(v)) throw new TypeError(`bad raw ext community ${s}`);
    out.set(Buffer.from(v, 'hex'));
    return out;
  }
  const c = byName.get(name);
  if (!c) throw new TypeError(`unknown extended community kind ${name} in ${s}`);
  c.parse(v, out);
  return out;
}

/** True for a route-target community (any of the three RT types). */
export function isRouteTarget(b: Uint8Array, off: number): boolean {
  return b[off + 1] === 0x02 && (b[off]! & 0x3f) <= 2;
}
export type { ExtCommunityCodec };
