/**
 * EVPN route type 2, MAC/IP Advertisement (RFC 7432 §7.2): RD (8), ESI (10),
 * Ethernet Tag (4), MAC length (1, 48), MAC (6), IP length (1: 0/32/128),
 * IP (0/4/16), Label1 (3), optional Label2 (3). Only RD, tag, MAC and IP are
 * the route key (§7.2); ESI and labels are data. Labels are raw 24-bit fields:
 * a VXLAN VNI is the whole value (RFC 8365 §5.1.3), an MPLS label is value >> 4.
 */
import { nlriError } from '../../errors.js';
import { ipToBytes, ipToString, macToBytes, macToString } from '../../addr.js';
import { esiToBytes, esiToString, rdToBytes, rdToString, read24, read32, write24 } from '../../rd.js';
import { KeyData } from '../types.js';
import { copy, type EvpnRouteTypeCodec } from './types.js';

export interface EvpnMacIp { type: 2; rd: string; esi: string; ethernetTag: number; mac: string; ip: string | null; labels: number[] }

export const macIp: EvpnRouteTypeCodec<EvpnMacIp> = {
  type: 2, name: 'mac-ip',
  split(buf, off, len, kd) {
    if (len < 33) throw nlriError(`evpn type 2: length ${len} < 33`);
    if (buf[off + 22] !== 48) throw nlriError(`evpn type 2: MAC length ${buf[off + 22]} != 48`);
    const ipBits = buf[off + 29]!;
    if (ipBits !== 0 && ipBits !== 32 && ipBits !== 128) throw nlriError(`evpn type 2: IP length ${ipBits}`);
    const ipLen = ipBits >> 3;
    const rest = len - 30 - ipLen;
    if (rest !== 3 && rest !== 6) throw nlriError(`evpn type 2: length ${len} inconsistent with IP length ${ipBits}`);
    const k = kd.buf;
    copy(k, 1, buf, off, 8); // RD
    copy(k, 9, buf, off + 18, 4 + 1 + 6 + 1 + ipLen); // tag, MAC len, MAC, IP len, IP
    kd.keyLen = 9 + 12 + ipLen;
    copy(k, KeyData.DATA, buf, off + 8, 10); // ESI
    copy(k, KeyData.DATA + 10, buf, off + 30 + ipLen, rest);
    kd.dataLen = 10 + rest;
  },
  join(key, kl, data, dl, out, off) {
    copy(out, off, key, 1, 8);
    if (dl >= 10) copy(out, off + 8, data, 0, 10); else out.fill(0, off + 8, off + 18);
    copy(out, off + 18, key, 9, kl - 9);
    let o = off + 18 + kl - 9;
    if (dl > 10) { copy(out, o, data, 10, dl - 10); o += dl - 10; } else { write24(out, o, 0); o += 3; }
    return o - off;
  },
  fromKD(k, d) {
    const ipLen = k[20]! >> 3;
    const labels: number[] = [];
    for (let i = 10; i + 3 <= d.length; i += 3) labels.push(read24(d, i));
    return {
      type: 2, rd: rdToString(k, 1), esi: d.length >= 10 ? esiToString(d, 0) : esiToString(new Uint8Array(10), 0),
      ethernetTag: read32(k, 9), mac: macToString(k, 14),
      ip: ipLen ? ipToString(k, 21, ipLen) : null, labels,
    };
  },
  toKD(r, kd) {
    const k = kd.buf;
    k[0] = 2; rdToBytes(r.rd, k, 1); k.writeUInt32BE(r.ethernetTag >>> 0, 9); k[13] = 48; macToBytes(r.mac, k, 14);
    const ip = r.ip ? ipToBytes(r.ip) : new Uint8Array(0);
    k[20] = ip.length * 8; k.set(ip, 21); kd.keyLen = 21 + ip.length;
    esiToBytes(r.esi, k, KeyData.DATA);
    if (r.labels.length < 1 || r.labels.length > 2) throw new TypeError('evpn type 2 needs 1 or 2 labels');
    r.labels.forEach((l, i) => write24(k, KeyData.DATA + 10 + 3 * i, l));
    kd.dataLen = 10 + 3 * r.labels.length;
  },
};
