// Imported routes into the FIB (the L3vpnFib of src/vpn/l3vpn.ts): an IP-VPN
// or type-5 import is a source of its VRF's `bgp` origin (route-sets.ts), and
// each of its batches comes packed — prefix keys and next-hop arrays, no
// Route object per prefix.  The prefixes no set of the VRF holds (the usual
// case: a million VPN routes against a few connected and static prefixes)
// go straight into the dataplane in one call (Dataplane.updateKeys: one
// routeBatch into the core).  The others take the precedence walk
// (RouteSets.winner) as any route change does, so a static route to a
// VPN-learned prefix still wins.  bgp is the lowest origin, so an imported
// prefix outside every set is the import's alone.
//
// Runs in the controller's queue (the importer calls it there).  A refused
// write (table full) throws after the prefixes before it went in; the import
// keeps its state, and the FIB catches up with the next change of the
// prefix or the next full push (a config apply).
import type { Dataplane, NextHop, Route } from '../dataplane/index.js';
import { formatIp } from '../util/ip.js';
import { keyPrefix, type PrefixKey } from '../util/prefix-table.js';
import type { ImportedRoutes, L3vpnFib } from '../vpn/l3vpn.js';
import type { RouteSets } from './route-sets.js';

function keyText(k: PrefixKey): string {
  const { bytes, plen } = keyPrefix(k);
  return `${formatIp(bytes)}/${plen}`;
}

export class ImportFib implements L3vpnFib {
  constructor(
    private readonly sets: RouteSets,
    private readonly dp: Pick<Dataplane, 'updateKeys' | 'updateRoutes'>,
    /** whether a route's next hops can be installed now (their ports exist) */
    private readonly usable: () => (r: Route) => boolean = () => () => true,
    private readonly vrfExists: (vrf: string) => boolean = () => true,
  ) {}

  attach(vrf: string, src: ImportedRoutes): void {
    this.sets.attach(vrf, src);
  }

  detach(vrf: string, src: ImportedRoutes): void {
    const keys = src.keys();
    this.sets.detach(vrf, src);
    if (!keys.length || !this.vrfExists(vrf)) return;
    this.write(vrf, src, keys, keys.map(() => null));
  }

  changed(vrf: string, src: ImportedRoutes, keys: PrefixKey[], hops: (NextHop[] | null)[]): void {
    if (!this.vrfExists(vrf)) return;
    this.write(vrf, src, keys, hops);
  }

  private write(vrf: string, src: ImportedRoutes, keys: PrefixKey[], hops: (NextHop[] | null)[]): void {
    const shadow = this.sets.shadowed(vrf);
    const other = this.sets.otherSources(vrf, src);
    let fastKeys = keys, fastHops = hops;
    const slow: string[] = [];
    if (shadow.size || other) {
      fastKeys = [];
      fastHops = [];
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        if (other || shadow.has(k)) slow.push(keyText(k));
        else {
          fastKeys.push(k);
          fastHops.push(hops[i]!);
        }
      }
    }
    if (fastKeys.length) this.dp.updateKeys(vrf, fastKeys, fastHops, 'bgp');
    if (!slow.length) return;
    // the precedence walk, for prefixes some set (or another source) also gives
    const usable = this.usable();
    const put: Route[] = [];
    const gone: string[] = [];
    for (const p of slow) {
      const r = this.sets.winner(vrf, p, usable);
      if (r) put.push(r);
      else gone.push(p);
    }
    this.dp.updateRoutes(vrf, put, gone);
  }
}
