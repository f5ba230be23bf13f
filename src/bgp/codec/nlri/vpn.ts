/**
 * Labelled VPN-IPv4 / VPN-IPv6 NLRI (RFC 4364 §4.3.4, RFC 4659 §3.2,
 * RFC 8277 §2): length in bits over label + RD + prefix, one 3-octet label
 * field, 8-octet RD, prefix octets. Key = prefix length, RD, prefix; data =
 * the label field. We do not negotiate Multiple Labels (RFC 8277 §2.1), so
 * exactly one label field is read, for withdrawals too (their field is the
 * 0x800000 compatibility value, which has no bottom-of-stack bit, §2.4).
 */
import { nlriError } from '../errors.js';
import { formatPrefix, parsePrefix } from '../addr.js';
import { rdToBytes, rdToString, read24, write24, WITHDRAW_LABEL } from '../rd.js';
import { prefixKey4Bytes } from '../../../util/prefix-table.js';
import { KeyData, type NlriCodec } from './types.js';

export interface VpnRoute {
  rd: string; prefix: string;
  /** MPLS label value (20 bits) */
  label: number;
  /** Traffic Class bits of the label field, when not zero (RFC 5462) */
  tc?: number;
}

function make(v6: boolean): NlriCodec<VpnRoute> {
  const maxBits = v6 ? 128 : 32;
  return {
    split(buf, off, end, _w, kd) {
      if (off >= end) throw nlriError('vpn: no length octet');
      const bits = buf[off]!;
      if (bits < 88) throw nlriError(`vpn: length ${bits} < 88 (label + RD)`);
      const plen = bits - 88;
      if (plen > maxBits) throw nlriError(`vpn: prefix length ${plen} > ${maxBits}`);
      const n = (plen + 7) >> 3;
      const total = 1 + 11 + n;
      if (off + total > end) throw nlriError('vpn: NLRI overruns field');
      const k = kd.buf;
      k[0] = plen;
      for (let i = 0; i < 8; i++) k[1 + i] = buf[off + 4 + i]!;
      for (let i = 0; i < n; i++) k[9 + i] = buf[off + 12 + i]!;
      if (plen & 7) k[8 + n]! &= (0xff << (8 - (plen & 7))) & 0xff;
      kd.keyLen = 9 + n;
      const d = KeyData.DATA;
      k[d] = buf[off + 1]!; k[d + 1] = buf[off + 2]!; k[d + 2] = buf[off + 3]!;
      kd.dataLen = 3;
      return total;
    },
    join(src, ko, kl, dof, dl, w, out, off) {
      const plen = src[ko]!;
      out[off] = plen + 88;
      if (w || dl < 3) write24(out, off + 1, WITHDRAW_LABEL);
      else { out[off + 1] = src[dof]!; out[off + 2] = src[dof + 1]!; out[off + 3] = src[dof + 2]!; }
      for (let i = 1; i < kl; i++) out[off + 3 + i] = src[ko + i]!;
      return kl + 3;
    },
    fromKD(key, data) {
      const raw = data.length >= 3 ? read24(data, 0) : 0;
      const r: VpnRoute = { rd: rdToString(key, 1), prefix: formatPrefix(key, 9, key[0]!, v6), label: raw >>> 4 };
      if ((raw >> 1) & 7) r.tc = (raw >> 1) & 7;
      return r;
    },
    toKD(r, kd) {
      const p = parsePrefix(r.prefix);
      if (p.v6 !== v6) throw new TypeError(`${r.prefix} is not an ${v6 ? 'IPv6' : 'IPv4'} prefix`);
      if (!Number.isInteger(r.label) || r.label < 0 || r.label > 0xfffff) throw new TypeError(`bad label ${r.label}`);
      const n = (p.plen + 7) >> 3;
      kd.buf[0] = p.plen;
      rdToBytes(r.rd, kd.buf, 1);
      kd.buf.set(p.addr.subarray(0, n), 9);
      if (p.plen & 7) kd.buf[8 + n]! &= (0xff << (8 - (p.plen & 7))) & 0xff;
      kd.keyLen = 9 + n;
      write24(kd.buf, KeyData.DATA, (r.label << 4) | (((r.tc ?? 0) & 7) << 1) | 1);
      kd.dataLen = 3;
    },
    keyString(r) { return `${r.rd}:${r.prefix}`; },
    ...(v6 ? {} : { prefixKey4: (key: Uint8Array, off: number) => prefixKey4Bytes(key, off + 9, key[off]!) }),
  };
}

export const vpnv4 = make(false);
export const vpnv6 = make(true);
