/**
 * EVPN route type 4, Ethernet Segment (RFC 7432 §7.4): RD (8), ESI (10),
 * IP length (1), originating router IP (4/16). All of it is the key.
 */
import { nlriError } from '../../errors.js';
import { ipToBytes, ipToString } from '../../addr.js';
import { esiToBytes, esiToString, rdToBytes, rdToString } from '../../rd.js';
import { copy, type EvpnRouteTypeCodec } from './types.js';

export interface EvpnEthernetSegment { type: 4; rd: string; esi: string; originatorIp: string }

export const ethernetSegment: EvpnRouteTypeCodec<EvpnEthernetSegment> = {
  type: 4, name: 'esi',
  split(buf, off, len, kd) {
    if (len !== 23 && len !== 35) throw nlriError(`evpn type 4: length ${len} not 23 or 35`);
    if (buf[off + 18]! !== (len - 19) * 8) throw nlriError('evpn type 4: IP length inconsistent');
    copy(kd.buf, 1, buf, off, len); kd.keyLen = 1 + len; kd.dataLen = 0;
  },
  join(key, kl, _d, _dl, out, off) { copy(out, off, key, 1, kl - 1); return kl - 1; },
  fromKD: (k) => ({ type: 4, rd: rdToString(k, 1), esi: esiToString(k, 9), originatorIp: ipToString(k, 20, k[19]! >> 3) }),
  toKD(r, kd) {
    const k = kd.buf; const ip = ipToBytes(r.originatorIp);
    k[0] = 4; rdToBytes(r.rd, k, 1); esiToBytes(r.esi, k, 9); k[19] = ip.length * 8; k.set(ip, 20);
    kd.keyLen = 20 + ip.length; kd.dataLen = 0;
  },
};
