// Routed and VM ports through the wrapper, over memory ports: config -> routes
// (connected, local, VM host routes, static with ECMP), ARP resolution, VRFs.
import { afterEach, describe, expect, it } from 'vitest';

import { normalizeConfig, ConfigError, Controller } from '../../src/controller/index.js';
import { macBytes } from '../../src/dataplane/index.js';
import { createLogger } from '../../src/util/logger.js';

const VM_MAC = '52:54:00:00:00:05';
const GW_MAC = '02:bb:00:00:00:09';

function cfg(extra: object = {}) {
  return normalizeConfig({
    vrfs: {
      pub: { routes: [{ to: 'default', via: '192.0.2.2' }, { to: '::/0', via: '2001:db8::2' }, { to: '203.0.113.0/24', type: 'blackhole' }] },
      mgmt: { routes: [{ to: '10.0.0.0/8', via: ['198.18.0.2', '198.18.0.3'] }] },
    },
    ports: {
      vm1: { backend: 'memory', mode: 'vm', vrf: 'pub', 'vm-mac': VM_MAC, addresses: ['2.57.57.29/32', '2a14:9b80:103::100/128'] },
      up: { backend: 'memory', mode: 'routed', vrf: 'pub', mac: '02:aa:00:00:00:02', addresses: ['192.0.2.1/24', '2001:db8::1/64'] },
      m0: { backend: 'memory', mode: 'routed', vrf: 'mgmt', addresses: ['198.18.0.1/24'] },
    },
    ...extra,
  });
}

/** The controller runs the worker threads: wait for a frame to come out. */
async function popWait(dp: Controller['dataplane'], port: string): Promise<Buffer> {
  for (let i = 0; i < 200; i++) {
    const f = dp.memPop(port);
    if (f) return f;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`nothing came out of ${port}`);
}

