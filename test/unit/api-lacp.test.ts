// The LACP operator surface in-process: a Controller whose config has a bond
// of two memory members with no partner behind the real API server.
// LacpService.GetLacp (all bonds, one, NOT_FOUND for an unknown one) and
// `hvswitch lacp show` (ovs-appctl lacp/show layout, --json, -q).  The
// negotiated state is covered by test/unit/bond-control.test.ts and, against
// Open vSwitch, test/netns/lacp-bond-ovs.test.ts.
import { status } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { call } from '../../src/api/client.js';
import type { GetLacpResponse__Output } from '../../src/api/gen/hvswitch/v1/GetLacpResponse.js';
import { runCli } from '../../src/cli/cli.js';
import { createMetrics } from '../../src/daemon/metrics.js';
import { startFixture, type Fixture } from './api-fixture.js';

const RAW = {
  bridges: { br0: {} },
  ports: { vm: { backend: 'memory', bridge: 'br0', vlan: 10 } },
  bonds: {
    bond0: {
      bridge: 'br0', vlan: 10, hash: 'l3l4',
      members: { e1: { backend: 'memory' }, e2: { backend: 'memory', 'port-priority': 100 } },
      lacp: { rate: 'fast', 'system-id': '02:00:00:00:00:42', key: 5, 'system-priority': 100 },
    },
  },
};

describe('LacpService and `hvswitch lacp show`', () => {
  let f: Fixture;
  beforeEach(async () => { f = await startFixture(RAW); });
  afterEach(async () => { await f.close(); });

  async function cli(...args: string[]) {
    let out = '', err = '';
    const code = await runCli(['--socket', f.socket, ...args], { out: (s) => (out += s), err: (s) => (err += s) }, {});
    return { code, out, err };
  }

  it('GetLacp: the bond, its members, actor information; NOT_FOUND names the bond', async () => {
    const r = await call<typeof f.client.lacp, object, GetLacpResponse__Output>(f.client.lacp, 'GetLacp', {});
    expect(r.bonds).toHaveLength(1);
    const b = r.bonds[0]!;
    expect(b).toMatchObject({ name: 'bond0', status: 'active', negotiated: false, systemId: '02:00:00:00:00:42', systemPriority: 100, key: 5, rate: 'LACP_RATE_FAST', hash: 'BOND_HASH_L3L4', fallback: false });
    expect(b.members.map((m) => [m.name, m.actor?.portId, m.actor?.portPriority, m.mayEnable])).toEqual([['e1', 1, 32768, false], ['e2', 2, 100, false]]);
    expect(b.members[0]!.actor!.state).toEqual(expect.arrayContaining(['activity', 'timeout', 'aggregation']));
    await expect(call(f.client.lacp, 'GetLacp', { bond: 'nope' })).rejects.toMatchObject({ code: status.NOT_FOUND, details: "no bond named 'nope'" });
  });

  it('lacp show: the ovs-appctl lacp/show layout, --json and -q', async () => {
    const t = await cli('lacp', 'show');
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/^---- bond0 ----\n  status: active\n  sys_id: 02:00:00:00:00:42\n  sys_priority: 100\n  aggregation key: 5\n  lacp_time: fast\n/);
    expect(t.out).toMatch(/\nmember: e1: (expired|defaulted|current|port-disabled) detached\n  port_id: 1\n  port_priority: 32768\n  may_enable: false\n/);
    expect(t.out).toMatch(/\n  actor state: activity timeout aggregation/);
    const j = JSON.parse((await cli('lacp', 'show', 'bond0', '--json')).out) as { name: string; rate: string; members: unknown[] }[];
    expect(j.map((b) => [b.name, b.rate, b.members.length])).toEqual([['bond0', 'fast', 2]]);
    expect((await cli('lacp', 'show', '-q')).out).toBe('bond0\n');
    expect((await cli('lacp', 'show', 'nope')).code).not.toBe(0);
  });
});

describe('LACP metrics', () => {
  it('member state and PDU counters per bond and member', async () => {
    const f = await startFixture(RAW);
    try {
      const text = await createMetrics(f.controller, 'test').metrics();
      expect(text).toContain('hvswitch_lacp_member_enabled{bond="bond0",member="e1"} 0');
      expect(text).toContain('hvswitch_lacp_member_partner_current{bond="bond0",member="e2"} 0');
      expect(text).toMatch(/hvswitch_lacp_pdus_total\{bond="bond0",member="e1",direction="tx"\} \d+/);
      expect(text).toContain('hvswitch_port_receive_drop_total{bridge="",port="e1",reason="bond_not_collecting"} 0');
    } finally {
      await f.close();
    }
  });
});
