/** ADD-PATH capability (code 69, RFC 7911 §4): AFI (2), SAFI (1), Send/Receive (1: 1 receive, 2 send, 3 both). */
import type { AddPathTuple, CapabilityCodec } from './types.js';
import { capError } from './util.js';

export const addPath: CapabilityCodec = {
  code: 69, name: 'add-path',
  decode(v, caps) {
    if (v.length % 4) capError('add-path', `length ${v.length} not a multiple of 4`);
    const t = caps.addPath ?? (caps.addPath = []);
    for (let o = 0; o < v.length; o += 4) {
      const mode = v[o + 3]!;
      if (mode < 1 || mode > 3) capError('add-path', `send/receive value ${mode}`);
      t.push({ afi: v.readUInt16BE(o), safi: v[o + 2]!, mode: mode as AddPathTuple['mode'] });
    }
  },
  encode(caps) {
    const t = caps.addPath;
    if (!t?.length) return [];
    const b = Buffer.alloc(4 * t.length);
    t.forEach((x, i) => { b.writeUInt16BE(x.afi, 4 * i); b[4 * i + 2] = x.safi; b[4 * i + 3] = x.mode; });
    return [b];
  },
};
