// Two LACP bonds over a real Dataplane's memory ports (no root): each bond's
// LACPDUs leave through inject, cross a "cable" (memPop on one member,
// memInject on its peer) and reach the other bond through the punt ring
// (class slow). The workers are polled by hand and the bonds run on a
// VirtualClock, so the exchange is deterministic. Checked: both bonds reach
// collecting+distributing through the core's control-frame path, LACPDUs are
// never flooded to the bridge's other port, and cutting one cable makes that
// member leave after the 3 s short timeout.
import { afterEach, describe, expect, it } from 'vitest';

import { Dataplane, type PortSpec } from '../../src/dataplane/index.js';
import { LacpDataplaneBond } from '../../src/l2gw/lacp/dataplane-link.js';
import { SLOW_PROTOCOLS_ETHERTYPE } from '../../src/l2gw/lacp/pdu.js';
import { VirtualClock } from '../../src/util/clock.js';

const port = (name: string, slow: boolean): PortSpec => ({
  name, backend: 'memory', bridge: 'br0', mode: 'access', vlan: 10, allowedVlans: [], macLimit: 4096, mtu: 1500,
  punt: slow ? { classes: ['slow'] } : undefined,
});

describe('LACP over the punt ring and inject (memory ports)', () => {
  let dp: Dataplane;
  afterEach(() => dp.close());

  function lab() {
    dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    dp.addBridge('br0', 1024);
    for (const p of ['a1', 'a2', 'b1', 'b2']) dp.addPort(port(p, true));
    dp.addPort(port('vm', false));
    const clock = new VirtualClock();
    const mk = (name: string, n: number, members: string[]) => {
      const b = new LacpDataplaneBond(dp, { name, system: `02:00:00:00:00:0${n}`, systemPriority: 32768, key: 1, mode: 'active', rate: 'fast' }, { clock });
      members.forEach((m, i) => { b.bond.addMember({ name: m, mac: `02:00:00:00:0${n}:0${i + 1}`, port: i + 1, portPriority: 32768 }); b.bond.setLink(m, true); });
      return b;
    };
    const A = mk('A', 1, ['a1', 'a2']);
    const B = mk('B', 2, ['b1', 'b2']);
    const cables = new Map([['a1', 'b1'], ['b1', 'a1'], ['a2', 'b2'], ['b2', 'a2']]);
    const cut = new Set<string>();
    const toVm: Buffer[] = [];
    /** Run the wire and the workers for `ms` of virtual time, 50 ms a step. */
    const run = (ms: number) => {
      for (let t = 0; t < ms; t += 50) {
        dp.pollOnce(); // injected frames leave their member
        for (const [from, to] of cables) {
          for (let f = dp.memPop(from); f; f = dp.memPop(from)) if (!cut.has(from) && !cut.has(to)) dp.memInject(to, f);
        }
        dp.pollOnce(); // received frames are punted
        dp.drainEvents(); // → 'punt' → the bonds
        for (let f = dp.memPop('vm'); f; f = dp.memPop('vm')) toVm.push(f);
        clock.advance(50);
      }
    };
    return { A, B, run, cut, toVm, clock };
  }

  it('§5.4.15 both bonds reach collecting+distributing through the core; no LACPDU is flooded', () => {
    const { A, B, run, toVm } = lab();
    run(5_000);
    expect(A.bond.distributing().sort()).toEqual(['a1', 'a2']);
    expect(B.bond.distributing().sort()).toEqual(['b1', 'b2']);
    dp.pollOnce(); // the last injected PDUs leave
    expect(toVm.filter((f) => f.readUInt16BE(12) === SLOW_PROTOCOLS_ETHERTYPE)).toEqual([]);
    expect(dp.stats('a1').punted).toBeGreaterThan(3);
    expect(dp.stats('a1').injected).toBe(A.bond.member('a1').counters.txPdus);
    expect(A.injectRefused).toBe(0);
  });

  it('§5.4.12 a cut cable: that member leaves after 3 s, the other stays', () => {
    const { A, B, run, cut, clock } = lab();
    let lastHeard = -1;
    dp.on('punt', (frames) => { if (frames.some((f) => f.port === 'a1')) lastHeard = clock.now(); });
    run(5_000);
    cut.add('a1');
    let left = -1;
    for (let t = 0; t < 6_000 && left < 0; t += 50) {
      run(50);
      if (!A.bond.member('a1').distributing) left = clock.now();
    }
    // current_while (3 s) runs from the last LACPDU a1 heard; the wire is stepped every 50 ms
    expect(left - lastHeard).toBeGreaterThanOrEqual(3_000);
    expect(left - lastHeard).toBeLessThanOrEqual(3_050);
    expect(A.bond.distributing()).toEqual(['a2']);
    run(5_000);
    expect(B.bond.distributing()).toEqual(['b2']);
  });
});
