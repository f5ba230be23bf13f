/** CLUSTER_LIST (type 10, optional non-transitive; RFC 4456 §8). RFC 7606 §7.10: length 0 or not a multiple of 4 → treat-as-withdraw. */
import { ErrorAction } from '../errors.js';
import { ipv4ToBytes, ipv4ToString } from '../addr.js';
import { AttrCode, AttrFlag, type AttrCodec } from './types.js';
import { lengthError } from './util.js';

export const clusterList: AttrCodec<'clusterList'> = {
  code: AttrCode.ClusterList, key: 'clusterList', flags: AttrFlag.Optional, malformed: ErrorAction.TreatAsWithdraw,
  decode(v) {
    if (v.length === 0 || v.length % 4) lengthError('CLUSTER_LIST', v.length, ErrorAction.TreatAsWithdraw, 'a non-zero multiple of 4');
    const out: string[] = [];
    for (let o = 0; o < v.length; o += 4) out.push(ipv4ToString(v, o));
    return out;
  },
  encode(ids) { const b = Buffer.alloc(ids.length * 4); ids.forEach((id, i) => ipv4ToBytes(id, b, 4 * i)); return b; },
};
