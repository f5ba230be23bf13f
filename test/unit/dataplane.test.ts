// The typed wrapper over the addon, driven through memory ports (no root):
// learning, flooding, VLAN tagging, FDB list/static/flush, counters, events.
import { afterEach, describe, expect, it } from 'vitest';

import { counterNames, Dataplane, macBytes, type MacEvent } from '../../src/dataplane/index.js';

const A = '02:00:00:00:00:0a';
const B = '02:00:00:00:00:0b';

function frame(dst: string, src: string, vid?: number, payload = 46): Buffer {
  const tag = vid === undefined ? Buffer.alloc(0) : Buffer.from([0x81, 0x00, vid >> 8, vid & 0xff]);
  return Buffer.concat([macBytes(dst), macBytes(src), tag, Buffer.from([0x08, 0x00]), Buffer.alloc(payload, 0x5a)]);
}

function port(name: string, mode: 'access' | 'trunk', vlan: number, allowed: number[] = []) {
  return { name, backend: 'memory' as const, bridge: 'br0', mode, vlan, allowedVlans: allowed, macLimit: 4096, mtu: 1500 };
}

describe('Dataplane wrapper over memory ports', () => {
  let dp: Dataplane;
  afterEach(() => dp.close());

  it('learns, floods within the VLAN, tags on trunks, and reports events in batches', () => {
    dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    dp.addBridge('br0', 1024);
    dp.addPort(port('a', 'access', 10));
    dp.addPort(port('b', 'access', 20));
    dp.addPort(port('t', 'trunk', 0, [10, 20]));
    const events: MacEvent[] = [];
    dp.on('mac', (e) => events.push(...e));

    dp.memInject('a', frame('ff:ff:ff:ff:ff:ff', A));
    dp.pollOnce();
    expect(dp.memPop('b')).toBeNull(); // other VLAN
    expect(dp.memPop('t')).toEqual(frame('ff:ff:ff:ff:ff:ff', A, 10)); // tagged 10 on the trunk
    expect(dp.memPop('a')).toBeNull(); // never back out of the ingress port

    dp.memInject('t', frame(A, B, 10));
    dp.pollOnce();
    expect(dp.memPop('a')).toEqual(frame(A, B)); // tag popped
    dp.drainEvents();
    expect(events).toEqual([
      { kind: 'learned', bridge: 'br0', vlan: 10, mac: A, port: 'a' },
      { kind: 'learned', bridge: 'br0', vlan: 10, mac: B, port: 't' },
    ]);
    expect(dp.fdb({ vlan: 10 }).map((e) => [e.mac, e.port, e.static])).toEqual([
      [A, 'a', false],
      [B, 't', false],
    ]);
    const s = dp.stats('t');
    expect(s.rx_packets).toBe(1);
    expect(s.tx_packets).toBe(1);
    expect(s.tx_bytes).toBe(64);
    expect(counterNames.map((c) => c.name)).toContain('drop_vlan_not_allowed');
  });

  it('static entries win over learning; flush keeps them unless asked', () => {
    dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    dp.addBridge('br0', 1024);
    dp.addPort(port('a', 'access', 10));
    dp.addPort(port('b', 'access', 10));
    dp.fdbAddStatic('br0', 10, B, 'b');
    dp.memInject('a', frame(A, B)); // B claims to be on a
    dp.pollOnce();
    expect(dp.fdb({ port: 'b' })).toMatchObject([{ mac: B, static: true, age: 0 }]);
    expect(dp.stats('a').moved).toBe(0);
    expect(dp.fdbFlush({ bridge: 'br0' })).toBe(0);
    expect(dp.fdbFlush({ bridge: 'br0', includeStatic: true })).toBe(1);
    expect(dp.fdb()).toEqual([]);
  });

  it('enforces the per-port MAC limit: forwarded, not learned, counted', () => {
    dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    dp.addBridge('br0', 1024);
    dp.addPort({ ...port('a', 'access', 10), macLimit: 2 });
    dp.addPort(port('b', 'access', 10));
    for (let i = 0; i < 5; i++) dp.memInject('a', frame('ff:ff:ff:ff:ff:ff', `02:00:00:00:01:0${i}`));
    dp.pollOnce();
    let n = 0;
    while (dp.memPop('b')) n++;
    expect(n).toBe(5);
    expect(dp.port('a').macs).toBe(2);
    expect(dp.stats('a').mac_limit).toBe(3);
  });

  it('refuses unknown names with a clear error', () => {
    dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    expect(() => dp.stats('nope')).toThrow('no port named nope');
    expect(() => dp.addPort(port('x', 'access', 1))).toThrow('no bridge named br0');
    expect(() => macBytes('zz:00:00:00:00:00')).toThrow('invalid MAC address');
    dp.addBridge('br0', 64);
    expect(() => dp.addPort({ ...port('x', 'access', 1), backend: 'af-packet', name: 'no-such-if0' })).toThrow(/no such interface/);
  });
});
