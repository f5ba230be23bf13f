/**
 * Address and byte helpers shared by the codecs. Text forms follow the usual
 * conventions (dotted quad, RFC 5952 compressed IPv6, colon-separated MAC).
 */
import { isIPv4, isIPv6 } from 'node:net';

export function ipv4ToString(b: Uint8Array, off = 0): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

export function ipv4ToBytes(s: string, out: Uint8Array = new Uint8Array(4), off = 0): Uint8Array {
  const p = s.split('.');
  if (p.length !== 4 || !isIPv4(s)) throw new TypeError(`bad IPv4 address ${s}`);
  for (let i = 0; i < 4; i++) out[off + i] = Number(p[i]);
  return out;
}

export function ipv6ToString(b: Uint8Array, off = 0, len = 16): string {
  const w: number[] = [];
  for (let i = 0; i < 16; i += 2) w.push(i < len ? ((b[off + i] ?? 0) << 8) | (i + 1 < len ? (b[off + i + 1] ?? 0) : 0) : 0);
  // IPv4-mapped ::ffff:a.b.c.d keeps its dotted tail (RFC 5952 §5).
  if (w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff) {
    return `::ffff:${w[6]! >> 8}.${w[6]! & 255}.${w[7]! >> 8}.${w[7]! & 255}`;
  }
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = w.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function ipv6ToBytes(s: string, out: Uint8Array = new Uint8Array(16), off = 0): Uint8Array {
  if (!isIPv6(s)) throw new TypeError(`bad IPv6 address ${s}`);
  let str = s;
  const tail: number[] = [];
  const m = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(str);
  if (m) {
    const v4 = ipv4ToBytes(m[2]!);
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    str = m[1]!.endsWith('::') ? m[1]! : m[1]!.slice(0, -1);
  }
  const [head, rest] = str.includes('::') ? str.split('::') as [string, string] : [str, undefined];
  const hw = head ? head.split(':').filter((x) => x !== '').map((x) => parseInt(x, 16)) : [];
  const rw = rest !== undefined && rest !== '' ? rest.split(':').map((x) => parseInt(x, 16)) : [];
  const words = rest === undefined ? [...hw, ...tail] : [...hw, ...new Array(8 - hw.length - rw.length - tail.length).fill(0), ...rw, ...tail];
  for (let i = 0; i < 8; i++) { out[off + 2 * i] = (words[i]! >> 8) & 255; out[off + 2 * i + 1] = words[i]! & 255; }
  return out;
}

export function ipToBytes(s: string): Uint8Array {
  return s.includes(':') ? ipv6ToBytes(s) : ipv4ToBytes(s);
}

export function ipToString(b: Uint8Array, off = 0, len = b.length - off): string {
  return len === 4 ? ipv4ToString(b, off) : ipv6ToString(b, off, len);
}

/** Two lower-case hex digits per octet value (decoders format every MAC and ESI). */
export const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `n` octets at b[off] as colon hex: one flat string (join; `+=` would leave a
 *  rope of cons strings, larger when kept as a map key). */
export function colonHex(b: Uint8Array, off: number, n: number): string {
  const p = new Array<string>(n);
  for (let i = 0; i < n; i++) p[i] = HEX2[b[off + i]!]!;
  return p.join(':');
}

export function macToString(b: Uint8Array, off = 0): string {
  return colonHex(b, off, 6);
}

export function macToBytes(s: string, out: Uint8Array = new Uint8Array(6), off = 0): Uint8Array {
  const p = s.split(/[:-]/);
  if (p.length !== 6 || p.some((x) => !/^[0-9a-fA-F]{1,2}$/.test(x))) throw new TypeError(`bad MAC ${s}`);
  for (let i = 0; i < 6; i++) out[off + i] = parseInt(p[i]!, 16);
  return out;
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export function fromHex(s: string): Buffer {
  return Buffer.from(s.replace(/[\s:]/g, ''), 'hex');
}

/** Copy `plen` bits of an address into the minimal number of octets, clearing trailing bits. */
export function prefixBytes(addr: Uint8Array, plen: number): Uint8Array {
  const n = (plen + 7) >> 3;
  const out = addr.slice(0, n);
  if (plen & 7 && n > 0) out[n - 1]! &= (0xff << (8 - (plen & 7))) & 0xff;
  return out;
}

export function parsePrefix(s: string): { addr: Uint8Array; plen: number; v6: boolean } {
  const [a, l] = s.split('/');
  if (a === undefined) throw new TypeError(`bad prefix ${s}`);
  const v6 = a.includes(':');
  const addr = v6 ? ipv6ToBytes(a) : ipv4ToBytes(a);
  const plen = l === undefined ? addr.length * 8 : Number(l);
  if (!Number.isInteger(plen) || plen < 0 || plen > addr.length * 8) throw new TypeError(`bad prefix length in ${s}`);
  return { addr, plen, v6 };
}

export function formatPrefix(bytes: Uint8Array, off: number, plen: number, v6: boolean): string {
  if (!v6) {
    // no scratch array: the octets the key holds, the rest 0, bits past plen cleared
    const n = (plen + 7) >> 3;
    const b0 = n > 0 ? bytes[off]! : 0, b1 = n > 1 ? bytes[off + 1]! : 0, b2 = n > 2 ? bytes[off + 2]! : 0, b3 = n > 3 ? bytes[off + 3]! : 0;
    const a = (((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) & (plen === 0 ? 0 : ~0 << (32 - plen))) >>> 0;
    return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/${plen}`;
  }
  const full = new Uint8Array(16);
  const n = (plen + 7) >> 3;
  for (let i = 0; i < n; i++) full[i] = bytes[off + i]!;
  if (plen & 7 && n > 0) full[n - 1]! &= (0xff << (8 - (plen & 7))) & 0xff;
  return `${ipv6ToString(full)}/${plen}`;
}
