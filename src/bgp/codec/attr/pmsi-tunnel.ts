/**
 * PMSI_TUNNEL (type 22, optional transitive; RFC 6514 §5): flags (L bit),
 * tunnel type, 3-octet label field (the VNI for VXLAN, RFC 8365 §5.1.3),
 * tunnel identifier. For Ingress Replication (type 6) the identifier is the
 * unicast tunnel endpoint: 4 or 16 octets (length 9 or 21). Other tunnel types
 * keep the identifier as hex. Malformed → treat-as-withdraw (FRR and GoBGP).
 */
import { ErrorAction } from '../errors.js';
import { ipToBytes, ipToString } from '../addr.js';
import { read24, write24 } from '../rd.js';
import { AttrCode, AttrFlag, type AttrCodec } from './types.js';
import { lengthError } from './util.js';

export const PmsiTunnelType = { NoTunnel: 0, RsvpTeP2mp: 1, MldpP2mp: 2, PimSsm: 3, PimSm: 4, BidirPim: 5, IngressReplication: 6, MldpMp2mp: 7 } as const;

export const pmsiTunnel: AttrCodec<'pmsiTunnel'> = {
  code: AttrCode.PmsiTunnel, key: 'pmsiTunnel', flags: AttrFlag.Optional | AttrFlag.Transitive, malformed: ErrorAction.TreatAsWithdraw,
  decode(v) {
    if (v.length < 5) lengthError('PMSI_TUNNEL', v.length, ErrorAction.TreatAsWithdraw, '>= 5');
    const tunnelType = v[1]!;
    if (tunnelType > 7) lengthError('PMSI_TUNNEL tunnel type', tunnelType, ErrorAction.TreatAsWithdraw, '0..7');
    const id = v.subarray(5);
    if (tunnelType === PmsiTunnelType.IngressReplication && id.length !== 4 && id.length !== 16) {
      lengthError('PMSI_TUNNEL ingress replication', v.length, ErrorAction.TreatAsWithdraw, '9 or 21');
    }
    return {
      flags: v[0]!, tunnelType, label: read24(v, 2),
      tunnelId: tunnelType === PmsiTunnelType.IngressReplication ? ipToString(id, 0, id.length) : id.toString('hex'),
    };
  },
  encode(p) {
    const id = p.tunnelType === PmsiTunnelType.IngressReplication ? ipToBytes(p.tunnelId) : Buffer.from(p.tunnelId, 'hex');
    const b = Buffer.alloc(5 + id.length);
    b[0] = p.flags; b[1] = p.tunnelType; write24(b, 2, p.label); b.set(id, 5);
    return b;
  },
};
