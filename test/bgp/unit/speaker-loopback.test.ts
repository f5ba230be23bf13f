/**
 * Two hvswitch speakers over loopback TCP (no root): session establishment,
 * every family originated on one side appears in the other's Loc-RIB with its
 * attributes, withdrawals, subscriptions, route refresh, hold-timer expiry in
 * virtual time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BgpSpeaker } from '../../../src/bgp/speaker.js';
import { VirtualClock } from '../../../src/util/clock.js';
import type { FamilyName } from '../../../src/bgp/codec/family.js';

const ALL: FamilyName[] = ['ipv4', 'ipv6', 'vpnv4', 'vpnv6', 'evpn', 'rtc'];
const speakers: BgpSpeaker[] = [];
afterEach(async () => { await Promise.all(speakers.splice(0).map((s) => s.stop())); });

async function until(cond: () => boolean, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function pair(opts: { bAs?: number; families?: FamilyName[]; clock?: VirtualClock; holdTime?: number } = {}) {
  const families = opts.families ?? ALL;
  const b = new BgpSpeaker({ asn: opts.bAs ?? 65000, routerId: '10.0.0.2', listenPort: 0, listenAddress: '127.0.0.1', allowLoopbackNextHop: true, ...(opts.clock ? { clock: opts.clock } : {}) });
  const a = new BgpSpeaker({ asn: 65000, routerId: '10.0.0.1', listenPort: false, allowLoopbackNextHop: true, ...(opts.clock ? { clock: opts.clock } : {}) });
  speakers.push(a, b);
  await b.start();
  b.addNeighbor({ address: '127.0.0.1', peerAs: 65000, passive: true, families, holdTime: opts.holdTime ?? 90 });
  await a.start();
  a.addNeighbor({ address: '127.0.0.1', peerAs: opts.bAs ?? 65000, port: b.listenPort, families, holdTime: opts.holdTime ?? 90 });
  await until(() => a.neighbors()[0]!.state === 'established' && b.neighbors()[0]!.state === 'established');
  return { a, b };
}

describe('RFC 4271 session between two speakers on loopback', () => {
  it('RFC 4271 §8 establishes and negotiates every family (RFC 4760 §8)', async () => {
    const { a, b } = await pair();
    expect(a.neighbors()[0]!.families).toEqual(ALL);
    expect(b.neighbors()[0]!.holdTime).toBe(90);
    expect(b.neighbors()[0]!.keepalive).toBe(30);
  });

  it('routes of every family cross with attributes intact and are withdrawn', async () => {
    const { a, b } = await pair();
    const seen: string[] = [];
    b.subscribe('evpn', (ch) => { for (const c of ch) seen.push(`${c.key}:${c.best ? 'up' : 'down'}`); });
    // RFC 4684: B asks for every route target (default membership), else A sends it no VPN routes.
    b.originate('rtc', { originAs: null, routeTarget: null, length: 0 });
    const attrs = { nextHop: '192.0.2.1', communities: ['65000:7'], extCommunities: ['rt:65000:100', 'encap:vxlan'], largeCommunities: ['65000:1:2'], med: 5 };
    a.originate('ipv4', { prefix: '10.1.0.0/16' }, attrs);
    a.originate('ipv6', { prefix: '2001:db8:1::/48' }, { ...attrs, nextHop: '2001:db8::1' });
    a.originate('vpnv4', { rd: '65000:1', prefix: '10.2.0.0/24', label: 100 }, attrs);
    a.originate('vpnv6', { rd: '1.2.3.4:5', prefix: '2001:db8:2::/64', label: 200 }, { ...attrs, nextHop: '2001:db8::1' });
    a.originate('evpn', { type: 2, rd: '65000:1', esi: '00:00:00:00:00:00:00:00:00:00', ethernetTag: 0, mac: '02:00:00:00:00:01', ip: '10.3.0.1', labels: [10100, 50000] }, { ...attrs, extCommunities: ['rt:65000:100', 'encap:vxlan', 'router-mac:02:aa:bb:cc:dd:ee'] });
    a.originate('evpn', { type: 3, rd: '65000:1', ethernetTag: 0, originatorIp: '192.0.2.1' }, { ...attrs, pmsiTunnel: { flags: 0, tunnelType: 6, label: 10100, tunnelId: '192.0.2.1' } });
    a.originate('evpn', { type: 5, rd: '65000:1', esi: '00:00:00:00:00:00:00:00:00:00', ethernetTag: 0, prefix: '10.4.0.0/24', gateway: '0.0.0.0', label: 50000 }, attrs);
    a.originate('rtc', { originAs: 65000, routeTarget: '65000:100', length: 96 }, attrs);
    await until(() => ALL.every((f) => b.routes(f).length > 0) && b.routes('evpn').length === 3);
    const v4 = b.routes('ipv4')[0]!;
    expect(v4.route).toEqual({ prefix: '10.1.0.0/16' });
    expect(v4.paths[0]!.source).toBe('127.0.0.1');
    expect(v4.paths[0]!.attrs).toMatchObject({ origin: 0, asPath: [], nextHop: '192.0.2.1', localPref: 100, med: 5, communities: ['65000:7'], largeCommunities: ['65000:1:2'], extCommunities: ['rt:65000:100', 'encap:vxlan'] });
    expect(b.routes('vpnv4')[0]!.route).toEqual({ rd: '65000:1', prefix: '10.2.0.0/24', label: 100 });
    expect(b.routes('vpnv6')[0]!.paths[0]!.nextHop).toBe('2001:db8::1');
    const t3 = b.routes('evpn').find((r) => (r.route as { type: number }).type === 3)!;
    expect(t3.paths[0]!.attrs.pmsiTunnel).toEqual({ flags: 0, tunnelType: 6, label: 10100, tunnelId: '192.0.2.1' });
    const t2 = b.routes('evpn').find((r) => (r.route as { type: number }).type === 2)!;
    expect(t2.route).toMatchObject({ mac: '02:00:00:00:00:01', ip: '10.3.0.1', labels: [10100, 50000] });
    expect(b.neighbors()[0]!.prefixes.evpn!.received).toBe(3);
    const st = b.stats();
    expect(st.families.evpn).toEqual({ bestPaths: 3, receivedPaths: 3, advertisedPaths: 0 });
    expect(st.families.rtc.bestPaths).toBe(2); // ours (default membership) and A's
    expect(st.ribBytes).toBeGreaterThan(0);
    expect(a.routes('rtc', { table: 'in', neighbor: '127.0.0.1' })[0]!.route).toEqual({ originAs: null, routeTarget: null, length: 0 });
    expect(a.neighbors()[0]!.prefixes.evpn!.advertised).toBe(3);
    // withdrawals both of body IPv4 and MP_UNREACH families
    a.withdraw('ipv4', { prefix: '10.1.0.0/16' });
    a.withdraw('vpnv4', { rd: '65000:1', prefix: '10.2.0.0/24', label: 100 });
    a.withdraw('evpn', { type: 3, rd: '65000:1', ethernetTag: 0, originatorIp: '192.0.2.1' });
    await until(() => b.routes('ipv4').length === 0 && b.routes('vpnv4').length === 0 && b.routes('evpn').length === 2);
    expect(seen).toContain('[3][65000:1][0][192.0.2.1]:up');
    expect(seen).toContain('[3][65000:1][0][192.0.2.1]:down');
  });

  it('RFC 4271 §9.1.2.2 eBGP: AS prepended, next hop self, LOCAL_PREF not sent', async () => {
    const { a, b } = await pair({ bAs: 65001, families: ['ipv4'] });
    a.originate('ipv4', { prefix: '10.9.0.0/16' }, { nextHop: '192.0.2.1', localPref: 300 });
    await until(() => b.routes('ipv4').length === 1);
    const p = b.routes('ipv4')[0]!.paths[0]!;
    expect(p.attrs.asPath).toEqual([{ type: 'seq', asns: [65000] }]);
    expect(p.attrs.localPref).toBeUndefined();
    expect(p.nextHop).toBe('127.0.0.1');
  });

  it('RFC 4684 §4 RT constraint: only VPN routes whose RT the peer asked for are sent', async () => {
    const { a, b } = await pair({ families: ['vpnv4', 'rtc'] });
    b.originate('rtc', { originAs: 65000, routeTarget: '65000:200', length: 96 });
    a.originate('vpnv4', { rd: '65000:1', prefix: '10.1.0.0/24', label: 16 }, { nextHop: '192.0.2.1', extCommunities: ['rt:65000:100'] });
    a.originate('vpnv4', { rd: '65000:2', prefix: '10.2.0.0/24', label: 17 }, { nextHop: '192.0.2.1', extCommunities: ['rt:65000:200'] });
    await until(() => b.routes('vpnv4').length === 1);
    expect(b.routes('vpnv4')[0]!.route).toMatchObject({ rd: '65000:2' });
    b.originate('rtc', { originAs: 65000, routeTarget: '65000:100', length: 96 });
    await until(() => b.routes('vpnv4').length === 2);
    b.withdraw('rtc', { originAs: 65000, routeTarget: '65000:200', length: 96 });
    await until(() => b.routes('vpnv4').length === 1);
    expect(b.routes('vpnv4')[0]!.route).toMatchObject({ rd: '65000:1' });
  });

  it('RFC 4364 §4.3.5 import by route target: subscribe with RTs, importRouteTargets advertises RTC membership', async () => {
    const { a, b } = await pair({ families: ['vpnv4', 'rtc'] });
    const got: Array<[string, boolean]> = [];
    b.subscribe('vpnv4', (ch) => { for (const c of ch) got.push([c.key, c.best !== null]); }, { routeTargets: ['65000:100'] });
    expect(b.importRouteTargets(['65000:100', 'rt:65000:200'])).toEqual([
      { originAs: 65000, routeTarget: '65000:100', length: 96 }, { originAs: 65000, routeTarget: '65000:200', length: 96 }]);
    a.originate('vpnv4', { rd: '65000:1', prefix: '10.1.0.0/24', label: 16 }, { nextHop: '192.0.2.1', extCommunities: ['rt:65000:100'] });
    a.originate('vpnv4', { rd: '65000:2', prefix: '10.2.0.0/24', label: 17 }, { nextHop: '192.0.2.1', extCommunities: ['rt:65000:200'] });
    await until(() => b.routes('vpnv4').length === 2 && got.length >= 2);
    expect(got).toContainEqual(['65000:1:10.1.0.0/24', true]);
    expect(got).toContainEqual(['65000:2:10.2.0.0/24', false]); // arrives (RT 200 imported for RTC) but not this subscriber's RT
    b.unimportRouteTargets(['65000:200']);
    await until(() => b.routes('vpnv4').length === 1);
  });

  it('config reload: reconcileNeighbors adds, replaces and removes', async () => {
    const { a } = await pair({ families: ['ipv4'] });
    const port = a.neighbors()[0] && (a.neighbor('127.0.0.1')!.config.port);
    const r1 = a.reconcileNeighbors([{ address: '127.0.0.1', peerAs: 65000, port, families: ['ipv4'] }]);
    expect(r1).toEqual({ added: [], removed: [], replaced: [] });
    const r2 = a.reconcileNeighbors([{ address: '127.0.0.1', peerAs: 65000, port, families: ['ipv4'], holdTime: 30 }, { address: '127.0.0.2', peerAs: 65001, passive: true }]);
    expect(r2).toEqual({ added: ['127.0.0.2'], removed: [], replaced: ['127.0.0.1'] });
    expect(a.neighbors().map((n) => n.address)).toEqual(['127.0.0.1', '127.0.0.2']);
    const r3 = a.reconcileNeighbors([]);
    expect(r3.removed.sort()).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(a.neighbors()).toEqual([]);
  });

  it('RFC 4486 stop() sends Cease/2 administrative shutdown', async () => {
    const { a, b } = await pair({ families: ['ipv4'] });
    await a.stop();
    await until(() => b.neighbors()[0]!.lastError.includes('received NOTIFICATION 6/2'));
  });

  it('RFC 9003 shutdown communication travels with Cease/2', async () => {
    const { a, b } = await pair({ families: ['ipv4'] });
    a.removeNeighbor('127.0.0.1', 'maintenance: host reboot');
    await until(() => b.neighbors()[0]!.lastError === 'received NOTIFICATION 6/2 "maintenance: host reboot"');
  });

  it('RFC 4271 §6.2 wrong peer AS → NOTIFICATION 2/2 (Bad Peer AS), no session', async () => {
    const b = new BgpSpeaker({ asn: 65000, routerId: '10.0.0.2', listenPort: 0, listenAddress: '127.0.0.1' });
    const a = new BgpSpeaker({ asn: 65000, routerId: '10.0.0.1', listenPort: false });
    speakers.push(a, b);
    await b.start();
    b.addNeighbor({ address: '127.0.0.1', peerAs: 65099, passive: true, families: ['ipv4'] });
    await a.start();
    a.addNeighbor({ address: '127.0.0.1', peerAs: 65000, port: b.listenPort, families: ['ipv4'] });
    await until(() => a.neighbors()[0]!.lastError.includes('received NOTIFICATION 2/2'));
    expect(b.neighbors()[0]!.lastError).toMatch(/sent NOTIFICATION 2\/2.*peer AS 65000, expected 65099/);
    expect(a.neighbors()[0]!.state).not.toBe('established');
  });

  it('RFC 4271 §4.2 hold time = min of both sides; 0 means no keepalives and no hold timer', async () => {
    const { a, b } = await pair({ families: ['ipv4'], holdTime: 0 });
    expect(a.neighbors()[0]!.holdTime).toBe(0);
    expect(b.neighbors()[0]!.keepalive).toBe(0);
    const ka = a.neighbors()[0]!.counters.tx.keepalive;
    expect(ka).toBe(1); // only the one that answers OPEN (RFC 4271 §8.2.2 OpenSent)
  });

  it('RFC 4271 §10 keepalives every hold/3 in virtual time', async () => {
    const clock = new VirtualClock();
    const { a } = await pair({ families: ['ipv4'], clock, holdTime: 30 });
    const before = a.neighbors()[0]!.counters.tx.keepalive;
    // each step lets the sockets carry the keepalives, so neither hold timer expires
    for (let i = 0; i < 6; i++) { clock.advance(10_000); await new Promise((r) => setTimeout(r, 30)); }
    expect(a.neighbors()[0]!.counters.tx.keepalive - before).toBe(6);
    expect(a.neighbors()[0]!.state).toBe('established');
    expect(clock.now()).toBe(60_000);
  });

  it('RFC 4271 §8.1.1 idle hold doubles after repeated failures (virtual time)', async () => {
    const clock = new VirtualClock();
    const b = new BgpSpeaker({ asn: 65000, routerId: '10.0.0.2', listenPort: 0, listenAddress: '127.0.0.1', clock });
    const a = new BgpSpeaker({ asn: 65000, routerId: '10.0.0.1', listenPort: false, clock });
    speakers.push(a, b);
    await b.start();
    b.addNeighbor({ address: '127.0.0.1', peerAs: 65099, passive: true, families: ['ipv4'] }); // wrong AS: every OPEN is refused
    await a.start();
    a.addNeighbor({ address: '127.0.0.1', peerAs: 65000, port: b.listenPort, families: ['ipv4'], idleHoldTime: 2 });
    const opens = () => a.neighbors()[0]!.counters.tx.open;
    await until(() => a.neighbors()[0]!.state === 'idle' && opens() === 1);
    // failure 1 → idle 2 s, failure 2 → 4 s, failure 3 → 8 s
    for (const [wait, want] of [[1999, 1], [1, 2]] as const) { clock.advance(wait); await until(() => opens() === want && a.neighbors()[0]!.state === 'idle'); }
    clock.advance(3999); await new Promise((r) => setTimeout(r, 100));
    expect(opens()).toBe(2);
    clock.advance(1); await until(() => opens() === 3 && a.neighbors()[0]!.state === 'idle');
    clock.advance(7999); await new Promise((r) => setTimeout(r, 100));
    expect(opens()).toBe(3);
    clock.advance(1); await until(() => opens() === 4);
  });

  it('RFC 2918 route refresh re-sends the family', async () => {
    const { a, b } = await pair({ families: ['ipv4'] });
    a.originate('ipv4', { prefix: '10.9.0.0/16' }, { nextHop: '192.0.2.1' });
    await until(() => b.routes('ipv4').length === 1);
    const before = a.neighbors()[0]!.counters.tx.update;
    b.refresh('127.0.0.1', 'ipv4');
    await until(() => a.neighbors()[0]!.counters.rx.routeRefresh === 1 && a.neighbors()[0]!.counters.tx.update > before);
    expect(b.routes('ipv4').length).toBe(1);
  });

  it('RFC 7313 enhanced route refresh: the answer is bracketed by BoRR and EoRR, routes survive', async () => {
    const { a, b } = await pair({ families: ['ipv4'] });
    a.originate('ipv4', { prefix: '10.9.0.0/16' }, { nextHop: '192.0.2.1' });
    await until(() => b.routes('ipv4').length === 1);
    b.refresh('127.0.0.1', 'ipv4');
    await until(() => b.neighbors()[0]!.counters.rx.routeRefresh === 2); // BoRR + EoRR
    await new Promise((r) => setTimeout(r, 50));
    const adjIn = b.routes('ipv4', { table: 'in', neighbor: '127.0.0.1' });
    expect(adjIn.map((r) => [r.key, !!r.paths[0]!.stale])).toEqual([['10.9.0.0/16', false]]);
    expect(Object.isFrozen(adjIn[0]!.paths[0]!.attrs)).toBe(true);
  });

  it('RFC 4271 §6.5 hold timer expiry sends NOTIFICATION 4/0 (virtual time)', async () => {
    const clock = new VirtualClock();
    const { a, b } = await pair({ families: ['ipv4'], clock, holdTime: 9 });
    expect(a.neighbors()[0]!.holdTime).toBe(9);
    // Advance past the hold time without letting keepalives out of A:
    // stop A's keepalive by advancing B's clock only is impossible (shared clock), so
    // silence A's socket writes instead.
    const peerA = a.neighbor('127.0.0.1')!;
    (peerA as unknown as { conn: { write: (b: Buffer) => void } }).conn.write = () => {};
    clock.advance(9_001);
    await until(() => b.neighbors()[0]!.state !== 'established');
    expect(b.neighbors()[0]!.reason).toBe('hold-timer-expires');
    expect(b.neighbors()[0]!.lastError).toMatch(/sent NOTIFICATION 4\/0/);
  });

  it('the last error is history once the session recovers: kept with its age, never the cause of a later NOTIFICATION (virtual time)', async () => {
    const clock = new VirtualClock();
    const { a, b } = await pair({ families: ['ipv4'], clock, holdTime: 9 });
    const peerA = a.neighbor('127.0.0.1')!;
    (peerA as unknown as { conn: { write: (b: Buffer) => void } }).conn.write = () => {};
    clock.advance(9_001);
    await until(() => b.neighbors()[0]!.state !== 'established');
    const failedAt = clock.now();
    const events: Array<{ to: string; lastError: string }> = [];
    b.on('neighbor', (e) => events.push(e));
    expect(b.neighbors()[0]!.lastError).toBe('sent NOTIFICATION 4/0 (hold timer expired)');
    expect(b.neighbors()[0]!.lastErrorAgeSeconds).toBe(0);
    // A's idle hold (5 s) passes, it reconnects: the session is back
    clock.advance(5_000);
    await until(() => a.neighbors()[0]!.state === 'established' && b.neighbors()[0]!.state === 'established');
    // keepalives every 3 s keep it up while the error ages
    const rxKeepalives = (sp: typeof a) => sp.neighbors()[0]!.counters.rx.keepalive;
    for (let i = 0; i < 4; i++) {
      const ka = rxKeepalives(a), kb = rxKeepalives(b);
      clock.advance(3_000);
      await until(() => rxKeepalives(a) > ka && rxKeepalives(b) > kb); // each side heard the other's keepalive
    }
    const nb = b.neighbors()[0]!;
    expect(nb.state).toBe('established');
    // the log's state-change event on the way up carries no error: it is not this session's
    expect(events.find((e) => e.to === 'established')).toMatchObject({ lastError: '' });
    expect(nb.lastError).toBe('sent NOTIFICATION 4/0 (hold timer expired)');
    expect(nb.lastErrorAgeSeconds).toBe(Math.floor((clock.now() - failedAt) / 1000));
    expect(nb.lastErrorAgeSeconds).toBeGreaterThanOrEqual(17);
    // an administrative stop now is its own error: the old hold-timer expiry is not its cause
    const peerB = b.neighbor('127.0.0.1')!;
    b.removeNeighbor('127.0.0.1');
    expect(peerB.lastError).toBe('sent NOTIFICATION 6/2');
  });

  it('RFC 4486 max-prefix: exceeding the limit sends Cease/1 and drops the routes', async () => {
    const b = new BgpSpeaker({ asn: 65000, routerId: '10.0.0.2', listenPort: 0, listenAddress: '127.0.0.1', allowLoopbackNextHop: true });
    const a = new BgpSpeaker({ asn: 65000, routerId: '10.0.0.1', listenPort: false, allowLoopbackNextHop: true });
    speakers.push(a, b);
    await b.start();
    b.addNeighbor({ address: '127.0.0.1', peerAs: 65000, passive: true, families: ['ipv4'], maxPrefix: 2 });
    await a.start();
    a.addNeighbor({ address: '127.0.0.1', peerAs: 65000, port: b.listenPort, families: ['ipv4'] });
    await until(() => b.neighbors()[0]!.state === 'established');
    const events: Array<{ reason: string; lastError: string }> = [];
    b.on('neighbor', (e) => events.push(e));
    for (const p of ['10.1.0.0/24', '10.2.0.0/24', '10.3.0.0/24']) a.originate('ipv4', { prefix: p }, { nextHop: '192.0.2.1' });
    await until(() => events.some((e) => e.reason === 'max-prefix-exceeded'));
    expect(events.find((e) => e.reason === 'max-prefix-exceeded')!.lastError).toMatch(/sent NOTIFICATION 6\/1/);
    await until(() => a.neighbors()[0]!.lastError.includes('received NOTIFICATION 6/1'));
    expect(b.routes('ipv4')).toEqual([]);
  });

  it('RFC 4271 §6.8 connection collision: both sides connect, one session survives (the higher BGP identifier\'s connection)', async () => {
    const a = new BgpSpeaker({ asn: 65000, routerId: '10.0.0.1', listenPort: 0, listenAddress: '127.0.0.1', allowLoopbackNextHop: true });
    const b = new BgpSpeaker({ asn: 65000, routerId: '10.0.0.2', listenPort: 0, listenAddress: '127.0.0.1', allowLoopbackNextHop: true });
    speakers.push(a, b);
    await a.start(); await b.start();
    a.addNeighbor({ address: '127.0.0.1', peerAs: 65000, port: b.listenPort, families: ['ipv4'] });
    b.addNeighbor({ address: '127.0.0.1', peerAs: 65000, port: a.listenPort, families: ['ipv4'] });
    await until(() => a.neighbors()[0]!.state === 'established' && b.neighbors()[0]!.state === 'established');
    await new Promise((r) => setTimeout(r, 300));
    expect(a.neighbors()[0]!.state).toBe('established');
    expect(b.neighbors()[0]!.state).toBe('established');
    const collisions = a.neighbors()[0]!.counters.tx.notification + b.neighbors()[0]!.counters.tx.notification;
    const opens = a.neighbors()[0]!.counters.tx.open + b.neighbors()[0]!.counters.tx.open;
    // Either the connections collided (each side sent an OPEN on both, Cease/7 on the loser)
    // or one connection won the race before the other got anywhere.
    if (opens === 4) expect(collisions).toBeGreaterThanOrEqual(1);
    else expect(collisions).toBe(0);
    const connA = (a.neighbor('127.0.0.1') as unknown as { conn: { outgoing: boolean } }).conn;
    if (opens === 4) expect(connA.outgoing).toBe(false); // A (10.0.0.1) is lower: its own connection is the one closed
    a.originate('ipv4', { prefix: '10.7.0.0/24' }, { nextHop: '192.0.2.1' });
    await until(() => b.routes('ipv4').length === 1);
  });
});
