// Two spanning tree bridges over a real Dataplane's memory ports (no root):
// bridge domains br0 (ports a1, a2, avm) and br1 (b1, b2, bvm) cabled a1–b1
// and a2–b2, a loop. BPDUs leave through inject, cross the cable (memPop on
// one port, memInject on its peer) and reach the other bridge through the punt
// ring (class stp); the machines' port states are enforced by the core. The
// workers are polled by hand and the bridges run on a VirtualClock.
// Checked: the state names match the core's table; without spanning tree a
// broadcast circles the loop (the control case), with it the broadcast reaches
// bvm once; BPDUs are never flooded to the VM ports; a cut cable moves the
// traffic to the other link at once, with the FDB flushed.
import { afterEach, describe, expect, it } from 'vitest';

import { Dataplane, stpStates, type PortSpec } from '../../src/dataplane/index.js';
import { StpDataplaneBridge } from '../../src/l2gw/stp/dataplane-link.js';
import { VirtualClock } from '../../src/util/clock.js';

const port = (name: string, bridge: string, stp: boolean): PortSpec => ({
  name, backend: 'memory', bridge, mode: 'access', vlan: 10, allowedVlans: [], macLimit: 4096, mtu: 1500,
  punt: stp ? { classes: ['stp'] } : undefined,
});

function broadcast(src: string): Buffer {
  const f = Buffer.alloc(60);
  Buffer.from('ffffffffffff', 'hex').copy(f, 0);
  Buffer.from(src.replace(/:/g, ''), 'hex').copy(f, 6);
  f.writeUInt16BE(0x0806, 12);
  return f;
}

describe('spanning tree over the punt ring, inject and the core port states (memory ports)', () => {
  let dp: Dataplane;
  const bridges: StpDataplaneBridge[] = [];
  afterEach(() => { for (const b of bridges.splice(0)) b.close(); dp.close(); });

  function lab(withStp: boolean) {
    dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    dp.addBridge('br0', 1024);
    dp.addBridge('br1', 1024);
    for (const p of ['a1', 'a2']) dp.addPort(port(p, 'br0', withStp));
    for (const p of ['b1', 'b2']) dp.addPort(port(p, 'br1', withStp));
    dp.addPort(port('avm', 'br0', false));
    dp.addPort(port('bvm', 'br1', false));
    const clock = new VirtualClock();
    if (withStp) {
      const mk = (name: string, br: string, n: number, prio: number, ports: string[]) => {
        const b = new StpDataplaneBridge(dp, br, { name, mac: `02:00:00:00:00:0${n}`, priority: prio, mode: 'rstp' }, { clock });
        ports.forEach((p, i) => {
          b.bridge.addPort({ name: p, mac: `02:00:00:00:0${n}:0${i + 1}`, number: i + 1, priority: 128, pathCost: 2000, adminEdge: false, autoEdge: true, bpduGuard: false, rootGuard: false });
          b.bridge.setLink(p, true);
        });
        bridges.push(b);
        return b;
      };
      mk('A', 'br0', 1, 4096, ['a1', 'a2']);
      mk('B', 'br1', 2, 32768, ['b1', 'b2']);
    }
    const cables = new Map([['a1', 'b1'], ['b1', 'a1'], ['a2', 'b2'], ['b2', 'a2']]);
    const cut = new Set<string>();
    const atVm: Buffer[] = [];
    /** Run the wire and the workers for `ms` of virtual time, 50 ms a step. */
    const run = (ms: number) => {
      for (let t = 0; t < ms; t += 50) {
        dp.pollOnce();
        for (const [from, to] of cables) {
          for (let f = dp.memPop(from); f; f = dp.memPop(from)) if (!cut.has(from) && !cut.has(to)) dp.memInject(to, f);
        }
        dp.pollOnce();
        dp.drainEvents();
        for (let f = dp.memPop('bvm'); f; f = dp.memPop('bvm')) atVm.push(f);
        for (let f = dp.memPop('avm'); f; f = dp.memPop('avm')) atVm.push(f);
        clock.advance(50);
      }
    };
    return { run, cut, atVm, clock };
  }

  const broadcastsAtVm = (frames: Buffer[]) => frames.filter((f) => f.readUInt16BE(12) === 0x0806).length;

  it('declares the states the core knows', () => {
    dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    expect(stpStates.map((s) => s.name).sort()).toEqual(['discarding', 'forwarding', 'learning']);
  });

  it('control case: without spanning tree one broadcast circles the loop', () => {
    const { run, atVm } = lab(false);
    dp.memInject('avm', broadcast('02:00:00:00:aa:01'));
    run(1_000);
    expect(broadcastsAtVm(atVm)).toBeGreaterThan(10);
  });

  it('with RSTP one link forwards, a broadcast reaches the other side once, BPDUs never reach a VM port', () => {
    const { run, atVm } = lab(true);
    run(5_000);
    const states = ['a1', 'a2', 'b1', 'b2'].map((p) => dp.stpState(p));
    expect(states).toEqual(['forwarding', 'forwarding', 'forwarding', 'discarding']);
    atVm.length = 0;
    dp.memInject('avm', broadcast('02:00:00:00:aa:01'));
    run(2_000);
    expect(broadcastsAtVm(atVm)).toBe(1);
    expect(atVm.filter((f) => f.subarray(0, 6).toString('hex') === '0180c2000000')).toEqual([]);
    expect(dp.stats('b2').drop_stp_discarding).toBeGreaterThan(0); // the copy that came around the other way
    expect(dp.stats('a1').punted).toBeGreaterThan(0);
  });

  it('a cut cable moves the traffic to the other link at once and flushes', () => {
    const { run, atVm, cut } = lab(true);
    run(5_000);
    dp.memInject('bvm', broadcast('02:00:00:00:bb:01')); // learned on br0 via a1
    run(100);
    const flushed: Array<{ bridge?: string; port?: string }> = [];
    dp.on('flushed', (f) => flushed.push(f));
    expect(dp.fdb({ bridge: 'br0', port: 'a1' }).map((e) => e.mac)).toContain('02:00:00:00:bb:01');
    cut.add('a1');
    bridges[0]!.bridge.setLink('a1', false);
    bridges[1]!.bridge.setLink('b1', false);
    expect(dp.stpState('b2')).toBe('forwarding');
    atVm.length = 0;
    dp.memInject('avm', broadcast('02:00:00:00:aa:02'));
    run(200);
    expect(broadcastsAtVm(atVm)).toBe(1);
    // the port that left the tree flushed its entries (TCM INACTIVE)
    expect(flushed).toContainEqual({ bridge: 'br0', port: 'a1' });
    expect(dp.fdb({ bridge: 'br0' }).filter((e) => e.mac === '02:00:00:00:bb:01').map((e) => e.port)).not.toContain('a1');
  });
});
