// hvswitch.v1.RoutingService: thin adapters over the controller for VRFs,
// static routes (the FIB with its derived connected/local/vm routes) and the
// neighbor table.  VRF and route changes are edits of the raw config document
// (`vrfs.<name>.routes`), validated by the config's validator and applied by
// the reconciler inside the control queue (Controller.update), exactly as
// port changes are (switch-service.ts): errors carry the config path of the
// field and nothing of a refused request is applied.  Permanent neighbors are
// config too (`ports.<name>.neighbors`): AddNeighbor, and FlushNeighbor with
// include_permanent, edit it (and so persist like any change); learned
// entries are the dataplane's, flushed there, inside the queue.
import { status } from '@grpc/grpc-js';

import { type Config, type RawConfig, vrfRoutes, type Controller } from '../controller/index.js';
import type { Logger } from '../util/logger.js';
import type { Neighbor } from '../dataplane/index.js';
import { ECMP_MAX } from '../dataplane/routing.js';
import { formatIp, formatPrefix, parseIp, parsePrefix } from '../util/ip.js';
import { afiOf, neighborMessage, routeMessage } from './convert.js';
import { ApiError, invalid, notFound } from './errors.js';
import type { Afi } from './gen/hvswitch/v1/Afi.js';
import type { Route } from './gen/hvswitch/v1/Route.js';
import type { RoutingServiceHandlers } from './gen/hvswitch/v1/RoutingService.js';
import type { Vrf } from './gen/hvswitch/v1/Vrf.js';
import { change, checkUnicastMac, deleteEmpty, requireName, stream, unary } from './handlers.js';

type RawRoute = NonNullable<NonNullable<RawConfig['vrfs']>[string]['routes']>[number];

/** The canonical CIDR of a route destination ('default' is 0.0.0.0/0), or null. */
export function canonicalPrefix(to: string): string | null {
  const p = parsePrefix(to === 'default' ? '0.0.0.0/0' : to);
  return p ? formatPrefix(p) : null;
}

/** FIB order: by VRF, IPv4 before IPv6, then by address and prefix length
 *  (each prefix parsed once, not per comparison). */
function sortRoutes<T extends { vrf: string; prefix: string }>(routes: T[]): T[] {
  const keyed = routes.map((r) => ({ r, p: parsePrefix(r.prefix)! }));
  keyed.sort(
    (a, b) =>
      (a.r.vrf === b.r.vrf ? 0 : a.r.vrf < b.r.vrf ? -1 : 1) ||
      a.p.bytes.length - b.p.bytes.length ||
      Buffer.compare(a.p.bytes, b.p.bytes) ||
      a.p.plen - b.p.plen,
  );
  return keyed.map((k) => k.r);
}

function neighOrder(a: Neighbor, b: Neighbor): number {
  const ia = parseIp(a.ip)!, ib = parseIp(b.ip)!;
  return a.port.localeCompare(b.port) || ia.bytes.length - ib.bytes.length || Buffer.compare(ia.bytes, ib.bytes);
}

const afiFilter = (afi: Afi | undefined) => (afi === 'AFI_IP' || afi === 'AFI_IP6' ? afi : undefined);

/** The raw config route of an API Route; API-only shape rules are checked here,
 *  everything else (prefix, gateways, families, subnets) by the validator. */
