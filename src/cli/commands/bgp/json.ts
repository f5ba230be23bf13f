// `hvswitch bgp neighbor` and `hvswitch bgp rib` as scripts (`--json`) see
// them: the BgpService messages flattened into the CLI's words (session
// states by their RFC 4271 §8.2.2 names capitalized as GoBGP and FRR print
// them: `Established`; families by name, NLRI with an EVPN `routeType`).
import { familyOfEnum } from '../../../api/bgp-convert.js';
import { MESSAGE_COUNTERS } from '../../../bgp/index.js';
import type { Nlri__Output } from '../../../api/gen/hvswitch/v1/Nlri.js';
import type { PathAttributes__Output } from '../../../api/gen/hvswitch/v1/PathAttributes.js';
import type { Path__Output } from '../../../api/gen/hvswitch/v1/Path.js';
import type { Peer__Output } from '../../../api/gen/hvswitch/v1/Peer.js';
import type { SessionState__Output } from '../../../api/gen/hvswitch/v1/SessionState.js';

const lower = (e: string, prefix: string) => e.slice(prefix.length).toLowerCase();

/** RFC 4271 §8.2.2 state names as GoBGP (`neighbor -j`) and FRR (`show bgp neighbor`) print them. */
export const SESSION_STATE_NAMES = {
  SESSION_STATE_UNSPECIFIED: 'Unknown',
  SESSION_STATE_IDLE: 'Idle',
  SESSION_STATE_CONNECT: 'Connect',
  SESSION_STATE_ACTIVE: 'Active',
  SESSION_STATE_OPENSENT: 'OpenSent',
  SESSION_STATE_OPENCONFIRM: 'OpenConfirm',
  SESSION_STATE_ESTABLISHED: 'Established',
} as const satisfies Record<SessionState__Output, string>;
export type SessionStateName = (typeof SESSION_STATE_NAMES)[SessionState__Output];
const famName = (e: Parameters<typeof familyOfEnum>[0]) => familyOfEnum(e) ?? String(e);

export interface NeighborJson {
  address: string;
  peerAs: number;
  description: string | null;
  state: SessionStateName; // Idle | Connect | Active | OpenSent | OpenConfirm | Established
  reason: string; // the FSM event of the last change (hold-timer-expires, ...)
  lastError: string | null; // historical: kept after the session recovers
  lastErrorAgeSeconds: number | null; // how long ago lastError happened
  uptimeSeconds: number;
  flaps: number;
  remoteId: string | null;
  localAddress: string | null;
  holdTime: number | null;
  keepalive: number | null;
  families: string[];
  configured: {
    families: string[]; passive: boolean; holdTime: number | null; keepaliveInterval: number | null; port: number; localAddress: string | null; routeReflectorClient: boolean;
    /** pure L3: the VRF bound to this neighbor, what of it is sent, with which communities */
    vrf: string | null; advertise: string[]; communities: string[]; largeCommunities: string[];
  };
  messages: { received: Record<string, number>; sent: Record<string, number> };
  prefixes: Record<string, { received: number; advertised: number }>;
  capabilities: { fourOctetAs: boolean; routeRefresh: boolean; enhancedRouteRefresh: boolean; extendedMessage: boolean; addPathReceive: string[]; addPathSend: string[] } | null;
  gracefulRestart: { peerAdvertised: boolean; peerRestartTime: number; peerFamilies: string[]; staleRoutes: number };
  updateErrors: { treatAsWithdraw: number; attributeDiscard: number; ignoredFamily: number };
}

