/**
 * RFC 7606 revised error handling and RFC 4271 §6 errors, one crafted byte
 * string per rule. Attributes are written as hex "flags code length value".
 */
import { describe, expect, it } from 'vitest';
import { BgpDecodeError, ErrorAction } from '../../../src/bgp/codec/errors.js';
import { decodeUpdate, encodeUpdate, open, checkHeader, decodeMessage } from '../../../src/bgp/codec/message/index.js';
import { Rib } from '../../../src/bgp/rib/rib.js';
import { FAMILIES } from '../../../src/bgp/codec/family.js';

const ORIGIN = '40 01 01 00';
const AS_PATH = '40 02 06 02 01 0000fde8'; // SEQUENCE [65000], 4-octet ASNs
const NEXT_HOP = '40 03 04 c0000201'; // 192.0.2.1
const NLRI = '18 0a0100'; // 10.1.0.0/24

function update(attrs: string[], nlri = NLRI, withdrawn = ''): Buffer {
  const a = Buffer.from(attrs.join('').replace(/\s/g, ''), 'hex');
  const w = Buffer.from(withdrawn.replace(/\s/g, ''), 'hex');
  const n = Buffer.from(nlri.replace(/\s/g, ''), 'hex');
  const body = Buffer.concat([Buffer.from([w.length >> 8, w.length & 255]), w, Buffer.from([a.length >> 8, a.length & 255]), a, n]);
  const b = Buffer.concat([Buffer.alloc(16, 0xff), Buffer.from([0, 0, 2]), body]);
  b.writeUInt16BE(b.length, 16);
  return b;
}
const base = (extra: string[] = []) => [ORIGIN, AS_PATH, NEXT_HOP, ...extra];

function action(b: Buffer): string | undefined { return decodeUpdate(b).error?.action; }
function resetError(fn: () => unknown): BgpDecodeError {
  try { fn(); } catch (e) { if (e instanceof BgpDecodeError) { expect(e.action).toBe(ErrorAction.SessionReset); return e; } throw e; }
  throw new Error('expected a session-reset BgpDecodeError');
}

