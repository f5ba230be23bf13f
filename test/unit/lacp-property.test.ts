/**
 * Properties of the 802.1AX machines under random event sequences (fast-check):
 * link flaps, lost PDUs, foreign or corrupted PDUs and time steps on two bonds
 * wired back to back never throw, and after every step the invariants the
 * standard promises hold:
 *  - a member distributes only if it is SELECTED, its mux is in
 *    COLLECTING_DISTRIBUTING, its link is up and its partner is in sync (§5.4.15);
 *  - no member sends more than 3 LACPDUs in any 1 s (§5.4.16);
 *  - passive–passive never sends anything (§5.4.13);
 *  - once the events stop and the links are up, both bonds converge to all
 *    members collecting+distributing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LacpBond, type LacpBondConfig } from '../../src/l2gw/lacp/bond.js';
import { encodeLacpFrame, stateFromByte } from '../../src/l2gw/lacp/pdu.js';
import { VirtualClock } from '../../src/util/clock.js';

type Ev =
  | { kind: 'advance'; ms: number }
  | { kind: 'link'; end: number; up: boolean }
  | { kind: 'drop'; end: number; on: boolean }
  | { kind: 'foreign'; end: number; key: number; state: number }
  | { kind: 'garbage'; end: number; bytes: Uint8Array };

const ev: fc.Arbitrary<Ev> = fc.oneof(
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 5_000 }) }),
  fc.record({ kind: fc.constant('link' as const), end: fc.nat(3), up: fc.boolean() }),
  fc.record({ kind: fc.constant('drop' as const), end: fc.nat(3), on: fc.boolean() }),
  fc.record({ kind: fc.constant('foreign' as const), end: fc.nat(3), key: fc.nat(3), state: fc.nat(255) }),
  fc.record({ kind: fc.constant('garbage' as const), end: fc.nat(3), bytes: fc.uint8Array({ maxLength: 130 }) }),
);

/** ends 0,1 = A/a1, A/a2; 2,3 = B/b1, B/b2; cable i ↔ i+2 */
function wire(modeA: LacpBondConfig['mode'], modeB: LacpBondConfig['mode'], rate: LacpBondConfig['rate']) {
  const clock = new VirtualClock();
  const tx: Array<{ end: number; at: number }> = [];
  const muted = new Set<number>();
  const ends: Array<[LacpBond, string]> = [];
  const peer = (end: number) => (end + 2) % 4;
  const mk = (name: string, n: number, mode: LacpBondConfig['mode']) =>
    new LacpBond({ name, system: `02:00:00:00:00:0${n}`, systemPriority: 32768, key: 1, mode, rate }, {
      transmit: (member, frame) => {
        const end = ends.findIndex(([b, m]) => b.config.name === name && m === member);
        tx.push({ end, at: clock.now() });
        if (muted.has(end)) return;
        const [pb, pm] = ends[peer(end)]!;
        pb.receive(pm, frame);
      },
    }, clock);
  const A = mk('A', 1, modeA);
  const B = mk('B', 2, modeB);
  ends.push([A, 'a1'], [A, 'a2'], [B, 'b1'], [B, 'b2']);
  ends.forEach(([b, m], i) => b.addMember({ name: m, mac: `02:00:00:00:0${i}:01`, port: (i % 2) + 1, portPriority: 32768 }));
  ends.forEach(([b, m]) => b.setLink(m, true));
  return { clock, tx, muted, ends, A, B };
}

function checkInvariants(w: ReturnType<typeof wire>): void {
  for (const b of [w.A, w.B]) {
    for (const p of b.members()) {
      if (p.distributing) {
        expect(p.selected).toBe('selected');
        expect(p.mux).toBe('collecting-distributing');
        expect(p.enabled).toBe(true);
        expect(p.partner.state.synchronization).toBe(true);
      }
    }
  }
  for (let end = 0; end < 4; end++) {
    const t = w.tx.filter((x) => x.end === end).map((x) => x.at);
    for (let i = 3; i < t.length; i++) expect(t[i]! - t[i - 3]!).toBeGreaterThanOrEqual(1_000);
  }
}

function apply(w: ReturnType<typeof wire>, e: Ev): void {
  const [b, m] = w.ends[e.kind === 'advance' ? 0 : e.end]!;
  switch (e.kind) {
    case 'advance': w.clock.advance(e.ms); break;
    case 'link': b.setLink(m, e.up); break;
    case 'drop': if (e.on) w.muted.add(e.end); else w.muted.delete(e.end); break;
    case 'foreign': {
      const info = { system: '02:00:00:00:00:77', systemPriority: 1, key: e.key, portPriority: 1, port: 9, state: stateFromByte(e.state) };
      b.receive(m, encodeLacpFrame('02:00:00:00:00:77', { version: 1, collectorMaxDelay: 0, actor: info, partner: { ...info, key: 1 } }));
      break;
    }
    case 'garbage': b.receive(m, e.bytes); break;
  }
}

describe('802.1AX machines under random events', () => {
  it('invariants hold after every event, and the bonds converge once the events stop', () => {
    fc.assert(fc.property(fc.array(ev, { maxLength: 40 }), fc.constantFrom('fast' as const, 'slow' as const), (events, rate) => {
      const w = wire('active', 'active', rate);
      for (const e of events) {
        apply(w, e);
        checkInvariants(w);
      }
      // heal: links up, nothing muted; a foreign partner is forgotten after its timeout
      w.muted.clear();
      w.ends.forEach(([b, m]) => b.setLink(m, true));
      w.clock.advance(200_000);
      checkInvariants(w);
      expect(w.A.distributing().sort()).toEqual(['a1', 'a2']);
      expect(w.B.distributing().sort()).toEqual(['b1', 'b2']);
    }), { numRuns: 300 });
  });

  it('passive–passive sends nothing whatever the links and the clock do', () => {
    fc.assert(fc.property(fc.array(ev.filter((e) => e.kind !== 'foreign'), { maxLength: 40 }), (events) => {
      const w = wire('passive', 'passive', 'fast');
      for (const e of events) apply(w, e);
      w.clock.advance(200_000);
      expect(w.tx).toEqual([]);
      expect(w.A.distributing()).toEqual([]);
    }), { numRuns: 200 });
  });
});
