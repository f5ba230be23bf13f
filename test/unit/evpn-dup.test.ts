// Duplicate MAC detection and freeze (RFC 7432 §15.1, src/vpn/evpn-placement.ts)
// in virtual time: one switch (a real core, a memory access port and a memory
// underlay) and a real speaker `rx`, fed by `src`, which plays two remote
// VTEPs advertising one MAC in turn with rising MAC mobility sequence numbers
// (each turn a move from one VTEP to the other).  Checked: the 5th move
// within 180 s makes the MAC duplicate (4 do not; moves spread wider than the
// window never do), the duplicate is frozen where that move left it (a later
// advertisement installs nothing, local learning advertises nothing), counted
// in the instance's report and the metrics, and the freeze ends after its
// time: logged at info, the MAC decided afresh.  Also the sequence number
// `fdb show` gives a remote entry (EvpnManager.remoteSeq).
import { afterEach, describe, expect, it } from 'vitest';

import type { Controller } from '../../src/controller/index.js';
import { createMetrics } from '../../src/daemon/metrics.js';
import { macBytes, type Dataplane } from '../../src/dataplane/index.js';
import { macMobility } from '../../src/bgp/index.js';
import { VirtualClock } from '../../src/util/clock.js';
import { DEFAULT_DUP_DETECTION, type DupDetection } from '../../src/vpn/evpn.js';
import { until } from '../wait.js';
import { parseExposition } from './exposition.js';
import { evpnSwitch, RT, VNI } from './evpn-fixture.js';

const MAC = '02:00:00:00:00:0d';
const V1 = '198.51.100.1', V2 = '198.51.100.2';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

async function setup(dup?: DupDetection) {
  const clock = new VirtualClock();
  const { dp, rx, src, evpn, logs } = await evpnSwitch(cleanup, { clock, evi: dup ? { dupDetection: dup } : {} });
  /** the VTEP the MAC's remote FDB entry points at, if it has one */
  const at = () => {
    const e = dp.fdb({ bridge: 'br0' }).find((x) => x.mac === MAC && x.kind === 'remote');
    return e?.egress?.kind === 'tunnel' ? dp.tunnels().find((t) => t.id === e.egress!.index)?.remote : undefined;
  };
  const report = () => evpn.list()[0]!;
  let seq = 0;
  /** `vtep` advertises the MAC with the next sequence number (a move, after the first) */
  const advertise = (vtep: string, n = seq) => {
    src.originate('evpn', { type: 2, rd: `${vtep}:1`, esi: '0', ethernetTag: 0, mac: MAC, ip: null, labels: [VNI] }, { nextHop: vtep, extCommunities: [RT, 'encap:vxlan', ...(n ? [`mac-mobility:${n}`] : [])] });
    seq = n + 1;
  };
  /** the MAC moves to `vtep` (its advertisement wins) and the FDB follows */
  const moveTo = async (vtep: string) => {
    advertise(vtep);
    await until(`the MAC installed toward ${vtep}`, () => at() === vtep);
  };
  const warned = () => logs.filter((l) => l.includes('duplicate MAC: it keeps moving') && l.includes('"level":40'));
  /** the sequence number of our type-2 route for the MAC, if we advertise one */
  const ours = () => {
    const p = rx.routes('evpn').flatMap((r) => (r.route.type === 2 ? r.paths : [])).find((x) => x.source === 'local');
    return p ? (macMobility(p.attrs)?.seq ?? 0) : false;
  };
  const learned = () => dp.fdb({ bridge: 'br0' }).some((x) => x.mac === MAC && x.kind === 'learned');
  return { clock, dp, rx, evpn, logs, at, report, advertise, moveTo, warned, ours, learned };
}

/** A frame from the VM port with source `src`, the worker run and its events drained. */
function fromVm(dp: Dataplane, src: string): void {
  dp.memInject('vm', Buffer.concat([macBytes('ff:ff:ff:ff:ff:ff'), macBytes(src), Buffer.from([0x08, 0x06]), Buffer.alloc(46, 0x5a)]));
  dp.pollOnce();
  dp.drainEvents();
}

