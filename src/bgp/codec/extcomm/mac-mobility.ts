/**
 * EVPN MAC Mobility extended community (RFC 7432 §7.7): type 0x06 subtype
 * 0x00, flags (low bit = sticky/static), reserved, 4-octet sequence number.
 * Text `mac-mobility:<seq>` or `mac-mobility:<seq>:sticky`.
 */
import type { ExtCommunityCodec } from './types.js';

export const macMobility: ExtCommunityCodec = {
  name: 'mac-mobility',
  match: (t, s) => t === 0x06 && s === 0x00,
  format(b, off) {
    const seq = new DataView(b.buffer, b.byteOffset + off, 8).getUint32(4);
    return `mac-mobility:${seq}${b[off + 2]! & 1 ? ':sticky' : ''}`;
  },
  parse(v, out) {
    const [seqs, flag] = v.split(':');
    const seq = Number(seqs);
    if (!Number.isInteger(seq) || seq < 0 || seq > 0xffffffff || (flag !== undefined && flag !== 'sticky')) throw new TypeError(`bad mac-mobility ${v}`);
    out.fill(0); out[0] = 0x06; out[1] = 0x00; out[2] = flag ? 1 : 0;
    new DataView(out.buffer, out.byteOffset, 8).setUint32(4, seq);
  },
};
