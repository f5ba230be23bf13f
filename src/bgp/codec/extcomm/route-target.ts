/**
 * Route Target (subtype 0x02) and Route Origin (subtype 0x03) extended
 * communities: type 0x00 two-octet AS (RFC 4360 §3.1), 0x01 IPv4 address
 * (§3.2), 0x02 four-octet AS (RFC 5668 §2). Text `rt:65000:100`, `rt:10.0.0.1:5`,
 * `rt:4200000000:1` (`rt:65000L:1` forces the four-octet form).
 */
import { ipv4ToBytes, ipv4ToString } from '../addr.js';
import type { ExtCommunityCodec } from './types.js';

function make(name: string, subtype: number): ExtCommunityCodec {
  return {
    name,
    match: (t, s) => s === subtype && (t & 0x3f) <= 2,
    format(b, off) {
      const dv = new DataView(b.buffer, b.byteOffset + off, 8);
      switch (b[off]! & 0x3f) {
        case 0: return `${name}:${dv.getUint16(2)}:${dv.getUint32(4)}`;
        case 1: return `${name}:${ipv4ToString(b, off + 2)}:${dv.getUint16(6)}`;
        default: { const a = dv.getUint32(2); return `${name}:${a}${a <= 0xffff ? 'L' : ''}:${dv.getUint16(6)}`; }
      }
    },
    parse(v, out) {
      const i = v.lastIndexOf(':');
      const admin = v.slice(0, i), num = Number(v.slice(i + 1));
      if (i < 0 || !Number.isInteger(num) || num < 0) throw new TypeError(`bad ${name} ${v}`);
      const dv = new DataView(out.buffer, out.byteOffset, 8);
      out[1] = subtype;
      if (admin.includes('.')) {
        out[0] = 0x01; ipv4ToBytes(admin, out, 2); dv.setUint16(6, num);
      } else {
        const four = admin.endsWith('L');
        const asn = Number(four ? admin.slice(0, -1) : admin);
        if (!Number.isInteger(asn) || asn < 0 || asn > 0xffffffff) throw new TypeError(`bad ${name} ${v}`);
        if (!four && asn <= 0xffff) { out[0] = 0x00; dv.setUint16(2, asn); dv.setUint32(4, num); }
        else { if (num > 0xffff) throw new TypeError(`bad ${name} ${v}`); out[0] = 0x02; dv.setUint32(2, asn); dv.setUint16(6, num); }
      }
    },
  };
}

export const routeTarget = make('rt', 0x02);
export const routeOrigin = make('soo', 0x03);
