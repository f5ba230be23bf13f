/** Daemon YAML `bgp:` section: TypeBox schema, semantic checks naming the field, mapping to speaker options. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { speakerOptionsFromConfig, validateBgpConfig, type BgpConfig } from '../../../src/bgp/config.js';

const yaml = `
global: { as: 65000, router-id: 10.255.0.3 }
neighbors:
  - neighbor-address: 10.255.0.1
    peer-as: 65000
    afi-safis: [ipv4-unicast, l3vpn-ipv4-unicast, l2vpn-evpn, rtc]
    timers: { hold-time: 30, keepalive-interval: 10 }
    graceful-restart: { enabled: true, restart-time: 90 }
    route-reflector-client: false
    max-prefix: 100000
  - { neighbor-address: 10.255.0.4, peer-as: 65001, afi-safis: [ipv6, vpnv6], passive: true }
`;

describe('bgp config', () => {
  it('accepts the GoBGP-style example and maps it to speaker options', () => {
    const c = parse(yaml) as BgpConfig;
    expect(validateBgpConfig(c)).toEqual([]);
    const { speaker, neighbors } = speakerOptionsFromConfig(c);
    expect(speaker).toEqual({ asn: 65000, routerId: '10.255.0.3', listenPort: 179 });
    expect(neighbors[0]).toMatchObject({ address: '10.255.0.1', peerAs: 65000, families: ['ipv4', 'vpnv4', 'evpn', 'rtc'], holdTime: 30, keepaliveInterval: 10, gracefulRestart: { enabled: true, restartTime: 90 }, maxPrefix: 100000, passive: false });
    expect(neighbors[1]).toMatchObject({ address: '10.255.0.4', peerAs: 65001, families: ['ipv6', 'vpnv6'], passive: true });
  });
  it('errors name the field path and the rule', () => {
    const bad = parse(yaml) as BgpConfig;
    bad.neighbors[0]!.timers = { 'hold-time': 2 };
    expect(validateBgpConfig(bad).map((e) => e.path)).toContain('/neighbors/0/timers/hold-time');
    const fam = parse(yaml) as { neighbors: Array<{ 'afi-safis': string[] }> };
    fam.neighbors[0]!['afi-safis'] = ['ipv4-multicast'];
    expect(validateBgpConfig(fam).some((e) => e.path.startsWith('/neighbors/0/afi-safis'))).toBe(true);
    const rid = parse(yaml) as BgpConfig;
    rid.global['router-id'] = 'not-an-ip';
    expect(validateBgpConfig(rid)).toContainEqual({ path: '/global/router-id', message: 'must be an IPv4 address' });
    const ka = parse(yaml) as BgpConfig;
    ka.neighbors[0]!.timers = { 'hold-time': 9, 'keepalive-interval': 5 };
    expect(validateBgpConfig(ka)).toContainEqual({ path: '/neighbors/0/timers/keepalive-interval', message: 'must be at most a third of hold-time' });
    const dup = parse(yaml) as BgpConfig;
    dup.neighbors[1]!['neighbor-address'] = '10.255.0.1';
    expect(validateBgpConfig(dup)).toContainEqual({ path: '/neighbors/1/neighbor-address', message: 'duplicate neighbor' });
    const extra = parse(yaml) as Record<string, unknown>;
    extra.bogus = 1;
    expect(validateBgpConfig(extra).length).toBeGreaterThan(0);
  });
});
