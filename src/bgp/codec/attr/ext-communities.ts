/**
 * EXTENDED_COMMUNITIES (type 16, optional transitive; RFC 4360). Values are
 * the text forms of src/bgp/codec/extcomm/. RFC 7606 §7.14: length 0 or not
 * a multiple of 8 → treat-as-withdraw.
 */
import { ErrorAction } from '../errors.js';
import { extCommunityFromString, extCommunityToString } from '../extcomm/index.js';
import { AttrCode, AttrFlag, type AttrCodec } from './types.js';
import { lengthError } from './util.js';

export const extCommunities: AttrCodec<'extCommunities'> = {
  code: AttrCode.ExtCommunities, key: 'extCommunities', flags: AttrFlag.Optional | AttrFlag.Transitive, malformed: ErrorAction.TreatAsWithdraw,
  decode(v) {
    if (v.length === 0 || v.length % 8) lengthError('EXTENDED_COMMUNITIES', v.length, ErrorAction.TreatAsWithdraw, 'a non-zero multiple of 8');
    const out: string[] = [];
    for (let o = 0; o < v.length; o += 8) out.push(extCommunityToString(v, o));
    return out;
  },
  encode: (cs) => Buffer.concat(cs.map(extCommunityFromString)),
};
