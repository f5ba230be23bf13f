/**
 * AS_PATH (type 2, well-known mandatory; RFC 4271 §4.3, §5.1.2) and AS4_PATH
 * (type 17, optional transitive; RFC 6793 §3). Segments: type (1: SET,
 * 2: SEQUENCE, 3: CONFED_SEQUENCE, 4: CONFED_SET; RFC 5065), count, ASNs of 2
 * or 4 octets. RFC 7606 §7.2: unknown segment type, zero-length segment or
 * overrun → treat-as-withdraw. Also: merge of AS_PATH with AS4_PATH (RFC 6793
 * §4.2.3) and the reverse split for OLD speakers (§4.2.2).
 */
import { ErrorAction, updateError, UpdateSubcode } from '../errors.js';
import { AttrCode, AttrFlag, type AsSegment, type AsSegmentType, type AttrCodec } from './types.js';

const segTypes: Record<number, AsSegmentType | undefined> = { 1: 'set', 2: 'seq', 3: 'confed-seq', 4: 'confed-set' };
const segCodes: Record<AsSegmentType, number> = { set: 1, seq: 2, 'confed-seq': 3, 'confed-set': 4 };
export const AS_TRANS = 23456;

function malformed(msg: string): never {
  throw updateError(UpdateSubcode.MalformedAsPath, ErrorAction.TreatAsWithdraw, msg);
}

export function decodeSegments(v: Buffer, four: boolean, name: string): AsSegment[] {
  const w = four ? 4 : 2;
  const out: AsSegment[] = [];
  let o = 0;
  while (o < v.length) {
    if (o + 2 > v.length) malformed(`${name}: truncated segment header`);
    const type = segTypes[v[o]!];
    const n = v[o + 1]!;
    if (!type) malformed(`${name}: segment type ${v[o]}`);
    if (n === 0) malformed(`${name}: zero-length segment`);
    if (o + 2 + n * w > v.length) malformed(`${name}: segment overruns attribute`);
    const asns = new Array<number>(n);
    for (let i = 0; i < n; i++) asns[i] = four ? v.readUInt32BE(o + 2 + 4 * i) : v.readUInt16BE(o + 2 + 2 * i);
    out.push({ type, asns });
    o += 2 + n * w;
  }
  return out;
}

export function encodeSegments(segs: AsSegment[], four: boolean): Buffer {
  const w = four ? 4 : 2;
  const parts: Buffer[] = [];
  for (const s of segs) {
    for (let i = 0; i < s.asns.length; i += 255) {
      const chunk = s.asns.slice(i, i + 255);
      const b = Buffer.alloc(2 + chunk.length * w);
      b[0] = segCodes[s.type]; b[1] = chunk.length;
      chunk.forEach((a, j) => { if (four) b.writeUInt32BE(a >>> 0, 2 + 4 * j); else b.writeUInt16BE(a > 0xffff ? AS_TRANS : a, 2 + 2 * j); });
      parts.push(b);
    }
  }
  return Buffer.concat(parts);
}

export const asPath: AttrCodec<'asPath'> = {
  code: AttrCode.AsPath, key: 'asPath', flags: AttrFlag.Transitive, malformed: ErrorAction.TreatAsWithdraw,
  decode: (v, ctx) => decodeSegments(v, ctx.as4, 'AS_PATH'),
  encode: (s, ctx) => encodeSegments(s, ctx.as4),
};

export const as4Path: AttrCodec<'as4Path'> = {
  code: AttrCode.As4Path, key: 'as4Path', flags: AttrFlag.Optional | AttrFlag.Transitive, malformed: ErrorAction.TreatAsWithdraw,
  decode: (v) => decodeSegments(v, true, 'AS4_PATH'),
  encode: (s) => encodeSegments(s, true),
};

/** Path length for the decision process (RFC 4271 §9.1.2.2 a; a SET counts 1, confed segments 0 — RFC 5065 §5.3). */
export function asPathLength(segs: AsSegment[] | undefined): number {
  let n = 0;
  for (const s of segs ?? []) n += s.type === 'seq' ? s.asns.length : s.type === 'set' ? 1 : 0;
  return n;
}

function countAsns(segs: AsSegment[]): number {
  let n = 0;
  for (const s of segs) n += s.type === 'seq' ? s.asns.length : s.type === 'set' ? 1 : 0;
  return n;
}

/**
 * RFC 6793 §4.2.3: reconstruct the path from an OLD speaker. If AS4_PATH is
 * longer than AS_PATH it is ignored; otherwise the leading ASNs of AS_PATH
 * that AS4_PATH does not cover are kept and AS4_PATH is appended.
 */
export function mergeAs4Path(asPathSegs: AsSegment[], as4: AsSegment[]): AsSegment[] {
  const n2 = countAsns(asPathSegs), n4 = countAsns(as4);
  if (n4 > n2) return asPathSegs;
  let keep = n2 - n4;
  const out: AsSegment[] = [];
  for (const s of asPathSegs) {
    if (keep <= 0) break;
    if (s.type === 'seq') {
      const take = s.asns.slice(0, keep);
      out.push({ type: 'seq', asns: take });
      keep -= take.length;
    } else if (s.type === 'set') { out.push(s); keep -= 1; } else out.push(s);
  }
  return [...out, ...as4];
}

export function needsAs4Path(segs: AsSegment[] | undefined): boolean {
  return (segs ?? []).some((s) => s.asns.some((a) => a > 0xffff));
}
