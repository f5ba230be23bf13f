/**
 * Outbound UPDATE packing for one peer and family. NLRI that share an
 * attribute set are packed into as few UPDATEs as the peer's maximum message
 * size allows (4096, or 65535 with RFC 8654), MP_REACH_NLRI first among the
 * attributes (RFC 7606 §5.1). Withdrawals go in the UPDATE body for IPv4
 * unicast and in MP_UNREACH_NLRI otherwise; labelled withdrawals carry the
 * 0x800000 compatibility label (RFC 8277 §2.4, done by the NLRI codec).
 */
import { AttrCode, AttrFlag } from '../codec/attr/types.js';
import type { Family } from '../codec/family.js';
import { HEADER_LEN, MsgType, writeHeader } from '../codec/message/header.js';
import type { NlriCodec } from '../codec/nlri/types.js';

interface Group { attrs: Buffer; nh: Buffer | null; body: Buffer; len: number; cap: number }

export class UpdatePacker {
  private groups = new Map<Buffer, Group>();
  private wd: Group | null = null;
  private out: Buffer[] = [];
  messages = 0;

  constructor(private readonly f: Family, private readonly maxLen: number, private readonly addPath: boolean) {}

  private newGroup(attrs: Buffer, nh: Buffer | null): Group {
    const mpOverhead = nh ? 4 + 5 + nh.length : 0;
    const cap = this.maxLen - HEADER_LEN - 4 - attrs.length - mpOverhead;
    return { attrs, nh, body: Buffer.alloc(Math.max(cap, 64)), len: 0, cap };
  }

  /** Queue one NLRI (key/data in `src`) with the encoded attributes (and MP next hop, or null for IPv4 body NLRI). */
  announce(attrs: Buffer, nh: Buffer | null, src: Uint8Array, ko: number, kl: number, dof: number, dl: number, pathId: number): void {
    let g = this.groups.get(attrs);
    if (!g) { g = this.newGroup(attrs, nh); this.groups.set(attrs, g); }
    if (g.len + 64 + kl + dl > g.cap) { this.emit(g, false); g.len = 0; }
    if (this.addPath) { g.body.writeUInt32BE(pathId >>> 0, g.len); g.len += 4; }
    g.len += (this.f.nlri as NlriCodec<unknown>).join(src, ko, kl, dof, dl, false, g.body, g.len);
  }

  withdraw(src: Uint8Array, ko: number, kl: number, dof: number, dl: number, pathId: number): void {
    if (!this.wd) {
      const cap = this.maxLen - HEADER_LEN - 4 - (this.f.name === 'ipv4' ? 0 : 7);
      this.wd = { attrs: Buffer.alloc(0), nh: null, body: Buffer.alloc(cap), len: 0, cap };
    }
    const g = this.wd;
    if (g.len + 64 + kl + dl > g.cap) { this.emit(g, true); g.len = 0; }
    if (this.addPath) { g.body.writeUInt32BE(pathId >>> 0, g.len); g.len += 4; }
    g.len += (this.f.nlri as NlriCodec<unknown>).join(src, ko, kl, dof, dl, true, g.body, g.len);
  }

  private emit(g: Group, withdraw: boolean): void {
    if (g.len === 0) return;
    const f = this.f;
    const nlri = g.body.subarray(0, g.len);
    let msg: Buffer;
    if (withdraw && f.name === 'ipv4') {
      msg = Buffer.alloc(HEADER_LEN + 4 + nlri.length);
      msg.writeUInt16BE(nlri.length, HEADER_LEN); nlri.copy(msg, HEADER_LEN + 2); msg.writeUInt16BE(0, HEADER_LEN + 2 + nlri.length);
    } else if (withdraw) {
      const alen = 3 + nlri.length;
      msg = Buffer.alloc(HEADER_LEN + 4 + 4 + alen);
      let o = HEADER_LEN;
      msg.writeUInt16BE(0, o); o += 2; msg.writeUInt16BE(4 + alen, o); o += 2;
      msg[o++] = AttrFlag.Optional | AttrFlag.ExtendedLength; msg[o++] = AttrCode.MpUnreach; msg.writeUInt16BE(alen, o); o += 2;
      msg.writeUInt16BE(f.afi, o); msg[o + 2] = f.safi; o += 3; nlri.copy(msg, o);
    } else if (!g.nh) {
      msg = Buffer.alloc(HEADER_LEN + 4 + g.attrs.length + nlri.length);
      let o = HEADER_LEN;
      msg.writeUInt16BE(0, o); o += 2; msg.writeUInt16BE(g.attrs.length, o); o += 2; g.attrs.copy(msg, o); o += g.attrs.length; nlri.copy(msg, o);
    } else {
      const alen = 5 + g.nh.length + nlri.length;
      msg = Buffer.alloc(HEADER_LEN + 4 + 4 + alen + g.attrs.length);
      let o = HEADER_LEN;
      msg.writeUInt16BE(0, o); o += 2; msg.writeUInt16BE(4 + alen + g.attrs.length, o); o += 2;
      msg[o++] = AttrFlag.Optional | AttrFlag.ExtendedLength; msg[o++] = AttrCode.MpReach; msg.writeUInt16BE(alen, o); o += 2;
      msg.writeUInt16BE(f.afi, o); msg[o + 2] = f.safi; msg[o + 3] = g.nh.length; o += 4; g.nh.copy(msg, o); o += g.nh.length; msg[o++] = 0;
      nlri.copy(msg, o); o += nlri.length; g.attrs.copy(msg, o);
    }
    writeHeader(msg, msg.length, MsgType.Update);
    this.out.push(msg);
    this.messages++;
  }

  /** Finish all partial messages (withdrawals first) and return them. */
  take(): Buffer[] {
    if (this.wd) { this.emit(this.wd, true); this.wd = null; }
    for (const g of this.groups.values()) this.emit(g, false);
    this.groups.clear();
    const out = this.out;
    if (out.length) this.out = []; // else the same empty array again: a flush with nothing to send allocates nothing
    return out;
  }
}
