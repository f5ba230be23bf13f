/**
 * The parts of a neighbor session split out of src/bgp/peer.ts, tested on
 * their own: capability advertisement and negotiation (pure functions of the
 * configuration and the peer's OPEN), the session timers in virtual time, and
 * the RFC 4271 §6.8 collision rule.
 */
import { describe, expect, it } from 'vitest';
import { localCapabilities, negotiate, openError } from '../../../src/bgp/peer/capabilities.js';
import { Conn, incomingWins } from '../../../src/bgp/peer/connection.js';
import { SessionTimers, type TimerName } from '../../../src/bgp/peer/timers.js';
import { FAMILIES } from '../../../src/bgp/codec/family.js';
import type { OpenMessage } from '../../../src/bgp/codec/message/open.js';
import type { PeerConfig } from '../../../src/bgp/peer.js';
import { VirtualClock } from '../../../src/util/clock.js';
import type net from 'node:net';

const config = (over: Partial<PeerConfig> = {}): PeerConfig => ({
  address: '192.0.2.2', peerAs: 65000, port: 179, families: ['ipv4', 'vpnv4', 'evpn'], passive: false,
  holdTime: 90, keepaliveInterval: 30, connectRetry: 5, idleHoldTime: 5,
  gracefulRestart: { enabled: true, restartTime: 120, staleRoutesTime: 360 }, routeReflectorClient: false, addPathReceive: [], ...over,
});
const openMsg = (over: Partial<OpenMessage> = {}, caps: Partial<OpenMessage['capabilities']> = {}): OpenMessage => ({
  type: 'open', version: 4, myAs: 65000, holdTime: 180, bgpId: '192.0.2.2',
  capabilities: { multiprotocol: [{ afi: 1, safi: 1 }, { afi: 1, safi: 128 }], as4: 65000, ...caps }, ...over,
});
const names = (flags: boolean[]) => FAMILIES.filter((f) => flags[f.id]).map((f) => f.name);

describe('RFC 5492 capabilities we advertise', () => {
  it('MP per configured family (RFC 4760), 4-octet AS, route refresh + enhanced, extended message', () => {
    const c = localCapabilities(config(), 65000);
    expect(c.multiprotocol).toEqual([{ afi: 1, safi: 1 }, { afi: 1, safi: 128 }, { afi: 25, safi: 70 }]);
    expect(c).toMatchObject({ as4: 65000, routeRefresh: true, enhancedRouteRefresh: true, extendedMessage: true });
  });
  it('RFC 4724 §3 graceful restart as helper: no families, our restart time; none when disabled', () => {
    expect(localCapabilities(config(), 65000).gracefulRestart).toEqual({ restarting: false, notification: false, time: 120, families: [] });
    expect(localCapabilities(config({ gracefulRestart: { enabled: false, restartTime: 120, staleRoutesTime: 360 } }), 65000).gracefulRestart).toBeUndefined();
  });
  it('RFC 7911 §4 ADD-PATH receive (mode 1) only for addPathReceive families; RFC 8950 extended next hop for IPv4 NLRI', () => {
    const c = localCapabilities(config({ addPathReceive: ['ipv4'] }), 65000);
    expect(c.addPath).toEqual([{ afi: 1, safi: 1, mode: 1 }]);
    expect(c.extendedNextHop).toEqual([{ afi: 1, safi: 1, nextHopAfi: 2 }, { afi: 1, safi: 128, nextHopAfi: 2 }]);
    expect(localCapabilities(config({ families: ['ipv6'] }), 65000).extendedNextHop).toBeUndefined();
  });
});

