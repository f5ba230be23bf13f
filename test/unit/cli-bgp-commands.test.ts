// The hvswitch CLI's BGP commands in-process (runCli) against two in-process
// daemons whose speakers peer over loopback: bgp neighbor add|del|reset, the
// gobgp-style summary table and detail block, bgp rib (Loc-RIB, adj-in,
// adj-out) as a gobgp-like table with EVPN in bracket form, --json, -q;
// bgp rib add|del in GoBGP words and in --options; exit codes and messages.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { EXIT, runCli } from '../../src/cli/cli.js';
import { routeWords } from '../../src/cli/commands/bgp/index.js';
import type { NeighborJson } from '../../src/cli/commands/bgp/json.js';
import { renderNeighborDetail } from '../../src/cli/commands/bgp/neighbor.js';
import { startFixture, BASE, type Fixture } from './api-fixture.js';
import { startBgpFixture, until } from './api-bgp-fixture.js';

async function cli(f: Fixture, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(['--socket', f.socket, ...args], { out: (s) => (out += s), err: (s) => (err += s) }, {});
  return { code, out, err };
}

/** gobgp neighbor (summary) and neighbor ADDR (detail) on A, once B has its routes. */
async function neighborTables(a: Fixture, bPort: string): Promise<void> {
  // gobgp neighbor: summary
  const sum = await cli(a, 'bgp', 'neighbor');
  expect(sum.code).toBe(EXIT.ok);
  const lines = sum.out.split('\n');
  expect(lines[0]).toBe('Peer         AS  Up/Down State  |#Advertised Received Accepted');
  expect(lines[1]).toMatch(/^127\.0\.0\.1 65001 \d\d:\d\d:\d\d Establ \| {10}4 {8}1 {8}1$/);
  expect((await cli(a, 'bgp', 'neighbor', '-q')).out).toBe('127.0.0.1\n');

  // gobgp neighbor ADDR: detail
  const det = await cli(a, 'bgp', 'neighbor', '127.0.0.1');
  expect(det.code).toBe(EXIT.ok);
  expect(det.out).toContain('BGP neighbor is 127.0.0.1, remote AS 65001 (b)\n  BGP version 4, remote router ID 10.0.0.2\n');
  expect(det.out).toMatch(/\n  BGP state = Established, up for \d\d:\d\d:\d\d\n/);
  expect(det.out).toContain('  Hold time is 90, keepalive interval is 30 seconds\n');
  expect(det.out).toContain('        l3vpn-ipv4-unicast:\tadvertised and received\n');
  expect(det.out).toContain('    4-octet-as:\tadvertised and received\n');
  expect(det.out).toContain('  Message statistics:\n                              Sent      Rcvd\n    Opens:                       1         1\n');
  expect(det.out).toMatch(/ {4}evpn: +advertised 2, received 0, accepted 0\n/);

  const j = JSON.parse((await cli(a, 'bgp', 'neighbor', '--json')).out);
  expect(j).toHaveLength(1);
  expect(j[0]).toMatchObject({
    address: '127.0.0.1', peerAs: 65001, description: 'b', state: 'Established', remoteId: '10.0.0.2', holdTime: 90, keepalive: 30,
    families: ['ipv4', 'vpnv4', 'evpn', 'rtc'],
    configured: { families: ['ipv4', 'vpnv4', 'evpn', 'rtc'], passive: false, port: Number(bPort) },
    prefixes: { ipv4: { advertised: 1, received: 0 }, vpnv4: { advertised: 1, received: 0 }, evpn: { advertised: 2, received: 0 }, rtc: { advertised: 0, received: 1 } },
    messages: { sent: { open: 1 }, received: { open: 1 } },
  });

}

