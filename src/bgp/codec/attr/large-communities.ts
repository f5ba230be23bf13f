/** LARGE_COMMUNITY (type 32, optional transitive; RFC 8092). Text `GA:LD1:LD2`. Length 0 or not a multiple of 12 → treat-as-withdraw (RFC 8092 §6). */
import { ErrorAction } from '../errors.js';
import { AttrCode, AttrFlag, type AttrCodec } from './types.js';
import { lengthError } from './util.js';

export const largeCommunities: AttrCodec<'largeCommunities'> = {
  code: AttrCode.LargeCommunities, key: 'largeCommunities', flags: AttrFlag.Optional | AttrFlag.Transitive, malformed: ErrorAction.TreatAsWithdraw,
  decode(v) {
    if (v.length === 0 || v.length % 12) lengthError('LARGE_COMMUNITY', v.length, ErrorAction.TreatAsWithdraw, 'a non-zero multiple of 12');
    const out: string[] = [];
    for (let o = 0; o < v.length; o += 12) out.push(`${v.readUInt32BE(o)}:${v.readUInt32BE(o + 4)}:${v.readUInt32BE(o + 8)}`);
    return out;
  },
  encode(cs) {
    const b = Buffer.alloc(cs.length * 12);
    cs.forEach((c, i) => {
      const p = c.split(':').map(Number);
      if (p.length !== 3 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 0xffffffff)) throw new TypeError(`bad large community ${c}`);
      p.forEach((x, j) => b.writeUInt32BE(x, 12 * i + 4 * j));
    });
    return b;
  },
};
