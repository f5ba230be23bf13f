/**
 * The 802.1AX-2008 §5.4 machines of src/l2gw/lacp in virtual time: bonds
 * wired back to back through in-memory links (each LACPDU crosses as the
 * bytes the codec produced), timers on a VirtualClock.
 */
import { describe, expect, it } from 'vitest';
import { LacpBond, type LacpBondConfig } from '../../src/l2gw/lacp/bond.js';
import { decodeLacpFrame, encodeLacpFrame, formatState, type Lacpdu } from '../../src/l2gw/lacp/pdu.js';
import { VirtualClock } from '../../src/util/clock.js';

interface Sent { at: number; bond: string; member: string; pdu: Lacpdu }
interface Change { at: number; bond: string; member: string; on: boolean }

/** A lab: bonds, cables between members, a log of every PDU and every distribution change. */
class Lab {
  readonly clock = new VirtualClock();
  readonly bonds = new Map<string, LacpBond>();
  readonly sent: Sent[] = [];
  readonly changes: Change[] = [];
  /** member "bond/port" → peer "bond/port" */
  private readonly cable = new Map<string, string>();
  /** directions whose frames are dropped ("bond/port" of the sender) */
  readonly mute = new Set<string>();

  bond(name: string, over: Partial<LacpBondConfig> = {}): LacpBond {
    const n = this.bonds.size + 1;
    const cfg: LacpBondConfig = { name, system: `02:00:00:00:00:0${n}`, systemPriority: 32768, key: 1, mode: 'active', rate: 'fast', ...over };
    const b = new LacpBond(cfg, {
      transmit: (member, frame) => this.carry(name, member, frame),
      distributing: (member, on) => this.changes.push({ at: this.clock.now(), bond: name, member, on }),
    }, this.clock);
    this.bonds.set(name, b);
    return b;
  }
  /** Cable member a of bond A to member b of bond B and bring both links up. */
  connect(a: string, b: string, portPriority = 32768): void {
    this.cable.set(a, b);
    this.cable.set(b, a);
    for (const end of [a, b]) {
      const [bond, port] = end.split('/') as [string, string];
      const bd = this.bonds.get(bond);
      if (!bd) continue; // a cable to nothing
      const idx = bd.members().length + 1;
      bd.addMember({ name: port, mac: `02:00:00:00:0${this.bonds.size}:${String(idx).padStart(2, '0')}`, port: idx, portPriority });
    }
    for (const end of [a, b]) { const [bond, port] = end.split('/') as [string, string]; this.bonds.get(bond)?.setLink(port, true); }
  }
  private carry(bond: string, member: string, frame: Buffer): void {
    const from = `${bond}/${member}`;
    this.sent.push({ at: this.clock.now(), bond, member, pdu: decodeLacpFrame(frame).pdu });
    const to = this.cable.get(from);
    if (!to || this.mute.has(from)) return;
    const [peerBond, peerPort] = to.split('/') as [string, string];
    this.bonds.get(peerBond)?.receive(peerPort, frame);
  }
  distributing(bond: string): string[] { return this.bonds.get(bond)!.distributing().sort(); }
}

function pair(aOver: Partial<LacpBondConfig> = {}, bOver: Partial<LacpBondConfig> = {}): Lab {
  const lab = new Lab();
  lab.bond('A', aOver);
  lab.bond('B', bOver);
  lab.connect('A/a1', 'B/b1');
  lab.connect('A/a2', 'B/b2');
  return lab;
}

