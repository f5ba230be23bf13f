/** Support for 4-octet AS number capability (code 65, RFC 6793 §3). */
import type { CapabilityCodec } from './types.js';
import { capError } from './util.js';

export const as4: CapabilityCodec = {
  code: 65, name: '4-octet-as',
  decode(v, caps) { if (v.length !== 4) capError('4-octet AS', `length ${v.length} != 4`); caps.as4 = v.readUInt32BE(0); },
  encode: (caps) => (caps.as4 === undefined ? [] : [(() => { const b = Buffer.alloc(4); b.writeUInt32BE(caps.as4! >>> 0); return b; })()]),
};