/** gobgp global rib summary on both sides (after the routes of the first test). */
async function ribSummary(a: Fixture, b: Fixture): Promise<void> {
  // gobgp global rib summary: destinations and paths per family, without the paths
  expect((await cli(b, 'bgp', 'rib', 'summary')).out.split('\n')).toEqual([
    'Family  Destinations  Paths',
    'ipv4               0      0',
    'ipv6               0      0',
    'vpnv4              1      1',
    'vpnv6              0      0',
    'evpn               2      2',
    'rtc                1      1', // B's own RT membership
    '',
  ]);
  expect(JSON.parse((await cli(a, 'bgp', 'rib', 'summary', '-a', 'ipv4', '--json')).out)).toEqual([{ family: 'ipv4', destinations: 1, paths: 1 }]);
  expect(JSON.parse((await cli(b, 'bgp', 'rib', 'summary', '-a', 'evpn', '--table', 'adj-in', '--neighbor', '127.0.0.1', '--json')).out)).toEqual([{ family: 'evpn', destinations: 2, paths: 2 }]);
  expect((await cli(a, 'bgp', 'rib', 'summary', '-a', 'evpn', '-q')).out).toBe('evpn\n');
}

/** Adj-RIB-In on B, Adj-RIB-Out on A, in both spellings. */
async function adjTables(a: Fixture, b: Fixture): Promise<void> {
  // adj-in on B, adj-out on A
  expect((await cli(b, 'bgp', 'rib', '-a', 'vpnv4', '--table', 'adj-in', '--neighbor', '127.0.0.1', '-q')).out).toBe('65000:1:10.1.0.0/24\n');
  const out = await cli(a, 'bgp', 'rib', '-a', 'evpn', '--table', 'adj-out', '--neighbor', '127.0.0.1', '--json');
  expect(JSON.parse(out.out).map((p: { network: string; best: boolean }) => [p.network, p.best])).toEqual([
    ['[type:macadv][rd:65000:1][etag:0][mac:02:00:00:00:00:01][ip:10.0.0.5]', false],
    ['[type:multicast][rd:65000:1][etag:0][ip:192.0.2.1]', false],
  ]);

  // gobgp's `neighbor ADDR adj-in|adj-out -a FAMILY` spelling of the same tables
  expect((await cli(b, 'bgp', 'neighbor', '127.0.0.1', 'adj-in', '-a', 'vpnv4', '-q')).out).toBe('65000:1:10.1.0.0/24\n');
  expect((await cli(a, 'bgp', 'neighbor', '127.0.0.1', 'adj-out', '-a', 'evpn', '-q')).out.split('\n').length).toBe(3);
  expect(await cli(a, 'bgp', 'neighbor', '127.0.0.1', 'adj-up')).toEqual({ code: EXIT.usage, out: '', err: "hvswitch: neighbor 127.0.0.1: expected adj-in or adj-out, got 'adj-up'\n" });
}

/** rib del by the route key, soft reset, neighbor del. */
async function ribDeletes(a: Fixture, b: Fixture): Promise<void> {
  // rib del by the route key: RD + prefix (the label is data, RFC 4364 §4.3.4); soft reset; neighbor del
  expect(await cli(a, 'bgp', 'rib', 'del', '-a', 'vpnv4', '10.1.0.0/24', '--rd', '65000:1')).toEqual({ code: EXIT.ok, out: '', err: '' });
  await until('withdrawn on b', async () => (await cli(b, 'bgp', 'rib', '-a', 'vpnv4')).out === 'Network not in table\n');
  // EVPN MAC/IP by its key (RD, etag, MAC, IP; RFC 7432 §7.2): no label
  expect(await cli(a, 'bgp', 'rib', 'del', '-a', 'evpn', 'macadv', '02:00:00:00:00:01', '10.0.0.5', 'etag', '0', 'rd', '65000:1')).toEqual({ code: EXIT.ok, out: '', err: '' });
  await until('macadv withdrawn on b', async () => (await cli(b, 'bgp', 'rib', '-a', 'evpn', '-q')).out === '[type:multicast][rd:65000:1][etag:0][ip:192.0.2.1]\n');
  // add still needs the label
  expect(await cli(a, 'bgp', 'rib', 'add', '-a', 'vpnv4', '10.1.0.0/24', '--rd', '65000:1')).toEqual({ code: EXIT.usage, out: '', err: 'hvswitch: rib add -a vpnv4: vpnv4: label is required\n' });
  expect(await cli(a, 'bgp', 'rib', 'del', '-a', 'vpnv4', '10.1.0.0/24', '--rd', '65000:1', '--label', '100')).toEqual({
    code: EXIT.notFound, out: '', err: 'hvswitch: no vpnv4 path 65000:1:10.1.0.0/24 originated here\n',
  });
  expect(await cli(b, 'bgp', 'neighbor', 'reset', '127.0.0.1', '--soft', '-a', 'evpn')).toEqual({ code: EXIT.ok, out: '', err: '' });
  await until('refresh counted', async () => JSON.parse((await cli(a, 'bgp', 'neighbor', '127.0.0.1', '--json')).out).messages.received.routeRefresh === 1);
  expect(await cli(a, 'bgp', 'neighbor', 'del', '127.0.0.1')).toEqual({ code: EXIT.ok, out: '', err: '' });
  expect((await cli(a, 'bgp', 'neighbor', '--json')).out).toBe('[]\n');
}

