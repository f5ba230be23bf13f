/**
 * What the speaker's concern modules share: the per-neighbor state kept next
 * to each session (`PeerState`, one part per concern) and the speaker-wide
 * context (`SpeakerContext`: RIB, clock, neighbors, subscribers).
 *
 * The modules under src/bgp/speaker/ are functions over these two objects,
 * layered so that none imports (at run time) a module on a later line:
 *
 *   types, neighbor                                public types, neighbor defaults and summary
 *   reflection, rt-constraint, graceful-restart    rules and per-peer state of one RFC each
 *   vrf-scope                                      VRF-bound neighbors: scoped routes, communities
 *   export-policy                                  may this route go to this peer, with which attributes
 *   advertise                                      the Adj-RIB-Out: table dumps, End-of-RIB, packing
 *   route-refresh, distribute, rib-view            refresh handling, best-path flush, read-only views
 *   peer-events                                    session events wired to all of the above
 *   ../speaker.ts                                  the BgpSpeaker facade
 *
 * Everything runs on the event loop, one received batch or API call at a
 * time, so no state here needs locking.
 */
import type { Clock } from '../../util/clock.js';
import { FAMILIES } from '../codec/family.js';
import type { KeyData } from '../codec/nlri/types.js';
import type { Peer } from '../peer.js';
import type { Rib } from '../rib/rib.js';
import { RouteTable } from '../rib/route-table.js';
import type { UpdatePacker } from '../rib/adj-rib-out.js';
import type { AttrSet } from '../rib/attr-store.js';
import { newGrState, type GrState } from './graceful-restart.js';
import { newRtcState, type RtcState } from './rt-constraint.js';
import type { BestPathChange, NeighborInfo, SpeakerOptions } from './types.js';

/** One neighbor as the speaker sees it: the session plus the routing state kept for it. */
export interface PeerState {
  peer: Peer;
  ebgp: boolean;
  /** Adj-RIB-Out per family id */
  adjOut: RouteTable[];
  /** encoded path attributes as sent to this peer, per interned attribute set */
  outAttrs: WeakMap<AttrSet, Buffer>;
  /** per family id: the UPDATE packer while the family is negotiated, else null */
  packers: Array<UpdatePacker | null>;
  /** RFC 4684 membership and VPN deferral */
  rtc: RtcState;
  /** RFC 4724 helper: stale routes and their timers */
  gr: GrState;
  updateErrors: NeighborInfo['updateErrors'];
}

export function newPeerState(peer: Peer, ebgp: boolean): PeerState {
  return {
    peer, ebgp, adjOut: FAMILIES.map(() => new RouteTable()), outAttrs: new WeakMap(), packers: FAMILIES.map(() => null),
    rtc: newRtcState(), gr: newGrState(), updateErrors: { treatAsWithdraw: 0, attributeDiscard: 0, ignoredFamily: 0 },
  };
}

export type Subscriber = (changes: BestPathChange[]) => void;

export interface SpeakerContext {
  readonly options: SpeakerOptions;
  readonly rib: Rib;
  readonly clock: Clock;
  /** by normalised neighbor address */
  readonly peers: Map<string, PeerState>;
  /** best-path subscribers per family id */
  readonly subs: Array<Set<Subscriber>>;
  /** our routes originated for a VRF: family id + NLRI key → VRF (vrf-scope.ts) */
  readonly scopes: Map<string, string>;
  /** scratch key buffer (used synchronously only) */
  readonly kd: KeyData;
  /** flush best-path changes to peers and subscribers after this event-loop turn */
  scheduleFlush(): void;
  emit(event: string, payload: unknown): void;
}

/** The speaker's state for a session (it exists for as long as the neighbor is configured). */
export function stateOf(ctx: SpeakerContext, p: Peer): PeerState { return ctx.peers.get(p.name)!; }
