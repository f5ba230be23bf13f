// EVPN multihoming in one process (src/vpn/es.ts, aliasing.ts, evpn.ts): three
// switches, each a real core with memory ports and a memory underlay (this
// test is the wire, delivering each datagram to its outer destination), each
// a real BGP speaker in an iBGP full mesh over loopback TCP.  A and B attach
// one Ethernet segment (port `es`, standing for the bond), C has a VM.
// Checked: type-4 routes make A and B elect one DF after the DF timer (RFC
// 7432 §8.5), written to the cores; a MAC learned on the segment is advertised
// with the ESI, C installs it toward an aliasing group of both VTEPs (§8.4)
// and B toward its own bond; BUM from C enters the segment once (DF only);
// BUM from the segment reaches C's VM once and never comes back into the
// segment through B (RFC 8365 §8.3.1); a per-ES A-D withdrawal takes A out of
// C's group at once (§8.2 mass withdraw); A's segment down makes B the DF at once.
// `esi: auto` (RFC 7432 §5 type 1 from the CE's LACP system ID and key): no
// route and no DF role until a partner is heard; derived once one is, the same
// on A and B; kept when the partner goes silent and across a bond flap; a new
// partner withdraws the old ESI's routes and advertises the new one's (ES-Import
// target following), seen at C.
import { Writable } from 'node:stream';

import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import type { EvpnRoute } from '../../src/bgp/index.js';
import { BgpSpeaker } from '../../src/bgp/speaker.js';
import type { EvpnEsConfig } from '../../src/controller/config-es.js';
import { Dataplane, macBytes, UNDERLAY_PORT } from '../../src/dataplane/index.js';
import { VirtualClock } from '../../src/util/clock.js';
import { MAX_ET, SegmentManager } from '../../src/vpn/es.js';
import { EvpnManager, TUNNEL_GROUP, type EviConfig } from '../../src/vpn/evpn.js';
import { until } from '../wait.js';

const VNI = 10010; // even: modulo over [A, B] elects A (ordinal 0)
const ESI = '00:11:22:33:44:55:66:77:88:99';
const MAC_CE = '02:00:00:00:00:ce'; // the multihomed server
const MAC_VM = '02:00:00:00:00:0c'; // a VM behind C
const BCAST = 'ff:ff:ff:ff:ff:ff';
const ES: EvpnEsConfig = { esiSource: 'configured', esi: ESI, dfElection: 'modulo', dfTimerMs: 3000 };
const AUTO: EvpnEsConfig = { esiSource: 'auto', esi: null, dfElection: 'modulo', dfTimerMs: 3000 };

interface Side { name: string; vtep: string; dp: Dataplane; sp: BgpSpeaker; evpn: EvpnManager; es: SegmentManager | null }
const open: Side[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) {
    s.es?.close();
    s.evpn.close();
    await s.sp.stop();
    s.dp.close();
  }
});

const quiet = pino({ level: 'silent' }, new Writable({ write: (_c, _e, cb) => cb() }));

function side(name: string, vtep: string, sp: BgpSpeaker, clock: VirtualClock, port: 'es' | 'vm', esCfg: EvpnEsConfig = ES): Side {
  const dp = new Dataplane({ workers: 1, agingSeconds: 300 });
  dp.addBridge('br0', 1024);
  dp.addPort({ name: port, backend: 'memory', bridge: 'br0', mode: 'access', vlan: 10, allowedVlans: [], macLimit: 4096, mtu: 1500 });
  dp.setVtep({ address: vtep, floodGroup: TUNNEL_GROUP, backend: 'memory' });
  let q: Promise<unknown> = Promise.resolve();
  const serialize = <T>(fn: () => T): Promise<T> => { const n = q.then(fn); q = n.catch(() => undefined); return n; };
  const evpn = new EvpnManager(dp, sp, vtep, serialize, quiet, clock);
  dp.on('mac', (ev) => void serialize(() => evpn.onMacEvents(ev)));
  dp.on('flushed', () => void serialize(() => evpn.resync()));
  const es = port === 'es' ? new SegmentManager(dp, sp, vtep, serialize, quiet, clock) : null;
  evpn.segments = es;
  const evi: EviConfig = { bridge: 'br0', vlan: 10, vni: VNI, rd: `${vtep}:1`, importRts: ['rt:65000:10010'], exportRts: ['rt:65000:10010'] };
  evpn.apply([evi]);
  es?.apply([{ bond: 'es', bridge: 'br0', vlans: [10], es: esCfg }], [evi]);
  const s = { name, vtep, dp, sp, evpn, es };
  open.push(s);
  return s;
}

