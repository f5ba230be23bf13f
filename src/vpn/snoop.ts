// ARP/ND snooping for EVPN MAC/IP routes (RFC 7432 §9.2.1): from a frame a VM
// sent (copied to the controller by the core's arp/nd punt classes), the IP
// address it claims for its MAC.  ARP (RFC 826): the sender's protocol
// address when the sender hardware address is the frame's source (not 0.0.0.0,
// an ARP probe).  IPv6 (RFC 4861): a neighbor advertisement's target address,
// or a solicitation's source address (not ::, duplicate address detection);
// link-local addresses are not advertised.
import { formatIp } from '../util/ip.js';

export interface Snooped {
  mac: string;
  ip: string;
}

const macText = (b: Buffer, o: number) => [...b.subarray(o, o + 6)].map((x) => x.toString(16).padStart(2, '0')).join(':');

/** The (MAC, IP) binding a frame shows, or null. */
export function snoop(f: Buffer): Snooped | null {
  if (f.length < 14) return null;
  let l3 = 14;
  let type = f.readUInt16BE(12);
  if (type === 0x8100 && f.length >= 18) {
    type = f.readUInt16BE(16);
    l3 = 18;
  }
  const src = macText(f, 6);
  if (type === 0x0806) {
    if (f.length < l3 + 28 || f.readUInt16BE(l3) !== 1 || f.readUInt16BE(l3 + 2) !== 0x0800 || f[l3 + 4] !== 6 || f[l3 + 5] !== 4) return null;
    if (macText(f, l3 + 8) !== src) return null;
    const spa = f.subarray(l3 + 14, l3 + 18);
    if (spa.every((x) => x === 0)) return null;
    return { mac: src, ip: formatIp(spa) };
  }
  if (type === 0x86dd) {
    if (f.length < l3 + 40 + 24 || f[l3 + 6] !== 58) return null;
    const icmp = l3 + 40;
    const addr = f[icmp] === 136 ? f.subarray(icmp + 8, icmp + 24) : f[icmp] === 135 ? f.subarray(l3 + 8, l3 + 24) : null;
    if (!addr || addr.every((x) => x === 0) || (addr[0] === 0xfe && (addr[1]! & 0xc0) === 0x80)) return null;
    return { mac: src, ip: formatIp(addr) };
  }
  return null;
}
