// The gRPC API end to end in one process: real server on a unix socket, real
// controller/validator/dataplane (memory ports).  Live changes, error codes
// that name the field with nothing half-applied, FDB, counters, concurrency.
import { status, type ServiceError } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { call, list } from '../../src/api/client.js';
import type { Port__Output } from '../../src/api/gen/hvswitch/v1/Port.js';
import { counterNames, MPLS_UNDERLAY_PORT, UNDERLAY_PORT } from '../../src/dataplane/index.js';
import { drain, frame, startFixture, type Fixture } from './api-fixture.js';

const A = '02:00:00:00:00:0a';
const B = '02:00:00:00:00:0b';
const BCAST = 'ff:ff:ff:ff:ff:ff';

async function refused(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (e) {
    return e as ServiceError;
  }
  throw new Error('the request was accepted');
}

describe('hvswitch.v1 API over memory ports', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture();
  });
  afterEach(async () => {
    await f.close();
  });
  const sw = () => f.client.switch;
  const ports = async () => (await list<typeof f.client.switch, object, { port: Port__Output }>(sw(), 'ListPort', {})).map((r) => r.port);

  it('ListPort streams every port with its settings and state', async () => {
    const ps = await ports();
    expect(ps.map((p) => p.name)).toEqual(['m1', 'm2', 'm3', 't1']);
    expect(ps.find((p) => p.name === 't1')).toMatchObject({
      backend: 'PORT_BACKEND_MEMORY',
      mode: 'PORT_MODE_TRUNK',
      bridge: 'br0',
      allowedVlans: [10, 20],
      nativeVlan: 0,
      mtu: 1500,
      macLimit: 4096,
      status: { created: false, macs: 0 },
    });
    const e = await refused(list(sw(), 'ListPort', { names: ['nope'] }));
    expect(e.code).toBe(status.NOT_FOUND);
    expect(e.details).toContain("no port named 'nope'");
  });

  it('AddPort then traffic: the new port joins its VLAN; DeletePort takes it out', async () => {
    const r = await call<typeof f.client.switch, object, { port: Port__Output }>(sw(), 'AddPort', {
      port: { name: 'm4', backend: 'PORT_BACKEND_MEMORY', bridge: 'br0', vlan: 10 },
    });
    expect(r.port).toMatchObject({ name: 'm4', mode: 'PORT_MODE_ACCESS', vlan: 10 });
    expect(f.controller.dataplane.hasPort('m4')).toBe(true);
    f.controller.dataplane.memInject('m1', frame(BCAST, A));
    f.controller.dataplane.pollOnce();
    expect(drain(f, 'm4')).toEqual([frame(BCAST, A)]);
    expect(drain(f, 'm2')).toEqual([frame(BCAST, A)]);
    await call(sw(), 'DeletePort', { name: 'm4' });
    expect(f.controller.dataplane.hasPort('m4')).toBe(false);
    expect(f.controller.running.ports.map((p) => p.name)).not.toContain('m4');
  });

  it('UpdatePort changes VLAN membership at run time (access VLAN, trunk allowed set)', async () => {
    const dp = f.controller.dataplane;
    await call(sw(), 'UpdatePort', { port: { name: 'm2', vlan: 20 }, updateMask: ['vlan'] });
    dp.memInject('m1', frame(BCAST, A));
    dp.pollOnce();
    expect(drain(f, 'm2')).toEqual([]); // m2 left VLAN 10
    expect(drain(f, 't1')).toEqual([frame(BCAST, A, 10)]);
    // change the trunk to carry only VLAN 20: m1's broadcast reaches nobody, m2's reaches t1 tagged 20
    const r = await call<typeof f.client.switch, object, { port: Port__Output }>(sw(), 'UpdatePort', {
      port: { name: 't1', allowedVlans: [20] },
      updateMask: ['allowed-vlans'],
    });
    expect(r.port.allowedVlans).toEqual([20]);
    dp.memInject('m1', frame(BCAST, A));
    dp.memInject('m2', frame(BCAST, B));
    dp.pollOnce();
    expect(drain(f, 't1')).toEqual([frame(BCAST, B, 20)]);
    // a mode change drops the old mode's fields: access -> trunk with only allowed-vlans given
    await call(sw(), 'UpdatePort', { port: { name: 'm1', mode: 'PORT_MODE_TRUNK', allowedVlans: [10, 30] }, updateMask: ['mode', 'allowed-vlans'] });
    expect(f.controller.running.ports.find((p) => p.name === 'm1')).toMatchObject({ mode: 'trunk', allowedVlans: [10, 30], vlan: 0 });
  });

  it('UpdatePort without a mask replaces the settings (backend kept if not given); bridge "" leaves the bridge', async () => {
    await call(sw(), 'UpdatePort', { port: { name: 'm2', bridge: 'br1', vlan: 30, macLimit: 9 } });
    expect(f.controller.running.ports.find((p) => p.name === 'm2')).toMatchObject({ backend: 'memory', bridge: 'br1', mode: 'access', vlan: 30, macLimit: 9 });
    await call(sw(), 'UpdatePort', { port: { name: 'm2', bridge: '' }, updateMask: ['bridge'] });
    expect(f.controller.running.ports.find((p) => p.name === 'm2')).toMatchObject({ bridge: null, vlan: 30, macLimit: 9 });
    // a port in no bridge drops what it receives, counted
    f.controller.dataplane.memInject('m2', frame(BCAST, A));
    f.controller.dataplane.pollOnce();
    expect(f.controller.dataplane.stats('m2').drop_no_bridge).toBe(1);
  });

  it('INVALID_ARGUMENT names the field (config paths), and nothing is applied', async () => {
    const before = JSON.stringify(f.controller.running);
    const cases: [string, object, string][] = [
      ['AddPort', { port: { name: 'm5', backend: 'PORT_BACKEND_MEMORY', bridge: 'br0', vlan: 4095 } }, 'ports.m5.vlan: must be <= 4094'],
      ['AddPort', { port: { name: 'm5', bridge: 'br0' } }, 'ports.m5.backend: is required'],
      ['AddPort', { port: { name: 'm5', backend: 'PORT_BACKEND_MEMORY', bridge: 'br9' } }, "ports.m5.bridge: no bridge named 'br9'"],
      ['AddPort', { port: { name: 'this-name-is-too-long', backend: 'PORT_BACKEND_MEMORY' } }, 'ports.this-name-is-too-long: port name must be a Linux interface name'],
      ['AddPort', { port: { backend: 'PORT_BACKEND_MEMORY' } }, 'port.name: is required'],
      ['AddPort', { port: { name: 'm5', backend: 'PORT_BACKEND_MEMORY', mode: 'PORT_MODE_TRUNK', vlan: 5 } }, 'ports.m5.vlan: not for trunk ports'],
      ['UpdatePort', { port: { name: 'm1', vlan: 0 }, updateMask: ['vlans'] }, "update_mask.0: unknown field 'vlans'"],
      ['UpdatePort', { port: { name: 't1', allowedVlans: [] }, updateMask: ['allowed-vlans'] }, 'ports.t1.allowed-vlans: a trunk port needs at least one allowed VLAN'],
      ['AddBridge', { bridge: { name: 'bad name' } }, 'bridges.bad name: bridge name must be'],
      ['AddBridge', { bridge: { name: 'b2', maxMacs: 3 } }, 'bridges.b2.max-macs: must be >= 16'],
      ['AddFdb', { bridge: 'br0', port: 'm1', vlan: 10, mac: 'zz' }, "mac: 'zz' is not a MAC address"],
      ['AddFdb', { bridge: 'br0', port: 'm1', vlan: 0, mac: A }, 'vlan: must be a VLAN ID, 1-4094'],
      ['AddFdb', { bridge: 'br0', port: 'm1', vlan: 20, mac: A }, "vlan: port 'm1' is an access port of VLAN 10"],
      ['AddFdb', { bridge: 'br0', port: 't1', vlan: 30, mac: A }, "vlan: VLAN 30 is not allowed on trunk port 't1'"],
    ];
    for (const [rpc, req, msg] of cases) {
      const e = await refused(call(sw(), rpc as 'AddPort', req));
      expect(e.code, `${rpc} ${JSON.stringify(req)}: ${e.details}`).toBe(status.INVALID_ARGUMENT);
      expect(e.details).toContain(msg);
    }
    const e = await refused(call(sw(), 'AddPort', { port: { name: 'm5', backend: 'PORT_BACKEND_MEMORY', bridge: 'br0', vlan: 4095 } }));
    expect(JSON.parse(String(e.metadata.get('hvswitch-problems')[0]))).toEqual([{ path: 'ports.m5.vlan', message: 'must be <= 4094' }]);
    expect(JSON.stringify(f.controller.running)).toBe(before);
    expect(f.controller.dataplane.listPorts().map((p) => p.name)).toEqual(['m1', 'm2', 'm3', 't1']);
    expect(f.controller.dataplane.fdb()).toEqual([]);
  });

  it('ALREADY_EXISTS, NOT_FOUND, FAILED_PRECONDITION', async () => {
    const code = async (rpc: string, req: object) => (await refused(call(sw(), rpc as 'AddPort', req))).code;
    expect(await code('AddPort', { port: { name: 'm1', backend: 'PORT_BACKEND_MEMORY' } })).toBe(status.ALREADY_EXISTS);
    expect(await code('AddBridge', { bridge: { name: 'br0' } })).toBe(status.ALREADY_EXISTS);
    expect(await code('DeletePort', { name: 'nope' })).toBe(status.NOT_FOUND);
    expect(await code('UpdatePort', { port: { name: 'nope', vlan: 3 }, updateMask: ['vlan'] })).toBe(status.NOT_FOUND);
    expect(await code('DeleteBridge', { name: 'nope' })).toBe(status.NOT_FOUND);
    expect(await code('DeleteFdb', { bridge: 'br0', vlan: 10, mac: A })).toBe(status.NOT_FOUND);
    expect(await code('AddFdb', { bridge: 'brX', port: 'm1', vlan: 10, mac: A })).toBe(status.NOT_FOUND);
    expect(await code('AddFdb', { bridge: 'br1', port: 'm1', vlan: 10, mac: A })).toBe(status.FAILED_PRECONDITION);
    const e = await refused(call(sw(), 'DeleteBridge', { name: 'br0' }));
    expect(e.code).toBe(status.FAILED_PRECONDITION);
    expect(e.details).toBe("bridge 'br0' still has ports: m1, m2, t1 (delete them or move them first)");
    // an af-packet port whose interface does not exist (yet) is accepted and absent, not refused:
    // it attaches when the interface appears (test/netns/late-interface.test.ts)
    const r = await call<typeof f.client.switch, object, { port: { status: { state: string; reason: string } } }>(sw(), 'AddPort', {
      port: { name: 'nosuchif0', backend: 'PORT_BACKEND_AF_PACKET', bridge: 'br0' },
    });
    expect(r.port.status).toMatchObject({ state: 'PORT_OPER_STATE_ABSENT', reason: 'interface nosuchif0 does not exist' });
    expect(f.controller.dataplane.hasPort('nosuchif0')).toBe(false);
    const [c] = await list<typeof f.client.switch, object, { portCounters: { counters: Record<string, number> } }>(sw(), 'ListPortCounters', { ports: ['nosuchif0'] });
    expect(c!.portCounters.counters).toEqual({});
    await call(sw(), 'DeletePort', { name: 'nosuchif0' });
    expect(f.controller.presence.absentPorts()).toEqual([]);
  });

  it('bridges: add, list, move a port into it, delete when empty', async () => {
    await call(sw(), 'AddBridge', { bridge: { name: 'br2', maxMacs: 128 } });
    await call(sw(), 'UpdatePort', { port: { name: 'm3', bridge: 'br2' }, updateMask: ['bridge'] });
    const bs = (await list<typeof f.client.switch, object, { bridge: { name: string; maxMacs: number; ports: string[] } }>(sw(), 'ListBridge', {})).map(
      (r) => r.bridge,
    );
    expect(bs.map((b) => [b.name, b.maxMacs, b.ports])).toEqual([
      ['br0', 65536, ['m1', 'm2', 't1']],
      ['br1', 65536, []],
      ['br2', 128, ['m3']],
    ]);
    await call(sw(), 'DeleteBridge', { name: 'br1' });
    expect(f.controller.dataplane.listBridges().map((b) => b.name).sort()).toEqual(['br0', 'br2']);
  });

  it('FDB: static add (wins over learning), list with filters, delete, flush', async () => {
    const dp = f.controller.dataplane;
    await call(sw(), 'AddFdb', { bridge: 'br0', port: 'm2', vlan: 10, mac: B.toUpperCase() });
    dp.memInject('m1', frame(BCAST, A));
    dp.memInject('t1', frame(BCAST, '02:00:00:00:00:0c', 20));
    dp.pollOnce();
    type E = { entry: { bridge: string; port: string; vlan: number; mac: string; static: boolean } };
    const all = (await list<typeof f.client.switch, object, E>(sw(), 'ListFdb', {})).map((r) => r.entry);
    expect(all.map((e) => [e.port, e.vlan, e.mac, e.static])).toEqual([
      ['m1', 10, A, false],
      ['m2', 10, B, true],
      ['t1', 20, '02:00:00:00:00:0c', false],
    ]);
    expect((await list<typeof f.client.switch, object, E>(sw(), 'ListFdb', { vlan: 20 })).map((r) => r.entry.mac)).toEqual(['02:00:00:00:00:0c']);
    expect((await list<typeof f.client.switch, object, E>(sw(), 'ListFdb', { port: 'm2' })).map((r) => r.entry.mac)).toEqual([B]);
    expect((await refused(list(sw(), 'ListFdb', { bridge: 'nope' }))).code).toBe(status.NOT_FOUND);
    const fl = await call<typeof f.client.switch, object, { flushed: number }>(sw(), 'FlushFdb', { bridge: 'br0' });
    expect(fl.flushed).toBe(2); // the learned ones
    expect(dp.fdb().map((e) => e.mac)).toEqual([B]);
    await call(sw(), 'DeleteFdb', { bridge: 'br0', vlan: 10, mac: B });
    expect(dp.fdb()).toEqual([]);
  });

  it('counters: descriptors are the core declaration; values are the dataplane counters', async () => {
    const d = await list<typeof f.client.switch, object, { counter: { name: string; help: string } }>(sw(), 'ListCounterDescriptor', {});
    expect(d.map((x) => x.counter)).toEqual(counterNames.map((c) => ({ name: c.name, help: c.help })));
    const dp = f.controller.dataplane;
    for (let i = 0; i < 3; i++) dp.memInject('m1', frame(BCAST, A));
    dp.memInject('m1', Buffer.alloc(8)); // runt
    dp.pollOnce();
    const rows = await list<typeof f.client.switch, object, { portCounters: { port: string; counters: Record<string, number> } }>(sw(), 'ListPortCounters', {});
    expect(rows.map((r) => r.portCounters.port)).toEqual(['m1', 'm2', 'm3', 't1']);
    const m1 = rows[0]!.portCounters.counters;
    expect(m1).toEqual(dp.stats('m1'));
    expect(m1.rx_packets).toBe(4);
    expect(m1.drop_runt).toBe(1);
    expect(rows[1]!.portCounters.counters.tx_packets).toBe(3);
  });

  it('counters of the underlay ports: listed when they exist (vxlan-underlay, mpls-underlay), by name, NOT_FOUND naming the missing config', async () => {
    type Row = { portCounters: { port: string; counters: Record<string, number> } };
    const rows = async (ports: string[] = []) => (await list<typeof f.client.switch, object, Row>(sw(), 'ListPortCounters', { ports })).map((r) => r.portCounters);
    const dp = f.controller.dataplane;
    expect((await rows()).map((r) => r.port)).toEqual(['m1', 'm2', 'm3', 't1']);
    const e = await refused(rows([MPLS_UNDERLAY_PORT]));
    expect(e.code).toBe(status.NOT_FOUND);
    expect(e.details).toBe("port: 'mpls-underlay' does not exist, no pe is configured in any VRF");
    expect((await refused(rows([UNDERLAY_PORT]))).details).toBe("port: 'vxlan-underlay' does not exist, no vtep is configured");

    dp.mpls.setPe({ address: '192.0.2.1', backend: 'memory' });
    dp.setVtep({ address: '192.0.2.1', backend: 'memory', floodGroup: 1 });
    // one MPLS-in-UDP datagram to a label of no VRF: outer IPv4 192.0.2.2 -> us, UDP 6635, label 999
    // (inner: an IPv4 header alone, 10.2.0.9 -> 10.1.0.5)
    const ip4 = (h: Buffer, len: number, proto: number, addrs: number[]) => {
      h[0] = 0x45;
      h.writeUInt16BE(len, 2);
      h[8] = 64;
      h[9] = proto;
      Buffer.from(addrs).copy(h, 12);
      let sum = 0;
      for (let i = 0; i < 20; i += 2) sum += h.readUInt16BE(i);
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      h.writeUInt16BE(~sum & 0xffff, 10);
    };
    const d = Buffer.alloc(20 + 8 + 4 + 20);
    ip4(d, d.length, 17, [192, 0, 2, 2, 192, 0, 2, 1]);
    d.writeUInt16BE(50000, 20);
    d.writeUInt16BE(6635, 22);
    d.writeUInt16BE(d.length - 20, 24);
    d.writeUInt32BE(((999 << 12) | 0x100 | 64) >>> 0, 28);
    ip4(d.subarray(32), 20, 253, [10, 2, 0, 9, 10, 1, 0, 5]);
    dp.memInject(MPLS_UNDERLAY_PORT, d);
    dp.pollOnce();

    const all = await rows();
    expect(all.map((r) => r.port)).toEqual(['m1', 'm2', 'm3', 't1', UNDERLAY_PORT, MPLS_UNDERLAY_PORT]);
    const mpls = all.find((r) => r.port === MPLS_UNDERLAY_PORT)!.counters;
    expect(mpls).toEqual(dp.mpls.stats());
    expect(mpls.rx_packets).toBe(1);
    expect(mpls.drop_unknown_label).toBe(1);
    expect(mpls.drop_socket_rcvbuf).toBe(0);
    expect(all.find((r) => r.port === UNDERLAY_PORT)!.counters).toEqual(dp.vtepStats());
    const [one] = await rows([MPLS_UNDERLAY_PORT]);
    expect(one).toEqual({ port: MPLS_UNDERLAY_PORT, counters: mpls });
  });

  it('100 concurrent changes and reads: every change applied, none lost (one control queue)', async () => {
    const names = Array.from({ length: 50 }, (_, i) => `c${i}`);
    const adds = names.map((n, i) => call(sw(), 'AddPort', { port: { name: n, backend: 'PORT_BACKEND_MEMORY', bridge: i % 2 ? 'br0' : 'br1', vlan: 1 + (i % 7) } }));
    const reads = Array.from({ length: 50 }, (_, i) => (i % 2 ? list(sw(), 'ListPortCounters', {}) : list(sw(), 'ListFdb', {})));
    const results = await Promise.allSettled([...adds, ...reads]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(f.controller.dataplane.listPorts().length).toBe(4 + 50);
    expect(f.controller.running.ports.length).toBe(4 + 50);
    // and concurrently remove them again while changing VLANs of the others
    const dels = names.map((n) => call(sw(), 'DeletePort', { name: n }));
    const sets = Array.from({ length: 50 }, (_, i) => call(sw(), 'UpdatePort', { port: { name: 'm2', vlan: 1 + (i % 4000) }, updateMask: ['vlan'] }));
    expect((await Promise.allSettled([...dels, ...sets])).filter((r) => r.status === 'rejected')).toEqual([]);
    expect(f.controller.dataplane.listPorts().map((p) => p.name)).toEqual(['m1', 'm2', 'm3', 't1']);
    expect(f.controller.running.ports.find((p) => p.name === 'm2')!.vlan).toBe(50);
  });
});
