/**
 * The decode error every L2 control protocol codec throws (LACP's LACPDUs,
 * `lacp/pdu.ts`; spanning tree's BPDUs, `stp/bpdu.ts`), and how a machine
 * set receiving a punted frame uses it.
 *
 * A malformed PDU is discarded and counted by its port, never an event of the
 * protocol machines (IEEE 802.1AX-2008 §5.4.12, IEEE 802.1D-2004 §9.3.4). The
 * codecs never log: they throw a `PduDecodeError` naming the protocol, the
 * field path that broke the rule, the offset of the offending octet (from the
 * protocol's first octet; negative = the Ethernet/LLC header) and a reason
 * from the protocol's own enum (`lacp/errors.ts`, `stp/errors.ts`) to count by.
 */
export class PduDecodeError<Reason extends string = string> extends Error {
  constructor(
    /** what failed to decode: `LACPDU`, `BPDU` */
    readonly pdu: string,
    readonly reason: Reason,
    /** field path in the PDU, e.g. `actor.tlvLength`, `messageAge` */
    readonly field: string,
    /** offset of the offending octet from the PDU's first octet */
    readonly offset: number,
    detail: string,
  ) {
    super(`${pdu} ${field} at offset ${offset}: ${detail} (${reason})`);
  }
}

/**
 * Decode a received frame, or count it in `counters.rxErrors` and return
 * undefined when the codec rejects it. Anything but a `PduDecodeError` is a
 * bug and is thrown on.
 */
export function decodeOrCount<T>(decode: () => T, counters: { rxErrors: number }): T | undefined {
  try {
    return decode();
  } catch (e) {
    if (!(e instanceof PduDecodeError)) throw e;
    counters.rxErrors++;
    return undefined;
  }
}
