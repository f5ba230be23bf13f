/**
 * Typed LACPDU decode errors.
 *
 * A malformed LACPDU is dropped by the receive machine and counted; it never
 * changes protocol state (IEEE 802.1AX-2008 §5.4.12: only a valid LACPDU is a
 * `PDU received` event). The codec never logs: it throws `LacpDecodeError`
 * (a `PduDecodeError`, ../pdu-error.ts), naming the field that broke the
 * rule, the byte offset in the slow-protocol payload (0 = the subtype octet;
 * negative = the Ethernet header) and a reason below the caller can count by.
 */
import { PduDecodeError } from '../pdu-error.js';

export const LacpDecodeReason = {
  /** fewer octets than the fixed LACPDU layout (§5.4.2.2) needs */
  Truncated: 'truncated',
  /** destination not the Slow_Protocols_Multicast address 01-80-C2-00-00-02 (§5.4.2.1) */
  BadDestination: 'bad-destination',
  /** EtherType not Slow_Protocols_Type 0x8809 (43B.4) */
  BadEtherType: 'bad-ethertype',
  /** subtype not 1 (LACP); 2 is the Marker protocol, not handled here */
  BadSubtype: 'bad-subtype',
  /** version 0 does not exist; versions ≥ 1 are read as version 1 (§5.4.2.2 b) */
  BadVersion: 'bad-version',
  /** a TLV type octet not the one the fixed layout puts at that offset */
  BadTlvType: 'bad-tlv-type',
  /** a TLV length octet not the fixed one (20 actor/partner, 16 collector, 0 terminator) */
  BadTlvLength: 'bad-tlv-length',
} as const;
export type LacpDecodeReason = (typeof LacpDecodeReason)[keyof typeof LacpDecodeReason];

export class LacpDecodeError extends PduDecodeError<LacpDecodeReason> {
  override readonly name = 'LacpDecodeError';
  /** `field`: path in the LACPDU, e.g. `actor.tlvLength`; `offset`: from the subtype octet */
  constructor(reason: LacpDecodeReason, field: string, offset: number, detail: string) {
    super('LACPDU', reason, field, offset, detail);
  }
}
