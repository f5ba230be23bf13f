/**
 * The BPDU codec of src/l2gw/stp against IEEE 802.1D-2004 clause 9: a
 * Configuration BPDU laid out by hand as a Linux kernel bridge sends it, TCN
 * and RST BPDU round trips, and every §9.3.4 rejection as a typed error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBpdu, decodeBpduFrame, encodeBpdu, encodeBpduFrame, tcnBpdu, type Bpdu } from '../../src/l2gw/stp/bpdu.js';
import { BpduDecodeError } from '../../src/l2gw/stp/errors.js';
import { bridgeId, compareVectors, defaultPathCost, formatBridgeId, portId, superior } from '../../src/l2gw/stp/priority.js';

// 802.3 length 38, LLC 42 42 03, config BPDU: root 8000.02aabbccddee cost 0,
// bridge 8000.02aabbccddee, port 0x8001, age 0, max age 20 s, hello 2 s, fwd delay 15 s, padding
const LINUX_CONFIG = Buffer.from(
  '0180c2000000' + '02aabbccddee' + '0026' + '424203' + '0000' + '00' + '00' + '00'
  + '800002aabbccddee' + '00000000' + '800002aabbccddee' + '8001' + '0000' + '1400' + '0200' + '0f00' + '0000000000000000', 'hex');

function rst(over: Partial<Bpdu> = {}): Bpdu {
  return {
    type: 'rst', version: 2, tc: false, tcAck: false, proposal: true, role: 'designated', learning: false, forwarding: false,
    agreement: false, root: bridgeId(4096, '02:00:00:00:00:01'), cost: 20_000, bridge: bridgeId(32768, '02:00:00:00:00:02'),
    port: portId(128, 2), times: { messageAge: 1, maxAge: 20, helloTime: 2, forwardDelay: 15 }, ...over,
  };
}

function reason(f: () => unknown): string {
  try { f(); } catch (e) { if (e instanceof BpduDecodeError) return e.reason; throw e; }
  return 'accepted';
}

describe('BPDU codec', () => {
  it('decodes a configuration BPDU laid out as the kernel bridge sends it', () => {
    const { src, bpdu } = decodeBpduFrame(LINUX_CONFIG);
    expect(src).toBe('02:aa:bb:cc:dd:ee');
    expect(bpdu).toMatchObject({ type: 'config', version: 0, role: 'designated', tc: false, root: '800002aabbccddee', cost: 0, port: 0x8001 });
    expect(bpdu.times).toEqual({ messageAge: 0, maxAge: 20, helloTime: 2, forwardDelay: 15 });
    // our encoder produces the same octets (padding to 60 included)
    expect(encodeBpduFrame('02:aa:bb:cc:dd:ee', bpdu).equals(LINUX_CONFIG)).toBe(true);
  });

  it('round-trips RST BPDUs with every flag and role, and TCNs', () => {
    for (const role of ['unknown', 'alternate-backup', 'root', 'designated'] as const) {
      const b = rst({ role, tc: true, learning: true, forwarding: role === 'designated', agreement: role === 'root' });
      const frame = encodeBpduFrame('02:00:00:00:00:09', b);
      expect(frame.length).toBe(60);
      expect(frame.readUInt16BE(12)).toBe(39);
      expect(decodeBpduFrame(frame).bpdu).toEqual(b);
    }
    const t = decodeBpduFrame(encodeBpduFrame('02:00:00:00:00:09', tcnBpdu())).bpdu;
    expect(t.type).toBe('tcn');
  });

  it('reads a later protocol version (MSTP, 3) as an RST BPDU', () => {
    const buf = encodeBpdu(rst());
    buf[2] = 3;
    expect(decodeBpdu(Buffer.concat([buf, Buffer.alloc(64)])).type).toBe('rst');
  });

  it('rejects what §9.3.4 rejects, naming the field', () => {
    const ok = encodeBpdu(rst());
    expect(reason(() => decodeBpdu(ok.subarray(0, 35)))).toBe('truncated');
    const proto = Buffer.from(ok); proto[1] = 1;
    expect(reason(() => decodeBpdu(proto))).toBe('bad-protocol');
    const type = Buffer.from(ok); type[3] = 0x05;
    expect(reason(() => decodeBpdu(type))).toBe('bad-type');
    const v1 = Buffer.from(ok); v1[2] = 1; // type 2 needs version ≥ 2
    expect(reason(() => decodeBpdu(v1))).toBe('bad-type');
    const aged = encodeBpdu({ ...rst(), type: 'config', version: 0, times: { messageAge: 20, maxAge: 20, helloTime: 2, forwardDelay: 15 } });
    expect(reason(() => decodeBpdu(aged))).toBe('bad-message-age');
    try { decodeBpdu(aged); } catch (e) { expect((e as BpduDecodeError).field).toBe('messageAge'); expect((e as BpduDecodeError).offset).toBe(27); }
    const dst = Buffer.from(LINUX_CONFIG); dst[5] = 2;
    expect(reason(() => decodeBpduFrame(dst))).toBe('bad-destination');
    const llc = Buffer.from(LINUX_CONFIG); llc[14] = 0xaa;
    expect(reason(() => decodeBpduFrame(llc))).toBe('bad-llc');
    const ethertype = Buffer.from(LINUX_CONFIG); ethertype.writeUInt16BE(0x0800, 12);
    expect(reason(() => decodeBpduFrame(ethertype))).toBe('bad-llc');
    expect(reason(() => decodeBpduFrame(LINUX_CONFIG.subarray(0, 16)))).toBe('truncated');
  });

  it('never throws anything but BpduDecodeError on arbitrary frames', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), (bytes, withHeader) => {
      const frame = withHeader ? Buffer.concat([LINUX_CONFIG.subarray(0, 17), Buffer.from(bytes)]) : Buffer.from(bytes);
      try { decodeBpduFrame(frame); } catch (e) { expect(e).toBeInstanceOf(BpduDecodeError); }
    }), { numRuns: 2000 });
  });
});

describe('identifiers and priority vectors', () => {
  it('orders bridge IDs by priority, then MAC', () => {
    expect(bridgeId(4096, '02:00:00:00:00:09') < bridgeId(32768, '02:00:00:00:00:01')).toBe(true);
    expect(formatBridgeId(bridgeId(32768, '02:AA:bb:cc:dd:ee'))).toBe('32768.02:aa:bb:cc:dd:ee');
    expect(portId(128, 3)).toBe(0x8003);
  });
  it('compares vectors component by component; same designated bridge and port is superior (§17.6)', () => {
    const a = { root: '1000020000000001', cost: 10, bridge: '8000020000000002', port: 0x8001, rxPort: 0x8001 };
    expect(compareVectors(a, { ...a, cost: 11 })).toBeLessThan(0);
    expect(compareVectors(a, { ...a, root: '0000020000000001' })).toBeGreaterThan(0);
    expect(superior({ ...a, cost: 99 }, a)).toBe(true); // worse, but an update from the same designated port
    expect(superior({ ...a, cost: 99, port: 0x8002 }, a)).toBe(false);
  });
  it('defaults path costs by speed (802.1D-2004 Table 17-3)', () => {
    expect(defaultPathCost(100e6)).toBe(200_000);
    expect(defaultPathCost(1e9)).toBe(20_000);
    expect(defaultPathCost(10e9)).toBe(2_000);
    expect(defaultPathCost(100e9)).toBe(200);
    expect(defaultPathCost(10e3)).toBe(200_000_000);
    expect(defaultPathCost(0)).toBe(2_000);
  });
});
