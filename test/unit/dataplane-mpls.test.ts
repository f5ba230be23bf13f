// L3 VPN data plane through the wrapper (src/dataplane/mpls.ts, native/core/mpls.h)
// over memory ports: a VPN route's next hop (remote PE, label, encapsulation)
// sends the VM's packet into MPLS over UDP or GRE on the PE's underlay port,
// an ECMP group of two PEs spreads flows, a datagram to one of our labels is
// popped into its VRF and reaches the VM, unknown labels are counted, and bad
// input is refused naming the field.
import { afterEach, describe, expect, it } from 'vitest';

import { Dataplane, MPLS_UNDERLAY_PORT, macBytes } from '../../src/dataplane/index.js';

const VM_MAC = '52:54:00:00:00:05';
const GW_MAC = '02:aa:00:00:00:01';

function csum(b: Buffer): number {
  let s = 0;
  for (let i = 0; i + 1 < b.length; i += 2) s += b.readUInt16BE(i);
  if (b.length & 1) s += b[b.length - 1]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** An IPv4 UDP packet (20 + 8 + 8 bytes) from `src` to `dst`, ports `sport` -> 7. */
function ip4(src: string, dst: string, ttl: number, sport = 1000): Buffer {
  const b = Buffer.alloc(36);
  b[0] = 0x45;
  b.writeUInt16BE(36, 2);
  b[8] = ttl;
  b[9] = 17;
  Buffer.from(src.split('.').map(Number)).copy(b, 12);
  Buffer.from(dst.split('.').map(Number)).copy(b, 16);
  b.writeUInt16BE(csum(b.subarray(0, 20)), 10);
  b.writeUInt16BE(sport, 20);
  b.writeUInt16BE(7, 22);
  b.writeUInt16BE(16, 24);
  return b;
}

function fromVm(packet: Buffer): Buffer {
  return Buffer.concat([macBytes(GW_MAC), macBytes(VM_MAC), Buffer.from([0x08, 0x00]), packet]);
}

/** Outer IPv4 from 192.0.2.2 to us, UDP to 6635, one label entry, `inner`. */
function mplsUdp(label: number, ttl: number, inner: Buffer): Buffer {
  const udp = Buffer.alloc(12);
  udp.writeUInt16BE(50000, 0);
  udp.writeUInt16BE(6635, 2);
  udp.writeUInt16BE(12 + inner.length, 4);
  udp.writeUInt32BE(((label << 12) | 0x100 | ttl) >>> 0, 8);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 12 + inner.length, 2);
  ip[8] = 64;
  ip[9] = 17;
  Buffer.from([192, 0, 2, 2]).copy(ip, 12);
  Buffer.from([192, 0, 2, 1]).copy(ip, 16);
  ip.writeUInt16BE(csum(ip), 10);
  return Buffer.concat([ip, udp, inner]);
}

