/**
 * EVPN route type 1, Ethernet Auto-Discovery (RFC 7432 §7.1): RD (8), ESI (10),
 * Ethernet Tag (4), MPLS label (3) = 25 octets. Key: RD, ESI, tag. Data: label.
 */
import { nlriError } from '../../errors.js';
import { esiToBytes, esiToString, rdToBytes, rdToString, read24, read32, write24 } from '../../rd.js';
import { KeyData } from '../types.js';
import { copy, type EvpnRouteTypeCodec } from './types.js';

export interface EvpnEthernetAd { type: 1; rd: string; esi: string; ethernetTag: number; label: number }

export const ethernetAd: EvpnRouteTypeCodec<EvpnEthernetAd> = {
  type: 1, name: 'ethernet-ad',
  split(buf, off, len, kd) {
    if (len !== 25) throw nlriError(`evpn type 1: length ${len} != 25`);
    copy(kd.buf, 1, buf, off, 22); kd.keyLen = 23;
    copy(kd.buf, KeyData.DATA, buf, off + 22, 3); kd.dataLen = 3;
  },
  join(key, _kl, data, dl, out, off) {
    copy(out, off, key, 1, 22);
    if (dl >= 3) copy(out, off + 22, data, 0, 3); else write24(out, off + 22, 0);
    return 25;
  },
  fromKD: (k, d) => ({ type: 1, rd: rdToString(k, 1), esi: esiToString(k, 9), ethernetTag: read32(k, 19), label: d.length >= 3 ? read24(d, 0) : 0 }),
  toKD(r, kd) {
    kd.buf[0] = 1; rdToBytes(r.rd, kd.buf, 1); esiToBytes(r.esi, kd.buf, 9); kd.buf.writeUInt32BE(r.ethernetTag >>> 0, 19); kd.keyLen = 23;
    write24(kd.buf, KeyData.DATA, r.label); kd.dataLen = 3;
  },
};
