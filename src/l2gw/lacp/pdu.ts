/**
 * LACPDU codec: IEEE 802.1AX-2008 §5.4.2 (LACPDU structure and encoding).
 *
 * A LACPDU is a Slow Protocols frame (43B): destination 01-80-C2-00-00-02,
 * EtherType 0x8809, subtype 1 (LACP), version 1, then four TLVs in a fixed
 * order and size — Actor Information (type 1, length 20), Partner Information
 * (type 2, length 20), Collector Information (type 3, length 16), Terminator
 * (type 0, length 0) — and 50 reserved octets: 110 octets after the EtherType.
 *
 * Decoding follows the receive rules of §5.4.2.2: the TLV types and lengths of
 * the fixed layout are checked, reserved octets are ignored, and a version
 * above 1 is read with the version-1 layout (the standard's forward
 * compatibility rule); version 0 is rejected. The 50 trailing reserved octets
 * may be absent (a trimmed frame still carries every field). Every failure
 * throws `LacpDecodeError` naming the field; nothing else is thrown.
 * Encoding always produces the full 110 octets with zero reserved fields.
 *
 * Not handled: the Marker protocol (subtype 2) and the version-2 TLVs of
 * 802.1AX-2014 (port conversation masks), which a version-1 reader skips.
 */
import { LacpDecodeError, LacpDecodeReason } from './errors.js';

export const SLOW_PROTOCOLS_MAC = '01:80:c2:00:00:02';
export const SLOW_PROTOCOLS_ETHERTYPE = 0x8809;
export const LACP_SUBTYPE = 1;
export const LACP_VERSION = 1;
/** octets after the EtherType: subtype … terminator + 50 reserved */
export const LACPDU_LENGTH = 110;
/** octets up to and including the Terminator TLV */
const LACPDU_MIN_LENGTH = 60;
const ETH_HEADER = 14;

/** §5.4.2.2 (l)/(t): Actor_State / Partner_State, bit 0 first. */
export interface PortState {
  /** bit 0: TRUE = Active LACP, FALSE = Passive */
  activity: boolean;
  /** bit 1: TRUE = Short Timeout (fast rate), FALSE = Long Timeout */
  timeout: boolean;
  /** bit 2: TRUE = aggregatable, FALSE = Individual */
  aggregation: boolean;
  /** bit 3: IN_SYNC */
  synchronization: boolean;
  /** bit 4 */
  collecting: boolean;
  /** bit 5 */
  distributing: boolean;
  /** bit 6: the partner information in use is the administrative default */
  defaulted: boolean;
  /** bit 7: the receive machine is in EXPIRED */
  expired: boolean;
}
export const portStateBits = [
  'activity', 'timeout', 'aggregation', 'synchronization', 'collecting', 'distributing', 'defaulted', 'expired',
] as const satisfies ReadonlyArray<keyof PortState>;

export function stateFromByte(b: number): PortState {
  const s = {} as PortState;
  portStateBits.forEach((k, i) => { s[k] = ((b >> i) & 1) === 1; });
  return s;
}
export function stateToByte(s: PortState): number {
  return portStateBits.reduce((b, k, i) => (s[k] ? b | (1 << i) : b), 0);
}
/** The words `ovs-appctl lacp/show` prints for a state (OVS wording: `synchronized`). */
export function formatState(s: PortState): string {
  const words: Record<keyof PortState, string> = {
    activity: 'activity', timeout: 'timeout', aggregation: 'aggregation', synchronization: 'synchronized',
    collecting: 'collecting', distributing: 'distributing', defaulted: 'defaulted', expired: 'expired',
  };
  return portStateBits.filter((k) => s[k]).map((k) => words[k]).join(' ');
}

/** Actor or Partner Information (§5.4.2.2 c–m / n–x). */
export interface PortInfo {
  systemPriority: number;
  /** MAC-48, lower-case colon form */
  system: string;
  key: number;
  portPriority: number;
  port: number;
  state: PortState;
}

export interface Lacpdu {
  /** as received; always 1 on encode */
  version: number;
  actor: PortInfo;
  partner: PortInfo;
  /** CollectorMaxDelay, tens of microseconds (§5.4.2.2 aa) */
  collectorMaxDelay: number;
}

const TLV = [
  { name: 'actor', type: 1, length: 20, at: 2 },
  { name: 'partner', type: 2, length: 20, at: 22 },
  { name: 'collector', type: 3, length: 16, at: 42 },
  { name: 'terminator', type: 0, length: 0, at: 58 },
] as const;

function macAt(b: Uint8Array, o: number): string {
  return Array.from(b.subarray(o, o + 6), (x) => x.toString(16).padStart(2, '0')).join(':');
}
function writeMac(b: Buffer, o: number, mac: string): void {
  const parts = mac.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) throw new RangeError(`not a MAC-48: ${mac}`);
  parts.forEach((p, i) => { b[o + i] = parseInt(p, 16); });
}

