// Shared by the L3 API/CLI unit tests: a config with two VRFs, a routed
// uplink, a routed VM port and an L2 port, all memory ports; IPv4 packets and
// ARP replies built byte by byte.
import { macBytes } from '../../src/dataplane/index.js';

export const UP_MAC = '02:aa:00:00:00:01';
export const VM_MAC = '52:54:00:00:00:05';
export const GW2_MAC = '02:bb:00:00:00:02';
export const GW3_MAC = '02:bb:00:00:00:03';

export const L3 = {
  bridges: { br0: {} },
  vrfs: {
    pub: { routes: [{ to: 'default', via: '192.0.2.2' }, { to: '::/0', via: '2001:db8::2' }] },
    mgmt: {},
  },
  ports: {
    m1: { backend: 'memory', bridge: 'br0', vlan: 10 },
    up: { backend: 'memory', mode: 'routed', vrf: 'pub', mac: UP_MAC, addresses: ['192.0.2.1/24', '2001:db8::1/64'] },
    vm1: { backend: 'memory', mode: 'vm', vrf: 'pub', 'vm-mac': VM_MAC, addresses: ['2.57.57.29/32', '2a14:9b80:103::100/128'] },
    mg: { backend: 'memory', mode: 'routed', vrf: 'mgmt', addresses: ['198.18.0.1/24'] },
  },
};

const ip4 = (s: string) => Buffer.from(s.split('.').map(Number));

/** An IPv4/UDP frame from the VM (its MAC and address) to `dst`. */
export function vmPacket(dst: string, dstMac = '02:00:00:00:00:99', src = '2.57.57.29'): Buffer {
  const ip = Buffer.concat([Buffer.from([0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0]), ip4(src), ip4(dst), Buffer.from([0x30, 0x39, 0, 53, 0, 8, 0, 0])]);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  ip.writeUInt16BE(~sum & 0xffff, 10);
  return Buffer.concat([macBytes(dstMac), macBytes(VM_MAC), Buffer.from([0x08, 0x00]), ip]);
}

/** An ARP reply from `ip`/`mac` to our address on the uplink. */
export function arpReply(ip: string, mac: string, to = '192.0.2.1', toMac = UP_MAC): Buffer {
  return Buffer.concat([
    macBytes(toMac), macBytes(mac), Buffer.from([0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 2]),
    macBytes(mac), ip4(ip), macBytes(toMac), ip4(to),
  ]);
}

/** The target address of an ARP request frame, or null if it is not one. */
export function arpTarget(f: Buffer): string | null {
  if (f.readUInt16BE(12) !== 0x0806 || f.readUInt16BE(20) !== 1) return null;
  return [...f.subarray(38, 42)].join('.');
}
