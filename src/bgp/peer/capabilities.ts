/**
 * Capabilities we advertise (RFC 5492) and what a session negotiates from the
 * peer's OPEN, as pure functions of the neighbor's configuration.
 *
 * Advertised: multiprotocol for the configured families (RFC 4760),
 * 4-octet AS (RFC 6793), route refresh (RFC 2918) and enhanced route refresh
 * (RFC 7313), extended message (RFC 8654), graceful restart in helper mode
 * with no families (RFC 4724 §3: we never claim preserved forwarding state),
 * ADD-PATH receive for `addPathReceive` families (RFC 7911 §4), extended next
 * hop for families that carry IPv4 NLRI with IPv6 next hops (RFC 8950).
 *
 * Negotiated (`negotiate`):
 * - a family is used when both sides listed it; a peer without MP
 *   capabilities speaks IPv4 unicast only (RFC 4760 §8);
 * - ADD-PATH receive where we asked for it and the peer can send; we never
 *   send path ids;
 * - hold time = min(ours, theirs) (RFC 4271 §4.2), keepalive = min(configured,
 *   hold/3), at least 1 s, 0 when the hold time is 0;
 * - RFC 4271 §6.2 OPEN checks that need configuration (`openError`): the
 *   peer's AS, and a BGP identifier equal to ours on iBGP.
 *
 * Not supported: AFI/SAFI mismatch handling beyond ignoring unlisted
 * families (RFC 5492 §3 Unsupported Capability is never sent), ADD-PATH send.
 */
import { OpenSubcode } from '../codec/errors.js';
import { FAMILIES, familyOf } from '../codec/family.js';
import type { OpenMessage } from '../codec/message/open.js';
import type { Capabilities, GracefulRestartCap } from '../codec/capability/types.js';
import type { PeerConfig } from '../peer.js';

export interface Negotiated {
  holdTime: number;
  keepalive: number;
  as4: boolean;
  families: boolean[];
  addPathRx: boolean[];
  addPathTx: boolean[];
  extendedMessage: boolean;
  routeRefresh: boolean;
  enhancedRouteRefresh: boolean;
  /** the peer's graceful-restart capability, if it sent one */
  peerGr?: GracefulRestartCap;
  remoteId: string;
  remoteAs: number;
}

/** The capabilities in our OPEN to this neighbor. */
export function localCapabilities(config: PeerConfig, localAs: number): Capabilities {
  const mp = config.families.map((n) => ({ afi: familyOf(n).afi, safi: familyOf(n).safi }));
  const caps: Capabilities = {
    multiprotocol: mp,
    routeRefresh: true,
    enhancedRouteRefresh: true,
    as4: localAs,
    extendedMessage: true,
  };
  if (config.gracefulRestart.enabled) {
    // Helper mode: we advertise the capability (so peers send End-of-RIB and
    // keep our routes) but preserve no forwarding state ourselves.
    caps.gracefulRestart = { restarting: false, notification: false, time: config.gracefulRestart.restartTime, families: [] };
  }
  if (config.addPathReceive.length) {
    caps.addPath = config.addPathReceive.map((n) => ({ afi: familyOf(n).afi, safi: familyOf(n).safi, mode: 1 as const }));
  }
  // RFC 8950: IPv4 NLRI with IPv6 next hops.
  const enhe = config.families.filter((n) => familyOf(n).extendedNextHop);
  if (enhe.length) caps.extendedNextHop = enhe.map((n) => ({ afi: 1, safi: familyOf(n).safi, nextHopAfi: 2 }));
  return caps;
}

/** The peer's AS as its OPEN states it (the 4-octet AS capability wins over My Autonomous System). */
export function remoteAsOf(m: OpenMessage): number { return m.capabilities.as4 ?? m.myAs; }

/** RFC 4271 §6.2 checks against our configuration: the OPEN Message Error subcode and why, or null. */
export function openError(config: PeerConfig, localAs: number, routerId: string, m: OpenMessage): { subcode: number; message: string } | null {
  const remoteAs = remoteAsOf(m);
  if (remoteAs !== config.peerAs) return { subcode: OpenSubcode.BadPeerAs, message: `peer AS ${remoteAs}, expected ${config.peerAs}` };
  if (remoteAs === localAs && m.bgpId === routerId) return { subcode: OpenSubcode.BadBgpId, message: `peer BGP identifier ${m.bgpId} equals ours` };
  return null;
}

/** What the session uses, from our configuration and the peer's (accepted) OPEN. */
export function negotiate(config: PeerConfig, m: OpenMessage): Negotiated {
  const caps = m.capabilities;
  const theirs = caps.multiprotocol.length ? caps.multiprotocol : [{ afi: 1, safi: 1 }];
  const families = FAMILIES.map((f) => config.families.includes(f.name) && theirs.some((x) => x.afi === f.afi && x.safi === f.safi));
  const addPathRx = FAMILIES.map((f) => config.addPathReceive.includes(f.name) && (caps.addPath ?? []).some((x) => x.afi === f.afi && x.safi === f.safi && (x.mode & 2) !== 0));
  const holdTime = Math.min(config.holdTime, m.holdTime);
  const keepaliveSecs = holdTime === 0 ? 0 : Math.max(1, Math.min(config.keepaliveInterval, Math.floor(holdTime / 3)));
  const neg: Negotiated = {
    holdTime, keepalive: keepaliveSecs, as4: caps.as4 !== undefined, families, addPathRx, addPathTx: FAMILIES.map(() => false),
    extendedMessage: !!caps.extendedMessage, routeRefresh: !!caps.routeRefresh, enhancedRouteRefresh: !!caps.enhancedRouteRefresh,
    remoteId: m.bgpId, remoteAs: remoteAsOf(m),
  };
  if (caps.gracefulRestart) neg.peerGr = caps.gracefulRestart;
  return neg;
}
