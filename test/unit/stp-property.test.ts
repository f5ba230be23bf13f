/**
 * Properties of the clause 17 machines under random event sequences
 * (fast-check): two bridges with three links between them (so three
 * segments), RSTP on both or 802.1D on one, random priorities and costs, link
 * cuts and restores, BPDUs lost in one direction, time steps, foreign and
 * garbage frames. After every port state change:
 *  - no segment has two designated ports that both forward;
 *  - at most one segment forwards at both ends (no loop between the bridges);
 * and once the events stop, with every link up and nothing lost, the tree
 * converges to exactly one forwarding segment.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBpduFrame } from '../../src/l2gw/stp/bpdu.js';
import { bridgeId, portId } from '../../src/l2gw/stp/priority.js';
import { StpLab } from './stp-lab.js';

const LINKS = ['p1', 'p2', 'p3'];
/** CI runs one fixed sequence (a red run must be the code's, reproducible); STP_PROPERTY_SEED=random explores. */
const SEED = process.env.STP_PROPERTY_SEED === 'random' ? undefined : Number(process.env.STP_PROPERTY_SEED ?? 20261207);

type Ev =
  | { kind: 'advance'; ms: number }
  | { kind: 'cable'; link: number; up: boolean }
  | { kind: 'mute'; link: number; fromA: boolean; on: boolean }
  | { kind: 'garbage'; link: number; toA: boolean; bytes: Uint8Array }
  | { kind: 'inferior'; link: number; toA: boolean; cost: number };

const ev: fc.Arbitrary<Ev> = fc.oneof(
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 8_000 }) }),
  fc.record({ kind: fc.constant('cable' as const), link: fc.nat(2), up: fc.boolean() }),
  fc.record({ kind: fc.constant('mute' as const), link: fc.nat(2), fromA: fc.boolean(), on: fc.boolean() }),
  fc.record({ kind: fc.constant('garbage' as const), link: fc.nat(2), toA: fc.boolean(), bytes: fc.uint8Array({ maxLength: 50 }) }),
  fc.record({ kind: fc.constant('inferior' as const), link: fc.nat(2), toA: fc.boolean(), cost: fc.integer({ min: 1, max: 1_000_000 }) }),
);

function violations(lab: StpLab): string[] {
  const out: string[] = [];
  let loops = 0;
  for (const l of LINKS) {
    if (!lab.has(`A/${l}`) || !lab.has(`B/${l}`)) continue;
    const a = lab.port(`A/${l}`), b = lab.port(`B/${l}`);
    const fa = lab.state(`A/${l}`) === 'forwarding', fb = lab.state(`B/${l}`) === 'forwarding';
    if (fa && fb && a.role === 'designated' && b.role === 'designated') out.push(`${l}: two designated ports forwarding`);
    if (fa && fb) loops++;
  }
  if (loops > 1) out.push(`${loops} segments forwarding at both ends`);
  return out;
}

/** An inferior (worse root) designated RST BPDU from nowhere: it must change nothing. */
function inferiorFrame(cost: number): Buffer {
  return encodeBpduFrame('02:00:00:00:77:01', {
    type: 'rst', version: 2, tc: false, tcAck: false, proposal: true, role: 'designated', learning: false, forwarding: false, agreement: false,
    root: bridgeId(61440, 'ff:ff:ff:ff:ff:fe'), cost, bridge: bridgeId(61440, 'ff:ff:ff:ff:ff:fe'), port: portId(240, 4095),
    times: { messageAge: 0, maxAge: 20, helloTime: 2, forwardDelay: 15 },
  });
}

