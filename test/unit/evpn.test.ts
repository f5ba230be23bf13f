// EVPN over VXLAN in one process (src/vpn/evpn.ts): two switches, each a real
// core with a memory access port and a memory-backed underlay (whole IP
// datagrams, the "wire" is this test moving them from one underlay to the
// other), each with a real BGP speaker, the two peering over loopback TCP.
// Checked: type-3 routes make flood members, a learned MAC becomes a type-2
// route and a remote FDB entry on the other side, a frame crosses
// encapsulated and is decapsulated, MAC mobility moves a MAC and withdraws the
// old route, RFC 7432 §15.1 duplicate detection freezes the MAC on both sides
// (evpn-dup.test.ts has the detail, in virtual time), a MAC that ages out
// of the core's FDB is withdrawn, so is a flushed one (ports removed: the
// controller's resync, api-evpn.test.ts).
import { Writable } from 'node:stream';

import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import type { BgpSpeaker } from '../../src/bgp/speaker.js';
import { Dataplane, macBytes, UNDERLAY_PORT } from '../../src/dataplane/index.js';
import { VirtualClock } from '../../src/util/clock.js';
import { DUP_MOVES, EvpnManager, TUNNEL_GROUP, type EviConfig } from '../../src/vpn/evpn.js';
import { until } from '../wait.js';
import { speakerPair } from './speaker-pair.js';

const VNI = 10010;
const MAC_A = '02:00:00:00:00:0a'; // a VM behind switch A
const MAC_B = '02:00:00:00:00:0b'; // a VM behind switch B

interface Side {
  dp: Dataplane;
  sp: BgpSpeaker;
  evpn: EvpnManager;
  vtep: string;
  logs: string[];
}
const open: Side[] = [];
const speakers: (() => Promise<void> | void)[] = []; // the speakers' stops (speakerPair)

afterEach(async () => {
  const sides = open.splice(0);
  for (const s of sides) s.evpn.close();
  for (const f of speakers.splice(0).reverse()) await f();
  for (const s of sides) s.dp.close();
});

function side(vtep: string, sp: BgpSpeaker, clock: VirtualClock): Side {
  const dp = new Dataplane({ workers: 1, agingSeconds: 300 });
  dp.addBridge('br0', 1024);
  dp.addPort({ name: 'vm', backend: 'memory', bridge: 'br0', mode: 'access', vlan: 10, allowedVlans: [], macLimit: 4096, mtu: 1500 });
  dp.setVtep({ address: vtep, floodGroup: TUNNEL_GROUP, backend: 'memory' });
  const logs: string[] = [];
  const log = pino({ level: 'debug' }, new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) }));
  let q: Promise<unknown> = Promise.resolve();
  const serialize = <T>(fn: () => T): Promise<T> => {
    const next = q.then(fn);
    q = next.catch(() => undefined);
    return next;
  };
  const evpn = new EvpnManager(dp, sp, vtep, serialize, log, clock);
  dp.on('mac', (ev) => void serialize(() => evpn.onMacEvents(ev)));
  const s = { dp, sp, evpn, vtep, logs };
  open.push(s);
  return s;
}

async function pair(): Promise<{ a: Side; b: Side; clock: VirtualClock }> {
  const clock = new VirtualClock();
  // B listens, A connects
  const { rx: sb, src: sa } = await speakerPair('192.0.2.2', ['evpn'], speakers, { srcRouterId: '192.0.2.1' });
  const a = side('192.0.2.1', sa, clock), b = side('192.0.2.2', sb, clock);
  const evi = (rd: string): EviConfig[] => [{ bridge: 'br0', vlan: 10, vni: VNI, rd, importRts: ['rt:65000:10010'], exportRts: ['rt:65000:10010'] }];
  a.evpn.apply(evi('192.0.2.1:1'));
  b.evpn.apply(evi('192.0.2.2:1'));
  return { a, b, clock };
}

function frame(dst: string, src: string): Buffer {
  return Buffer.concat([macBytes(dst), macBytes(src), Buffer.from([0x08, 0x06]), Buffer.alloc(46, 0x5a)]);
}