describe('RFC 7606 §7 per-attribute rules', () => {
  it('well-formed UPDATE decodes clean', () => {
    const m = decodeUpdate(update(base()));
    expect(m.error).toBeUndefined();
    expect(m.nlri).toEqual([{ route: { prefix: '10.1.0.0/24' } }]);
    expect(m.attrs).toEqual({ origin: 0, asPath: [{ type: 'seq', asns: [65000] }], nextHop: '192.0.2.1' });
  });
  const cases: Array<[string, string, string[], string]> = [
    ['§7.1 ORIGIN length 2', 'treat-as-withdraw', ['40 01 02 0000', AS_PATH, NEXT_HOP], ''],
    ['§7.1 ORIGIN value 3 (undefined)', 'treat-as-withdraw', ['40 01 01 03', AS_PATH, NEXT_HOP], ''],
    ['§7.2 AS_PATH segment type 0', 'treat-as-withdraw', [ORIGIN, '40 02 06 00 01 0000fde8', NEXT_HOP], ''],
    ['§7.2 AS_PATH segment type 5', 'treat-as-withdraw', [ORIGIN, '40 02 06 05 01 0000fde8', NEXT_HOP], ''],
    ['§7.2 AS_PATH zero-length segment', 'treat-as-withdraw', [ORIGIN, '40 02 02 0200', NEXT_HOP], ''],
    ['§7.2 AS_PATH segment overruns the attribute (count 2, one ASN)', 'treat-as-withdraw', [ORIGIN, '40 02 06 02 02 0000fde8', NEXT_HOP], ''],
    ['§7.3 NEXT_HOP length 5', 'treat-as-withdraw', [ORIGIN, AS_PATH, '40 03 05 c000020100'], ''],
    ['§7.3 NEXT_HOP 0.0.0.0 (martian)', 'treat-as-withdraw', [ORIGIN, AS_PATH, '40 03 04 00000000'], ''],
    ['§7.3 NEXT_HOP 127.0.0.1 (loopback)', 'treat-as-withdraw', [ORIGIN, AS_PATH, '40 03 04 7f000001'], ''],
    ['§7.3 NEXT_HOP 224.0.0.1 (multicast)', 'treat-as-withdraw', [ORIGIN, AS_PATH, '40 03 04 e0000001'], ''],
    ['§7.4 MULTI_EXIT_DISC length 3', 'treat-as-withdraw', base(['80 04 03 000001']), ''],
    ['§7.5 LOCAL_PREF length 5', 'treat-as-withdraw', base(['40 05 05 0000006400']), ''],
    ['§7.6 ATOMIC_AGGREGATE length 1', 'attribute-discard', base(['40 06 01 00']), 'atomicAggregate'],
    ['§7.7 AGGREGATOR length 7 (4-octet session expects 8)', 'attribute-discard', base(['c0 07 07 0000fde8c00002']), 'aggregator'],
    ['§7.8 COMMUNITIES length 5', 'treat-as-withdraw', base(['c0 08 05 fde8000100']), ''],
    ['§7.8 COMMUNITIES length 0', 'treat-as-withdraw', base(['c0 08 00']), ''],
    ['§7.9 ORIGINATOR_ID length 3', 'treat-as-withdraw', base(['80 09 03 0a0000']), ''],
    ['§7.10 CLUSTER_LIST length 6', 'treat-as-withdraw', base(['80 0a 06 0a0000010a00']), ''],
    ['§7.14 EXTENDED_COMMUNITIES length 9', 'treat-as-withdraw', base(['c0 10 09 0002fde80000006400']), ''],
    ['RFC 8092 §6 LARGE_COMMUNITY length 13', 'treat-as-withdraw', base(['c0 20 0d 0000fde8000000010000000200']), ''],
    ['RFC 6514 §5 PMSI_TUNNEL length 4', 'treat-as-withdraw', base(['c0 16 04 00060000']), ''],
    ['RFC 6514 §5 PMSI_TUNNEL ingress replication with a 5-octet endpoint (length 10)', 'treat-as-withdraw', base(['c0 16 0a 0006000641c000020100']), ''],
    ['RFC 6514 §5 PMSI_TUNNEL tunnel type 8', 'treat-as-withdraw', base(['c0 16 09 000800064 1c0000201'.replace(' ', '')]), ''],
    ['§3(c) ORIGIN carrying the Optional flag', 'treat-as-withdraw', ['c0 01 01 00', AS_PATH, NEXT_HOP], ''],
    ['§3(c) MED marked transitive', 'treat-as-withdraw', base(['c0 04 04 00000001']), ''],
    ['§3(c) ATOMIC_AGGREGATE marked optional: its own rule says discard', 'attribute-discard', base(['c0 06 00']), 'atomicAggregate'],
    ['§3(d) ORIGIN missing with NLRI', 'treat-as-withdraw', [AS_PATH, NEXT_HOP], ''],
    ['§3(d) AS_PATH missing with NLRI', 'treat-as-withdraw', [ORIGIN, NEXT_HOP], ''],
    ['§3(d) NEXT_HOP missing with IPv4 NLRI', 'treat-as-withdraw', [ORIGIN, AS_PATH], ''],
    ['§4 last attribute overruns the Total Attribute Length', 'treat-as-withdraw', base(['c0 08 08 fde80001']), ''],
  ];
  for (const [name, want, attrs, dropped] of cases) {
    it(`RFC 7606 ${name} → ${want}`, () => {
      const m = decodeUpdate(update(attrs));
      expect(m.error?.action).toBe(want);
      if (dropped) expect((m.attrs as Record<string, unknown>)[dropped]).toBeUndefined();
      // treat-as-withdraw is only possible because the NLRI still parse (§3(j))
      expect(m.nlri.length).toBe(1);
    });
  }
  it('RFC 7606 §3(d) no mandatory attributes needed for a pure withdrawal', () => {
    expect(action(update([], '', NLRI))).toBeUndefined();
  });
  it('RFC 7606 §3(g) a repeated attribute other than MP_*: first kept, rest discarded', () => {
    const m = decodeUpdate(update(base(['80 04 04 00000001', '80 04 04 00000002'])));
    expect(m.attrs.med).toBe(1);
    expect(m.error?.action).toBe('attribute-discard');
  });
  it('RFC 7606 §3(g) MP_REACH_NLRI twice → session reset, Malformed Attribute List', () => {
    const mp = '80 0e 0e 0001 01 04 c0000201 00 18 0a0200'.replace(/ /g, '');
    const e = resetError(() => decodeUpdate(update([mp.slice(0, 4) + '0c' + mp.slice(6, 6 + 24), mp.slice(0, 4) + '0c' + mp.slice(6, 6 + 24), ORIGIN, AS_PATH], '')));
    expect([e.code, e.subcode]).toEqual([3, 1]);
  });
  it('RFC 7606 §7.11 MP_REACH_NLRI next-hop length 5 for IPv6 unicast → session reset', () => {
    const mp = '80 0e 0b 0002 01 05 2001db8000 00 00'.replace(/ /g, '');
    expect(resetError(() => decodeUpdate(update([mp, ORIGIN, AS_PATH], ''))).code).toBe(3);
  });
  it('RFC 7606 §7.11 MP_REACH_NLRI next-hop length overruns the attribute → session reset', () => {
    const mp = '80 0e 06 0001 01 20 c0000201'.replace(/ /g, '');
    resetError(() => decodeUpdate(update([mp, ORIGIN, AS_PATH], '')));
  });
  it('RFC 7606 §5.3 NLRI prefix length 33 → session reset, Invalid Network Field', () => {
    const e = resetError(() => decodeUpdate(update(base(), '21 0a010000 00')));
    expect([e.code, e.subcode]).toEqual([3, 10]);
  });
  it('RFC 7606 §5.3 MP_REACH VPNv4 NLRI overrunning its attribute → session reset', () => {
    // length 120 bits = 15 octets after the length octet, only 10 present
    const mp = '80 0e 1a 0001 80 0c 0000000000000000c0000201 00 78 000641 0000fde800000001'.replace(/ /g, '');
    resetError(() => decodeUpdate(update([mp, ORIGIN, AS_PATH], '')));
  });
  it('RFC 4271 §6.3 unrecognized well-known attribute → session reset, subcode 2', () => {
    const e = resetError(() => decodeUpdate(update(base(['40 63 01 00']))));
    expect([e.code, e.subcode]).toEqual([3, 2]);
  });
  it('RFC 4271 §5 unknown optional transitive attribute is kept and re-sent with Partial set', () => {
    const m = decodeUpdate(update(base(['c0 63 02 abcd'])));
    expect(m.attrs.unknown).toEqual([{ code: 0x63, flags: 0xc0, value: 'abcd' }]);
    const again = decodeUpdate(encodeUpdate(m));
    expect(again.attrs.unknown).toEqual([{ code: 0x63, flags: 0xe0, value: 'abcd' }]);
  });
  it('RFC 4271 §5 unknown optional non-transitive attribute is not propagated', () => {
    const m = decodeUpdate(update(base(['80 63 02 abcd'])));
    expect(decodeUpdate(encodeUpdate(m)).attrs.unknown).toBeUndefined();
  });
  it('RFC 7606 §4 Total Attribute Length past the end of the message → session reset', () => {
    const b = update(base());
    b.writeUInt16BE(0x0400, 21);
    resetError(() => decodeUpdate(b));
  });
  it('RFC 7606 §4 Withdrawn Routes Length past the end of the message → session reset', () => {
    const b = update(base());
    b.writeUInt16BE(0x0400, 19);
    resetError(() => decodeUpdate(b));
  });
  it('RFC 8277 §2.4 VPNv4 withdrawal with the 0x800000 compatibility label', () => {
    const unreach = '80 0f 12 0001 80 70 800000 0000fde800000001 0a0100'.replace(/ /g, '');
    const m = decodeUpdate(update([unreach], ''));
    expect(m.mpUnreach).toEqual({ family: 'vpnv4', withdrawn: [{ route: { rd: '65000:1', prefix: '10.1.0.0/24', label: 0x80000 } }] });
  });
  it('RFC 4724 §2 End-of-RIB markers are recognised per family', () => {
    const rib = new Rib(65001, '10.0.0.9', '10.0.0.9');
    rib.addSource({ index: 1, name: 'p', ebgp: false, routerId: 1, addressKey: 'p', addPath: FAMILIES.map(() => false) });
    expect(rib.ingestUpdate(1, update([], ''), 0, 23, { as4: true }).eor?.name).toBe('ipv4');
    const eor = update(['80 0f 03 0019 46'.replace(/ /g, '')], '');
    expect(rib.ingestUpdate(1, eor, 0, eor.length, { as4: true }).eor?.name).toBe('evpn');
  });
});

