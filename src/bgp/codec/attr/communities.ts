/** COMMUNITIES (type 8, optional transitive; RFC 1997). Text `ASN:VALUE`. RFC 7606 §7.8: length 0 or not a multiple of 4 → treat-as-withdraw. */
import { ErrorAction } from '../errors.js';
import { AttrCode, AttrFlag, type AttrCodec } from './types.js';
import { lengthError } from './util.js';

export const communities: AttrCodec<'communities'> = {
  code: AttrCode.Communities, key: 'communities', flags: AttrFlag.Optional | AttrFlag.Transitive, malformed: ErrorAction.TreatAsWithdraw,
  decode(v) {
    if (v.length === 0 || v.length % 4) lengthError('COMMUNITIES', v.length, ErrorAction.TreatAsWithdraw, 'a non-zero multiple of 4');
    const out: string[] = [];
    for (let o = 0; o < v.length; o += 4) out.push(`${v.readUInt16BE(o)}:${v.readUInt16BE(o + 2)}`);
    return out;
  },
  encode(cs) {
    const b = Buffer.alloc(cs.length * 4);
    cs.forEach((c, i) => {
      const [a, x] = c.split(':').map(Number);
      if (!Number.isInteger(a) || !Number.isInteger(x) || a! > 0xffff || x! > 0xffff || a! < 0 || x! < 0) throw new TypeError(`bad community ${c}`);
      b.writeUInt16BE(a!, 4 * i); b.writeUInt16BE(x!, 4 * i + 2);
    });
    return b;
  },
};
