/** ORIGIN (type 1, well-known mandatory; RFC 4271 §5.1.1). RFC 7606 §7.1: bad length or value > 2 → treat-as-withdraw. */
import { ErrorAction, updateError, UpdateSubcode } from '../errors.js';
import { AttrCode, AttrFlag, type AttrCodec } from './types.js';
import { lengthError } from './util.js';

export const origin: AttrCodec<'origin'> = {
  code: AttrCode.Origin, key: 'origin', flags: AttrFlag.Transitive, malformed: ErrorAction.TreatAsWithdraw,
  decode(v) {
    if (v.length !== 1) lengthError('ORIGIN', v.length, ErrorAction.TreatAsWithdraw, '1');
    if (v[0]! > 2) throw updateError(UpdateSubcode.InvalidOrigin, ErrorAction.TreatAsWithdraw, `ORIGIN value ${v[0]}`);
    return v[0]!;
  },
  encode: (o) => Buffer.from([o]),
};
export const originName = ['igp', 'egp', 'incomplete'] as const;
