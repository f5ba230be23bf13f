// hvswitch.v1.BgpService: thin adapters over the controller's embedded BGP
// speaker (controller.bgp, src/bgp).  Neighbor changes are edits of the raw
// config document (`bgp.neighbors`), validated by the config's validator and
// applied by the reconciler inside the control queue (Controller.update), as
// port and route changes are: errors carry the config path of the field
// (`bgp.neighbors.2.peer-as`) and nothing of a refused request is applied.
// Paths (AddPath/DeletePath) and resets are not config: they go to the
// speaker directly, also inside the queue.  FAILED_PRECONDITION when the
// running config has no `bgp:` section.
import { status } from '@grpc/grpc-js';

import {
  FAMILIES,
  type AnyRoute,
  speakerOptionsFromConfig,
  withTotal,
  type BgpConfig,
  type BgpNeighborConfig,
  type BgpSpeaker,
  type FamilyName,
  type NeighborInfo,
} from '../bgp/index.js';
import type { Config, RawConfig, Controller } from '../controller/index.js';
import type { Logger } from '../util/logger.js';
import { parseIp } from '../util/ip.js';
import { attrsFromMessage, attrsMessage, familyEnum, familyOfEnum, nlriMessage, nlriText, nlriToRoute, routeKey } from './bgp-convert.js';
import { lookupEntries, parseLookups } from './bgp-lookup.js';
import type { BgpFamily } from './gen/hvswitch/v1/BgpFamily.js';
import type { BgpServiceHandlers } from './gen/hvswitch/v1/BgpService.js';
import type { FsmEvent } from './gen/hvswitch/v1/FsmEvent.js';
import type { MessageCounters } from './gen/hvswitch/v1/MessageCounters.js';
import type { Nlri, Nlri__Output } from './gen/hvswitch/v1/Nlri.js';
import type { ListPathRequest__Output } from './gen/hvswitch/v1/ListPathRequest.js';
import type { ListPathResponse } from './gen/hvswitch/v1/ListPathResponse.js';
import type { Path } from './gen/hvswitch/v1/Path.js';
import type { Peer } from './gen/hvswitch/v1/Peer.js';
import type { PeerConf } from './gen/hvswitch/v1/PeerConf.js';
import type { SessionState } from './gen/hvswitch/v1/SessionState.js';
import { ApiError, change, invalid, lazyStream, notFound, requireName, stream, unary } from './handlers.js';

/** RFC 4271 state → enum; GoBGP's numbering (idle 1 … established 6), also the metric's value. */
export const SESSION_STATES = {
  idle: 'SESSION_STATE_IDLE',
  connect: 'SESSION_STATE_CONNECT',
  active: 'SESSION_STATE_ACTIVE',
  opensent: 'SESSION_STATE_OPENSENT',
  openconfirm: 'SESSION_STATE_OPENCONFIRM',
  established: 'SESSION_STATE_ESTABLISHED',
} as const satisfies Record<NeighborInfo['state'], SessionState>;

/** fsm.ts Event ('hold-timer-expires') → FSM_EVENT_HOLD_TIMER_EXPIRES. */
export function fsmEventEnum(e: string): FsmEvent {
  return `FSM_EVENT_${e.toUpperCase().replace(/-/g, '_')}` as FsmEvent;
}

/** Comparable form of an address (::ffff:a.b.c.d and a.b.c.d are one neighbor). */
export function addrKey(a: string): string {
  const ip = parseIp(a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a);
  return ip ? `${ip.af}${ip.bytes.toString('hex')}` : a;
}

function counters(c: NeighborInfo['counters']['rx']): MessageCounters {
  return withTotal(c);
}

const famEnums = (names: readonly string[]): BgpFamily[] =>
  names.map((n) => FAMILIES.find((f) => f.name === n || f.afiSafiName === n)?.name).filter((n): n is FamilyName => !!n).map(familyEnum);