function routeToRaw(r: Route): RawRoute {
  const out: Record<string, unknown> = { to: r.prefix };
  const type = r.type ?? 'ROUTE_TYPE_UNSPECIFIED';
  if (type === 'ROUTE_TYPE_BLACKHOLE') out.type = 'blackhole';
  else if (type === 'ROUTE_TYPE_UNREACHABLE') out.type = 'unreachable';
  else if (type === 'ROUTE_TYPE_LOCAL')
    throw invalid('route.type', 'local routes come from the addresses of routed ports (set the port addresses instead)');
  else if (type !== 'ROUTE_TYPE_UNICAST' && type !== 'ROUTE_TYPE_UNSPECIFIED') out.type = String(type); // refused with its path
  const nhs = r.nexthops ?? [];
  if (nhs.length > ECMP_MAX) throw invalid('route.nexthops', `at most ${ECMP_MAX} next hops (ECMP) per route, got ${nhs.length}`);
  const vias = nhs.map((n) => n.via ?? '');
  const ports = new Set<string>();
  nhs.forEach((n, i) => {
    if (n.mac) throw invalid(`route.nexthops.${i}.mac`, 'is set in answers only (vm host routes)');
    if (!n.via) throw invalid(`route.nexthops.${i}.via`, 'is required (a gateway address)');
    if (n.port) ports.add(n.port);
  });
  if (ports.size > 1) throw invalid('route.nexthops', `next hops of one route leave by one port (got ${[...ports].join(', ')}); leave port empty to pick it by subnet`);
  if (vias.length === 1) out.via = vias[0];
  else if (vias.length > 1) out.via = vias;
  if (ports.size === 1) out.port = [...ports][0];
  return out as RawRoute;
}

export function routingHandlers(controller: Controller, log: Logger): RoutingServiceHandlers {
  return { ...vrfHandlers(controller, log), ...staticRouteHandlers(controller, log), ...neighborHandlers(controller, log) };
}

type VrfRpc = 'ListVrf' | 'AddVrf' | 'DeleteVrf';
type StaticRouteRpc = 'ListRoute' | 'AddRoute' | 'DeleteRoute';
type NeighborRpc = 'ListNeighbor' | 'AddNeighbor' | 'FlushNeighbor';

const requireVrf = (path: string, c: Config, name: string) => {
  if (!c.vrfs.some((v) => v.name === name)) throw notFound(`${path}: no vrf named '${name}'`);
};

/** A derived (connected/local/vm) route of `vrf` to `prefix`, if any. */
const derivedRoute = (c: Config, vrf: string, prefix: string) => vrfRoutes({ ...c, vrfs: [] }, vrf).find((r) => r.prefix === prefix);

/** VRFs: edits of the raw config, applied by the reconciler. */
function vrfHandlers(controller: Controller, log: Logger): Pick<RoutingServiceHandlers, VrfRpc> {
  const dp = controller.dataplane;
  const vrfOut = (c: Config, name: string): Vrf => {
    const v = c.vrfs.find((x) => x.name === name);
    const state = dp.listVrfs().find((x) => x.name === name);
    if (!v || !state) throw notFound(`no vrf named '${name}'`);
    return { name, id: state.index, ports: state.ports.sort(), routes: state.routes, staticRoutes: v.routes.length };
  };

  return {
    ListVrf: stream(log, 'ListVrf', (req) => {
      const c = controller.running;
      const names = req.names?.length ? req.names : c.vrfs.map((v) => v.name).sort();
      return names.map((n) => ({ vrf: vrfOut(c, n) }));
    }),

    AddVrf: unary(log, 'AddVrf', async (req) => {
      const name = requireName('vrf.name', req.vrf?.name);
      const c = await change(controller, (raw) => {
        if (raw.vrfs?.[name]) throw new ApiError(status.ALREADY_EXISTS, `vrf '${name}' exists`);
        raw.vrfs = { ...raw.vrfs, [name]: {} };
      });
      log.info({ vrf: name }, 'vrf added');
      return { vrf: vrfOut(c, name) };
    }),

    DeleteVrf: unary(log, 'DeleteVrf', async (req) => {
      const name = requireName('name', req.name);
      await deleteEmpty(controller, 'vrf', name);
      log.info({ vrf: name }, 'vrf deleted');
      return {};
    }),
  };
}

/** The static routes of `vrf` with `entry` added, or put in place of the one to the same
 *  prefix when `replace`; refused when a derived route or (without `replace`) a static one has it. */
function withStaticRoute(running: Config, vrf: string, routes: RawRoute[], entry: RawRoute, prefix: string | null, replace: boolean): RawRoute[] {
  const out = [...routes];
  if (prefix === null) return [...out, entry]; // the validator names the field
  const d = derivedRoute(running, vrf, prefix);
  if (d) {
    const port = d.nexthops.map((n) => ('port' in n ? n.port : '')).find(Boolean);
    throw new ApiError(status.ALREADY_EXISTS, `${prefix} is a ${d.origin} route of vrf ${vrf}${port ? ` (port ${port})` : ''}; a static route to it would be shadowed`);
  }
  const at = out.findIndex((x) => canonicalPrefix(x.to) === prefix);
  if (at >= 0 && !replace)
    throw new ApiError(status.ALREADY_EXISTS, `vrf ${vrf} already has a static route to ${prefix} (replace it with replace=true / route add --replace)`);
  if (at >= 0) out[at] = entry;
  else out.push(entry);
  return out;
}

