// IPv4/IPv6 address and prefix parsing for config and API values.
import { isIPv4, isIPv6 } from 'node:net';

export interface Prefix {
  af: 4 | 6;
  bytes: Buffer; // network order, 4 or 16 bytes, host bits cleared
  plen: number;
}

export function parseIp(s: string): { af: 4 | 6; bytes: Buffer } | null {
  if (isIPv4(s)) return { af: 4, bytes: Buffer.from(s.split('.').map((x) => Number(x))) };
  if (isIPv6(s)) return { af: 6, bytes: ipv6Bytes(s) };
  return null;
}

function ipv6Bytes(s: string): Buffer {
  let text = s;
  const out = Buffer.alloc(16);
  // an embedded IPv4 tail (::ffff:1.2.3.4)
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1]!.split('.').map(Number);
    text = text.slice(0, -v4[1]!.length) + `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':').filter((x) => x !== '') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** Fast path for the common "a.b.c.d/n" form (no regex, no intermediate arrays). */
function parsePrefix4(s: string, host: boolean): Prefix | null | undefined {
  let o = 0, v = 0, digits = 0;
  const b = Buffer.allocUnsafe(4);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      if (++digits > 3 || v > 255) return undefined;
    } else if (c === 46 && o < 3 && digits) {
      b[o++] = v;
      v = digits = 0;
    } else if (c === 47 && o === 3 && digits) {
      b[3] = v;
      const plen = Number(s.slice(i + 1));
      if (!Number.isInteger(plen) || plen < 0 || plen > 32 || i + 1 === s.length) return null;
      return { af: 4, bytes: host ? b : maskBytes(b, plen), plen };
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** Parses "a.b.c.d/n" or "x::/n"; `host`: keep host bits (interface addresses). */
export function parsePrefix(s: string, host = false): Prefix | null {
  const fast = parsePrefix4(s, host);
  if (fast !== undefined) return fast;
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s.trim());
  if (!m) return null;
  const ip = parseIp(m[1]!);
  const plen = Number(m[2]);
  if (!ip || plen > (ip.af === 4 ? 32 : 128)) return null;
  return { af: ip.af, bytes: host ? ip.bytes : maskBytes(ip.bytes, plen), plen };
}

export function maskBytes(b: Buffer, plen: number): Buffer {
  if (plen >= b.length * 8) return b;
  const out = Buffer.from(b);
  for (let i = 0; i < out.length; i++) {
    const bits = Math.max(0, Math.min(8, plen - i * 8));
    out[i] = out[i]! & ((0xff << (8 - bits)) & 0xff);
  }
  return out;
}

export function contains(p: Prefix, ip: Buffer): boolean {
  return ip.length === p.bytes.length && maskBytes(ip, p.plen).equals(maskBytes(p.bytes, p.plen));
}

export function formatIp(b: Buffer): string {
  if (b.length === 4) return [...b].join('.');
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push(b.readUInt16BE(i));
  // RFC 5952: compress the longest run of zero groups (length >= 2)
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export function formatPrefix(p: Prefix): string {
  return `${formatIp(p.bytes)}/${p.plen}`;
}

export function ipToU32(b: Buffer): number {
  return b.readUInt32BE(0);
}
