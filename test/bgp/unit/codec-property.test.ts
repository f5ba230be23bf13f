/**
 * Property tests: encode∘decode is the identity for generated routes of every
 * family and generated attribute sets; decoding random bytes either succeeds or
 * throws BgpDecodeError, never anything else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BgpDecodeError } from '../../../src/bgp/codec/errors.js';
import { FAMILIES } from '../../../src/bgp/codec/family.js';
import { decodeMessage, encodeUpdate, decodeUpdate, open, MessageReader } from '../../../src/bgp/codec/message/index.js';
import { KeyData } from '../../../src/bgp/codec/nlri/types.js';
import { attrsArb, routeArb } from './arbitraries.js';
import { parseKey4 } from '../../../src/util/prefix-table.js';

describe('RFC 4760 / RFC 7432 / RFC 4364 / RFC 4684 NLRI round-trips (property)', () => {
  for (const f of FAMILIES) {
    it(`${f.name}: toKD → join → split → fromKD is the identity`, () => {
      const kd = new KeyData(), kd2 = new KeyData();
      fc.assert(fc.property(routeArb[f.name], (r) => {
        f.nlri.toKD(r as never, kd);
        const wire = Buffer.alloc(256);
        const n = f.nlri.join(kd.buf, 0, kd.keyLen, KeyData.DATA, kd.dataLen, false, wire, 0);
        const used = f.nlri.split(wire, 0, n, false, kd2);
        expect(used).toBe(n);
        expect(f.nlri.fromKD(kd2.key, kd2.data)).toEqual(r);
      }), { numRuns: 300 });
    });
  }
  for (const f of FAMILIES.filter((x) => x.name === 'ipv4' || x.name === 'vpnv4')) {
    it(`${f.name}: the prefix key read from the key bytes (prefixKey4) is the key of the route's prefix text, bits past the length cleared`, () => {
      const kd = new KeyData();
      const label = f.name === 'vpnv4' ? [0x00, 0x3e, 0x81, 0, 1, 0xfd, 0xe8, 0, 0, 0, 1] : []; // label 1000 (S), RD 65000:1
      fc.assert(fc.property(fc.integer({ min: 0, max: 32 }), fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.nat(16), (plen, addr, at) => {
        const n = (plen + 7) >> 3;
        const wire = Uint8Array.from([plen + label.length * 8, ...label, ...addr.subarray(0, n)]); // stray bits past plen on the wire
        f.nlri.split(wire, 0, wire.length, false, kd);
        const arena = new Uint8Array(at + kd.keyLen); // the key at an arena offset, nothing after it
        arena.set(kd.key, at);
        const text = (f.nlri.fromKD(kd.key, kd.data) as { prefix: string }).prefix;
        expect(f.nlri.prefixKey4!(arena, at)).toBe(parseKey4(text));
        const mask = plen === 0 ? 0 : (~0 << (32 - plen)) >>> 0;
        const a = ((addr[0]! << 24) | (addr[1]! << 16) | (addr[2]! << 8) | addr[3]!) & mask;
        expect(text).toBe(`${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/${plen}`);
      }), { numRuns: 500 });
    });
  }
  it('UPDATE with MP_REACH for every family: encode∘decode identity, with and without ADD-PATH', () => {
    const fam = fc.constantFrom(...FAMILIES.filter((f) => f.name !== 'ipv4'));
    fc.assert(fc.property(fam, fc.boolean(), attrsArb, fc.infiniteStream(fc.nat()), (f, addPath, attrs, ids) => {
      const routes = fc.sample(routeArb[f.name], 3) as never[];
      const nlri = routes.map((route) => (addPath ? { route, pathId: ids.next().value! >>> 0 } : { route }));
      const nh = f.name === 'ipv6' || f.name === 'vpnv6' ? { nextHop: '2001:db8::1' } : { nextHop: '192.0.2.1' };
      const ctx = { as4: true, addPathRx: FAMILIES.map(() => addPath), addPathTx: FAMILIES.map(() => addPath) };
      const msg = { withdrawn: [], attrs, nlri: [], mpReach: { family: f.name, nextHop: nh, nlri } };
      const wire = encodeUpdate(msg, ctx, 65535);
      const back = decodeUpdate(wire, ctx);
      expect(back.error).toBeUndefined();
      expect(back.attrs).toEqual(attrs);
      expect(back.mpReach).toEqual(msg.mpReach);
      expect(encodeUpdate(back, ctx, 65535).equals(wire)).toBe(true);
    }), { numRuns: 200 });
  });
  it('IPv4 body NLRI + withdrawals with a 2-octet-AS peer: AS4_PATH round-trip (RFC 6793 §4.2)', () => {
    fc.assert(fc.property(attrsArb, fc.array(routeArb.ipv4, { maxLength: 4 }), (attrs, routes) => {
      const ctx = { as4: false };
      const a = { ...attrs, nextHop: '192.0.2.7' };
      const msg = { withdrawn: (routes as never[]).map((route) => ({ route })), attrs: a, nlri: (routes as never[]).map((route) => ({ route })) };
      const back = decodeUpdate(encodeUpdate(msg, ctx, 65535), ctx);
      expect(back.attrs).toEqual(a);
      expect(back.nlri).toEqual(msg.nlri);
      expect(back.withdrawn).toEqual(msg.withdrawn);
    }), { numRuns: 200 });
  });
});

describe('robustness: random input yields a value or BgpDecodeError', () => {
  const typed = (fn: () => unknown) => {
    try { fn(); } catch (e) { if (!(e instanceof BgpDecodeError)) throw e; }
  };
  it('random UPDATE bodies', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), fc.boolean(), (body, as4, ap) => {
      const b = Buffer.alloc(19 + body.length, 0xff);
      b.writeUInt16BE(b.length, 16); b[18] = 2; b.set(body, 19);
      typed(() => decodeMessage(b, { as4, addPathRx: FAMILIES.map(() => ap) }, 65535));
    }), { numRuns: 3000 });
  });
  it('random UPDATEs with well-formed framing and random attributes', () => {
    const attr = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.constantFrom(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 22, 32, 99), fc.uint8Array({ maxLength: 40 }))
      .map(([flags, code, v]) => Buffer.concat([Buffer.from([flags & 0xef, code, v.length]), v]));
    fc.assert(fc.property(fc.array(attr, { maxLength: 6 }), fc.uint8Array({ maxLength: 20 }), (attrs, nlri) => {
      const a = Buffer.concat(attrs);
      const body = Buffer.concat([Buffer.from([0, 0, a.length >> 8, a.length & 255]), a, nlri]);
      const b = Buffer.concat([Buffer.alloc(16, 0xff), Buffer.from([0, 0, 2]), body]);
      b.writeUInt16BE(b.length, 16);
      typed(() => decodeMessage(b, { as4: true }, 65535));
    }), { numRuns: 3000 });
  });
  it('random OPEN bodies and stream framing', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (body) => {
      typed(() => open.decode(Buffer.from(body)));
      const r = new MessageReader();
      r.push(Buffer.from(body));
      typed(() => { while (r.next()); });
    }), { numRuns: 3000 });
  });
});