/** Three speakers on 127.0.0.11-13, an iBGP full mesh. */
async function mesh(esCfg: EvpnEsConfig = ES): Promise<{ a: Side; b: Side; c: Side; clock: VirtualClock }> {
  const addr = (i: number) => `127.0.0.${11 + i}`;
  const sps = [0, 1, 2].map((i) => new BgpSpeaker({ asn: 65000, routerId: `192.0.2.${i + 1}`, listenPort: 0, listenAddress: addr(i), allowLoopbackNextHop: true }));
  for (const s of sps) await s.start();
  for (let x = 0; x < 3; x++)
    for (let y = x + 1; y < 3; y++) {
      sps[y]!.addNeighbor({ address: addr(x), peerAs: 65000, passive: true, families: ['evpn'] });
      sps[x]!.addNeighbor({ address: addr(y), peerAs: 65000, port: sps[y]!.listenPort, localAddress: addr(x), families: ['evpn'] });
    }
  await until('full mesh', () => sps.every((s) => s.neighbors().length === 2 && s.neighbors().every((n) => n.state === 'established')), 5000);
  const clock = new VirtualClock();
  const a = side('A', '192.0.2.1', sps[0]!, clock, 'es', esCfg), b = side('B', '192.0.2.2', sps[1]!, clock, 'es', esCfg), c = side('C', '192.0.2.3', sps[2]!, clock, 'vm');
  a.es!.setBondUp('es', true);
  b.es!.setBondUp('es', true);
  return { a, b, c, clock };
}

const frame = (dst: string, src: string) => Buffer.concat([macBytes(dst), macBytes(src), Buffer.from([0x08, 0x06]), Buffer.alloc(46, 0x5a)]);

function receive(s: Side, port: string, f: Buffer): void {
  s.dp.memInject(port, f);
  s.dp.pollOnce();
  s.dp.drainEvents();
}

/** Delivers what each side's underlay sent to the side its outer IPv4 destination names; returns the count per receiver. */
function wire(sides: Side[]): Record<string, number> {
  const got: Record<string, number> = {};
  for (const from of sides)
    for (let d = from.dp.memPop(UNDERLAY_PORT); d; d = from.dp.memPop(UNDERLAY_PORT)) {
      const to = sides.find((s) => s.vtep === [...d.subarray(16, 20)].join('.'))!;
      to.dp.memInject(UNDERLAY_PORT, d);
      got[to.name] = (got[to.name] ?? 0) + 1;
    }
  for (const s of sides) s.dp.pollOnce();
  return got;
}

function popAll(s: Side, port: string): Buffer[] {
  const out: Buffer[] = [];
  for (let f = s.dp.memPop(port); f; f = s.dp.memPop(port)) out.push(f);
  return out;
}

