/**
 * UPDATE (RFC 4271 §4.3) with MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760 §3–4),
 * ADD-PATH path identifiers (RFC 7911 §3) and RFC 7606 revised error handling.
 *
 * Two layers:
 *  - `scanUpdate` walks the framing and attribute headers and records offsets
 *    in a reusable `UpdateScan` (no per-NLRI work, no allocation beyond the
 *    offsets array). It throws only for errors that RFC 7606 says reset the
 *    session: inconsistent lengths that hide the NLRI (§4, §5.3), duplicate
 *    MP attributes (§3(g)), MP next-hop length errors (§7.11).
 *  - `decodeAttributes` validates and decodes the other attributes into a
 *    JSON-able `PathAttrs` and reports the strongest RFC 7606 action (§3(h)).
 *    The peer caches its result per distinct attribute bytes, so it runs once
 *    per attribute set, not once per UPDATE.
 * `decodeUpdate` / `encodeUpdate` build whole message objects on top (API,
 * tests, fixtures); the RIB ingest path uses the scan and the family codecs'
 * `split` directly.
 *
 * Not supported: AFI/SAFI disable (we reset instead), multiple labels.
 */
import { BgpDecodeError, ErrorAction, errorActionName, updateError, UpdateSubcode } from '../errors.js';
import { attrByCode, AttrCode, AttrFlag, type AttrContext, type PathAttrs } from '../attr/index.js';
import { as4Path as as4PathCodec, mergeAs4Path, needsAs4Path } from '../attr/as-path.js';
import { decodeNextHop, encodeNextHop, FAMILIES, familyByAfiSafi, familyOf, type AnyRoute, type Family, type FamilyName, type NextHop } from '../family.js';
import { KeyData } from '../nlri/types.js';
import { HEADER_LEN, MAX_LEN, MsgType, writeHeader } from './header.js';

export interface UpdateContext extends AttrContext {
  /** indexed by Family.id: path identifiers present on NLRI we receive (RFC 7911) */
  addPathRx?: readonly boolean[];
  /** indexed by Family.id: path identifiers on NLRI we send */
  addPathTx?: readonly boolean[];
  /** indexed by Family.id: families negotiated on the session (RFC 4760 §6); NLRI of others are ignored */
  families?: readonly boolean[];
}

export interface Nlri<R = AnyRoute> { route: R; pathId?: number }

export interface UpdateMessage {
  type: 'update';
  /** IPv4 unicast withdrawals in the UPDATE body */
  withdrawn: Nlri[];
  attrs: PathAttrs;
  /** IPv4 unicast NLRI in the UPDATE body (next hop = attrs.nextHop) */
  nlri: Nlri[];
  mpReach?: { family: FamilyName; nextHop: NextHop; nlri: Nlri[] };
  mpUnreach?: { family: FamilyName; withdrawn: Nlri[] };
  /** RFC 7606 outcome when the attributes were not clean */
  error?: { action: string; reasons: string[] };
}

/** Offsets of one UPDATE, filled by scanUpdate. Reused between messages. */
export class UpdateScan {
  wdOff = 0; wdEnd = 0; attrOff = 0; attrEnd = 0; nlriOff = 0; nlriEnd = 0;
  reach: Family | null = null; nhOff = 0; nhLen = 0; reachOff = 0; reachEnd = 0;
  unreach: Family | null = null; unreachOff = 0; unreachEnd = 0;
  /** MP attribute present for an AFI/SAFI we have no codec for (ignored) */
  unknownFamily = false;
  /** [start, end) of every attribute other than MP_REACH/MP_UNREACH, header included */
  other: number[] = [];
  /** RFC 7606 §4: the attribute section did not parse to its end → treat-as-withdraw */
  overrun: string | null = null;
  /** RFC 4724 §2 End-of-RIB: family, or null */
  eor: Family | null = null;
}

function reset(sub: number, msg: string): never {
  throw updateError(sub, ErrorAction.SessionReset, msg);
}

