// Capture file writers: classic pcap and pcapng, as tcpdump, tshark and
// Wireshark read them — also from a pipe while the capture runs (the header
// first, then each batch of records as one write).
//
//  - pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.html, IETF draft
//    draft-ietf-opsawg-pcap): the nanosecond variant (magic 0xa1b23c4d), one
//    link type per file, little-endian; no direction per packet.
//  - pcapng (RFC draft-ietf-opsawg-pcapng): a Section Header Block, one
//    Interface Description Block (link type, snap length, if_name, if_tsresol
//    = 9: nanoseconds), then an Enhanced Packet Block per frame carrying its
//    direction in the epb_flags option (bits 0-1: 01 inbound, 10 outbound),
//    so `-i both` keeps which way each frame went.
export type CaptureFormat = 'pcap' | 'pcapng';

export interface PcapRecord {
  seconds: number;
  nanos: number;
  /** original length */
  len: number;
  data: Buffer;
  direction?: 'in' | 'out';
}

export interface PcapHeader {
  linktype: number;
  snaplen: number;
  /** pcapng: the interface name */
  ifName?: string;
}

const pad4 = (n: number) => (4 - (n % 4)) % 4;

/** The bytes that start a file. */
export function fileHeader(format: CaptureFormat, h: PcapHeader): Buffer {
  if (format === 'pcap') {
    const b = Buffer.alloc(24);
    b.writeUInt32LE(0xa1b23c4d, 0); // nanosecond timestamps
    b.writeUInt16LE(2, 4);
    b.writeUInt16LE(4, 6);
    b.writeUInt32LE(h.snaplen, 16);
    b.writeUInt32LE(h.linktype, 20);
    return b;
  }
  const shb = Buffer.alloc(28);
  shb.writeUInt32LE(0x0a0d0d0a, 0);
  shb.writeUInt32LE(28, 4);
  shb.writeUInt32LE(0x1a2b3c4d, 8); // byte-order magic
  shb.writeUInt16LE(1, 12);
  shb.writeUInt16LE(0, 14);
  shb.writeBigInt64LE(-1n, 16); // section length unknown
  shb.writeUInt32LE(28, 24);
  const opts: Buffer[] = [];
  if (h.ifName) opts.push(option(2, Buffer.from(h.ifName))); // if_name
  opts.push(option(9, Buffer.from([9]))); // if_tsresol: 10^-9
  opts.push(Buffer.alloc(4)); // opt_endofopt
  const body = Buffer.concat([u16(h.linktype), u16(0), u32(h.snaplen), ...opts]);
  return Buffer.concat([shb, block(1, body)]);
}

/** The bytes of a batch of records. */
export function records(format: CaptureFormat, recs: PcapRecord[]): Buffer {
  const parts: Buffer[] = [];
  for (const r of recs) {
    if (format === 'pcap') {
      const h = Buffer.alloc(16);
      h.writeUInt32LE(r.seconds, 0);
      h.writeUInt32LE(r.nanos, 4);
      h.writeUInt32LE(r.data.length, 8);
      h.writeUInt32LE(r.len, 12);
      parts.push(h, r.data);
      continue;
    }
    const ts = BigInt(r.seconds) * 1_000_000_000n + BigInt(r.nanos);
    const head = Buffer.alloc(20);
    head.writeUInt32LE(0, 0); // interface 0
    head.writeUInt32LE(Number(ts >> 32n), 4);
    head.writeUInt32LE(Number(ts & 0xffffffffn), 8);
    head.writeUInt32LE(r.data.length, 12);
    head.writeUInt32LE(r.len, 16);
    const opts = r.direction ? [option(2, u32(r.direction === 'in' ? 1 : 2)), Buffer.alloc(4)] : [];
    parts.push(block(6, Buffer.concat([head, r.data, Buffer.alloc(pad4(r.data.length)), ...opts])));
  }
  return Buffer.concat(parts);
}

function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
}
function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
}
function option(code: number, value: Buffer): Buffer {
  return Buffer.concat([u16(code), u16(value.length), value, Buffer.alloc(pad4(value.length))]);
}
function block(type: number, body: Buffer): Buffer {
  const len = 12 + body.length;
  return Buffer.concat([u32(type), u32(len), body, u32(len)]);
}

/** The pcap records in `buf` (16-byte headers + bytes, nanosecond timestamps), `directions[i]`: 1 in, 2 out. */
export function parseRecords(buf: Buffer, directions?: Buffer): PcapRecord[] {
  const out: PcapRecord[] = [];
  for (let off = 0; off + 16 <= buf.length; ) {
    const caplen = buf.readUInt32LE(off + 8);
    const d = directions?.[out.length];
    out.push({ seconds: buf.readUInt32LE(off), nanos: buf.readUInt32LE(off + 4), len: buf.readUInt32LE(off + 12), data: buf.subarray(off + 16, off + 16 + caplen), direction: d === 1 ? 'in' : d === 2 ? 'out' : undefined });
    off += 16 + caplen;
  }
  return out;
}

/** Bytes of the first `n` records of `buf`. */
export function recordsPrefix(buf: Buffer, n: number): number {
  let off = 0;
  for (let i = 0; i < n && off + 16 <= buf.length; i++) off += 16 + buf.readUInt32LE(off + 8);
  return off;
}
