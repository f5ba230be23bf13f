/**
 * Minimal pcap reader for the captures taken by the interop tests: Ethernet /
 * IPv4 or IPv6 / TCP, payload reassembled per direction in sequence order
 * (retransmissions dropped), then split into BGP messages.
 */
import { readFileSync } from 'node:fs';
import { MessageReader } from '../../../src/bgp/codec/message/index.js';

export interface CapturedMessage { from: string; to: string; hex: string; type: number }

export function readBgpMessages(file: string): CapturedMessage[] {
  const b = readFileSync(file);
  if (b.length < 24) return [];
  const le = b.readUInt32LE(0) === 0xa1b2c3d4 || b.readUInt32LE(0) === 0xa1b23c4d;
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const linktype = u32(20);
  const flows = new Map<string, { from: string; to: string; next: number | null; chunks: Buffer[] }>();
  for (let o = 24; o + 16 <= b.length;) {
    const incl = u32(o + 8);
    let p = o + 16;
    const end = p + incl;
    o = end;
    if (linktype === 1) { let et = b.readUInt16BE(p + 12); p += 14; if (et === 0x8100) { et = b.readUInt16BE(p + 2); p += 4; } if (et !== 0x0800 && et !== 0x86dd) continue; }
    else if (linktype !== 101) continue;
    const ver = b[p]! >> 4;
    let src: string, dst: string, proto: number, l4: number;
    if (ver === 4) { const ihl = (b[p]! & 15) * 4; proto = b[p + 9]!; src = [...b.subarray(p + 12, p + 16)].join('.'); dst = [...b.subarray(p + 16, p + 20)].join('.'); l4 = p + ihl; }
    else { proto = b[p + 6]!; src = b.subarray(p + 8, p + 24).toString('hex'); dst = b.subarray(p + 24, p + 40).toString('hex'); l4 = p + 40; }
    if (proto !== 6) continue;
    const sport = b.readUInt16BE(l4), dport = b.readUInt16BE(l4 + 2), seq = b.readUInt32BE(l4 + 4), off = (b[l4 + 12]! >> 4) * 4;
    const flags = b[l4 + 13]!;
    const payload = b.subarray(l4 + off, end);
    const key = `${src}:${sport}>${dst}:${dport}`;
    let f = flows.get(key);
    if (!f) { f = { from: `${src}:${sport}`, to: `${dst}:${dport}`, next: null, chunks: [] }; flows.set(key, f); }
    if (flags & 0x02) { f.next = (seq + 1) >>> 0; continue; }
    if (payload.length === 0) continue;
    if (f.next === null) f.next = seq;
    if (seq !== f.next) continue; // retransmission or gap: keep the stream we have
    f.chunks.push(Buffer.from(payload));
    f.next = (seq + payload.length) >>> 0;
  }
  const out: CapturedMessage[] = [];
  for (const f of flows.values()) {
    const r = new MessageReader();
    r.maxLen = 65535;
    r.push(Buffer.concat(f.chunks));
    for (let m = r.next(); m; m = r.next()) out.push({ from: f.from, to: f.to, type: m[0][m[1] + 18]!, hex: m[0].subarray(m[1], m[1] + m[2]).toString('hex') });
  }
  return out;
}
