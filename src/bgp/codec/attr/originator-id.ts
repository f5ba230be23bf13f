/** ORIGINATOR_ID (type 9, optional non-transitive; RFC 4456 §8). RFC 7606 §7.9: length ≠ 4 → treat-as-withdraw. */
import { ErrorAction } from '../errors.js';
import { ipv4ToBytes, ipv4ToString } from '../addr.js';
import { AttrCode, AttrFlag, type AttrCodec } from './types.js';
import { lengthError } from './util.js';

export const originatorId: AttrCodec<'originatorId'> = {
  code: AttrCode.OriginatorId, key: 'originatorId', flags: AttrFlag.Optional, malformed: ErrorAction.TreatAsWithdraw,
  decode(v) { if (v.length !== 4) lengthError('ORIGINATOR_ID', v.length, ErrorAction.TreatAsWithdraw, '4'); return ipv4ToString(v); },
  encode: (s) => Buffer.from(ipv4ToBytes(s)),
};
