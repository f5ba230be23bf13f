// Every NLRI case of bgp.proto and the path attributes survive the round trip
// speaker route -> CLI words -> AddPath over the real API -> the speaker's RIB
// -> ListPath -> JSON, for every family and every EVPN route type the speaker
// has a codec for; and the GoBGP text forms of each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli, EXIT } from '../../src/cli/cli.js';
import type { Fixture } from './api-fixture.js';
import { startBgpFixture } from './api-bgp-fixture.js';

async function cli(f: Fixture, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(['--socket', f.socket, ...args], { out: (s) => (out += s), err: (s) => (err += s) }, {});
  return { code, out, err };
}

const ESI = '00:11:22:33:44:55:66:77:88:99';
const CASES: { family: string; words: string[]; network: string; nlri: object; attributes?: object }[] = [
  { family: 'ipv4', words: ['10.1.0.0/16', 'nexthop', '192.0.2.1', 'origin', 'egp', 'med', '7', 'local-pref', '200', 'aspath', '65001,65002', 'community', '65000:1,65000:2', 'large-community', '65000:1:1'], network: '10.1.0.0/16', nlri: { prefix: '10.1.0.0/16' },
    attributes: { origin: 'egp', med: 7, localPref: 200, asPath: [{ type: 'seq', asns: [65001, 65002] }], communities: ['65000:1', '65000:2'], largeCommunities: ['65000:1:1'] } },
  { family: 'ipv6', words: ['2001:db8:1::/48', 'nexthop', '2001:db8::1'], network: '2001:db8:1::/48', nlri: { prefix: '2001:db8:1::/48' } },
  { family: 'vpnv4', words: ['10.2.0.0/24', 'rd', '10.0.0.1:5', 'label', '1000', 'rt', '65000:100'], network: '10.0.0.1:5:10.2.0.0/24', nlri: { rd: '10.0.0.1:5', prefix: '10.2.0.0/24', label: 1000 } },
  { family: 'vpnv6', words: ['2001:db8:2::/64', 'rd', '4200000000:7', 'label', '2000', 'nexthop', '2001:db8::1'], network: '4200000000:7:2001:db8:2::/64', nlri: { rd: '4200000000:7', prefix: '2001:db8:2::/64', label: 2000 } },
  { family: 'evpn', words: ['a-d', 'esi', ESI, 'etag', '5', 'label', '300', 'rd', '65000:1'], network: `[type:A-D][rd:65000:1][esi:${ESI}][etag:5]`, nlri: { routeType: 1, rd: '65000:1', esi: ESI, ethernetTag: 5, label: 300 } },
  { family: 'evpn', words: ['macadv', '02:00:00:00:00:09', '0.0.0.0', 'label', '10100,50000', 'rd', '65000:1', 'router-mac', '02:aa:bb:cc:dd:ee', 'mac-mobility', '3'], network: '[type:macadv][rd:65000:1][etag:0][mac:02:00:00:00:00:09][ip:<nil>]',
    nlri: { routeType: 2, rd: '65000:1', ethernetTag: 0, mac: '02:00:00:00:00:09', ip: null, labels: [10100, 50000] }, attributes: { extCommunities: ['router-mac:02:aa:bb:cc:dd:ee', 'mac-mobility:3'] } },
  { family: 'evpn', words: ['multicast', '192.0.2.7', 'etag', '0', 'rd', '65000:2', 'pmsi', 'ingress-repl', '10200', '192.0.2.7'], network: '[type:multicast][rd:65000:2][etag:0][ip:192.0.2.7]', nlri: { routeType: 3, rd: '65000:2', ethernetTag: 0, originatorIp: '192.0.2.7' },
    attributes: { pmsiTunnel: { flags: 0, tunnelType: 6, label: 10200, tunnelId: '192.0.2.7' } } },
  { family: 'evpn', words: ['esi', ESI, '192.0.2.8', 'rd', '65000:3'], network: `[type:esi][rd:65000:3][esi:${ESI}][ip:192.0.2.8]`, nlri: { routeType: 4, rd: '65000:3', esi: ESI, originatorIp: '192.0.2.8' } },
  { family: 'evpn', words: ['prefix', '10.4.0.0/24', 'etag', '0', 'rd', '65000:4', 'label', '50000', 'gw', '10.4.0.1'], network: '[type:Prefix][rd:65000:4][esi:00:00:00:00:00:00:00:00:00:00][etag:0][prefix:10.4.0.0/24][gw:10.4.0.1]',
    nlri: { routeType: 5, rd: '65000:4', ethernetTag: 0, prefix: '10.4.0.0/24', gateway: '10.4.0.1', label: 50000 } },
  { family: 'rtc', words: ['65002', '65000:300'], network: '65002:65000:300', nlri: { originAs: 65002, routeTarget: '65000:300', length: 96 } },
  { family: 'rtc', words: ['default'], network: 'default', nlri: { originAs: 0, routeTarget: '', length: 0 } },
];

describe('NLRI and attributes through the API', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startBgpFixture('10.0.0.1');
  });
  afterAll(async () => {
    await f.close();
  });

  it.each(CASES)('$family $network', async (c) => {
    expect(await cli(f, 'bgp', 'rib', 'add', '-a', c.family, ...c.words)).toEqual({ code: EXIT.ok, out: '', err: '' });
    const paths = JSON.parse((await cli(f, 'bgp', 'rib', '-a', c.family, '--json')).out) as { network: string; nlri: object; attributes: object; source: string }[];
    const p = paths.find((x) => x.network === c.network);
    expect(p, JSON.stringify(paths.map((x) => x.network))).toBeDefined();
    expect(p!.nlri).toMatchObject(c.nlri);
    expect(p!.source).toBe('local');
    if (c.attributes) expect(p!.attributes).toMatchObject(c.attributes);
    // the table shows the same network, and del withdraws it
    expect((await cli(f, 'bgp', 'rib', '-a', c.family)).out).toContain(c.network);
    expect(await cli(f, 'bgp', 'rib', 'del', '-a', c.family, ...c.words)).toEqual({ code: EXIT.ok, out: '', err: '' });
    expect((await cli(f, 'bgp', 'rib', '-a', c.family, '-q')).out).not.toContain(`${c.network}\n`);
  });
});
