/**
 * OPEN (RFC 4271 §4.2): version, My AS (2 octets, AS_TRANS when the real AS
 * needs four, RFC 6793 §4.1), Hold Time, BGP Identifier, optional parameters.
 * Optional parameter type 2 holds capabilities (RFC 5492); the RFC 9072
 * extended parameters length (255/255 then 2-octet lengths) is accepted.
 * Checks here are the syntactic ones of §6.2 (version, hold time 1–2, zero
 * identifier, unknown parameter); peer-AS and identifier policy is the FSM's.
 */
import { BgpDecodeError, ErrorAction, ErrorCode, OpenSubcode } from '../errors.js';
import { ipv4ToBytes, ipv4ToString } from '../addr.js';
import { decodeCapabilities, emptyCapabilities, encodeCapabilities, type Capabilities } from '../capability/index.js';
import { frame, MsgType } from './header.js';

export interface OpenMessage { type: 'open'; version: number; myAs: number; holdTime: number; bgpId: string; capabilities: Capabilities }

function openError(sub: number, msg: string, data?: Uint8Array): never {
  throw new BgpDecodeError(ErrorCode.OpenMessage, sub, ErrorAction.SessionReset, msg, data);
}

export const open = {
  code: MsgType.Open,
  decode(body: Buffer): OpenMessage {
    if (body.length < 10) openError(0, 'OPEN too short');
    const version = body[0]!;
    if (version !== 4) openError(OpenSubcode.UnsupportedVersion, `version ${version}`, Uint8Array.of(0, 4));
    const myAs = body.readUInt16BE(1), holdTime = body.readUInt16BE(3);
    if (holdTime === 1 || holdTime === 2) openError(OpenSubcode.UnacceptableHoldTime, `hold time ${holdTime}`);
    const bgpId = ipv4ToString(body, 5);
    if (body.readUInt32BE(5) === 0) openError(OpenSubcode.BadBgpId, 'BGP identifier 0.0.0.0');
    let optLen = body[9]!;
    let o = 10;
    let ext = false;
    if (optLen === 255 && body[10] === 255) {
      if (body.length < 13) openError(0, 'truncated extended optional parameters length');
      ext = true; optLen = body.readUInt16BE(11); o = 13;
    }
    if (o + optLen !== body.length) openError(0, `optional parameters length ${optLen} does not match message`);
    const caps = emptyCapabilities();
    const end = o + optLen;
    while (o < end) {
      const hl = ext ? 3 : 2;
      if (o + hl > end) openError(0, 'truncated optional parameter');
      const ptype = body[o]!;
      const plen = ext ? body.readUInt16BE(o + 1) : body[o + 1]!;
      if (o + hl + plen > end) openError(0, 'optional parameter overruns');
      if (ptype !== 2) openError(OpenSubcode.UnsupportedOptParam, `optional parameter type ${ptype}`);
      decodeCapabilities(body.subarray(o + hl, o + hl + plen), caps);
      o += hl + plen;
    }
    return { type: 'open', version, myAs, holdTime, bgpId, capabilities: caps };
  },
  encode(m: Omit<OpenMessage, 'type' | 'version'> & { version?: number }): Buffer {
    const params = encodeCapabilities(m.capabilities).map((c) => Buffer.concat([Buffer.from([2, c.length]), c]));
    const opt = Buffer.concat(params);
    const head = Buffer.alloc(10);
    head[0] = m.version ?? 4;
    head.writeUInt16BE(m.myAs > 0xffff ? 23456 : m.myAs, 1);
    head.writeUInt16BE(m.holdTime, 3);
    ipv4ToBytes(m.bgpId, head, 5);
    if (opt.length > 255) {
      // RFC 9072 §2
      head[9] = 255;
      const p2 = Buffer.concat(encodeCapabilities(m.capabilities).map((c) => Buffer.concat([Buffer.from([2, c.length >> 8, c.length & 255]), c])));
      const ext = Buffer.from([255, p2.length >> 8, p2.length & 255]);
      return frame(MsgType.Open, Buffer.concat([head, ext, p2]));
    }
    head[9] = opt.length;
    return frame(MsgType.Open, Buffer.concat([head, opt]));
  },
};