export function scanUpdate(buf: Uint8Array, off: number, len: number, s: UpdateScan): UpdateScan {
  const end = off + len;
  let o = off + HEADER_LEN;
  const wdLen = (buf[o]! << 8) | buf[o + 1]!;
  s.wdOff = o + 2; s.wdEnd = s.wdOff + wdLen;
  if (s.wdEnd + 2 > end) reset(UpdateSubcode.MalformedAttributeList, `withdrawn routes length ${wdLen} overruns message`);
  const taLen = (buf[s.wdEnd]! << 8) | buf[s.wdEnd + 1]!;
  s.attrOff = s.wdEnd + 2; s.attrEnd = s.attrOff + taLen;
  if (s.attrEnd > end) reset(UpdateSubcode.MalformedAttributeList, `total attribute length ${taLen} overruns message`);
  s.nlriOff = s.attrEnd; s.nlriEnd = end;
  s.reach = null; s.unreach = null; s.unknownFamily = false; s.other.length = 0; s.overrun = null; s.eor = null;
  let sawReach = false, sawUnreach = false;
  o = s.attrOff;
  while (o < s.attrEnd) {
    if (o + 3 > s.attrEnd) { s.overrun = 'truncated attribute header'; break; }
    const flags = buf[o]!, code = buf[o + 1]!;
    const ext = (flags & AttrFlag.ExtendedLength) !== 0;
    if (ext && o + 4 > s.attrEnd) { s.overrun = 'truncated attribute header'; break; }
    const alen = ext ? (buf[o + 2]! << 8) | buf[o + 3]! : buf[o + 2]!;
    const v = o + (ext ? 4 : 3);
    if (v + alen > s.attrEnd) {
      // §4: an attribute running past Total Attribute Length. If it is an MP
      // attribute its NLRI cannot be located: session reset.
      if (code === AttrCode.MpReach || code === AttrCode.MpUnreach) reset(UpdateSubcode.AttributeLength, `attribute ${code} length ${alen} overruns attributes`);
      s.overrun = `attribute ${code} length ${alen} overruns attributes`;
      break;
    }
    if (code === AttrCode.MpReach) {
      if (sawReach) reset(UpdateSubcode.MalformedAttributeList, 'MP_REACH_NLRI present twice');
      sawReach = true;
      if (alen < 5) reset(UpdateSubcode.AttributeLength, `MP_REACH_NLRI length ${alen}`);
      const afi = (buf[v]! << 8) | buf[v + 1]!, safi = buf[v + 2]!, nhLen = buf[v + 3]!;
      if (v + 4 + nhLen + 1 > v + alen) reset(UpdateSubcode.AttributeLength, `MP_REACH_NLRI next-hop length ${nhLen} overruns attribute`);
      const f = familyByAfiSafi(afi, safi);
      if (f) { s.reach = f; s.nhOff = v + 4; s.nhLen = nhLen; s.reachOff = v + 5 + nhLen; s.reachEnd = v + alen; }
      else s.unknownFamily = true;
    } else if (code === AttrCode.MpUnreach) {
      if (sawUnreach) reset(UpdateSubcode.MalformedAttributeList, 'MP_UNREACH_NLRI present twice');
      sawUnreach = true;
      if (alen < 3) reset(UpdateSubcode.AttributeLength, `MP_UNREACH_NLRI length ${alen}`);
      const f = familyByAfiSafi((buf[v]! << 8) | buf[v + 1]!, buf[v + 2]!);
      if (f) { s.unreach = f; s.unreachOff = v + 3; s.unreachEnd = v + alen; }
      else s.unknownFamily = true;
    } else {
      s.other.push(o, v + alen);
    }
    o = v + alen;
  }
  if (wdLen === 0 && taLen === 0 && s.nlriEnd === s.nlriOff) s.eor = FAMILIES[0]!;
  else if (wdLen === 0 && s.other.length === 0 && !sawReach && s.unreach && s.unreachOff === s.unreachEnd && s.nlriEnd === s.nlriOff) s.eor = s.unreach;
  return s;
}

export interface AttrResult {
  attrs: PathAttrs;
  /** strongest RFC 7606 action taken (0 = clean) */
  action: number;
  reasons: string[];
  /** keys of attributes present but malformed (discarded, their reason given): not "missing" as well */
  rejected: Set<string>;
}

