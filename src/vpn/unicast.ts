/**
 * The "pure L3" hypervisor (docs/pure-l3.md): a VRF bound to upstream eBGP
 * neighbors (`bgp.neighbors[].vrf`) exchanges plain IPv4/IPv6 unicast with
 * them, as the CloudStack design has each hypervisor announce its VMs' /32
 * and /128 to the top-of-rack router.
 *
 * Export: the VRF's routes of the kinds the neighbors' `advertise` lists —
 * `vm` (host routes of its vm ports, default), `connected` (subnets of its
 * routed ports, except the ports toward the bound neighbors: the peer has
 * those links), `static` (`vrfs.<name>.routes`, except default routes: the upstream
 * is where those lead) — are originated once per VRF, scoped to it
 * (speaker/vrf-scope.ts: only its bound neighbors get them, with their
 * communities, next hop self). Each config apply (a reload, an API port add or
 * delete) diffs the desired set against what is originated, in the same call,
 * so the UPDATE or withdrawal leaves in the speaker's next flush.
 *
 * Import: best paths of ipv4/ipv6 whose source is a neighbor bound to a VRF
 * go into that VRF's `bgp` route set, the next hop a gateway on the VRF's
 * routed port whose subnet holds it (resolved by the core's ARP/ND on that
 * port, as a static route's is); a next hop on no such port is not installed
 * (logged, counted in `unresolved`). Changes reach the FIB in batches, one
 * Controller.updateRoutes per VRF per best-path flush.
 *
 * Self-contained on purpose: the importer/exporter shared by EVPN and IP-VPN
 * can absorb it later (it needs: a scoped origination, a best-path
 * subscription, a per-VRF route batch).
 */
import type { AdvertiseKind, BestPathChange, BgpSpeaker, NeighborOptions, PathAttrs, PrefixRoute } from '../bgp/index.js';
import type { Route } from '../dataplane/index.js';
import type { Config } from '../controller/config.js';
import { formatPrefix, maskBytes, parseIp, parsePrefix } from '../util/ip.js';
import type { Logger } from '../util/logger.js';

type Fam = 'ipv4' | 'ipv6';

/** A VRF's bound neighbors and what it advertises to them. */
export interface Binding {
  vrf: string;
  neighbors: string[];
  advertise: AdvertiseKind[];
}

/** An exported route: its family, prefix and attributes. */
export interface Export {
  family: Fam;
  prefix: string;
  attrs: PathAttrs;
}

/** The controller's side: incremental changes to a VRF's `bgp` route set (queued). */
export interface RouteSink {
  updateRoutes(origin: 'bgp', vrf: string, change: { put?: Route[]; withdraw?: string[] }): Promise<unknown>;
}

/** The VRF bindings of a config, by VRF name. */
export function bindings(config: Config): Map<string, Binding> {
  const out = new Map<string, Binding>();
  for (const n of config.bgp?.neighbors ?? []) {
    if (!n.vrf) continue;
    const b = out.get(n.vrf) ?? { vrf: n.vrf, neighbors: [], advertise: n.advertise ?? ['vm'] };
    b.neighbors.push(n['neighbor-address']);
    out.set(n.vrf, b);
  }
  return out;
}

/** Does the subnet of a routed port's address `cidr` hold `ip`? */
function onLink(cidr: string, ip: string): boolean {
  const p = parsePrefix(cidr, true), a = parseIp(ip);
  return !!p && !!a && p.af === a.af && maskBytes(p.bytes, p.plen).equals(maskBytes(a.bytes, p.plen));
}

/** The routed port of `vrf` whose subnet holds `ip`, and its address there. */
export function linkToward(config: Config, vrf: string, ip: string): { port: string; address: string } | null {
  for (const p of config.ports)
    if (p.vrf === vrf && p.mode === 'routed')
      for (const a of p.addresses) if (onLink(a, ip)) return { port: p.name, address: a.split('/')[0]! };
  return null;
}

