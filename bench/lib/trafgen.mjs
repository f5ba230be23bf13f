// The traffic generator's two implementations, one interface: `generator(ctx)`
// returns how to start it for a pps window and how to read its report.
//
//   trafgen  netsniff-ng's trafgen (the default): one process (-P 1, which
//            trafgen pins to CPU 0 itself), its TX ring, flat out, a packet
//            configuration written per scenario: the frame as protocol header
//            functions, the 100k source MACs as `sa=dinc(0, 99999)` (the last 4
//            bytes count), the routed destinations as `da=drnd(min, max)` over
//            the routes' range (trafgen redoes the IPv4 checksum of a field it
//            changes), IMIX as 12 packets sent round robin (7:4:1 interleaved).
//            It runs until the harness sends SIGINT to its process group (its
//            forked worker does not get a signal sent to the parent alone).
//   hvgen    bench/gen/hvgen.c: the same frames from our own TX-ring generator,
//            which stops by itself and can visit the routed destinations in a
//            scattered order (`-n`) rather than at random.
//
// Both build the same frames: Ethernet / [802.1Q] / IPv4 (DF, TTL 64) / UDP
// 40000 -> 9090, zero payload, 64 B on the wire with the FCS (a tag adds 4).
//
// vpn-decap (trafgen only): what PE A would send PE B for that frame, built
// here byte by byte: Ethernet / IPv4 198.18.254.1 > .2 (DF, IP ID 0, TTL 64)
// / UDP 49152 -> 6635 with its checksum / one MPLS label stack entry (the
// label PE B advertised, topo.vpnLabel; S, TTL 64) / the routed scenario's
// IPv4/UDP packet (46 B: 64 B on the wire as a frame, its UDP checksum too).
// That is what a hvswitch PE A's send sockets put on the wire (port_udp.c):
// IP_PMTUDISC_DO sets DF, and an unconnected socket's DF datagrams get IP ID
// 0 (ip_select_ident_segs); the kernel (or the NIC) fills in the UDP checksum.
// The checksum matters beyond form: Linux's UDP GRO merges no datagram whose
// checksum is 0 (udp_gro_receive_segment: "requires non zero csum"), although
// RFC 7510 §3 allows 0 over IPv4, so with 0 no run could form for B's UDP_GRO
// socket whatever the receive side did.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { trafficDst } from './l3.mjs';
import { SINK_IP, UNDERLAY } from './topo.mjs';

export const GENERATORS = ['trafgen', 'hvgen'];

const IMIX = { wire: [64, 594, 1518], order: [0, 1, 0, 0, 1, 0, 2, 0, 1, 0, 1, 0] };
const HEADERS = 14 + 20 + 8; // Ethernet + IPv4 + UDP, without a tag
/** Where the frames go: L2, an address on the sink's subnet nobody owns; routed, the route(s) via the sink. */
const destination = (scen) => (scen.l3 ? trafficDst(scen) : { ip: SINK_IP(scen.vlan), n: 1 });
const ipInt = (ip) => ip.split('.').reduce((a, b) => a * 256 + Number(b), 0);

const macBytes = (m) => m.split(':').map((x) => parseInt(x, 16));
const ipBytes = (a) => a.split('.').map(Number);
function ipv4Header(src, dst, proto, payloadLen) {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + payloadLen, 2);
  h.writeUInt16BE(0x4000, 6); // DF
  h[8] = 64;
  h[9] = proto;
  Buffer.from(ipBytes(src)).copy(h, 12);
  Buffer.from(ipBytes(dst)).copy(h, 16);
  let s = 0;
  for (let i = 0; i < 20; i += 2) s += h.readUInt16BE(i);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  h.writeUInt16BE(~s & 0xffff, 10);
  return h;
}
const udpHeader = (sp, dp, payloadLen) => {
  const u = Buffer.alloc(8);
  u.writeUInt16BE(sp, 0); u.writeUInt16BE(dp, 2); u.writeUInt16BE(8 + payloadLen, 4); // checksum: udpChecksum
  return u;
};
/** The UDP checksum of `udp` (header + payload, its checksum field 0) from `src` to `dst` (RFC 768; 0 goes as 0xffff). */
export function udpChecksum(src, dst, udp) {
  let s = 17 + udp.length;
  for (const a of [src, dst]) { const b = ipBytes(a); s += (b[0] << 8 | b[1]) + (b[2] << 8 | b[3]); }
  for (let i = 0; i < udp.length; i += 2) s += udp[i] << 8 | (i + 1 < udp.length ? udp[i + 1] : 0);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return (~s & 0xffff) || 0xffff;
}
/** IPv4 / UDP with its checksum. */
function ipv4Udp(src, dst, sp, dp, payload) {
  const udp = Buffer.concat([udpHeader(sp, dp, payload.length), payload]);
  udp.writeUInt16BE(udpChecksum(src, dst, udp), 6);
  return Buffer.concat([ipv4Header(src, dst, 17, udp.length), udp]);
}

