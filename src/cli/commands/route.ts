// `hvswitch route show|add|del`: the FIB of a VRF as a table (ECMP members on
// continuation rows, as FRR's `show ip route`) and static routes in iproute2
// words (`via GW [GW...] [dev PORT]`, `blackhole`, `unreachable`).
import { Option, type Command } from 'commander';

import { originName, routeTypeName } from '../../api/convert.js';
import type { Route, Route__Output } from '../../api/gen/hvswitch/v1/Route.js';
import type { RouteOrigin } from '../../api/gen/hvswitch/v1/RouteOrigin.js';
import type { RouteType } from '../../api/gen/hvswitch/v1/RouteType.js';
import type { RoutingServiceClient } from '../../api/gen/hvswitch/v1/RoutingService.js';
import { afiFilter, call, list, UsageError, type CliContext } from '../context.js';
import { table } from '../format.js';

const ORIGIN: Record<string, RouteOrigin> = {
  connected: 'ROUTE_ORIGIN_CONNECTED',
  local: 'ROUTE_ORIGIN_LOCAL',
  vm: 'ROUTE_ORIGIN_VM',
  static: 'ROUTE_ORIGIN_STATIC',
  bgp: 'ROUTE_ORIGIN_BGP',
};

/** A FIB entry as scripts see it (`route show --json`). */
export interface RouteJson {
  vrf: string;
  prefix: string;
  family: 'ipv4' | 'ipv6';
  type: string; // unicast | blackhole | unreachable | local
  origin: string; // connected | local | vm | static | bgp
  /** bgp (IP-VPN): via is the remote PE; label, encap (mpls-udp | mpls-gre), source (the BGP peer of the path);
   *  bgp (EVPN type-5): via is the remote VTEP, encap vxlan, vni (its L3 VNI), router-mac (its router MAC), source */
  nexthops: {
    via: string | null;
    port: string | null;
    mac: string | null;
    label?: number;
    encap?: string;
    vni?: number;
    'router-mac'?: string;
    source?: string;
  }[];
}

export function routeJson(r: Route__Output): RouteJson {
  return {
    vrf: r.vrf,
    prefix: r.prefix,
    family: r.afi === 'AFI_IP6' ? 'ipv6' : 'ipv4',
    type: routeTypeName(r.type) ?? r.type,
    origin: originName(r.origin) ?? r.origin,
    nexthops: r.nexthops.map((n) => ({
      via: n.via || null,
      port: n.port || null,
      mac: n.mac || null,
      ...(n.encap === 'vxlan'
        ? { encap: n.encap, vni: n.vni, 'router-mac': n.routerMac, source: n.source || '' }
        : n.encap
          ? { label: n.label, encap: n.encap, source: n.source || '' }
          : {}),
    })),
  };
}

/** One next hop in iproute2 words: `via GW dev PORT`, `dev PORT lladdr MAC`,
 *  for a VPN route `via PE encap mpls-udp label 16 from PEER` (iproute2's
 *  `encap mpls` order, the peer as `show ip bgp` names it), and for a type-5
 *  route `via VTEP encap vxlan vni 9000 rmac MAC from PEER`. */
function nexthopText(n: RouteJson['nexthops'][number]): string {
  const tunnel = n.encap === 'vxlan' ? [`vni ${n.vni}`, `rmac ${n['router-mac']}`] : [`label ${n.label}`];
  const vpn = n.encap ? [`encap ${n.encap}`, ...tunnel, n.source ? `from ${n.source}` : ''] : [];
  return [n.via ? `via ${n.via}` : '', n.port ? `dev ${n.port}` : '', n.mac ? `lladdr ${n.mac}` : '', ...vpn].filter(Boolean).join(' ');
}

/** The FIB as a table: one row per route, ECMP members on continuation rows
 *  (as FRR's `show ip route` prints them). */
export function renderRoutes(routes: RouteJson[]): string {
  const rows: string[][] = [];
  for (const r of routes) {
    if (r.type !== 'unicast' || r.nexthops.length === 0) {
      rows.push([r.vrf, r.prefix, r.type, r.origin]);
      continue;
    }
    r.nexthops.forEach((n, i) => rows.push(i === 0 ? [r.vrf, r.prefix, nexthopText(n), r.origin] : ['', '', nexthopText(n), '']));
  }
  return table([{ header: 'VRF' }, { header: 'prefix' }, { header: 'nexthop' }, { header: 'origin' }], rows);
}

/** `route add` words after the prefix, iproute2 style:
 *  `via GW [via] [GW...] [dev PORT]`, `blackhole`, `unreachable`. */
