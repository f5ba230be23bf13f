// The controller's side of IP-VPN (src/vpn/l3vpn.ts): our PE (the MPLS
// underlay port) and the order of a config change around the VPN services,
// as EVPN's (evpn.ts).  Before the reconciler, the services that go or change
// stop (their routes withdrawn, their imported routes out of the FIB, their
// labels released) — all of them if the PE changes, since its tunnels go with
// it.  After it: the PE is opened or replaced, new services start, and every
// service's advertised prefixes are made the VRF's current VM host routes,
// connected prefixes and static routes, in this same queued step: a port
// added or removed reaches the speaker's next flush.  Services run only with
// a BGP speaker.  A VTEP change (EVPN type-5: its address is the next hop,
// its tunnels the L3 VNIs') restarts every service, as a PE change does.
import type { BgpSpeaker } from '../bgp/index.js';
import type { Dataplane } from '../dataplane/index.js';
import type { Logger } from '../util/logger.js';
import { L3vpnManager, type L3vpnFib } from '../vpn/l3vpn.js';
import { isMplsEncap } from '../vpn/l3vpn-types.js';
import type { Config, PeConfig } from './config.js';
import { configRouteSets } from './config-routes.js';

/** The config origins a VRF exports (not `local`: our own addresses and the VM gateway). */
const EXPORTED = ['vm', 'connected', 'static'] as const;

/** The VTEP as far as type-5 cares: its address, port and MTU. */
function vtepKey(c: Config): string | null {
  return c.vtep ? `${c.vtep.address}|${c.vtep.port}|${c.vtep.mtu}` : null;
}

function samePe(a: PeConfig | null, b: PeConfig | null): boolean {
  return a === b || (!!a && !!b && a.address === b.address && a.mtu === b.mtu);
}

/** The PE whose MPLS underlay port `c` needs open: `c.pe` if some VRF offers an MPLS
 *  encapsulation, else none.  A VRF with EVPN type-5 only sends VXLAN through the VTEP's port:
 *  it needs the PE for its BGP service, not the MPLS sockets (raw GRE, UDP 6635). */
export function mplsUnderlay(c: Pick<Config, 'pe' | 'l3vpn'>): PeConfig | null {
  return c.pe && c.l3vpn.some((v) => v.encaps.some(isMplsEncap)) ? c.pe : null;
}

/** The prefixes `vrf` advertises under `config`. */
export function exportedPrefixes(config: Config, vrf: string): string[] {
  const sets = configRouteSets(config, vrf);
  return [...new Set(EXPORTED.flatMap((o) => [...sets[o].keys()]))];
}

export class L3vpnControl {
  manager: L3vpnManager | null = null;
  private pe: PeConfig | null = null;
  /** the PE whose MPLS underlay port is open (mplsUnderlay) */
  private underlay: PeConfig | null = null;
  /** the VTEP address the services started with (type-5 next hops, L3 VNI tunnels) */
  private vtep: string | null = null;

  constructor(
    private readonly dp: Dataplane,
    private readonly serialize: <T>(fn: () => T) => Promise<T>,
    private readonly fib: L3vpnFib,
    private readonly log: Logger,
  ) {}

  /** Before the reconciler: stops what `next` drops or changes. */
  before(cur: Config, next: Config): void {
    const m = this.manager;
    if (!m) return;
    // the VTEP's L3 VNI tunnels go with it (evpn.ts replaces it after this)
    if (!samePe(this.pe, next.pe) || !samePe(this.underlay, mplsUnderlay(next)) || this.vtep !== vtepKey(next)) {
      this.stop();
      return;
    }
    const kept = new Set(cur.vrfs.filter((v) => next.vrfs.some((n) => n.name === v.name)).map((v) => v.name));
    m.apply(next.l3vpn.filter((v) => kept.has(v.vrf)));
  }

  /** After the reconciler: the PE, then the services of `next` (with a speaker) and their exports. */
  after(next: Config, bgp: BgpSpeaker | null): void {
    const underlay = mplsUnderlay(next);
    if (!samePe(this.pe, next.pe) || !samePe(this.underlay, underlay)) {
      this.stop();
      try {
        this.dp.mpls.setPe(underlay ? { address: underlay.address, mtu: underlay.mtu } : null);
      } catch (e) {
        // the sockets bind to it: it must be one of this host's addresses
        throw new Error(`pe.address: ${next.pe?.address} cannot be used: ${(e as Error).message}`);
      }
      this.pe = next.pe;
      this.underlay = underlay;
    }
    if (!bgp || !next.pe) return;
    if (this.manager && this.vtep !== vtepKey(next)) this.stop();
    this.vtep = vtepKey(next);
    this.manager ??= new L3vpnManager(this.dp.mpls, bgp, next.pe, this.serialize, this.fib, this.log.child({ module: 'l3vpn' }), {
      vtep: () => this.dp.vtep(),
      l3vniSet: (vni, vrf, rmac) => this.dp.l3vniSet(vni, vrf, rmac),
      vniDel: (vni) => this.dp.vniDel(vni),
    });
    this.manager.apply(next.l3vpn);
    for (const v of next.l3vpn) this.manager.sync(v.vrf, exportedPrefixes(next, v.vrf));
  }

  stop(): void {
    this.manager?.close();
    this.manager = null;
  }
}