/** A bgp route's MPLS and VXLAN next hops get the BGP peer their path came from (IP-VPN import, src/vpn/l3vpn.ts). */
function withVpnSources(controller: Controller, r: Route): Route {
  const m = controller.l3vpn.manager;
  if (!m || r.origin !== 'ROUTE_ORIGIN_BGP') return r;
  const paths = m.paths(r.vrf!, r.prefix!);
  for (const n of r.nexthops ?? []) {
    const label = n.encap === 'vxlan' ? n.vni : n.label; // a type-5 path's label is its VNI
    n.source = paths.find((p) => p.remote === n.via && p.label === label)?.source ?? '';
  }
  return r;
}

/** Static routes: edits of `vrfs.<name>.routes` in the raw config, applied by the reconciler. */
function staticRouteHandlers(controller: Controller, log: Logger): Pick<RoutingServiceHandlers, StaticRouteRpc> {
  const dp = controller.dataplane;
  return {
    ListRoute: stream(log, 'ListRoute', (req) => {
      if (req.vrf) requireVrf('vrf', controller.running, req.vrf);
      const afi = afiFilter(req.afi);
      const origin = req.origin && req.origin !== 'ROUTE_ORIGIN_UNSPECIFIED' ? req.origin : undefined;
      return sortRoutes(dp.listRoutes(req.vrf || undefined))
        .map((r) => withVpnSources(controller, routeMessage(r)))
        .filter((r) => (!afi || r.afi === afi) && (!origin || r.origin === origin))
        .map((route) => ({ route }));
    }),

    AddRoute: unary(log, 'AddRoute', async (req) => {
      const r: Route = req.route ?? {};
      const vrf = requireName('route.vrf', r.vrf);
      const to = requireName('route.prefix', r.prefix);
      const entry = routeToRaw(r);
      const prefix = canonicalPrefix(to); // null: the validator names the field
      await change(controller, (raw, running) => {
        requireVrf('route.vrf', running, vrf);
        const v = raw.vrfs![vrf]!;
        raw.vrfs![vrf] = { ...v, routes: withStaticRoute(running, vrf, v.routes ?? [], entry, prefix, !!req.replace) };
      });
      // Not in the FIB while its port is absent (its interface missing): answered from the config's set.
      const installed = dp.listRoutes(vrf).find((x) => x.prefix === prefix) ?? controller.routes('static', vrf).map((x) => ({ ...x, vrf })).find((x) => x.prefix === prefix);
      if (!installed) throw new ApiError(status.INTERNAL, `route to ${prefix} accepted but not in the FIB of vrf ${vrf}`);
      log.info({ vrf, prefix, replace: !!req.replace }, 'static route added');
      return { route: routeMessage(installed) };
    }),

    DeleteRoute: unary(log, 'DeleteRoute', async (req) => {
      const vrf = requireName('vrf', req.vrf);
      const to = requireName('prefix', req.prefix);
      const prefix = canonicalPrefix(to);
      if (prefix === null) throw invalid('prefix', `'${to}' is not a prefix (CIDR)`);
      await change(controller, (raw, running) => {
        requireVrf('vrf', running, vrf);
        const v = raw.vrfs![vrf]!;
        const routes = v.routes ?? [];
        const at = routes.findIndex((x) => canonicalPrefix(x.to) === prefix);
        if (at < 0) {
          const d = derivedRoute(running, vrf, prefix);
          if (d)
            throw new ApiError(status.FAILED_PRECONDITION, `${prefix} is a ${d.origin} route of vrf ${vrf}, not a static one (it follows the port addresses)`);
          throw notFound(`no static route to ${prefix} in vrf ${vrf}`);
        }
        raw.vrfs![vrf] = { ...v, routes: routes.filter((_, i) => i !== at) };
      });
      log.info({ vrf, prefix }, 'static route deleted');
      return {};
    }),
  };
}

