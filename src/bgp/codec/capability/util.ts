/** Shared helper for the capability codecs: a malformed capability is an OPEN error (RFC 5492 gives no subcode). */
import { BgpDecodeError, ErrorAction, ErrorCode, OpenSubcode } from '../errors.js';
export function capError(name: string, msg: string): never {
  // RFC 5492 gives no subcode for a malformed capability; FRR and GoBGP send OPEN error / unspecific (0).
  throw new BgpDecodeError(ErrorCode.OpenMessage, 0, ErrorAction.SessionReset, `${name} capability: ${msg}`);
}
export { OpenSubcode };
