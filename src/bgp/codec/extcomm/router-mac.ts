/** EVPN Router's MAC extended community (RFC 9135 §8.1): type 0x06 subtype 0x03, 6-octet MAC. */
import { macToBytes, macToString } from '../addr.js';
import type { ExtCommunityCodec } from './types.js';

export const routerMac: ExtCommunityCodec = {
  name: 'router-mac',
  match: (t, s) => t === 0x06 && s === 0x03,
  format: (b, off) => `router-mac:${macToString(b, off + 2)}`,
  parse(v, out) { out[0] = 0x06; out[1] = 0x03; macToBytes(v, out, 2); },
};