/** Decode the non-MP attributes recorded in `s.other`. Throws only session-reset errors. */
export function decodeAttributes(buf: Uint8Array, s: UpdateScan, ctx: AttrContext): AttrResult {
  const attrs: PathAttrs = {};
  const res: AttrResult = { attrs, action: 0, reasons: [], rejected: new Set() };
  const seen = new Uint8Array(256);
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const note = (action: number, msg: string) => { if (action > res.action) res.action = action; res.reasons.push(msg); };
  if (s.overrun) note(ErrorAction.TreatAsWithdraw, s.overrun);
  for (let i = 0; i < s.other.length; i += 2) {
    const o = s.other[i]!, e = s.other[i + 1]!;
    const flags = b[o]!, code = b[o + 1]!;
    const v = b.subarray(o + ((flags & AttrFlag.ExtendedLength) ? 4 : 3), e);
    if (seen[code]) { note(ErrorAction.AttributeDiscard, `attribute ${code} repeated: later copy discarded`); continue; } // §3(g)
    seen[code] = 1;
    const c = attrByCode[code];
    if (!c) {
      if (!(flags & AttrFlag.Optional)) {
        throw new BgpDecodeError(3, UpdateSubcode.UnrecognizedWellKnown, ErrorAction.SessionReset, `unrecognized well-known attribute ${code}`, b.subarray(o, e));
      }
      (attrs.unknown ?? (attrs.unknown = [])).push({ code, flags: flags & 0xf0 & ~AttrFlag.ExtendedLength, value: v.toString('hex') });
      continue;
    }
    if ((flags & (AttrFlag.Optional | AttrFlag.Transitive)) !== c.flags) {
      note(c.malformed, `attribute ${code}: flags 0x${flags.toString(16)} conflict with its definition`); // §3(c)
      res.rejected.add(c.key);
      continue;
    }
    try {
      (attrs as Record<string, unknown>)[c.key] = c.decode(v, ctx);
    } catch (err) {
      if (!(err instanceof BgpDecodeError)) throw err;
      if (err.action === ErrorAction.SessionReset) throw err;
      note(err.action, err.message);
      res.rejected.add(c.key);
    }
  }
  if (!ctx.as4) {
    // RFC 6793 §4.2.3: rebuild the 4-octet path from an OLD speaker.
    if (attrs.as4Path && attrs.asPath) attrs.asPath = mergeAs4Path(attrs.asPath, attrs.as4Path);
    if (attrs.as4Aggregator && attrs.aggregator?.as === 23456) attrs.aggregator = attrs.as4Aggregator;
  }
  delete attrs.as4Path; delete attrs.as4Aggregator;
  return res;
}

const MANDATORY = [['origin', 'ORIGIN'], ['asPath', 'AS_PATH'], ['nextHop', 'NEXT_HOP']] as const;

/**
 * RFC 7606 §3(d): well-known mandatory attributes must be present when the
 * UPDATE carries NLRI. Returns the reason if one is missing.  One that was
 * present but malformed (`rejected`, from decodeAttributes) is not reported
 * again as missing: its own reason (`ORIGIN value 5`) is the real one, and its
 * rule (§7.1–7.3, §3(c)) already made the UPDATE treat-as-withdraw.
 */
export function missingMandatory(attrs: PathAttrs, hasLegacyNlri: boolean, hasMpNlri: boolean, rejected: ReadonlySet<string> = new Set()): string | null {
  if (!hasLegacyNlri && !hasMpNlri) return null;
  for (const [key, name] of MANDATORY) {
    if (key === 'nextHop' && !hasLegacyNlri) continue;
    if (attrs[key] === undefined && !rejected.has(key)) return `${name} missing`;
  }
  return null;
}

