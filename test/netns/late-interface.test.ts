// Missing or late interfaces (src/controller/port-presence.ts): an af-packet
// (then af-xdp) port whose veth does not exist when hvswitchd starts.  --check-config warns
// and exits 0, the daemon starts with the port absent (shown with its reason),
// the port attaches when the veth is created (rtnetlink RTM_NEWLINK) and
// forwards, goes absent again when the veth is deleted (RTM_DELLINK) with the
// daemon still serving, and forwards again when the veth comes back.
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { netnsGate, ping, ROOT, Topology, until, type Daemon } from './helpers/netns.js';

const gate = netnsGate();

interface PortRow { name: string; state: 'up' | 'absent'; reason: string | null; datapath: string | null }

// Both interface backends: an AF_XDP port leaves its UMEM group when its
// interface goes, and joins one again when it comes back (port_afxdp.c).
describe.skipIf(gate.skip).each(['af-packet', 'af-xdp'] as const)(`late interfaces, %s${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, (backend) => {
  const topo = new Topology();
  let sw: string, ha: string, hb: string;
  let d: Daemon;
  let hbMac = '';
  const pa = topo.name('la');
  const pb = topo.name('lb');
  const config = () => ({
    bridges: { br0: {} },
    metrics: { listen: '127.0.0.1:9650' },
    ports: {
      [pa]: { backend, bridge: 'br0', vlan: 10 },
      [pb]: { backend, bridge: 'br0', vlan: 10 },
    },
  });
  const portOf = async (name: string) => (await d.cliJson<PortRow[]>(['port', 'list'])).find((p) => p.name === name)!;
  const waitState = (name: string, state: PortRow['state']) =>
    until(`port ${name} ${state}`, async () => ((await portOf(name)).state === state ? true : null), 15_000);
  /** Pings until 3 of 3 come back (ARP and the FDB settle after a new veth). */
  const forwards = () => until('ping ha -> hb', async () => ((await ping(topo, ha, '10.7.0.2', 3)).received === 3 ? true : null), 20_000);
  const metric = async (line: string) => {
    const r = await topo.exec(sw, ['curl', '-s', 'http://127.0.0.1:9650/metrics']);
    return r.stdout.split('\n').find((l) => l.startsWith(line));
  };

  beforeAll(async () => {
    sw = await topo.ns('sw');
    ha = await topo.ns('ha');
    hb = await topo.ns('hb');
    await topo.veth(sw, pa, ha, 'eth0', '10.7.0.1/24');
    // pb's veth does not exist yet
    d = await topo.daemon(sw, config());
  });
  afterAll(async () => {
    await topo.destroy();
  });

  it('--check-config warns about the missing interface, naming the port and field, and exits 0', async () => {
    const r = await topo.exec(sw, [process.execPath, join(ROOT, 'dist/src/daemon/main.js'), '--check-config', d.configPath]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${d.configPath}: ok\n`);
    expect(r.stderr).toBe(`${d.configPath}: warning: ports.${pb}.backend: ${backend} interface '${pb}' does not exist (yet): the port stays absent until it appears\n`);
  });

  it('the daemon started; the port is absent with its reason (table, show, --json); the other is up', async () => {
    expect(await portOf(pb)).toMatchObject({ state: 'absent', reason: `interface ${pb} does not exist` });
    expect(await portOf(pa)).toMatchObject({ state: 'up', reason: null });
    const table = (await d.cli(['port', 'list'])).stdout.split('\n');
    expect(table[0]).toMatch(/\bstate$/);
    expect(table.find((l) => l.startsWith(pb))).toMatch(/\babsent$/);
    expect((await d.cli(['port', 'show', pb])).stdout).toMatch(new RegExp(`state: +absent: interface ${pb} does not exist`));
    expect(await metric('hvswitch_ports_absent')).toBe('hvswitch_ports_absent 1');
    expect(d.output).toContain('"reason":"interface ' + pb + ' does not exist","msg":"port absent"');
  });

  it('the veth is created: the port attaches and forwards', async () => {
    await topo.veth(sw, pb, hb, 'eth0', '10.7.0.2/24');
    hbMac = (await topo.exec(hb, ['cat', '/sys/class/net/eth0/address'])).stdout.trim();
    await waitState(pb, 'up');
    await forwards();
    expect(d.output).toContain('port attached: its interface appeared');
    expect(await metric('hvswitch_port_link_events_total{event="attach"}')).toBe('hvswitch_port_link_events_total{event="attach"} 1');
  });

  it('the veth is deleted: the port is absent again, the daemon keeps serving', async () => {
    await topo.exec(sw, ['ip', 'link', 'del', pb]);
    await waitState(pb, 'absent');
    expect((await portOf(pb)).reason).toBe(`interface ${pb} was deleted`);
    expect(d.proc.exitCode).toBeNull();
    expect(await portOf(pa)).toMatchObject({ state: 'up' });
    expect(await metric('hvswitch_port_link_events_total{event="detach"}')).toBe('hvswitch_port_link_events_total{event="detach"} 1');
    const r = await ping(topo, ha, '10.7.0.2', 1);
    expect(r.received).toBe(0);
  });

  it('the veth comes back: the port attaches again and forwards', async () => {
    await topo.veth(sw, pb, hb, 'eth0', '10.7.0.2/24');
    // as a restarted VM's interface: the same MAC behind it (ha's ARP entry stays right)
    await topo.exec(hb, ['ip', 'link', 'set', 'eth0', 'address', hbMac]);
    await waitState(pb, 'up');
    await forwards();
    expect(await metric('hvswitch_port_link_events_total{event="attach"}')).toBe('hvswitch_port_link_events_total{event="attach"} 2');
    expect(await metric('hvswitch_ports_absent')).toBe('hvswitch_ports_absent 0');
  });

  it('deleted and created again at once (one batch of events, a new ifindex): attached to the new interface', async () => {
    const script = [
      `ip link del ${pb}`,
      `ip link add ${pb} type veth peer name eth0 netns ${hb}`,
      `ip link set ${pb} up`,
      `ip -n ${hb} link set eth0 address ${hbMac}`,
      `ip -n ${hb} addr add 10.7.0.2/24 dev eth0`,
      `ip -n ${hb} link set eth0 up`,
    ].join(' && ');
    await topo.exec(sw, ['sh', '-c', script]);
    await until('re-attached', () => (d.output.split('port attached: its interface appeared').length - 1 === 3 ? true : null), 15_000);
    expect(await portOf(pb)).toMatchObject({ state: 'up' });
    const lent0 = (await d.cliJson<Record<string, Record<string, number>>>(['stats', pb]))[pb]!.tx_zero_copy!;
    await forwards();
    if (backend === 'af-xdp') {
      // on AF_XDP again, in a UMEM shared with pa's: pa's frames reach it without a copy
      expect((await portOf(pb)).datapath).toBe('af-xdp native copy');
      const lent = (await d.cliJson<Record<string, Record<string, number>>>(['stats', pb]))[pb]!.tx_zero_copy!;
      expect(lent - lent0).toBeGreaterThanOrEqual(3);
    }
    expect(await metric('hvswitch_port_link_events_total{event="detach"}')).toBe('hvswitch_port_link_events_total{event="detach"} 2');
  });
});

