// Packet capture at the dataplane (src/dataplane/capture.ts) over memory
// ports, no root: on the VXLAN underlay `out` is the datagram as sent (outer
// IPv4/UDP/VXLAN headers + the inner frame) with link type raw IP, byte for
// byte what the underlay port sent; `in` is refused on a UDP underlay (its
// socket gives no IP/UDP header) naming the field; removing a port ends its
// capture (the session's `ended`), and the port can be captured again.
import { afterEach, expect, it } from 'vitest';

import { CaptureError, Dataplane, LINKTYPE, macBytes, UNDERLAY_PORT, type CaptureBatch, type PortSpec } from '../../src/dataplane/index.js';
import { parseRecords } from '../../src/util/pcap.js';

const A = '02:00:00:00:00:0a';
const R = '02:00:00:00:00:0e'; // a MAC behind the remote VTEP
let dp: Dataplane;
afterEach(() => dp?.close());

const vm = (name: string): PortSpec => ({ name, backend: 'memory', bridge: 'br0', mode: 'access', vlan: 10, allowedVlans: [], macLimit: 4096, mtu: 1500 });
const frame = (dst: string, src: string) => Buffer.concat([macBytes(dst), macBytes(src), Buffer.from([0x08, 0x00]), Buffer.alloc(46, 0x5a)]);

it('underlay out: the VXLAN datagram as sent, outer headers included, link type raw IP', () => {
  dp = new Dataplane({ workers: 1, agingSeconds: 300 });
  dp.addBridge('br0', 1024);
  dp.addPort(vm('vm'));
  dp.setVtep({ address: '192.0.2.1', floodGroup: 1, backend: 'memory' });
  dp.tunnelAdd(7, { remote: '192.0.2.2', vni: 10010 });
  dp.vniSet(10010, 'br0', 10);
  dp.fdbAddRemote('br0', 10, R, { kind: 'tunnel', index: 7 });
  const batches: CaptureBatch[] = [];
  const s = dp.capture(UNDERLAY_PORT, { direction: 'out', snaplen: 2000 }, { frames: (b) => batches.push(b), ended: () => {} });
  expect(s.linktype).toBe(LINKTYPE.raw);
  const inner = frame(R, A);
  dp.memInject('vm', inner);
  dp.pollOnce();
  const sent = dp.memPop(UNDERLAY_PORT)!;
  expect(s.stop()).toMatchObject({ captured: 1, dropped: 0 }); // stop() drains what the ring holds
  const recs = batches.flatMap((b) => parseRecords(b.pcap, b.directions));
  expect(recs).toHaveLength(1);
  const rec = recs[0]!;
  expect(rec.direction).toBe('out');
  expect(rec.data.equals(sent)).toBe(true);
  expect(rec.data[0]! >> 4).toBe(4); // IPv4 outer header first
  expect(rec.data.subarray(-inner.length).equals(inner)).toBe(true); // the inner frame last
  expect(rec.len).toBe(20 + 8 + 8 + inner.length);
});

it('a UDP underlay refuses `in` naming the field; a removed port ends its capture', () => {
  dp = new Dataplane({ workers: 1, agingSeconds: 300 });
  dp.addBridge('br0', 1024);
  dp.addPort(vm('m1'));
  dp.setVtep({ address: '127.0.0.1', port: 40000 + (process.pid % 20000), floodGroup: 1 });
  let err: unknown;
  try {
    dp.capture(UNDERLAY_PORT, { direction: 'both' }, { frames: () => {}, ended: () => {} });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CaptureError);
  expect((err as CaptureError).field).toBe('direction');
  expect(dp.capture(UNDERLAY_PORT, { direction: 'out' }, { frames: () => {}, ended: () => {} }).linktype).toBe(LINKTYPE.raw);
  const ended: string[] = [];
  dp.capture('m1', { direction: 'both' }, { frames: () => {}, ended: (reason) => ended.push(reason) });
  expect(() => dp.capture('m1', { direction: 'in' }, { frames: () => {}, ended: () => {} })).toThrow(/already running/);
  dp.removePort('m1');
  expect(ended).toEqual(['port removed']);
  dp.addPort(vm('m1'));
  expect(dp.capture('m1', { direction: 'in' }, { frames: () => {}, ended: () => {} }).port).toBe('m1');
});
