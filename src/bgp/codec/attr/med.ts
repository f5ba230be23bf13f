/** MULTI_EXIT_DISC (type 4, optional non-transitive; RFC 4271 §5.1.4). RFC 7606 §7.4: length ≠ 4 → treat-as-withdraw. */
import { ErrorAction } from '../errors.js';
import { AttrCode, AttrFlag, type AttrCodec } from './types.js';
import { lengthError, u32 } from './util.js';

export const med: AttrCodec<'med'> = {
  code: AttrCode.Med, key: 'med', flags: AttrFlag.Optional, malformed: ErrorAction.TreatAsWithdraw,
  decode(v) { if (v.length !== 4) lengthError('MULTI_EXIT_DISC', v.length, ErrorAction.TreatAsWithdraw, '4'); return v.readUInt32BE(0); },
  encode: u32,
};
