// The EVPN operator surface in-process: a Controller whose config has a VTEP
// on 127.0.0.1 (a free UDP port), an embedded BGP speaker (listen-port 0) and
// one EVPN instance, behind the real API server.  EvpnService.GetEvpn (VTEP,
// underlay counters, the instance with its RD/RTs/VNI, no remote VTEPs yet,
// inactive before the speaker starts; filters and refusals naming the field),
// `hvswitch evpn show` (table, --json shape, -q), `fdb show` naming a VXLAN
// remote entry by VTEP and VNI (and an instance's by its MAC mobility
// sequence number), the type-2 routes of a deleted port's MACs
// withdrawn, the EVPN and VXLAN metrics, and the raw
// config round trip that keeps EVPN across API edits, and a VTEP address the
// host does not have refused naming the field.  The underlay is UDP sockets on
// 127.0.0.1: no root needed.
// Remote VTEPs need a second hypervisor; their ordering and rendering are
// tested over a controller stand-in.
import { createSocket } from 'node:dgram';

import { status } from '@grpc/grpc-js';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { call } from '../../src/api/client.js';
import { toRawConfig } from '../../src/api/convert.js';
import { evpnMessage } from '../../src/api/evpn-service.js';
import type { EvpnServiceClient } from '../../src/api/gen/hvswitch/v1/EvpnService.js';
import type { GetEvpnResponse__Output } from '../../src/api/gen/hvswitch/v1/GetEvpnResponse.js';
import { EXIT, renderEvpn, runCli } from '../../src/cli/cli.js';
import { Controller, normalizeConfig } from '../../src/controller/index.js';
import { createMetrics, UNDERLAY_COUNTERS } from '../../src/daemon/metrics.js';
import { BASE, frame, startFixture, type Fixture } from './api-fixture.js';
import { until } from '../wait.js';
import { bgpConfig } from './api-bgp-fixture.js';
import { parseExposition } from './exposition.js';


const EVI = { vlan: 10, vni: 10010, rd: '10.0.0.1:10', 'route-targets': ['65000:10010'] };

/** The instance of EVI as GetEvpn and `evpn show --json` give it (running, nothing learned yet). */
const INSTANCE = {
  bridge: 'br0',
  vlan: 10,
  vni: 10010,
  rd: '10.0.0.1:10',
  importRouteTargets: ['rt:65000:10010'],
  exportRouteTargets: ['rt:65000:10010'],
  active: true,
  localMacs: 0,
  remoteMacs: 0,
  remoteVteps: [],
  duplicateDetections: 0,
  duplicateMacs: [],
};

function evpnConfig(port: number): object {
  return {
    ...BASE,
    ...bgpConfig('10.0.0.1'),
    vtep: { address: '127.0.0.1', port },
    bridges: { br0: { evpn: [EVI] }, br1: {} },
  };
}

/** A UDP port nobody uses right now on 127.0.0.1. */
function freeUdpPort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createSocket('udp4');
    s.once('error', rej);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function cli(f: Fixture, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(['--socket', f.socket, ...args], { out: (s) => (out += s), err: (s) => (err += s) }, {});
  return { code, out, err };
}

describe('a VTEP address the host does not have', () => {
  it('is refused when applied, naming the field (the underlay sockets bind to it)', async () => {
    const raw = { ...bgpConfig('10.0.0.1'), vtep: { address: '203.0.113.1' }, bridges: { br0: { evpn: [EVI] } } };
    const config = normalizeConfig(raw);
    const c = new Controller(config, pino({ level: 'silent' }));
    try {
      await expect(c.apply(config)).rejects.toThrow(/^vtep\.address: 203\.0\.113\.1 cannot be used: .*bind/);
    } finally {
      c.close();
    }
  });
});

