// Remote FDB entries and flood-list members (native/core/fdb.h, flood.h)
// through the wrapper, over memory ports: what the controller's EVPN side will
// write (RFC 7432 §9.2.2 MAC/IP routes -> remote entries, §11 inclusive
// multicast routes -> flood-list members) and how learning and flooding treat
// it.  Tunnels have no transmit backend yet: frames to them are counted
// drop_no_backend.
import { afterEach, describe, expect, it } from 'vitest';

import { Dataplane, DataplaneError, macBytes, type MacEvent } from '../../src/dataplane/index.js';

const A = '02:00:00:00:00:0a';
const R = '02:00:00:00:00:7e'; // behind the tunnel
const BCAST = 'ff:ff:ff:ff:ff:ff';

function frame(dst: string, src: string): Buffer {
  return Buffer.concat([macBytes(dst), macBytes(src), Buffer.from([0x08, 0x00]), Buffer.alloc(46, 0x5a)]);
}

function port(name: string, floodGroup?: number) {
  return { name, backend: 'memory' as const, bridge: 'br0', mode: 'access' as const, vlan: 10, allowedVlans: [], macLimit: 4096, mtu: 1500, floodGroup };
}

function drain(dp: Dataplane, name: string): number {
  let n = 0;
  while (dp.memPop(name)) n++;
  return n;
}

