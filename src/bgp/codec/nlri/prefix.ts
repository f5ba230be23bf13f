/**
 * IPv4 / IPv6 unicast prefixes (RFC 4271 §4.3, RFC 4760 §5): one octet of
 * prefix length in bits, then the significant octets. Key = length + octets
 * with bits past the length cleared; no data.
 */
import { nlriError } from '../errors.js';
import { formatPrefix, parsePrefix } from '../addr.js';
import { prefixKey4Bytes } from '../../../util/prefix-table.js';
import { KeyData, type NlriCodec } from './types.js';

export interface PrefixRoute { prefix: string }

function make(v6: boolean): NlriCodec<PrefixRoute> {
  const maxBits = v6 ? 128 : 32;
  return {
    split(buf, off, end, _w, kd) {
      if (off >= end) throw nlriError('prefix: no length octet');
      const plen = buf[off]!;
      if (plen > maxBits) throw nlriError(`prefix length ${plen} > ${maxBits}`);
      const n = (plen + 7) >> 3;
      if (off + 1 + n > end) throw nlriError('prefix overruns NLRI field');
      const k = kd.buf;
      k[0] = plen;
      for (let i = 0; i < n; i++) k[1 + i] = buf[off + 1 + i]!;
      if (plen & 7) k[n]! &= (0xff << (8 - (plen & 7))) & 0xff;
      kd.keyLen = 1 + n; kd.dataLen = 0;
      return 1 + n;
    },
    join(src, ko, kl, _do, _dl, _w, out, off) {
      for (let i = 0; i < kl; i++) out[off + i] = src[ko + i]!;
      return kl;
    },
    fromKD(key) { return { prefix: formatPrefix(key, 1, key[0]!, v6) }; },
    toKD(r, kd) {
      const p = parsePrefix(r.prefix);
      if (p.v6 !== v6) throw new TypeError(`${r.prefix} is not an ${v6 ? 'IPv6' : 'IPv4'} prefix`);
      const n = (p.plen + 7) >> 3;
      kd.buf[0] = p.plen; kd.buf.set(p.addr.subarray(0, n), 1);
      if (p.plen & 7) kd.buf[n]! &= (0xff << (8 - (p.plen & 7))) & 0xff;
      kd.keyLen = 1 + n; kd.dataLen = 0;
    },
    keyString(r) { return r.prefix; },
    ...(v6 ? {} : { prefixKey4: (key: Uint8Array, off: number) => prefixKey4Bytes(key, off + 1, key[off]!) }),
  };
}

export const ipv4Prefix = make(false);
export const ipv6Prefix = make(true);
export { KeyData };