function confMessage(n: BgpNeighborConfig): PeerConf {
  const gr = n['graceful-restart'];
  return {
    neighborAddress: n['neighbor-address'],
    peerAs: n['peer-as'],
    families: famEnums(n['afi-safis']),
    passive: n.passive ?? false,
    holdTime: n.timers?.['hold-time'] ?? 0,
    keepaliveInterval: n.timers?.['keepalive-interval'] ?? 0,
    connectRetry: n.timers?.['connect-retry'] ?? 0,
    routeReflectorClient: n['route-reflector-client'] ?? false,
    maxPrefix: n['max-prefix'] ?? 0,
    localAddress: n['local-address'] ?? '',
    port: n.port ?? 179,
    description: n.description ?? '',
    gracefulRestart: gr ? { enabled: gr.enabled ?? true, restartTime: gr['restart-time'] ?? 0, staleRoutesTime: gr['stale-routes-time'] ?? 0 } : null,
    vrf: n.vrf ?? '',
    communities: n.communities ?? [],
    largeCommunities: n['large-communities'] ?? [],
    advertise: n.vrf ? (n.advertise ?? ['vm']) : [],
  };
}

/** The raw config neighbor of an API PeerConf; zero values are left to the config defaults,
 *  enum values the validator cannot see become strings it refuses with the field's path. */
function confToRaw(c: PeerConf): Record<string, unknown> {
  const out: Record<string, unknown> = { 'neighbor-address': c.neighborAddress };
  if (c.peerAs) out['peer-as'] = c.peerAs;
  out['afi-safis'] = c.families?.length ? c.families.map((f) => familyOfEnum(f) ?? String(f)) : ['ipv4'];
  if (c.passive) out.passive = true;
  const timers: Record<string, number> = {};
  if (c.holdTime) timers['hold-time'] = c.holdTime;
  if (c.keepaliveInterval) timers['keepalive-interval'] = c.keepaliveInterval;
  if (c.connectRetry) timers['connect-retry'] = c.connectRetry;
  if (Object.keys(timers).length) out.timers = timers;
  if (c.routeReflectorClient) out['route-reflector-client'] = true;
  if (c.maxPrefix) out['max-prefix'] = c.maxPrefix;
  if (c.localAddress) out['local-address'] = c.localAddress;
  if (c.port) out.port = c.port;
  if (c.description) out.description = c.description;
  if (c.vrf) out.vrf = c.vrf;
  if (c.communities?.length) out.communities = c.communities;
  if (c.largeCommunities?.length) out['large-communities'] = c.largeCommunities;
  if (c.advertise?.length) out.advertise = c.advertise;
  if (c.gracefulRestart) {
    const g = c.gracefulRestart;
    out['graceful-restart'] = {
      enabled: !!g.enabled,
      ...(g.restartTime ? { 'restart-time': g.restartTime } : {}),
      ...(g.staleRoutesTime ? { 'stale-routes-time': g.staleRoutesTime } : {}),
    };
  }
  return out;
}

export function bgpHandlers(controller: Controller, log: Logger): BgpServiceHandlers {
  return { ...neighborHandlers(controller, log), ...ribHandlers(controller, log) };
}

type NeighborRpc = 'ListPeer' | 'GetPeer' | 'AddPeer' | 'DeletePeer' | 'ResetPeer';
type RibRpc = 'ListPath' | 'GetTable' | 'AddPath' | 'DeletePath';

/** The running speaker, or FAILED_PRECONDITION saying why there is none. */
function speakerOf(controller: Controller): BgpSpeaker {
  if (controller.bgp) return controller.bgp;
  if (controller.running.bgp)
    throw new ApiError(status.FAILED_PRECONDITION, 'BGP is configured but not running (a bgp: section added by a reload takes effect at restart)');
  throw new ApiError(status.FAILED_PRECONDITION, 'BGP is not configured (the config has no bgp: section)');
}

function findInfo(bgp: BgpSpeaker, path: string, addr: string): NeighborInfo {
  const info = bgp.neighbors().find((i) => addrKey(i.address) === addrKey(addr));
  if (!info) throw notFound(`${path}: no BGP neighbor ${addr}`);
  return info;
}

