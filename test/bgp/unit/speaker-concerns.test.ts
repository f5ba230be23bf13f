/**
 * The speaker's routing concerns (src/bgp/speaker/) tested on their own:
 * RFC 4456 reflection rules, RFC 4684 RT-constraint filtering, eBGP AS_PATH
 * prepending, and the RFC 4724 helper's stale marking and timers in virtual
 * time over a real RIB. End-to-end behaviour stays in speaker-loopback.test.ts
 * and the interop suites.
 */
import { describe, expect, it } from 'vitest';
import { addReflectionAttrs, mayReflect } from '../../../src/bgp/speaker/reflection.js';
import { newRtcState, prefixMatch, rtcAllows, rtMembershipRoute } from '../../../src/bgp/speaker/rt-constraint.js';
import { prependAs } from '../../../src/bgp/speaker/export-policy.js';
import { grEndOfRib, grSessionDown, grSessionUp, newGrState } from '../../../src/bgp/speaker/graceful-restart.js';
import type { PeerState, SpeakerContext } from '../../../src/bgp/speaker/context.js';
import { FAMILIES, familyByName } from '../../../src/bgp/codec/family.js';
import { encodeUpdate } from '../../../src/bgp/codec/message/update.js';
import type { PathAttrs } from '../../../src/bgp/codec/attr/types.js';
import type { AttrSet } from '../../../src/bgp/rib/attr-store.js';
import { Rib } from '../../../src/bgp/rib/rib.js';
import { VirtualClock } from '../../../src/util/clock.js';

const rt = (s: string) => { const [a, n] = s.split(':').map(Number); const b = Buffer.alloc(8); b[0] = 0; b[1] = 2; b.writeUInt16BE(a!, 2); b.writeUInt32BE(n!, 4); return b.toString('latin1'); };

describe('RFC 4456 route reflection', () => {
  it('§6 an iBGP-learned route goes to another iBGP peer only when one side is a client', () => {
    expect(mayReflect(false, false)).toBe(false);
    expect(mayReflect(true, false)).toBe(true);
    expect(mayReflect(false, true)).toBe(true);
    expect(mayReflect(true, true)).toBe(true);
  });
  it('§8 ORIGINATOR_ID kept if present, else the source peer\'s identifier; our CLUSTER_ID prepended', () => {
    const out: PathAttrs = {};
    addReflectionAttrs(out, {}, (10 << 24) | 7, '10.255.0.1');
    expect(out).toEqual({ originatorId: '10.0.0.7', clusterList: ['10.255.0.1'] });
    const again: PathAttrs = {};
    addReflectionAttrs(again, { originatorId: '10.0.0.9', clusterList: ['10.255.0.2'] }, (10 << 24) | 7, '10.255.0.1');
    expect(again).toEqual({ originatorId: '10.0.0.9', clusterList: ['10.255.0.1', '10.255.0.2'] });
  });
});

describe('RFC 4684 route-target constraint', () => {
  const vpnv4 = familyByName('vpnv4'), ipv4 = familyByName('ipv4');
  const peerWith = (member: string[], opts: { rtc?: boolean; defaultMember?: boolean } = {}) => {
    const rtc = newRtcState();
    for (const m of member) rtc.member.add(m);
    rtc.defaultMember = !!opts.defaultMember;
    const families = FAMILIES.map((f) => f.name !== 'rtc' || opts.rtc !== false);
    return { peer: { negotiated: { families } }, rtc } as unknown as PeerState;
  };
  const set = (...rts: string[]) => ({ rts: rts.map(rt) }) as unknown as AttrSet;
  it('§4 a VPN route goes only to peers that asked for one of its RTs', () => {
    const ps = peerWith([rt('65000:100')]);
    expect(rtcAllows(ps, vpnv4, set('65000:100'))).toBe(true);
    expect(rtcAllows(ps, vpnv4, set('65000:200', '65000:100'))).toBe(true);
    expect(rtcAllows(ps, vpnv4, set('65000:200'))).toBe(false);
    expect(rtcAllows(ps, vpnv4, set())).toBe(false);
  });
  it('§4 default membership, non-VPN families and sessions without rtc are not filtered', () => {
    expect(rtcAllows(peerWith([], { defaultMember: true }), vpnv4, set('65000:200'))).toBe(true);
    expect(rtcAllows(peerWith([]), ipv4, set())).toBe(true);
    expect(rtcAllows(peerWith([], { rtc: false }), vpnv4, set('65000:200'))).toBe(true);
  });
  it('§4 RT prefixes shorter than 64 bits match on their leading bits', () => {
    // 48 RT bits (type, subtype, AS 65000): every RT of AS 65000.
    const ps = peerWith([`prefix:${32 + 48}:${Buffer.from(rt('65000:0'), 'latin1').subarray(0, 6).toString('latin1')}`]);
    expect(rtcAllows(ps, vpnv4, set('65000:4242'))).toBe(true);
    expect(rtcAllows(ps, vpnv4, set('65001:4242'))).toBe(false);
    expect(prefixMatch(Buffer.from([0xab, 0xcd]), Buffer.from([0xab, 0xc0]), 12)).toBe(true);
    expect(prefixMatch(Buffer.from([0xab, 0xcd]), Buffer.from([0xab, 0xc0]), 13)).toBe(false);
  });
  it('§4 our membership route: origin AS ours, 96-bit NLRI, RT in any accepted spelling', () => {
    expect(rtMembershipRoute(65000, '65000:100')).toEqual({ originAs: 65000, routeTarget: '65000:100', length: 96 });
    expect(rtMembershipRoute(65000, 'rt:65000:100')).toEqual(rtMembershipRoute(65000, '65000:100'));
  });
});

