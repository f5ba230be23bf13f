/** ATOMIC_AGGREGATE (type 6, well-known discretionary; RFC 4271 §5.1.6). RFC 7606 §7.6: length ≠ 0 → attribute discard. */
import { ErrorAction } from '../errors.js';
import { AttrCode, AttrFlag, type AttrCodec } from './types.js';
import { lengthError } from './util.js';

export const atomicAggregate: AttrCodec<'atomicAggregate'> = {
  code: AttrCode.AtomicAggregate, key: 'atomicAggregate', flags: AttrFlag.Transitive, malformed: ErrorAction.AttributeDiscard,
  decode(v) { if (v.length !== 0) lengthError('ATOMIC_AGGREGATE', v.length, ErrorAction.AttributeDiscard, '0'); return true; },
  encode: () => Buffer.alloc(0),
};