interface RouteRow { prefix: string; origin: string }

describe.skipIf(gate.skip)(`late interfaces, routed ports${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  let sw: string, h1: string, h2: string;
  let d: Daemon;
  const ra = topo.name('ra');
  const rb = topo.name('rb');
  const routes = async () => (await d.cliJson<RouteRow[]>(['route', 'show', '--vrf', 'red'])).map((r) => `${r.origin} ${r.prefix}`).sort();
  const portState = async () => (await d.cliJson<PortRow[]>(['port', 'list'])).find((p) => p.name === rb)!.state;

  beforeAll(async () => {
    sw = await topo.ns('sw');
    h1 = await topo.ns('h1');
    h2 = await topo.ns('h2');
    await topo.veth(sw, ra, h1, 'eth0', '10.8.1.2/24');
    await topo.exec(h1, ['ip', 'route', 'add', 'default', 'via', '10.8.1.1']);
    d = await topo.daemon(sw, {
      vrfs: { red: { routes: [{ to: '10.9.0.0/16', via: '10.8.2.2' }] } },
      ports: {
        [ra]: { backend: 'af-packet', mode: 'routed', vrf: 'red', addresses: ['10.8.1.1/24'] },
        [rb]: { backend: 'af-packet', mode: 'routed', vrf: 'red', addresses: ['10.8.2.1/24'] },
      },
    });
  });
  afterAll(async () => {
    await topo.destroy();
  });

  it('absent: its connected subnet and the static route through it are not in the FIB', async () => {
    expect(await portState()).toBe('absent');
    const r = await routes();
    expect(r).toContain('connected 10.8.1.0/24');
    expect(r).not.toContain('connected 10.8.2.0/24');
    expect(r).not.toContain('static 10.9.0.0/16');
  });

  it('attached: the routes come back and the VRF routes between the two ports', async () => {
    await topo.veth(sw, rb, h2, 'eth0', '10.8.2.2/24');
    await topo.exec(h2, ['ip', 'route', 'add', 'default', 'via', '10.8.2.1']);
    await until('rb up', async () => ((await portState()) === 'up' ? true : null), 15_000);
    const r = await routes();
    expect(r).toContain('connected 10.8.2.0/24');
    expect(r).toContain('static 10.9.0.0/16');
    await until('ping h1 -> h2 through the VRF', async () => ((await ping(topo, h1, '10.8.2.2', 3)).received === 3 ? true : null), 20_000);
  });

  it('detached: the routes through it are withdrawn again', async () => {
    await topo.exec(sw, ['ip', 'link', 'del', rb]);
    await until('rb absent', async () => ((await portState()) === 'absent' ? true : null), 15_000);
    const r = await routes();
    expect(r).not.toContain('connected 10.8.2.0/24');
    expect(r).not.toContain('static 10.9.0.0/16');
    expect(r).toContain('connected 10.8.1.0/24');
  });
});