describe('hvswitch bgp CLI', () => {
  let a: Fixture;
  let b: Fixture;
  beforeEach(async () => {
    a = await startBgpFixture('10.0.0.1');
    b = await startBgpFixture('10.0.0.2', 65001);
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('neighbor add, summary, detail, --json, -q; rib add/del in options and GoBGP words; rib tables on the other side', async () => {
    const bPort = String(b.controller.bgp!.listenPort);
    const fams = ['-a', 'ipv4', 'vpnv4', 'evpn', 'rtc'];
    expect(await cli(b, 'bgp', 'neighbor', 'add', '127.0.0.1', '--as', '65000', ...fams, '--passive')).toEqual({ code: EXIT.ok, out: '', err: '' });
    expect(await cli(a, 'bgp', 'neighbor', 'add', '127.0.0.1', '--as', '65001', ...fams, '--port', bPort, '--description', 'b')).toEqual({ code: EXIT.ok, out: '', err: '' });
    await until('established', async () => JSON.parse((await cli(a, 'bgp', 'neighbor', '127.0.0.1', '--json')).out).state === 'Established');
    await until('established on b', async () => JSON.parse((await cli(b, 'bgp', 'neighbor', '127.0.0.1', '--json')).out).state === 'Established');

    // B asks for RT 65000:100 (RFC 4684), A originates a VPNv4, an EVPN MAC/IP and multicast route.
    expect(await cli(b, 'bgp', 'rib', 'add', '-a', 'rtc', '--rt', '65000:100')).toEqual({ code: EXIT.ok, out: '', err: '' });
    expect(await cli(a, 'bgp', 'rib', 'add', '-a', 'vpnv4', '10.1.0.0/24', '--rd', '65000:1', '--label', '100', '--rt', '65000:100', '--nexthop', '192.0.2.1')).toMatchObject({ code: EXIT.ok });
    // GoBGP's own words work as well
    expect(await cli(a, 'bgp', 'rib', 'add', '-a', 'evpn', 'macadv', '02:00:00:00:00:01', '10.0.0.5', 'etag', '0', 'label', '10100', 'rd', '65000:1', 'rt', '65000:100', 'encap', 'vxlan', 'nexthop', '192.0.2.1')).toMatchObject({ code: EXIT.ok });
    expect(await cli(a, 'bgp', 'rib', 'add', '-a', 'evpn', 'multicast', '192.0.2.1', '--rd', '65000:1', '--etag', '0', '--rt', '65000:100', '--encap', 'vxlan', '--pmsi', '10100', '--nexthop', '192.0.2.1')).toMatchObject({ code: EXIT.ok });
    expect(await cli(a, 'bgp', 'rib', 'add', '-a', 'ipv4', '10.9.0.0/16', '--nexthop', '192.0.2.1', '--med', '10', '--community', '65000:7')).toMatchObject({ code: EXIT.ok });

    await until('routes on b', async () => (await cli(b, 'bgp', 'rib', '-a', 'evpn', '-q')).out.split('\n').length === 3 && (await cli(b, 'bgp', 'rib', '-a', 'vpnv4', '-q')).out !== '');

    await neighborTables(a, bPort);

    // gobgp global rib -a vpnv4 / evpn on B (eBGP: A's AS prepended, next hop self)
    const vpn = await cli(b, 'bgp', 'rib', '-a', 'vpnv4');
    expect(vpn).toEqual({
      code: EXIT.ok,
      err: '',
      out: [
        '    Network              Labels  Next Hop   AS_PATH  Attrs',
        '*>  65000:1:10.1.0.0/24  [100]   127.0.0.1  65000    [{Origin: i} {Extcomms: [rt:65000:100]}]',
        '',
      ].join('\n'),
    });
    const evpn = await cli(b, 'bgp', 'rib', '-a', 'evpn');
    expect(evpn.out.split('\n')).toEqual([
      '    Network                                                                Labels   Next Hop   AS_PATH  Attrs',
      '*>  [type:macadv][rd:65000:1][etag:0][mac:02:00:00:00:00:01][ip:10.0.0.5]  [10100]  127.0.0.1  65000    [{Origin: i} {Extcomms: [rt:65000:100], [encap:vxlan]}]',
      '*>  [type:multicast][rd:65000:1][etag:0][ip:192.0.2.1]                              127.0.0.1  65000    [{Origin: i} {Extcomms: [rt:65000:100], [encap:vxlan]} {Pmsi: type: ingress-repl, label: 10100, tunnel-id: 192.0.2.1}]',
      '',
    ]);
    // `bgp rib` is -a ipv4; A's own path is in its Loc-RIB as originated
    const v4 = await cli(a, 'bgp', 'rib');
    expect(v4.out.split('\n')).toEqual([
      '    Network      Next Hop   AS_PATH  Attrs',
      '*>  10.9.0.0/16  192.0.2.1           [{Origin: i} {Med: 10} {Communities: 65000:7}]',
      '',
    ]);
    // B's own RT membership (origin AS 0 in the request = its AS), next hop: per session
    expect((await cli(b, 'bgp', 'rib', '-a', 'rtc')).out.split('\n')).toEqual(['    Network          Next Hop  AS_PATH  Attrs', '*>  65001:65000:100                     [{Origin: i}]', '']);
    expect((await cli(a, 'bgp', 'rib', '-a', 'rtc', '-q')).out).toBe('65001:65000:100\n');

    const ej = JSON.parse((await cli(b, 'bgp', 'rib', '-a', 'evpn', '--json')).out);
    expect(ej[0]).toEqual({
      family: 'evpn',
      network: '[type:macadv][rd:65000:1][etag:0][mac:02:00:00:00:00:01][ip:10.0.0.5]',
      nlri: { routeType: 2, rd: '65000:1', esi: '00:00:00:00:00:00:00:00:00:00', ethernetTag: 0, mac: '02:00:00:00:00:01', ip: '10.0.0.5', labels: [10100] },
      nextHop: '127.0.0.1', source: '127.0.0.1', best: true, stale: false, pathId: 0,
      attributes: { origin: 'igp', asPath: [{ type: 'seq', asns: [65000] }], extCommunities: ['rt:65000:100', 'encap:vxlan'] },
    });

    // one prefix (gobgp global rib -a vpnv4 PREFIX rd RD), longest match of an address, longer-prefixes
    expect((await cli(b, 'bgp', 'rib', '-a', 'vpnv4', '10.1.0.0/24', 'rd', '65000:1')).out).toBe(vpn.out);
    expect((await cli(b, 'bgp', 'rib', '-a', 'vpnv4', '10.1.0.0/24', '--rd', '65000:1', '-q')).out).toBe('65000:1:10.1.0.0/24\n');
    expect(await cli(b, 'bgp', 'rib', '-a', 'vpnv4', '10.1.0.0/24', 'rd', '65000:2')).toEqual({ code: EXIT.ok, out: 'Network not in table\n', err: '' });
    expect((await cli(b, 'bgp', 'rib', '-a', 'vpnv4', '10.1.0.0/16')).out).toBe('Network not in table\n');
    expect((await cli(b, 'bgp', 'rib', '-a', 'vpnv4', '10.1.0.0/16', 'longer-prefixes', '-q')).out).toBe('65000:1:10.1.0.0/24\n');
    expect((await cli(a, 'bgp', 'rib', '10.9.200.1', '-q')).out).toBe('10.9.0.0/16\n');
    expect((await cli(a, 'bgp', 'rib', '10.9.0.0/24', 'shorter-prefixes', '-q')).out).toBe('10.9.0.0/16\n');
    expect((await cli(b, 'bgp', 'rib', '-a', 'evpn', '10.0.0.5', '-q')).out).toBe('[type:macadv][rd:65000:1][etag:0][mac:02:00:00:00:00:01][ip:10.0.0.5]\n');
    expect(await cli(b, 'bgp', 'rib', '-a', 'vpnv4', '10.1.0.0/24', 'rd')).toEqual({ code: EXIT.usage, out: '', err: 'hvswitch: rib PREFIX rd: missing the RD\n' });
    expect(await cli(b, 'bgp', 'rib', '-a', 'vpnv4', '2001:db8::/32')).toEqual({ code: EXIT.usage, out: '', err: "hvswitch: prefixes.0.prefix: '2001:db8::/32' is not an IPv4 prefix (family vpnv4)\n" });
    expect(await cli(b, 'bgp', 'rib', '-a', 'rtc', '10.0.0.0/8')).toEqual({ code: EXIT.usage, out: '', err: 'hvswitch: prefixes.0.prefix: rtc routes have no prefix to look up\n' });

    await ribSummary(a, b);

    await adjTables(a, b);

    await ribDeletes(a, b);
  });

  it('usage errors exit 2, unknown objects 4, refused 1; without a bgp: section FAILED_PRECONDITION exits 1', async () => {
    expect(await cli(a, 'bgp', 'rib', '-a', 'l2vpn-flowspec')).toEqual({
      code: EXIT.usage, out: '', err: "hvswitch: --family: unknown address family 'l2vpn-flowspec' (one of ipv4 | ipv6 | vpnv4 | vpnv6 | evpn | rtc)\n",
    });
    expect(await cli(a, 'bgp', 'rib', 'add', '-a', 'vpnv4', '10.1.0.0/24', '--label', '100')).toEqual({ code: EXIT.usage, out: '', err: 'hvswitch: rib add -a vpnv4: vpnv4: rd is required\n' });
    expect(await cli(a, 'bgp', 'rib', 'add', '-a', 'evpn', 'macadv', '02:00:00:00:00:01')).toEqual({ code: EXIT.usage, out: '', err: 'hvswitch: rib add -a evpn: missing IP (0.0.0.0 for none)\n' });
    expect((await cli(a, 'bgp', 'rib', 'add', '-a', 'vpnv4', '10.1.0.0/24', '--rd', '65000:1', '--label', '100', '--nexthop', 'x')).code).toBe(EXIT.usage);
    expect(await cli(a, 'bgp', 'rib', '--table', 'adj-in')).toEqual({ code: EXIT.usage, out: '', err: 'hvswitch: rib --table adj-in: --neighbor ADDR is required\n' });
    expect(await cli(a, 'bgp', 'rib', '--table', 'adj-in', '--neighbor', '192.0.2.1')).toEqual({ code: EXIT.notFound, out: '', err: 'hvswitch: neighbor: no BGP neighbor 192.0.2.1\n' });
    expect(await cli(a, 'bgp', 'neighbor', '192.0.2.1')).toEqual({ code: EXIT.notFound, out: '', err: 'hvswitch: address: no BGP neighbor 192.0.2.1\n' });
    expect(await cli(a, 'bgp', 'neighbor', 'add', '192.0.2.1', '--as', '0')).toEqual({ code: EXIT.usage, out: '', err: 'hvswitch: --as: 0 is not an AS number (1-4294967295)\n' });
    // the daemon's config validator names the config field
    expect(await cli(a, 'bgp', 'neighbor', 'add', '192.0.2.1', '--as', '65001', '--hold-time', '9', '--keepalive', '5')).toEqual({
      code: EXIT.usage, out: '', err: 'hvswitch: bgp.neighbors.0.timers.keepalive-interval: must be at most a third of hold-time\n',
    });
    expect(await cli(a, 'bgp', 'neighbor', 'add', '192.0.2.1', '--as', '65001', '-a', 'evpn', 'bogus')).toEqual({
      code: EXIT.usage, out: '', err: "hvswitch: --family: unknown address family 'bogus' (one of ipv4 | ipv6 | vpnv4 | vpnv6 | evpn | rtc)\n",
    });
    expect((await cli(a, 'bgp', 'neighbor', 'add', '192.0.2.1', '--as', '65001', '--passive')).code).toBe(EXIT.ok);
    expect(await cli(a, 'bgp', 'neighbor', 'add', '192.0.2.1', '--as', '65001')).toEqual({ code: EXIT.failed, out: '', err: 'hvswitch: BGP neighbor 192.0.2.1 exists\n' });
    expect(await cli(a, 'bgp', 'neighbor', 'reset', '192.0.2.1', '--soft')).toEqual({
      code: EXIT.failed, out: '', err: 'hvswitch: BGP neighbor 192.0.2.1 is active, not established: nothing to refresh\n',
    });
    expect(await cli(a, 'bgp', 'neighbor', 'del', '192.0.2.2')).toEqual({ code: EXIT.notFound, out: '', err: 'hvswitch: no BGP neighbor 192.0.2.2\n' });

    const plain = await startFixture(BASE);
    try {
      expect(await cli(plain, 'bgp', 'neighbor')).toEqual({ code: EXIT.failed, out: '', err: 'hvswitch: BGP is not configured (the config has no bgp: section)\n' });
    } finally {
      await plain.close();
    }
  });

  it('routeWords: options become GoBGP keywords; -a rtc --rt is the NLRI', () => {
    expect(routeWords(['10.1.0.0/24'], { family: 'vpnv4', rd: '65000:1', label: '100', rt: ['65000:100', '65000:200'], nexthop: '192.0.2.1' }, 'vpnv4')).toEqual([
      '10.1.0.0/24', 'rt', '65000:100,65000:200', 'rd', '65000:1', 'label', '100', 'nexthop', '192.0.2.1',
    ]);
    expect(routeWords([], { family: 'rtc', rt: ['65000:100'] }, 'rtc')).toEqual(['0', '65000:100']);
    expect(routeWords(['multicast', '192.0.2.1'], { family: 'evpn', pmsi: '10100' }, 'evpn')).toEqual(['multicast', '192.0.2.1', 'pmsi', 'ingress-repl', '10100', '192.0.2.1']);
    expect(() => routeWords(['10.0.0.0/8'], { family: 'ipv4', pmsi: '1' }, 'ipv4')).toThrow('--pmsi: for -a evpn multicast IP routes only');
  });
});

describe('hvswitch bgp neighbor: the last error is history (FRR "Last reset <age>, due to")', () => {
  const base: NeighborJson = {
    address: '192.0.2.1', peerAs: 65001, description: null, state: 'Established', reason: 'keepalive-received',
    lastError: 'sent NOTIFICATION 4/0 (hold timer expired)', lastErrorAgeSeconds: 3723, uptimeSeconds: 60, flaps: 1,
    remoteId: '192.0.2.1', localAddress: null, holdTime: 90, keepalive: 30, families: ['ipv4'],
    configured: { families: ['ipv4'], passive: false, holdTime: null, keepaliveInterval: null, port: 179, localAddress: null, routeReflectorClient: false,
      vrf: null, advertise: [], communities: [], largeCommunities: [] },
    messages: { received: {}, sent: {} }, prefixes: {}, capabilities: null,
    gracefulRestart: { peerAdvertised: false, peerRestartTime: 0, peerFamilies: [], staleRoutes: 0 },
    updateErrors: { treatAsWithdraw: 0, attributeDiscard: 0, ignoredFamily: 0 },
  };

  it('a recovered session shows its state change reason alone, the error on its own line with its age', () => {
    const out = renderNeighborDetail(base);
    expect(out).toContain('  BGP state = Established, up for 00:01:00\n  Last state change reason: keepalive-received\n  Last reset 01:02:03 ago, due to sent NOTIFICATION 4/0 (hold timer expired)\n');
  });

  it('no error: no Last reset line', () => {
    expect(renderNeighborDetail({ ...base, lastError: null, lastErrorAgeSeconds: null })).not.toContain('Last reset');
  });
});
