// BgpService over the real in-process API and two embedded speakers that
// peer on loopback: neighbors added through the API (config path), routes
// originated through one daemon's API and read through the other's (Loc-RIB,
// Adj-RIB-In, Adj-RIB-Out), withdrawals, route refresh, neighbor deletion;
// every refusal with its status code and the field it names; the family enum
// against the speaker's family table; the BGP metrics of a live session.
import { status, type ServiceError } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';

import { call, list } from '../../src/api/client.js';
import { loadProto } from '../../src/api/proto.js';
import type { BgpServiceClient } from '../../src/api/gen/hvswitch/v1/BgpService.js';
import type { ListPathResponse__Output } from '../../src/api/gen/hvswitch/v1/ListPathResponse.js';
import type { ListPeerResponse__Output } from '../../src/api/gen/hvswitch/v1/ListPeerResponse.js';
import type { GetPeerResponse__Output } from '../../src/api/gen/hvswitch/v1/GetPeerResponse.js';
import { fsmEventEnum } from '../../src/api/bgp-service.js';
import { BgpEvent, FAMILIES } from '../../src/bgp/index.js';
import { createMetrics } from '../../src/daemon/metrics.js';
import { BASE, startFixture, type Fixture } from './api-fixture.js';
import { peer, startBgpFixture, until } from './api-bgp-fixture.js';

const fixtures: Fixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

async function refused(p: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await p;
  } catch (e) {
    const s = e as ServiceError;
    return { code: s.code, details: s.details };
  }
  throw new Error('request was not refused');
}

const paths = (f: Fixture, family: string, table = 'TABLE_TYPE_GLOBAL', neighbor = '') =>
  list<BgpServiceClient, object, ListPathResponse__Output>(f.client.bgp, 'ListPath', { family, table, neighbor }).then((r) => r.map((x) => x.path!));

const VPN_ROUTE = {
  family: 'BGP_FAMILY_VPNV4',
  nlri: { vpn: { rd: '65000:1', prefix: '10.1.0.0/24', label: 100 } },
  attributes: { nextHop: '192.0.2.1', extCommunities: ['rt:65000:100'], communities: ['65000:7'], med: 5, largeCommunities: ['65000:1:2'] },
};
const MACADV = {
  family: 'BGP_FAMILY_EVPN',
  nlri: { evpnMacIp: { rd: '65000:1', esi: '0', ethernetTag: 0, mac: '02:00:00:00:00:01', ip: '10.0.0.5', labels: [10100] } },
  attributes: { nextHop: '192.0.2.1', extCommunities: ['rt:65000:100', 'encap:vxlan'] },
};

/** A soft reset, then the Prometheus metrics of the live session: peer state, message and route counters on both sides. */
async function sessionMetrics(a: Fixture, b: Fixture): Promise<void> {
  // Soft reset first: B asks A to resend (ROUTE-REFRESH counted on both sides).
  await call(b.client.bgp, 'ResetPeer', { address: '127.0.0.1', soft: true, family: 'BGP_FAMILY_VPNV4' });
  await until('route refresh received by A', async () => {
    const r = await call<BgpServiceClient, object, GetPeerResponse__Output>(a.client.bgp, 'GetPeer', { address: '127.0.0.1' });
    return r.peer!.state!.received!.routeRefresh === 1;
  });
  const text = await createMetrics(a.controller, 'test').metrics();
  expect(text).toContain('hvswitch_bgp_peer_state{peer="127.0.0.1",peer_as="65000"} 6');
  expect(text).toMatch(/hvswitch_bgp_peer_messages_received_total\{peer="127.0.0.1",type="route_refresh"\} 1\n/);
  expect(text).toMatch(/hvswitch_bgp_peer_messages_sent_total\{peer="127.0.0.1",type="open"\} 1\n/);
  expect(text).toContain('hvswitch_bgp_routes_received{peer="127.0.0.1",afi_safi="rtc"} 1');
  expect(text).toContain('hvswitch_bgp_routes_received{peer="127.0.0.1",afi_safi="l3vpn-ipv4-unicast"} 0');
  const textB = await createMetrics(b.controller, 'test').metrics();
  expect(textB).toContain('hvswitch_bgp_routes_received{peer="127.0.0.1",afi_safi="l2vpn-evpn"} 2');
}