function requireFamily(path: string, f: BgpFamily | undefined): FamilyName {
  if (f === undefined || f === 'BGP_FAMILY_UNSPECIFIED' || f === 0) throw invalid(path, `is required (one of ${FAMILIES.map((x) => x.name).join(', ')})`);
  const name = familyOfEnum(f);
  if (!name) throw invalid(path, `unknown family ${String(f)}`);
  return name;
}

/** The API form of a neighbor: its config (running config, else the speaker's options) and its state. */
function peerMessage(controller: Controller, bgp: BgpSpeaker, info: NeighborInfo): Peer {
  const conf = controller.running.bgp?.neighbors.find((n) => addrKey(n['neighbor-address']) === addrKey(info.address));
  const p = bgp.neighbor(info.address);
  const n = p?.negotiated && info.state === 'established' ? p.negotiated : null;
  const fams = (flags: readonly boolean[] | undefined) => (flags ? FAMILIES.filter((f) => flags[f.id]).map((f) => familyEnum(f.name)) : []);
  return {
    conf: conf ? confMessage(conf) : { neighborAddress: info.address, peerAs: info.peerAs, families: famEnums(p?.config.families ?? []) },
    state: {
      sessionState: SESSION_STATES[info.state],
      reason: fsmEventEnum(info.reason),
      lastError: info.lastError,
      ...(info.lastErrorAgeSeconds !== null ? { lastErrorAgeSeconds: info.lastErrorAgeSeconds } : {}),
      uptimeSeconds: info.uptimeSeconds,
      flaps: info.flaps,
      remoteId: info.remoteId ?? '',
      holdTime: info.holdTime ?? 0,
      keepalive: info.keepalive ?? 0,
      families: info.families.map(familyEnum),
      received: counters(info.counters.rx),
      sent: counters(info.counters.tx),
      prefixes: FAMILIES.filter((f) => info.prefixes[f.name]).map((f) => ({ family: familyEnum(f.name), ...info.prefixes[f.name]! })),
      capabilities: n
        ? { fourOctetAs: n.as4, routeRefresh: n.routeRefresh, enhancedRouteRefresh: n.enhancedRouteRefresh, extendedMessage: n.extendedMessage, addPathReceive: fams(n.addPathRx), addPathSend: fams(n.addPathTx) }
        : null,
      gracefulRestart: {
        peerAdvertised: !!n?.peerGr,
        peerRestartTime: info.gracefulRestart.peerRestartTime ?? 0,
        peerFamilies: (n?.peerGr?.families ?? []).map((x) => FAMILIES.find((f) => f.afi === x.afi && f.safi === x.safi)).filter((f) => !!f).map((f) => familyEnum(f.name)),
        staleRoutes: info.gracefulRestart.staleRoutes,
      },
      updateErrors: { ...info.updateErrors },
      localAddress: p?.established ? p.localAddress : '',
    },
  };
}

/** Edits `bgp.neighbors` of the raw running config (a copy: the running config is not touched). */
function editNeighbors(controller: Controller, edit: (neighbors: BgpConfig['neighbors'], running: Config) => BgpConfig['neighbors']) {
  return change(controller, (raw: RawConfig, running) => {
    if (!raw.bgp) speakerOf(controller); // throws FAILED_PRECONDITION
    const bgp = structuredClone(raw.bgp) as BgpConfig;
    bgp.neighbors = edit([...(bgp.neighbors ?? [])], running);
    raw.bgp = bgp;
  });
}

/** Soft reset: a route refresh of one negotiated family, or of all of them. */
function refreshPeer(bgp: BgpSpeaker, info: NeighborInfo, family: BgpFamily | undefined, log: Logger): void {
  if (info.state !== 'established')
    throw new ApiError(status.FAILED_PRECONDITION, `BGP neighbor ${info.address} is ${info.state}, not established: nothing to refresh`);
  const fam = family && family !== 'BGP_FAMILY_UNSPECIFIED' ? requireFamily('family', family) : null;
  if (fam && !info.families.includes(fam))
    throw new ApiError(status.FAILED_PRECONDITION, `family: ${fam} is not negotiated with ${info.address} (negotiated: ${info.families.join(', ') || 'none'})`);
  for (const f of fam ? [fam] : info.families) bgp.refresh(info.address, f);
  log.info({ neighbor: info.address, families: fam ? [fam] : info.families }, 'BGP route refresh sent');
}

