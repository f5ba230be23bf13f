// The controller's side of IP-VPN (src/vpn/l3vpn.ts): our PE (the MPLS
// underlay port) and the order of a config change around the VPN services,
// as EVPN's (evpn.ts).  Before the reconciler, the services that go or change
// stop (their routes withdrawn, their imported routes out of the FIB, their
// labels released) — all of them if the PE changes, since its tunnels go with
// it.  After it: the PE is opened or replaced, new services start, and every
// service's advertised prefixes are made the VRF's current VM host routes,
// connected prefixes and static routes, in this same queued step: a port
// added or removed reaches the speaker's next flush.  Services run only with
// a BGP speaker.
import type { BgpSpeaker } from '../bgp/index.js';
import type { Dataplane } from '../dataplane/index.js';
import type { Logger } from '../util/logger.js';
import { L3vpnManager, type L3vpnFib } from '../vpn/l3vpn.js';
import type { Config, PeConfig } from './config.js';
import { configRouteSets } from './config-routes.js';

/** The config origins a VRF exports (not `local`: our own addresses and the VM gateway). */
const EXPORTED = ['vm', 'connected', 'static'] as const;

function samePe(a: PeConfig | null, b: PeConfig | null): boolean {
  return a === b || (!!a && !!b && a.address === b.address && a.mtu === b.mtu);
}

/** The prefixes `vrf` advertises under `config`. */
export function exportedPrefixes(config: Config, vrf: string): string[] {
  const sets = configRouteSets(config, vrf);
  return [...new Set(EXPORTED.flatMap((o) => [...sets[o].keys()]))];
}

export class L3vpnControl {
  manager: L3vpnManager | null = null;
  private pe: PeConfig | null = null;

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
    if (!samePe(this.pe, next.pe)) {
      this.stop();
      return;
    }
    const kept = new Set(cur.vrfs.filter((v) => next.vrfs.some((n) => n.name === v.name)).map((v) => v.name));
    m.apply(next.l3vpn.filter((v) => kept.has(v.vrf)));
  }

  /** After the reconciler: the PE, then the services of `next` (with a speaker) and their exports. */
  after(next: Config, bgp: BgpSpeaker | null): void {
    if (!samePe(this.pe, next.pe)) {
      this.stop();
      try {
        this.dp.mpls.setPe(next.pe ? { address: next.pe.address, mtu: next.pe.mtu } : null);
      } catch (e) {
        // the sockets bind to it: it must be one of this host's addresses
        throw new Error(`pe.address: ${next.pe?.address} cannot be used: ${(e as Error).message}`);
      }
      this.pe = next.pe;
    }
    if (!bgp || !next.pe) return;
    this.manager ??= new L3vpnManager(this.dp.mpls, bgp, next.pe, this.serialize, this.fib, this.log.child({ module: 'l3vpn' }));
    this.manager.apply(next.l3vpn);
    for (const v of next.l3vpn) this.manager.sync(v.vrf, exportedPrefixes(next, v.vrf));
  }

  stop(): void {
    this.manager?.close();
    this.manager = null;
  }
}
