/**
 * The speaker's public types: construction options, neighbor options, RIB
 * entries and best-path changes as the API, CLI and VPN managers see them,
 * and the per-neighbor summary (`NeighborInfo`) behind `hvswitch bgp neighbor`.
 *
 * Plain data only (JSON-friendly); src/bgp/speaker.ts re-exports them and
 * src/bgp/index.ts is the public surface.
 */
import type { AnyRoute, FamilyName } from '../codec/family.js';
import type { PathAttrs } from '../codec/attr/types.js';
import type { Clock } from '../../util/clock.js';
import type { Reason, State } from '../fsm.js';
import type { Counters, PeerConfig } from '../peer.js';

export interface SpeakerOptions {
  asn: number;
  routerId: string;
  /** RFC 4456 cluster id when we reflect; default: router id */
  clusterId?: string;
  /** TCP port to listen on (0 = ephemeral, false = do not listen). Default 179. */
  listenPort?: number | false;
  listenAddress?: string;
  clock?: Clock;
  /** accept 127/8 next hops (tests on loopback) */
  allowLoopbackNextHop?: boolean;
}

export type NeighborOptions = Partial<Omit<PeerConfig, 'address' | 'peerAs' | 'gracefulRestart'>> & {
  address: string;
  peerAs: number;
  gracefulRestart?: Partial<PeerConfig['gracefulRestart']>;
};

export interface RibPath {
  /** `local` or the neighbor address */
  source: string;
  nextHop: string;
  attrs: PathAttrs;
  pathId?: number;
  stale?: boolean;
}
export interface RibEntry<R = AnyRoute> { family: FamilyName; route: R; key: string; paths: RibPath[] }
export interface BestPathChange<R = AnyRoute> {
  family: FamilyName; route: R; key: string; best: RibPath | null;
  /** IPv4 prefix families (ipv4-unicast, vpnv4): the route's prefix as a prefix-table key
   *  (util/prefix-table.ts), from the key bytes; importers use it instead of parsing `route.prefix` */
  prefixKey?: number;
}

export interface NeighborInfo {
  address: string;
  peerAs: number;
  description?: string;
  state: State;
  reason: Reason;
  lastError: string;
  /** how long ago lastError happened (it stays after the session recovers); null if never */
  lastErrorAgeSeconds: number | null;
  uptimeSeconds: number;
  flaps: number;
  counters: Counters;
  families: FamilyName[];
  holdTime: number | null;
  keepalive: number | null;
  remoteId: string | null;
  prefixes: Record<string, { received: number; advertised: number }>;
  gracefulRestart: { peerRestartTime: number | null; staleRoutes: number };
  /** RFC 7606 outcomes and ignored NLRI, counted per UPDATE */
  updateErrors: { treatAsWithdraw: number; attributeDiscard: number; ignoredFamily: number };
}
