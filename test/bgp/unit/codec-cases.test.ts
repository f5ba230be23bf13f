/** Crafted NLRI and attribute cases per family and RFC clause (complements the property tests). */
import { describe, expect, it } from 'vitest';
import { BgpDecodeError, ErrorAction } from '../../../src/bgp/codec/errors.js';
import { FAMILIES, familyByName } from '../../../src/bgp/codec/family.js';
import { KeyData } from '../../../src/bgp/codec/nlri/types.js';
import { decodeUpdate, encodeUpdate } from '../../../src/bgp/codec/message/update.js';
import { mergeAs4Path } from '../../../src/bgp/codec/attr/as-path.js';
import { extCommunityFromString, extCommunityToString } from '../../../src/bgp/codec/extcomm/index.js';
import { rdToBytes, rdToString } from '../../../src/bgp/codec/rd.js';

const split = (fam: string, hex: string) => {
  const b = Buffer.from(hex.replace(/\s/g, ''), 'hex');
  const kd = new KeyData();
  const n = familyByName(fam).nlri.split(b, 0, b.length, false, kd);
  return { n, route: familyByName(fam).nlri.fromKD(kd.key, kd.data) };
};
const nlriReset = (fam: string, hex: string) => {
  try { split(fam, hex); } catch (e) { expect(e).toBeInstanceOf(BgpDecodeError); expect((e as BgpDecodeError).action).toBe(ErrorAction.SessionReset); return; }
  throw new Error('expected an NLRI error');
};

describe('RFC 4364 §4.2 route distinguishers and RFC 4360 / RFC 5668 route targets', () => {
  it('RD types 0, 1, 2 text ↔ bytes', () => {
    expect(Buffer.from(rdToBytes('65000:1')).toString('hex')).toBe('0000fde800000001');
    expect(Buffer.from(rdToBytes('10.0.0.1:7')).toString('hex')).toBe('00010a0000010007');
    expect(Buffer.from(rdToBytes('4200000000:7')).toString('hex')).toBe('0002fa56ea000007');
    expect(rdToString(Buffer.from('0002fa56ea000007', 'hex'), 0)).toBe('4200000000:7');
    expect(rdToString(Buffer.from('0002 0000fde8 0007'.replace(/ /g, ''), 'hex'), 0)).toBe('65000L:7');
  });
  it('RD text stays right when many RDs interleave (the decode cache: collisions, reuse, one string per RD)', () => {
    const texts = Array.from({ length: 500 }, (_, i) => (i % 2 ? `10.0.${i >> 8}.${i & 255}:${i}` : `65000:${i * 7919}`));
    const bytes = texts.map((t) => { const b = new Uint8Array(12); b.set(rdToBytes(t), 3); return b; });
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < texts.length; i++) expect(rdToString(bytes[(i * 37) % texts.length]!, 3)).toBe(texts[(i * 37) % texts.length]);
    const a = rdToString(bytes[1]!, 3), b = rdToString(bytes[1]!.slice(), 3);
    expect(b).toBe(a);
  });
  it('route targets of the three types and the EVPN communities', () => {
    for (const s of ['rt:65000:100', 'rt:10.1.2.3:5', 'rt:4200000000:9', 'soo:65000:1', 'encap:vxlan', 'router-mac:02:aa:bb:cc:dd:ee', 'mac-mobility:7:sticky', 'esi-label:100:single-active', 'raw:0009030405060708']) {
      expect(extCommunityToString(extCommunityFromString(s), 0)).toBe(s);
    }
    expect(Buffer.from(extCommunityFromString('encap:vxlan')).toString('hex')).toBe('030c000000000008');
  });
});

