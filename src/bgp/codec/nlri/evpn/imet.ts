/**
 * EVPN route type 3, Inclusive Multicast Ethernet Tag (RFC 7432 §7.3):
 * RD (8), Ethernet Tag (4), IP length (1), originating router IP (4/16).
 * All of it is the key. The PMSI Tunnel attribute (RFC 6514 §5) travels with it.
 */
import { nlriError } from '../../errors.js';
import { ipToBytes, ipToString } from '../../addr.js';
import { rdToBytes, rdToString, read32 } from '../../rd.js';
import { copy, type EvpnRouteTypeCodec } from './types.js';

export interface EvpnImet { type: 3; rd: string; ethernetTag: number; originatorIp: string }

export const imet: EvpnRouteTypeCodec<EvpnImet> = {
  type: 3, name: 'multicast',
  split(buf, off, len, kd) {
    if (len !== 17 && len !== 29) throw nlriError(`evpn type 3: length ${len} not 17 or 29`);
    const bits = buf[off + 12]!;
    if (bits !== (len - 13) * 8) throw nlriError(`evpn type 3: IP length ${bits} inconsistent`);
    copy(kd.buf, 1, buf, off, len); kd.keyLen = 1 + len; kd.dataLen = 0;
  },
  join(key, kl, _d, _dl, out, off) { copy(out, off, key, 1, kl - 1); return kl - 1; },
  fromKD: (k) => ({ type: 3, rd: rdToString(k, 1), ethernetTag: read32(k, 9), originatorIp: ipToString(k, 14, k[13]! >> 3) }),
  toKD(r, kd) {
    const k = kd.buf; const ip = ipToBytes(r.originatorIp);
    k[0] = 3; rdToBytes(r.rd, k, 1); k.writeUInt32BE(r.ethernetTag >>> 0, 9); k[13] = ip.length * 8; k.set(ip, 14);
    kd.keyLen = 14 + ip.length; kd.dataLen = 0;
  },
};
