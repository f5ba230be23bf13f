/**
 * The IEEE 802.1D-2004 clause 17 machines of src/l2gw/stp in virtual time
 * (stp-lab.ts): two bridges with two links between them, RSTP on both or
 * 802.1D on one (protocol migration), the proposal/agreement handshake,
 * failover on a link cut and on lost BPDUs, topology change flushes, edge
 * ports, BPDU guard and root guard.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBpduFrame } from '../../src/l2gw/stp/bpdu.js';
import { bridgeId, portId } from '../../src/l2gw/stp/priority.js';
import { StpLab } from './stp-lab.js';

let lab: StpLab;
afterEach(() => lab?.stop());

/** A (priority 4096, the root) and B, cabled p1–p1 and p2–p2. */
function twoLinks(bMode: 'rstp' | 'stp' = 'rstp'): StpLab {
  lab = new StpLab();
  lab.bridge('A', { priority: 4096 });
  lab.bridge('B', { mode: bMode });
  lab.connect('A/p1', 'B/p1');
  lab.connect('A/p2', 'B/p2');
  return lab;
}

const forwardingLinks = (l: StpLab) => ['p1', 'p2'].filter((p) => l.state(`A/${p}`) === 'forwarding' && l.state(`B/${p}`) === 'forwarding');

describe('RSTP between two bridges', () => {
  it('converges at once by proposal/agreement: B/p1 root, B/p2 alternate discarding', () => {
    twoLinks();
    // no timer has run yet: forwarding comes from the handshake, not from forward delay
    expect(lab.clock.now()).toBe(0);
    expect(lab.port('B/p1').role).toBe('root');
    expect(lab.port('B/p2').role).toBe('alternate');
    expect(lab.port('A/p1').role).toBe('designated');
    expect(forwardingLinks(lab)).toEqual(['p1']);
    expect(lab.state('B/p2')).toBe('discarding');
    lab.clock.advance(60_000);
    expect(forwardingLinks(lab)).toEqual(['p1']);
    expect(lab.bridges.get('B')!.env.rootPriority.root).toBe(bridgeId(4096, '02:00:00:00:00:01'));
    expect(lab.bridges.get('B')!.env.rootPriority.cost).toBe(20_000);
  });

  it('A proposes, B agrees on its root port, A forwards on the agreement', () => {
    twoLinks();
    const aP1 = lab.sent.filter((s) => s.bridge === 'A' && s.port === 'p1');
    const bP1 = lab.sent.filter((s) => s.bridge === 'B' && s.port === 'p1');
    const proposal = aP1.findIndex((s) => s.bpdu.proposal && s.bpdu.role === 'designated');
    expect(proposal).toBeGreaterThanOrEqual(0);
    const agreement = bP1.find((s) => s.bpdu.agreement && s.bpdu.role === 'root');
    expect(agreement).toBeDefined();
    // after the agreement A's p1 says it forwards
    expect(aP1.some((s) => s.bpdu.forwarding && s.bpdu.role === 'designated')).toBe(true);
    expect(lab.sent.every((s) => s.bpdu.type === 'rst')).toBe(true);
  });

  it('moves to the alternate port at once when the root port link is cut, and back when restored', () => {
    twoLinks();
    const t0 = lab.clock.now();
    lab.setCable('A/p1', false);
    expect(lab.clock.now() - t0).toBe(0);
    expect(lab.port('B/p2').role).toBe('root');
    expect(forwardingLinks(lab)).toEqual(['p2']);
    // B's new root port forwarding is a topology change: A's other ports flush
    expect(lab.flushes).toContain('A/p1');
    lab.setCable('A/p1', true);
    lab.clock.advance(10_000);
    expect(forwardingLinks(lab)).toEqual(['p1']);
    expect(lab.state('B/p2')).toBe('discarding');
  });

  it('ages out the root port information after 3 hello times without BPDUs (a silent link)', () => {
    twoLinks();
    lab.mute.add('A/p1');
    lab.clock.advance(5_000);
    expect(lab.port('B/p1').role).toBe('root');
    lab.clock.advance(2_000);
    expect(lab.port('B/p2').role).toBe('root');
    expect(lab.state('B/p2')).toBe('forwarding');
  });

  it('picks the root port by cost before port ID', () => {
    lab = new StpLab();
    lab.bridge('A', { priority: 4096 });
    lab.bridge('B');
    lab.connect('A/p1', 'B/p1', { pathCost: 200_000 });
    lab.connect('A/p2', 'B/p2', { pathCost: 2_000 });
    expect(lab.port('B/p2').role).toBe('root');
    expect(lab.port('B/p1').role).toBe('alternate');
  });

  it('makes a port cabled back to the same bridge a backup port', () => {
    lab = new StpLab();
    lab.bridge('A');
    lab.connect('A/p1', 'A/p2');
    lab.clock.advance(40_000);
    const roles = [lab.port('A/p1').role, lab.port('A/p2').role].sort();
    expect(roles).toEqual(['backup', 'designated']);
    expect([lab.state('A/p1'), lab.state('A/p2')].filter((s) => s === 'forwarding')).toHaveLength(1);
  });
});

