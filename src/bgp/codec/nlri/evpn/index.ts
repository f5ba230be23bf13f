/**
 * L2VPN EVPN NLRI (AFI 25, SAFI 70; RFC 7432 §7): route type (1), length (1),
 * value. Route types 1–5 have codecs; other types are kept opaque (key = the
 * whole value) so they can be carried and withdrawn.
 */
import { nlriError } from '../../errors.js';
import { KeyData, type NlriCodec } from '../types.js';
import { ethernetAd, type EvpnEthernetAd } from './ethernet-ad.js';
import { ethernetSegment, type EvpnEthernetSegment } from './ethernet-segment.js';
import { imet, type EvpnImet } from './imet.js';
import { ipPrefix, type EvpnIpPrefix } from './ip-prefix.js';
import { macIp, type EvpnMacIp } from './mac-ip.js';
import { copy, type EvpnRouteTypeCodec } from './types.js';

export interface EvpnOpaque { type: number; value: string }
export type EvpnRoute = EvpnEthernetAd | EvpnMacIp | EvpnImet | EvpnEthernetSegment | EvpnIpPrefix;
export type { EvpnEthernetAd, EvpnMacIp, EvpnImet, EvpnEthernetSegment, EvpnIpPrefix };

const table: Record<number, EvpnRouteTypeCodec<EvpnRoute> | undefined> = {
  1: ethernetAd as EvpnRouteTypeCodec<EvpnRoute>, 2: macIp as EvpnRouteTypeCodec<EvpnRoute>, 3: imet as EvpnRouteTypeCodec<EvpnRoute>,
  4: ethernetSegment as EvpnRouteTypeCodec<EvpnRoute>, 5: ipPrefix as EvpnRouteTypeCodec<EvpnRoute>,
};

export const evpn: NlriCodec<EvpnRoute | EvpnOpaque> = {
  split(buf, off, end, _w, kd) {
    if (off + 2 > end) throw nlriError('evpn: truncated route type/length');
    const type = buf[off]!, len = buf[off + 1]!;
    if (off + 2 + len > end) throw nlriError(`evpn: type ${type} length ${len} overruns field`);
    kd.buf[0] = type;
    const c = table[type];
    if (c) c.split(buf, off + 2, len, kd);
    else { copy(kd.buf, 1, buf, off + 2, len); kd.keyLen = 1 + len; kd.dataLen = 0; }
    return 2 + len;
  },
  join(src, ko, kl, dof, dl, _w, out, off) {
    const type = src[ko]!;
    const c = table[type];
    out[off] = type;
    let n: number;
    if (c) n = c.join(src.subarray(ko, ko + kl), kl, src.subarray(dof, dof + dl), dl, out, off + 2);
    else { copy(out, off + 2, src, ko + 1, kl - 1); n = kl - 1; }
    out[off + 1] = n;
    return 2 + n;
  },
  fromKD(key, data) {
    const c = table[key[0]!];
    return c ? c.fromKD(key, data) : { type: key[0]!, value: Buffer.from(key.subarray(1)).toString('hex') };
  },
  toKD(r, kd) {
    const c = table[r.type];
    if (c) { c.toKD(r as EvpnRoute, kd); return; }
    const v = Buffer.from((r as EvpnOpaque).value, 'hex');
    kd.buf[0] = r.type; kd.buf.set(v, 1); kd.keyLen = 1 + v.length; kd.dataLen = 0;
  },
  keyString(r) {
    switch (r.type) {
      case 1: { const x = r as EvpnEthernetAd; return `[1][${x.rd}][${x.esi}][${x.ethernetTag}]`; }
      case 2: { const x = r as EvpnMacIp; return `[2][${x.rd}][${x.ethernetTag}][${x.mac}][${x.ip ?? ''}]`; }
      case 3: { const x = r as EvpnImet; return `[3][${x.rd}][${x.ethernetTag}][${x.originatorIp}]`; }
      case 4: { const x = r as EvpnEthernetSegment; return `[4][${x.rd}][${x.esi}][${x.originatorIp}]`; }
      case 5: { const x = r as EvpnIpPrefix; return `[5][${x.rd}][${x.ethernetTag}][${x.prefix}]`; }
      default: return `[${r.type}][${(r as EvpnOpaque).value}]`;
    }
  },
};
export { KeyData };
