/**
 * Graceful Restart capability (code 64, RFC 4724 §3): Restart Flags (4 bits:
 * R = 0x8, N = 0x4 from RFC 8538), Restart Time (12 bits), then per family
 * AFI (2), SAFI (1), flags (1, F = 0x80 forwarding state preserved).
 * A helper-only speaker lists no families.
 */
import type { CapabilityCodec } from './types.js';
import { capError } from './util.js';

export const gracefulRestart: CapabilityCodec = {
  code: 64, name: 'graceful-restart',
  decode(v, caps) {
    if (v.length < 2 || (v.length - 2) % 4) capError('graceful restart', `length ${v.length}`);
    const w = v.readUInt16BE(0);
    const families = [];
    for (let o = 2; o < v.length; o += 4) families.push({ afi: v.readUInt16BE(o), safi: v[o + 2]!, forwarding: (v[o + 3]! & 0x80) !== 0 });
    caps.gracefulRestart = { restarting: (w & 0x8000) !== 0, notification: (w & 0x4000) !== 0, time: w & 0xfff, families };
  },
  encode(caps) {
    const g = caps.gracefulRestart;
    if (!g) return [];
    const b = Buffer.alloc(2 + 4 * g.families.length);
    b.writeUInt16BE((g.restarting ? 0x8000 : 0) | (g.notification ? 0x4000 : 0) | (g.time & 0xfff));
    g.families.forEach((f, i) => { b.writeUInt16BE(f.afi, 2 + 4 * i); b[4 + 4 * i] = f.safi; b[5 + 4 * i] = f.forwarding ? 0x80 : 0; });
    return [b];
  },
};
