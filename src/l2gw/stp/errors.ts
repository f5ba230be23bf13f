/**
 * Typed BPDU decode errors.
 *
 * A malformed BPDU is counted and dropped by the bridge (stp-bridge.ts); it is
 * never a "BPDU received" event (IEEE 802.1D-2004 §9.3.4: a BPDU that fails
 * validation is discarded). The codec never logs: it throws `BpduDecodeError`
 * (a `PduDecodeError`, ../pdu-error.ts) naming the field, the byte offset from
 * the first BPDU octet (the Protocol Identifier; negative = the Ethernet/LLC
 * header) and a reason below to count by.
 */
import { PduDecodeError } from '../pdu-error.js';

export const BpduDecodeReason = {
  /** fewer octets than the BPDU type needs (§9.3.4: 35 config, 4 TCN, 36 RST) */
  Truncated: 'truncated',
  /** destination not the Bridge Group Address 01-80-C2-00-00-00 */
  BadDestination: 'bad-destination',
  /** not an 802.3 length frame with LLC DSAP/SSAP 0x42 and UI control 0x03 */
  BadLlc: 'bad-llc',
  /** Protocol Identifier not 0 (§9.3.4) */
  BadProtocol: 'bad-protocol',
  /** a BPDU Type neither 0x00, 0x80 nor 0x02 (or 0x02 with version < 2) */
  BadType: 'bad-type',
  /** a configuration BPDU whose Message Age is not below its Max Age (§9.3.4 a) */
  BadMessageAge: 'bad-message-age',
} as const;
export type BpduDecodeReason = (typeof BpduDecodeReason)[keyof typeof BpduDecodeReason];

export class BpduDecodeError extends PduDecodeError<BpduDecodeReason> {
  override readonly name = 'BpduDecodeError';
  /** `field`: of the BPDU, e.g. `messageAge`; `offset`: from the Protocol Identifier */
  constructor(reason: BpduDecodeReason, field: string, offset: number, detail: string) {
    super('BPDU', reason, field, offset, detail);
  }
}