function apply(lab: StpLab, e: Ev, cut: Set<number>): void {
  const end = (link: number, a: boolean) => `${a ? 'A' : 'B'}/${LINKS[link]}`;
  switch (e.kind) {
    case 'advance': lab.clock.advance(e.ms); return;
    case 'cable':
      if (e.up === !cut.has(e.link)) return;
      if (e.up) cut.delete(e.link); else cut.add(e.link);
      lab.setCable(end(e.link, true), e.up);
      return;
    case 'mute':
      // one direction at a time: BPDUs lost both ways on a link that still carries
      // data look like no bridge behind either end (auto-edge makes both edge and
      // forwarding, 802.1D-2004 §17.25): no spanning tree can see that loop
      if (e.on && lab.mute.has(end(e.link, !e.fromA))) return;
      if (e.on) lab.mute.add(end(e.link, e.fromA)); else lab.mute.delete(end(e.link, e.fromA));
      return;
    case 'garbage': lab.inject(end(e.link, e.toA), Buffer.concat([Buffer.from('0180c2000000020000007701002a424203', 'hex'), Buffer.from(e.bytes)])); return;
    case 'inferior': if (!cut.has(e.link)) lab.inject(end(e.link, e.toA), inferiorFrame(e.cost)); return;
  }
}

describe('RSTP properties (fast-check)', () => {
  it('keeps one designated forwarder per segment and no loop under random events, then converges', () => {
    fc.assert(fc.property(
      fc.array(ev, { maxLength: 40 }), fc.constantFrom('rstp' as const, 'stp' as const),
      fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 2, maxLength: 2 }), fc.array(fc.constantFrom(2_000, 20_000, 200_000), { minLength: 3, maxLength: 3 }),
      (events, bMode, prios, costs) => {
        const lab = new StpLab();
        const seen: string[] = [];
        try {
          lab.bridge('A', { priority: prios[0]! * 4096 });
          lab.bridge('B', { priority: prios[1]! * 4096, mode: bMode });
          lab.onState = () => { for (const v of violations(lab)) seen.push(`t=${lab.clock.now()} ${v}`); };
          LINKS.forEach((l, i) => lab.connect(`A/${l}`, `B/${l}`, { pathCost: costs[i]! }));
          // one-way loss can only be caught by the dispute mechanism once both sides speak RSTP
          const cut = new Set<number>();
          for (const e of events) if (bMode === 'rstp' || e.kind !== 'mute') apply(lab, e, cut);
          expect(seen).toEqual([]);
          lab.mute.clear();
          for (const i of [...cut]) apply(lab, { kind: 'cable', link: i, up: true }, cut);
          lab.clock.advance(120_000);
          const both = LINKS.filter((l) => lab.state(`A/${l}`) === 'forwarding' && lab.state(`B/${l}`) === 'forwarding');
          expect(both).toHaveLength(1);
          expect(seen).toEqual([]);
        } finally {
          lab.stop();
        }
      }), { numRuns: 150, ...(SEED !== undefined ? { seed: SEED } : {}) });
  });

  it('the counterexample that once muted both directions of a link is now one-way loss only, and holds', () => {
    // seed 89994937 (fast-check): both ends of p1 muted, then 9 s: both ends had gone edge and forwarding
    const lab = new StpLab();
    try {
      lab.bridge('A', { priority: 0 });
      lab.bridge('B', { priority: 0, mode: 'rstp' });
      const seen: string[] = [];
      lab.onState = () => { for (const v of violations(lab)) seen.push(`t=${lab.clock.now()} ${v}`); };
      LINKS.forEach((l) => lab.connect(`A/${l}`, `B/${l}`, { pathCost: 2000 }));
      const cut = new Set<number>();
      for (const e of [{ kind: 'advance', ms: 3511 }, { kind: 'mute', link: 0, fromA: false, on: true }, { kind: 'mute', link: 0, fromA: true, on: true }, { kind: 'advance', ms: 5489 }] as Ev[]) apply(lab, e, cut);
      expect(lab.mute.size).toBe(1);
      lab.clock.advance(60_000);
      expect(seen).toEqual([]);
    } finally {
      lab.stop();
    }
  });
});
