/**
 * The NLRI codec contract. Each family splits a wire NLRI into a canonical
 * *key* (what identifies the route: RFC 4271 prefix, RFC 4364 RD + prefix,
 * RFC 7432 per-route-type key fields) and *data* (what the route carries but
 * is not identity: labels, ESI, gateway). The RIB stores key and data bytes in
 * flat arenas; `split`/`join` work on a reusable scratch and allocate nothing,
 * so ingesting a million NLRI creates no per-NLRI objects. `fromKD`/`toKD`
 * convert to and from the JSON-able route objects the API shows.
 */
export class KeyData {
  static readonly DATA = 512;
  /** key at [0, keyLen), data at [DATA, DATA + dataLen) */
  readonly buf = Buffer.alloc(1024);
  keyLen = 0;
  dataLen = 0;
  pathId = 0;
  get key(): Buffer { return this.buf.subarray(0, this.keyLen); }
  get data(): Buffer { return this.buf.subarray(KeyData.DATA, KeyData.DATA + this.dataLen); }
  set(key: Uint8Array, data: Uint8Array): this {
    this.buf.set(key, 0); this.keyLen = key.length;
    this.buf.set(data, KeyData.DATA); this.dataLen = data.length;
    return this;
  }
}

export interface NlriCodec<R> {
  /** Parse one NLRI at `off` (not past `end`) into `kd`; return octets consumed. Throws BgpDecodeError. */
  split(buf: Uint8Array, off: number, end: number, withdraw: boolean, kd: KeyData): number;
  /** Write the wire NLRI for key+data at `out[off]`; return octets written. */
  join(kd: Uint8Array, keyOff: number, keyLen: number, dataOff: number, dataLen: number, withdraw: boolean, out: Uint8Array, off: number): number;
  fromKD(key: Uint8Array, data: Uint8Array): R;
  toKD(route: R, kd: KeyData): void;
  /** Short text form of the route key (for logs and tables). */
  keyString(route: R): string;
  /** IPv4 prefix families only: the prefix of the key at `key[off]` as a prefix-table key
   *  (util/prefix-table.ts `prefixKey4`), read from the key bytes, so that an importer need
   *  not format and parse back the route's prefix text. */
  prefixKey4?(key: Uint8Array, off: number): number;
}