/** The neighbor table: straight to the dataplane, inside the queue. */
function neighborHandlers(controller: Controller, log: Logger): Pick<RoutingServiceHandlers, NeighborRpc> {
  const dp = controller.dataplane;
  return {
    ListNeighbor: stream(log, 'ListNeighbor', (req) => {
      const c = controller.running;
      if (req.port && !dp.hasPort(req.port)) throw notFound(`port: no port named '${req.port}'`);
      if (req.vrf) requireVrf('vrf', c, req.vrf);
      const afi = afiFilter(req.afi);
      const vrfOf = new Map(c.ports.map((p) => [p.name, p.vrf]));
      return dp
        .neighbors()
        .filter((n) => (!req.port || n.port === req.port) && (!req.vrf || vrfOf.get(n.port) === req.vrf) && (!afi || afiOf(n.ip) === afi))
        .sort(neighOrder)
        .map((n) => ({ neighbor: neighborMessage(n, vrfOf.get(n.port) ?? null) }));
    }),

    AddNeighbor: unary(log, 'AddNeighbor', async (req) => {
      const portName = requireName('port', req.port);
      const ipText = requireName('ip', req.ip);
      const macText = requireName('mac', req.mac);
      const ip = parseIp(ipText);
      if (!ip) throw invalid('ip', `'${ipText}' is not an IPv4 or IPv6 address`);
      checkUnicastMac('mac', macText, "a neighbor's MAC is unicast");
      const entry = { ip: formatIp(ip.bytes), mac: macText.toLowerCase() };
      const running = await change(controller, (raw, c) => {
        const port = c.ports.find((p) => p.name === portName);
        if (!port) throw notFound(`port: no port named '${portName}'`);
        if (port.mode !== 'routed' && port.mode !== 'vm')
          throw new ApiError(status.FAILED_PRECONDITION, `port: '${portName}' is an ${port.mode} port; neighbors live on routed and vm ports`);
        const rp = raw.ports?.[portName];
        if (!rp) throw new ApiError(status.FAILED_PRECONDITION, `port: '${portName}' is a VRF's host interface; its neighbors are the host's`);
        rp.neighbors = [...(rp.neighbors ?? []).filter((n) => formatIp(parseIp(n.ip)?.bytes ?? Buffer.alloc(0)) !== entry.ip), entry];
      });
      const n = dp.neighbors().find((x) => x.port === portName && parseIp(x.ip)!.bytes.equals(ip.bytes));
      if (!n) throw new ApiError(status.INTERNAL, `neighbor ${ipText} on ${portName} set but not listed`);
      log.info({ port: portName, ip: n.ip, mac: n.mac }, 'permanent neighbor added');
      return { neighbor: neighborMessage(n, running.ports.find((p) => p.name === portName)?.vrf ?? null) };
    }),

    FlushNeighbor: unary(log, 'FlushNeighbor', async (req) => {
      if (req.port && !dp.hasPort(req.port)) throw notFound(`port: no port named '${req.port}'`);
      const all = req.includePermanent ?? false;
      const onPort = (name: string) => !req.port || name === req.port;
      let flushed = 0;
      // permanent ones are config: removed from it (the reconciler flushes them)
      if (all && controller.running.ports.some((p) => onPort(p.name) && p.neighbors.length))
        await change(controller, (raw) => {
          flushed = dp.neighbors().filter((n) => onPort(n.port) && n.state === 'permanent').length; // counted in the queue, before they go
          for (const [name, rp] of Object.entries(raw.ports ?? {})) if (onPort(name) && rp.neighbors) delete rp.neighbors;
        });
      await controller.serialize(() => {
        flushed += dp.neighbors().filter((n) => onPort(n.port) && (all || n.state !== 'permanent')).length;
        dp.flushNeighbors(req.port || undefined, all);
      });
      log.info({ port: req.port || 'all', includePermanent: all, flushed }, 'neighbors flushed');
      return { flushed };
    }),
  };
}