/** What `vrf` advertises to its bound neighbors, keyed `family prefix`. */
export function exportsOf(config: Config, b: Binding): Map<string, Export> {
  const out = new Map<string, Export>();
  const add = (prefix: string) => {
    const p = parsePrefix(prefix, true);
    if (!p) return;
    const family: Fam = p.af === 4 ? 'ipv4' : 'ipv6';
    const canon = formatPrefix({ ...p, bytes: maskBytes(p.bytes, p.plen) });
    out.set(`${family} ${canon}`, { family, prefix: canon, attrs: {} });
  };
  const routed = config.ports.filter((p) => p.vrf === b.vrf && p.mode === 'routed');
  const shared = new Set(routed.flatMap((p) => p.addresses.map((a) => a.split('/')[0]!)));
  const towardPeer = new Set(b.neighbors.map((n) => linkToward(config, b.vrf, n)?.port));
  for (const p of config.ports) {
    if (p.vrf !== b.vrf) continue;
    for (const a of p.addresses) {
      const ip = a.split('/')[0]!;
      if (p.mode === 'vm' && b.advertise.includes('vm') && !shared.has(ip)) add(`${ip}/${ip.includes(':') ? 128 : 32}`);
      if (p.mode === 'routed' && b.advertise.includes('connected') && !towardPeer.has(p.name)) add(a);
    }
  }
  if (b.advertise.includes('static'))
    for (const r of config.vrfs.find((v) => v.name === b.vrf)?.routes ?? []) if (!/\/0$/.test(r.prefix)) add(r.prefix);
  return out;
}

/** The FIB route for an imported best path, or null if its next hop is on none of the VRF's links. */
export function importedRoute(config: Config, vrf: string, prefix: string, nextHop: string): Route | null {
  const link = linkToward(config, vrf, nextHop);
  return link ? { prefix, origin: 'bgp', nexthops: [{ kind: 'gateway', port: link.port, gw: nextHop }] } : null;
}

/** Neighbor options completed with the VRF's IPv6 next hop (RFC 2545: our global address on the link). */
export function withNextHop6(config: Config, neighbors: NeighborOptions[]): NeighborOptions[] {
  return neighbors.map((n) => {
    if (!n.vrf || n.address.includes(':')) return n;
    const link = linkToward(config, n.vrf, n.address);
    const port = link && config.ports.find((p) => p.name === link.port);
    const v6 = port?.addresses.map((a) => a.split('/')[0]!).find((a) => a.includes(':') && !/^fe[89ab]/i.test(a));
    return v6 ? { ...n, nextHop6: v6 } : n;
  });
}

export class UnicastVrfs {
  private config: Config | null = null;
  private binds = new Map<string, Binding>();
  /** originated: `family prefix` → [vrf, route] */
  private exported = new Map<string, { vrf: string; e: Export }>();
  /** imported: `family prefix` → vrf */
  private imported = new Map<string, string>();
  private unsubscribe: (() => void)[] = [];
  /** imported routes not installed: their next hop is on none of the VRF's links */
  unresolved = 0;

  constructor(
    private readonly bgp: BgpSpeaker,
    private readonly sink: RouteSink,
    private readonly log: Logger,
  ) {
    for (const f of ['ipv4', 'ipv6'] as const)
      this.unsubscribe.push(bgp.subscribe(f, (changes) => this.onBestPaths(changes as BestPathChange<PrefixRoute>[])));
  }

  /** A config applied: exports diffed and originated or withdrawn; imports redone if bindings or links changed. */
  apply(config: Config): void {
    const prev = this.config;
    this.config = config;
    this.binds = bindings(config);
    this.syncExports();
    if (!prev || JSON.stringify(linkState(prev)) !== JSON.stringify(linkState(config))) this.resyncImports();
  }

  private syncExports(): void {
    const want = new Map<string, { vrf: string; e: Export }>();
    for (const b of this.binds.values()) for (const [k, e] of exportsOf(this.config!, b)) want.set(k, { vrf: b.vrf, e });
    let added = 0, withdrawn = 0;
    for (const [k, x] of this.exported) {
      if (want.get(k)?.vrf === x.vrf) continue;
      this.bgp.withdraw(x.e.family, { prefix: x.e.prefix });
      this.exported.delete(k);
      withdrawn++;
    }
    for (const [k, x] of want) {
      if (this.exported.has(k)) continue;
      this.bgp.originate(x.e.family, { prefix: x.e.prefix }, x.e.attrs, { vrf: x.vrf });
      this.exported.set(k, x);
      added++;
    }
    if (added || withdrawn) this.log.info({ added, withdrawn }, 'vrf unicast routes exported');
  }

