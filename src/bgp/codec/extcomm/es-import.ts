/**
 * EVPN ES-Import Route Target extended community (RFC 7432 §7.6): type 0x06
 * subtype 0x02, a 6-octet MAC (the high-order octets of the ESI value, §7.6).
 * Carried by Ethernet Segment routes (type 4) only; the PEs of the segment
 * import the type-4 routes whose ES-Import matches one of their ESIs.
 * Text `es-import:<MAC>`.
 */
import { macToBytes, macToString } from '../addr.js';
import type { ExtCommunityCodec } from './types.js';

export const esImport: ExtCommunityCodec = {
  name: 'es-import',
  match: (t, s) => t === 0x06 && s === 0x02,
  format: (b, off) => `es-import:${macToString(b, off + 2)}`,
  parse(v, out) { out[0] = 0x06; out[1] = 0x02; macToBytes(v, out, 2); },
};
