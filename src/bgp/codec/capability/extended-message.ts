/** Extended Message capability (code 6, RFC 8654): UPDATEs up to 65535 octets once both sides send it. */
import type { CapabilityCodec } from './types.js';
import { capError } from './util.js';

export const extendedMessage: CapabilityCodec = {
  code: 6, name: 'extended-message',
  decode(v, caps) { if (v.length !== 0) capError('extended message', `length ${v.length} != 0`); caps.extendedMessage = true; },
  encode: (caps) => (caps.extendedMessage ? [Buffer.alloc(0)] : []),
};
