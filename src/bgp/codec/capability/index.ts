/**
 * Capability table and the optional-parameter walk of OPEN (RFC 5492 §4):
 * capabilities may come one per parameter or several in one; unknown ones
 * are kept (as hex) and ignored.
 */
import { addPath } from './add-path.js';
import { as4 } from './as4.js';
import { extendedMessage } from './extended-message.js';
import { extendedNextHop } from './extended-nexthop.js';
import { gracefulRestart } from './graceful-restart.js';
import { multiprotocol } from './multiprotocol.js';
import { enhancedRouteRefresh, routeRefresh, routeRefreshOld } from './route-refresh.js';
import type { Capabilities, CapabilityCodec } from './types.js';
import { capError } from './util.js';

export const capabilityCodecs: readonly CapabilityCodec[] = [multiprotocol, routeRefresh, extendedNextHop, extendedMessage, gracefulRestart, as4, addPath, enhancedRouteRefresh, routeRefreshOld];
const byCode = new Map(capabilityCodecs.map((c) => [c.code, c]));

/** Decode the capability TLVs inside one optional parameter of type 2. */
export function decodeCapabilities(v: Buffer, caps: Capabilities): void {
  let o = 0;
  while (o < v.length) {
    if (o + 2 > v.length) capError('parameter', 'truncated capability header');
    const code = v[o]!, len = v[o + 1]!;
    if (o + 2 + len > v.length) capError(`code ${code}`, `length ${len} overruns the parameter`);
    const value = v.subarray(o + 2, o + 2 + len);
    const c = byCode.get(code);
    if (c) c.decode(value, caps);
    else (caps.unknown ?? (caps.unknown = [])).push({ code, value: value.toString('hex') });
    o += 2 + len;
  }
}

/** Encode capabilities as TLVs (code, length, value), in table order. */
export function encodeCapabilities(caps: Capabilities): Buffer[] {
  const out: Buffer[] = [];
  for (const c of capabilityCodecs) {
    for (const v of c.encode(caps)) out.push(Buffer.concat([Buffer.from([c.code, v.length]), v]));
  }
  for (const u of caps.unknown ?? []) { const v = Buffer.from(u.value, 'hex'); out.push(Buffer.concat([Buffer.from([u.code, v.length]), v])); }
  return out;
}

export function emptyCapabilities(): Capabilities { return { multiprotocol: [] }; }
export type * from './types.js';
