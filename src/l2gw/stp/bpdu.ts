/**
 * BPDU codec: IEEE 802.1D-2004 clause 9 (encoding of BPDUs) for the three
 * types a spanning tree bridge exchanges —
 *   Configuration BPDU (type 0x00, 35 octets, 802.1D legacy STP),
 *   Topology Change Notification BPDU (type 0x80, 4 octets),
 *   RST BPDU (type 0x02, version 2, 36 octets, RSTP clause 17).
 * BPDUs travel in 802.3 frames to the Bridge Group Address 01-80-C2-00-00-00
 * with LLC header DSAP 0x42, SSAP 0x42, control 0x03 (UI); a frame is padded
 * to the 60-octet minimum.
 *
 * Decoding validates as §9.3.4 says: the Protocol Identifier must be 0; a
 * type 0x00 BPDU of at least 35 octets whose Message Age is below its Max Age
 * is a Configuration BPDU (any version); type 0x80 with at least 4 octets is a
 * TCN; type 0x02 with version ≥ 2 and at least 36 octets is an RST BPDU (a
 * later version is read with the version-2 layout). Anything else throws
 * `BpduDecodeError`; nothing else is thrown.
 *
 * Times are carried in units of 1/256 s; the record holds seconds (rounded
 * down to 1/256 s on encoding). Bridge identifiers are 16 hex digits
 * (priority and system ID extension, then the MAC); port identifiers are the
 * 16-bit value (4-bit priority × 4096 + 12-bit port number).
 */
import { BpduDecodeError, BpduDecodeReason } from './errors.js';

export const BRIDGE_GROUP_MAC = '01:80:c2:00:00:00';
const ETH_HEADER = 14;
const LLC = [0x42, 0x42, 0x03];
const MIN_FRAME = 60;

export const BpduType = { Config: 0x00, Tcn: 0x80, Rst: 0x02 } as const;
/** Port Role field of the RST BPDU flags (bits 3–4 in the standard's 1-based numbering). */
export const BPDU_ROLES = ['unknown', 'alternate-backup', 'root', 'designated'] as const;
export type BpduRole = (typeof BPDU_ROLES)[number];

/** Message times, seconds. */
export interface Times { messageAge: number; maxAge: number; helloTime: number; forwardDelay: number }

export interface Bpdu {
  type: 'config' | 'tcn' | 'rst';
  /** Protocol Version Identifier: 0 STP, 2 RSTP (3 MSTP is read as 2) */
  version: number;
  tc: boolean;
  tcAck: boolean;
  proposal: boolean;
  /** a Configuration BPDU always conveys the Designated role (§17.21.8) */
  role: BpduRole;
  learning: boolean;
  forwarding: boolean;
  agreement: boolean;
  root: string;
  cost: number;
  bridge: string;
  port: number;
  times: Times;
}

const ZERO_ID = '0000000000000000';

/** A TCN BPDU record (every field but type and version is ignored on encoding). */
export function tcnBpdu(): Bpdu {
  return {
    type: 'tcn', version: 0, tc: false, tcAck: false, proposal: false, role: 'unknown', learning: false, forwarding: false,
    agreement: false, root: ZERO_ID, cost: 0, bridge: ZERO_ID, port: 0, times: { messageAge: 0, maxAge: 0, helloTime: 0, forwardDelay: 0 },
  };
}

function flagsByte(b: Bpdu): number {
  let f = (b.tc ? 1 : 0) | (b.tcAck ? 0x80 : 0);
  if (b.type === 'rst') {
    f |= (b.proposal ? 0x02 : 0) | (BPDU_ROLES.indexOf(b.role) << 2) | (b.learning ? 0x10 : 0) | (b.forwarding ? 0x20 : 0) | (b.agreement ? 0x40 : 0);
  }
  return f;
}

function putTime(buf: Buffer, off: number, seconds: number): void {
  buf.writeUInt16BE(Math.max(0, Math.min(0xffff, Math.floor(seconds * 256))), off);
}

/** The BPDU octets (from the Protocol Identifier). */
export function encodeBpdu(b: Bpdu): Buffer {
  if (b.type === 'tcn') return Buffer.from([0, 0, 0, BpduType.Tcn]);
  const buf = Buffer.alloc(b.type === 'rst' ? 36 : 35);
  buf[2] = b.type === 'rst' ? 2 : 0;
  buf[3] = b.type === 'rst' ? BpduType.Rst : BpduType.Config;
  buf[4] = flagsByte(b);
  Buffer.from(b.root, 'hex').copy(buf, 5);
  buf.writeUInt32BE(b.cost >>> 0, 13);
  Buffer.from(b.bridge, 'hex').copy(buf, 17);
  buf.writeUInt16BE(b.port & 0xffff, 25);
  putTime(buf, 27, b.times.messageAge);
  putTime(buf, 29, b.times.maxAge);
  putTime(buf, 31, b.times.helloTime);
  putTime(buf, 33, b.times.forwardDelay);
  return buf; // RST: Version 1 Length (octet 36) is 0
}

