// The benchmark's traffic, checked on the wire format: each scenario's trafgen
// configuration (bench/lib/trafgen.mjs) is run by trafgen itself into a pcap
// file, and the frames are read back — sizes, tags, addresses, counters, IPv4
// and UDP checksums — together with the routed scenarios' route set.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

// @ts-expect-error plain ESM of the harness, no types
import { routePrefixes, trafficDst } from '../../bench/lib/l3.mjs';
// @ts-expect-error plain ESM of the harness, no types
import { scenarioByName } from '../../bench/lib/scenarios.mjs';
// @ts-expect-error plain ESM of the harness, no types
import { DECAP_SPORT, MPLS_UDP_PORT, trafgenConfig } from '../../bench/lib/trafgen.mjs';

const dir = mkdtempSync(join(tmpdir(), 'hvb-traffic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const topo = { srcMac: '02:00:00:00:01:01', ip: { src: '198.18.0.1' } };
const routedTopo = { srcMac: '02:00:00:00:01:01', ip: { src: '198.18.1.1' } };
const DST_MAC = '02:00:00:00:02:02';

interface Frame { bytes: Buffer }

/** trafgen → pcap (classic format, microsecond) → frames. */
function generate(scenario: string, t: object, count: number): Frame[] {
  const scen = scenarioByName(scenario);
  const cfg = join(dir, `${scenario}.cfg`);
  const pcap = join(dir, `${scenario}.pcap`);
  writeFileSync(cfg, trafgenConfig({ topo: t, scen, dstMac: DST_MAC }));
  execFileSync('trafgen', ['-i', cfg, '-o', pcap, '-n', String(count), '-P', '1', '--no-sock-mem', '-Q'], { stdio: 'pipe' });
  const b = readFileSync(pcap);
  const frames: Frame[] = [];
  for (let off = 24; off + 16 <= b.length;) {
    const incl = b.readUInt32LE(off + 8);
    frames.push({ bytes: b.subarray(off + 16, off + 16 + incl) });
    off += 16 + incl;
  }
  return frames;
}

const mac = (b: Buffer, o: number) => [...b.subarray(o, o + 6)].map((x) => x.toString(16).padStart(2, '0')).join(':');
const ip = (b: Buffer, o: number) => [...b.subarray(o, o + 4)].join('.');

function ipv4ChecksumOk(h: Buffer): boolean {
  let s = 0;
  for (let i = 0; i < 20; i += 2) s += h.readUInt16BE(i);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return s === 0xffff;
}

/** Whether the UDP checksum of the datagram after IPv4 header `h` (20 B) is present and right (RFC 768, pseudo-header). */
function udpChecksumOk(h: Buffer): boolean {
  const len = h.readUInt16BE(2) - 20;
  const u = h.subarray(20, 20 + len);
  if (u.length !== len || u.readUInt16BE(6) === 0) return false;
  let s = 17 + len;
  for (let i = 12; i < 20; i += 2) s += h.readUInt16BE(i);
  for (let i = 0; i < len; i += 2) s += (u[i]! << 8) | (i + 1 < len ? u[i + 1]! : 0);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return s === 0xffff;
}

/** Ethernet / [802.1Q] / IPv4 / UDP, as both generators build it. */
function parse(f: Frame) {
  const b = f.bytes;
  const tagged = b.readUInt16BE(12) === 0x8100;
  const l3 = tagged ? 18 : 14;
  const h = b.subarray(l3);
  return {
    len: b.length, dst: mac(b, 0), src: mac(b, 6), vlan: tagged ? b.readUInt16BE(14) & 0xfff : 0,
    type: b.readUInt16BE(l3 - 2), ttl: h[8], proto: h[9], df: (h[6]! & 0x40) !== 0, csumOk: ipv4ChecksumOk(h),
    id: h.readUInt16BE(4), frag: h.readUInt16BE(6) & 0x3fff, tos: h[1], udpCsumOk: udpChecksumOk(h),
    sip: ip(h, 12), dip: ip(h, 16), sport: b.readUInt16BE(l3 + 20), dport: b.readUInt16BE(l3 + 22),
    ipLen: h.readUInt16BE(2),
  };
}

describe('benchmark traffic (trafgen configurations)', () => {
  it('access-64: 60 B frames (64 on the wire), one flow to the sink MAC and an address nobody owns', () => {
    const fs = generate('access-64', topo, 16).map(parse);
    expect(fs).toHaveLength(16);
    for (const f of fs) {
      expect(f).toMatchObject({ len: 60, dst: DST_MAC, src: topo.srcMac, vlan: 0, type: 0x0800, ttl: 64, proto: 17, df: true,
        csumOk: true, sip: '198.18.0.1', dip: '198.18.0.99', sport: 40000, dport: 9090, ipLen: 46 });
    }
  });

  it('access-imix: 64/594/1518 B on the wire, 7:4:1, interleaved', () => {
    const lens = generate('access-imix', topo, 24).map((f) => parse(f).len);
    const one = [60, 590, 60, 60, 590, 60, 1514, 60, 590, 60, 590, 60];
    expect(lens).toEqual([...one, ...one]);
    expect(generate('access-imix', topo, 12).map(parse).every((f) => f.csumOk)).toBe(true);
  });

  it('trunk-64: 802.1Q tag for VLAN 10, 64 B frame', () => {
    for (const f of generate('trunk-64', topo, 8).map(parse)) expect(f).toMatchObject({ len: 64, vlan: 10, type: 0x0800, csumOk: true });
  });

  it('vxlan: the hosts send the plain 64 B frames (the tunnel is the devices\' business), to the far host\'s MAC', () => {
    for (const f of generate('vxlan', topo, 8).map(parse)) {
      expect(f).toMatchObject({ len: 60, dst: DST_MAC, src: topo.srcMac, vlan: 0, type: 0x0800, csumOk: true, dip: '198.18.0.99', dport: 9090 });
    }
  });

  it('many-macs: source MACs count through 100k consecutive unicast, locally administered addresses', () => {
    const fs = generate('many-macs', topo, 300).map(parse);
    fs.forEach((f, i) => expect(f.src).toBe(`02:42:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`));
  });

  it('routed: to the router MAC, 198.19.0.99 behind the one route', () => {
    expect(routePrefixes(scenarioByName('routed'))).toEqual(['198.19.0.0/16']);
    for (const f of generate('routed', routedTopo, 8).map(parse)) expect(f).toMatchObject({ dst: DST_MAC, sip: '198.18.1.1', dip: '198.19.0.99', csumOk: true, udpCsumOk: true });
  });

  it('vpn-decap: MPLS-in-UDP from PE A to PE B with the label B advertised, around the routed scenario\'s 64 B packet', () => {
    const label = 0xabcde; // 20 bits: every bit of the label field in place
    const fs = generate('vpn-decap', { ...routedTopo, vpnLabel: label }, 4);
    expect(fs).toHaveLength(4);
    const routed = generate('routed', routedTopo, 1)[0]!.bytes;
    for (const { bytes: b } of fs) {
      const outer = parse({ bytes: b });
      // what PE A's send sockets put on the wire (port_udp.c): DF (IP_PMTUDISC_DO), IP ID 0 (an unconnected socket's
      // DF datagram), TOS 0, TTL 64, and a UDP checksum: Linux's UDP GRO merges no datagram with checksum 0
      expect(outer).toMatchObject({ len: 14 + 20 + 8 + 4 + 46, dst: DST_MAC, src: routedTopo.srcMac, type: 0x0800, ttl: 64, proto: 17, df: true,
        id: 0, frag: 0, tos: 0, csumOk: true, udpCsumOk: true, sip: '198.18.254.1', dip: '198.18.254.2', sport: DECAP_SPORT,
        dport: MPLS_UDP_PORT, ipLen: 20 + 8 + 4 + 46 });
      expect(b[14]).toBe(0x45); // IPv4, no options
      expect(MPLS_UDP_PORT).toBe(6635);
      expect(b.readUInt16BE(38)).toBe(8 + 4 + 46); // UDP length
      expect(b.readUInt16BE(40)).not.toBe(0); // the UDP checksum (checked above)
      const lse = b.readUInt32BE(42);
      expect({ label: lse >>> 12, tc: (lse >> 9) & 7, s: (lse >> 8) & 1, ttl: lse & 255 }).toEqual({ label, tc: 0, s: 1, ttl: 64 });
      // the inner packet: the routed scenario's frame without its Ethernet header, byte for byte (trafgen's own checksums)
      const inner = parse({ bytes: Buffer.concat([Buffer.alloc(12), Buffer.from([0x08, 0x00]), b.subarray(46)]) });
      expect(inner).toMatchObject({ len: 60, ttl: 64, proto: 17, df: true, id: 0, frag: 0, tos: 0, csumOk: true, udpCsumOk: true,
        sip: '198.18.1.1', dip: '198.19.0.99', sport: 40000, dport: 9090, ipLen: 46 });
      expect(b.subarray(46).equals(routed.subarray(14))).toBe(true);
    }
    expect(() => trafgenConfig({ topo: routedTopo, scen: scenarioByName('vpn-decap'), dstMac: DST_MAC })).toThrow(/no label/);
  });

  it('many-routes: a million distinct /24s, and frames spread over them with valid checksums', () => {
    const scen = scenarioByName('many-routes');
    const routes: string[] = routePrefixes(scen);
    expect(routes).toHaveLength(1_000_000);
    expect(routes[0]).toBe('16.0.0.0/24');
    expect(routes.at(-1)).toBe('31.66.63.0/24');
    expect(new Set(routes).size).toBe(1_000_000);
    expect(trafficDst(scen)).toEqual({ ip: '16.0.0.99', n: 1_000_000 });
    expect(() => routePrefixes({ name: 'x', l3: { routes: (1 << 20) + 1 } })).toThrow(/at most/);
    const toInt = (a: string) => a.split('.').reduce((x, y) => x * 256 + Number(y), 0);
    const fs = generate('many-routes', routedTopo, 2000).map(parse);
    const lo = toInt('16.0.0.0'), hi = toInt('31.66.63.255');
    for (const f of fs) {
      expect(f.csumOk).toBe(true);
      const d = toInt(f.dip);
      expect(d >= lo && d <= hi, f.dip).toBe(true);
    }
    expect(new Set(fs.map((f) => f.dip.split('.').slice(0, 3).join('.'))).size).toBeGreaterThan(1900); // ~all different /24s
  });
});