function readNlri(f: Family, buf: Uint8Array, off: number, end: number, withdraw: boolean, addPath: boolean, kd: KeyData, out: Nlri[]): void {
  let o = off;
  while (o < end) {
    let pathId: number | undefined;
    if (addPath) {
      if (o + 4 > end) throw new BgpDecodeError(3, UpdateSubcode.InvalidNetwork, ErrorAction.SessionReset, 'truncated path identifier');
      pathId = ((buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!) >>> 0;
      o += 4;
    }
    o += f.nlri.split(buf, o, end, withdraw, kd);
    const route = f.nlri.fromKD(Buffer.from(kd.key), Buffer.from(kd.data));
    out.push(pathId === undefined ? { route } : { route, pathId });
  }
}

/** Decode a whole UPDATE message (header included) into an object. */
export function decodeUpdate(buf: Uint8Array, ctx: UpdateContext = { as4: true }): UpdateMessage {
  const len = (buf[16]! << 8) | buf[17]!;
  const s = scanUpdate(buf, 0, len, new UpdateScan());
  const r = decodeAttributes(buf, s, ctx);
  const kd = new KeyData();
  const v4 = FAMILIES[0]!;
  const msg: UpdateMessage = { type: 'update', withdrawn: [], attrs: r.attrs, nlri: [] };
  readNlri(v4, buf, s.wdOff, s.wdEnd, true, !!ctx.addPathRx?.[0], kd, msg.withdrawn);
  readNlri(v4, buf, s.nlriOff, s.nlriEnd, false, !!ctx.addPathRx?.[0], kd, msg.nlri);
  if (s.reach) {
    const nh = decodeNextHop(s.reach, buf, s.nhOff, s.nhLen);
    const nlri: Nlri[] = [];
    readNlri(s.reach, buf, s.reachOff, s.reachEnd, false, !!ctx.addPathRx?.[s.reach.id], kd, nlri);
    msg.mpReach = { family: s.reach.name, nextHop: nh, nlri };
  }
  if (s.unreach) {
    const wd: Nlri[] = [];
    readNlri(s.unreach, buf, s.unreachOff, s.unreachEnd, true, !!ctx.addPathRx?.[s.unreach.id], kd, wd);
    msg.mpUnreach = { family: s.unreach.name, withdrawn: wd };
  }
  const miss = missingMandatory(r.attrs, msg.nlri.length > 0, (msg.mpReach?.nlri.length ?? 0) > 0, r.rejected);
  if (miss) { r.action = Math.max(r.action, ErrorAction.TreatAsWithdraw); r.reasons.push(miss); }
  if (r.action) msg.error = { action: errorActionName[r.action as ErrorAction], reasons: r.reasons };
  return msg;
}

/** One attribute TLV, extended length when needed. */
export function encodeAttr(flags: number, code: number, v: Uint8Array): Buffer {
  const ext = v.length > 255;
  const b = Buffer.alloc((ext ? 4 : 3) + v.length);
  b[0] = (flags & ~AttrFlag.ExtendedLength) | (ext ? AttrFlag.ExtendedLength : 0);
  b[1] = code;
  if (ext) b.writeUInt16BE(v.length, 2); else b[2] = v.length;
  b.set(v, ext ? 4 : 3);
  return b;
}

/** Encode path attributes (not MP_*) in type-code order; AS4_PATH/AS4_AGGREGATOR added for OLD peers. */
export function encodePathAttrs(attrs: PathAttrs, ctx: AttrContext): Buffer {
  const parts: Array<[number, Buffer]> = [];
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || key === 'unknown' || key === 'as4Path' || key === 'as4Aggregator') continue;
    if (key === 'atomicAggregate' && !value) continue;
    const c = [...attrByCodeList()].find((x) => x.key === key);
    if (!c) continue;
    parts.push([c.code, encodeAttr(c.flags, c.code, c.encode(value as never, ctx))]);
  }
  if (!ctx.as4 && needsAs4Path(attrs.asPath)) {
    parts.push([AttrCode.As4Path, encodeAttr(as4PathCodec.flags, AttrCode.As4Path, as4PathCodec.encode(attrs.asPath!, ctx))]);
  }
  if (!ctx.as4 && attrs.aggregator && attrs.aggregator.as > 0xffff) {
    const c = attrByCode[AttrCode.As4Aggregator]!;
    parts.push([c.code, encodeAttr(c.flags, c.code, c.encode(attrs.aggregator as never, ctx))]);
  }
  for (const u of attrs.unknown ?? []) {
    // RFC 4271 §5: unknown optional transitive attributes are passed on with Partial set; non-transitive are dropped.
    if (u.flags & AttrFlag.Transitive) parts.push([u.code, encodeAttr(u.flags | AttrFlag.Partial, u.code, Buffer.from(u.value, 'hex'))]);
  }
  parts.sort((a, b) => a[0] - b[0]);
  return Buffer.concat(parts.map((p) => p[1]));
}
let codecList: Array<NonNullable<(typeof attrByCode)[number]>> | null = null;
function attrByCodeList() {
  return codecList ?? (codecList = attrByCode.filter((c): c is NonNullable<typeof c> => !!c));
}

