// The control surface against a real hvswitchd in network namespaces: the CLI
// (tables and --json parsed and checked against each other and the traffic),
// API errors, live port add/remove while a ping between two unchanged hosts
// loses nothing, 100 concurrent API calls while traffic flows, the metrics
// endpoint against the port counters, SIGHUP and `daemon reload`, socket
// permissions, a live socket not stolen, a stale one replaced, removal on stop.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

import { call, connectApi, list, type ApiClient } from '../../src/api/client.js';
import { netnsGate, ping, ROOT, sleep, Topology, waitExit, type Daemon } from './helpers/netns.js';

const gate = netnsGate();
const pexec = promisify(execFile);

interface FdbRow { bridge: string; port: string; vlan: number; mac: string; static: boolean; age: number }
type Stats = Record<string, Record<string, number>>;

/** A ping running in the background; result() waits for it and parses the summary. */
function backgroundPing(topo: Topology, ns: string, addr: string, count: number, intervalS: number) {
  const p = topo.spawnIn(ns, ['ping', '-c', String(count), '-i', String(intervalS), '-W', '1', addr]);
  let out = '';
  p.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  return {
    async result() {
      await waitExit(p, count * intervalS * 1000 + 10_000);
      const m = /(\d+) packets transmitted, (\d+) received/.exec(out);
      return { sent: Number(m?.[1] ?? 0), received: Number(m?.[2] ?? -1), out };
    },
  };
}

/** Parses the OVS-style fdb table (single bridge: no bridge column). */
function parseFdbTable(text: string): { port: string; vlan: number; mac: string; age: string }[] {
  const [head, ...rows] = text.trimEnd().split('\n');
  expect(head).toBe(' port  VLAN  MAC                Age');
  return rows.map((r) => {
    const m = /^\s*(\S+)\s+(\d+)\s+([0-9a-f:]{17})\s+(\S+)$/.exec(r);
    expect(m, r).not.toBeNull();
    return { port: m![1]!, vlan: Number(m![2]), mac: m![3]!, age: m![4]! };
  });
}