describe('RFC 7432 §15.1 duplicate MAC detection and freeze', () => {
  it('the defaults are FRR\'s: 5 moves within 180 s, frozen 180 s', () => {
    expect(DEFAULT_DUP_DETECTION).toEqual({ maxMoves: 5, windowSeconds: 180, freezeSeconds: 180 });
  });

  it('RFC 7432 §15.1: the 5th move within 180 s makes the MAC duplicate, 4 do not; it is frozen where that move left it', async () => {
    const s = await setup();
    await s.moveTo(V1); // learned, not a move
    for (const v of [V2, V1, V2, V1]) {
      s.clock.advance(30_000);
      await s.moveTo(v);
    }
    expect(s.report().frozen).toEqual([]);
    expect(s.report().dupDetections).toBe(0);
    expect(s.warned()).toEqual([]);
    s.clock.advance(30_000); // the 5th, 150 s after the 1st
    await s.moveTo(V2);
    expect(s.report().dupDetections).toBe(1);
    expect(s.report().frozen).toEqual([{ mac: MAC, at: V2, local: false, moves: 5, ignored: 0, secondsLeft: 180 }]);
    expect(s.warned()).toHaveLength(1);
    expect(JSON.parse(s.warned()[0]!)).toMatchObject({ vni: VNI, mac: MAC, from: V1, to: V2, moves: 5, windowSeconds: 180, freezeSeconds: 180 });
  });

  it('RFC 7432 §7.7: remoteSeq gives the sequence number of the route a remote FDB entry follows (fdb show\'s Seq)', async () => {
    const s = await setup();
    await s.moveTo(V1);
    expect(s.evpn.remoteSeq('br0', 10, MAC)).toBe(0); // no MAC mobility community: sequence 0
    await s.moveTo(V2);
    expect(s.evpn.remoteSeq('br0', 10, MAC)).toBe(1);
    expect(s.evpn.remoteSeq('br0', 10, '02:00:00:00:00:99')).toBeUndefined(); // not installed
    expect(s.evpn.remoteSeq('br0', 20, MAC)).toBeUndefined(); // no instance
    fromVm(s.dp, MAC); // moved here: the entry is ours, not a remote one
    await until('learned here', () => s.learned());
    await until('our route', () => s.ours() === 2);
    expect(s.evpn.remoteSeq('br0', 10, MAC)).toBeUndefined();
  });

  it('RFC 7432 §15.1: moves spread wider than the window (5 in more than 180 s) never make it duplicate', async () => {
    const s = await setup();
    await s.moveTo(V1);
    for (const v of [V2, V1, V2, V1, V2, V1, V2, V1]) {
      s.clock.advance(46_000); // any 5 consecutive moves span 184 s
      await s.moveTo(v);
    }
    expect(s.report().dupDetections).toBe(0);
    expect(s.report().frozen).toEqual([]);
  });

  it('RFC 7432 §15.1: a frozen MAC ignores a later move: its FDB entry stays, nothing is advertised; counted in the metrics', async () => {
    const s = await setup();
    await s.moveTo(V1);
    for (const v of [V2, V1, V2, V1, V2]) await s.moveTo(v);
    expect(s.report().frozen.map((f) => f.at)).toEqual([V2]);
    // a remote move: the better route is in the RIB, the FDB entry does not follow it
    expect(s.evpn.remoteSeq('br0', 10, MAC)).toBe(5);
    s.advertise(V1);
    await until('the remote update ignored', () => s.report().frozen[0]?.ignored === 1);
    expect(s.at()).toBe(V2);
    expect(s.evpn.remoteSeq('br0', 10, MAC)).toBe(5); // the route the entry follows, not the ignored seq 6
    expect(s.ours()).toBe(false);
    // a local move: the core learns it on the port, nothing is advertised
    fromVm(s.dp, MAC);
    await until('the local update ignored', () => s.report().frozen[0]?.ignored === 2);
    expect(s.ours()).toBe(false);
    expect(s.report().localMacs).toBe(0);
    // the metrics: one detection, one MAC frozen
    const controller = {
      evpn: { manager: s.evpn, segments: null }, l3vpn: { manager: null }, bgp: null, dataplane: s.dp, persistence: null,
      presence: { counts: {}, absentPorts: () => [] }, bonds: { reports: () => [] },
    } as unknown as Controller; // what createMetrics reads
    const { values, types } = parseExposition(await createMetrics(controller, 'test').metrics());
    const evi = `{bridge="br0",vlan="10",vni="${VNI}"}`;
    expect(types.get('hvswitch_evpn_duplicate_mac_detections_total')).toBe('counter');
    expect(values.get(`hvswitch_evpn_duplicate_mac_detections_total${evi}`)).toBe(1);
    expect(types.get('hvswitch_evpn_duplicate_macs')).toBe('gauge');
    expect(values.get(`hvswitch_evpn_duplicate_macs${evi}`)).toBe(1);
  });

  it('RFC 7432 §15.1: a MAC frozen here keeps our route and its local entry when a remote VTEP advertises it with a higher sequence', async () => {
    const s = await setup();
    await s.moveTo(V1); // seq 0, learned from the route
    for (let n = 1; n <= 5; n++) {
      if (n % 2) {
        fromVm(s.dp, MAC); // moved here: we advertise seq n
        await until(`our route, seq ${n}`, () => s.ours() === n);
      } else {
        s.advertise(V1, n); // moved away
        await until(`installed toward V1, seq ${n}`, () => s.at() === V1 && s.ours() === false);
      }
    }
    expect(s.report().frozen).toEqual([{ mac: MAC, at: '192.0.2.1', local: true, moves: 5, ignored: 0, secondsLeft: 180 }]);
    s.advertise(V1, 6);
    await until('the remote update ignored', () => s.report().frozen[0]?.ignored === 1);
    expect(s.ours()).toBe(5); // not withdrawn
    expect(s.learned()).toBe(true); // the FDB entry stays local
    expect(s.at()).toBeUndefined();
  });

  it('RFC 7432 §15.1: the freeze ends after its time (logged at info) and the MAC is decided afresh', async () => {
    const s = await setup({ maxMoves: 3, windowSeconds: 60, freezeSeconds: 120 });
    await s.moveTo(V1);
    for (const v of [V2, V1, V2]) await s.moveTo(v);
    expect(s.report().frozen).toEqual([{ mac: MAC, at: V2, local: false, moves: 3, ignored: 0, secondsLeft: 120 }]);
    s.advertise(V1);
    await until('the remote update ignored', () => s.report().frozen[0]?.ignored === 1);
    s.clock.advance(119_000);
    expect(s.report().frozen[0]?.secondsLeft).toBe(1);
    expect(s.at()).toBe(V2);
    s.clock.advance(1_000);
    await until('unfrozen', () => s.report().frozen.length === 0);
    await until('the MAC follows the best route again', () => s.at() === V1);
    expect(s.logs.some((l) => l.includes('duplicate MAC unfrozen') && l.includes('"level":30'))).toBe(true);
    expect(s.report().dupDetections).toBe(1);
  });
});