describe('EVPN multihoming, all-active, between three switches (real cores, real speakers)', () => {
  it('RFC 7432 §8.5: A and B elect one DF after the timer; the cores filter BUM accordingly', async () => {
    const { a, b, clock } = await mesh();
    await until('both PEs heard', () => a.es!.report()[0]!.pes.length === 2 && b.es!.report()[0]!.pes.length === 2, 5000);
    expect(a.es!.report()[0]!.phase).toBe('waiting');
    expect(a.dp.segments.get('es')!.ndfVlans).toEqual([10]); // non-DF while waiting
    clock.advance(3000);
    await until('elected', () => a.es!.report()[0]!.phase === 'elected' && b.es!.report()[0]!.phase === 'elected', 5000);
    expect(a.es!.report()[0]!.df).toEqual([{ vni: VNI, vlan: 10, df: '192.0.2.1', local: true }]);
    expect(b.es!.report()[0]!.df).toEqual([{ vni: VNI, vlan: 10, df: '192.0.2.1', local: false }]);
    expect(a.dp.segments.get('es')).toEqual({ port: 'es', ndfVlans: [], peers: ['192.0.2.2'] });
    expect(b.dp.segments.get('es')).toEqual({ port: 'es', ndfVlans: [10], peers: ['192.0.2.1'] });
  });

  it('§14.1 aliasing, BUM once each way, §8.2 mass withdraw, DF takeover', async () => {
    const { a, b, c, clock } = await mesh();
    const sides = [a, b, c];
    await until('both PEs heard', () => a.es!.report()[0]!.pes.length === 2 && b.es!.report()[0]!.pes.length === 2, 5000);
    clock.advance(3000);
    await until('elected', () => a.es!.report()[0]!.phase === 'elected' && b.es!.report()[0]!.phase === 'elected', 5000);
    await until('flood lists (type-3)', () => sides.every((s) => s.dp.floodMembers('br0').filter((m) => m.egress?.kind === 'tunnel').length === 2), 5000);
    // the server sends on A's link: learned on the segment, advertised with the ESI
    receive(a, 'es', frame(BCAST, MAC_CE));
    const first = wire(sides);
    expect(first).toEqual({ B: 1, C: 1 });
    expect(popAll(c, 'vm')).toHaveLength(1); // C's VM: once
    expect(popAll(b, 'es')).toHaveLength(0); // never back into the segment through B (local bias)
    expect(b.dp.vtepStats()!.drop_es_local_bias).toBe(1);
    const remote = () => c.dp.fdb({ bridge: 'br0' }).find((e) => e.mac === MAC_CE);
    await until('C installs the server MAC toward a group', () => remote()?.egress?.kind === 'group', 5000);
    const gid = remote()!.egress!.index;
    await until('both VTEPs in the group', () => c.dp.segments.group(gid).length === 2, 5000);
    expect(c.dp.segments.group(gid).map((t) => c.dp.tunnel(t)!.remote).sort()).toEqual(['192.0.2.1', '192.0.2.2']);
    await until('B points the MAC at its own bond', () => b.dp.fdb({ bridge: 'br0' }).find((e) => e.mac === MAC_CE)?.port === 'es', 5000);
    // C's VM to the server: flows spread over both VTEPs
    const seen = new Set<string>();
    for (let i = 0; i < 16; i++) {
      const ip = Buffer.from([0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 1, i, 0x30, 0x39, 0x30, i, 0, 8, 0, 0]);
      receive(c, 'vm', Buffer.concat([macBytes(MAC_CE), macBytes(MAC_VM), Buffer.from([0x08, 0x00]), ip, Buffer.alloc(18)]));
      for (const [k, n] of Object.entries(wire(sides))) if (n) seen.add(k);
    }
    expect([...seen].sort()).toEqual(['A', 'B']);
    expect(popAll(a, 'es').length + popAll(b, 'es').length).toBe(16); // known unicast: into the segment from either
    // BUM from C: into the segment once, by the DF (A)
    receive(c, 'vm', frame(BCAST, MAC_VM));
    expect(wire(sides)).toEqual({ A: 1, B: 1 });
    expect(popAll(a, 'es')).toHaveLength(1);
    expect(popAll(b, 'es')).toHaveLength(0);
    expect(b.dp.vtepStats()!.drop_es_not_df).toBe(1);
    // mass withdraw: A's per-ES A-D route alone goes; C's group shrinks to B for every MAC of the segment
    a.sp.withdraw('evpn', { type: 1, rd: '192.0.2.1:0', esi: ESI, ethernetTag: MAX_ET, label: 0 });
    await until('A out of the group', () => c.dp.segments.group(gid).length === 1, 5000);
    expect(c.dp.tunnel(c.dp.segments.group(gid)[0]!)!.remote).toBe('192.0.2.2');
    expect(remote()?.egress).toEqual({ kind: 'group', index: gid }); // the MAC entry itself unchanged
    // A's segment goes down: its routes withdrawn, B elects itself at once (no timer)
    a.es!.setBondUp('es', false);
    await until('B is the DF', () => b.es!.report()[0]!.df[0]!.local && b.dp.segments.get('es')!.ndfVlans.length === 0, 5000);
    expect(b.es!.report()[0]!.pes).toEqual(['192.0.2.2']);
    await until('the server MAC (only A advertised it) withdrawn at C', () => remote() === undefined, 5000);
  });
});

/** The multihoming routes (types 1 and 4) a side's Loc-RIB holds: `<type> <ESI> <RD>` plus the ES-Import target of a type 4. */
function mhRoutes(s: Side): string[] {
  const out: string[] = [];
  for (const r of s.sp.iterRoutes('evpn')) {
    const route = r.route as EvpnRoute;
    if (!r.paths[0] || (route.type !== 1 && route.type !== 4)) continue;
    const imp = route.type === 4 ? ` ${(r.paths[0].attrs.extCommunities ?? []).find((x) => x.startsWith('es-import:'))}` : '';
    out.push(`${route.type} ${route.esi} ${route.rd}${imp}`);
  }
  return out.sort();
}