/** A whole frame: 802.3 header with the length, LLC, BPDU, padding to 60 octets. */
export function encodeBpduFrame(srcMac: string, b: Bpdu): Buffer {
  const bpdu = encodeBpdu(b);
  const frame = Buffer.alloc(Math.max(MIN_FRAME, ETH_HEADER + LLC.length + bpdu.length));
  Buffer.from(BRIDGE_GROUP_MAC.replace(/:/g, ''), 'hex').copy(frame, 0);
  Buffer.from(srcMac.replace(/:/g, ''), 'hex').copy(frame, 6);
  frame.writeUInt16BE(LLC.length + bpdu.length, 12);
  Buffer.from(LLC).copy(frame, ETH_HEADER);
  bpdu.copy(frame, ETH_HEADER + LLC.length);
  return frame;
}

function need(buf: Buffer, n: number, field: string): void {
  if (buf.length < n) throw new BpduDecodeError(BpduDecodeReason.Truncated, field, buf.length, `need ${n} octets, have ${buf.length}`);
}

const time = (buf: Buffer, off: number) => buf.readUInt16BE(off) / 256;

function decodeFlags(f: number, rst: boolean): Pick<Bpdu, 'tc' | 'tcAck' | 'proposal' | 'role' | 'learning' | 'forwarding' | 'agreement'> {
  return {
    tc: (f & 1) !== 0,
    tcAck: (f & 0x80) !== 0,
    proposal: rst && (f & 0x02) !== 0,
    role: rst ? BPDU_ROLES[(f >> 2) & 3]! : 'designated',
    learning: rst && (f & 0x10) !== 0,
    forwarding: rst && (f & 0x20) !== 0,
    agreement: rst && (f & 0x40) !== 0,
  };
}

/** Decodes BPDU octets (from the Protocol Identifier), validating per §9.3.4. */
export function decodeBpdu(buf: Buffer): Bpdu {
  need(buf, 4, 'type');
  const proto = buf.readUInt16BE(0);
  if (proto !== 0) throw new BpduDecodeError(BpduDecodeReason.BadProtocol, 'protocolId', 0, `protocol identifier ${proto}, want 0`);
  const version = buf[2]!;
  const type = buf[3]!;
  if (type === BpduType.Tcn) return { ...tcnBpdu(), version };
  const rst = type === BpduType.Rst && version >= 2;
  if (type !== BpduType.Config && !rst) {
    throw new BpduDecodeError(BpduDecodeReason.BadType, 'type', 3, `type 0x${type.toString(16)} version ${version}`);
  }
  need(buf, rst ? 36 : 35, rst ? 'version1Length' : 'forwardDelay');
  const times = { messageAge: time(buf, 27), maxAge: time(buf, 29), helloTime: time(buf, 31), forwardDelay: time(buf, 33) };
  if (!rst && times.messageAge >= times.maxAge) {
    throw new BpduDecodeError(BpduDecodeReason.BadMessageAge, 'messageAge', 27, `message age ${times.messageAge} s not below max age ${times.maxAge} s`);
  }
  return {
    type: rst ? 'rst' : 'config', version, ...decodeFlags(buf[4]!, rst),
    root: buf.subarray(5, 13).toString('hex'), cost: buf.readUInt32BE(13), bridge: buf.subarray(17, 25).toString('hex'),
    port: buf.readUInt16BE(25), times,
  };
}

/** Decodes a frame as punted by the core: 802.3 header, LLC 42 42 03, BPDU. */
export function decodeBpduFrame(frame: Buffer): { src: string; bpdu: Bpdu } {
  if (frame.length < ETH_HEADER + LLC.length) {
    throw new BpduDecodeError(BpduDecodeReason.Truncated, 'llc', frame.length - ETH_HEADER - LLC.length, `frame of ${frame.length} octets`);
  }
  if (frame.subarray(0, 6).toString('hex') !== '0180c2000000') {
    throw new BpduDecodeError(BpduDecodeReason.BadDestination, 'destination', -ETH_HEADER, `destination ${frame.subarray(0, 6).toString('hex')}`);
  }
  const len = frame.readUInt16BE(12);
  if (len >= 0x600 || frame[14] !== LLC[0] || frame[15] !== LLC[1] || frame[16] !== LLC[2]) {
    throw new BpduDecodeError(BpduDecodeReason.BadLlc, 'llc', -LLC.length, `length/type 0x${len.toString(16)}, LLC ${frame.subarray(14, 17).toString('hex')}`);
  }
  // the 802.3 length bounds the BPDU (padding follows it)
  const end = Math.min(frame.length, ETH_HEADER + Math.max(len, LLC.length));
  const src = [...frame.subarray(6, 12)].map((x) => x.toString(16).padStart(2, '0')).join(':');
  return { src, bpdu: decodeBpdu(frame.subarray(ETH_HEADER + LLC.length, end)) };
}
