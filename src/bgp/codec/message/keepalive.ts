/** KEEPALIVE (RFC 4271 §4.4): a bare 19-octet header. */
import { frame, MsgType } from './header.js';

export interface KeepaliveMessage { type: 'keepalive' }
export const keepalive = {
  code: MsgType.Keepalive,
  decode: (): KeepaliveMessage => ({ type: 'keepalive' }),
  encode: (): Buffer => frame(MsgType.Keepalive, new Uint8Array(0)),
};