/** What A (192.0.2.1) or B originates for segment `esi` with the one EVI (RD <vtep>:1). */
function routesOf(vtep: string, esi: string): string[] {
  return [`1 ${esi} ${vtep}:0`, `1 ${esi} ${vtep}:1`, `4 ${esi} ${vtep}:0 es-import:${esi.slice(3, 20)}`];
}

describe('RFC 7432 §5 type 1 from the LACP partner (esi: auto)', () => {
  const CE = { system: '02:00:00:00:0e:01', key: 7 };
  const ESI_CE = '01:02:00:00:00:0e:01:00:07:00';
  const ESI_CE8 = '01:02:00:00:00:0e:01:00:08:00';

  it('no partner heard: no ESI, no type-1/type-4 route, non-DF; the partner heard: one ESI on A and B, routes at C, DF elected', async () => {
    const { a, b, c, clock } = await mesh(AUTO);
    await until('flood lists (type-3)', () => [a, b, c].every((s) => s.dp.floodMembers('br0').filter((m) => m.egress?.kind === 'tunnel').length === 2), 5000);
    clock.advance(3000);
    for (const s of [a, b]) {
      expect(s.es!.report()[0]).toMatchObject({ esi: '', esiSource: 'auto', partner: null, up: true, phase: 'down', pes: [] });
      expect(s.dp.segments.get('es')!.ndfVlans).toEqual([10]); // not the DF: BUM from tunnels stays out
      expect(s.es!.esiOfPort('es')).toBeNull(); // MACs on the bond advertised without an ESI
      expect(mhRoutes(s)).toEqual([]);
    }
    expect(mhRoutes(c)).toEqual([]);
    a.es!.setPartner('es', CE);
    b.es!.setPartner('es', { ...CE });
    const want = [...routesOf('192.0.2.1', ESI_CE), ...routesOf('192.0.2.2', ESI_CE)].sort();
    await until('C holds both PEs\' type-1 and type-4 routes', () => JSON.stringify(mhRoutes(c)) === JSON.stringify(want), 5000);
    expect(a.es!.report()[0]).toMatchObject({ esi: ESI_CE, esiSource: 'auto', partner: CE, phase: 'waiting' });
    expect(a.es!.esiOfPort('es')).toBe(ESI_CE);
    await until('both PEs heard', () => a.es!.report()[0]!.pes.length === 2 && b.es!.report()[0]!.pes.length === 2, 5000);
    clock.advance(3000);
    await until('elected', () => a.es!.report()[0]!.phase === 'elected' && b.es!.report()[0]!.phase === 'elected', 5000);
    expect(a.es!.report()[0]!.df[0]).toMatchObject({ df: '192.0.2.1', local: true });
    expect(a.dp.segments.get('es')).toEqual({ port: 'es', ndfVlans: [], peers: ['192.0.2.2'] });
  });

  it('kept when the partner goes silent and across a bond flap (the same routes back at once)', async () => {
    const { a, b, c, clock } = await mesh(AUTO);
    a.es!.setPartner('es', CE);
    b.es!.setPartner('es', CE);
    const want = [...routesOf('192.0.2.1', ESI_CE), ...routesOf('192.0.2.2', ESI_CE)].sort();
    await until('routes at C', () => JSON.stringify(mhRoutes(c)) === JSON.stringify(want), 5000);
    a.es!.setPartner('es', null); // no member selected now: the ESI stays, nothing withdrawn
    expect(a.es!.report()[0]).toMatchObject({ esi: ESI_CE, partner: CE, up: true });
    expect(mhRoutes(a)).toEqual(want);
    a.es!.setBondUp('es', false); // mass withdraw, as for any segment; the ESI is retained
    await until('A\'s routes withdrawn at C', () => JSON.stringify(mhRoutes(c)) === JSON.stringify(routesOf('192.0.2.2', ESI_CE)), 5000);
    expect(a.es!.report()[0]).toMatchObject({ esi: ESI_CE, partner: CE, up: false, phase: 'down' });
    a.es!.setBondUp('es', true); // back, no partner event needed: the same ESI advertised again
    await until('A\'s routes back at C', () => JSON.stringify(mhRoutes(c)) === JSON.stringify(want), 5000);
    clock.advance(3000);
    await until('elected', () => a.es!.report()[0]!.phase === 'elected', 5000);
    expect(a.es!.report()[0]!.pes.sort()).toEqual(['192.0.2.1', '192.0.2.2']);
  });

  it('a derived ESI another local bond already has is refused: no route, reported as a conflict', async () => {
    const { a, c } = await mesh(AUTO);
    a.dp.addPort({ name: 'es2', backend: 'memory', bridge: 'br0', mode: 'access', vlan: 10, allowedVlans: [], macLimit: 4096, mtu: 1500 });
    const evi: EviConfig = { bridge: 'br0', vlan: 10, vni: VNI, rd: '192.0.2.1:1', importRts: ['rt:65000:10010'], exportRts: ['rt:65000:10010'] };
    a.es!.apply([{ bond: 'es', bridge: 'br0', vlans: [10], es: AUTO }, { bond: 'es2', bridge: 'br0', vlans: [10], es: AUTO }], [evi]);
    a.es!.setBondUp('es2', true);
    a.es!.setPartner('es', CE);
    a.es!.setPartner('es2', CE); // the same server behind both bonds
    const two = a.es!.report().find((s) => s.bond === 'es2')!;
    expect(two).toMatchObject({ esi: '', partner: null, conflict: { esi: ESI_CE, bond: 'es' } });
    expect(a.dp.segments.get('es2')!.ndfVlans).toEqual([10]);
    await until('A\'s routes at C', () => mhRoutes(c).filter((r) => r.includes('192.0.2.1:')).length === 3, 5000);
    expect(mhRoutes(c).filter((r) => r.includes('192.0.2.1:'))).toEqual(routesOf('192.0.2.1', ESI_CE)); // once, for bond es
  });

  it('a new partner (another key): the old ESI\'s routes withdrawn, the new one\'s advertised with its ES-Import target; the bond\'s MACs flushed', async () => {
    const { a, b, c, clock } = await mesh(AUTO);
    a.es!.setPartner('es', CE);
    b.es!.setPartner('es', CE);
    await until('both PEs heard', () => a.es!.report()[0]!.pes.length === 2 && b.es!.report()[0]!.pes.length === 2, 5000);
    clock.advance(3000);
    await until('elected', () => b.es!.report()[0]!.phase === 'elected', 5000);
    receive(a, 'es', frame(BCAST, MAC_CE)); // a MAC of the old segment, advertised with its ESI
    await until('C has the MAC with the old ESI', () => [...c.sp.iterRoutes('evpn')].some((r) => (r.route as EvpnRoute).type === 2 && (r.route as EvpnRoute & { type: 2 }).esi === ESI_CE), 5000);
    a.es!.setPartner('es', { system: CE.system, key: 8 });
    const want = [...routesOf('192.0.2.1', ESI_CE8), ...routesOf('192.0.2.2', ESI_CE)].sort();
    await until('A moved to the new ESI at C', () => JSON.stringify(mhRoutes(c)) === JSON.stringify(want), 5000);
    expect(a.es!.report()[0]).toMatchObject({ esi: ESI_CE8, partner: { system: CE.system, key: 8 }, phase: 'waiting', pes: ['192.0.2.1'] });
    expect(a.dp.fdb({ bridge: 'br0' }).find((e) => e.mac === MAC_CE)).toBeUndefined(); // flushed with the old ESI
    // B, alone on the old ESI now, elects itself at once (a PE left); A alone on the new one after its timer
    await until('B alone on the old segment', () => b.es!.report()[0]!.pes.length === 1 && b.es!.report()[0]!.df[0]!.local, 5000);
    clock.advance(3000);
    await until('A the DF of the new segment', () => a.es!.report()[0]!.phase === 'elected' && a.es!.report()[0]!.df[0]!.local, 5000);
    // B hears the new partner too: both on the new segment again
    b.es!.setPartner('es', { system: CE.system, key: 8 });
    const both = [...routesOf('192.0.2.1', ESI_CE8), ...routesOf('192.0.2.2', ESI_CE8)].sort();
    await until('both on the new ESI at C', () => JSON.stringify(mhRoutes(c)) === JSON.stringify(both), 5000);
    await until('A and B see each other again', () => a.es!.report()[0]!.pes.length === 2 && b.es!.report()[0]!.pes.length === 2, 5000);
  });
});
