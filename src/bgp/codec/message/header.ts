/**
 * BGP message header (RFC 4271 §4.1): 16-octet all-ones marker, 2-octet total
 * length (19..4096, or ..65535 with RFC 8654), 1-octet type. Header errors are
 * session resets (§6.1) whose NOTIFICATION data is the bad length / type.
 */
import { BgpDecodeError, ErrorAction, ErrorCode, HeaderSubcode } from '../errors.js';

export const MsgType = { Open: 1, Update: 2, Notification: 3, Keepalive: 4, RouteRefresh: 5 } as const;
export type MsgType = (typeof MsgType)[keyof typeof MsgType];
export const HEADER_LEN = 19;
export const MAX_LEN = 4096;
export const MAX_EXT_LEN = 65535;

const minLen: Record<number, number> = { 1: 29, 2: 23, 3: 21, 4: 19, 5: 23 };

/**
 * Validate the header at `off` given `avail` octets; return the message length
 * or 0 if more octets are needed. Throws on a bad marker, length or type.
 */
export function checkHeader(buf: Uint8Array, off: number, avail: number, maxLen: number): number {
  if (avail < HEADER_LEN) return 0;
  for (let i = 0; i < 16; i++) {
    if (buf[off + i] !== 0xff) throw new BgpDecodeError(ErrorCode.MessageHeader, HeaderSubcode.NotSynchronized, ErrorAction.SessionReset, 'marker is not all ones');
  }
  const len = (buf[off + 16]! << 8) | buf[off + 17]!;
  const type = buf[off + 18]!;
  const min = minLen[type];
  if (min === undefined) throw new BgpDecodeError(ErrorCode.MessageHeader, HeaderSubcode.BadType, ErrorAction.SessionReset, `message type ${type}`, Uint8Array.of(type));
  const max = type === MsgType.Update || type === MsgType.RouteRefresh ? maxLen : MAX_LEN;
  if (len < min || len > max || (type === MsgType.Keepalive && len !== 19)) {
    throw new BgpDecodeError(ErrorCode.MessageHeader, HeaderSubcode.BadLength, ErrorAction.SessionReset, `type ${type} length ${len}`, Uint8Array.of(len >> 8, len & 255));
  }
  return avail >= len ? len : 0;
}

export function writeHeader(b: Uint8Array, len: number, type: number): void {
  b.fill(0xff, 0, 16); b[16] = len >> 8; b[17] = len & 255; b[18] = type;
}

export function frame(type: number, body: Uint8Array): Buffer {
  const b = Buffer.alloc(HEADER_LEN + body.length);
  writeHeader(b, b.length, type);
  b.set(body, HEADER_LEN);
  return b;
}
