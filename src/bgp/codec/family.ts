/**
 * The address-family table: one row per AFI/SAFI we speak. Short names follow
 * the GoBGP CLI (`-a ipv4|ipv6|vpnv4|vpnv6|evpn|rtc`), long names the GoBGP
 * config / OpenConfig vocabulary (`l3vpn-ipv4-unicast`, `l2vpn-evpn`). The
 * RIB, the API and the config all key on `Family.name`.
 *
 * Next hops in MP_REACH_NLRI (RFC 4760 §3): VPN families prefix each address
 * with an all-zero RD (RFC 4364 §4.3.2, RFC 4659 §3.2.1); an IPv6 next hop may
 * carry a link-local second address (32 octets). RFC 8950 lets IPv4 families
 * carry IPv6 next hops, so every family accepts 4, 16 or 32 octets (+RD).
 */
import { BgpDecodeError, ErrorAction, ErrorCode, UpdateSubcode } from './errors.js';
import { ipToBytes, ipToString } from './addr.js';
import { evpn, type EvpnOpaque, type EvpnRoute } from './nlri/evpn/index.js';
import { ipv4Prefix, ipv6Prefix, type PrefixRoute } from './nlri/prefix.js';
import { rtc, type RtcRoute } from './nlri/rtc.js';
import type { NlriCodec } from './nlri/types.js';
import { vpnv4, vpnv6, type VpnRoute } from './nlri/vpn.js';

export const AFI = { IPv4: 1, IPv6: 2, L2VPN: 25 } as const;
export const SAFI = { Unicast: 1, Evpn: 70, Vpn: 128, Rtc: 132 } as const;

export type FamilyName = 'ipv4' | 'ipv6' | 'vpnv4' | 'vpnv6' | 'evpn' | 'rtc';
export const FAMILY_NAMES: readonly FamilyName[] = ['ipv4', 'ipv6', 'vpnv4', 'vpnv6', 'evpn', 'rtc'];

export interface RouteByFamily {
  ipv4: PrefixRoute; ipv6: PrefixRoute; vpnv4: VpnRoute; vpnv6: VpnRoute; evpn: EvpnRoute | EvpnOpaque; rtc: RtcRoute;
}
export type AnyRoute = RouteByFamily[FamilyName];

export interface Family {
  /** small integer, index into per-family arrays */
  readonly id: number;
  readonly name: FamilyName;
  readonly afiSafiName: string;
  readonly afi: number;
  readonly safi: number;
  readonly nlri: NlriCodec<AnyRoute>;
  /** next hops in MP_REACH carry an 8-octet zero RD before each address */
  readonly nextHopRd: boolean;
}

const rows: Array<Omit<Family, 'id'>> = [
  { name: 'ipv4', afiSafiName: 'ipv4-unicast', afi: 1, safi: 1, nlri: ipv4Prefix as NlriCodec<AnyRoute>, nextHopRd: false },
  { name: 'ipv6', afiSafiName: 'ipv6-unicast', afi: 2, safi: 1, nlri: ipv6Prefix as NlriCodec<AnyRoute>, nextHopRd: false },
  { name: 'vpnv4', afiSafiName: 'l3vpn-ipv4-unicast', afi: 1, safi: 128, nlri: vpnv4 as NlriCodec<AnyRoute>, nextHopRd: true },
  { name: 'vpnv6', afiSafiName: 'l3vpn-ipv6-unicast', afi: 2, safi: 128, nlri: vpnv6 as NlriCodec<AnyRoute>, nextHopRd: true },
  { name: 'evpn', afiSafiName: 'l2vpn-evpn', afi: 25, safi: 70, nlri: evpn as NlriCodec<AnyRoute>, nextHopRd: false },
  { name: 'rtc', afiSafiName: 'rtc', afi: 1, safi: 132, nlri: rtc as NlriCodec<AnyRoute>, nextHopRd: false },
];

export const FAMILIES: readonly Family[] = rows.map((r, id) => ({ ...r, id }));
const byName = new Map<string, Family>();
for (const f of FAMILIES) { byName.set(f.name, f); byName.set(f.afiSafiName, f); }
byName.set('l2vpn-evpn', FAMILIES[4]!);
const byAfiSafi = new Map<number, Family>(FAMILIES.map((f) => [(f.afi << 8) | f.safi, f]));

export function familyByName(name: string): Family {
  const f = byName.get(name);
  if (!f) throw new TypeError(`unknown address family ${name} (one of ${FAMILY_NAMES.join(', ')})`);
  return f;
}
export function familyByAfiSafi(afi: number, safi: number): Family | undefined {
  return byAfiSafi.get((afi << 8) | safi);
}
export function familyOf(name: FamilyName): Family { return byName.get(name)!; }

export interface NextHop { nextHop: string; linkLocal?: string }

function nhError(msg: string): BgpDecodeError {
  // RFC 7606 §7.11: a next-hop length that does not fit the family means the
  // NLRI cannot be located reliably: session reset (we do not do AFI/SAFI disable).
  return new BgpDecodeError(ErrorCode.UpdateMessage, UpdateSubcode.OptionalAttribute, ErrorAction.SessionReset, msg);
}

export function decodeNextHop(f: Family, b: Uint8Array, off: number, len: number): NextHop {
  const rd = f.nextHopRd ? 8 : 0;
  const one = len - rd;
  if (one === 4 || one === 16) return { nextHop: ipToString(b, off + rd, one) };
  if (len === 2 * (16 + rd)) return { nextHop: ipToString(b, off + rd, 16), linkLocal: ipToString(b, off + 2 * rd + 16, 16) };
  if (len === 0 && f.name === 'rtc') return { nextHop: '0.0.0.0' };
  throw nhError(`${f.name}: next hop length ${len} invalid`);
}

export function encodeNextHop(f: Family, nh: NextHop): Buffer {
  const rd = f.nextHopRd ? 8 : 0;
  const a = ipToBytes(nh.nextHop);
  const parts: Uint8Array[] = [new Uint8Array(rd), a];
  if (nh.linkLocal) parts.push(new Uint8Array(rd), ipToBytes(nh.linkLocal));
  return Buffer.concat(parts);
}