describe('RFC 7606 treat-as-withdraw in the RIB: the session stays, the route goes', () => {
  it('a malformed re-announcement withdraws the previously installed route', () => {
    const rib = new Rib(65001, '10.0.0.9', '10.0.0.9');
    rib.addSource({ index: 1, name: 'p', ebgp: false, routerId: 1, addressKey: 'p', addPath: FAMILIES.map(() => false) });
    const ok = update(base());
    expect(rib.ingestUpdate(1, ok, 0, ok.length, { as4: true }).announced).toBe(1);
    expect(rib.loc[0]!.count).toBe(1);
    const bad = update(base(['80 04 03 000001']));
    const r = rib.ingestUpdate(1, bad, 0, bad.length, { as4: true });
    expect(r.treatAsWithdraw?.[0]).toMatch(/MULTI_EXIT_DISC/);
    expect(rib.loc[0]!.count).toBe(0);
    expect(rib.attrs.size).toBe(0); // neither the good nor the malformed attribute set is kept
  });
  it('RFC 7606 §7.1 + §3(d): a malformed mandatory attribute is reported for what it is, not also as missing', () => {
    // ORIGIN value 5 (§7.1), ORIGIN with the Optional flag (§3(c)), AS_PATH segment type 0 (§7.2):
    // each discarded attribute's own reason, and nothing "missing"
    const cases: Array<[string[], string[]]> = [
      [['40 01 01 05', AS_PATH, NEXT_HOP], ['ORIGIN value 5']],
      [['c0 01 01 00', AS_PATH, NEXT_HOP], ['attribute 1: flags 0xc0 conflict with its definition']],
      [[ORIGIN, '40 02 06 00 01 0000fde8', NEXT_HOP], [expect.stringMatching(/AS_PATH/)]],
      // a malformed ORIGIN and an absent AS_PATH: both, each once
      [['40 01 01 05', NEXT_HOP], ['ORIGIN value 5', 'AS_PATH missing']],
    ];
    for (const [attrs, reasons] of cases) {
      const rib = new Rib(65001, '10.0.0.9', '10.0.0.9');
      rib.addSource({ index: 1, name: 'p', ebgp: false, routerId: 1, addressKey: 'p', addPath: FAMILIES.map(() => false) });
      const b = update(attrs);
      const r = rib.ingestUpdate(1, b, 0, b.length, { as4: true });
      expect(r.treatAsWithdraw).toEqual(reasons);
      expect(rib.loc[0]!.count).toBe(0);
      // the message decoder says the same
      expect(decodeUpdate(b).error).toEqual({ action: 'treat-as-withdraw', reasons });
    }
  });
  it('RFC 4456 §8 ORIGINATOR_ID equal to our router ID → not installed', () => {
    const rib = new Rib(65001, '10.0.0.9', '10.0.0.9');
    rib.addSource({ index: 1, name: 'p', ebgp: false, routerId: 1, addressKey: 'p', addPath: FAMILIES.map(() => false) });
    const b = update(base(['80 09 04 0a000009']));
    expect(rib.ingestUpdate(1, b, 0, b.length, { as4: true }).treatAsWithdraw).toEqual(['ORIGINATOR_ID is our router ID']);
    expect(rib.loc[0]!.count).toBe(0);
  });
  it('RFC 4456 §8 CLUSTER_LIST containing our cluster ID → not installed', () => {
    const rib = new Rib(65001, '10.0.0.9', '10.0.0.7');
    rib.addSource({ index: 1, name: 'p', ebgp: false, routerId: 1, addressKey: 'p', addPath: FAMILIES.map(() => false) });
    const b = update(base(['80 0a 08 0a0000010a000007']));
    expect(rib.ingestUpdate(1, b, 0, b.length, { as4: true }).treatAsWithdraw).toEqual(['CLUSTER_LIST contains our cluster ID']);
  });
});

