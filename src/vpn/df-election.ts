// Designated forwarder election for an Ethernet segment: of the PEs attached
// to one segment, which one floods BUM traffic into it, per service.
//
//  - modulo, RFC 7432 §8.5 (the default): the PEs' originating IP addresses
//    (from their Ethernet Segment routes, ours included) sorted in increasing
//    numeric order get ordinals 0..N-1; the DF for service V is the PE with
//    ordinal V mod N.
//  - HRW, RFC 8584 §3.2 (highest random weight): for each PE i,
//      Wrand(v, Es, Si) = (1103515245 * ((1103515245 * Si + 12345) XOR D(v, Es)) + 12345) mod 2^31
//    with Si the PE's address as a 32-bit number (its low 32 bits for IPv6)
//    and D(v, Es) the CRC-32 of v (4 octets, big-endian) then the ESI (10
//    octets), its most significant bit dropped (31 bits).  The DF has the
//    highest weight (a tie goes to the highest address); the backup DF the
//    second highest.  Moving a PE in or out moves only the services it wins or
//    loses, where modulo reshuffles most of them.
//  - RFC 8584 §2.2.1: the algorithm is the one every PE of the segment names in
//    its DF Election extended community; if they disagree (or one names none)
//    all fall back to modulo.
//
// V is the service's VNI here: EVPN over VXLAN, VLAN-based service (Ethernet
// tag 0), and the VNI is the number every PE of the segment shares for it.
// Pure functions, no state: es.ts keeps the PEs per segment and the timers.
import { crc32 } from 'node:zlib';

import { ipToBytes } from '../bgp/codec/addr.js';
import { esiToBytes } from '../bgp/codec/rd.js';

export type DfAlgorithm = 'modulo' | 'hrw';

/** An IP address as a comparable big-endian byte string (IPv4 before IPv6). */
function addrKey(ip: string): Buffer {
  const b = ipToBytes(ip);
  return Buffer.concat([Buffer.from([b.length]), Buffer.from(b)]);
}

/** The PEs in increasing numeric order of address (RFC 7432 §8.5). */
export function orderPes(pes: readonly string[]): string[] {
  return [...new Set(pes)].sort((a, b) => Buffer.compare(addrKey(a), addrKey(b)));
}

/** RFC 7432 §8.5: the DF of service `v` among `pes`. */
export function moduloDf(pes: readonly string[], v: number): string | null {
  const o = orderPes(pes);
  return o.length ? o[v % o.length]! : null;
}

/** D(v, Es) of RFC 8584 §3.2: the CRC-32 of v then the ESI, 31 bits. */
export function hrwDigest(v: number, esi: string): number {
  const b = Buffer.alloc(14);
  b.writeUInt32BE(v >>> 0, 0);
  esiToBytes(esi, b, 4);
  return crc32(b) & 0x7fffffff;
}

/** Wrand(v, Es, Si) of RFC 8584 §3.2. */
export function hrwWeight(v: number, esi: string, pe: string): number {
  const a = ipToBytes(pe);
  const si = BigInt(Buffer.from(a.subarray(a.length - 4)).readUInt32BE(0));
  const m = 1103515245n, mod = 1n << 31n;
  const inner = (m * si + 12345n) ^ BigInt(hrwDigest(v, esi));
  return Number((m * inner + 12345n) % mod);
}

/** RFC 8584 §3.2: the PEs ranked by weight for service `v` (DF first, then the backup DF). */
export function hrwRank(pes: readonly string[], v: number, esi: string): string[] {
  const o = orderPes(pes);
  const w = new Map(o.map((p) => [p, hrwWeight(v, esi, p)]));
  return o.sort((a, b) => w.get(b)! - w.get(a)! || Buffer.compare(addrKey(b), addrKey(a)));
}

/** The DF of service `v` on segment `esi` among `pes` by `algorithm`. */
export function electDf(algorithm: DfAlgorithm, pes: readonly string[], v: number, esi: string): string | null {
  if (!pes.length) return null;
  return algorithm === 'hrw' ? hrwRank(pes, v, esi)[0]! : moduloDf(pes, v);
}

/** RFC 8584 §2.2.1: HRW only if every PE asks for it, else modulo.  `asked`
 *  is each PE's DF type from its type-4 route (null: no DF Election community). */
export function agreedAlgorithm(asked: readonly (string | null)[]): DfAlgorithm {
  return asked.length > 0 && asked.every((a) => a === 'hrw') ? 'hrw' : 'modulo';
}
