/** GoBGP-style route arguments for `hvswitch bgp rib add|del`. */
import { describe, expect, it } from 'vitest';
import { parseRouteArgs, RouteArgsError } from '../../../src/bgp/cli-args.js';
import { encodeUpdate } from '../../../src/bgp/codec/message/update.js';

const p = (fam: string, s: string) => parseRouteArgs(fam, s.split(' '));

describe('route arguments in the GoBGP CLI vocabulary', () => {
  it('ipv4 with attributes', () => {
    expect(p('ipv4', '10.0.0.0/24 nexthop 192.0.2.1 origin igp med 10 local-pref 200 community 65000:1,65000:2 large-community 1:2:3 aspath 65001,65002')).toEqual({
      family: 'ipv4', route: { prefix: '10.0.0.0/24' },
      attrs: { nextHop: '192.0.2.1', origin: 0, med: 10, localPref: 200, asPath: [{ type: 'seq', asns: [65001, 65002] }], communities: ['65000:1', '65000:2'], largeCommunities: ['1:2:3'] },
    });
  });
  it('vpnv4 needs rd and label', () => {
    expect(p('vpnv4', '10.1.0.0/24 label 100 rd 65000:1 rt 65000:100').route).toEqual({ rd: '65000:1', prefix: '10.1.0.0/24', label: 100 });
    expect(() => p('vpnv4', '10.1.0.0/24 rd 65000:1')).toThrow(/label is required/);
  });
  it('evpn kinds', () => {
    expect(p('evpn', 'macadv 02:00:00:00:00:01 10.0.0.5 etag 0 label 10100,50000 rd 65000:1 rt 65000:100 encap vxlan router-mac 02:aa:bb:cc:dd:ee')).toEqual({
      family: 'evpn', route: { type: 2, rd: '65000:1', esi: '0', ethernetTag: 0, mac: '02:00:00:00:00:01', ip: '10.0.0.5', labels: [10100, 50000] },
      attrs: { extCommunities: ['rt:65000:100', 'encap:vxlan', 'router-mac:02:aa:bb:cc:dd:ee'] },
    });
    expect(p('evpn', 'multicast 192.0.2.1 etag 0 rd 65000:1 pmsi ingress-repl 10100 192.0.2.1').attrs.pmsiTunnel).toEqual({ flags: 0, tunnelType: 6, label: 10100, tunnelId: '192.0.2.1' });
    expect(p('evpn', 'prefix 10.4.0.0/24 etag 0 rd 65000:1 label 50000').route).toMatchObject({ type: 5, gateway: '0.0.0.0', label: 50000 });
    expect(p('evpn', 'a-d esi 00:11:22:33:44:55:66:77:88:99 etag 5 label 3 rd 65000:1').route).toMatchObject({ type: 1, ethernetTag: 5 });
    expect(p('evpn', 'esi 00:11:22:33:44:55:66:77:88:99 192.0.2.1 rd 65000:1').route).toMatchObject({ type: 4, originatorIp: '192.0.2.1' });
  });
  it('rtc', () => {
    expect(p('rtc', '65000 65000:100').route).toEqual({ originAs: 65000, routeTarget: '65000:100', length: 96 });
    expect(p('rtc', 'default').route).toEqual({ originAs: null, routeTarget: null, length: 0 });
  });
  it('errors name the bad word', () => {
    expect(() => p('ipv4', '10.0.0.0/24 bogus')).toThrow(RouteArgsError);
    expect(() => p('ipv4', '10.0.0.0/24 med x')).toThrow(/med: x/);
    expect(() => p('ipv4', '10.0.0.0/33')).toThrow(/ipv4: bad prefix length/);
    expect(() => p('evpn', 'macadv 02:00 10.0.0.1 label 1 rd 65000:1')).toThrow(/bad MAC/);
    expect(() => p('ipv4', '10.0.0.0/24 origin maybe')).toThrow(/origin/);
  });
  it('parsed routes encode', () => {
    const { route, attrs } = p('vpnv6', '2001:db8::/64 label 5 rd 1.2.3.4:9 rt 65000:1 nexthop ::ffff:192.0.2.1');
    expect(() => encodeUpdate({ withdrawn: [], attrs: { origin: 0, asPath: [], ...attrs, nextHop: undefined }, nlri: [], mpReach: { family: 'vpnv6', nextHop: { nextHop: attrs.nextHop! }, nlri: [{ route }] } })).not.toThrow();
  });
});
