// ARP/ND suppression of an EVPN instance (RFC 7432 §10, RFC 9161): the IP of
// each remote MAC/IP advertisement (a type-2 route with an IP) is bound to its
// MAC in the core (native/core/suppress.h), so that the switch answers a
// local port's ARP request or neighbor solicitation for it instead of
// flooding it to every VTEP (counter arp_nd_suppressed).  Several
// advertisements may carry one IP (a VM that moved, for a while both the old
// and the new VTEP's route): the most recent one is bound, and a withdrawal
// falls back to the one before.  A binding the core refuses (its table full)
// is logged and counted; the requests for that IP then flood, as without
// suppression.
import type { Logger } from '../util/logger.js';

/** What suppression needs of the dataplane (the Dataplane facade has it). */
export interface SuppressDataplane {
  suppressSet(bridge: string, vlan: number, ip: string, mac: string): void;
  suppressDel(bridge: string, vlan: number, ip: string): boolean;
}

export class ArpSuppression {
  /** IP -> its advertisements (RD -> MAC), oldest first */
  private readonly byIp = new Map<string, Map<string, string>>();
  /** IP -> the MAC bound in the core */
  private readonly bound = new Map<string, string>();
  /** bindings the core refused (its table full) */
  refused = 0;

  constructor(
    private readonly dp: SuppressDataplane,
    private readonly at: { bridge: string; vlan: number; vni: number },
    private readonly log: Logger,
  ) {}

  /** Bindings in the core. */
  get size(): number {
    return this.bound.size;
  }

  /** The MAC answered for `ip`, if any. */
  macOf(ip: string): string | undefined {
    return this.bound.get(ip);
  }

  /** An advertisement of `mac` with `ip` under `rd` (new or refreshed: it becomes the most recent). */
  add(rd: string, ip: string, mac: string): void {
    let ads = this.byIp.get(ip);
    if (!ads) this.byIp.set(ip, (ads = new Map()));
    ads.delete(rd);
    ads.set(rd, mac);
    this.sync(ip);
  }

  /** The advertisement of `ip` under `rd` withdrawn. */
  drop(rd: string, ip: string): void {
    const ads = this.byIp.get(ip);
    if (!ads?.delete(rd)) return;
    if (ads.size === 0) this.byIp.delete(ip);
    this.sync(ip);
  }

  /** Removes every binding (the instance stops). */
  clear(): void {
    for (const ip of this.bound.keys()) this.dp.suppressDel(this.at.bridge, this.at.vlan, ip);
    this.bound.clear();
    this.byIp.clear();
  }

  private sync(ip: string): void {
    const ads = this.byIp.get(ip);
    const want = ads ? [...ads.values()].at(-1) : undefined;
    const have = this.bound.get(ip);
    if (want === have) return;
    if (want === undefined) {
      this.dp.suppressDel(this.at.bridge, this.at.vlan, ip);
      this.bound.delete(ip);
      return;
    }
    try {
      this.dp.suppressSet(this.at.bridge, this.at.vlan, ip, want);
      this.bound.set(ip, want);
    } catch (e) {
      if (have !== undefined) this.dp.suppressDel(this.at.bridge, this.at.vlan, ip);
      this.bound.delete(ip);
      this.refused++;
      this.log.warn({ module: 'evpn', vni: this.at.vni, ip, mac: want, err: (e as Error).message }, 'ARP/ND suppression binding not installed');
    }
  }
}