describe('NLRI per family', () => {
  it('RFC 4271 §4.3 IPv4 prefix: trailing bits past the length are ignored', () => {
    expect(split('ipv4', '17 0a01ff').route).toEqual({ prefix: '10.1.254.0/23' });
  });
  it('RFC 4364 §4.3.4 VPNv4 /32 is 120 bits: label, RD, prefix', () => {
    const r = split('vpnv4', '78 000641 0000fde800000001 0a000001');
    expect(r).toEqual({ n: 16, route: { rd: '65000:1', prefix: '10.0.0.1/32', label: 100 } });
  });
  it('RFC 4364 VPN NLRI shorter than label + RD (87 bits) → session reset', () => nlriReset('vpnv4', '57 000641 0000fde800000001'));
  it('RFC 4659 VPNv6 prefix longer than 128 bits → session reset', () => nlriReset('vpnv6', 'd9 000641 0000fde800000001' + '00'.repeat(17)));
  it('RFC 7432 §7.2 EVPN MAC/IP with MAC length 47 → session reset', () => nlriReset('evpn', '02 21' + '00'.repeat(22) + '2f' + '00'.repeat(10)));
  it('RFC 7432 §7.2 EVPN MAC/IP with IP length 24 → session reset', () => nlriReset('evpn', '02 24' + '00'.repeat(22) + '30' + '020000000001' + '18' + '0a0000' + '000000'));
  it('RFC 7432 §7.3 EVPN IMET with inconsistent IP length → session reset', () => nlriReset('evpn', '03 11' + '0000fde800000001' + '00000000' + '80' + '0a000001'));
  it('RFC 9136 §3.1 EVPN IP prefix of 34 octets with prefix length 33 → session reset', () => nlriReset('evpn', '05 22' + '00'.repeat(22) + '21' + '0a000000' + '00000000' + '000000'));
  it('RFC 7432 EVPN route type 9 is carried opaque', () => {
    expect(split('evpn', '09 03 abcdef').route).toEqual({ type: 9, value: 'abcdef' });
  });
  it('RFC 4684 §4 RTC length 33..95 is a prefix of origin AS + RT; 97 → session reset', () => {
    expect(split('rtc', '40 0000fde8 0002fde8').route).toEqual({ originAs: 65000, routeTarget: '65000:0', length: 64 });
    nlriReset('rtc', '61 0000fde8 0002fde800000064 00');
  });
  it('RFC 4684 §4 default RT membership is length 0', () => {
    expect(split('rtc', '00')).toEqual({ n: 1, route: { originAs: null, routeTarget: null, length: 0 } });
  });
  it('RFC 8950 IPv4 unicast over MP_REACH with a 32-octet IPv6 global + link-local next hop', () => {
    const m = { withdrawn: [], attrs: { origin: 0, asPath: [] }, nlri: [], mpReach: { family: 'ipv4' as const, nextHop: { nextHop: '2001:db8::1', linkLocal: 'fe80::1' }, nlri: [{ route: { prefix: '10.9.0.0/16' } }] } };
    expect(decodeUpdate(encodeUpdate(m)).mpReach).toEqual(m.mpReach);
  });
  it('every family row has distinct AFI/SAFI and GoBGP-style names', () => {
    expect(FAMILIES.map((f) => `${f.name}=${f.afi}/${f.safi}`)).toEqual(['ipv4=1/1', 'ipv6=2/1', 'vpnv4=1/128', 'vpnv6=2/128', 'evpn=25/70', 'rtc=1/132']);
    expect(familyByName('l2vpn-evpn').name).toBe('evpn');
    expect(familyByName('l3vpn-ipv4-unicast').name).toBe('vpnv4');
  });
});

describe('RFC 6793 4-octet AS with OLD speakers', () => {
  it('§4.2.3 AS_PATH with AS_TRANS merged with AS4_PATH', () => {
    const merged = mergeAs4Path([{ type: 'seq', asns: [65001, 23456, 23456] }], [{ type: 'seq', asns: [4200000001, 4200000002] }]);
    expect(merged).toEqual([{ type: 'seq', asns: [65001] }, { type: 'seq', asns: [4200000001, 4200000002] }]);
  });
  it('§4.2.3 AS4_PATH longer than AS_PATH is ignored', () => {
    const p = [{ type: 'seq' as const, asns: [65001] }];
    expect(mergeAs4Path(p, [{ type: 'seq', asns: [1, 2] }])).toBe(p);
  });
  it('§4.2.2 sending to an OLD speaker: AS_TRANS in AS_PATH and AGGREGATOR, real values in AS4_*', () => {
    const wire = encodeUpdate({ withdrawn: [], attrs: { origin: 0, asPath: [{ type: 'seq', asns: [4200000001, 65001] }], nextHop: '192.0.2.1', aggregator: { as: 4200000001, address: '192.0.2.9' } }, nlri: [{ route: { prefix: '10.0.0.0/8' } }] }, { as4: false });
    const hex = wire.toString('hex');
    expect(hex).toContain('4002060202' + '5ba0' + 'fde9'); // AS_PATH: SEQUENCE of 2, AS_TRANS (23456), 65001
    expect(hex).toContain('c0110a0202' + 'fa56ea01' + '0000fde9'); // AS4_PATH
    const back = decodeUpdate(wire, { as4: false });
    expect(back.attrs.asPath).toEqual([{ type: 'seq', asns: [4200000001, 65001] }]);
    expect(back.attrs.aggregator).toEqual({ as: 4200000001, address: '192.0.2.9' });
  });
});
