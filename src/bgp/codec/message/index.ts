/**
 * Message table and stream framing. `MessageReader` accumulates TCP bytes and
 * yields whole messages (as views into its buffer, valid until the next push).
 */
import { BgpDecodeError } from '../errors.js';
import { checkHeader, HEADER_LEN, MAX_LEN, MsgType } from './header.js';
import { keepalive, type KeepaliveMessage } from './keepalive.js';
import { notification, type NotificationMessage } from './notification.js';
import { open, type OpenMessage } from './open.js';
import { routeRefreshMsg, type RouteRefreshMessage } from './route-refresh.js';
import { decodeUpdate, type UpdateContext, type UpdateMessage } from './update.js';

export type BgpMessage = OpenMessage | UpdateMessage | NotificationMessage | KeepaliveMessage | RouteRefreshMessage;

/** Decode one whole message (header included). */
export function decodeMessage(buf: Buffer, ctx: UpdateContext = { as4: true }, maxLen = MAX_LEN): BgpMessage {
  const len = checkHeader(buf, 0, buf.length, maxLen);
  if (len === 0 || len !== buf.length) throw new BgpDecodeError(1, 2, 4, `message length ${buf.length} does not match header`);
  const body = buf.subarray(HEADER_LEN, len);
  switch (buf[18]) {
    case MsgType.Open: return open.decode(body);
    case MsgType.Update: return decodeUpdate(buf, ctx);
    case MsgType.Notification: return notification.decode(body);
    case MsgType.Keepalive: return keepalive.decode();
    default: return routeRefreshMsg.decode(body);
  }
}

export function encodeMessage(m: BgpMessage, ctx?: UpdateContext): Buffer {
  switch (m.type) {
    case 'open': return open.encode(m);
    case 'update': return encodeUpdateMsg(m, ctx);
    case 'notification': return notification.encode(m);
    case 'keepalive': return keepalive.encode();
    case 'route-refresh': return routeRefreshMsg.encode(m);
  }
}
import { encodeUpdate } from './update.js';
function encodeUpdateMsg(m: UpdateMessage, ctx?: UpdateContext): Buffer { return encodeUpdate(m, ctx); }

/** Reassembles messages from a byte stream. */
export class MessageReader {
  private buf = Buffer.alloc(1 << 20);
  private start = 0;
  private end = 0;
  maxLen = MAX_LEN;

  push(chunk: Buffer): void {
    if (this.end + chunk.length > this.buf.length) {
      const live = this.end - this.start;
      if (live + chunk.length > this.buf.length) {
        const nb = Buffer.alloc(Math.max(this.buf.length * 2, live + chunk.length));
        this.buf.copy(nb, 0, this.start, this.end);
        this.buf = nb;
      } else this.buf.copy(this.buf, 0, this.start, this.end);
      this.start = 0; this.end = live;
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }

  /** Next whole message as [buffer, offset, length], or null. Throws on a bad header. */
  next(): [Buffer, number, number] | null {
    const len = checkHeader(this.buf, this.start, this.end - this.start, this.maxLen);
    if (len === 0) return null;
    const off = this.start;
    this.start += len;
    if (this.start === this.end) { this.start = 0; this.end = 0; }
    return [this.buf, off, len];
  }
}
export * from './header.js';
export * from './open.js';
export * from './update.js';
export * from './notification.js';
export * from './keepalive.js';
export * from './route-refresh.js';