export function neighborJson(p: Peer__Output): NeighborJson {
  const c = p.conf!;
  const s = p.state!;
  const msgs = (m: typeof s.received) => ({ ...Object.fromEntries(MESSAGE_COUNTERS.map((c) => [c.key, m![c.key]])), total: m!.total });
  return {
    address: c.neighborAddress,
    peerAs: c.peerAs,
    description: c.description || null,
    state: SESSION_STATE_NAMES[s.sessionState] ?? 'Unknown',
    reason: lower(s.reason, 'FSM_EVENT_').replace(/_/g, '-'),
    lastError: s.lastError || null,
    lastErrorAgeSeconds: s.lastError && s.lastErrorAgeSeconds !== undefined && s.lastErrorAgeSeconds !== null ? s.lastErrorAgeSeconds : null,
    uptimeSeconds: s.uptimeSeconds,
    flaps: s.flaps,
    remoteId: s.remoteId || null,
    localAddress: s.localAddress || null,
    holdTime: s.sessionState === 'SESSION_STATE_ESTABLISHED' ? s.holdTime : null,
    keepalive: s.sessionState === 'SESSION_STATE_ESTABLISHED' ? s.keepalive : null,
    families: s.families.map(famName),
    configured: {
      families: c.families.map(famName),
      passive: c.passive,
      holdTime: c.holdTime || null,
      keepaliveInterval: c.keepaliveInterval || null,
      port: c.port,
      localAddress: c.localAddress || null,
      routeReflectorClient: c.routeReflectorClient,
      vrf: c.vrf || null,
      advertise: c.advertise ?? [],
      communities: c.communities ?? [],
      largeCommunities: c.largeCommunities ?? [],
    },
    messages: { received: msgs(s.received), sent: msgs(s.sent) },
    prefixes: Object.fromEntries(s.prefixes.map((x) => [famName(x.family), { received: x.received, advertised: x.advertised }])),
    capabilities: s.capabilities
      ? { ...s.capabilities, addPathReceive: s.capabilities.addPathReceive.map(famName), addPathSend: s.capabilities.addPathSend.map(famName) }
      : null,
    gracefulRestart: { ...s.gracefulRestart!, peerFamilies: s.gracefulRestart!.peerFamilies.map(famName) },
    updateErrors: { ...s.updateErrors! },
  };
}

const ORIGIN_WORDS: Record<string, string> = { ORIGIN_IGP: 'igp', ORIGIN_EGP: 'egp', ORIGIN_INCOMPLETE: 'incomplete' };
const SEGMENT_WORDS: Record<string, string> = {
  AS_SEGMENT_TYPE_SET: 'set',
  AS_SEGMENT_TYPE_SEQUENCE: 'seq',
  AS_SEGMENT_TYPE_CONFED_SEQUENCE: 'confed-seq',
  AS_SEGMENT_TYPE_CONFED_SET: 'confed-set',
};

function attrsJson(a: PathAttributes__Output): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (ORIGIN_WORDS[a.origin]) out.origin = ORIGIN_WORDS[a.origin];
  out.asPath = a.asPath.map((s) => ({ type: SEGMENT_WORDS[s.type] ?? s.type, asns: s.asns }));
  if (a.med !== undefined && a.med !== null) out.med = a.med;
  if (a.localPref !== undefined && a.localPref !== null) out.localPref = a.localPref;
  if (a.atomicAggregate) out.atomicAggregate = true;
  if (a.aggregator) out.aggregator = { as: a.aggregator.asn, address: a.aggregator.address };
  if (a.communities.length) out.communities = a.communities;
  if (a.originatorId) out.originatorId = a.originatorId;
  if (a.clusterList.length) out.clusterList = a.clusterList;
  if (a.extCommunities.length) out.extCommunities = a.extCommunities;
  if (a.largeCommunities.length) out.largeCommunities = a.largeCommunities;
  if (a.pmsiTunnel) out.pmsiTunnel = { ...a.pmsiTunnel };
  if (a.unknown.length) out.unknown = a.unknown.map((x) => ({ code: x.code, flags: x.flags, value: Buffer.from(x.value).toString('hex') }));
  return out;
}

/** The NLRI's own fields, with an EVPN `routeType` (as the speaker's route objects). */
function nlriJson(n: Nlri__Output): Record<string, unknown> {
  const type: Record<string, number> = { evpnEthernetAd: 1, evpnMacIp: 2, evpnMulticast: 3, evpnEthernetSegment: 4, evpnIpPrefix: 5 };
  const body = { ...(n[n.route as keyof Nlri__Output] as object) } as Record<string, unknown>;
  if (n.route === 'evpnMacIp' && body.ip === '') body.ip = null;
  if (n.route === 'evpnOpaque') body.value = Buffer.from(body.value as Uint8Array).toString('hex');
  return n.route && type[n.route] ? { routeType: type[n.route], ...body } : body;
}

export interface PathJson {
  family: string;
  network: string;
  nlri: Record<string, unknown>;
  nextHop: string;
  source: string;
  best: boolean;
  stale: boolean;
  pathId: number;
  attributes: Record<string, unknown>;
}

export function pathJson(p: Path__Output): PathJson {
  const a = p.attributes!;
  return {
    family: famName(p.family),
    network: p.key,
    nlri: nlriJson(p.nlri!),
    nextHop: a.nextHop,
    source: p.source,
    best: p.best,
    stale: p.stale,
    pathId: p.pathId,
    attributes: attrsJson(a),
  };
}

