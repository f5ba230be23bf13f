/**
 * Route Distinguisher (RFC 4364 §4.2) and MPLS label field (RFC 3032 §2.1,
 * RFC 8277 §2) helpers.
 *
 * RD text forms: type 0 `ASN2:NUM4`, type 1 `A.B.C.D:NUM2`, type 2 `ASN4:NUM2`
 * (written `NL:M` when the 4-octet ASN would fit in two octets, so text → bytes
 * is unambiguous). Unknown RD types print as `T<type>:<hex>` and round-trip.
 */
import { colonHex, ipv4ToBytes, ipv4ToString, toHex } from './addr.js';

// The RDs decoded lately, in a small direct-mapped cache (64 entries, by a
// hash of the 8 octets): the routes of one remote PE's or VTEP's table share
// an RD, so they share one string (and its hash, for the maps that key on it)
// instead of building one per route, even when a batch interleaves the tables
// of many VTEPs (as a reflector's Loc-RIB walk does).
const RD_CACHE = 64;
const cachedRd = new Uint8Array(8 * RD_CACHE);
const cachedRdText: string[] = new Array<string>(RD_CACHE).fill('');

export function rdToString(b: Uint8Array, off: number): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < 8; i++) h = Math.imul(h ^ b[off + i]!, 0x01000193);
  const e = (h ^ (h >>> 16)) & (RD_CACHE - 1), at = e * 8;
  const hit = cachedRdText[e]!;
  if (hit !== '') {
    let i = 0;
    while (i < 8 && b[off + i] === cachedRd[at + i]) i++;
    if (i === 8) return hit;
  }
  const text = rdText(b, off);
  for (let i = 0; i < 8; i++) cachedRd[at + i] = b[off + i]!;
  cachedRdText[e] = text;
  return text;
}

function rdText(b: Uint8Array, off: number): string {
  const type = (b[off]! << 8) | b[off + 1]!;
  const dv = new DataView(b.buffer, b.byteOffset + off, 8);
  switch (type) {
    case 0: return `${dv.getUint16(2)}:${dv.getUint32(4)}`;
    case 1: return `${ipv4ToString(b, off + 2)}:${dv.getUint16(6)}`;
    case 2: {
      const asn = dv.getUint32(2);
      return `${asn}${asn <= 0xffff ? 'L' : ''}:${dv.getUint16(6)}`;
    }
    default: return `T${type}:${toHex(b.subarray(off + 2, off + 8))}`;
  }
}

export function rdToBytes(s: string, out: Uint8Array = new Uint8Array(8), off = 0): Uint8Array {
  const dv = new DataView(out.buffer, out.byteOffset + off, 8);
  const i = s.lastIndexOf(':');
  if (i < 0) throw new TypeError(`bad RD ${s}`);
  const admin = s.slice(0, i), num = Number(s.slice(i + 1));
  if (/^T\d+$/.test(admin)) {
    const raw = s.slice(i + 1);
    dv.setUint16(0, Number(admin.slice(1)));
    out.set(Buffer.from(raw, 'hex').subarray(0, 6), off + 2);
    return out;
  }
  if (!Number.isInteger(num) || num < 0) throw new TypeError(`bad RD ${s}`);
  if (admin.includes('.')) {
    if (num > 0xffff) throw new TypeError(`bad RD ${s}: number > 65535`);
    dv.setUint16(0, 1); ipv4ToBytes(admin, out, off + 2); dv.setUint16(6, num);
  } else {
    const four = admin.endsWith('L');
    const asn = Number(four ? admin.slice(0, -1) : admin);
    if (!Number.isInteger(asn) || asn < 0 || asn > 0xffffffff) throw new TypeError(`bad RD ${s}`);
    if (!four && asn <= 0xffff) {
      if (num > 0xffffffff) throw new TypeError(`bad RD ${s}`);
      dv.setUint16(0, 0); dv.setUint16(2, asn); dv.setUint32(4, num);
    } else {
      if (num > 0xffff) throw new TypeError(`bad RD ${s}: number > 65535`);
      dv.setUint16(0, 2); dv.setUint32(2, asn); dv.setUint16(6, num);
    }
  }
  return out;
}

/** 3-octet label field as a raw 24-bit value. */
export function read24(b: Uint8Array, off: number): number {
  return (b[off]! << 16) | (b[off + 1]! << 8) | b[off + 2]!;
}
/** 4-octet big-endian field (an Ethernet tag) from any byte array, no Buffer view. */
export function read32(b: Uint8Array, off: number): number {
  return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}
export function write24(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 16) & 255; b[off + 1] = (v >>> 8) & 255; b[off + 2] = v & 255;
}

/** RFC 8277 §2.4: label field of a withdrawn labelled NLRI. */
export const WITHDRAW_LABEL = 0x800000;

/** 10-octet Ethernet Segment Identifier (RFC 7432 §5) as colon hex. */
export function esiToString(b: Uint8Array, off: number): string {
  let zero = true;
  for (let i = 0; i < 10 && zero; i++) zero = b[off + i] === 0;
  return zero ? ZERO_ESI : colonHex(b, off, 10); // single-homed routes all share one string
}
const ZERO_ESI = '00:00:00:00:00:00:00:00:00:00';
export function esiToBytes(s: string, out: Uint8Array, off: number): void {
  if (s === '0' || s === '') { out.fill(0, off, off + 10); return; }
  const h = s.replace(/[:.\s-]/g, '');
  if (!/^[0-9a-fA-F]{20}$/.test(h)) throw new TypeError(`bad ESI ${s}`);
  out.set(Buffer.from(h, 'hex'), off);
}