describe('config round trip', () => {
  it('vtep and bridges.<name>.evpn survive toRawConfig (API edits keep EVPN)', () => {
    const c = normalizeConfig(evpnConfig(4789));
    expect(c.evpn).toHaveLength(1);
    expect(normalizeConfig(toRawConfig(c))).toEqual(c);
  });
});

describe('evpnMessage and evpn show with remote VTEPs (a controller stand-in: no underlay needed)', () => {
  const cfg = (vlan: number, vni: number) => ({ bridge: 'br0', vlan, vni, rd: `10.0.0.1:${vni}`, importRts: [`rt:65000:${vni}`], exportRts: [`rt:65000:${vni}`] });
  const fake = {
    running: { evpn: [cfg(20, 10020), cfg(10, 10010)], bridges: [{ name: 'br0' }] },
    dataplane: { vtep: () => ({ address: '192.0.2.1', port: 4789, mtu: 1500 }), vtepStats: () => ({ encap: 7, decap: 9, drop_unknown_vni: 2, drop_bad_vxlan: 0 }) },
    evpn: {
      manager: {
        list: () => [
          {
            cfg: cfg(10, 10010),
            localMacs: 3,
            remoteMacs: 5,
            vteps: [
              { vtep: '192.0.2.10', vni: 10010, flood: true, macs: 2 },
              { vtep: '2001:db8::1', vni: 10010, flood: false, macs: 1 },
              { vtep: '192.0.2.9', vni: 10010, flood: true, macs: 2 },
            ],
            dupDetections: 3,
            frozen: [
              { mac: '02:00:00:00:00:0d', at: '192.0.2.9', local: false, moves: 5, ignored: 2, secondsLeft: 170 },
              { mac: '02:00:00:00:00:0e', at: '192.0.2.1', local: true, moves: 5, ignored: 0, secondsLeft: 9 },
            ],
          },
        ],
      },
    },
  } as unknown as Controller;

  it('instances by bridge and VLAN, running ones with their remote VTEPs in address order, the others inactive', () => {
    const m = evpnMessage(fake);
    expect(m.vtep).toEqual({ address: '192.0.2.1', port: 4789, mtu: 1500, counters: { encap: 7, decap: 9, drop_unknown_vni: 2, drop_bad_vxlan: 0 } });
    expect(m.instances!.map((i) => [i.vlan, i.active, i.localMacs, i.remoteMacs])).toEqual([[10, true, 3, 5], [20, false, 0, 0]]);
    expect(m.instances![0]!.remoteVteps!.map((v) => v.address)).toEqual(['192.0.2.9', '192.0.2.10', '2001:db8::1']);
    expect(evpnMessage(fake, { vni: 10020 }).instances!.map((i) => i.vni)).toEqual([10020]);
    expect(m.instances!.map((i) => [i.duplicateDetections, i.duplicateMacs!.length])).toEqual([[3, 2], [0, 0]]);
    expect(m.instances![0]!.duplicateMacs![0]).toEqual({ mac: '02:00:00:00:00:0d', vtep: '192.0.2.9', local: false, moves: 5, ignored: 2, secondsLeft: 170 });
  });

  it('evpn show: the VTEP line with the non-zero drops, the instance table, the remote-VTEP table', () => {
    const m = evpnMessage(fake) as unknown as Parameters<typeof renderEvpn>[0];
    expect(renderEvpn(m)).toBe(
      'VTEP 192.0.2.1 port 4789 mtu 1500: encap 7, decap 9, dropped 2 (unknown_vni 2)\n' +
        '\n' +
        'Bridge  VLAN    VNI  RD              Import RT       Export RT       State     Local MACs  Remote MACs  VTEPs\n' +
        'br0       10  10010  10.0.0.1:10010  rt:65000:10010  rt:65000:10010  active             3            5      3\n' +
        'br0       20  10020  10.0.0.1:10020  rt:65000:10020  rt:65000:10020  inactive           0            0      0\n' +
        '\n' +
        'Bridge  VLAN    VNI  Remote VTEP  Remote VNI  Flood  MACs\n' +
        'br0       10  10010  192.0.2.9         10010  yes       2\n' +
        'br0       10  10010  192.0.2.10        10010  yes       2\n' +
        'br0       10  10010  2001:db8::1       10010  no        1\n' +
        '\n' +
        'Bridge  VLAN    VNI  Duplicate MAC      Frozen at          Moves  Ignored  Left\n' +
        'br0       10  10010  02:00:00:00:00:0d  192.0.2.9              5        2  170s\n' +
        'br0       10  10010  02:00:00:00:00:0e  192.0.2.1 (local)      5        0    9s\n',
    );
    expect(renderEvpn({ vtep: null, instances: [] })).toBe('VTEP none (no vtep: in the config)\n\nBridge  VLAN  VNI  RD  Import RT  Export RT  State  Local MACs  Remote MACs  VTEPs\n');
  });
});

