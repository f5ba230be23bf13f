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
import { Writable } from 'node:stream';

import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

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
const ES: EvpnEsConfig = { esi: ESI, esiType: 0, esImport: '11:22:33:44:55:66', dfElection: 'modulo', dfTimerMs: 3000 };

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

function side(name: string, vtep: string, sp: BgpSpeaker, clock: VirtualClock, port: 'es' | 'vm'): Side {
  const dp = new Dataplane({ workers: 1, agingSeconds: 300 });
  dp.addBridge('br0', 1024);
  dp.addPort({ name: port, backend: 'memory', bridge: 'br0', mode: 'access', vlan: 10, allowedVlans: [], macLimit: 4096, mtu: 1500 });
  dp.setVtep({ address: vtep, floodGroup: TUNNEL_GROUP, backend: 'memory' });
  let q: Promise<unknown> = Promise.resolve();
  const serialize = <T>(fn: () => T): Promise<T> => { const n = q.then(fn); q = n.catch(() => undefined); return n; };
  const evpn = new EvpnManager(dp, sp, vtep, serialize, quiet, clock);
  dp.on('mac', (ev) => void serialize(() => evpn.onMacEvents(ev)));
  dp.on('flushed', () => void serialize(() => evpn.resync()), 5000);
  const es = port === 'es' ? new SegmentManager(dp, sp, vtep, serialize, quiet, clock) : null;
  evpn.segments = es;
  const evi: EviConfig = { bridge: 'br0', vlan: 10, vni: VNI, rd: `${vtep}:1`, importRts: ['rt:65000:10010'], exportRts: ['rt:65000:10010'] };
  evpn.apply([evi]);
  es?.apply([{ bond: 'es', bridge: 'br0', vlans: [10], es: ES }], [evi]);
  const s = { name, vtep, dp, sp, evpn, es };
  open.push(s);
  return s;
}

/** Three speakers on 127.0.0.11-13, an iBGP full mesh. */
async function mesh(): Promise<{ a: Side; b: Side; c: Side; clock: VirtualClock }> {
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
  const a = side('A', '192.0.2.1', sps[0]!, clock, 'es'), b = side('B', '192.0.2.2', sps[1]!, clock, 'es'), c = side('C', '192.0.2.3', sps[2]!, clock, 'vm');
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
