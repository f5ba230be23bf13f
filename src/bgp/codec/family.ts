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
import { evpn } from './nlri/evpn/index.js';
import { ipv4Prefix, ipv6Prefix } from './nlri/prefix.js';
import { rtc } from './nlri/rtc.js';
import type { NlriCodec } from './nlri/types.js';
import { vpnv4, vpnv6 } from './nlri/vpn.js';

export const AFI = { IPv4: 1, IPv6: 2, L2VPN: 25 } as const;
export const SAFI = { Unicast: 1, Evpn: 70, Vpn: 128, Rtc: 132 } as const;

/** What a row of the family table declares. */
interface FamilyRow {
  /** the GoBGP CLI word (`-a evpn`), the RIB and API key */
  readonly name: string;
  /** the GoBGP config / OpenConfig name (`l2vpn-evpn`), also accepted by the CLI and config */
  readonly afiSafiName: string;
  readonly afi: number;
  readonly safi: number;
  /** the BgpService family enum value (bgp.proto BgpFamily) */
  readonly proto: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each row's own route type, kept by `as const`
  readonly nlri: NlriCodec<any>;
  /** next hops in MP_REACH carry an 8-octet zero RD before each address */
  readonly nextHopRd: boolean;
  /** a VPN family: routes carry route targets, RT constraint (RFC 4684) filters them */
  readonly vpn: boolean;
  /** NLRI carry labels (MPLS label or VNI): `hvswitch bgp rib` shows a Labels column */
  readonly labelled: boolean;
  /** we offer the RFC 8950 extended next hop (IPv6 next hop) capability for it */
  readonly extendedNextHop: boolean;
}

/** The table: one row per family, in the proto enum's order. */
const rows = [
  { name: 'ipv4', afiSafiName: 'ipv4-unicast', afi: AFI.IPv4, safi: SAFI.Unicast, proto: 'BGP_FAMILY_IPV4', nlri: ipv4Prefix, nextHopRd: false, vpn: false, labelled: false, extendedNextHop: true },
  { name: 'ipv6', afiSafiName: 'ipv6-unicast', afi: AFI.IPv6, safi: SAFI.Unicast, proto: 'BGP_FAMILY_IPV6', nlri: ipv6Prefix, nextHopRd: false, vpn: false, labelled: false, extendedNextHop: false },
  { name: 'vpnv4', afiSafiName: 'l3vpn-ipv4-unicast', afi: AFI.IPv4, safi: SAFI.Vpn, proto: 'BGP_FAMILY_VPNV4', nlri: vpnv4, nextHopRd: true, vpn: true, labelled: true, extendedNextHop: true },
  { name: 'vpnv6', afiSafiName: 'l3vpn-ipv6-unicast', afi: AFI.IPv6, safi: SAFI.Vpn, proto: 'BGP_FAMILY_VPNV6', nlri: vpnv6, nextHopRd: true, vpn: true, labelled: true, extendedNextHop: false },
  { name: 'evpn', afiSafiName: 'l2vpn-evpn', afi: AFI.L2VPN, safi: SAFI.Evpn, proto: 'BGP_FAMILY_EVPN', nlri: evpn, nextHopRd: false, vpn: true, labelled: true, extendedNextHop: false },
  { name: 'rtc', afiSafiName: 'rtc', afi: AFI.IPv4, safi: SAFI.Rtc, proto: 'BGP_FAMILY_RTC', nlri: rtc, nextHopRd: false, vpn: false, labelled: false, extendedNextHop: false },
] as const satisfies readonly FamilyRow[];

/** The CLI words of the families (`-a ipv4|ipv6|vpnv4|vpnv6|evpn|rtc`). */
export type FamilyName = (typeof rows)[number]['name'];
/** The long names (`l2vpn-evpn`). */
export type AfiSafiName = (typeof rows)[number]['afiSafiName'];
/** The proto enum values of the families. */
export type FamilyProtoEnum = (typeof rows)[number]['proto'];
export const FAMILY_NAMES: readonly FamilyName[] = rows.map((r) => r.name);

type Row = (typeof rows)[number];
/** The route object of each family: its NLRI codec's route type. */
export type RouteByFamily = { [R in Row as R['name']]: R['nlri'] extends NlriCodec<infer T> ? T : never };
export type AnyRoute = RouteByFamily[FamilyName];

export interface Family extends Omit<FamilyRow, 'name' | 'afiSafiName' | 'proto' | 'nlri'> {
  /** small integer, index into per-family arrays */
  readonly id: number;
  readonly name: FamilyName;
  readonly afiSafiName: AfiSafiName;
  readonly proto: FamilyProtoEnum;
  readonly nlri: NlriCodec<AnyRoute>;
}

export const FAMILIES: readonly Family[] = rows.map((r, id) => ({ ...r, nlri: r.nlri as NlriCodec<AnyRoute>, id }));
const byName = new Map<string, Family>();
for (const f of FAMILIES) { byName.set(f.name, f); byName.set(f.afiSafiName, f); }
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
