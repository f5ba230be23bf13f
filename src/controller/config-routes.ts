// The routes a config gives a VRF, one set per config origin (route-sets.ts):
// `static` from `vrfs.<name>.routes`, `connected` and `local` from the
// addresses of its routed ports, `vm` host routes from its vm ports, and the
// VM gateway addresses (169.254.0.1, fe80::1) as `local` when it has vm ports.
// A routed port's address that is also a vm port's (a host interface sharing
// the uplink's address, so the host's BGP session runs on it: docs/pure-l3.md)
// gets no `local` route: its /32 or /128 is the vm port's, and the core sends
// what it receives for that address (other than ARP/ND) to the host.
import type { Route } from '../dataplane/index.js';
import { formatIp, formatPrefix, maskBytes, parsePrefix } from '../util/ip.js';
import type { Config } from './config.js';
import { RouteSets, type ConfigOrigin } from './route-sets.js';

export type ConfigRouteSets = Record<ConfigOrigin, Map<string, Route>>;

/** The config-derived route sets of `vrf`. */
export function configRouteSets(config: Config, vrf: string): ConfigRouteSets {
  const sets: ConfigRouteSets = { local: new Map(), connected: new Map(), vm: new Map(), static: new Map() };
  const put = (origin: ConfigOrigin, prefix: string, nexthops: Route['nexthops']) => sets[origin].set(prefix, { prefix, origin, nexthops });
  const v = config.vrfs.find((x) => x.name === vrf);
  for (const r of v?.routes ?? []) {
    if (r.type === 'blackhole') put('static', r.prefix, [{ kind: 'drop' }]);
    else if (r.type === 'unreachable') put('static', r.prefix, [{ kind: 'reject' }]);
    else put('static', r.prefix, r.via.map((x) => ({ kind: 'gateway' as const, port: x.port, gw: x.gw })));
  }
  let vmPorts = false;
  const vmHosts = new Set<string>();
  for (const p of config.ports)
    if (p.vrf === vrf && p.mode === 'vm') for (const a of p.addresses) vmHosts.add(hostPrefix(a));
  for (const p of config.ports) {
    if (p.vrf !== vrf) continue;
    for (const a of p.addresses) {
      const pr = parsePrefix(a, true)!;
      const host = hostPrefix(a);
      if (p.mode === 'vm') {
        put('vm', host, [{ kind: 'mac', port: p.name, mac: p.vmMac! }]);
        vmPorts = true;
      } else if (p.mode === 'routed') {
        put('connected', formatPrefix({ ...pr, bytes: maskBytes(pr.bytes, pr.plen) }), [{ kind: 'connected', port: p.name }]);
        if (!vmHosts.has(host)) put('local', host, [{ kind: 'local' }]);
      }
    }
  }
  if (vmPorts) {
    put('local', '169.254.0.1/32', [{ kind: 'local' }]);
    put('local', 'fe80::1/128', [{ kind: 'local' }]);
  }
  return sets;
}

/** The host prefix (/32, /128) of an address given as CIDR. */
export function hostPrefix(a: string): string {
  const pr = parsePrefix(a, true)!;
  return `${formatIp(pr.bytes)}/${pr.af === 4 ? 32 : 128}`;
}

/** The routes a config alone gives `vrf`, merged by origin precedence. */
export function vrfRoutes(config: Config, vrf: string): Route[] {
  const sets = new RouteSets();
  for (const [origin, set] of Object.entries(configRouteSets(config, vrf)) as [ConfigOrigin, Map<string, Route>][])
    sets.replace(vrf, origin, set);
  return sets.merged(vrf);
}