describe('VRF routing (memory ports)', () => {
  let ctl: Controller | undefined;
  afterEach(() => {
    ctl?.close();
    ctl = undefined;
  });

  it('installs connected, local, VM and static routes per VRF', () => {
    ctl = new Controller(cfg(), createLogger('silent'));
    ctl.start(cfg());
    const pub = ctl!.dataplane.listRoutes('pub').map((r) => [r.prefix, r.origin, r.nexthops.map((n) => n.kind).join('+')]);
    expect(pub).toEqual(
      expect.arrayContaining([
        ['0.0.0.0/0', 'static', 'gateway'],
        ['::/0', 'static', 'gateway'],
        ['203.0.113.0/24', 'static', 'drop'],
        ['2.57.57.29/32', 'vm', 'mac'],
        ['2a14:9b80:103::100/128', 'vm', 'mac'],
        ['192.0.2.0/24', 'connected', 'connected'],
        ['192.0.2.1/32', 'local', 'local'],
        ['2001:db8::/64', 'connected', 'connected'],
        ['169.254.0.1/32', 'local', 'local'],
        ['fe80::1/128', 'local', 'local'],
      ]),
    );
    const mgmt = ctl!.dataplane.listRoutes('mgmt').find((r) => r.prefix === '10.0.0.0/8')!;
    expect(mgmt.nexthops).toEqual([
      { kind: 'gateway', port: 'm0', gw: '198.18.0.2' },
      { kind: 'gateway', port: 'm0', gw: '198.18.0.3' },
    ]);
  });

  it('routes a VM packet out of the uplink after ARP, and applies route changes as a diff', async () => {
    ctl = new Controller(cfg(), createLogger('silent'));
    ctl.start(cfg());
    const dp = ctl.dataplane;
    const c = ctl;
    const ip = Buffer.from([0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 2, 57, 57, 29, 198, 51, 100, 7, 0x30, 0x39, 0, 53, 0, 8, 0, 0]);
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
    ip.writeUInt16BE(~sum & 0xffff, 10);
    const frame = Buffer.concat([macBytes('02:00:00:00:00:99'), macBytes(VM_MAC), Buffer.from([0x08, 0x00]), ip]);
    dp.memInject('vm1', frame);
    const arp = await popWait(dp, 'up');
    expect(arp.readUInt16BE(12)).toBe(0x0806);
    expect([...arp.subarray(38, 42)]).toEqual([192, 0, 2, 2]);
    const reply = Buffer.concat([
      macBytes('02:aa:00:00:00:02'), macBytes(GW_MAC), Buffer.from([0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 2]),
      macBytes(GW_MAC), Buffer.from([192, 0, 2, 2]), macBytes('02:aa:00:00:00:02'), Buffer.from([192, 0, 2, 1]),
    ]);
    dp.memInject('up', reply);
    const routed = await popWait(dp, 'up');
    expect(routed.subarray(0, 6)).toEqual(macBytes(GW_MAC));
    expect(routed[14 + 8]).toBe(63);
    expect(dp.neighbors()).toEqual([{ port: 'up', ip: '192.0.2.2', mac: GW_MAC, state: 'reachable', age: expect.any(Number) }]);

    // a reload that drops the blackhole and adds a route changes just those
    const next = normalizeConfig({
      vrfs: {
        pub: { routes: [{ to: 'default', via: '192.0.2.2' }, { to: '::/0', via: '2001:db8::2' }, { to: '100.64.0.0/10', via: '192.0.2.3' }] },
        mgmt: { routes: [{ to: '10.0.0.0/8', via: ['198.18.0.2', '198.18.0.3'] }] },
      },
      ports: Object.fromEntries(
        c.running.ports.map((p) => [p.name, { backend: 'memory', mode: p.mode, vrf: p.vrf, addresses: p.addresses, ...(p.vmMac ? { 'vm-mac': p.vmMac } : {}), ...(p.name === 'up' ? { mac: '02:aa:00:00:00:02' } : {}) }]),
      ),
    });
    await c.apply(next);
    const prefixes = dp.listRoutes('pub').map((r) => r.prefix);
    expect(prefixes).toContain('100.64.0.0/10');
    expect(prefixes).not.toContain('203.0.113.0/24');
    expect(dp.port('up').id).toBeGreaterThanOrEqual(0);
  });

  it.each([
    [{ ports: { v: { backend: 'tap', mode: 'vm', vrf: 'x', 'vm-mac': VM_MAC, addresses: ['1.2.3.4/32'] } } }, 'ports.v.vrf', "no vrf named 'x'"],
    [{ vrfs: { a: {} }, ports: { v: { backend: 'tap', mode: 'vm', vrf: 'a', 'vm-mac': VM_MAC, addresses: ['1.2.3.0/24'] } } }, 'ports.v.addresses.0', '/32 or /128'],
    [{ vrfs: { a: {} }, ports: { v: { backend: 'tap', mode: 'vm', vrf: 'a', addresses: ['1.2.3.4/32'] } } }, 'ports.v.vm-mac', "needs the VM's MAC"],
    [{ vrfs: { a: {} }, ports: { r: { backend: 'tap', mode: 'routed', vrf: 'a', addresses: ['1.2.3.4'] } } }, 'ports.r.addresses.0', 'not an address/prefix-length'],
    [{ vrfs: { a: {} }, ports: { r: { backend: 'tap', mode: 'routed', vrf: 'a', vlan: 3, addresses: ['1.2.3.4/24'] } } }, 'ports.r.vlan', 'not for routed ports'],
    [{ vrfs: { a: { routes: [{ to: 'default', via: '9.9.9.9' }] } } }, 'vrfs.a.routes.0.via', 'in no subnet'],
    [{ vrfs: { a: { routes: [{ to: '10.0.0.0/33', via: '9.9.9.9' }] } } }, 'vrfs.a.routes.0.to', 'not a prefix'],
    [{ vrfs: { a: { routes: [{ to: '::/0', via: '9.9.9.9' }] } } }, 'vrfs.a.routes.0.via', 'not of the family'],
    [{ vrfs: { a: { routes: [{ to: '::/0' }] } } }, 'vrfs.a.routes.0.via', 'needs a gateway'],
  ])('refuses %j at %s', (raw, path, msg) => {
    try {
      normalizeConfig(raw);
      expect.unreachable('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const hit = (e as ConfigError).problems.find((p) => p.path === path);
      expect(hit, JSON.stringify((e as ConfigError).problems)).toBeDefined();
      expect(hit!.message).toContain(msg);
    }
  });
});