describe('RFC 4271 §5.1.2 AS_PATH towards eBGP', () => {
  it('our AS joins the leading AS_SEQUENCE, or starts a new one before a set or a full segment', () => {
    expect(prependAs([], 65000)).toEqual([{ type: 'seq', asns: [65000] }]);
    expect(prependAs([{ type: 'seq', asns: [65001] }], 65000)).toEqual([{ type: 'seq', asns: [65000, 65001] }]);
    expect(prependAs([{ type: 'set', asns: [65001, 65002] }], 65000)).toEqual([{ type: 'seq', asns: [65000] }, { type: 'set', asns: [65001, 65002] }]);
    const full = Array.from({ length: 255 }, (_, i) => 64512 + i);
    expect(prependAs([{ type: 'seq', asns: full }], 65000)).toEqual([{ type: 'seq', asns: [65000] }, { type: 'seq', asns: full }]);
  });
});

describe('RFC 4724 graceful restart, helper side', () => {
  const v4 = familyByName('ipv4');
  const setup = (forwarding: boolean) => {
    const clock = new VirtualClock();
    const rib = new Rib(65000, '10.0.0.100', '10.0.0.100');
    rib.addSource({ index: 1, name: '10.0.0.1', ebgp: false, routerId: (10 << 24) | 1, addressKey: '10.000.000.001', addPath: FAMILIES.map(() => false) });
    const announce = () => {
      const b = encodeUpdate({ withdrawn: [], attrs: { origin: 0, asPath: [], nextHop: '192.0.2.1', localPref: 100 }, nlri: [{ route: { prefix: '10.1.0.0/24' } }] }, { as4: true });
      rib.ingestUpdate(1, b, 0, b.length, { as4: true, families: FAMILIES.map(() => true) });
    };
    let flushes = 0;
    const ctx = { rib, clock, scheduleFlush: () => { flushes++; } } as unknown as SpeakerContext;
    const peerGr = { restarting: false, notification: false, time: 30, families: [{ afi: v4.afi, safi: v4.safi, forwarding }] };
    const ps = { peer: { sourceIndex: 1, negotiated: { peerGr }, config: { gracefulRestart: { staleRoutesTime: 60 } } }, gr: newGrState() } as unknown as PeerState;
    const received = () => rib.adjIn[1]![v4.id]!.count;
    return { clock, rib, ctx, ps, announce, received, flushes: () => flushes };
  };

  it('§4.2 session loss: listed families kept stale, others dropped; swept when the restart time passes', () => {
    const { clock, ctx, ps, announce, received, flushes } = setup(true);
    announce();
    expect(received()).toBe(1);
    grSessionDown(ctx, ps, true);
    expect(ps.gr.staleCount).toBe(1);
    expect(received()).toBe(1);
    clock.advance(29_999);
    expect(received()).toBe(1);
    clock.advance(1);
    expect(received()).toBe(0);
    expect(ps.gr.staleCount).toBe(0);
    expect(flushes()).toBe(1);
  });
  it('§4.2 not graceful: everything dropped at once', () => {
    const { ctx, ps, announce, received } = setup(true);
    announce();
    grSessionDown(ctx, ps, false);
    expect(received()).toBe(0);
    expect(ps.gr.staleCount).toBe(0);
  });
  it('§4.2 peer back without the forwarding bit: its stale routes go at once', () => {
    const { ctx, ps, announce, received } = setup(false);
    announce();
    grSessionDown(ctx, ps, true);
    grSessionUp(ctx, ps);
    expect(received()).toBe(0);
    expect(ps.gr.staleCount).toBe(0);
  });
  it('§4.2 peer back with forwarding state: stale until its End-of-RIB (§2), or our stale-routes time', () => {
    const a = setup(true);
    a.announce();
    grSessionDown(a.ctx, a.ps, true);
    grSessionUp(a.ctx, a.ps);
    expect(a.ps.gr.staleCount).toBe(1);
    grEndOfRib(a.rib, a.ps, v4.id);
    expect(a.received()).toBe(0);

    const b = setup(true);
    b.announce();
    grSessionDown(b.ctx, b.ps, true);
    grSessionUp(b.ctx, b.ps);
    b.clock.advance(60_000);
    expect(b.received()).toBe(0);
    expect(b.ps.gr.staleCount).toBe(0);
  });
});