describe('RFC 4271 §6.1 header and §6.2 OPEN errors', () => {
  const hdr = (len: number, type: number, marker = 0xff) => { const b = Buffer.alloc(Math.max(len, 19), 0); b.fill(marker, 0, 16); b.writeUInt16BE(len, 16); b[18] = type; return b; };
  it('§6.1 marker not all ones → 1/1', () => { const b = hdr(19, 4); b[3] = 0; const e = resetError(() => checkHeader(b, 0, 19, 4096)); expect([e.code, e.subcode]).toEqual([1, 1]); });
  it('§6.1 length 18 → 1/2 with the length as data', () => { const e = resetError(() => checkHeader(hdr(18, 4), 0, 19, 4096)); expect([e.code, e.subcode, [...e.data]]).toEqual([1, 2, [0, 18]]); });
  it('§6.1 KEEPALIVE of length 20 → 1/2', () => { resetError(() => checkHeader(hdr(20, 4), 0, 20, 4096)); });
  it('§6.1 UPDATE of 4097 octets without extended messages → 1/2', () => { resetError(() => checkHeader(hdr(4097, 2), 0, 4097, 4096)); });
  it('RFC 8654 UPDATE of 4097 octets with extended messages is fine', () => { expect(checkHeader(hdr(4097, 2), 0, 4097, 65535)).toBe(4097); });
  it('§6.1 type 9 → 1/3', () => { const e = resetError(() => checkHeader(hdr(19, 9), 0, 19, 4096)); expect([e.code, e.subcode]).toEqual([1, 3]); });
  const openBody = (v: number, hold: number, id: string, opt = '') => Buffer.from(`${v.toString(16).padStart(2, '0')}fde8${hold.toString(16).padStart(4, '0')}${id}${(opt.length / 2).toString(16).padStart(2, '0')}${opt}`, 'hex');
  it('§6.2 version 3 → 2/1', () => { const e = resetError(() => open.decode(openBody(3, 90, '0a000001'))); expect([e.code, e.subcode]).toEqual([2, 1]); });
  it('§6.2 hold time 2 → 2/6', () => { const e = resetError(() => open.decode(openBody(4, 2, '0a000001'))); expect([e.code, e.subcode]).toEqual([2, 6]); });
  it('§6.2 BGP identifier 0.0.0.0 → 2/3', () => { const e = resetError(() => open.decode(openBody(4, 90, '00000000'))); expect([e.code, e.subcode]).toEqual([2, 3]); });
  it('§6.2 optional parameter type 1 → 2/4', () => { const e = resetError(() => open.decode(openBody(4, 90, '0a000001', '0100'))); expect([e.code, e.subcode]).toEqual([2, 4]); });
  it('RFC 5492 capabilities one per parameter and several in one parameter decode the same', () => {
    const single = open.decode(openBody(4, 90, '0a000001', '02060104000100010206410400fde800'.slice(0, 32)));
    const series = open.decode(openBody(4, 90, '0a000001', '020c010400010001410400'.concat('00fde8')));
    expect(single.capabilities.multiprotocol).toEqual([{ afi: 1, safi: 1 }]);
    expect(series.capabilities).toEqual({ multiprotocol: [{ afi: 1, safi: 1 }], as4: 65000 });
  });
  it('RFC 9072 extended optional parameters length round-trips', () => {
    const caps = { multiprotocol: Array.from({ length: 70 }, (_, i) => ({ afi: 1, safi: i + 1 })) };
    const wire = open.encode({ myAs: 65000, holdTime: 90, bgpId: '10.0.0.1', capabilities: caps });
    expect(wire[28]).toBe(255);
    const m = decodeMessage(wire);
    expect(m.type === 'open' && m.capabilities.multiprotocol.length).toBe(70);
  });
});