/** Hard reset: the session is dropped and the neighbor re-added from the running config. */
function restartPeer(controller: Controller, bgp: BgpSpeaker, info: NeighborInfo, addr: string, log: Logger): void {
  const opts = speakerOptionsFromConfig(controller.running.bgp!).neighbors.find((n) => addrKey(n.address) === addrKey(info.address));
  if (!opts) throw notFound(`address: BGP neighbor ${addr} is not in the running config`);
  bgp.removeNeighbor(info.address);
  bgp.addNeighbor(opts);
  log.info({ neighbor: info.address }, 'BGP session reset');
}

/** Neighbors: listed from the speaker, added and deleted as config edits, reset in the queue. */
function neighborHandlers(controller: Controller, log: Logger): Pick<BgpServiceHandlers, NeighborRpc> {
  const speaker = () => speakerOf(controller);
  return {
    ListPeer: stream(log, 'ListPeer', (req) => {
      const bgp = speaker();
      const infos = req.address ? [findInfo(bgp, 'address', req.address)] : bgp.neighbors();
      return infos
        .map((i) => ({ i, k: parseIp(i.address) }))
        .sort((a, b) => (a.k && b.k ? a.k.bytes.length - b.k.bytes.length || Buffer.compare(a.k.bytes, b.k.bytes) : a.i.address.localeCompare(b.i.address)))
        .map(({ i }) => ({ peer: peerMessage(controller, bgp, i) }));
    }),

    GetPeer: unary(log, 'GetPeer', (req) => {
      const bgp = speaker();
      return { peer: peerMessage(controller, bgp, findInfo(bgp, 'address', requireName('address', req.address))) };
    }),

    AddPeer: unary(log, 'AddPeer', async (req) => {
      speaker();
      const conf: PeerConf = req.peer ?? {};
      const addr = requireName('peer.neighbor_address', conf.neighborAddress);
      await editNeighbors(controller, (ns) => {
        if (ns.some((n) => addrKey(n['neighbor-address']) === addrKey(addr))) throw new ApiError(status.ALREADY_EXISTS, `BGP neighbor ${addr} exists`);
        return [...ns, confToRaw(conf) as BgpNeighborConfig];
      });
      log.info({ neighbor: addr }, 'BGP neighbor added');
      const bgp = speaker();
      return { peer: peerMessage(controller, bgp, findInfo(bgp, 'peer.neighbor_address', addr)) };
    }),

    DeletePeer: unary(log, 'DeletePeer', async (req) => {
      speaker();
      const addr = requireName('address', req.address);
      await editNeighbors(controller, (ns) => {
        const rest = ns.filter((n) => addrKey(n['neighbor-address']) !== addrKey(addr));
        if (rest.length === ns.length) throw notFound(`no BGP neighbor ${addr}`);
        return rest;
      });
      log.info({ neighbor: addr }, 'BGP neighbor deleted');
      return {};
    }),

    ResetPeer: unary(log, 'ResetPeer', (req) =>
      controller.serialize(() => {
        const bgp = speaker();
        const addr = requireName('address', req.address);
        const info = findInfo(bgp, 'address', addr);
        if (req.soft) refreshPeer(bgp, info, req.family, log);
        else restartPeer(controller, bgp, info, addr, log);
        return {};
      }),
    ),
  };
}

/** The NLRI message of a route and its text key (`10.0.0.0/24`, `[type:macadv]…`). */
function nlriOut(family: FamilyName, route: AnyRoute): { nlri: Nlri; key: string } {
  const nlri = nlriMessage(family, route);
  return { nlri, key: nlriText({ ...nlri, route: Object.keys(nlri)[0] } as Nlri__Output) };
}

