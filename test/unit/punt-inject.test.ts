// The punt ring and the inject call (native/core/punt.h, src/dataplane/punt.ts)
// over memory ports (no root): link-local control frames of the classes a port
// punts reach the controller as the 'punt' event instead of being flooded,
// bounded by the port's rate; frames the controller injects leave a port byte
// for byte.  Without a punt setting nothing changes: BPDUs and LACPDUs are
// flooded like any multicast (IEEE 802.1Q §8.6.3 says a bridge should filter
// them; that policy is the controller's, through the punt mask).
import { afterEach, describe, expect, it } from 'vitest';

import { loadAddon } from '../../src/dataplane/addon.js';
import { Dataplane, macBytes, puntClasses, type PortSpec, type PuntClass, type PuntFrame } from '../../src/dataplane/index.js';
import { until } from '../wait.js';

const SRC = '02:00:00:00:00:0a';

/** IEEE 802.1D §9.3.1 configuration BPDU: 802.3 length + LLC 42 42 03 + 35 bytes. */
function bpdu(): Buffer {
  const body = Buffer.alloc(35);
  body[4] = 0x00; // BPDU type: configuration
  return Buffer.concat([macBytes('01:80:c2:00:00:00'), macBytes(SRC), Buffer.from([0x00, 0x26, 0x42, 0x42, 0x03]), body, Buffer.alloc(7)]);
}

/** IEEE 802.1AX §6.4.2 LACPDU: ethertype 0x8809, subtype 1 (LACP), version 1; 124 bytes to the FCS. */
function lacpdu(): Buffer {
  const body = Buffer.alloc(110);
  body[0] = 0x01;
  body[1] = 0x01;
  return Buffer.concat([macBytes('01:80:c2:00:00:02'), macBytes(SRC), Buffer.from([0x88, 0x09]), body]);
}

function ipv4Frame(dst: string, src: string): Buffer {
  return Buffer.concat([macBytes(dst), macBytes(src), Buffer.from([0x08, 0x00]), Buffer.alloc(46, 0x5a)]);
}

function port(name: string, punt?: PortSpec['punt']): PortSpec {
  return { name, backend: 'memory', bridge: 'br0', mode: 'access', vlan: 10, allowedVlans: [], macLimit: 4096, mtu: 1500, punt };
}

function popAll(dp: Dataplane, name: string): Buffer[] {
  const out: Buffer[] = [];
  for (let f = dp.memPop(name); f; f = dp.memPop(name)) out.push(f);
  return out;
}

/** Polls the worker until `cond` holds (a bounded number of loops, no timers). */
function pollUntil(dp: Dataplane, cond: () => boolean, loops = 1000): void {
  for (let i = 0; i < loops && !cond(); i++) dp.pollOnce();
  expect(cond()).toBe(true);
}

/** Resolves with the next 'punt' batch: the workers' wake-up alone delivers it. */
function nextPunt(dp: Dataplane): Promise<PuntFrame[]> {
  return new Promise((resolve) => dp.once('punt', resolve));
}

it('the punt class names come from the core table and cover PuntClass', () => {
  const known = { stp: true, slow: true, arp: true, nd: true } satisfies Record<PuntClass, true>;
  expect(puntClasses.map((c) => c.name).sort()).toEqual(Object.keys(known).sort());
  expect(new Set(puntClasses.map((c) => c.bit)).size).toBe(puntClasses.length);
});