export function parseRouteArgs(prefix: string, words: string[], o: { port?: string; '6'?: boolean }): Route {
  const [first, ...rest] = words;
  let type: RouteType = 'ROUTE_TYPE_UNICAST';
  const vias: string[] = [];
  let port = o.port;
  if (first === 'blackhole' || first === 'unreachable') {
    if (rest.length) throw new UsageError(`route add: nothing may follow '${first}' (got '${rest.join(' ')}')`);
    if (port !== undefined) throw new UsageError(`route add: a ${first} route has no port`);
    type = first === 'blackhole' ? 'ROUTE_TYPE_BLACKHOLE' : 'ROUTE_TYPE_UNREACHABLE';
  } else if (first === 'via') {
    for (let i = 0; i < rest.length; i++) {
      const w = rest[i]!;
      if (w === 'via') continue;
      if (w === 'dev') {
        const dev = rest[++i];
        if (dev === undefined || i !== rest.length - 1) throw new UsageError("route add: 'dev PORT' comes last");
        if (port !== undefined && port !== dev) throw new UsageError(`route add: --port ${port} and dev ${dev} disagree`);
        port = dev;
        continue;
      }
      vias.push(w);
    }
    if (vias.length === 0) throw new UsageError("route add: 'via' needs at least one gateway");
  } else {
    throw new UsageError(`route add: expected 'via GW...', 'blackhole' or 'unreachable' after the prefix, got '${first}'`);
  }
  // 'default' is 0.0.0.0/0 in the config; an IPv6 gateway or -6 makes it ::/0 (ip -6 route add default)
  const v6 = o['6'] || (vias.length > 0 && vias.every((v) => v.includes(':')));
  return {
    prefix: prefix === 'default' && v6 ? '::/0' : prefix,
    type,
    nexthops: vias.map((via) => ({ via, port: port ?? '' })),
  };
}

export function addRouteCommands(program: Command, x: CliContext): void {
  const route = x.sub(program, 'route', 'routes: show (the FIB), add, del (static routes)');
  x.readOpts(x.sub(route, 'show', 'show the FIB: static, connected, local, vm and bgp routes'))
    .option('--vrf <vrf>', 'only this VRF')
    .option('-4', 'IPv4 only')
    .option('-6', 'IPv6 only')
    .addOption(new Option('--origin <origin>', 'only routes of this origin').choices(Object.keys(ORIGIN)))
    .action(async (o: { vrf?: string; '4'?: boolean; '6'?: boolean; origin?: string; json?: boolean; quiet?: boolean }) => {
      const afi = afiFilter('route show', o);
      const routes = (
        await list<RoutingServiceClient, object, { route: Route__Output }>(x.rt(), 'ListRoute', {
          vrf: o.vrf ?? '',
          afi,
          origin: o.origin ? ORIGIN[o.origin] : 'ROUTE_ORIGIN_UNSPECIFIED',
        })
      ).map((r) => routeJson(r.route));
      if (o.json) return x.json(routes);
      if (o.quiet) return x.out(routes.map((r) => `${r.prefix}\n`).join(''));
      x.out(renderRoutes(routes));
    });
  x.sub(route, 'add', 'add a static route: PREFIX via GW [GW...] [dev PORT] | blackhole | unreachable')
    .requiredOption('--vrf <vrf>', 'the VRF')
    .option('--port <port>', 'outgoing routed port (default: the one whose subnet holds the gateway)')
    .option('--replace', 'replace a static route to the same prefix')
    .option('-6', "IPv6: 'default' means ::/0")
    .argument('<prefix>', "CIDR, or 'default'")
    .argument('<nexthop...>', 'via GW [GW...] | blackhole | unreachable')
    .action(async (prefix: string, words: string[], o: { vrf: string; port?: string; replace?: boolean; '6'?: boolean }) => {
      const r = parseRouteArgs(prefix, words, o);
      await call(x.rt(), 'AddRoute', { route: { vrf: o.vrf, ...r }, replace: !!o.replace });
    });
  x.sub(route, 'del', 'delete a static route')
    .requiredOption('--vrf <vrf>', 'the VRF')
    .option('-6', "IPv6: 'default' means ::/0")
    .argument('<prefix>', "CIDR, or 'default'")
    .action(async (prefix: string, o: { vrf: string; '6'?: boolean }) => {
      await call(x.rt(), 'DeleteRoute', { vrf: o.vrf, prefix: prefix === 'default' && o['6'] ? '::/0' : prefix });
    });
}
