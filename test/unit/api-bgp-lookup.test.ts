// ListPath's prefix lookups (GoBGP's TableLookupPrefix): exact, longer,
// shorter, the longest match of an address per RD, RD filters, refusals
// naming the field.
import { describe, expect, it } from 'vitest';

import { lookupEntries, parseLookups } from '../../src/api/bgp-lookup.js';
import type { AnyRoute, FamilyName } from '../../src/bgp/index.js';

const vpn = (rd: string, prefix: string) => ({ route: { rd, prefix, label: 100 } as AnyRoute });
const VPN = [vpn('65000:1', '10.0.0.0/8'), vpn('65000:1', '10.1.0.0/16'), vpn('65000:1', '10.1.2.0/24'), vpn('65000:2', '10.0.0.0/8'), vpn('65000:2', '10.1.0.0/16')];
const find = (family: FamilyName, entries: { route: AnyRoute }[], q: { prefix: string; type?: string; rd?: string }[]) =>
  lookupEntries(family, entries, parseLookups(family, q as never)).map((e) => `${(e.route as { rd?: string }).rd ?? ''}:${(e.route as { prefix?: string; ip?: string }).prefix ?? (e.route as { ip: string }).ip}`);

describe('ListPath prefixes (TableLookupPrefix)', () => {
  it('EXACT: the prefix itself, in every RD or one', () => {
    expect(find('vpnv4', VPN, [{ prefix: '10.1.0.0/16' }])).toEqual(['65000:1:10.1.0.0/16', '65000:2:10.1.0.0/16']);
    expect(find('vpnv4', VPN, [{ prefix: '10.1.0.0/16', rd: '65000:2' }])).toEqual(['65000:2:10.1.0.0/16']);
    expect(find('vpnv4', VPN, [{ prefix: '10.1.0.0/20' }])).toEqual([]);
  });
  it('EXACT with an address: the longest covering prefix, per RD (each RD is its own table)', () => {
    expect(find('vpnv4', VPN, [{ prefix: '10.1.2.3' }])).toEqual(['65000:1:10.1.2.0/24', '65000:2:10.1.0.0/16']);
    expect(find('vpnv4', VPN, [{ prefix: '10.9.9.9', rd: '65000:1' }])).toEqual(['65000:1:10.0.0.0/8']);
    expect(find('vpnv4', VPN, [{ prefix: '192.0.2.1' }])).toEqual([]);
  });
  it('LONGER and SHORTER include the prefix itself', () => {
    expect(find('vpnv4', VPN, [{ prefix: '10.1.0.0/16', type: 'TABLE_LOOKUP_TYPE_LONGER', rd: '65000:1' }])).toEqual(['65000:1:10.1.0.0/16', '65000:1:10.1.2.0/24']);
    expect(find('vpnv4', VPN, [{ prefix: '10.1.0.0/16', type: 'TABLE_LOOKUP_TYPE_SHORTER', rd: '65000:1' }])).toEqual(['65000:1:10.0.0.0/8', '65000:1:10.1.0.0/16']);
  });
  it('EVPN: the IP prefix of type 5 and the IP of type 2; other route types never match', () => {
    const evpn = [
      { route: { type: 2, rd: '65000:1', esi: '0', ethernetTag: 0, mac: '02:00:00:00:00:01', ip: '10.0.0.5', labels: [1] } as AnyRoute },
      { route: { type: 2, rd: '65000:1', esi: '0', ethernetTag: 0, mac: '02:00:00:00:00:02', ip: null, labels: [1] } as AnyRoute },
      { route: { type: 3, rd: '65000:1', ethernetTag: 0, originatorIp: '10.0.0.5' } as AnyRoute },
      { route: { type: 5, rd: '65000:1', esi: '0', ethernetTag: 0, prefix: '10.0.0.0/24', gateway: '0.0.0.0', label: 1 } as AnyRoute },
    ];
    expect(find('evpn', evpn, [{ prefix: '10.0.0.0/24', type: 'TABLE_LOOKUP_TYPE_LONGER' }])).toEqual(['65000:1:10.0.0.5', '65000:1:10.0.0.0/24']);
    expect(find('evpn', evpn, [{ prefix: '10.0.0.7' }])).toEqual(['65000:1:10.0.0.0/24']);
  });
  it('refusals name the field', () => {
    expect(() => parseLookups('rtc', [{ prefix: '10.0.0.0/8' }])).toThrow('prefixes.0.prefix: rtc routes have no prefix to look up');
    expect(() => parseLookups('ipv4', [{ prefix: '10.0.0.0/8' }, { prefix: 'x' }])).toThrow("prefixes.1.prefix: 'x' is not a prefix or an address");
    expect(() => parseLookups('ipv6', [{ prefix: '10.0.0.0/8' }])).toThrow("prefixes.0.prefix: '10.0.0.0/8' is not an IPv6 prefix (family ipv6)");
    expect(() => parseLookups('ipv4', [{ prefix: '10.0.0.0/8', rd: '65000:1' }])).toThrow('prefixes.0.rd: family ipv4 has no route distinguisher');
    expect(() => parseLookups('vpnv4', [{ prefix: '10.0.0.0/8', rd: 'nonsense' }])).toThrow(/^prefixes\.0\.rd: /);
    expect(() => parseLookups('vpnv4', [{ prefix: '' }])).toThrow('prefixes.0.prefix: is required');
  });
});
