/**
 * Neighbors as configured and as reported: `NeighborOptions` with defaults
 * applied (the `PeerConfig` a session runs with; config reload compares these
 * to decide whether a neighbor changed) and the `NeighborInfo` summary behind
 * `hvswitch bgp neighbor` and the gRPC ListPeer.
 *
 * Defaults: port 179, ipv4 only, hold 90 s,
 * keepalive 30 s, connect retry 5 s, idle hold 5 s, graceful restart on
 * (helper) with a 120 s restart time and 360 s stale-routes time. Addresses
 * are normalised (IPv4-mapped IPv6 → IPv4) so an incoming connection finds
 * its neighbor either way.
 */
import { FAMILIES } from '../codec/family.js';
import type { Clock } from '../../util/clock.js';
import type { PeerConfig } from '../peer.js';
import type { Rib } from '../rib/rib.js';
import type { PeerState } from './context.js';
import type { NeighborInfo, NeighborOptions } from './types.js';

/** Neighbor options with defaults applied (the peer's configuration). */
export function neighborConfig(n: NeighborOptions): PeerConfig {
  const address = normalizeAddr(n.address);
  const cfg: PeerConfig = {
    address, peerAs: n.peerAs, port: n.port ?? 179, families: n.families ?? ['ipv4'], passive: n.passive ?? false,
    holdTime: n.holdTime ?? 90, keepaliveInterval: n.keepaliveInterval ?? 30, connectRetry: n.connectRetry ?? 5, idleHoldTime: n.idleHoldTime ?? 5,
    gracefulRestart: { enabled: n.gracefulRestart?.enabled ?? true, restartTime: n.gracefulRestart?.restartTime ?? 120, staleRoutesTime: n.gracefulRestart?.staleRoutesTime ?? 360 },
    routeReflectorClient: n.routeReflectorClient ?? false, addPathReceive: n.addPathReceive ?? [],
  };
  if (n.localAddress) cfg.localAddress = n.localAddress;
  if (n.maxPrefix !== undefined) cfg.maxPrefix = n.maxPrefix;
  if (n.description) cfg.description = n.description;
  if (n.vrf) cfg.vrf = n.vrf;
  if (n.exportCommunities?.length) cfg.exportCommunities = n.exportCommunities;
  if (n.exportLargeCommunities?.length) cfg.exportLargeCommunities = n.exportLargeCommunities;
  if (n.nextHop6) cfg.nextHop6 = n.nextHop6;
  return cfg;
}

export function neighborInfo(rib: Rib, clock: Clock, ps: PeerState): NeighborInfo {
  const p = ps.peer, n = p.negotiated;
  const prefixes: NeighborInfo['prefixes'] = {};
  for (const f of FAMILIES) {
    if (!p.config.families.includes(f.name)) continue;
    prefixes[f.name] = { received: rib.adjIn[p.sourceIndex]![f.id]!.count, advertised: ps.adjOut[f.id]!.count };
  }
  const info: NeighborInfo = {
    address: p.name, peerAs: p.config.peerAs, state: p.state, reason: p.reason, lastError: p.lastError,
    lastErrorAgeSeconds: p.lastErrorAt === null ? null : Math.floor((clock.now() - p.lastErrorAt) / 1000),
    uptimeSeconds: p.established ? Math.floor((clock.now() - p.establishedAt) / 1000) : 0, flaps: p.flaps,
    counters: structuredClone(p.counters),
    families: p.established && n ? FAMILIES.filter((f) => n.families[f.id]).map((f) => f.name) : [],
    holdTime: n?.holdTime ?? null, keepalive: n?.keepalive ?? null, remoteId: n?.remoteId ?? null, prefixes,
    gracefulRestart: { peerRestartTime: n?.peerGr?.time ?? null, staleRoutes: ps.gr.staleCount },
    updateErrors: { ...ps.updateErrors },
  };
  if (p.config.description) info.description = p.config.description;
  return info;
}

/** `::ffff:10.0.0.1` → `10.0.0.1` (how a dual-stack listener reports IPv4 peers). */
export function normalizeAddr(a: string): string { return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a; }

/** The peer address as a string that sorts like the address (decision-process tie-break, RFC 4271 §9.1.2.2 g). */
export function addrKey(a: string): string { return a.includes(':') ? `6${a}` : `4${a.split('.').map((x) => x.padStart(3, '0')).join('.')}`; }