describe('BgpService', () => {
  it('FAILED_PRECONDITION on every RPC when the config has no bgp: section', async () => {
    const f = await startFixture(BASE);
    fixtures.push(f);
    const msg = 'BGP is not configured (the config has no bgp: section)';
    expect(await refused(list(f.client.bgp, 'ListPeer', {}))).toEqual({ code: status.FAILED_PRECONDITION, details: msg });
    expect(await refused(call(f.client.bgp, 'AddPeer', { peer: { neighborAddress: '192.0.2.9', peerAs: 1 } }))).toEqual({ code: status.FAILED_PRECONDITION, details: msg });
    expect(await refused(list(f.client.bgp, 'ListPath', { family: 'BGP_FAMILY_IPV4' }))).toEqual({ code: status.FAILED_PRECONDITION, details: msg });
    expect(await refused(call(f.client.bgp, 'AddPath', VPN_ROUTE))).toEqual({ code: status.FAILED_PRECONDITION, details: msg });
  });

  it('a session between two daemons: peers added through the API, paths originated on A appear in B (Loc-RIB, adj-in) and A (adj-out), withdrawn', async () => {
    const a = await startBgpFixture('10.0.0.1');
    const b = await startBgpFixture('10.0.0.2');
    fixtures.push(a, b);
    await peer(a, b);

    // The peer as both sides see it: the config (running, from AddPeer) and the negotiated session.
    const [pa] = await list<BgpServiceClient, object, ListPeerResponse__Output>(a.client.bgp, 'ListPeer', {});
    expect(pa!.peer!.conf).toMatchObject({ neighborAddress: '127.0.0.1', peerAs: 65000, families: ['BGP_FAMILY_IPV4', 'BGP_FAMILY_VPNV4', 'BGP_FAMILY_EVPN', 'BGP_FAMILY_RTC'], port: b.controller.bgp!.listenPort });
    expect(pa!.peer!.state).toMatchObject({
      sessionState: 'SESSION_STATE_ESTABLISHED',
      reason: 'FSM_EVENT_KEEPALIVE_RECEIVED',
      remoteId: '10.0.0.2',
      holdTime: 90,
      keepalive: 30,
      families: ['BGP_FAMILY_IPV4', 'BGP_FAMILY_VPNV4', 'BGP_FAMILY_EVPN', 'BGP_FAMILY_RTC'],
      capabilities: { fourOctetAs: true, routeRefresh: true, enhancedRouteRefresh: true, extendedMessage: true, addPathReceive: [], addPathSend: [] },
      localAddress: '127.0.0.1',
    });
    expect(pa!.peer!.state!.sent!.open).toBe(1);
    expect(pa!.peer!.state!.received!.open).toBe(1);
    expect(a.controller.running.bgp!.neighbors.map((n) => n['neighbor-address'])).toEqual(['127.0.0.1']);

    // RFC 4684: B asks for RT 65000:100 (origin AS 0 = its own), else A sends it no VPN routes.
    const rtc = await call<BgpServiceClient, object, { path: { key: string } }>(b.client.bgp, 'AddPath', { family: 'BGP_FAMILY_RTC', nlri: { rtc: { routeTarget: '65000:100', length: 96 } } });
    expect(rtc.path.key).toBe('65000:65000:100');
    const added = await call<BgpServiceClient, object, { path: { key: string } }>(a.client.bgp, 'AddPath', VPN_ROUTE);
    expect(added.path.key).toBe('65000:1:10.1.0.0/24');
    await call(a.client.bgp, 'AddPath', MACADV);
    await call(a.client.bgp, 'AddPath', {
      family: 'BGP_FAMILY_EVPN',
      nlri: { evpnMulticast: { rd: '65000:1', ethernetTag: 0, originatorIp: '192.0.2.1' } },
      attributes: { nextHop: '192.0.2.1', extCommunities: ['rt:65000:100', 'encap:vxlan'], pmsiTunnel: { tunnelType: 6, label: 10100, tunnelId: '192.0.2.1' } },
    });
    await call(a.client.bgp, 'AddPath', { family: 'BGP_FAMILY_IPV4', nlri: { prefix: { prefix: '10.9.0.0/16' } }, attributes: { nextHop: '192.0.2.1', origin: 'ORIGIN_INCOMPLETE' } });

    const vpn = await until('vpnv4 path on B', async () => (await paths(b, 'BGP_FAMILY_VPNV4'))[0]);
    expect(vpn).toMatchObject({
      family: 'BGP_FAMILY_VPNV4',
      nlri: { route: 'vpn', vpn: { rd: '65000:1', prefix: '10.1.0.0/24', label: 100 } },
      key: '65000:1:10.1.0.0/24',
      source: '127.0.0.1',
      best: true,
      attributes: {
        origin: 'ORIGIN_IGP', nextHop: '192.0.2.1', med: 5, localPref: 100, communities: ['65000:7'], extCommunities: ['rt:65000:100'], largeCommunities: ['65000:1:2'], asPath: [],
      },
    });
    const evpn = await until('both EVPN paths on B', async () => {
      const p = await paths(b, 'BGP_FAMILY_EVPN');
      return p.length === 2 && p;
    });
    expect(evpn.map((p) => p.key)).toEqual([
      '[type:macadv][rd:65000:1][etag:0][mac:02:00:00:00:00:01][ip:10.0.0.5]',
      '[type:multicast][rd:65000:1][etag:0][ip:192.0.2.1]',
    ]);
    expect(evpn[0]!.nlri!.evpnMacIp).toEqual({ rd: '65000:1', esi: '00:00:00:00:00:00:00:00:00:00', ethernetTag: 0, mac: '02:00:00:00:00:01', ip: '10.0.0.5', labels: [10100] });
    expect(evpn[0]!.attributes!.extCommunities).toEqual(['rt:65000:100', 'encap:vxlan']);
    expect(evpn[1]!.attributes!.pmsiTunnel).toEqual({ flags: 0, tunnelType: 6, label: 10100, tunnelId: '192.0.2.1' });
    const v4 = await until('ipv4 path on B', async () => (await paths(b, 'BGP_FAMILY_IPV4'))[0]);
    expect(v4.attributes!.origin).toBe('ORIGIN_INCOMPLETE');
    // A sees B's RT membership in its RTC Loc-RIB
    expect((await until('rtc on A', async () => (await paths(a, 'BGP_FAMILY_RTC'))[0])).key).toBe('65000:65000:100');

    // Adj-RIB-In on B and Adj-RIB-Out on A hold the same path.
    const adjIn = await paths(b, 'BGP_FAMILY_VPNV4', 'TABLE_TYPE_ADJ_IN', '127.0.0.1');
    expect(adjIn.map((p) => [p.key, p.best, p.stale, p.source])).toEqual([['65000:1:10.1.0.0/24', false, false, '127.0.0.1']]);
    const adjOut = await paths(a, 'BGP_FAMILY_VPNV4', 'TABLE_TYPE_ADJ_OUT', '127.0.0.1');
    expect(adjOut.map((p) => p.key)).toEqual(['65000:1:10.1.0.0/24']);
    // the prefix counters of the peer follow
    const pb = await call<BgpServiceClient, object, GetPeerResponse__Output>(b.client.bgp, 'GetPeer', { address: '127.0.0.1' });
    expect(pb.peer!.state!.prefixes).toEqual(expect.arrayContaining([{ family: 'BGP_FAMILY_EVPN', received: 2, advertised: 0 }, { family: 'BGP_FAMILY_VPNV4', received: 1, advertised: 0 }]));

    await sessionMetrics(a, b); // a soft reset, then the metrics of the live session on A and B

    // Withdraw on A by the route key alone (labels are data, not key): gone on B; withdrawing again is NOT_FOUND.
    await call(a.client.bgp, 'DeletePath', { family: 'BGP_FAMILY_VPNV4', nlri: { vpn: { rd: '65000:1', prefix: '10.1.0.0/24' } } });
    await until('vpnv4 withdrawn on B', async () => (await paths(b, 'BGP_FAMILY_VPNV4')).length === 0);
    expect(await refused(call(a.client.bgp, 'DeletePath', { family: 'BGP_FAMILY_VPNV4', nlri: VPN_ROUTE.nlri }))).toEqual({
      code: status.NOT_FOUND, details: 'no vpnv4 path 65000:1:10.1.0.0/24 originated here',
    });

    const evpnBefore = (await paths(b, 'BGP_FAMILY_EVPN')).length;
    await call(a.client.bgp, 'DeletePath', { family: 'BGP_FAMILY_EVPN', nlri: { evpnMacIp: { rd: '65000:1', ethernetTag: 0, mac: '02:00:00:00:00:01', ip: '10.0.0.5' } } });
    await until('macadv withdrawn on B', async () => (await paths(b, 'BGP_FAMILY_EVPN')).length === evpnBefore - 1);

    // Deleting the neighbor on B ends the session and its routes leave B's RIB.
    await call(b.client.bgp, 'DeletePeer', { address: '127.0.0.1' });
    expect(await paths(b, 'BGP_FAMILY_EVPN')).toEqual([]);
    expect(b.controller.running.bgp!.neighbors).toEqual([]);
    await until('A sees the session down', async () => {
      const r = await call<BgpServiceClient, object, GetPeerResponse__Output>(a.client.bgp, 'GetPeer', { address: '127.0.0.1' });
      return r.peer!.state!.sessionState !== 'SESSION_STATE_ESTABLISHED';
    });
  });

  it('refusals name the field: INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION', async () => {
    const a = await startBgpFixture('10.0.0.1');
    fixtures.push(a);
    const bgp = a.client.bgp;
    // AddPeer: the config validator's paths
    expect(await refused(call(bgp, 'AddPeer', { peer: { peerAs: 65001 } }))).toEqual({ code: status.INVALID_ARGUMENT, details: 'peer.neighbor_address: is required' });
    expect((await refused(call(bgp, 'AddPeer', { peer: { neighborAddress: '192.0.2.9' } })))).toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringMatching(/^bgp\.neighbors\.0.*peer-as/) });
    expect(await refused(call(bgp, 'AddPeer', { peer: { neighborAddress: 'nope', peerAs: 65001 } }))).toEqual({ code: status.INVALID_ARGUMENT, details: 'bgp.neighbors.0.neighbor-address: must be an IP address' });
    expect(await refused(call(bgp, 'AddPeer', { peer: { neighborAddress: '192.0.2.9', peerAs: 65001, holdTime: 9, keepaliveInterval: 5 } }))).toEqual({
      code: status.INVALID_ARGUMENT, details: 'bgp.neighbors.0.timers.keepalive-interval: must be at most a third of hold-time',
    });
    expect(a.controller.running.bgp!.neighbors).toEqual([]); // nothing of a refused request applied
    await call(bgp, 'AddPeer', { peer: { neighborAddress: '192.0.2.9', peerAs: 65001, families: ['BGP_FAMILY_EVPN'], passive: true } });
    expect(await refused(call(bgp, 'AddPeer', { peer: { neighborAddress: '192.0.2.9', peerAs: 65002 } }))).toEqual({ code: status.ALREADY_EXISTS, details: 'BGP neighbor 192.0.2.9 exists' });
    expect(await refused(call(bgp, 'GetPeer', { address: '192.0.2.10' }))).toEqual({ code: status.NOT_FOUND, details: 'address: no BGP neighbor 192.0.2.10' });
    expect(await refused(call(bgp, 'DeletePeer', { address: '192.0.2.10' }))).toEqual({ code: status.NOT_FOUND, details: 'no BGP neighbor 192.0.2.10' });
    expect(await refused(call(bgp, 'ResetPeer', { address: '192.0.2.9', soft: true }))).toEqual({
      code: status.FAILED_PRECONDITION, details: 'BGP neighbor 192.0.2.9 is active, not established: nothing to refresh',
    });
    // a hard reset of a configured neighbor is accepted (the session restarts)
    await call(bgp, 'ResetPeer', { address: '192.0.2.9' });
    const r = await call<BgpServiceClient, object, GetPeerResponse__Output>(bgp, 'GetPeer', { address: '192.0.2.9' });
    expect(r.peer!.conf).toMatchObject({ neighborAddress: '192.0.2.9', peerAs: 65001, families: ['BGP_FAMILY_EVPN'], passive: true });

    // ListPath
    expect(await refused(list(bgp, 'ListPath', {}))).toEqual({ code: status.INVALID_ARGUMENT, details: 'family: is required (one of ipv4, ipv6, vpnv4, vpnv6, evpn, rtc)' });
    expect(await refused(list(bgp, 'ListPath', { family: 'BGP_FAMILY_IPV4', table: 'TABLE_TYPE_ADJ_IN' }))).toEqual({ code: status.INVALID_ARGUMENT, details: 'neighbor: is required' });
    expect(await refused(list(bgp, 'ListPath', { family: 'BGP_FAMILY_IPV4', table: 'TABLE_TYPE_ADJ_OUT', neighbor: '192.0.2.77' }))).toEqual({ code: status.NOT_FOUND, details: 'neighbor: no BGP neighbor 192.0.2.77' });
    expect(await refused(list(bgp, 'ListPath', { family: 'BGP_FAMILY_IPV4', neighbor: '192.0.2.9' }))).toEqual({ code: status.INVALID_ARGUMENT, details: 'neighbor: is for the adj-in and adj-out tables only' });

    // AddPath: the NLRI case must fit the family; every value is encoded by the speaker's codecs
    expect(await refused(call(bgp, 'AddPath', { family: 'BGP_FAMILY_VPNV4', nlri: MACADV.nlri }))).toEqual({
      code: status.INVALID_ARGUMENT, details: 'nlri.evpn_mac_ip: is not a vpnv4 NLRI (one of vpn)',
    });
    expect(await refused(call(bgp, 'AddPath', { family: 'BGP_FAMILY_VPNV4', nlri: {} }))).toEqual({ code: status.INVALID_ARGUMENT, details: 'nlri: is required (one of vpn for vpnv4)' });
    expect(await refused(call(bgp, 'AddPath', { family: 'BGP_FAMILY_VPNV4', nlri: { vpn: { rd: '65000:1', prefix: '10.0.0.0/8', label: 1 << 20 } } }))).toEqual({
      code: status.INVALID_ARGUMENT, details: 'nlri.vpn.label: 1048576 is out of range 0-1048575',
    });
    expect((await refused(call(bgp, 'AddPath', { family: 'BGP_FAMILY_VPNV4', nlri: { vpn: { rd: 'bogus', prefix: '10.0.0.0/8', label: 1 } } })))).toMatchObject({
      code: status.INVALID_ARGUMENT, details: expect.stringMatching(/^nlri\.vpn: .*bogus/),
    });
    expect(await refused(call(bgp, 'AddPath', { ...MACADV, nlri: { evpnMacIp: { ...MACADV.nlri.evpnMacIp, labels: [] } } }))).toEqual({
      code: status.INVALID_ARGUMENT, details: 'nlri.evpn_mac_ip.labels: takes one or two labels (L2 VNI, L3 VNI)',
    });
    expect(await refused(call(bgp, 'AddPath', { ...VPN_ROUTE, attributes: { nextHop: '300.1.1.1' } }))).toEqual({
      code: status.INVALID_ARGUMENT, details: "attributes.next_hop: '300.1.1.1' is not an IP address",
    });
    expect((await refused(call(bgp, 'AddPath', { ...VPN_ROUTE, attributes: { communities: ['65000:x'] } })))).toMatchObject({
      code: status.INVALID_ARGUMENT, details: expect.stringMatching(/^attributes\.communities: /),
    });
    expect((await refused(call(bgp, 'AddPath', { ...VPN_ROUTE, attributes: { extCommunities: ['rt:nonsense'] } })))).toMatchObject({
      code: status.INVALID_ARGUMENT, details: expect.stringMatching(/^attributes\.ext_communities: /),
    });
    expect(await paths(a, 'BGP_FAMILY_VPNV4')).toEqual([]); // nothing originated by refused requests
  });

  it('the family enum has one value per row of the speaker family table, in its order (BGP_FAMILY_<NAME> = row + 1)', () => {
    const { packageDefinition } = loadProto();
    const values = (packageDefinition['hvswitch.v1.BgpFamily'] as unknown as { type: { value: { name: string; number: number }[] } }).type.value;
    expect(values.map(({ name, number }) => ({ name, number }))).toEqual([
      { name: 'BGP_FAMILY_UNSPECIFIED', number: 0 },
      ...FAMILIES.map((f) => ({ name: `BGP_FAMILY_${f.name.toUpperCase()}`, number: f.id + 1 })),
    ]);
  });

  it('every FSM event of the speaker (fsm.ts) has its FsmEvent value, so a reason never shows as UNSPECIFIED', () => {
    const { packageDefinition } = loadProto();
    const names = (packageDefinition['hvswitch.v1.FsmEvent'] as unknown as { type: { value: { name: string }[] } }).type.value.map((v) => v.name);
    for (const e of Object.values(BgpEvent)) expect(names, e).toContain(fsmEventEnum(e));
    expect(names).toHaveLength(Object.values(BgpEvent).length + 1);
  });
});