describe.skipIf(gate.skip)(`API and CLI against hvswitchd${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  let sw: string, h1: string, h2: string, h3: string;
  let d: Daemon;
  let api: ApiClient;
  const p1 = topo.name('pa');
  const p2 = topo.name('pb');
  const p3 = topo.name('pc');
  const mac: Record<string, string> = {};
  const metricsPort = 19650 + (process.pid % 1000);
  let config: Record<string, unknown>;

  beforeAll(async () => {
    sw = await topo.ns('sw');
    h1 = await topo.ns('ha');
    h2 = await topo.ns('hb');
    h3 = await topo.ns('hc');
    await topo.veth(sw, p1, h1, 'eth0', '10.9.0.1/24');
    await topo.veth(sw, p2, h2, 'eth0', '10.9.0.2/24');
    await topo.veth(sw, p3, h3, 'eth0', '10.9.0.3/24');
    config = {
      bridges: { br0: {} },
      metrics: { listen: `127.0.0.1:${metricsPort}` },
      ports: {
        [p1]: { backend: 'af-packet', bridge: 'br0', vlan: 10 },
        [p2]: { backend: 'af-packet', bridge: 'br0', vlan: 10 },
      },
    };
    d = await topo.daemon(sw, config);
    await d.waitFor('API listening', 10_000);
    api = connectApi(d.socket);
    for (const ns of [h1, h2, h3]) mac[ns] = (await topo.exec(ns, ['cat', '/sys/class/net/eth0/address'])).stdout.trim();
  });
  afterAll(async () => {
    api?.close();
    await topo.destroy();
  });

  it('socket: 0600, and another user cannot use it (clear message, exit 3)', async () => {
    const st = lstatSync(d.socket);
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
    chmodSync(topo.tmp, 0o711); // let the other user reach the socket itself
    const r = await pexec('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, join(ROOT, 'dist/src/cli/main.js'), '--socket', d.socket, 'port', 'list']).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`hvswitch: cannot reach hvswitchd at ${d.socket}: permission denied (the socket is 0600: run as its owner, e.g. root)\n`);
  });

  it('fdb show: the table and --json agree, and show what the traffic taught', async () => {
    expect((await ping(topo, h1, '10.9.0.2', 2)).received).toBe(2);
    const table = parseFdbTable((await d.cli(['fdb', 'show'])).stdout);
    const json = await d.cliJson<FdbRow[]>(['fdb', 'show']);
    expect(json.map((e) => ({ port: e.port, vlan: e.vlan, mac: e.mac, age: e.static ? 'static' : String(e.age) })).map((e) => [e.port, e.vlan, e.mac])).toEqual(
      table.map((e) => [e.port, e.vlan, e.mac]),
    );
    expect(json).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ bridge: 'br0', port: p1, vlan: 10, mac: mac[h1], static: false }),
        expect.objectContaining({ bridge: 'br0', port: p2, vlan: 10, mac: mac[h2], static: false }),
      ]),
    );
    for (const e of json) expect(e.age).toBeLessThan(30);
    const onlyP2 = await d.cliJson<FdbRow[]>(['fdb', 'show', '--port', p2]);
    expect(onlyP2.map((e) => e.mac)).toEqual([mac[h2]]);
    expect(await d.cliJson<FdbRow[]>(['fdb', 'show', '--vlan', '20'])).toEqual([]);
  });

  it('fdb monitor: a flushed FDB is learned again, event by event', async () => {
    // the hosts forget their neighbors first: a stale ARP entry makes the kernel probe on its own,
    // which would teach the switch the MACs before the watcher is attached
    for (const ns of [h1, h2]) await topo.exec(ns, ['ip', 'neigh', 'flush', 'all']);
    await d.cli(['fdb', 'flush']);
    const attached = (d.output.match(/event watcher attached/g) ?? []).length;
    const mon = d.cli(['fdb', 'monitor', '--count', '2', '--json']);
    // the learning must happen after the watcher is attached: wait for the daemon to say so
    await d.waitForCount('event watcher attached', attached + 1, 15_000);
    expect((await ping(topo, h1, '10.9.0.2', 1)).received).toBe(1);
    const events = (await mon).stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { event: string; port: string; mac: string });
    expect(events.map((e) => [e.event, e.port, e.mac]).sort()).toEqual(
      [['learned', p1, mac[h1]], ['learned', p2, mac[h2]]].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
  });

  it('port list, stats and daemon info: tables and --json', async () => {
    const ports = await d.cliJson<{ name: string; backend: string; mode: string; bridge: string; vlan: number; macs: number }[]>(['port', 'list']);
    expect(ports.map((p) => [p.name, p.backend, p.mode, p.bridge, p.vlan])).toEqual(
      [[p1, 'af-packet', 'access', 'br0', 10], [p2, 'af-packet', 'access', 'br0', 10]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const t = (await d.cli(['port', 'list'])).stdout.trimEnd().split('\n');
    expect(t[0]).toMatch(/^port\s+backend\s+mode\s+bridge\s+VLAN\s+MACs\s+MTU\s+state$/);
    expect(t.slice(1).map((l) => l.split(/\s+/).slice(0, 5))).toEqual(ports.map((p) => [p.name, 'af-packet', 'access', 'br0', '10']));
    const stats = await d.cliJson<Stats>(['stats']);
    expect(Object.keys(stats).sort()).toEqual([p1, p2].sort());
    expect(stats[p1]!.rx_packets).toBeGreaterThanOrEqual(2);
    expect(stats[p1]).toHaveProperty('drop_runt');
    const one = await d.cliJson<Stats>(['stats', p1]);
    expect(Object.keys(one)).toEqual([p1]);
    const info = await d.cliJson<{ pid: number; ports: number; apiSocket: string; metricsListen: string; configFile: string }>(['daemon', 'info']);
    expect(info).toMatchObject({ pid: d.proc.pid, ports: 2, apiSocket: d.socket, metricsListen: `127.0.0.1:${metricsPort}`, configFile: d.configPath });
    expect((await d.cli(['daemon', 'info'])).stdout).toMatch(new RegExp(`^pid:\\s+${d.proc.pid}$`, 'm'));
  });

  it('API errors: the field is named, nothing is applied, exit codes by kind', async () => {
    const before = (await d.cli(['port', 'list', '--json'])).stdout;
    const bad = await d.cli(['port', 'add', p3, '--backend', 'af-packet', '--bridge', 'br0', '--mode', 'trunk', '--vlan', '10'], { allowFail: true });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      `hvswitch: ports.${p3}.vlan: not for trunk ports: use allowed-vlans and native-vlan; ports.${p3}.allowed-vlans: a trunk port needs at least one allowed VLAN\n`,
    );
    // an interface that does not exist (yet) is accepted: the port is absent until it appears (late-interface.test.ts)
    await d.cli(['port', 'add', 'nosuch0', '--backend', 'af-packet', '--bridge', 'br0']);
    expect((await d.cliJson<{ name: string; state: string }[]>(['port', 'list'])).find((p) => p.name === 'nosuch0')!.state).toBe('absent');
    await d.cli(['port', 'del', 'nosuch0']);
    const dup = await d.cli(['port', 'add', p1, '--backend', 'af-packet'], { allowFail: true });
    expect([dup.code, dup.stderr]).toEqual([1, `hvswitch: port '${p1}' exists\n`]);
    const nf = await d.cli(['fdb', 'del', 'br0', '10', '02:00:00:00:00:99'], { allowFail: true });
    expect(nf.code).toBe(4);
    expect((await d.cli(['port', 'list', '--json'])).stdout).toBe(before);
  });

  it('a ping between two unchanged hosts loses nothing while another port is added, changed and removed', async () => {
    const bg = backgroundPing(topo, h1, '10.9.0.2', 300, 0.02); // ~6 s
    await sleep(300);
    for (let i = 0; i < 3; i++) {
      await d.cli(['port', 'add', p3, '--backend', 'af-packet', '--bridge', 'br0', '--vlan', '10']);
      const r = await ping(topo, h3, '10.9.0.1', 2, ['-i', '0.1']);
      expect(r.received, r.output).toBe(2);
      await d.cli(['port', 'set', p3, '--vlan', '20']); // moved out of VLAN 10
      expect((await ping(topo, h3, '10.9.0.1', 1, ['-W', '0.3'])).received).toBe(0);
      await d.cli(['port', 'del', p3]);
    }
    const r = await bg.result();
    expect(r.sent, r.out).toBe(300);
    expect(r.received, r.out).toBe(300);
  });

  it('100 concurrent API calls while traffic flows: all answered, traffic undisturbed', async () => {
    await d.cli(['port', 'add', p3, '--backend', 'af-packet', '--bridge', 'br0', '--vlan', '10']);
    const bg = backgroundPing(topo, h1, '10.9.0.2', 150, 0.02);
    await sleep(200);
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 100; i++) {
      switch (i % 5) {
        case 0: calls.push(list(api.switch, 'ListFdb', {})); break;
        case 1: calls.push(list(api.switch, 'ListPortCounters', {})); break;
        case 2: calls.push(call(api.daemon, 'GetDaemonInfo', {})); break;
        case 3: calls.push(call(api.switch, 'AddFdb', { bridge: 'br0', port: p3, vlan: 10, mac: `02:00:00:00:aa:${(i % 256).toString(16).padStart(2, '0')}` })); break;
        case 4: calls.push(call(api.switch, 'UpdatePort', { port: { name: p3, macLimit: 100 + i }, updateMask: ['mac-limit'] })); break;
      }
    }
    const res = await Promise.allSettled(calls);
    expect(res.filter((r) => r.status === 'rejected')).toEqual([]);
    const statics = (await d.cliJson<FdbRow[]>(['fdb', 'show', '--port', p3])).filter((e) => e.static);
    expect(statics).toHaveLength(20);
    const ports = await d.cliJson<{ name: string; macLimit: number }[]>(['port', 'list']);
    expect(ports.find((p) => p.name === p3)!.macLimit).toBe(199);
    const r = await bg.result();
    expect(r.received, r.out).toBe(150);
    await d.cli(['port', 'del', p3]);
  });

  it('metrics: scraped series match the port counters', async () => {
    const scrape = async () =>
      (await topo.exec(sw, [process.execPath, '-e', `fetch('http://127.0.0.1:${metricsPort}/metrics').then(r=>r.text()).then(t=>process.stdout.write(t))`])).stdout;
    await ping(topo, h1, '10.9.0.2', 3, ['-i', '0.05']);
    await sleep(200);
    const s1 = await d.cliJson<Stats>(['stats']);
    const text = await scrape();
    const s2 = await d.cliJson<Stats>(['stats']);
    const val = (name: string, labels: string) => {
      const m = new RegExp(`^${name}\\{${labels.replace(/[{}]/g, '\\$&')}\\} (\\S+)$`, 'm').exec(text);
      expect(m, `${name}{${labels}}`).not.toBeNull();
      return Number(m![1]);
    };
    for (const port of [p1, p2]) {
      for (const [metric, counter] of [
        ['hvswitch_port_receive_packets_total', 'rx_packets'],
        ['hvswitch_port_receive_bytes_total', 'rx_bytes'],
        ['hvswitch_port_transmit_packets_total', 'tx_packets'],
        ['hvswitch_port_transmit_bytes_total', 'tx_bytes'],
        ['hvswitch_port_flooded_total', 'flooded'],
      ] as const) {
        const v = val(metric, `bridge="br0",port="${port}"`);
        expect(v, `${metric} ${port}`).toBeGreaterThanOrEqual(s1[port]![counter]!);
        expect(v, `${metric} ${port}`).toBeLessThanOrEqual(s2[port]![counter]!);
      }
      expect(val('hvswitch_port_receive_drop_total', `bridge="br0",port="${port}",reason="runt"`)).toBe(s2[port]!.drop_runt);
    }
    expect(s2[p1]!.rx_packets).toBeGreaterThan(0);
    const fdb = await d.cliJson<FdbRow[]>(['fdb', 'show', '--bridge', 'br0']);
    expect(val('hvswitch_fdb_entries', 'bridge="br0"')).toBe(fdb.length);
    expect(val('hvswitch_worker_loops_total', 'worker="0"')).toBeGreaterThan(0);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^hvswitch_up 1$/m);
  });

  it('SIGHUP and `daemon reload` apply the file; an invalid file is refused and the running config kept', async () => {
    const cfg = parse(readFileSync(d.configPath, 'utf8')) as typeof config;
    writeFileSync(d.configPath, stringify({ ...cfg, ports: { ...(cfg.ports as object), [p3]: { backend: 'af-packet', bridge: 'br0', vlan: 10 } } }));
    const n = (d.output.match(/config reloaded/g) ?? []).length;
    process.kill(d.proc.pid!, 'SIGHUP');
    for (let i = 0; i < 100 && (d.output.match(/config reloaded/g) ?? []).length === n; i++) await sleep(50);
    expect((await d.cliJson<{ name: string }[]>(['port', 'list'])).map((p) => p.name)).toContain(p3);
    expect((await ping(topo, h3, '10.9.0.2', 2)).received).toBe(2);
    // invalid: both paths refuse, naming the field; nothing changes
    writeFileSync(d.configPath, stringify({ ...cfg, ports: { [p1]: { backend: 'af-packet', bridge: 'br0', vlan: 9999 } } }));
    process.kill(d.proc.pid!, 'SIGHUP');
    await d.waitFor('reload refused', 5000);
    const r = await d.cli(['daemon', 'reload'], { allowFail: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`hvswitch: ports.${p1}.vlan: must be <= 4094\n`);
    expect((await d.cliJson<{ name: string }[]>(['port', 'list'])).map((p) => p.name).sort()).toEqual([p1, p2, p3].sort());
    // back to the original file through the CLI
    writeFileSync(d.configPath, stringify(cfg));
    const ok = await d.cliJson<{ portsRemoved: string[] }>(['daemon', 'reload']);
    expect(ok.portsRemoved).toEqual([p3]);
    expect((await ping(topo, h1, '10.9.0.2', 2)).received).toBe(2);
  });

  it('a live socket is not stolen; a stale one (daemon killed) is replaced; stop removes it', async () => {
    // a second daemon on the same socket refuses to start and leaves the first alone
    const second = await topo
      .exec(sw, [process.execPath, join(ROOT, 'dist/src/daemon/main.js'), '--config', d.configPath, '--socket', d.socket, '--metrics', `127.0.0.1:${metricsPort + 1}`], {
        allowFail: true,
        timeoutMs: 20_000,
      });
    expect(second.code).not.toBe(0);
    expect(second.stdout + second.stderr).toContain(`API socket ${d.socket} is in use by a running process`);
    expect((await d.cli(['daemon', 'info', '--json'])).code).toBe(0);
    // SIGKILL: the socket file stays behind
    d.proc.kill('SIGKILL');
    await waitExit(d.proc, 5000);
    expect(lstatSync(d.socket).isSocket()).toBe(true);
    const r = await d.cli(['port', 'list'], { allowFail: true });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('connection refused');
    // a new daemon replaces it
    d = await topo.daemon(sw, config);
    await d.waitFor('API listening', 10_000);
    expect(d.output).toContain('removed stale API socket');
    expect((await d.cliJson<{ name: string }[]>(['port', 'list'])).length).toBe(2);
    expect((await ping(topo, h1, '10.9.0.2', 2)).received).toBe(2);
    // SIGTERM: exit 0 and the socket is gone
    expect(await d.stop()).toBe(0);
    expect(existsSync(d.socket)).toBe(false);
  });
});