describe('L3 VPN data plane (MPLS over UDP / GRE)', () => {
  let dp: Dataplane;
  afterEach(() => dp.close());

  function setup(): void {
    dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    dp.addVrf('blue');
    dp.addVrf('red');
    dp.addPort({ name: 'vm', backend: 'memory', bridge: null, mode: 'vm', vrf: 'blue', addresses: ['10.1.0.5/32'], mac: GW_MAC, vmMac: VM_MAC, vlan: 0, allowedVlans: [], macLimit: 0, mtu: 1500 });
    dp.mpls.setPe({ address: '192.0.2.1', backend: 'memory' });
    dp.setRoutes('blue', [
      { prefix: '10.1.0.5/32', nexthops: [{ kind: 'mac', port: 'vm', mac: VM_MAC }], origin: 'vm' },
      { prefix: '10.2.0.0/16', nexthops: [{ kind: 'mpls', remote: '192.0.2.2', label: 100, encap: 'udp' }], origin: 'bgp' },
      { prefix: '10.4.0.0/16', nexthops: [{ kind: 'mpls', remote: '192.0.2.2', label: 101, encap: 'gre' }], origin: 'bgp' },
      {
        prefix: '10.3.0.0/16',
        nexthops: [
          { kind: 'mpls', remote: '192.0.2.3', label: 200, encap: 'gre' },
          { kind: 'mpls', remote: '192.0.2.4', label: 300, encap: 'udp' },
        ],
        origin: 'bgp',
      },
    ]);
  }

  it('sends a VM packet to a VPN route as MPLS over UDP: outer IPv4, UDP 6635, label, TTL copied', () => {
    setup();
    const inner = ip4('10.1.0.5', '10.2.0.9', 64);
    dp.memInject('vm', fromVm(inner));
    dp.pollOnce();
    const out = dp.memPop(MPLS_UNDERLAY_PORT)!;
    expect(out.length).toBe(20 + 8 + 4 + 36);
    expect([...out.subarray(12, 20)]).toEqual([192, 0, 2, 1, 192, 0, 2, 2]);
    expect(out[9]).toBe(17);
    expect(csum(out.subarray(0, 20))).toBe(0);
    expect(out.readUInt16BE(20)).toBeGreaterThanOrEqual(49152);
    expect(out.readUInt16BE(22)).toBe(6635);
    expect(out.readUInt32BE(28)).toBe(((100 << 12) | 0x100 | 63) >>> 0);
    expect(out[32 + 8]).toBe(63); // the inner TTL, decremented
    expect(out.subarray(32 + 12).equals(inner.subarray(12))).toBe(true);
    expect(dp.mpls.stats()!.mpls_encap).toBe(1);
  });

  it('MPLS over GRE: protocol 47, GRE 0x8847, the route label', () => {
    setup();
    dp.memInject('vm', fromVm(ip4('10.1.0.5', '10.4.1.1', 9)));
    dp.pollOnce();
    const out = dp.memPop(MPLS_UNDERLAY_PORT)!;
    expect(out[9]).toBe(47);
    expect(out.readUInt32BE(20)).toBe(0x8847);
    expect(out.readUInt32BE(24)).toBe(((101 << 12) | 0x100 | 8) >>> 0);
  });

  it('an ECMP group of two PEs keeps a flow on one tunnel and uses both', () => {
    setup();
    const seen = new Set<string>();
    for (let i = 0; i < 32; i++) {
      const pkt = fromVm(ip4('10.1.0.5', '10.3.0.1', 64, 2000 + i));
      const dests: string[] = [];
      for (let k = 0; k < 2; k++) {
        dp.memInject('vm', pkt);
        dp.pollOnce();
        dests.push(dp.memPop(MPLS_UNDERLAY_PORT)!.subarray(16, 20).join('.'));
      }
      expect(dests[0]).toBe(dests[1]);
      seen.add(dests[0]!);
    }
    expect([...seen].sort()).toEqual(['192.0.2.3', '192.0.2.4']);
    expect(dp.mpls.tunnels()).toEqual([
      { id: 1, remote: '192.0.2.2', encap: 'udp' },
      { id: 2, remote: '192.0.2.2', encap: 'gre' },
      { id: 3, remote: '192.0.2.3', encap: 'gre' },
      { id: 4, remote: '192.0.2.4', encap: 'udp' },
    ]);
    const r = dp.listRoutes('blue').find((x) => x.prefix === '10.3.0.0/16')!;
    expect(r.nexthops).toEqual([
      { kind: 'mpls', remote: '192.0.2.3', label: 200, encap: 'gre' },
      { kind: 'mpls', remote: '192.0.2.4', label: 300, encap: 'udp' },
    ]);
  });

  it('pops a label into its VRF: the VM gets the packet, TTL min(label, inner) - 1; unknown labels are counted', () => {
    setup();
    dp.mpls.labelSet(1000, 'blue');
    dp.mpls.labelSet(2000, 'red');
    expect(dp.mpls.labels()).toEqual([{ label: 1000, vrf: 'blue' }, { label: 2000, vrf: 'red' }]);
    dp.memInject(MPLS_UNDERLAY_PORT, mplsUdp(1000, 10, ip4('10.2.0.9', '10.1.0.5', 64)));
    dp.pollOnce();
    const got = dp.memPop('vm')!;
    expect(got.subarray(0, 6).equals(macBytes(VM_MAC))).toBe(true);
    expect(got[14 + 8]).toBe(9);
    expect(csum(got.subarray(14, 34))).toBe(0);
    dp.memInject(MPLS_UNDERLAY_PORT, mplsUdp(1234, 64, ip4('10.2.0.9', '10.1.0.5', 64)));
    dp.memInject(MPLS_UNDERLAY_PORT, mplsUdp(2000, 64, ip4('10.2.0.9', '10.1.0.5', 64))); // red has no route to the VM
    dp.pollOnce();
    expect(dp.memPop('vm')).toBeNull();
    const s = dp.mpls.stats()!;
    expect([s.mpls_decap, s.drop_unknown_label, s.drop_no_route]).toEqual([2, 1, 1]);
    dp.removeVrf('red');
    expect(dp.mpls.labels()).toEqual([{ label: 1000, vrf: 'blue' }]);
    expect(dp.mpls.labelDel(1000)).toBe(true);
    expect(dp.mpls.labelDel(1000)).toBe(false);
  });

  it('refuses bad input, naming the field', () => {
    setup();
    const route = (nh: { remote: string; label: number; encap: 'udp' | 'gre' }) => () =>
      dp.setRoutes('blue', [{ prefix: '10.9.0.0/16', nexthops: [{ kind: 'mpls', ...nh }], origin: 'bgp' }]);
    expect(route({ remote: '192.0.2.2', label: 3, encap: 'udp' })).toThrow('mpls next hop: label 3 is not 16-1048575');
    expect(route({ remote: '2001:db8::2', label: 100, encap: 'udp' })).toThrow('not of the PE address\'s family (IPv4)');
    expect(route({ remote: 'pe2', label: 100, encap: 'udp' })).toThrow("remote 'pe2' is not an IP address");
    expect(route({ remote: '192.0.2.2', label: 100, encap: 'vxlan' as 'udp' })).toThrow("encap 'vxlan' is not udp or gre");
    expect(() => dp.mpls.labelSet(15, 'blue')).toThrow(/^label: 15 is not 16-1048575/);
    expect(() => dp.mpls.labelSet(100, 'green')).toThrow('no vrf named green');
    expect(() => dp.mpls.setPe({ address: 'pe1' })).toThrow("pe: address 'pe1' is not an IP address");
  });

  it('without a PE, an MPLS next hop is refused', () => {
    dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    dp.addVrf('blue');
    expect(() => dp.setRoutes('blue', [{ prefix: '10.9.0.0/16', nexthops: [{ kind: 'mpls', remote: '192.0.2.2', label: 100, encap: 'udp' }], origin: 'bgp' }])).toThrow(
      'mpls next hop: no PE address configured',
    );
    expect(dp.mpls.pe()).toBeNull();
  });
});
