// EVPN type-5 data plane through the wrapper (src/dataplane/tunnels.ts,
// vrfs.ts; native/core/vxlan_l3.c) over memory ports: a `vxlan` next hop
// (remote VTEP, L3 VNI, router MACs) sends the VM's packet as VXLAN with the
// VNI around Ethernet router MAC -> router MAC; a datagram on our L3 VNI to our
// router MAC is routed in the VRF to the VM; another inner MAC is counted
// (drop_bad_rmac); the tunnel is shared per (VTEP, VNI), taken from the top of
// the id space, read back by listRoutes, and bad input is refused.
import { afterEach, describe, expect, it } from 'vitest';

import { Dataplane, UNDERLAY_PORT, macBytes } from '../../src/dataplane/index.js';
import { limits } from '../../src/dataplane/constants.js';

const VM_MAC = '52:54:00:00:00:05';
const GW_MAC = '02:aa:00:00:00:01';
const RMAC = '02:00:5e:00:00:01'; // ours
const RMAC_R = '02:00:5e:00:00:02'; // the remote PE's

function csum(b: Buffer): number {
  let s = 0;
  for (let i = 0; i + 1 < b.length; i += 2) s += b.readUInt16BE(i);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** An IPv4 UDP packet (36 bytes) from `src` to `dst`. */
function ip4(src: string, dst: string, ttl: number): Buffer {
  const b = Buffer.alloc(36);
  b[0] = 0x45;
  b.writeUInt16BE(36, 2);
  b[8] = ttl;
  b[9] = 17;
  Buffer.from(src.split('.').map(Number)).copy(b, 12);
  Buffer.from(dst.split('.').map(Number)).copy(b, 16);
  b.writeUInt16BE(csum(b.subarray(0, 20)), 10);
  b.writeUInt16BE(1000, 20);
  b.writeUInt16BE(7, 22);
  b.writeUInt16BE(16, 24);
  return b;
}

const eth = (dst: string, src: string, packet: Buffer) => Buffer.concat([macBytes(dst), macBytes(src), Buffer.from([0x08, 0x00]), packet]);

/** Outer IPv4 192.0.2.2 -> 192.0.2.1, UDP 4789, VXLAN `vni`, then `frame`. */
function vxlan(vni: number, frame: Buffer): Buffer {
  const h = Buffer.alloc(36);
  h[0] = 0x45;
  h.writeUInt16BE(36 + frame.length, 2);
  h[8] = 64;
  h[9] = 17;
  Buffer.from([192, 0, 2, 2, 192, 0, 2, 1]).copy(h, 12);
  h.writeUInt16BE(csum(h.subarray(0, 20)), 10);
  h.writeUInt16BE(50000, 20);
  h.writeUInt16BE(4789, 22);
  h.writeUInt16BE(16 + frame.length, 24);
  h[28] = 0x08;
  h.writeUIntBE(vni, 32, 3);
  return Buffer.concat([h, frame]);
}

describe('EVPN type-5 data plane (VXLAN with an L3 VNI)', () => {
  let dp: Dataplane;
  afterEach(() => dp.close());

  function setup(): void {
    dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    dp.addVrf('red');
    dp.addPort({ name: 'vm', backend: 'memory', bridge: null, mode: 'vm', vrf: 'red', addresses: ['10.1.0.5/32'], mac: GW_MAC, vmMac: VM_MAC, vlan: 0, allowedVlans: [], macLimit: 0, mtu: 1500 });
    dp.setVtep({ address: '192.0.2.1', backend: 'memory', floodGroup: 1 });
    dp.l3vniSet(9000, 'red', RMAC);
    const nh = { kind: 'vxlan', remote: '192.0.2.2', vni: 9000, rmac: RMAC_R, smac: RMAC } as const;
    dp.setRoutes('red', [
      { prefix: '10.1.0.5/32', nexthops: [{ kind: 'mac', port: 'vm', mac: VM_MAC }], origin: 'vm' },
      { prefix: '10.2.0.0/16', nexthops: [nh], origin: 'bgp' },
      { prefix: '10.3.0.0/16', nexthops: [nh], origin: 'bgp' },
    ]);
  }

  it('a VM packet to a type-5 route: VXLAN with the L3 VNI, Ethernet between the router MACs, TTL - 1', () => {
    setup();
    const inner = ip4('10.1.0.5', '10.2.0.9', 64);
    dp.memInject('vm', eth(GW_MAC, VM_MAC, inner));
    dp.pollOnce();
    const out = dp.memPop(UNDERLAY_PORT)!;
    expect(out.length).toBe(36 + 14 + 36);
    expect([...out.subarray(12, 20)]).toEqual([192, 0, 2, 1, 192, 0, 2, 2]);
    expect(out.readUInt16BE(22)).toBe(4789);
    expect(out[28]).toBe(0x08);
    expect(out.readUIntBE(32, 3)).toBe(9000);
    expect(out.subarray(36, 42).equals(macBytes(RMAC_R))).toBe(true);
    expect(out.subarray(42, 48).equals(macBytes(RMAC))).toBe(true);
    expect(out.readUInt16BE(48)).toBe(0x0800);
    expect(out[50 + 8]).toBe(63);
    expect(csum(out.subarray(50, 70))).toBe(0);
    expect(dp.vtepStats()!.encap).toBe(1);
    // one tunnel for both routes, from the top of the id space; listRoutes reads the next hop back
    expect(dp.tunnels()).toEqual([{ id: limits.HV_MAX_TUNNELS - 1, remote: '192.0.2.2', vni: 9000 }]);
    expect(dp.listRoutes('red').find((r) => r.prefix === '10.2.0.0/16')!.nexthops).toEqual([
      { kind: 'vxlan', remote: '192.0.2.2', vni: 9000, rmac: RMAC_R, smac: RMAC },
    ]);
  });

  it('a datagram on our L3 VNI to our router MAC: routed in the VRF to the VM; another MAC counted', () => {
    setup();
    dp.memInject(UNDERLAY_PORT, vxlan(9000, eth(RMAC, RMAC_R, ip4('10.2.0.9', '10.1.0.5', 64))));
    dp.pollOnce();
    const f = dp.memPop('vm')!;
    expect(f.subarray(0, 12).equals(Buffer.concat([macBytes(VM_MAC), macBytes(GW_MAC)]))).toBe(true);
    expect(f[14 + 8]).toBe(63);
    dp.memInject(UNDERLAY_PORT, vxlan(9000, eth(RMAC_R, RMAC_R, ip4('10.2.0.9', '10.1.0.5', 64))));
    dp.pollOnce();
    expect(dp.memPop('vm')).toBeNull();
    expect(dp.vtepStats()).toMatchObject({ decap: 1, drop_bad_rmac: 1 });
  });

  it('refuses bad input naming the field', () => {
    setup();
    expect(() => dp.l3vniSet(1 << 24, 'red', RMAC)).toThrow(/vni/);
    expect(() => dp.l3vniSet(9001, 'red', '01:00:5e:00:00:01')).toThrow(/router-mac/);
    expect(() => dp.setRoutes('red', [{ prefix: '10.9.0.0/16', nexthops: [{ kind: 'vxlan', remote: '192.0.2.2', vni: 0, rmac: RMAC_R, smac: RMAC }], origin: 'bgp' }])).toThrow(/vni 0/);
    expect(() => dp.setRoutes('red', [{ prefix: '10.9.0.0/16', nexthops: [{ kind: 'vxlan', remote: '2001:db8::2', vni: 9, rmac: RMAC_R, smac: RMAC }], origin: 'bgp' }])).toThrow(/family/);
  });
});
