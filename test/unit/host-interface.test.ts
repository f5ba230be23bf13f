// Host interfaces of VRFs without root: the config rules (each error names its
// field), the vm port a host interface is to the switch, the raw round trip
// the API edits through, and the ip(8) commands host-side.ts runs for a first
// apply, an unchanged reload, changed routes, a removal and a failure (with a
// recording runner; the real commands run in test/netns/host-interface.test.ts).
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';

import { toRawConfig } from '../../src/api/convert.js';
import { ConfigError, normalizeConfig, type ApplySummary } from '../../src/controller/index.js';
import { HostSide, HostSideError } from '../../src/controller/host-side.js';

const base = (vrfs: object, ports: object = {}) => ({ vrfs, ports });
const problems = (raw: object) => {
  try {
    normalizeConfig(raw);
    return [];
  } catch (e) {
    return (e as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
};

describe('vrfs.<name>.host-interface config', () => {
  it('becomes a vm port of its VRF with the host addresses as host routes and a derived host-side MAC', () => {
    const c = normalizeConfig(base({ mgmt: { 'host-interface': { name: 'hv-mgmt0', addresses: ['10.0.0.1/24', '2001:db8::1/64'], routes: ['default', '10.0.0.0/24'] } } }));
    const h = c.vrfs[0]!.hostInterface!;
    expect(h).toMatchObject({ name: 'hv-mgmt0', addresses: ['10.0.0.1/24', '2001:db8::1/64'], routes: ['10.0.0.0/24', '2001:db8::/64', '0.0.0.0/0'], metric: null, table: null, mtu: 1500 });
    expect(h.mac).toMatch(/^0a(:[0-9a-f]{2}){5}$/);
    expect(normalizeConfig(base({ mgmt: { 'host-interface': { name: 'hv-mgmt0', addresses: ['10.0.0.1/24'] } } })).vrfs[0]!.hostInterface!.mac).toBe(h.mac);
    expect(c.ports).toEqual([
      { name: 'hv-mgmt0', backend: 'tap', bridge: null, mode: 'vm', vrf: 'mgmt', addresses: ['10.0.0.1/32', '2001:db8::1/128'], mac: null, vmMac: h.mac, vlan: 0, allowedVlans: [], macLimit: 4096, mtu: 1500, neighbors: [], hosts: [] },
    ]);
  });

  it('refuses bad fields, naming them', () => {
    expect(problems(base({ a: { 'host-interface': { name: 'a-name-that-is-too-long', addresses: ['10.0.0.300/32'], routes: ['10.1.0.0'], mac: '01:00:5e:00:00:01' } } }))).toEqual([
      'vrfs.a.host-interface.name: must be a Linux interface name: 1-15 characters of A-Z a-z 0-9 _ . : -',
      "vrfs.a.host-interface.addresses.0: '10.0.0.300/32' is not an address/prefix-length",
      "vrfs.a.host-interface.routes.0: '10.1.0.0' is not a prefix (CIDR), 'default' or '::/0'",
      'vrfs.a.host-interface.mac: must be a unicast MAC address like 0a:00:00:00:00:01',
    ]);
    expect(problems(base({ a: { 'host-interface': { name: 'h0', addresses: [] } } }))).toEqual(['vrfs.a.host-interface.addresses: must NOT have fewer than 1 items']);
    expect(problems(base({ a: { 'host-interface': { name: 'vm1', addresses: ['10.0.0.1/32'] } } }, { vm1: { backend: 'memory', bridge: undefined, mode: 'routed', vrf: 'a', addresses: ['10.9.0.1/24'] } }))).toEqual([
      "vrfs.a.host-interface.name: 'vm1' is also a port (ports.vm1)",
    ]);
  });

  it('two VRFs may route the same prefix into the host only with another table or metric', () => {
    const hi = (extra: object) => ({ 'host-interface': { name: 'h', addresses: ['10.0.0.1/32'], routes: ['10.1.0.0/24'], ...extra } });
    const two = (a: object, b: object) => base({ red: { 'host-interface': { ...hi(a)['host-interface'], name: 'hr' } }, blue: { 'host-interface': { ...hi(b)['host-interface'], name: 'hb' } } });
    expect(problems(two({}, {}))).toEqual([
      'vrfs.blue.host-interface.routes: 10.1.0.0/24 is also routed through the host interface of vrf red in the same table and metric: give one of them another metric or table',
    ]);
    expect(problems(two({}, { metric: 10 }))).toEqual([]);
    expect(problems(two({ table: 100 }, { table: 101 }))).toEqual([]);
    expect(problems(base({ red: hi({}), blue: hi({ metric: 5 }) }))).toEqual(["vrfs.blue.host-interface.name: 'h' is also the host interface of vrf red"]);
  });

  it('survives the raw round trip API edits go through (written under its VRF, not under ports)', () => {
    const c = normalizeConfig(base({ mgmt: { 'host-interface': { name: 'hv-mgmt0', addresses: ['10.0.0.1/24'], routes: ['default'], metric: 7, table: 100, mtu: 9000 }, routes: [{ to: '192.0.2.0/24', type: 'blackhole' }] } }, { t1: { backend: 'memory', bridge: undefined } }));
    const raw = toRawConfig(c);
    expect(Object.keys(raw.ports ?? {})).toEqual(['t1']);
    expect(raw.vrfs?.mgmt?.['host-interface']).toMatchObject({ name: 'hv-mgmt0', metric: 7, table: 100, mtu: 9000 });
    expect(normalizeConfig(raw)).toEqual(c);
  });
});

describe('host side (ip commands)', () => {
  const log = pino({ level: 'silent' });
  const summary = (added: string[] = [], changed: string[] = []): ApplySummary => ({ bridgesAdded: [], bridgesRemoved: [], portsAdded: added, portsRemoved: [], portsChanged: changed, portsAbsent: [] });
  const cfg = (hi: object | null) => normalizeConfig(base({ red: hi ? { 'host-interface': { name: 'hr', mac: '0a:00:00:00:00:01', ...hi } } : {} }));

  it('configures a new TAP, does nothing on an unchanged reload, changes only the difference, undoes a removal', () => {
    const cmds: string[] = [];
    const hs = new HostSide(log, (a) => void cmds.push(a.join(' ')));
    hs.apply(cfg({ addresses: ['10.0.0.1/24', '2001:db8::1/128'], routes: ['10.1.0.0/24'], metric: 5 }), summary(['hr']));
    expect(cmds).toEqual([
      'link set dev hr address 0a:00:00:00:00:01 up',
      '-4 addr replace 10.0.0.1/24 dev hr noprefixroute',
      '-6 addr replace 2001:db8::1/128 dev hr noprefixroute nodad',
      '-4 route del 10.0.0.0/24 via 169.254.0.1 dev hr onlink metric 5',
      '-4 route add 10.0.0.0/24 via 169.254.0.1 dev hr onlink metric 5',
      '-4 route del 10.1.0.0/24 via 169.254.0.1 dev hr onlink metric 5',
      '-4 route add 10.1.0.0/24 via 169.254.0.1 dev hr onlink metric 5',
    ]);
    cmds.length = 0;
    hs.apply(cfg({ addresses: ['10.0.0.1/24', '2001:db8::1/128'], routes: ['10.1.0.0/24'], metric: 5 }), summary());
    expect(cmds).toEqual([]);
    hs.apply(cfg({ addresses: ['10.0.0.1/24'], routes: ['2001:db8:1::/48'], metric: 5 }), summary());
    expect(cmds).toEqual([
      'addr del 2001:db8::1/128 dev hr',
      '-4 route del 10.1.0.0/24 via 169.254.0.1 dev hr onlink metric 5',
      'link set dev hr address 0a:00:00:00:00:01 up',
      '-4 addr replace 10.0.0.1/24 dev hr noprefixroute',
      '-6 route del 2001:db8:1::/48 via fe80::1 dev hr metric 5',
      '-6 route add 2001:db8:1::/48 via fe80::1 dev hr metric 5',
    ]);
    cmds.length = 0;
    hs.apply(cfg(null), summary());
    expect(cmds).toEqual([
      '-4 route del 10.0.0.0/24 via 169.254.0.1 dev hr onlink metric 5',
      '-6 route del 2001:db8:1::/48 via fe80::1 dev hr metric 5',
      'addr del 10.0.0.1/24 dev hr',
    ]);
  });

  it('a failing command names the host interface and is retried by the next apply', () => {
    let fail = true;
    const cmds: string[] = [];
    const hs = new HostSide(log, (a) => {
      if (fail && a.includes('add')) throw new Error(`ip ${a.join(' ')}: RTNETLINK answers: File exists`);
      cmds.push(a.join(' '));
    });
    const c = cfg({ addresses: ['10.0.0.1/32'], routes: ['10.1.0.0/24'] });
    expect(() => hs.apply(c, summary(['hr']))).toThrow(HostSideError);
    expect(() => hs.apply(c, summary())).toThrow(/^vrfs\.red\.host-interface: ip -4 route add 10\.1\.0\.0\/24 via 169\.254\.0\.1 dev hr onlink: RTNETLINK answers: File exists$/);
    fail = false;
    cmds.length = 0;
    hs.apply(c, summary());
    expect(cmds).toContain('-4 route add 10.1.0.0/24 via 169.254.0.1 dev hr onlink');
  });
});
