// Remote FDB entries (a MAC behind a tunnel endpoint, fdb.h) as the API and the
// CLI show them: the gRPC FdbEntry's kind and egress, `fdb show` in OVS's
// fdb/show layout (the Age column says "remote" as it says "static", the port
// column names the tunnel), and a MOVED event from a tunnel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { list } from '../../src/api/client.js';
import { fdbEventMessage } from '../../src/api/convert.js';
import type { FdbEntry__Output } from '../../src/api/gen/hvswitch/v1/FdbEntry.js';
import { runCli } from '../../src/cli/cli.js';
import { formatFdbEvent } from '../../src/cli/commands/fdb.js';
import { frame, startFixture, type Fixture } from './api-fixture.js';

const A = '02:00:00:00:00:0a';
const R = '02:00:00:00:00:7e';

async function cli(f: Fixture, ...args: string[]) {
  let out = '';
  const code = await runCli(['--socket', f.socket, ...args], { out: (s) => (out += s), err: () => undefined }, {});
  return { code, out };
}

describe('remote FDB entries through the API and the CLI', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture();
    const dp = f.controller.dataplane;
    dp.fdbAddRemote('br0', 10, R, { kind: 'tunnel', index: 3 });
    dp.memInject('m1', frame('ff:ff:ff:ff:ff:ff', A));
    dp.pollOnce();
  });
  afterAll(async () => {
    await f.close();
  });

  it('ListFdb: each entry has its kind; a remote one its egress and no port', async () => {
    const entries = (await list<typeof f.client.switch, object, { entry: FdbEntry__Output }>(f.client.switch, 'ListFdb', { bridge: 'br0' })).map((r) => r.entry);
    expect(entries).toEqual([
      { bridge: 'br0', port: 'm1', vlan: 10, mac: A, static: false, age: 0, kind: 'FDB_ENTRY_KIND_LEARNED', egress: null, vtep: '', vni: 0 },
      { bridge: 'br0', port: '', vlan: 10, mac: R, static: true, age: 0, kind: 'FDB_ENTRY_KIND_REMOTE', egress: { kind: 'EGRESS_KIND_TUNNEL', index: 3 }, vtep: '', vni: 0 },
    ]);
  });

  it('fdb show: "remote" in the Age column and the tunnel in the port column; --json with kind and egress', async () => {
    const t = await cli(f, 'fdb', 'show', '--bridge', 'br0');
    expect(t.out).toBe([' port  VLAN  MAC                Age', `   m1    10  ${A}    0`, `tunnel:3    10  ${R}  remote`, ''].join('\n'));
    expect(JSON.parse((await cli(f, 'fdb', 'show', '--bridge', 'br0', '--json')).out)).toEqual([
      { bridge: 'br0', port: 'm1', vlan: 10, mac: A, kind: 'learned', static: false, age: 0 },
      { bridge: 'br0', port: '', vlan: 10, mac: R, kind: 'remote', static: true, age: 0, egress: { kind: 'tunnel', index: 3 } },
    ]);
  });

  it('a MOVED event from a tunnel carries the old egress (FdbEvent.old_egress) and prints it', () => {
    const msg = fdbEventMessage({ kind: 'moved', bridge: 'br0', vlan: 10, mac: R, port: 'm2', oldEgress: { kind: 'tunnel', index: 3 } });
    expect(msg).toEqual({ type: 'FDB_EVENT_TYPE_MOVED', bridge: 'br0', vlan: 10, mac: R, port: 'm2', oldEgress: { kind: 'EGRESS_KIND_TUNNEL', index: 3 } });
    const out = { ...msg, oldPort: '', lost: 0, oldEgress: { kind: 'EGRESS_KIND_TUNNEL' as const, index: 3 } } as Parameters<typeof formatFdbEvent>[0];
    expect(formatFdbEvent(out)).toBe(`moved   ${R} vlan 10 bridge br0 port tunnel:3 -> m2`);
    expect(fdbEventMessage({ kind: 'moved', bridge: 'br0', vlan: 10, mac: A, port: 'm2', oldPort: 'm1' })).toEqual({
      type: 'FDB_EVENT_TYPE_MOVED', bridge: 'br0', vlan: 10, mac: A, port: 'm2', oldPort: 'm1',
    });
  });
});
