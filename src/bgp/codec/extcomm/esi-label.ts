/**
 * EVPN ESI Label extended community (RFC 7432 §7.5): type 0x06 subtype 0x01,
 * flags (low bit = single-active), 2 reserved, 3-octet label field (raw 24 bits).
 * Text `esi-label:<label>` or `esi-label:<label>:single-active`.
 */
import { read24, write24 } from '../rd.js';
import type { ExtCommunityCodec } from './types.js';

export const esiLabel: ExtCommunityCodec = {
  name: 'esi-label',
  match: (t, s) => t === 0x06 && s === 0x01,
  format: (b, off) => `esi-label:${read24(b, off + 5)}${b[off + 2]! & 1 ? ':single-active' : ''}`,
  parse(v, out) {
    const [l, flag] = v.split(':');
    const label = Number(l);
    if (!Number.isInteger(label) || label < 0 || label > 0xffffff || (flag !== undefined && flag !== 'single-active')) throw new TypeError(`bad esi-label ${v}`);
    out.fill(0); out[0] = 0x06; out[1] = 0x01; out[2] = flag ? 1 : 0; write24(out, 5, label);
  },
};