describe('punt ring and inject over memory ports', () => {
  let dp: Dataplane;
  afterEach(() => dp.close());

  function bridge(a: PortSpec, ...others: PortSpec[]): void {
    dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    dp.addBridge('br0', 1024);
    for (const p of [a, ...others]) dp.addPort(p);
  }

  it('stp: a BPDU on a punting port arrives on "punt" with its bytes and is not flooded', async () => {
    bridge(port('a', { classes: ['stp'] }), port('b'), port('c'));
    const got = nextPunt(dp);
    dp.memInject('a', bpdu());
    dp.pollOnce();
    expect(await got).toEqual([{ port: 'a', class: 'stp', truncated: false, len: bpdu().length, frame: bpdu() }]);
    expect(popAll(dp, 'b')).toEqual([]);
    expect(popAll(dp, 'c')).toEqual([]);
    expect(dp.stats('a')).toMatchObject({ rx_packets: 1, punted: 1 });
    expect(dp.stats('b').tx_packets).toBe(0);
  });

  it('without a punt mask a BPDU is flooded as before, and nothing is punted', () => {
    bridge(port('a'), port('b'));
    const punted: PuntFrame[] = [];
    dp.on('punt', (f) => punted.push(...f));
    dp.memInject('a', bpdu());
    dp.pollOnce();
    dp.drainEvents();
    expect(popAll(dp, 'b')).toEqual([bpdu()]);
    expect(punted).toEqual([]);
    expect(dp.stats('a').punted).toBe(0);
  });

  it('slow: an LACPDU is punted; a BPDU on a slow-only port is still flooded', () => {
    bridge(port('a', { classes: ['slow'] }), port('b'));
    const punted: PuntFrame[] = [];
    dp.on('punt', (f) => punted.push(...f));
    dp.memInject('a', lacpdu());
    dp.memInject('a', bpdu());
    dp.memInject('a', ipv4Frame('ff:ff:ff:ff:ff:ff', SRC));
    dp.pollOnce();
    dp.drainEvents();
    expect(punted).toEqual([{ port: 'a', class: 'slow', truncated: false, len: lacpdu().length, frame: lacpdu() }]);
    expect(popAll(dp, 'b')).toEqual([bpdu(), ipv4Frame('ff:ff:ff:ff:ff:ff', SRC)]);
  });

  it('rate: past the bucket (burst one second of `rate`) punts are dropped and counted', () => {
    bridge(port('a', { classes: ['stp', 'slow'], rate: 3 }), port('b'));
    const punted: PuntFrame[] = [];
    dp.on('punt', (f) => punted.push(...f));
    for (let i = 0; i < 8; i++) dp.memInject('a', i % 2 ? lacpdu() : bpdu());
    // One batch: the bucket starts full with 3 tokens, so 3 are punted, 5 counted.
    pollUntil(dp, () => dp.stats('a').rx_packets === 8);
    dp.drainEvents();
    expect(punted.map((f) => f.class)).toEqual(['stp', 'slow', 'stp']);
    expect(dp.stats('a')).toMatchObject({ punted: 3, drop_punt_rate_limited: 5 });
    expect(popAll(dp, 'b')).toEqual([]); // rate-limited control frames are dropped, not flooded
  });

  it('a full punt ring drops and counts; one drain delivers the ring in one batch', () => {
    bridge(port('a', { classes: ['stp'], rate: 1000 }), port('b'));
    const ring = loadAddon().punt.ring;
    const batches: PuntFrame[][] = [];
    dp.on('punt', (f) => batches.push(f));
    for (let i = 0; i < ring + 44; i++) dp.memInject('a', bpdu());
    pollUntil(dp, () => dp.stats('a').rx_packets === ring + 44);
    expect(dp.stats('a')).toMatchObject({ punted: ring, drop_punt_full: 44 });
    dp.drainEvents();
    expect(batches.map((b) => b.length)).toEqual([ring]);
    expect(batches[0]!.every((f) => f.port === 'a' && f.class === 'stp' && f.frame.equals(bpdu()))).toBe(true);
    expect(popAll(dp, 'b')).toEqual([]);
  });

  it('updatePort turns punting off again', () => {
    bridge(port('a', { classes: ['stp'] }), port('b'));
    dp.updatePort(port('a'));
    dp.memInject('a', bpdu());
    dp.pollOnce();
    expect(popAll(dp, 'b')).toEqual([bpdu()]);
    expect(() => dp.updatePort(port('a', { classes: ['bogus' as PuntClass] }))).toThrow('port a: punt.classes: unknown class bogus');
    expect(() => dp.updatePort(port('a', { classes: ['stp'], rate: -1 }))).toThrow('port a: punt.rate must be a positive integer');
    expect(() => dp.updatePort(port('a', { classes: ['stp'], rate: 0 }))).toThrow('port a: punt.rate');
  });

  it('inject sends a frame out of a port byte for byte, counted as injected and tx', () => {
    bridge(port('a'), port('b'));
    const f = Buffer.concat([ipv4Frame('02:00:00:00:00:0b', SRC), Buffer.from([1, 2, 3])]);
    expect(dp.inject('b', f)).toBe(true);
    pollUntil(dp, () => dp.stats('b').injected === 1);
    expect(popAll(dp, 'b')).toEqual([f]);
    expect(popAll(dp, 'a')).toEqual([]); // not switched: it leaves the port it was given
    expect(dp.stats('b')).toMatchObject({ injected: 1, tx_packets: 1, tx_bytes: f.length });
    expect(dp.fdb()).toEqual([]); // nor learned
  });

  it('inject refuses an unknown port and a frame shorter than an Ethernet header', () => {
    bridge(port('a'));
    expect(() => dp.inject('nope', bpdu())).toThrow('no port named nope');
    expect(() => dp.inject('a', Buffer.alloc(10))).toThrow('inject a: frame length 10 outside 14..');
    // The addon checks too (its own error names the argument).
    expect(() => (dp as unknown as { core: { inject(p: number, f: Buffer): boolean } }).core.inject(999, bpdu())).toThrow(
      'inject: port: no such port 999',
    );
  });

  it('a full inject ring refuses (false) and counts inject_full; later frames go out', () => {
    bridge(port('a'));
    const ring = loadAddon().punt.ring;
    let refused = 0;
    for (let i = 0; i <= ring; i++) if (!dp.inject('a', bpdu())) refused++;
    expect(refused).toBe(1);
    let sent = 0;
    pollUntil(dp, () => (sent += popAll(dp, 'a').length) === ring);
    expect(dp.stats('a')).toMatchObject({ injected: ring, inject_full: 1, tx_packets: ring });
  });

  it('with running workers: the wake-up delivers punts, and injected frames leave without stepping', async () => {
    dp = new Dataplane({ workers: 2, agingSeconds: 300, pollMs: 10 });
    dp.addBridge('br0', 1024);
    for (const name of ['a', 'b', 'c']) dp.addPort(port(name, { classes: ['stp', 'slow'] }));
    dp.start();
    const got = nextPunt(dp);
    dp.memInject('b', lacpdu());
    expect(await got).toEqual([{ port: 'b', class: 'slow', truncated: false, len: lacpdu().length, frame: lacpdu() }]);
    for (const name of ['a', 'b', 'c']) expect(dp.inject(name, bpdu())).toBe(true);
    const out = { a: [] as Buffer[], b: [] as Buffer[], c: [] as Buffer[] };
    await until('three injected frames sent', () => {
      for (const name of ['a', 'b', 'c'] as const) out[name].push(...popAll(dp, name));
      return Object.values(out).every((f) => f.length === 1);
    });
    expect(out).toEqual({ a: [bpdu()], b: [bpdu()], c: [bpdu()] });
    expect(['a', 'b', 'c'].map((n) => dp.stats(n).injected)).toEqual([1, 1, 1]);
  });
});
