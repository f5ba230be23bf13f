/** Multiprotocol Extensions capability (code 1, RFC 4760 §8): AFI (2), reserved (1), SAFI (1). */
import type { CapabilityCodec } from './types.js';
import { capError } from './util.js';

export const multiprotocol: CapabilityCodec = {
  code: 1, name: 'multiprotocol',
  decode(v, caps) {
    if (v.length !== 4) capError('multiprotocol', `length ${v.length} != 4`);
    const afi = v.readUInt16BE(0), safi = v[3]!;
    if (!caps.multiprotocol.some((x) => x.afi === afi && x.safi === safi)) caps.multiprotocol.push({ afi, safi });
  },
  encode: (caps) => caps.multiprotocol.map(({ afi, safi }) => { const b = Buffer.alloc(4); b.writeUInt16BE(afi); b[3] = safi; return b; }),
};
