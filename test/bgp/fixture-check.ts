/**
 * Round-trip check for captured UPDATEs: decode, re-encode, and compare the
 * wire attribute by attribute (code, Optional/Transitive/Partial flags, value
 * octets) and the NLRI octets. Attribute order and the Extended Length flag
 * are the sender's choice and not compared.
 */
import { decodeUpdate, encodeUpdate, type UpdateContext } from '../../src/bgp/codec/message/update.js';

export function attrTlvs(buf: Buffer): { attrs: string[]; withdrawn: string; nlri: string } {
  const wl = buf.readUInt16BE(19);
  const al = buf.readUInt16BE(21 + wl);
  const attrs: string[] = [];
  for (let o = 23 + wl; o < 23 + wl + al;) {
    const flags = buf[o]!, code = buf[o + 1]!;
    const ext = (flags & 0x10) !== 0;
    const len = ext ? buf.readUInt16BE(o + 2) : buf[o + 2]!;
    const v = buf.subarray(o + (ext ? 4 : 3), o + (ext ? 4 : 3) + len);
    attrs.push(`${code}/${(flags & 0xe0).toString(16)}/${(code === 15 ? withdrawnLabels(v) : v).toString('hex')}`);
    o += (ext ? 4 : 3) + len;
  }
  attrs.sort();
  return { attrs, withdrawn: buf.subarray(21, 21 + wl).toString('hex'), nlri: buf.subarray(23 + wl + al).toString('hex') };
}

/** Returns the re-encoded message; throws (via expect-less comparison) with a description on mismatch. */
export function roundTrip(hex: string, ctx: UpdateContext = { as4: true }): { original: ReturnType<typeof attrTlvs>; again: ReturnType<typeof attrTlvs>; decoded: ReturnType<typeof decodeUpdate> } {
  const wire = Buffer.from(hex, 'hex');
  const decoded = decodeUpdate(wire, ctx);
  const again = encodeUpdate(decoded, ctx, 65535);
  return { original: attrTlvs(wire), again: attrTlvs(again), decoded };
}

/**
 * RFC 8277 §2.4: the label field of a withdrawn labelled NLRI is ignored on
 * receipt and we send 0x800000; FRR sends the route's label. Normalise the
 * peer's bytes to 0x800000 before comparing (SAFI 128 only).
 */
function withdrawnLabels(v: Buffer): Buffer {
  if (v.length < 3 || v[2] !== 128) return v;
  const out = Buffer.from(v);
  for (let o = 3; o < out.length;) {
    const bits = out[o]!;
    out[o + 1] = 0x80; out[o + 2] = 0; out[o + 3] = 0;
    o += 1 + ((bits + 7) >> 3);
  }
  return out;
}
