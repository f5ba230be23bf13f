/**
 * One EVPN route type (RFC 7432 §7): `split` parses the value (after the
 * route-type and length octets) into kd key (key[0] = route type, set by the
 * caller) and data; `join` writes the value back.
 */
import type { KeyData } from '../types.js';

export interface EvpnRouteTypeCodec<R> {
  readonly type: number;
  readonly name: string;
  split(buf: Uint8Array, off: number, len: number, kd: KeyData): void;
  join(key: Uint8Array, keyLen: number, data: Uint8Array, dataLen: number, out: Uint8Array, off: number): number;
  fromKD(key: Uint8Array, data: Uint8Array): R;
  toKD(r: R, kd: KeyData): void;
}

export function copy(dst: Uint8Array, doff: number, src: Uint8Array, soff: number, n: number): void {
  for (let i = 0; i < n; i++) dst[doff + i] = src[soff + i]!;
}