/** The RIB table a ListPath or GetTable request names. */
function tableOf(req: Pick<ListPathRequest__Output, 'table'>): 'in' | 'out' | 'loc' {
  const tt = req.table ?? 'TABLE_TYPE_UNSPECIFIED';
  const table = tt === 'TABLE_TYPE_ADJ_IN' ? 'in' : tt === 'TABLE_TYPE_ADJ_OUT' ? 'out' : tt === 'TABLE_TYPE_GLOBAL' || tt === 'TABLE_TYPE_UNSPECIFIED' ? 'loc' : null;
  if (!table) throw invalid('table', `unknown table ${String(tt)}`);
  return table;
}

/** The family, table and neighbor a ListPath or GetTable request names, checked. */
function viewOf(bgp: BgpSpeaker, req: Pick<ListPathRequest__Output, 'family' | 'table' | 'neighbor'>) {
  const family = requireFamily('family', req.family);
  const table = tableOf(req);
  let neighbor: string | undefined;
  if (table !== 'loc') neighbor = findInfo(bgp, 'neighbor', requireName('neighbor', req.neighbor)).address;
  else if (req.neighbor) throw invalid('neighbor', 'is for the adj-in and adj-out tables only');
  return { family, table, neighbor };
}

/** Paths: listed from the RIBs, originated and withdrawn at the speaker inside the queue. */
function ribHandlers(controller: Controller, log: Logger): Pick<BgpServiceHandlers, RibRpc> {
  const speaker = () => speakerOf(controller);
  return {
    ListPath: lazyStream(log, 'ListPath', (req: ListPathRequest__Output): Iterable<ListPathResponse> => {
      const bgp = speaker();
      const { family, table, neighbor } = viewOf(bgp, req);
      const lookups = parseLookups(family, req.prefixes);
      // in wire-key order (RD, then prefix; EVPN route type, then its key fields)
      const entries = lookupEntries(family, bgp.routes(family, { table, ...(neighbor ? { neighbor } : {}) }), lookups);
      const keyed = entries.map((e) => ({ e, k: routeKey(family, e.route) }));
      keyed.sort((a, b) => Buffer.compare(a.k, b.k));
      return (function* () {
        for (const { e } of keyed) {
          const { nlri, key } = nlriOut(family, e.route);
          for (const p of e.paths)
            yield {
              path: {
                family: familyEnum(family),
                nlri,
                attributes: attrsMessage({ ...p.attrs, nextHop: p.nextHop || p.attrs.nextHop }),
                key,
                source: p.source,
                best: table === 'loc',
                stale: !!p.stale,
                pathId: p.pathId ?? 0,
              } satisfies Path,
            };
        }
      })();
    }),

    GetTable: unary(log, 'GetTable', (req) => {
      const bgp = speaker();
      const { family, table, neighbor } = viewOf(bgp, req);
      const size = bgp.tableSize(family, { table, ...(neighbor ? { neighbor } : {}) });
      return { numDestination: size.destinations, numPath: size.paths };
    }),

    AddPath: unary(log, 'AddPath', (req) =>
      controller.serialize(() => {
        const bgp = speaker();
        const family = requireFamily('family', req.family);
        const route = nlriToRoute(family, req.nlri ?? undefined, 'nlri', bgp.options.asn);
        const attrs = attrsFromMessage(req.attributes ?? undefined, 'attributes');
        bgp.originate(family, route as never, attrs);
        const { nlri, key } = nlriOut(family, route);
        log.info({ family, route: key }, 'BGP path originated');
        return { path: { family: familyEnum(family), nlri, attributes: attrsMessage(attrs), key, source: 'local', best: false, stale: false, pathId: 0 } };
      }),
    ),

    DeletePath: unary(log, 'DeletePath', (req) =>
      controller.serialize(() => {
        const bgp = speaker();
        const family = requireFamily('family', req.family);
        const route = nlriToRoute(family, req.nlri ?? undefined, 'nlri', bgp.options.asn, { withdraw: true });
        const { key } = nlriOut(family, route);
        if (!bgp.withdraw(family, route as never)) throw notFound(`no ${family} path ${key} originated here`);
        log.info({ family, route: key }, 'BGP path withdrawn');
        return {};
      }),
    ),
  };
}
