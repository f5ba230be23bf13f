/**
 * LACPDU codec (IEEE 802.1AX-2008 §5.4.2) against real frames captured from
 * Open vSwitch 3.1's userspace bond (test/fixtures/lacp/*.json, provenance
 * inside), one corrupted offset per check, and a fuzz property.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LacpDecodeError, LacpDecodeReason } from '../../src/l2gw/lacp/errors.js';
import {
  decodeLacpFrame, decodeLacpdu, encodeLacpFrame, encodeLacpdu, formatState, stateFromByte, stateToByte,
} from '../../src/l2gw/lacp/pdu.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'lacp');
interface Fixture { provenance: string; frames: string[]; ovsAppctlLacpShow: string[] }
const load = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture;
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

function decodeError(fn: () => unknown): LacpDecodeError {
  try { fn(); } catch (e) { if (e instanceof LacpDecodeError) return e; throw e; }
  throw new Error('decoded without error');
}

describe('IEEE 802.1AX-2008 §5.4.2 LACPDU from Open vSwitch 3.1', () => {
  it('fixtures exist: defaulted, fast pair and slow pair', () => {
    expect(files.sort()).toEqual(['ovs-3.1-active-fast.json', 'ovs-3.1-pair-fast.json', 'ovs-3.1-pair-slow.json']);
  });
  for (const f of files) {
    for (const [i, hex] of load(f).frames.entries()) {
      it(`${f} #${i} decodes and re-encodes to the same 124 octets`, () => {
        const frame = Buffer.from(hex, 'hex');
        const { source, pdu } = decodeLacpFrame(frame);
        expect(pdu.version).toBe(1);
        expect(encodeLacpFrame(source, pdu).toString('hex')).toBe(hex);
      });
    }
  }
  it('§5.4.2.2 fields of a negotiated PDU match what ovs-appctl lacp/show printed', () => {
    const fx = load('ovs-3.1-pair-fast.json');
    const show = fx.ovsAppctlLacpShow.join('\n');
    const sysId = /^ {2}sys_id: (\S+)/m.exec(show)![1];
    const last = fx.frames.map((h) => decodeLacpFrame(Buffer.from(h, 'hex')).pdu).filter((p) => p.actor.system === sysId).at(-1)!;
    // m0 was given port priority 200; bond1 on the other side system priority 100
    expect(last.actor).toMatchObject({ systemPriority: 32768, key: 1, portPriority: 200 });
    expect(last.partner).toMatchObject({ systemPriority: 100, key: 1 });
    expect(formatState(last.actor.state)).toBe('activity timeout aggregation synchronized collecting distributing');
    expect(formatState(last.partner.state)).toBe('activity timeout aggregation synchronized collecting distributing');
  });
  it('slow rate: the timeout bit is clear on both sides', () => {
    const pdus = load('ovs-3.1-pair-slow.json').frames.map((h) => decodeLacpFrame(Buffer.from(h, 'hex')).pdu);
    expect(pdus.every((p) => !p.actor.state.timeout)).toBe(true);
  });
  it('a defaulted OVS PDU carries an all-zero partner', () => {
    const { pdu } = decodeLacpFrame(Buffer.from(load('ovs-3.1-active-fast.json').frames[0]!, 'hex'));
    expect(pdu.partner).toMatchObject({ system: '00:00:00:00:00:00', systemPriority: 0, key: 0, port: 0 });
  });
  it('state bits: bit 0 activity … bit 7 expired, round trip of all 256 values', () => {
    for (let b = 0; b < 256; b++) expect(stateToByte(stateFromByte(b))).toBe(b);
    expect(stateFromByte(0x01)).toMatchObject({ activity: true, timeout: false });
    expect(stateFromByte(0x80)).toMatchObject({ expired: true, defaulted: false });
  });
});

describe('§5.4.2.2 receive checks, one corrupted offset each', () => {
  const good = Buffer.from(load('ovs-3.1-pair-fast.json').frames[0]!, 'hex');
  const payload = () => Buffer.from(good.subarray(14));
  const cases: Array<[string, (b: Buffer) => void, LacpDecodeReason, string]> = [
    // offset 0: subtype 2 is the Marker protocol
    ['subtype 2 (Marker)', (b) => { b[0] = 2; }, LacpDecodeReason.BadSubtype, 'subtype'],
    // offset 1: version 0 does not exist
    ['version 0', (b) => { b[1] = 0; }, LacpDecodeReason.BadVersion, 'version'],
    // offset 2: Actor Information TLV type must be 1
    ['actor TLV type', (b) => { b[2] = 9; }, LacpDecodeReason.BadTlvType, 'actor.tlvType'],
    // offset 3: Actor_Information_Length must be 20
    ['actor TLV length', (b) => { b[3] = 19; }, LacpDecodeReason.BadTlvLength, 'actor.tlvLength'],
    // offset 22: Partner Information TLV type must be 2
    ['partner TLV type', (b) => { b[22] = 1; }, LacpDecodeReason.BadTlvType, 'partner.tlvType'],
    // offset 43: Collector_Information_Length must be 16
    ['collector TLV length', (b) => { b[43] = 0; }, LacpDecodeReason.BadTlvLength, 'collector.tlvLength'],
    // offset 58: Terminator TLV type must be 0
    ['terminator TLV type', (b) => { b[58] = 3; }, LacpDecodeReason.BadTlvType, 'terminator.tlvType'],
  ];
  for (const [what, corrupt, reason, field] of cases) {
    it(`${what} → ${reason} naming ${field}`, () => {
      const b = payload();
      corrupt(b);
      const e = decodeError(() => decodeLacpdu(b));
      expect(e.reason).toBe(reason);
      expect(e.field).toBe(field);
      expect(e.message).toContain(field);
    });
  }
  it('a payload cut inside the Collector TLV is truncated; without the 50 reserved octets it still decodes', () => {
    expect(decodeError(() => decodeLacpdu(payload().subarray(0, 50))).reason).toBe(LacpDecodeReason.Truncated);
    expect(decodeLacpdu(payload().subarray(0, 60)).actor).toEqual(decodeLacpdu(payload()).actor);
  });
  it('a version above 1 is read with the version-1 layout', () => {
    const b = payload();
    b[1] = 2;
    expect(decodeLacpdu(b).version).toBe(2);
    expect(encodeLacpdu(decodeLacpdu(b))[1]).toBe(1);
  });
  it('non-zero reserved octets are ignored on receipt', () => {
    const b = payload();
    b[19] = 0xff; b[109] = 0xff;
    expect(decodeLacpdu(b)).toEqual(decodeLacpdu(payload()));
  });
  it('frame: wrong destination and wrong EtherType are named', () => {
    const d = Buffer.from(good); d[5] = 0x03; // 01:80:c2:00:00:03 is 802.1X, not slow protocols
    expect(decodeError(() => decodeLacpFrame(d)).field).toBe('ethernet.destination');
    const t = Buffer.from(good); t[13] = 0x00; // 0x8800
    expect(decodeError(() => decodeLacpFrame(t)).reason).toBe(LacpDecodeReason.BadEtherType);
    expect(decodeError(() => decodeLacpFrame(good.subarray(0, 10))).reason).toBe(LacpDecodeReason.Truncated);
  });
});

describe('fuzz: any bytes decode or throw LacpDecodeError', () => {
  it('random payloads', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 140 }), (bytes) => {
      try { decodeLacpdu(bytes); } catch (e) { if (!(e instanceof LacpDecodeError)) throw e; }
    }), { numRuns: 3000 });
  });
  it('mutations of a real PDU: decode → encode → decode is stable', () => {
    const base = Buffer.from(load('ovs-3.1-pair-fast.json').frames[3]!, 'hex');
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.nat(255)), { maxLength: 6 }), fc.nat(base.length), (edits, cut) => {
      const f = Buffer.from(base);
      for (const [o, v] of edits) f[o] = v;
      let once;
      try { once = decodeLacpFrame(f.subarray(0, cut)); } catch (e) { if (e instanceof LacpDecodeError) return; throw e; }
      const again = decodeLacpFrame(encodeLacpFrame(once.source, once.pdu));
      expect(again.pdu).toEqual({ ...once.pdu, version: 1 });
    }), { numRuns: 3000 });
  });
});
