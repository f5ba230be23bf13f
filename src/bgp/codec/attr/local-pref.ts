/** LOCAL_PREF (type 5, well-known; RFC 4271 §5.1.5). RFC 7606 §7.5: length ≠ 4 → treat-as-withdraw; ignored from eBGP peers (the peer drops it). */
import { ErrorAction } from '../errors.js';
import { AttrCode, AttrFlag, type AttrCodec } from './types.js';
import { lengthError, u32 } from './util.js';

export const localPref: AttrCodec<'localPref'> = {
  code: AttrCode.LocalPref, key: 'localPref', flags: AttrFlag.Transitive, malformed: ErrorAction.TreatAsWithdraw,
  decode(v) { if (v.length !== 4) lengthError('LOCAL_PREF', v.length, ErrorAction.TreatAsWithdraw, '4'); return v.readUInt32BE(0); },
  encode: u32,
};