function writeNlriList(f: Family, list: Nlri[], withdraw: boolean, addPath: boolean, kd: KeyData): Buffer {
  const out = Buffer.alloc(list.length * (addPath ? 80 : 76) + 16);
  let o = 0;
  for (const n of list) {
    if (addPath) { out.writeUInt32BE((n.pathId ?? 0) >>> 0, o); o += 4; }
    f.nlri.toKD(n.route, kd);
    o += f.nlri.join(kd.buf, 0, kd.keyLen, KeyData.DATA, kd.dataLen, withdraw, out, o);
  }
  return out.subarray(0, o);
}

/** Encode an UPDATE message object (header included). */
export function encodeUpdate(m: Omit<UpdateMessage, 'type' | 'error'>, ctx: UpdateContext = { as4: true }, maxLen = MAX_LEN): Buffer {
  const kd = new KeyData();
  const v4 = FAMILIES[0]!;
  const wd = writeNlriList(v4, m.withdrawn, true, !!ctx.addPathTx?.[0], kd);
  const nlri = writeNlriList(v4, m.nlri, false, !!ctx.addPathTx?.[0], kd);
  const attrParts: Buffer[] = [];
  if (m.mpReach) {
    const f = familyOf(m.mpReach.family);
    const nh = encodeNextHop(f, m.mpReach.nextHop);
    const body = writeNlriList(f, m.mpReach.nlri, false, !!ctx.addPathTx?.[f.id], kd);
    const v = Buffer.alloc(5 + nh.length + body.length);
    v.writeUInt16BE(f.afi); v[2] = f.safi; v[3] = nh.length; v.set(nh, 4); v[4 + nh.length] = 0; v.set(body, 5 + nh.length);
    attrParts.push(encodeAttr(AttrFlag.Optional, AttrCode.MpReach, v));
  }
  if (m.mpUnreach) {
    const f = familyOf(m.mpUnreach.family);
    const body = writeNlriList(f, m.mpUnreach.withdrawn, true, !!ctx.addPathTx?.[f.id], kd);
    const v = Buffer.alloc(3 + body.length);
    v.writeUInt16BE(f.afi); v[2] = f.safi; v.set(body, 3);
    attrParts.push(encodeAttr(AttrFlag.Optional, AttrCode.MpUnreach, v));
  }
  attrParts.push(encodePathAttrs(m.attrs, ctx));
  const attrs = Buffer.concat(attrParts);
  const total = HEADER_LEN + 2 + wd.length + 2 + attrs.length + nlri.length;
  if (total > maxLen) throw new RangeError(`UPDATE of ${total} octets exceeds ${maxLen}`);
  const b = Buffer.alloc(total);
  writeHeader(b, total, MsgType.Update);
  let o = HEADER_LEN;
  b.writeUInt16BE(wd.length, o); o += 2; b.set(wd, o); o += wd.length;
  b.writeUInt16BE(attrs.length, o); o += 2; b.set(attrs, o); o += attrs.length;
  b.set(nlri, o);
  return b;
}

/** RFC 4724 §2 End-of-RIB marker for a family. */
export function endOfRib(name: FamilyName): Buffer {
  if (name === 'ipv4') return encodeUpdate({ withdrawn: [], attrs: {}, nlri: [] });
  return encodeUpdate({ withdrawn: [], attrs: {}, nlri: [], mpUnreach: { family: name, withdrawn: [] } });
}
