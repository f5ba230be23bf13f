// DF election (src/vpn/df-election.ts) and the multihoming extended
// communities (src/bgp/codec/extcomm/es-import.ts, df-election.ts).
import { describe, expect, it } from 'vitest';

import { extCommunityFromString, extCommunityToString } from '../../src/bgp/codec/extcomm/index.js';
import { evpn, type EvpnRoute } from '../../src/bgp/codec/nlri/evpn/index.js';
import { KeyData } from '../../src/bgp/codec/nlri/types.js';
import { agreedAlgorithm, electDf, hrwDigest, hrwRank, hrwWeight, moduloDf, orderPes } from '../../src/vpn/df-election.js';

const ESI = '00:11:22:33:44:55:66:77:88:99';

describe('RFC 7432 §8.5 modulo DF election', () => {
  it('orders the PEs by numeric address, not as text: 10.0.0.9 before 10.0.0.10, IPv4 before IPv6', () => {
    expect(orderPes(['10.0.0.10', '10.0.0.9', '2001:db8::1', '10.0.0.9'])).toEqual(['10.0.0.9', '10.0.0.10', '2001:db8::1']);
  });
  it('the DF of V is the PE of ordinal V mod N', () => {
    const pes = ['192.0.2.3', '192.0.2.1', '192.0.2.2'];
    expect([0, 1, 2, 3, 4, 10, 11, 12].map((v) => moduloDf(pes, v))).toEqual([
      '192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.1', '192.0.2.2', '192.0.2.2', '192.0.2.3', '192.0.2.1',
    ]);
    expect(moduloDf([], 5)).toBeNull();
    expect(electDf('modulo', ['192.0.2.2', '192.0.2.1'], 10010, ESI)).toBe('192.0.2.1'); // 10010 mod 2 = 0
  });
});

describe('RFC 8584 §3.2 HRW DF election', () => {
  it('D(v, Es) is the CRC-32 of v (4 octets) then the ESI, 31 bits', () => {
    // an independent bitwise CRC-32 (ISO-HDLC, reflected 0xedb88320), checked on its check value
    const crc = (b: number[]) => {
      let c = 0xffffffff;
      for (const x of b) { c ^= x; for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1; }
      return (c ^ 0xffffffff) >>> 0;
    };
    expect(crc([...Buffer.from('123456789')])).toBe(0xcbf43926);
    const v = 10010, esiBytes = ESI.split(':').map((h) => parseInt(h, 16));
    expect(hrwDigest(v, ESI)).toBe(crc([0, 0, 0x27, 0x1a, ...esiBytes]) & 0x7fffffff);
    expect(hrwDigest(10, ESI)).not.toBe(hrwDigest(11, ESI));
  });
  it('Wrand = (1103515245 * ((1103515245 * Si + 12345) XOR D) + 12345) mod 2^31', () => {
    const si = (192 << 24 >>> 0) + (0 << 16) + (2 << 8) + 1; // 192.0.2.1
    const d = hrwDigest(100, ESI);
    // the same formula in 64-bit floating-point-free steps: ((a mod 2^31) arithmetic distributes over mod 2^31)
    const inner = (BigInt(1103515245) * BigInt(si) + 12345n) ^ BigInt(d);
    expect(hrwWeight(100, ESI, '192.0.2.1')).toBe(Number((1103515245n * inner + 12345n) & 0x7fffffffn));
  });
  it('ranks by weight; removing a PE moves only the services it was DF for (minimal disruption, §3.1)', () => {
    const pes = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'];
    let moved = 0, wins = new Map<string, number>();
    for (let v = 1; v <= 400; v++) {
      const r = hrwRank(pes, v, ESI);
      expect(r).toHaveLength(4);
      for (let i = 1; i < 4; i++) expect(hrwWeight(v, ESI, r[i - 1]!)).toBeGreaterThanOrEqual(hrwWeight(v, ESI, r[i]!));
      wins.set(r[0]!, (wins.get(r[0]!) ?? 0) + 1);
      const after = electDf('hrw', pes.filter((p) => p !== '192.0.2.4'), v, ESI);
      if (r[0] === '192.0.2.4') expect(after).toBe(r[1]); // the backup DF takes over
      else expect(after).toBe(r[0]);
      if (after !== r[0]) moved++;
    }
    expect(moved).toBe(wins.get('192.0.2.4'));
    for (const p of pes) expect(wins.get(p)).toBeGreaterThan(50); // spread: ~100 each
    // modulo, for contrast, moves about three quarters of them
    let modMoved = 0;
    for (let v = 1; v <= 400; v++) if (moduloDf(pes, v) !== moduloDf(pes.slice(0, 3), v)) modMoved++;
    expect(modMoved).toBeGreaterThan(250);
  });
  it('§2.2.1: HRW only when every PE of the segment asks for it', () => {
    expect(agreedAlgorithm(['hrw', 'hrw'])).toBe('hrw');
    expect(agreedAlgorithm(['hrw', 'modulo'])).toBe('modulo');
    expect(agreedAlgorithm(['hrw', null])).toBe('modulo');
    expect(agreedAlgorithm([])).toBe('modulo');
  });
});

