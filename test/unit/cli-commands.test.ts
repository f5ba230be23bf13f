// The hvswitch CLI in-process (runCli) against a real in-process API over
// memory ports: table layouts, --json shapes, -q, exit codes and messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EXIT, runCli } from '../../src/cli/cli.js';
import { counterNames } from '../../src/dataplane/index.js';
import { frame, startFixture, type Fixture } from './api-fixture.js';

async function cli(f: Fixture | { socket: string }, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(['--socket', f.socket, ...args], { out: (s) => (out += s), err: (s) => (err += s) }, {});
  return { code, out, err };
}

const A = '02:00:00:00:00:0a';
const B = '02:00:00:00:00:0b';

describe('hvswitch CLI', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  it('port list: table, --json, -q', async () => {
    const t = await cli(f, 'port', 'list');
    expect(t.code).toBe(0);
    expect(t.out.split('\n')).toEqual([
      'port  backend  mode    bridge  VLAN   MACs   MTU  state',
      'm1    memory   access  br0     10        0  1500  up',
      'm2    memory   access  br0     10        0  1500  up',
      'm3    memory   access  br1     1         0  1500  up',
      't1    memory   trunk   br0     10,20     0  1500  up',
      '',
    ]);
    const j = JSON.parse((await cli(f, 'port', 'list', '--json')).out);
    expect(j[3]).toEqual({
      name: 't1', backend: 'memory', mode: 'trunk', bridge: 'br0', vlan: null, allowedVlans: [10, 20], nativeVlan: null,
      macLimit: 4096, mtu: 1500, vrf: null, addresses: [], mac: null, vmMac: null, id: expect.any(Number), created: false, macs: 0,
      state: 'up', reason: null, datapath: null, fallback: null,
    });
    expect((await cli(f, 'port', 'list', '-q')).out).toBe('m1\nm2\nm3\nt1\n');
  });

  it('fdb show: OVS header and rows, filters, --json array, static shown as static', async () => {
    const dp = f.controller.dataplane;
    dp.memInject('m1', frame('ff:ff:ff:ff:ff:ff', A));
    dp.memInject('t1', frame('ff:ff:ff:ff:ff:ff', '02:00:00:00:00:0c', 20));
    dp.pollOnce();
    expect((await cli(f, 'fdb', 'add', 'br0', 'm2', '10', B)).code).toBe(0);
    const t = await cli(f, 'fdb', 'show', '--bridge', 'br0');
    const lines = t.out.trimEnd().split('\n');
    expect(lines[0]).toBe(' port  VLAN  MAC                Age');
    expect(lines.slice(1)).toEqual([`   m1    10  ${A}    0`, `   m2    10  ${B}  static`, `   t1    20  02:00:00:00:00:0c    0`]);
    const j = JSON.parse((await cli(f, 'fdb', 'show', '--json')).out);
    expect(j).toEqual([
      { bridge: 'br0', port: 'm1', vlan: 10, mac: A, kind: 'learned', static: false, age: 0 },
      { bridge: 'br0', port: 'm2', vlan: 10, mac: B, kind: 'static', static: true, age: 0 },
      { bridge: 'br0', port: 't1', vlan: 20, mac: '02:00:00:00:00:0c', kind: 'learned', static: false, age: 0 },
    ]);
    expect(JSON.parse((await cli(f, 'fdb', 'show', '--vlan', '20', '--json')).out).map((e: { mac: string }) => e.mac)).toEqual(['02:00:00:00:00:0c']);
    expect(JSON.parse((await cli(f, 'fdb', 'show', '--port', 'm2', '--json')).out).map((e: { mac: string }) => e.mac)).toEqual([B]);
    expect((await cli(f, 'fdb', 'show', '-q', '--vlan', '10')).out).toBe(`${A}\n${B}\n`);
    // entries in several bridges: a leading bridge column
    dp.memInject('m3', frame('ff:ff:ff:ff:ff:ff', '02:00:00:00:00:0d'));
    dp.pollOnce();
    const all = (await cli(f, 'fdb', 'show')).out.split('\n');
    expect(all[0]).toBe('bridge  port  VLAN  MAC                Age');
    expect(all).toContain('br1       m3     1  02:00:00:00:00:0d    0');
    // flush keeps the static entry
    const fl = await cli(f, 'fdb', 'flush', 'br0', '--json');
    expect(JSON.parse(fl.out)).toEqual({ flushed: 2 });
    expect(JSON.parse((await cli(f, 'fdb', 'show', '--bridge', 'br0', '--json')).out)).toHaveLength(1);
    expect((await cli(f, 'fdb', 'del', 'br0', '10', B)).code).toBe(0);
    expect((await cli(f, 'fdb', 'flush')).out).toBe('flushed 1 entry\n');
  });

  it('stats: --json keyed by port with the core counter names; one port lists every counter', async () => {
    const j = JSON.parse((await cli(f, 'stats', '--json')).out) as Record<string, Record<string, number>>;
    expect(Object.keys(j)).toEqual(['m1', 'm2', 'm3', 't1']);
    expect(Object.keys(j.m1!)).toEqual(counterNames.map((c) => c.name));
    expect(j.m1).toEqual(f.controller.dataplane.stats('m1'));
    expect(JSON.parse((await cli(f, 'stats', 'm1', '--json')).out)).toEqual({ m1: f.controller.dataplane.stats('m1') });
    const one = (await cli(f, 'stats', 'm1')).out.split('\n');
    expect(one[0]).toMatch(/^counter\s+value\s+meaning$/);
    expect(one.find((l) => l.startsWith('rx_packets'))).toMatch(/^rx_packets\s+1\s+frames received$/);
    const all = (await cli(f, 'stats')).out.split('\n');
    expect(all[0]).toMatch(/^port\s+RX packets\s+RX bytes\s+TX packets\s+TX bytes\s+drops\s+flooded$/);
    expect(all[1]).toMatch(/^m1\s+1\s+60\s+\d+\s+\d+\s+0\s+1$/);
    expect((await cli(f, 'stats', 'nope')).code).toBe(EXIT.notFound);
  });

  it('port add / set / show / del, bridge add / list / del', async () => {
    expect(await cli(f, 'bridge', 'add', 'br7', '--max-macs', '256')).toMatchObject({ code: 0, err: '' });
    expect(await cli(f, 'port', 'add', 'p7', '--backend', 'memory', '--bridge', 'br7', '--vlan', '7')).toMatchObject({ code: 0, err: '' });
    expect((await cli(f, 'port', 'set', 'p7', '--mode', 'trunk', '--allowed-vlans', '7,100-102', '--native-vlan', '7')).code).toBe(0);
    const show = JSON.parse((await cli(f, 'port', 'show', 'p7', '--json')).out);
    expect(show).toMatchObject({ name: 'p7', mode: 'trunk', bridge: 'br7', allowedVlans: [7, 100, 101, 102], nativeVlan: 7, counters: { rx_packets: 0 } });
    expect((await cli(f, 'port', 'show', 'p7')).out).toContain('VLAN:      7,100-102 native 7');
    const bl = (await cli(f, 'bridge', 'list')).out.split('\n');
    expect(bl[0]).toBe('bridge  MACs  max MACs  ports');
    expect(bl).toContain('br7        0       256  p7');
    expect(JSON.parse((await cli(f, 'bridge', 'list', '--json')).out).find((b: { name: string }) => b.name === 'br7')).toEqual({
      name: 'br7', maxMacs: 256, ports: ['p7'], macs: 0,
    });
    const busy = await cli(f, 'bridge', 'del', 'br7');
    expect(busy).toMatchObject({ code: EXIT.failed, err: "hvswitch: bridge 'br7' still has ports: p7 (delete them or move them first)\n" });
    expect((await cli(f, 'port', 'del', 'p7')).code).toBe(0);
    expect((await cli(f, 'bridge', 'del', 'br7')).code).toBe(0);
    expect((await cli(f, 'bridge', 'list', '-q')).out).toBe('br0\nbr1\n');
  });

  it('errors: message on stderr naming the field, exit codes by kind, no stack traces', async () => {
    const bad = await cli(f, 'port', 'add', 'p8', '--backend', 'memory', '--bridge', 'nope');
    expect(bad).toMatchObject({ code: EXIT.usage, out: '' });
    expect(bad.err).toBe("hvswitch: ports.p8.bridge: no bridge named 'nope' (bridges: br0, br1)\n");
    expect(await cli(f, 'port', 'del', 'nope')).toMatchObject({ code: EXIT.notFound, err: "hvswitch: no port named 'nope'\n" });
    expect(await cli(f, 'port', 'add', 'm1', '--backend', 'memory')).toMatchObject({ code: EXIT.failed, err: "hvswitch: port 'm1' exists\n" });
    expect(await cli(f, 'fdb', 'show', '--vlan', '5000')).toMatchObject({ code: EXIT.usage, err: 'hvswitch: vlan: must be 1-4094\n' });
    expect(await cli(f, 'port', 'set', 'm1')).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('give at least one setting') });
    expect((await cli(f, 'port', 'add', 'x', '--backend', 'vhost')).code).toBe(EXIT.usage);
    expect((await cli(f, 'nonsense')).code).toBe(EXIT.usage);
    const help = await cli(f, 'fdb', 'show', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--bridge <bridge>');
    for (const r of [bad]) expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('fdb monitor: learned and moved events as they happen, --json lines, --count stops', async () => {
    const dp = f.controller.dataplane;
    dp.fdbFlush({ includeStatic: true });
    const base = dp.listenerCount('mac');
    const mon = cli(f, 'fdb', 'monitor', '--bridge', 'br0', '--count', '3', '--json');
    const text = cli(f, 'fdb', 'monitor', '--count', '1');
    for (let i = 0; i < 100 && dp.listenerCount('mac') < base + 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(dp.listenerCount('mac')).toBe(base + 2);
    const E = '02:00:00:00:00:0e';
    dp.memInject('m1', frame('ff:ff:ff:ff:ff:ff', E));
    dp.memInject('m3', frame('ff:ff:ff:ff:ff:ff', '02:00:00:00:00:0f')); // br1: filtered out of the first monitor
    dp.pollOnce();
    dp.drainEvents();
    dp.memInject('m2', frame('ff:ff:ff:ff:ff:ff', E));
    dp.memInject('m2', frame('ff:ff:ff:ff:ff:ff', '02:00:00:00:00:10'));
    dp.pollOnce();
    dp.drainEvents();
    const r = await mon;
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual([
      { event: 'learned', bridge: 'br0', port: 'm1', vlan: 10, mac: E },
      { event: 'moved', bridge: 'br0', port: 'm2', vlan: 10, mac: E, oldPort: 'm1' },
      { event: 'learned', bridge: 'br0', port: 'm2', vlan: 10, mac: '02:00:00:00:00:10' },
    ]);
    expect((await text).out).toBe(`learned ${E} vlan 10 bridge br0 port m1\n`);
    // the watchers are detached once the streams are cancelled
    for (let i = 0; i < 100 && dp.listenerCount('mac') > base; i++) await new Promise((r) => setTimeout(r, 10));
    expect(dp.listenerCount('mac')).toBe(base);
    expect((await cli(f, 'fdb', 'monitor', '--bridge', 'nope')).code).toBe(EXIT.notFound);
  });

  it('a daemon that is not running: a clear message and exit code 3', async () => {
    const r = await cli({ socket: `${f.dir}/nothing-here.sock` }, 'port', 'list');
    expect(r).toMatchObject({ code: EXIT.unreachable, out: '' });
    expect(r.err).toBe(`hvswitch: cannot reach hvswitchd: ${f.dir}/nothing-here.sock does not exist (is hvswitchd running? --socket picks another daemon)\n`);
  });

  it('daemon info (table and --json), reload, log-level', async () => {
    const t = (await cli(f, 'daemon', 'info')).out;
    expect(t).toMatch(/^version:\s+\d+\.\d+\.\d+$/m);
    expect(t).toMatch(new RegExp(`^api socket:\\s+${f.socket}$`, 'm'));
    expect(t).toMatch(/^ports:\s+4$/m);
    const j = JSON.parse((await cli(f, 'daemon', 'info', '--json')).out);
    expect(j).toMatchObject({ pid: process.pid, ports: 4, bridges: 2, apiSocket: f.socket, configFile: f.configFile });
    expect((await cli(f, 'daemon', 'reload')).out).toBe('reloaded: no change\n');
    expect((await cli(f, 'daemon', 'log-level', 'warn')).code).toBe(0);
    expect(f.controller.log.level).toBe('warn');
  });
});