function decodeInfo(b: Buffer, o: number): PortInfo {
  return {
    systemPriority: b.readUInt16BE(o),
    system: macAt(b, o + 2),
    key: b.readUInt16BE(o + 8),
    portPriority: b.readUInt16BE(o + 10),
    port: b.readUInt16BE(o + 12),
    state: stateFromByte(b[o + 14]!),
  };
}
function encodeInfo(b: Buffer, o: number, i: PortInfo): void {
  b.writeUInt16BE(i.systemPriority, o);
  writeMac(b, o + 2, i.system);
  b.writeUInt16BE(i.key, o + 8);
  b.writeUInt16BE(i.portPriority, o + 10);
  b.writeUInt16BE(i.port, o + 12);
  b[o + 14] = stateToByte(i.state);
}

/** Decode the slow-protocol payload (from the subtype octet on). */
export function decodeLacpdu(payload: Uint8Array): Lacpdu {
  const b = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (b.length < 2) throw new LacpDecodeError(LacpDecodeReason.Truncated, 'subtype', b.length, `${b.length} octets, need the subtype and version`);
  if (b[0] !== LACP_SUBTYPE) throw new LacpDecodeError(LacpDecodeReason.BadSubtype, 'subtype', 0, `subtype ${b[0]}, LACP is 1`);
  if (b[1] === 0) throw new LacpDecodeError(LacpDecodeReason.BadVersion, 'version', 1, 'version 0');
  if (b.length < LACPDU_MIN_LENGTH) {
    throw new LacpDecodeError(LacpDecodeReason.Truncated, 'length', b.length, `${b.length} octets, the TLVs need ${LACPDU_MIN_LENGTH}`);
  }
  for (const t of TLV) {
    if (b[t.at] !== t.type) throw new LacpDecodeError(LacpDecodeReason.BadTlvType, `${t.name}.tlvType`, t.at, `type ${b[t.at]}, expected ${t.type}`);
    if (b[t.at + 1] !== t.length) {
      throw new LacpDecodeError(LacpDecodeReason.BadTlvLength, `${t.name}.tlvLength`, t.at + 1, `length ${b[t.at + 1]}, expected ${t.length}`);
    }
  }
  return { version: b[1]!, actor: decodeInfo(b, 4), partner: decodeInfo(b, 24), collectorMaxDelay: b.readUInt16BE(44) };
}

/** Encode the slow-protocol payload (110 octets, reserved fields zero). */
export function encodeLacpdu(pdu: Lacpdu): Buffer {
  const b = Buffer.alloc(LACPDU_LENGTH);
  b[0] = LACP_SUBTYPE;
  b[1] = LACP_VERSION;
  for (const t of TLV) { b[t.at] = t.type; b[t.at + 1] = t.length; }
  encodeInfo(b, 4, pdu.actor);
  encodeInfo(b, 24, pdu.partner);
  b.writeUInt16BE(pdu.collectorMaxDelay, 44);
  return b;
}

/** A whole Ethernet frame: destination and EtherType checked, then the LACPDU. */
export function decodeLacpFrame(frame: Uint8Array): { source: string; pdu: Lacpdu } {
  if (frame.length < ETH_HEADER) {
    throw new LacpDecodeError(LacpDecodeReason.Truncated, 'ethernet', frame.length - ETH_HEADER, `${frame.length} octets, shorter than an Ethernet header`);
  }
  const dst = macAt(frame, 0);
  if (dst !== SLOW_PROTOCOLS_MAC) throw new LacpDecodeError(LacpDecodeReason.BadDestination, 'ethernet.destination', -ETH_HEADER, `destination ${dst}`);
  const type = (frame[12]! << 8) | frame[13]!;
  if (type !== SLOW_PROTOCOLS_ETHERTYPE) {
    throw new LacpDecodeError(LacpDecodeReason.BadEtherType, 'ethernet.etherType', -2, `EtherType 0x${type.toString(16).padStart(4, '0')}`);
  }
  return { source: macAt(frame, 6), pdu: decodeLacpdu(frame.subarray(ETH_HEADER)) };
}

/** Build the frame a member port sends: its own MAC as source (§5.4.2.1). */
export function encodeLacpFrame(source: string, pdu: Lacpdu): Buffer {
  const b = Buffer.alloc(ETH_HEADER + LACPDU_LENGTH);
  writeMac(b, 0, SLOW_PROTOCOLS_MAC);
  writeMac(b, 6, source);
  b.writeUInt16BE(SLOW_PROTOCOLS_ETHERTYPE, 12);
  encodeLacpdu(pdu).copy(b, ETH_HEADER);
  return b;
}

/** The structure `--json` prints: state as OVS words and the raw byte. */
export function lacpduToJSON(pdu: Lacpdu): object {
  const info = (i: PortInfo) => ({ ...i, state: formatState(i.state), stateByte: stateToByte(i.state) });
  return { version: pdu.version, actor: info(pdu.actor), partner: info(pdu.partner), collectorMaxDelay: pdu.collectorMaxDelay };
}
