// The helpers LACP and spanning tree share (src/l2gw/machine-events.ts,
// src/l2gw/pdu-error.ts): events raised while the machines settle are queued,
// not re-entered, and `settled` runs once per outer event; both protocols'
// decode errors are `PduDecodeError`s that `decodeOrCount` counts, and
// anything else still throws.
import { describe, expect, it } from 'vitest';

import { decodeLacpFrame } from '../../src/l2gw/lacp/pdu.js';
import { LacpDecodeError, LacpDecodeReason } from '../../src/l2gw/lacp/errors.js';
import { MachineEvents } from '../../src/l2gw/machine-events.js';
import { decodeOrCount, PduDecodeError } from '../../src/l2gw/pdu-error.js';
import { decodeBpduFrame } from '../../src/l2gw/stp/bpdu.js';
import { BpduDecodeError } from '../../src/l2gw/stp/errors.js';

describe('MachineEvents', () => {
  it('queues an event raised while settling; settles after each; settled once', () => {
    const log: string[] = [];
    let depth = 0;
    const ev: MachineEvents = new MachineEvents(() => {
      depth++;
      expect(depth).toBe(1); // never re-entered
      log.push('settle');
      if (log.filter((x) => x === 'settle').length === 1) ev.push(() => log.push('inner'));
      depth--;
    }, () => log.push('settled'));
    ev.push(() => log.push('outer'));
    expect(log).toEqual(['outer', 'settle', 'inner', 'settle', 'settled']);
  });

  it('a settle that throws leaves the queue usable', () => {
    let fail = true;
    const ev = new MachineEvents(() => { if (fail) throw new Error('boom'); });
    expect(() => ev.push(() => {})).toThrow('boom');
    fail = false;
    let ran = false;
    ev.push(() => { ran = true; });
    expect(ran).toBe(true);
  });
});

describe('PduDecodeError / decodeOrCount', () => {
  it('LACP and BPDU codec errors share the shape and are counted, not thrown', () => {
    const counters = { rxErrors: 0 };
    const junk = Buffer.alloc(10);
    expect(decodeOrCount(() => decodeLacpFrame(junk), counters)).toBeUndefined();
    expect(decodeOrCount(() => decodeBpduFrame(junk), counters)).toBeUndefined();
    expect(counters.rxErrors).toBe(2);
    const e = new LacpDecodeError(LacpDecodeReason.BadSubtype, 'subtype', 0, 'subtype 2, LACP is 1');
    expect(e).toBeInstanceOf(PduDecodeError);
    expect(e.name).toBe('LacpDecodeError');
    expect(e.message).toBe('LACPDU subtype at offset 0: subtype 2, LACP is 1 (bad-subtype)');
    let b: unknown;
    try { decodeBpduFrame(junk); } catch (x) { b = x; }
    expect(b).toBeInstanceOf(BpduDecodeError);
    expect(b).toBeInstanceOf(PduDecodeError);
    expect((b as BpduDecodeError).message).toMatch(/^BPDU \S+ at offset -?\d+: .* \(truncated\)$/);
  });

  it('anything but a decode error is thrown on', () => {
    expect(() => decodeOrCount(() => { throw new TypeError('bug'); }, { rxErrors: 0 })).toThrow(TypeError);
  });
});
