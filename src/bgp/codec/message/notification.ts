/**
 * NOTIFICATION (RFC 4271 §4.5): error code, subcode, data. For Cease /
 * Administrative Shutdown or Reset the data may be a Shutdown Communication
 * (RFC 9003: length octet + UTF-8), which `toJSON` shows as `message`.
 */
import { frame, MsgType } from './header.js';

export interface NotificationMessage { type: 'notification'; code: number; subcode: number; data: string }

export const notification = {
  code: MsgType.Notification,
  decode(body: Buffer): NotificationMessage {
    return { type: 'notification', code: body[0]!, subcode: body[1]!, data: body.subarray(2).toString('hex') };
  },
  encode(m: Omit<NotificationMessage, 'type'>): Buffer {
    return frame(MsgType.Notification, Buffer.concat([Buffer.from([m.code, m.subcode]), Buffer.from(m.data, 'hex')]));
  },
  /** RFC 9003 shutdown communication text, if present and well formed */
  shutdownMessage(m: NotificationMessage): string | undefined {
    if (m.code !== 6 || (m.subcode !== 2 && m.subcode !== 4)) return undefined;
    const d = Buffer.from(m.data, 'hex');
    if (d.length < 1 || d[0]! + 1 > d.length) return undefined;
    return d.subarray(1, 1 + d[0]!).toString('utf8');
  },
};
