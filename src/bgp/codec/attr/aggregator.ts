/**
 * AGGREGATOR (type 7, optional transitive; RFC 4271 §5.1.7: AS of 2 or 4 octets
 * per RFC 6793, + IPv4) and AS4_AGGREGATOR (type 18, RFC 6793 §3).
 * RFC 7606 §7.7: wrong length → attribute discard.
 */
import { ErrorAction } from '../errors.js';
import { ipv4ToBytes, ipv4ToString } from '../addr.js';
import { AS_TRANS } from './as-path.js';
import { AttrCode, AttrFlag, type Aggregator, type AttrCodec } from './types.js';
import { lengthError } from './util.js';

function dec(v: Buffer, four: boolean, name: string): Aggregator {
  const want = four ? 8 : 6;
  if (v.length !== want) lengthError(name, v.length, ErrorAction.AttributeDiscard, String(want));
  return four ? { as: v.readUInt32BE(0), address: ipv4ToString(v, 4) } : { as: v.readUInt16BE(0), address: ipv4ToString(v, 2) };
}
function enc(a: Aggregator, four: boolean): Buffer {
  const b = Buffer.alloc(four ? 8 : 6);
  if (four) { b.writeUInt32BE(a.as >>> 0); ipv4ToBytes(a.address, b, 4); } else { b.writeUInt16BE(a.as > 0xffff ? AS_TRANS : a.as); ipv4ToBytes(a.address, b, 2); }
  return b;
}

export const aggregator: AttrCodec<'aggregator'> = {
  code: AttrCode.Aggregator, key: 'aggregator', flags: AttrFlag.Optional | AttrFlag.Transitive, malformed: ErrorAction.AttributeDiscard,
  decode: (v, ctx) => dec(v, ctx.as4, 'AGGREGATOR'),
  encode: (a, ctx) => enc(a, ctx.as4),
};
export const as4Aggregator: AttrCodec<'as4Aggregator'> = {
  code: AttrCode.As4Aggregator, key: 'as4Aggregator', flags: AttrFlag.Optional | AttrFlag.Transitive, malformed: ErrorAction.AttributeDiscard,
  decode: (v) => dec(v, true, 'AS4_AGGREGATOR'),
  encode: (a) => enc(a, true),
};