describe('802.1D fallback (protocol migration)', () => {
  it('speaks 802.1D to an STP bridge and forwards only after two forward delays', () => {
    twoLinks('stp');
    // CHECKING_RSTP holds RSTP for MigrateTime (3 s), then the next 802.1D BPDU switches the port
    lab.clock.advance(6_000);
    expect(lab.port('A/p1').sendRSTP).toBe(false);
    lab.sent.length = 0;
    lab.clock.advance(4_000);
    // p1 heard B's Configuration BPDUs; p2 faces B's blocked port, which is silent, so it keeps RSTP
    expect(lab.sent.filter((s) => s.bridge === 'A' && s.port === 'p1').map((s) => s.bpdu.type)).toEqual(['config', 'config']);
    lab.clock.advance(10_000);
    expect(forwardingLinks(lab)).toEqual([]);
    lab.clock.advance(40_000);
    expect(forwardingLinks(lab)).toEqual(['p1']);
    expect(lab.state('B/p2')).toBe('discarding');
  });

  it('acknowledges an 802.1D TCN with TC Ack and flushes', () => {
    twoLinks('stp');
    lab.clock.advance(60_000);
    lab.sent.length = 0;
    lab.flushes.length = 0;
    lab.setCable('A/p1', false); // B's root port dies; p2 takes over after 30 s, then B signals TCN
    lab.clock.advance(40_000);
    expect(forwardingLinks(lab)).toEqual(['p2']);
    expect(lab.sent.some((s) => s.bridge === 'B' && s.bpdu.type === 'tcn')).toBe(true);
    expect(lab.sent.some((s) => s.bridge === 'A' && s.bpdu.tcAck)).toBe(true);
  });

  it('returns to RSTP when the STP neighbour is replaced by an RSTP one (mcheck)', () => {
    twoLinks('stp');
    lab.clock.advance(6_000);
    expect(lab.port('A/p1').sendRSTP).toBe(false);
    lab.bridges.get('A')!.mcheck('p1');
    expect(lab.port('A/p1').sendRSTP).toBe(true);
    lab.clock.advance(5_000); // the STP bridge still answers in 802.1D: back to STP
    expect(lab.port('A/p1').sendRSTP).toBe(false);
  });
});

describe('edge ports and guards', () => {
  it('forwards on an edge port at once; a BPDU makes it a normal port', () => {
    lab = new StpLab();
    lab.bridge('A');
    lab.addPort('A/vm1', { adminEdge: true });
    lab.link('A/vm1', true);
    expect(lab.state('A/vm1')).toBe('forwarding');
    expect(lab.port('A/vm1').operEdge).toBe(true);
    lab.bridge('B', { priority: 4096 });
    lab.addPort('B/p1');
    lab.link('B/p1', true);
    const bpdu = lab.sent.find((s) => s.bridge === 'B')!.bpdu;
    lab.inject('A/vm1', encodeBpduFrame('02:00:00:00:99:01', bpdu));
    expect(lab.port('A/vm1').operEdge).toBe(false);
    expect(lab.port('A/vm1').role).toBe('root');
  });

  it('BPDU guard disables an edge port that hears a BPDU, logs and counts it; reenable restores it', () => {
    lab = new StpLab();
    lab.bridge('A');
    lab.addPort('A/vm1', { adminEdge: true, bpduGuard: true });
    lab.link('A/vm1', true);
    expect(lab.state('A/vm1')).toBe('forwarding');
    const frame = encodeBpduFrame('02:00:00:00:99:01', {
      type: 'config', version: 0, tc: false, tcAck: false, proposal: false, role: 'designated', learning: false, forwarding: false,
      agreement: false, root: bridgeId(0, '02:00:00:00:99:00'), cost: 0, bridge: bridgeId(0, '02:00:00:00:99:00'), port: portId(128, 1),
      times: { messageAge: 0, maxAge: 20, helloTime: 2, forwardDelay: 15 },
    });
    lab.inject('A/vm1', frame);
    const p = lab.port('A/vm1');
    expect(p.errDisabled).toBe(true);
    expect(p.counters.bpduGuardTrips).toBe(1);
    expect(lab.state('A/vm1')).toBe('discarding');
    expect(lab.logs).toEqual([expect.objectContaining({ kind: 'bpdu-guard', port: 'vm1' })]);
    // the guarded port never took the BPDU's root
    expect(lab.bridges.get('A')!.env.rootPriority.root).toBe(lab.bridges.get('A')!.env.bridgeId);
    lab.bridges.get('A')!.reenable('vm1');
    expect(lab.state('A/vm1')).toBe('forwarding');
  });

  it('root guard keeps a port from the root role on a superior BPDU (alternate, discarding) and logs it', () => {
    lab = new StpLab();
    lab.bridge('A');
    lab.bridge('B', { priority: 0 });
    lab.addPort('A/gw', { rootGuard: true });
    lab.connect('A/gw', 'B/p1');
    const a = lab.bridges.get('A')!;
    expect(a.env.rootPriority.root).toBe(a.env.bridgeId);
    expect(lab.port('A/gw').role).toBe('alternate');
    expect(lab.state('A/gw')).toBe('discarding');
    expect(lab.port('A/gw').counters.rootGuardBlocks).toBe(1);
    expect(lab.logs.filter((l) => l.kind === 'root-guard')).toHaveLength(1);
    // B stops claiming root (its link goes away): the block clears
    lab.setCable('A/gw', false);
    expect(lab.logs.some((l) => l.kind === 'root-guard-cleared')).toBe(true);
  });

  it('counts and drops malformed BPDUs and its own looped BPDUs without a state change', () => {
    twoLinks();
    const before = lab.port('B/p1').prt;
    lab.inject('B/p1', Buffer.from('0180c200000002000000990100264242030001', 'hex'));
    expect(lab.port('B/p1').counters.rxErrors).toBe(1);
    const own = lab.sent.find((s) => s.bridge === 'B' && s.port === 'p2')!;
    lab.inject('B/p2', encodeBpduFrame('02:00:00:00:02:02', own.bpdu));
    expect(lab.port('B/p2').counters.rxLooped).toBe(1);
    expect(lab.port('B/p1').prt).toBe(before);
    expect(forwardingLinks(lab)).toEqual(['p1']);
  });
});
