/**
 * Extended Next Hop Encoding capability (code 5, RFC 8950 §3): tuples of NLRI
 * AFI (2), NLRI SAFI (2), next-hop AFI (2). Tuples RFC 8950 does not define
 * (GoBGP sends some) are kept as received and simply never used.
 */
import type { CapabilityCodec } from './types.js';
import { capError } from './util.js';

export const extendedNextHop: CapabilityCodec = {
  code: 5, name: 'extended-nexthop',
  decode(v, caps) {
    if (v.length % 6) capError('extended next hop', `length ${v.length} not a multiple of 6`);
    const t = caps.extendedNextHop ?? (caps.extendedNextHop = []);
    for (let o = 0; o < v.length; o += 6) t.push({ afi: v.readUInt16BE(o), safi: v.readUInt16BE(o + 2), nextHopAfi: v.readUInt16BE(o + 4) });
  },
  encode(caps) {
    const t = caps.extendedNextHop;
    if (!t?.length) return [];
    const b = Buffer.alloc(6 * t.length);
    t.forEach((x, i) => { b.writeUInt16BE(x.afi, 6 * i); b.writeUInt16BE(x.safi, 6 * i + 2); b.writeUInt16BE(x.nextHopAfi, 6 * i + 4); });
    return [b];
  },
};