describe('IEEE 802.1AX-2008 §5.4 back to back', () => {
  it('§5.4.15 active–active fast: both members collecting+distributing on both sides after Aggregate_Wait_Time', () => {
    const lab = pair();
    lab.clock.advance(1_999);
    expect(lab.distributing('A')).toEqual([]); // still WAITING (2 s)
    lab.clock.advance(1);
    expect(lab.distributing('A')).toEqual(['a1', 'a2']);
    expect(lab.distributing('B')).toEqual(['b1', 'b2']);
    const a1 = lab.bonds.get('A')!.member('a1');
    expect(formatState(a1.actor.state)).toBe('activity timeout aggregation synchronized collecting distributing');
    expect(formatState(a1.partner.state)).toBe('activity timeout aggregation synchronized collecting distributing');
    expect(a1.partner.system).toBe('02:00:00:00:00:02');
    expect(lab.bonds.get('A')!.aggregator.partner).toEqual({ system: '02:00:00:00:00:02', systemPriority: 32768, key: 1 });
  });

  it('§5.4.13 fast rate: one LACPDU per second per member once settled; slow rate: one per 30 s', () => {
    const fast = pair();
    fast.clock.advance(10_000);
    const n = fast.sent.filter((s) => s.bond === 'A' && s.member === 'a1' && s.at >= 5_000 && s.at < 10_000).length;
    expect(n).toBe(5);
    const slow = pair({ rate: 'slow' }, { rate: 'slow' });
    slow.clock.advance(10_000);
    expect(slow.distributing('A')).toEqual(['a1', 'a2']);
    slow.clock.advance(120_000);
    const m = slow.sent.filter((s) => s.bond === 'A' && s.member === 'a1' && s.at >= 10_000).length;
    expect(m).toBe(4);
  });

  it('§5.4.16 at most 3 LACPDUs in any Fast_Periodic_Time interval, during negotiation too', () => {
    const lab = pair();
    lab.clock.advance(20_000);
    for (const who of ['A/a1', 'A/a2', 'B/b1', 'B/b2']) {
      const times = lab.sent.filter((s) => `${s.bond}/${s.member}` === who).map((s) => s.at);
      for (let i = 3; i < times.length; i++) expect(times[i]! - times[i - 3]!).toBeGreaterThanOrEqual(1_000);
    }
  });

  it('§5.4.16 a burst of NTT events: 3 PDUs go at once, the 4th waits for the interval', () => {
    const lab = new Lab();
    const a = lab.bond('A');
    lab.connect('A/a1', 'X/x1'); // X does not exist: nothing answers
    const t0 = lab.clock.now();
    expect(lab.sent.length).toBe(1); // link up: DETACHED's NTT
    // each PDU claims a different view of us, so update_NTT sets NTT every time
    for (let i = 0; i < 10; i++) {
      const pdu: Lacpdu = {
        version: 1, collectorMaxDelay: 0,
        actor: { system: '02:00:00:00:00:99', systemPriority: 1, key: 7, portPriority: 1, port: 1, state: { ...a.member('a1').actor.state, synchronization: false } },
        partner: { system: '02:00:00:00:00:99', systemPriority: 1, key: i, portPriority: 1, port: 1, state: a.member('a1').actor.state },
      };
      a.receive('a1', encodeLacpFrame('02:00:00:00:00:99', pdu));
    }
    expect(lab.sent.filter((s) => s.at === t0).length).toBe(3);
    expect(a.member('a1').tx).toBe('held');
    lab.clock.advance(1_000);
    // the held PDU goes when the first is 1 s old, carrying the last view recorded
    const late = lab.sent.filter((s) => s.at === t0 + 1_000);
    expect(late.length).toBeGreaterThanOrEqual(1);
    expect(late[0]!.pdu.partner.key).toBe(7);
  });

  it('§5.4.12 partner stops sending: the member leaves after Short_Timeout_Time (3 × fast period); the other stays', () => {
    const lab = pair();
    lab.clock.advance(5_000);
    lab.mute.add('B/b1');
    const lastHeard = Math.max(...lab.sent.filter((s) => s.bond === 'B' && s.member === 'b1').map((s) => s.at));
    lab.clock.advance(10_000);
    const left = lab.changes.find((c) => c.bond === 'A' && c.member === 'a1' && !c.on)!;
    expect(left.at - lastHeard).toBe(3_000);
    expect(lab.distributing('A')).toEqual(['a2']);
    // a1's PDUs now say the partner is out of sync, so b1 leaves on the far side too
    expect(lab.distributing('B')).toEqual(['b2']);
    expect(lab.bonds.get('A')!.member('a1').rx).toBe('defaulted');
  });

  it('§5.4.12 slow rate: silence is tolerated for Long_Timeout_Time (90 s), not 3 s', () => {
    const lab = pair({ rate: 'slow' }, { rate: 'slow' });
    lab.clock.advance(10_000);
    lab.mute.add('B/b1');
    const lastHeard = Math.max(...lab.sent.filter((s) => s.bond === 'B' && s.member === 'b1').map((s) => s.at));
    lab.clock.advance(60_000);
    expect(lab.distributing('A')).toEqual(['a1', 'a2']);
    lab.clock.advance(60_000);
    const left = lab.changes.find((c) => c.bond === 'A' && c.member === 'a1' && !c.on)!;
    expect(left.at - lastHeard).toBe(90_000);
  });

  it('the partner comes back: the member rejoins', () => {
    const lab = pair();
    lab.clock.advance(5_000);
    lab.mute.add('B/b1');
    lab.clock.advance(10_000);
    expect(lab.distributing('A')).toEqual(['a2']);
    lab.mute.delete('B/b1');
    lab.clock.advance(10_000);
    expect(lab.distributing('A')).toEqual(['a1', 'a2']);
    expect(lab.distributing('B')).toEqual(['b1', 'b2']);
  });

  it('link down: the member leaves at once, not after a timeout', () => {
    const lab = pair();
    lab.clock.advance(5_000);
    const t = lab.clock.now();
    lab.bonds.get('A')!.setLink('a2', false);
    expect(lab.changes.find((c) => c.member === 'a2' && !c.on)?.at).toBe(t);
    expect(lab.distributing('A')).toEqual(['a1']);
  });

  it('active–passive aggregates: the passive side answers', () => {
    const lab = pair({ mode: 'active' }, { mode: 'passive' });
    lab.clock.advance(5_000);
    expect(lab.distributing('A')).toEqual(['a1', 'a2']);
    expect(lab.distributing('B')).toEqual(['b1', 'b2']);
    expect(lab.bonds.get('A')!.member('a1').partner.state.activity).toBe(false);
  });

  it('passive–passive never forms: no LACPDU is ever sent', () => {
    const lab = pair({ mode: 'passive' }, { mode: 'passive' });
    lab.clock.advance(300_000);
    expect(lab.sent).toEqual([]);
    expect(lab.distributing('A')).toEqual([]);
    expect(lab.distributing('B')).toEqual([]);
  });

  it('§5.4.14 mismatched keys: a partner presenting two keys gets only one member aggregated', () => {
    const lab = new Lab();
    lab.bond('A');
    lab.bond('B', { key: 1, system: '02:00:00:00:00:0b' });
    lab.bond('C', { key: 2, system: '02:00:00:00:00:0b' }); // same partner system, other key
    lab.connect('A/a1', 'B/b1');
    lab.connect('A/a2', 'C/c1');
    lab.clock.advance(20_000);
    expect(lab.distributing('A')).toEqual(['a1']);
    expect(lab.distributing('B')).toEqual(['b1']);
    expect(lab.distributing('C')).toEqual([]);
    expect(lab.bonds.get('A')!.member('a2').selected).toBe('unselected');
  });

  it('§5.4.14 two different partner systems never share the bond', () => {
    const lab = new Lab();
    lab.bond('A');
    lab.bond('B');
    lab.bond('C');
    lab.connect('A/a1', 'B/b1');
    lab.connect('A/a2', 'C/c1');
    lab.clock.advance(20_000);
    expect(lab.distributing('A')).toEqual(['a1']);
    expect(lab.distributing('C')).toEqual([]);
  });

  it('§5.6.1 the better system\'s port priority picks the partner, whoever was heard first', () => {
    const lab = new Lab();
    lab.bond('A'); // 02:00:00:00:00:01: the best System ID, so A's port priorities decide
    lab.bond('B');
    lab.bond('C');
    lab.connect('A/a1', 'B/b1', 200); // B is heard first…
    lab.connect('A/a2', 'C/c1', 100); // …but a2 has the better port priority
    lab.clock.advance(20_000);
    expect(lab.distributing('A')).toEqual(['a2']);
    expect(lab.distributing('C')).toEqual(['c1']);
    expect(lab.distributing('B')).toEqual([]);
  });

  it('§5.6.1 a member already distributing keeps the bond when a better link to another partner appears', () => {
    const lab = new Lab();
    lab.bond('A');
    lab.bond('B');
    lab.bond('C');
    lab.connect('A/a1', 'B/b1', 200);
    lab.clock.advance(5_000);
    lab.connect('A/a2', 'C/c1', 100);
    lab.clock.advance(20_000);
    expect(lab.distributing('A')).toEqual(['a1']);
    expect(lab.distributing('B')).toEqual(['b1']);
  });

  it('system priority, port priority and key reach the partner as configured', () => {
    const lab = new Lab();
    lab.bond('A', { systemPriority: 100, key: 33 });
    lab.bond('B');
    lab.connect('A/a1', 'B/b1', 200);
    lab.clock.advance(5_000);
    expect(lab.bonds.get('B')!.member('b1').partner).toMatchObject({ system: '02:00:00:00:00:01', systemPriority: 100, key: 33, port: 1, portPriority: 200 });
    expect(lab.bonds.get('B')!.aggregator.partner).toEqual({ system: '02:00:00:00:00:01', systemPriority: 100, key: 33 });
    expect(lab.distributing('B')).toEqual(['b1']);
  });

  it('a malformed frame is counted, not thrown, and changes nothing', () => {
    const lab = pair();
    lab.clock.advance(5_000);
    const a = lab.bonds.get('A')!;
    a.receive('a1', Buffer.alloc(30));
    expect(a.member('a1').counters.rxErrors).toBe(1);
    expect(lab.distributing('A')).toEqual(['a1', 'a2']);
  });
});
