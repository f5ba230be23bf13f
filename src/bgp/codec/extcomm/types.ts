/**
 * One extended community codec (RFC 4360 §2): 8 octets, type high / subtype /
 * 6-octet value. Text form is `<name>:<value>`, as the GoBGP CLI prints them.
 */
export interface ExtCommunityCodec {
  readonly name: string;
  /** true if this codec owns (type, subtype) */
  match(type: number, subtype: number): boolean;
  format(b: Uint8Array, off: number): string;
  /** parse the text after `<name>:` into 8 octets */
  parse(value: string, out: Uint8Array): void;
}
