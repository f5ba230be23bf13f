/**
 * NEXT_HOP (type 3, well-known; RFC 4271 §5.1.3), used for IPv4 unicast NLRI in
 * the UPDATE body. RFC 7606 §7.3: length ≠ 4 or a martian address (0.0.0.0,
 * 127/8, class D/E) → treat-as-withdraw, as FRR and GoBGP do.
 */
import { ErrorAction, updateError, UpdateSubcode } from '../errors.js';
import { ipv4ToBytes, ipv4ToString } from '../addr.js';
import { AttrCode, AttrFlag, type AttrCodec } from './types.js';
import { lengthError } from './util.js';

export const nextHop: AttrCodec<'nextHop'> = {
  code: AttrCode.NextHop, key: 'nextHop', flags: AttrFlag.Transitive, malformed: ErrorAction.TreatAsWithdraw,
  decode(v, ctx) {
    if (v.length !== 4) lengthError('NEXT_HOP', v.length, ErrorAction.TreatAsWithdraw, '4');
    const a = v[0]!;
    if ((a === 0 && v.readUInt32BE(0) === 0) || a >= 224 || (a === 127 && !ctx.allowLoopbackNextHop)) {
      throw updateError(UpdateSubcode.InvalidNextHop, ErrorAction.TreatAsWithdraw, `NEXT_HOP ${ipv4ToString(v)} is not a valid unicast address`);
    }
    return ipv4ToString(v);
  },
  encode: (s) => Buffer.from(ipv4ToBytes(s)),
};
