/** Shared helpers for the attribute codecs: length errors with their RFC 7606 action, 4-octet encoding. */
import { updateError, UpdateSubcode, type ErrorAction } from '../errors.js';

export function lengthError(name: string, len: number, action: ErrorAction, want: string): never {
  throw updateError(UpdateSubcode.AttributeLength, action, `${name}: length ${len}, expected ${want}`);
}
export function u32(n: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; }
