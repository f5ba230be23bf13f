/**
 * Encapsulation extended community (RFC 9012 §4.1, formerly RFC 5512 §4.5):
 * type 0x03 subtype 0x0c, 4 reserved octets, 2-octet tunnel type.
 * Text `encap:vxlan` (or the number for types without a name).
 */
import type { ExtCommunityCodec } from './types.js';

const names: Record<number, string> = { 1: 'l2tpv3', 2: 'gre', 7: 'ip-in-ip', 8: 'vxlan', 9: 'nvgre', 10: 'mpls', 11: 'mpls-in-gre', 12: 'vxlan-gpe', 13: 'mpls-in-udp', 19: 'geneve' };
const byName = new Map(Object.entries(names).map(([k, v]) => [v, Number(k)]));

export const encapsulation: ExtCommunityCodec = {
  name: 'encap',
  match: (t, s) => t === 0x03 && s === 0x0c,
  format(b, off) {
    const tt = (b[off + 6]! << 8) | b[off + 7]!;
    return `encap:${names[tt] ?? tt}`;
  },
  parse(v, out) {
    const tt = byName.get(v) ?? Number(v);
    if (!Number.isInteger(tt) || tt < 0 || tt > 0xffff) throw new TypeError(`bad encap ${v}`);
    out.fill(0); out[0] = 0x03; out[1] = 0x0c; out[6] = tt >> 8; out[7] = tt & 255;
  },
};
