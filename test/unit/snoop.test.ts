// ARP/ND snooping (src/vpn/snoop.ts): which (MAC, IP) bindings a VM's frames show.
import { describe, expect, it } from 'vitest';

import { macBytes } from '../../src/dataplane/index.js';
import { snoop } from '../../src/vpn/snoop.js';

const VM = '52:54:00:00:00:05';
const eth = (type: number, tag = false) =>
  Buffer.concat([macBytes('ff:ff:ff:ff:ff:ff'), macBytes(VM), ...(tag ? [Buffer.from([0x81, 0x00, 0x00, 0x0a])] : []), Buffer.from([type >> 8, type & 255])]);

function arp(spa: number[], sha = VM, tag = false): Buffer {
  const a = Buffer.alloc(28);
  a.writeUInt16BE(1, 0); a.writeUInt16BE(0x0800, 2); a[4] = 6; a[5] = 4; a.writeUInt16BE(1, 6);
  macBytes(sha).copy(a, 8);
  Buffer.from(spa).copy(a, 14);
  Buffer.from([10, 0, 0, 9]).copy(a, 24);
  return Buffer.concat([eth(0x0806, tag), a]);
}

function nd(type: 135 | 136, src: string, target: string): Buffer {
  const ip = Buffer.alloc(40);
  ip[0] = 0x60; ip.writeUInt16BE(24, 4); ip[6] = 58; ip[7] = 255;
  Buffer.from(src.split(':').flatMap((g) => [parseInt(g.padStart(4, '0').slice(0, 2), 16), parseInt(g.padStart(4, '0').slice(2), 16)])).copy(ip, 8);
  const icmp = Buffer.alloc(24);
  icmp[0] = type;
  Buffer.from(target.split(':').flatMap((g) => [parseInt(g.padStart(4, '0').slice(0, 2), 16), parseInt(g.padStart(4, '0').slice(2), 16)])).copy(icmp, 8);
  return Buffer.concat([eth(0x86dd), ip, icmp]);
}

describe('ARP/ND snooping', () => {
  it('RFC 826: an ARP request or reply shows the sender binding, tagged or not', () => {
    expect(snoop(arp([10, 100, 0, 5]))).toEqual({ mac: VM, ip: '10.100.0.5' });
    expect(snoop(arp([10, 100, 0, 5], VM, true))).toEqual({ mac: VM, ip: '10.100.0.5' });
  });

  it('an ARP probe (sender 0.0.0.0) or a sender hardware address other than the source shows nothing', () => {
    expect(snoop(arp([0, 0, 0, 0]))).toBeNull();
    expect(snoop(arp([10, 100, 0, 5], '52:54:00:00:00:99'))).toBeNull();
    expect(snoop(arp([10, 100, 0, 5]).subarray(0, 30))).toBeNull();
  });

  it('RFC 4861: an advertisement shows its target, a solicitation its source; DAD and link-local show nothing', () => {
    expect(snoop(nd(136, 'fe80:0:0:0:0:0:0:5', '2001:db8:0:0:0:0:0:5'))).toEqual({ mac: VM, ip: '2001:db8::5' });
    expect(snoop(nd(135, '2001:db8:0:0:0:0:0:5', '2001:db8:0:0:0:0:0:1'))).toEqual({ mac: VM, ip: '2001:db8::5' });
    expect(snoop(nd(135, '0:0:0:0:0:0:0:0', '2001:db8:0:0:0:0:0:5'))).toBeNull(); // duplicate address detection
    expect(snoop(nd(136, 'fe80:0:0:0:0:0:0:5', 'fe80:0:0:0:0:0:0:5'))).toBeNull();
  });
});
