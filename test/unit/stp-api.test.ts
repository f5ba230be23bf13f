// Spanning tree from config to CLI, in-process (no root): `bridges.br0.stp`
// and `ports.*.stp` validated with errors naming the field; a Controller of
// memory ports runs the bridge (StpControl), punts BPDUs of its ports, sets
// the core's port states; StpService.GetStp and `hvswitch stp show` (table,
// --json, -q, NOT_FOUND); a BPDU from a better root moves the root; BPDU guard
// trips on an edge port and `hvswitch stp reenable` clears it.
import { afterEach, describe, expect, it } from 'vitest';

import { EXIT, runCli } from '../../src/cli/cli.js';
import { ConfigError, normalizeConfig } from '../../src/controller/index.js';
import { encodeBpduFrame } from '../../src/l2gw/stp/bpdu.js';
import { bridgeId, portId } from '../../src/l2gw/stp/priority.js';
import { startFixture, type Fixture } from './api-fixture.js';

const STP = {
  bridges: { br0: { stp: { priority: 8192, mac: '02:00:00:00:5a:01' } }, br1: {} },
  ports: {
    gw1: { backend: 'memory', bridge: 'br0', vlan: 10, stp: { cost: 20000, 'root-guard': false } },
    gw2: { backend: 'memory', bridge: 'br0', vlan: 10 },
    vm1: { backend: 'memory', bridge: 'br0', vlan: 10, stp: { edge: true, 'bpdu-guard': true } },
    m3: { backend: 'memory', bridge: 'br1' },
  },
};

