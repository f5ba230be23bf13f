/**
 * EVPN route type 5, IP Prefix (RFC 9136 §3.1): RD (8), ESI (10), Ethernet
 * Tag (4), IP prefix length (1), IP prefix (4/16), gateway IP (4/16), label (3).
 * 34 octets for IPv4, 58 for IPv6: the NLRI length, not the prefix length,
 * selects the address family. Key: RD, tag, prefix length, prefix. Data: ESI,
 * gateway, label (raw 24 bits: the L3 VNI for VXLAN).
 */
import { nlriError } from '../../errors.js';
import { formatPrefix, ipToBytes, ipToString, parsePrefix } from '../../addr.js';
import { esiToBytes, esiToString, rdToBytes, rdToString, read24, read32, write24 } from '../../rd.js';
import { KeyData } from '../types.js';
import { copy, type EvpnRouteTypeCodec } from './types.js';

export interface EvpnIpPrefix { type: 5; rd: string; esi: string; ethernetTag: number; prefix: string; gateway: string; label: number }

export const ipPrefix: EvpnRouteTypeCodec<EvpnIpPrefix> = {
  type: 5, name: 'prefix',
  split(buf, off, len, kd) {
    if (len !== 34 && len !== 58) throw nlriError(`evpn type 5: length ${len} not 34 or 58`);
    const al = len === 34 ? 4 : 16;
    const plen = buf[off + 22]!;
    if (plen > al * 8) throw nlriError(`evpn type 5: prefix length ${plen} > ${al * 8}`);
    const k = kd.buf;
    copy(k, 1, buf, off, 8);
    copy(k, 9, buf, off + 18, 5 + al);
    const n = plen >> 3;
    if (plen & 7) { k[14 + n]! &= (0xff << (8 - (plen & 7))) & 0xff; k.fill(0, 15 + n, 14 + al); } else k.fill(0, 14 + n, 14 + al);
    kd.keyLen = 14 + al;
    copy(k, KeyData.DATA, buf, off + 8, 10);
    copy(k, KeyData.DATA + 10, buf, off + 23 + al, al + 3);
    kd.dataLen = 13 + al;
  },
  join(key, kl, data, dl, out, off) {
    const al = kl - 14;
    copy(out, off, key, 1, 8);
    copy(out, off + 18, key, 9, 5 + al);
    if (dl === 13 + al) { copy(out, off + 8, data, 0, 10); copy(out, off + 23 + al, data, 10, al + 3); }
    else { out.fill(0, off + 8, off + 18); out.fill(0, off + 23 + al, off + 26 + 2 * al); }
    return 26 + 2 * al;
  },
  fromKD(k, dIn) {
    const al = k.length - 14;
    // A key without data (a withdrawn route) shows zero ESI, gateway and label.
    const d = dIn.length >= 13 + al ? dIn : new Uint8Array(13 + al);
    return {
      type: 5, rd: rdToString(k, 1), esi: esiToString(d, 0), ethernetTag: read32(k, 9),
      prefix: formatPrefix(k, 14, k[13]!, al === 16), gateway: ipToString(d, 10, al), label: read24(d, 10 + al),
    };
  },
  toKD(r, kd) {
    const k = kd.buf; const p = parsePrefix(r.prefix); const al = p.addr.length;
    const gw = ipToBytes(r.gateway);
    if (gw.length !== al) throw new TypeError('evpn type 5: gateway and prefix families differ');
    k[0] = 5; rdToBytes(r.rd, k, 1); k.writeUInt32BE(r.ethernetTag >>> 0, 9); k[13] = p.plen; k.set(p.addr, 14);
    const n = p.plen >> 3;
    if (p.plen & 7) { k[14 + n]! &= (0xff << (8 - (p.plen & 7))) & 0xff; k.fill(0, 15 + n, 14 + al); } else k.fill(0, 14 + n, 14 + al);
    kd.keyLen = 14 + al;
    esiToBytes(r.esi, k, KeyData.DATA); k.set(gw, KeyData.DATA + 10); write24(k, KeyData.DATA + 10 + al, r.label);
    kd.dataLen = 13 + al;
  },
};