describe('remote FDB entries and flood-list members', () => {
  let dp: Dataplane;
  afterEach(() => dp.close());

  function setup(): void {
    dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    dp.addBridge('br0', 1024);
    dp.addPort(port('a'));
    dp.addPort(port('b'));
  }

  it('a remote entry is listed with kind remote and its tunnel; unicast to it is dropped as drop_no_backend', () => {
    setup();
    dp.fdbAddRemote('br0', 10, R, { kind: 'tunnel', index: 7 });
    dp.fdbAddStatic('br0', 10, A, 'a');
    expect(dp.fdb()).toEqual([
      { bridge: 'br0', port: 'a', vlan: 10, mac: A, kind: 'static', static: true, age: 0 },
      { bridge: 'br0', port: '', vlan: 10, mac: R, kind: 'remote', static: true, age: 0, egress: { kind: 'tunnel', index: 7 } },
    ]);
    expect(dp.fdb({ port: 'a' }).map((e) => e.mac)).toEqual([A]); // a port filter: local entries only
    dp.memInject('b', frame(R, '02:00:00:00:00:0b'));
    dp.pollOnce();
    expect(drain(dp, 'a')).toBe(0); // not flooded: the MAC is known
    expect(dp.stats('b').drop_no_backend).toBe(1);
    // a flush keeps it unless asked, like a static entry
    expect(dp.fdbFlush({ bridge: 'br0' })).toBe(1); // the learned 02:..:0b
    expect(dp.fdbFlush({ bridge: 'br0', includeStatic: true })).toBe(2);
  });

  it('remote entries written in one call (an import batch): all listed; the FDB full stops the batch and says how many were written', () => {
    dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    dp.addBridge('br0', 64);
    const mac = (i: number) => `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
    const entries = Array.from({ length: 40 }, (_, i) => ({ mac: mac(i), egress: { kind: 'tunnel' as const, index: 1 + (i % 3) } }));
    expect(dp.fdbAddRemoteMany('br0', 10, entries)).toBe(40);
    const listed = dp.fdb({ bridge: 'br0' });
    expect(listed.map((e) => [e.mac, e.kind, e.egress?.index])).toEqual(entries.map((e) => [e.mac, 'remote', e.egress.index]));
    // rewriting an entry replaces it (no second entry), as fdbAddRemote does
    expect(dp.fdbAddRemoteMany('br0', 10, [{ mac: mac(0), egress: { kind: 'tunnel', index: 9 } }])).toBe(1);
    expect(dp.fdb({ bridge: 'br0' }).filter((e) => e.mac === mac(0)).map((e) => e.egress?.index)).toEqual([9]);
    const more = Array.from({ length: 200 }, (_, i) => ({ mac: mac(1000 + i), egress: { kind: 'tunnel' as const, index: 1 } }));
    const n = dp.fdbAddRemoteMany('br0', 10, more);
    expect(n).toBeLessThan(200);
    expect(dp.fdb({ bridge: 'br0' }).length).toBe(40 + n); // exactly the first n of the batch were written
    expect(() => dp.fdbAddRemoteMany('br0', 10, [{ mac: '02:00:00:00:00', egress: { kind: 'tunnel', index: 1 } }])).toThrow(/invalid MAC address 02:00:00:00:00/);
    expect(() => dp.fdbAddRemoteMany('br0', 4096, entries)).toThrow(/vlan must be 0-4095/);
  });

  it('remote entries as columns (fdbAddRemoteColumns: the EVPN import batch): the same records as fdbAddRemoteMany, full FDB and bad fields alike', () => {
    dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    dp.addBridge('br0', 64);
    const mac = (i: number) => `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
    const macs = Array.from({ length: 40 }, (_, i) => mac(i));
    const egress = macs.map((_, i) => ({ kind: i % 2 ? ('tunnel' as const) : ('group' as const), index: 1 + (i % 5) }));
    expect(dp.fdbAddRemoteColumns('br0', 10, macs, egress)).toBe(40);
    expect(dp.fdb({ bridge: 'br0' }).map((e) => [e.mac, e.kind, e.vlan, e.egress?.kind, e.egress?.index])).toEqual(macs.map((m, i) => [m, 'remote', 10, egress[i]!.kind, egress[i]!.index]));
    expect(dp.fdbAddRemoteColumns('br0', 10, [], [])).toBe(0);
    const more = Array.from({ length: 200 }, (_, i) => mac(1000 + i));
    const n = dp.fdbAddRemoteColumns('br0', 10, more, more.map(() => ({ kind: 'tunnel' as const, index: 1 })));
    expect(n).toBeLessThan(200);
    expect(dp.fdb({ bridge: 'br0' }).length).toBe(40 + n);
    expect(() => dp.fdbAddRemoteColumns('br0', 10, macs, egress.slice(1))).toThrow(/egress must have one entry per MAC \(40\), got 39/);
    expect(() => dp.fdbAddRemoteColumns('br0', 10, ['02:00:00:00:00'], [{ kind: 'tunnel', index: 1 }])).toThrow(/invalid MAC address 02:00:00:00:00/);
    expect(() => dp.fdbAddRemoteColumns('br0', 10, [mac(1)], [{ kind: 'port' as 'tunnel', index: 1 }])).toThrow(/egress.kind must be tunnel or bond/);
    expect(() => dp.fdbAddRemoteColumns('br0', 4096, macs, egress)).toThrow(/vlan must be 0-4095/);
  });

  it('RFC 7432 §15: the MAC seen on a local port moves there; the MOVED event carries the old egress (a bond here)', () => {
    setup();
    const events: MacEvent[] = [];
    dp.on('mac', (e) => events.push(...e));
    dp.fdbAddRemote('br0', 10, R, { kind: 'bond', index: 3 });
    dp.memInject('a', frame(BCAST, R));
    dp.pollOnce();
    dp.drainEvents();
    expect(events).toEqual([{ kind: 'moved', bridge: 'br0', vlan: 10, mac: R, port: 'a', oldEgress: { kind: 'bond', index: 3 } }]);
    expect(dp.fdb()).toMatchObject([{ mac: R, port: 'a', kind: 'learned', static: false }]);
    expect(dp.fdb()[0]!.egress).toBeUndefined();
    // a move between local ports still names the old port
    dp.memInject('b', frame(BCAST, R));
    dp.pollOnce();
    dp.drainEvents();
    expect(events[1]).toEqual({ kind: 'moved', bridge: 'br0', vlan: 10, mac: R, port: 'b', oldPort: 'a' });
  });

  it('a tunnel in the flood list gets BUM frames: counted drop_no_backend, ports still flooded', () => {
    setup();
    dp.floodAdd('br0', 10, { kind: 'tunnel', index: 1 }, 1);
    expect(dp.floodMembers('br0')).toEqual([
      { bridge: 'br0', vlan: 10, port: 'a', group: 0 },
      { bridge: 'br0', vlan: 10, port: 'b', group: 0 },
      { bridge: 'br0', vlan: 10, port: '', egress: { kind: 'tunnel', index: 1 }, group: 1 },
    ]);
    dp.memInject('a', frame(BCAST, A));
    dp.pollOnce();
    expect(drain(dp, 'b')).toBe(1);
    expect(dp.stats('a')).toMatchObject({ flooded: 1, drop_no_backend: 1 });
    expect(dp.floodDel('br0', 10, { kind: 'tunnel', index: 1 })).toBe(true);
    expect(dp.floodDel('br0', 10, { kind: 'tunnel', index: 1 })).toBe(false);
    dp.memInject('a', frame(BCAST, A));
    dp.pollOnce();
    expect(dp.stats('a').drop_no_backend).toBe(1); // no tunnel member any more
  });

  it('split horizon: a port in the ingress port\'s flood group does not get the flood', () => {
    dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    dp.addBridge('br0', 1024);
    dp.addPort(port('a', 5));
    dp.addPort(port('b', 5));
    dp.addPort(port('c'));
    dp.floodAdd('br0', 10, { kind: 'tunnel', index: 2 }, 5);
    dp.memInject('a', frame(BCAST, A));
    dp.pollOnce();
    expect(drain(dp, 'b')).toBe(0); // same group
    expect(drain(dp, 'c')).toBe(1);
    expect(dp.stats('a').drop_no_backend).toBe(0); // the tunnel shares the group too
    // regrouped: b now gets it
    dp.updatePort(port('b', 0));
    dp.memInject('a', frame(BCAST, A));
    dp.pollOnce();
    expect(drain(dp, 'b')).toBe(1);
  });

  it('egress and group arguments are checked, naming the field', () => {
    setup();
    expect(() => dp.fdbAddRemote('br0', 10, R, { kind: 'port' as 'tunnel', index: 1 })).toThrow(new DataplaneError('egress.kind must be tunnel or bond, got port'));
    expect(() => dp.floodAdd('br0', 10, { kind: 'tunnel', index: -1 })).toThrow(/egress.index must be 0-268435455/);
    expect(() => dp.floodAdd('br0', 10, { kind: 'tunnel', index: 1 }, 70000)).toThrow('group must be 0-65535');
    expect(() => dp.addPort(port('x', 1.5))).toThrow('port x: floodGroup must be 0-65535');
    expect(() => dp.floodAdd('br0', 0, { kind: 'tunnel', index: 1 })).toThrow(/vlan 0 out of range/);
  });
});