/** A frame received on `s`'s VM port; the worker runs and events are drained. */
function fromVm(s: Side, f: Buffer): void {
  s.dp.memInject('vm', f);
  s.dp.pollOnce();
  s.dp.drainEvents();
}

/** Moves every datagram `from`'s underlay sent to `to`'s underlay (the wire); returns them. */
function wire(from: Side, to: Side): Buffer[] {
  const out: Buffer[] = [];
  for (let d = from.dp.memPop(UNDERLAY_PORT); d; d = from.dp.memPop(UNDERLAY_PORT)) {
    out.push(d);
    to.dp.memInject(UNDERLAY_PORT, d);
  }
  to.dp.pollOnce();
  return out;
}

const remoteOf = (s: Side, mac: string) => s.dp.fdb({ bridge: 'br0' }).find((e) => e.mac === mac && e.kind === 'remote');

describe('EVPN instances between two switches (real cores, real speakers, a memory underlay)', () => {
  it('type-3 routes make each switch a flood member of the other; a broadcast crosses once, encapsulated with the VNI', async () => {
    const { a, b } = await pair();
    await until('flood members', () => a.dp.floodMembers('br0').some((m) => m.egress?.kind === 'tunnel') && b.dp.floodMembers('br0').some((m) => m.egress?.kind === 'tunnel'));
    expect(a.dp.tunnels()).toEqual([{ id: expect.any(Number), remote: '192.0.2.2', vni: VNI }]);
    fromVm(a, frame('ff:ff:ff:ff:ff:ff', MAC_A));
    const sent = wire(a, b);
    expect(sent.length).toBe(1);
    const d = sent[0]!;
    expect([...d.subarray(12, 20)]).toEqual([192, 0, 2, 1, 192, 0, 2, 2]); // outer IPv4 source and destination
    expect(d.readUInt16BE(22)).toBe(4789);
    expect(d.readUIntBE(32, 3)).toBe(VNI);
    const got = b.dp.memPop('vm');
    expect(got?.subarray(0, 12)).toEqual(frame('ff:ff:ff:ff:ff:ff', MAC_A).subarray(0, 12));
    expect(wire(b, a).length).toBe(0); // never back into a tunnel
    expect(b.dp.vtepStats()!.decap).toBe(1);
  });

  it('a learned MAC becomes a type-2 route and, on the other side, a remote FDB entry; unicast then crosses to it only', async () => {
    const { a, b } = await pair();
    fromVm(a, frame('ff:ff:ff:ff:ff:ff', MAC_A));
    wire(a, b);
    await until('remote MAC on B', () => !!remoteOf(b, MAC_A));
    const route = b.sp.routes('evpn').find((r) => r.route.type === 2);
    expect(route?.paths[0]?.nextHop).toBe('192.0.2.1');
    expect(route?.paths[0]?.attrs.extCommunities).toEqual(expect.arrayContaining(['rt:65000:10010', 'encap:vxlan']));
    b.dp.memPop('vm');
    fromVm(b, frame(MAC_A, MAC_B)); // B knows MAC_A is behind A: one datagram, to A
    const sent = wire(b, a);
    expect(sent.length).toBe(1);
    expect([...sent[0]!.subarray(16, 20)]).toEqual([192, 0, 2, 1]);
    expect(a.dp.memPop('vm')?.subarray(0, 6)).toEqual(macBytes(MAC_A));
  });

  it('MAC mobility: the MAC shows up behind B, B advertises sequence 1, A withdraws its route and points the MAC at B', async () => {
    const { a, b } = await pair();
    fromVm(a, frame('ff:ff:ff:ff:ff:ff', MAC_A));
    await until('remote MAC on B', () => !!remoteOf(b, MAC_A));
    fromVm(b, frame('ff:ff:ff:ff:ff:ff', MAC_A)); // the VM moved to B
    await until('A points MAC_A at B', () => !!remoteOf(a, MAC_A));
    const seen = a.sp.routes('evpn').filter((r) => r.route.type === 2);
    expect(seen.map((r) => r.paths[0]!.nextHop)).toEqual(['192.0.2.2']); // A's own route is withdrawn
    expect(seen[0]!.paths[0]!.attrs.extCommunities).toContain('mac-mobility:1');
    expect(a.logs.some((l) => l.includes('MAC moved away'))).toBe(true);
    expect(b.logs.some((l) => l.includes('MAC moved here'))).toBe(true);
  });

  it(`RFC 7432 §15.1: a MAC that moves ${DUP_MOVES} times within the window is duplicate on both switches, frozen behind B (warn)`, async () => {
    const { a, b } = await pair();
    fromVm(a, frame('ff:ff:ff:ff:ff:ff', MAC_A));
    await until('remote MAC on B', () => !!remoteOf(b, MAC_A));
    for (let i = 0; i < 2; i++) {
      fromVm(b, frame('ff:ff:ff:ff:ff:ff', MAC_A));
      await until(`A sees the move ${i}`, () => !!remoteOf(a, MAC_A));
      fromVm(a, frame('ff:ff:ff:ff:ff:ff', MAC_A));
      await until(`B sees the move back ${i}`, () => !!remoteOf(b, MAC_A));
    }
    fromVm(b, frame('ff:ff:ff:ff:ff:ff', MAC_A)); // the 5th move
    await until('A and B find it duplicate', () => a.evpn.list()[0]!.frozen.length === 1 && b.evpn.list()[0]!.frozen.length === 1);
    expect(a.evpn.list()[0]!.frozen[0]).toMatchObject({ mac: MAC_A, at: '192.0.2.2', local: false });
    expect(b.evpn.list()[0]!.frozen[0]).toMatchObject({ mac: MAC_A, at: '192.0.2.2', local: true });
    for (const s of [a, b]) expect(s.logs.filter((l) => l.includes('duplicate MAC') && l.includes('"level":40'))).toHaveLength(1);
    await until('A points MAC_A at B', () => !!remoteOf(a, MAC_A));
    fromVm(a, frame('ff:ff:ff:ff:ff:ff', MAC_A)); // a 6th: A learns it, advertises nothing
    await until('A ignores it', () => a.evpn.list()[0]!.frozen[0]?.ignored === 1);
    expect(a.sp.routes('evpn').some((r) => r.route.type === 2 && r.paths.some((p) => p.source === 'local'))).toBe(false);
    expect(b.evpn.list()[0]!.localMacs).toBe(1);
  });

  it('RFC 7432 §7.2: a MAC that ages out of the FDB (the core\'s aging, an AGED event) has its type-2 route withdrawn', async () => {
    const { a, b } = await pair();
    fromVm(a, frame('ff:ff:ff:ff:ff:ff', MAC_A));
    await until('remote MAC on B', () => !!remoteOf(b, MAC_A));
    const ours = () => a.sp.routes('evpn').some((r) => r.route.type === 2 && r.paths.some((p) => p.source === 'local'));
    expect(ours()).toBe(true);
    a.dp.setAging(1); // the core's aging runs on the worker's clock (seconds): the entry goes within ~2 s
    await until('MAC_A aged on A', () => {
      a.dp.pollOnce();
      a.dp.drainEvents();
      return !a.dp.fdb({ bridge: 'br0' }).some((e) => e.mac === MAC_A);
    });
    await until('A withdraws its route', () => !ours());
    await until('B removes MAC_A', () => !remoteOf(b, MAC_A));
    expect(a.evpn.list()[0]!.localMacs).toBe(0);
  });

  it('a flushed MAC is withdrawn; stopping an instance withdraws its routes and removes what it installed', async () => {
    const { a, b } = await pair();
    fromVm(a, frame('ff:ff:ff:ff:ff:ff', MAC_A));
    await until('remote MAC on B', () => !!remoteOf(b, MAC_A));
    a.dp.fdbFlush({ bridge: 'br0' });
    a.evpn.resync();
    await until('B removes MAC_A', () => !remoteOf(b, MAC_A));
    fromVm(a, frame('ff:ff:ff:ff:ff:ff', MAC_A));
    await until('remote MAC on B again', () => !!remoteOf(b, MAC_A));
    a.evpn.apply([]);
    await until('B has nothing from A', () => !remoteOf(b, MAC_A) && !b.dp.floodMembers('br0').some((m) => m.egress?.kind === 'tunnel'));
    expect(b.dp.tunnels()).toEqual([]);
  });
});
