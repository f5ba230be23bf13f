/**
 * DF Election extended community (RFC 8584 §2.2): type 0x06 subtype 0x06,
 * DF Type (1 octet: 0 default/modulo, RFC 7432 §8.5; 1 HRW, RFC 8584 §3; 2
 * preference, RFC 9785), DF Election capabilities bitmap (2 octets: bit 1 AC-DF),
 * 3 reserved octets.  Carried by Ethernet Segment routes (type 4): a PE names
 * the algorithm it wants; all the PEs of a segment must agree, or fall back
 * to modulo (§2.2.1).  Text `df-election:<modulo|hrw|preference|type-N>[:ac-df]`.
 */
import type { ExtCommunityCodec } from './types.js';

const NAMES: Record<number, string> = { 0: 'modulo', 1: 'hrw', 2: 'preference' };
const BY_NAME: Record<string, number> = { modulo: 0, hrw: 1, preference: 2 };
/** AC-DF capability, bit 1 of the bitmap (RFC 8584 §2.2, §4) */
const AC_DF = 0x4000;

export const dfElection: ExtCommunityCodec = {
  name: 'df-election',
  match: (t, s) => t === 0x06 && s === 0x06,
  format(b, off) {
    const type = b[off + 2]!;
    const bitmap = (b[off + 3]! << 8) | b[off + 4]!;
    return `df-election:${NAMES[type] ?? `type-${type}`}${bitmap & AC_DF ? ':ac-df' : ''}`;
  },
  parse(v, out) {
    const [name, flag] = v.split(':');
    const m = /^type-(\d+)$/.exec(name ?? '');
    const type = m ? Number(m[1]) : BY_NAME[name ?? ''];
    if (type === undefined || type > 255 || (flag !== undefined && flag !== 'ac-df')) throw new TypeError(`bad df-election ${v}`);
    out.fill(0); out[0] = 0x06; out[1] = 0x06; out[2] = type;
    if (flag) out[3] = AC_DF >> 8;
  },
};
