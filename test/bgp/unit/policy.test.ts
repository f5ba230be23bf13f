/** Route-target and EVPN helpers for the VPN managers. */
import { describe, expect, it } from 'vitest';
import { autoRouteTarget, compareMacMobility, hasRouteTarget, macMobility, normaliseRouteTarget } from '../../../src/bgp/policy.js';
import { extCommunityFromString } from '../../../src/bgp/codec/extcomm/index.js';

describe('route-target helpers', () => {
  it('normalises the text forms', () => {
    expect(normaliseRouteTarget('65000:100')).toBe('rt:65000:100');
    expect(normaliseRouteTarget('rt:10.0.0.1:5')).toBe('rt:10.0.0.1:5');
    expect(() => normaliseRouteTarget('soo:65000:1')).toThrow();
  });
  it('matches on any RT of the path', () => {
    expect(hasRouteTarget({ extCommunities: ['encap:vxlan', 'rt:65000:100'] }, new Set(['rt:65000:100']))).toBe(true);
    expect(hasRouteTarget({ extCommunities: ['rt:65000:101'] }, new Set(['rt:65000:100']))).toBe(false);
  });
  it('RFC 8365 §5.1.2.1 auto-derived RT for VNI 10100 in AS 65000', () => {
    const rt = autoRouteTarget(65000, 10100);
    expect(rt).toBe(`rt:65000:${0x10000000 + 10100}`);
    expect(Buffer.from(extCommunityFromString(rt)).toString('hex')).toBe('0002fde810002774');
  });
});

describe('RFC 7432 §15 MAC mobility', () => {
  const p = (ext: string[], nextHop: string) => ({ attrs: { extCommunities: ext }, nextHop });
  it('reads sequence and sticky flag', () => {
    expect(macMobility({ extCommunities: ['rt:1:1', 'mac-mobility:7:sticky'] })).toEqual({ seq: 7, sticky: true });
    expect(macMobility({})).toBeNull();
  });
  it('higher sequence wins; equal → lower next hop; sticky beats non-sticky', () => {
    expect(compareMacMobility(p(['mac-mobility:3'], '10.0.0.9'), p(['mac-mobility:2'], '10.0.0.1'))).toBeLessThan(0);
    expect(compareMacMobility(p([], '10.0.0.1'), p(['mac-mobility:1'], '10.0.0.2'))).toBeGreaterThan(0);
    expect(compareMacMobility(p(['mac-mobility:4'], '10.0.0.10'), p(['mac-mobility:4'], '10.0.0.9'))).toBeGreaterThan(0);
    expect(compareMacMobility(p(['mac-mobility:0:sticky'], '10.0.0.9'), p(['mac-mobility:9'], '10.0.0.1'))).toBeLessThan(0);
  });
  it('RFC 7432 §7.7: no MAC mobility community is sequence 0, not sticky, whichever side it is on', () => {
    expect(compareMacMobility(p(['mac-mobility:1'], '10.0.0.2'), p([], '10.0.0.1'))).toBeLessThan(0);
    expect(compareMacMobility(p([], '10.0.0.1'), p(['mac-mobility:1'], '10.0.0.2'))).toBeGreaterThan(0);
    expect(compareMacMobility(p(['mac-mobility:0'], '10.0.0.2'), p([], '10.0.0.1'))).toBeGreaterThan(0); // equal: lower next hop
    expect(compareMacMobility(p([], '10.0.0.2'), p(['mac-mobility:0'], '10.0.0.1'))).toBeGreaterThan(0);
    expect(compareMacMobility(p([], '10.0.0.1'), p(['mac-mobility:0:sticky'], '10.0.0.2'))).toBeGreaterThan(0);
  });
});
