// Classic pcap (libpcap 2.4, microsecond timestamps, LINKTYPE_ETHERNET) read and
// write, for golden tests: tcpdump -r / wireshark open the files as they are.
import { readFileSync, writeFileSync } from 'node:fs';

export function readPcap(path: string): Buffer[] {
  const b = readFileSync(path);
  const magic = b.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && b.readUInt32BE(0) !== 0xa1b2c3d4 && b.readUInt32BE(0) !== 0xa1b23c4d) throw new Error(`${path}: not a pcap file`);
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const frames: Buffer[] = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const incl = u32(o + 8);
    frames.push(Buffer.from(b.subarray(o + 16, o + 16 + incl)));
    o += 16 + incl;
  }
  return frames;
}

export function writePcap(path: string, frames: Buffer[]): void {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16);
  head.writeUInt32LE(1, 20);
  const parts: Buffer[] = [head];
  frames.forEach((f, i) => {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(0, 0);
    h.writeUInt32LE(i, 4); // a stable, increasing timestamp: files diff cleanly
    h.writeUInt32LE(f.length, 8);
    h.writeUInt32LE(f.length, 12);
    parts.push(h, f);
  });
  writeFileSync(path, Buffer.concat(parts));
}