  /** The source neighbor's VRF for a best path (null: not from a bound neighbor). */
  private vrfOf(source: string): string | null {
    for (const b of this.binds.values()) if (b.neighbors.includes(source)) return b.vrf;
    return null;
  }

  private onBestPaths(changes: BestPathChange<PrefixRoute>[]): void {
    if (!this.config) return;
    const batches = new Map<string, { put: Route[]; withdraw: string[] }>();
    const batch = (vrf: string) => {
      let x = batches.get(vrf);
      if (!x) batches.set(vrf, (x = { put: [], withdraw: [] }));
      return x;
    };
    for (const c of changes) {
      const key = `${c.family} ${c.route.prefix}`;
      const vrf = c.best ? this.vrfOf(c.best.source) : null;
      const had = this.imported.get(key);
      const route = vrf ? importedRoute(this.config, vrf, c.route.prefix, c.best!.nextHop) : null;
      if (vrf && !route) {
        this.unresolved++;
        this.log.warn({ vrf, prefix: c.route.prefix, nextHop: c.best!.nextHop }, 'bgp route not installed: its next hop is on none of the vrf\'s routed ports');
      }
      if (had !== undefined && had !== (route ? vrf : null)) {
        batch(had).withdraw.push(c.route.prefix);
        this.imported.delete(key);
      }
      if (route && vrf) {
        batch(vrf).put.push(route);
        this.imported.set(key, vrf);
      }
    }
    for (const [vrf, x] of batches)
      this.sink.updateRoutes('bgp', vrf, x).catch((e: Error) => this.log.warn({ vrf, err: e.message }, 'bgp routes not applied'));
  }

  /** Bindings or links changed: every imported route withdrawn, the Loc-RIB imported again. */
  private resyncImports(): void {
    const gone: BestPathChange<PrefixRoute>[] = [];
    for (const key of this.imported.keys()) {
      const [family, prefix] = key.split(' ') as [Fam, string];
      gone.push({ family, route: { prefix }, key: prefix, best: null });
    }
    this.onBestPaths(gone);
    for (const f of ['ipv4', 'ipv6'] as const) {
      const all = this.bgp.routes(f).map((e) => ({ family: f, route: e.route as PrefixRoute, key: e.key, best: e.paths[0] ?? null }));
      this.onBestPaths(all);
    }
  }

  /** What is exported, for `hvswitch bgp vrf` style views and tests. */
  exports(): { vrf: string; family: Fam; prefix: string }[] {
    return [...this.exported.values()].map((x) => ({ vrf: x.vrf, family: x.e.family, prefix: x.e.prefix }));
  }

  close(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    for (const x of this.exported.values()) this.bgp.withdraw(x.e.family, { prefix: x.e.prefix });
    this.exported.clear();
  }
}

/** What import resolution depends on: the bindings and the VRFs' routed ports. */
function linkState(c: Config): unknown {
  return [[...bindings(c).values()], c.ports.filter((p) => p.mode === 'routed').map((p) => [p.name, p.vrf, p.addresses])];
}

/** Config checks that need the VRFs: a neighbor's `vrf` must name one (paths in the config's vocabulary). */
export function bindingProblems(bgp: unknown, vrfNames: Set<string>): { path: string; message: string }[] {
  const ns = (bgp as { neighbors?: { vrf?: unknown }[] } | null)?.neighbors;
  if (!Array.isArray(ns)) return [];
  return ns.flatMap((n, i) =>
    typeof n?.vrf === 'string' && !vrfNames.has(n.vrf) ? [{ path: `bgp.neighbors.${i}.vrf`, message: `no vrf named '${n.vrf}' (vrfs.<name>)` }] : [],
  );
}