describe('multihoming extended communities', () => {
  it('RFC 7432 §7.6 ES-Import route target: 06 02 + MAC', () => {
    const b = extCommunityFromString('es-import:11:22:33:44:55:66');
    expect(Buffer.from(b).toString('hex')).toBe('0602112233445566');
    expect(extCommunityToString(b, 0)).toBe('es-import:11:22:33:44:55:66');
  });
  it('RFC 8584 §2.2 DF Election: 06 06, DF type, bitmap, reserved', () => {
    expect(Buffer.from(extCommunityFromString('df-election:hrw')).toString('hex')).toBe('0606010000000000');
    expect(Buffer.from(extCommunityFromString('df-election:modulo:ac-df')).toString('hex')).toBe('0606004000000000');
    expect(extCommunityToString(Buffer.from('0606010000000000', 'hex'), 0)).toBe('df-election:hrw');
    expect(extCommunityToString(Buffer.from('0606094000000000', 'hex'), 0)).toBe('df-election:type-9:ac-df');
    expect(() => extCommunityFromString('df-election:best')).toThrow(TypeError);
  });
  it('RFC 7432 §7.5 ESI Label: all-active (flag clear) vs single-active', () => {
    expect(Buffer.from(extCommunityFromString('esi-label:0')).toString('hex')).toBe('0601000000000000');
    expect(Buffer.from(extCommunityFromString('esi-label:0:single-active')).toString('hex')).toBe('0601010000000000');
  });
});

describe('multihoming routes on the wire', () => {
  const ESI1 = '01:02:00:00:00:e5:01:00:07:00'; // type 1: LACP system 02:00:00:00:e5:01, key 7
  const wire = (r: EvpnRoute) => {
    const kd = new KeyData();
    evpn.toKD(r, kd);
    const out = new Uint8Array(64);
    const k = Buffer.from(kd.buf.subarray(0, kd.keyLen)), d = Buffer.from(kd.data);
    const src = Buffer.concat([k, d]);
    const n = evpn.join(src, 0, k.length, k.length, d.length, false, out, 0);
    return Buffer.from(out.subarray(0, n));
  };
  const back = (b: Buffer) => {
    const kd = new KeyData();
    evpn.split(b, 0, b.length, false, kd);
    return evpn.fromKD(Buffer.from(kd.buf.subarray(0, kd.keyLen)), Buffer.from(kd.data));
  };
  it('RFC 7432 §7.4 Ethernet Segment route: RD, ESI, IP length, originating router', () => {
    const r: EvpnRoute = { type: 4, rd: '192.0.2.11:0', esi: ESI1, originatorIp: '192.0.2.11' };
    const b = wire(r);
    expect(b.toString('hex')).toBe('0417' + '0001c000020b0000' + '01020000' + '00e501000700' + '20' + 'c000020b');
    expect(back(b)).toEqual(r);
  });
  it('RFC 7432 §8.2 per-ES A-D route: tag MAX-ET, label 0', () => {
    const r: EvpnRoute = { type: 1, rd: '192.0.2.11:0', esi: ESI1, ethernetTag: 0xffffffff, label: 0 };
    const b = wire(r);
    expect(b.toString('hex')).toBe('0119' + '0001c000020b0000' + '0102000000e501000700' + 'ffffffff' + '000000');
    expect(back(b)).toEqual(r);
  });
});