function problems(raw: object): string[] {
  try { normalizeConfig(raw); } catch (e) { if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`); throw e; }
  return [];
}

function bpdu(rootPriority: number): Buffer {
  const root = bridgeId(rootPriority, '02:00:00:00:77:00');
  return encodeBpduFrame('02:00:00:00:77:01', {
    type: 'rst', version: 2, tc: false, tcAck: false, proposal: true, role: 'designated', learning: false, forwarding: false, agreement: false,
    root, cost: 0, bridge: root, port: portId(128, 1), times: { messageAge: 0, maxAge: 20, helloTime: 2, forwardDelay: 15 },
  });
}

describe('spanning tree config', () => {
  it('resolves defaults: RSTP, TAP ports edge, numbered ports', () => {
    const c = normalizeConfig({ ...STP, ports: { ...STP.ports, tap1: { backend: 'tap', bridge: 'br0', vlan: 10 } } });
    expect(c.stp).toHaveLength(1);
    const s = c.stp![0]!;
    expect(s).toMatchObject({ bridge: 'br0', mode: 'rstp', priority: 8192, mac: '02:00:00:00:5a:01', helloTime: 2, maxAge: 20, forwardDelay: 15 });
    expect(s.ports.map((p) => [p.name, p.number, p.edge, p.cost])).toEqual([
      ['gw1', 1, false, 20000], ['gw2', 2, false, 2000], ['tap1', 3, true, 2000], ['vm1', 4, true, 2000],
    ]);
  });

  it('refuses bad settings naming the field', () => {
    expect(problems({ ...STP, bridges: { br0: { stp: { priority: 1000 } }, br1: {} } })).toEqual(['bridges.br0.stp.priority: must be a multiple of 4096 (0, 4096, ... 61440), got 1000']);
    expect(problems({ ...STP, bridges: { br0: { stp: { mode: 'mstp' } }, br1: {} } })[0]).toMatch(/^bridges\.br0\.stp\.mode: must be one of "rstp", "stp"/);
    expect(problems({ ...STP, bridges: { br0: { stp: { 'max-age': 30, 'forward-delay': 10 } }, br1: {} } })[0]).toMatch(/^bridges\.br0\.stp\.max-age: must be at most 2 × \(forward-delay − 1\) = 18/);
    expect(problems({ ...STP, ports: { ...STP.ports, gw2: { backend: 'memory', bridge: 'br0', stp: { priority: 100 } } } })).toEqual(['ports.gw2.stp.priority: must be a multiple of 16 (0, 16, ... 240), got 100']);
    expect(problems({ ...STP, ports: { ...STP.ports, gw2: { backend: 'memory', bridge: 'br0', stp: { cost: 0 } } } })[0]).toMatch(/^ports\.gw2\.stp\.cost: /);
    expect(problems({ ...STP, ports: { ...STP.ports, m3: { backend: 'memory', bridge: 'br1', stp: { edge: true } } } })).toEqual([
      'ports.m3.stp: the port\'s bridge (br1) runs no spanning tree: set bridges.br1.stp',
    ]);
    expect(problems({ ...STP, ports: { ...STP.ports, gw2: { backend: 'memory', bridge: 'br0', stp: { colour: 'red' } } } })).toEqual(['ports.gw2.stp.colour: unknown field']);
  });
});

describe('spanning tree API and CLI', () => {
  let f: Fixture;
  afterEach(async () => { await f?.close(); });

  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '', err = '';
    const code = await runCli(['--socket', f.socket, ...args], { out: (s) => (out += s), err: (s) => (err += s) }, {});
    return { code, out, err };
  }
  const dp = () => f.controller.dataplane;
  /** Frames in, workers polled, punts delivered (the 'punt' event), injected BPDUs out. */
  function receive(port: string, frame: Buffer): void {
    dp().memInject(port, frame);
    dp().pollOnce();
    dp().drainEvents();
    dp().pollOnce();
  }

  it('shows the bridge as root, its ports designated; edge port forwarding, others discarding until agreed', async () => {
    f = await startFixture(STP);
    const r = await cli('stp', 'show', '--json');
    expect(r.code).toBe(EXIT.ok);
    const [b] = JSON.parse(r.out) as Array<{ bridge: string; bridgeId: string; rootId: string; rootPort: string; ports: Array<{ name: string; role: string; state: string; edge: boolean; cost: number }> }>;
    expect(b).toMatchObject({ bridge: 'br0', bridgeId: '8192.02:00:00:00:5a:01', rootId: '8192.02:00:00:00:5a:01', rootPort: '' });
    expect(b!.ports.map((p) => [p.name, p.role, p.state, p.cost])).toEqual([
      ['gw1', 'designated', 'discarding', 20000], ['gw2', 'designated', 'discarding', 2000], ['vm1', 'designated', 'forwarding', 2000],
    ]);
    expect(dp().stpState('gw1')).toBe('discarding');
    expect(dp().stpState('vm1')).toBe('forwarding');
    expect(dp().stpState('m3')).toBe('forwarding'); // br1 runs no spanning tree
    const table = await cli('stp', 'show', 'br0');
    expect(table.out).toMatch(/Bridge ID: +8192\.02:00:00:00:5a:01/);
    expect(table.out).toMatch(/Root ID: +8192\.02:00:00:00:5a:01 \(this bridge\)/);
    expect(table.out).toMatch(/vm1 +designated +forwarding +2000 +128\.3 +yes +bpdu/);
    expect((await cli('stp', 'show', '-q')).out).toBe('br0\n');
    const missing = await cli('stp', 'show', 'br1');
    expect(missing.code).not.toBe(EXIT.ok);
    expect(missing.err).toMatch(/bridge 'br1' runs no spanning tree/);
  });

  it('takes a better root heard on a gateway port through the punt ring', async () => {
    f = await startFixture(STP);
    receive('gw2', bpdu(0));
    const [b] = JSON.parse((await cli('stp', 'show', '--json')).out) as Array<{ rootId: string; rootPort: string; rootCost: number }>;
    expect(b).toMatchObject({ rootId: '0.02:00:00:00:77:00', rootPort: 'gw2', rootCost: 2000 });
    expect(dp().stats('gw2').punted).toBe(1);
    // the proposal was agreed at once: gw2 forwards, and our agreement left through inject
    expect(dp().stpState('gw2')).toBe('forwarding');
    expect(dp().stats('gw2').injected).toBeGreaterThan(0);
  });

  it('BPDU guard disables the edge port that hears a BPDU; stp reenable clears it', async () => {
    f = await startFixture(STP);
    receive('vm1', bpdu(4096));
    const r = JSON.parse((await cli('stp', 'show', '--json')).out) as Array<{ rootId: string; ports: Array<{ name: string; errDisabled: boolean; state: string; counters: Record<string, number> }> }>;
    const vm1 = r[0]!.ports.find((p) => p.name === 'vm1')!;
    expect(vm1).toMatchObject({ errDisabled: true, state: 'discarding' });
    expect(vm1.counters.bpdu_guard_trips).toBe(1);
    expect(r[0]!.rootId).toBe('8192.02:00:00:00:5a:01');
    expect(dp().stpState('vm1')).toBe('discarding');
    expect((await cli('stp', 'show')).out).toMatch(/vm1 .*bpdu-guard-disabled/);
    expect((await cli('stp', 'reenable', 'br0', 'vm1')).code).toBe(EXIT.ok);
    expect(dp().stpState('vm1')).toBe('forwarding');
    expect((await cli('stp', 'reenable', 'br0', 'nope')).code).not.toBe(EXIT.ok);
  });
});