describe('EVPN operator surface (a VXLAN underlay on 127.0.0.1: UDP sockets, no root needed)', () => {
  let f: Fixture;
  let port: number;
  beforeEach(async () => {
    port = await freeUdpPort();
    f = await startFixture(evpnConfig(port));
  });
  afterEach(async () => {
    await f.controller.stopBgp();
    await f.close();
  });

  const get = (req: object = {}) => call<EvpnServiceClient, object, GetEvpnResponse__Output>(f.client.evpn, 'GetEvpn', req);

  it('GetEvpn: the VTEP with its underlay counters, the instance inactive until the speaker runs, then active with no remote VTEPs', async () => {
    const before = await get();
    expect(before.instances).toEqual([expect.objectContaining({ bridge: 'br0', vni: 10010, active: false, localMacs: 0, remoteMacs: 0, remoteVteps: [] })]);

    await f.controller.startBgp();
    const r = await get();
    expect(r.vtep).toMatchObject({ address: '127.0.0.1', port, mtu: 1500 });
    for (const c of UNDERLAY_COUNTERS) expect(r.vtep!.counters[c.name], c.name).toBe(0);
    expect(r.instances).toEqual([INSTANCE]);

    // filters and refusals
    expect((await get({ vni: 10010 })).instances).toHaveLength(1);
    expect((await get({ vni: 10011 })).instances).toEqual([]);
    expect((await get({ bridge: 'br1' })).instances).toEqual([]);
    await expect(get({ bridge: 'nope' })).rejects.toMatchObject({ code: status.NOT_FOUND, details: "no bridge named 'nope'" });
    await expect(get({ vni: 1 << 24 })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details: 'vni: must be a VNI, 1-16777215' });

    // an API config edit keeps the instance (the raw round trip)
    await call(f.client.switch, 'AddPort', { port: { name: 'm9', backend: 'PORT_BACKEND_MEMORY', bridge: 'br0', vlan: 10 } });
    expect((await get()).instances).toEqual([expect.objectContaining({ vni: 10010, active: true })]);
  });

  it('evpn show: the VTEP line, one row per instance; --json shape; -q', async () => {
    await f.controller.startBgp();
    const t = await cli(f, 'evpn', 'show');
    expect(t).toEqual({
      code: EXIT.ok,
      err: '',
      out:
        `VTEP 127.0.0.1 port ${port} mtu 1500: encap 0, decap 0, dropped 0\n` +
        '\n' +
        'Bridge  VLAN    VNI  RD           Import RT       Export RT       State   Local MACs  Remote MACs  VTEPs\n' +
        'br0       10  10010  10.0.0.1:10  rt:65000:10010  rt:65000:10010  active           0            0      0\n',
    });
    expect((await cli(f, 'evpn')).out).toBe(t.out); // show is the default

    const j = await cli(f, 'evpn', 'show', '--json');
    expect(j.code).toBe(EXIT.ok);
    const json = JSON.parse(j.out);
    expect(Object.keys(json)).toEqual(['vtep', 'instances']);
    expect(Object.keys(json.vtep)).toEqual(['address', 'port', 'mtu', 'counters']);
    expect(json.vtep).toMatchObject({ address: '127.0.0.1', port, mtu: 1500, counters: { encap: 0, decap: 0, drop_unknown_vni: 0 } });
    expect(json.instances).toEqual([INSTANCE]);
    expect(Object.keys(json.instances[0])).toEqual(Object.keys(INSTANCE)); // the message's fields, in its order
    expect(await cli(f, 'evpn', 'show', '-q')).toEqual({ code: EXIT.ok, out: '10010\n', err: '' });
    expect(await cli(f, 'evpn', 'show', '--vni', '10011', '-q')).toEqual({ code: EXIT.ok, out: '', err: '' });
    expect(await cli(f, 'evpn', 'show', '--bridge', 'nope')).toEqual({ code: EXIT.notFound, out: '', err: "hvswitch: no bridge named 'nope'\n" });
    expect(await cli(f, 'evpn', 'show', '--vni', '0')).toMatchObject({ code: EXIT.usage, err: 'hvswitch: vni: must be 1-16777215\n' });
  });

  it('fdb show names a remote entry behind a VXLAN tunnel by VTEP and VNI; local entries unchanged', async () => {
    const dp = f.controller.dataplane;
    dp.fdbAddStatic('br0', 10, '02:00:00:00:00:01', 'm1');
    const local = await cli(f, 'fdb', 'show', '--bridge', 'br0');
    dp.tunnelAdd(7, { remote: '127.0.0.2', vni: 10010 });
    dp.fdbAddRemote('br0', 10, '02:00:00:00:00:02', { kind: 'tunnel', index: 7 });
    try {
      const t = await cli(f, 'fdb', 'show', '--bridge', 'br0');
      expect(t.out).toBe(local.out + '   vxlan:127.0.0.2/10010    10  02:00:00:00:00:02  remote\n'.replace(/^ +/, ''));
      const j = JSON.parse((await cli(f, 'fdb', 'show', '--bridge', 'br0', '--json')).out);
      expect(j[0]).toEqual({ bridge: 'br0', port: 'm1', vlan: 10, mac: '02:00:00:00:00:01', kind: 'static', static: true, age: 0 });
      expect(j[1]).toEqual({
        bridge: 'br0', port: '', vlan: 10, mac: '02:00:00:00:00:02', kind: 'remote', static: true, age: 0,
        egress: { kind: 'tunnel', index: 7 }, vtep: '127.0.0.2', vni: 10010,
      });
    } finally {
      dp.fdbDel('br0', 10, '02:00:00:00:00:02');
      dp.tunnelDel(7);
    }
  });

  it('RFC 7432 §7.7: fdb show gives an EVPN remote entry its MAC mobility sequence number (a Seq column, seq in --json); other entries none', async () => {
    await f.controller.startBgp();
    const dp = f.controller.dataplane;
    const m = f.controller.evpn.manager!;
    // the instance's answer for its entries (EvpnManager.remoteSeq is tested over real routes in evpn-dup.test.ts)
    const remoteSeq = vi.spyOn(m, 'remoteSeq').mockImplementation((b, v, mac) => (b === 'br0' && v === 10 && mac === '02:00:00:00:00:02' ? 3 : undefined));
    dp.fdbAddStatic('br0', 10, '02:00:00:00:00:01', 'm1');
    dp.tunnelAdd(7, { remote: '127.0.0.2', vni: 10010 });
    dp.fdbAddRemote('br0', 10, '02:00:00:00:00:02', { kind: 'tunnel', index: 7 });
    dp.fdbAddRemote('br0', 10, '02:00:00:00:00:03', { kind: 'tunnel', index: 7 }); // not an instance's
    try {
      const t = await cli(f, 'fdb', 'show', '--bridge', 'br0');
      expect(t.out).toBe(
        [
          ' port  VLAN  MAC                Age     Seq',
          '   m1    10  02:00:00:00:00:01  static',
          'vxlan:127.0.0.2/10010    10  02:00:00:00:00:02  remote    3',
          'vxlan:127.0.0.2/10010    10  02:00:00:00:00:03  remote',
          '',
        ].join('\n'),
      );
      const j = JSON.parse((await cli(f, 'fdb', 'show', '--bridge', 'br0', '--json')).out);
      expect(j.map((e: { seq?: number }) => e.seq)).toEqual([undefined, 3, undefined]);
      expect(j[1]).toEqual({
        bridge: 'br0', port: '', vlan: 10, mac: '02:00:00:00:00:02', kind: 'remote', static: true, age: 0,
        egress: { kind: 'tunnel', index: 7 }, vtep: '127.0.0.2', vni: 10010, seq: 3,
      });
      expect(remoteSeq).not.toHaveBeenCalledWith('br0', 10, '02:00:00:00:00:01'); // asked for remote entries only
    } finally {
      remoteSeq.mockRestore();
      for (const mac of ['02:00:00:00:00:01', '02:00:00:00:00:02', '02:00:00:00:00:03']) dp.fdbDel('br0', 10, mac);
      dp.tunnelDel(7);
    }
  });

  it('RFC 7432 §7.2: deleting a port of an EVPN bridge domain withdraws the type-2 routes of the MACs learned on it', async () => {
    await f.controller.startBgp();
    const dp = f.controller.dataplane;
    const ours = (mac: string) => f.controller.bgp!.routes('evpn').some((r) => r.route.type === 2 && (r.route as { mac: string }).mac === mac && r.paths.some((p) => p.source === 'local'));
    dp.memInject('m1', frame('ff:ff:ff:ff:ff:ff', '02:00:00:00:00:01'));
    dp.memInject('m2', frame('ff:ff:ff:ff:ff:ff', '02:00:00:00:00:02'));
    dp.pollOnce();
    dp.drainEvents();
    await until('both MACs advertised', () => ours('02:00:00:00:00:01') && ours('02:00:00:00:00:02'));
    await call(f.client.switch, 'DeletePort', { name: 'm1' });
    await until("m1's MAC withdrawn", () => !ours('02:00:00:00:00:01'));
    expect(ours('02:00:00:00:00:02')).toBe(true); // the other port's stays
    expect((await get()).instances![0]!.localMacs).toBe(1);
  });

  it('metrics: EVPN gauges per instance, VXLAN underlay counters and drops by reason', async () => {
    await f.controller.startBgp();
    const { values, types } = parseExposition(await createMetrics(f.controller, 'test').metrics());
    const evi = '{bridge="br0",vlan="10",vni="10010"}';
    for (const n of ['hvswitch_evpn_local_macs', 'hvswitch_evpn_remote_macs', 'hvswitch_evpn_remote_vteps']) {
      expect(types.get(n), n).toBe('gauge');
      expect(values.get(`${n}${evi}`), n).toBe(0);
    }
    expect(types.get('hvswitch_vxlan_encap_total')).toBe('counter');
    expect(values.get('hvswitch_vxlan_encap_total{vtep="127.0.0.1"}')).toBe(0);
    expect(values.get('hvswitch_vxlan_decap_total{vtep="127.0.0.1"}')).toBe(0);
    const drops = UNDERLAY_COUNTERS.filter((c) => c.name.startsWith('drop_'));
    expect(drops.map((c) => c.name)).toEqual(expect.arrayContaining(['drop_unknown_vni', 'drop_unknown_vtep', 'drop_bad_vxlan', 'drop_underlay_mtu']));
    for (const c of drops) expect(values.get(`hvswitch_vxlan_drop_total{vtep="127.0.0.1",reason="${c.name.slice(5)}"}`), c.name).toBe(0);
  });
});
