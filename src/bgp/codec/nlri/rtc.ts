/**
 * Route Target membership NLRI (RFC 4684 §4): length in bits (0 = default,
 * "every RT", or 32..96), origin AS (4 octets), then the route target
 * (an 8-octet extended community) truncated to length − 32 bits. The whole
 * NLRI is the key.
 */
import { nlriError } from '../errors.js';
import { extCommunityFromString, extCommunityToString } from '../extcomm/index.js';
import type { NlriCodec } from './types.js';

export interface RtcRoute {
  /** null for the default membership (length 0) */
  originAs: number | null;
  /** route target, e.g. `65000:100`; null for the default membership */
  routeTarget: string | null;
  /** prefix length in bits over AS + RT: 0 or 32..96 (96 = exact RT) */
  length: number;
}

export const rtc: NlriCodec<RtcRoute> = {
  split(buf, off, end, _w, kd) {
    if (off >= end) throw nlriError('rtc: no length octet');
    const bits = buf[off]!;
    if (bits !== 0 && (bits < 32 || bits > 96)) throw nlriError(`rtc: length ${bits} not 0 or 32..96`);
    const n = (bits + 7) >> 3;
    if (off + 1 + n > end) throw nlriError('rtc: NLRI overruns field');
    for (let i = 0; i <= n; i++) kd.buf[i] = buf[off + i]!;
    if (bits & 7) kd.buf[n]! &= (0xff << (8 - (bits & 7))) & 0xff;
    kd.keyLen = 1 + n; kd.dataLen = 0;
    return 1 + n;
  },
  join(src, ko, kl, _d, _l, _w, out, off) {
    for (let i = 0; i < kl; i++) out[off + i] = src[ko + i]!;
    return kl;
  },
  fromKD(key) {
    const bits = key[0]!;
    if (bits === 0) return { originAs: null, routeTarget: null, length: 0 };
    const originAs = ((key[1]! << 24) | (key[2]! << 16) | (key[3]! << 8) | key[4]!) >>> 0;
    const rt = new Uint8Array(8);
    rt.set(key.subarray(5));
    return { originAs, routeTarget: extCommunityToString(rt, 0).replace(/^[a-z-]+:/, ''), length: bits };
  },
  toKD(r, kd) {
    if (r.length === 0 || r.originAs === null) { kd.buf[0] = 0; kd.keyLen = 1; kd.dataLen = 0; return; }
    if (r.length < 32 || r.length > 96) throw new TypeError(`bad RTC length ${r.length}`);
    kd.buf[0] = r.length;
    kd.buf.writeUInt32BE(r.originAs >>> 0, 1);
    const rt = r.routeTarget === null ? new Uint8Array(8) : extCommunityFromString(r.routeTarget.startsWith('rt:') ? r.routeTarget : `rt:${r.routeTarget}`);
    kd.buf.set(rt, 5);
    const n = (r.length + 7) >> 3;
    if (r.length & 7) kd.buf[n]! &= (0xff << (8 - (r.length & 7))) & 0xff;
    kd.keyLen = 1 + n; kd.dataLen = 0;
  },
  keyString(r) { return r.length === 0 ? 'default' : `${r.originAs}:${r.routeTarget}/${r.length}`; },
};