/** MPLS-in-UDP port (RFC 7510) and the outer source port of vpn-decap's frames. */
export const MPLS_UDP_PORT = 6635;
export const DECAP_SPORT = 49152;

/** vpn-decap's frame (see the top of the file). */
export function mplsUdpFrame({ srcMac, dstMac, label, innerSrc, innerDst }) {
  const innerPayload = 64 - 4 - HEADERS; // 18 B of zeros: 64 B on the wire as a frame of its own
  const inner = ipv4Udp(innerSrc, innerDst, 40000, 9090, Buffer.alloc(innerPayload));
  const lse = Buffer.alloc(4);
  lse.writeUInt32BE(((label << 12) | (1 << 8) | 64) >>> 0);
  return Buffer.concat([Buffer.from([...macBytes(dstMac), ...macBytes(srcMac), 0x08, 0x00]),
    ipv4Udp(UNDERLAY.a, UNDERLAY.b, DECAP_SPORT, MPLS_UDP_PORT, Buffer.concat([lse, inner]))]);
}

/** trafgen packet configuration for a scenario. */
export function trafgenConfig({ topo, scen, dstMac }) {
  if (scen.vpn?.half === 'decap') {
    if (!Number.isInteger(topo.vpnLabel)) throw new Error('vpn-decap: no label from PE B (topo.vpnLabel)');
    const f = mplsUdpFrame({ srcMac: topo.srcMac, dstMac, label: topo.vpnLabel, innerSrc: topo.ip.src, innerDst: destination(scen).ip });
    return `{\n  ${[...f].map((x) => `0x${x.toString(16).padStart(2, '0')}`).join(', ')}\n}\n`;
  }
  const dst = destination(scen);
  const sizes = scen.frames === 'imix' ? IMIX.order.map((i) => IMIX.wire[i]) : [Number(scen.frames)];
  const sa = scen.macs > 1 ? `sa=02:42:00:00:00:00, sa=dinc(0, ${scen.macs - 1})` : `sa=${topo.srcMac}`;
  // routed, many routes: a random address in [first route, last route's broadcast]
  const lo = ipInt(dst.ip) - 99;
  const da = dst.n > 1 ? `da=${dst.ip}, da=drnd(${lo}, ${lo + dst.n * 256 - 1})` : `da=${dst.ip}`;
  const packet = (wire) => [
    '{',
    `  eth(da=${dstMac}, ${sa}),`,
    ...(scen.vlan ? [`  vlan(id=${scen.vlan}),`] : []),
    `  ipv4(sa=${topo.ip.src}, ${da}, ttl=64, df),`,
    '  udp(sp=40000, dp=9090),',
    `  fill(0x00, ${wire - 4 - HEADERS})`,
    '}',
  ].join('\n');
  return sizes.map(packet).join('\n') + '\n';
}

/** How to run the chosen generator for `total` seconds on the source host. */
export function generator({ opts, topo, scen, dir, tag, total, gen }) {
  const dstMac = scen.l3 ? topo.gwMac : topo.dstMac;
  if (opts.generator === 'trafgen') {
    const cfg = path.join(dir, `trafgen-${tag}.cfg`);
    writeFileSync(cfg, trafgenConfig({ topo, scen, dstMac }));
    return {
      args: ['netns', 'exec', topo.src, 'trafgen', '-o', topo.hostIf.src, '-i', cfg, '-P', '1', '--no-sock-mem', '-Q'],
      selfStops: false, // SIGINT to the group after `total`
      report(stdout, code) {
        const m = /(\d+)\s+packets outgoing/.exec(stdout);
        return m ? { queued: Number(m[1]), exit: code } : null;
      },
    };
  }
  if (scen.vpn?.half === 'decap') throw new Error('vpn-decap: its MPLS-in-UDP frames are trafgen\'s only (--generator trafgen)');
  const dst = destination(scen);
  const args = ['netns', 'exec', topo.src, gen, '-i', topo.hostIf.src, '-d', dstMac,
    '-s', topo.srcMac, '-S', topo.ip.src, '-D', dst.ip, '-n', String(dst.n), '-l', scen.frames,
    '-m', String(scen.macs), '-t', String(total), '-c', String(opts.genCpu)];
  if (scen.vlan) args.push('-v', String(scen.vlan));
  if (opts.rate > 0) args.push('-r', String(opts.rate)); // --rate: a fixed offered load
  return {
    args,
    selfStops: true,
    report(stdout) {
      try { return JSON.parse(stdout.trim().split('\n').pop()); } catch { return null; }
    },
  };
}