describe('negotiation from the peer\'s OPEN', () => {
  it('RFC 4760 §8 families both sides listed; a peer without MP speaks IPv4 unicast only', () => {
    expect(names(negotiate(config(), openMsg()).families)).toEqual(['ipv4', 'vpnv4']);
    expect(names(negotiate(config(), openMsg({}, { multiprotocol: [] })).families)).toEqual(['ipv4']);
  });
  it('RFC 4271 §4.2 hold time = min(ours, theirs); keepalive = min(configured, hold/3), 0 with no hold timer', () => {
    expect(negotiate(config(), openMsg({ holdTime: 180 }))).toMatchObject({ holdTime: 90, keepalive: 30 });
    expect(negotiate(config(), openMsg({ holdTime: 9 }))).toMatchObject({ holdTime: 9, keepalive: 3 });
    expect(negotiate(config(), openMsg({ holdTime: 0 }))).toMatchObject({ holdTime: 0, keepalive: 0 });
  });
  it('RFC 7911 ADD-PATH receive where we asked and the peer can send; never send', () => {
    const n = negotiate(config({ addPathReceive: ['ipv4', 'vpnv4'] }), openMsg({}, { addPath: [{ afi: 1, safi: 1, mode: 2 }, { afi: 1, safi: 128, mode: 1 }] }));
    expect(names(n.addPathRx)).toEqual(['ipv4']);
    expect(names(n.addPathTx)).toEqual([]);
  });
  it('RFC 6793 4-octet AS, peer GR capability and remote identity carried over', () => {
    const gr = { restarting: true, notification: false, time: 30, families: [{ afi: 1, safi: 1, forwarding: true }] };
    const n = negotiate(config(), openMsg({ myAs: 23456 }, { as4: 65000, gracefulRestart: gr }));
    expect(n).toMatchObject({ as4: true, remoteAs: 65000, remoteId: '192.0.2.2', peerGr: gr });
    expect(negotiate(config(), openMsg({}, { as4: undefined })).as4).toBe(false);
  });
  it('RFC 4271 §6.2 Bad Peer AS; Bad BGP Identifier when an iBGP peer has ours', () => {
    expect(openError(config(), 65000, '192.0.2.1', openMsg({}, { as4: 65001 }))).toEqual({ subcode: 2, message: 'peer AS 65001, expected 65000' });
    expect(openError(config(), 65000, '192.0.2.2', openMsg())?.subcode).toBe(3);
    expect(openError(config({ peerAs: 65001 }), 65000, '192.0.2.2', openMsg({}, { as4: 65001 }))).toBeNull();
    expect(openError(config(), 65000, '192.0.2.1', openMsg())).toBeNull();
  });
});

describe('session timers on the injected clock', () => {
  const timers = () => {
    const clock = new VirtualClock();
    const fired: Array<[TimerName, number]> = [];
    const t = new SessionTimers(clock, (name) => fired.push([name, clock.now()]));
    return { clock, fired, t };
  };
  it('RFC 4271 §10 hold timer counts from the last message (touch), not from when it was armed', () => {
    const { clock, fired, t } = timers();
    t.startHold(90);
    clock.advance(60_000); t.touch();
    clock.advance(60_000);
    expect(fired).toEqual([]);
    clock.advance(30_000);
    expect(fired).toEqual([['hold', 150_000]]);
  });
  it('hold time 0: no hold timer; clear stops a timer', () => {
    const { clock, fired, t } = timers();
    t.startHold(0); t.startKeepalive(30); t.startConnectRetry(5); t.clear('retry');
    clock.advance(600_000);
    expect(fired).toEqual([['keepalive', 30_000]]);
  });
  it('RFC 4271 §8.1.1 idle hold doubles per failure up to 60 s and starts over once Established', () => {
    const { clock, fired, t } = timers();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) { const t0 = clock.now(); t.scheduleRestart(5); clock.advance(120_000); delays.push(fired.at(-1)![1] - t0); }
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
    t.established();
    const t0 = clock.now(); t.scheduleRestart(5); clock.advance(120_000);
    expect(fired.at(-1)![1] - t0).toBe(5_000);
  });
});

describe('RFC 4271 §6.8 connection collision', () => {
  const conn = (outgoing: boolean) => new Conn({} as net.Socket, outgoing);
  it('the connection initiated by the speaker with the lower BGP identifier is closed', () => {
    // We are 10.0.0.1 (lower): our outgoing connection loses, the incoming one survives.
    expect(incomingWins('10.0.0.1', '10.0.0.2', conn(true), true)).toBe(true);
    // We are 10.0.0.3 (higher): our outgoing connection survives.
    expect(incomingWins('10.0.0.3', '10.0.0.2', conn(true), true)).toBe(false);
    // Identifiers compare as unsigned 32-bit numbers, not strings.
    expect(incomingWins('9.0.0.1', '10.0.0.2', conn(true), true)).toBe(true);
  });
  it('without a competing connection that reached OPEN the candidate wins', () => {
    expect(incomingWins('10.0.0.3', '10.0.0.2', null, true)).toBe(true);
    expect(incomingWins('10.0.0.3', '10.0.0.2', conn(true), false)).toBe(true);
  });
});

