// Import of an EVPN instance (evpn.ts): BGP best paths -> flood list members,
// remote MACs and aliasing sets.  A type-3 route (ingress replication only,
// RFC 8365 §9) makes its VTEP a flood member; a type-2 route (Ethernet tag 0,
// VLAN-based service) becomes an advertisement of its MAC, decided on by
// evpn-placement.ts once the whole batch is read; a type-1 (Ethernet A-D)
// route updates its segment's aliasing set (RFC 7432 §8.2, §8.4) in one
// write, so a mass withdraw moves every MAC of the segment at once.  Routes
// that name an encapsulation must offer VXLAN; our own routes are skipped.  A
// route that cannot be installed is logged and skipped, the rest of the batch
// goes on.
import type { BestPathChange, EvpnRoute, PathAttrs } from '../bgp/index.js';
import type { Logger } from '../util/logger.js';
import { ZERO_ESI, type AliasGroups } from './aliasing.js';
import { newBatch, type AnyEvpn, type Instance } from './evpn-instance.js';
import type { MacPlacement } from './evpn-placement.js';

export class EvpnImport {
  private readonly vxlanByAttrs = new WeakMap<PathAttrs, boolean>();

  constructor(
    private readonly placement: MacPlacement,
    private readonly groups: AliasGroups,
    private readonly vtep: string,
    private readonly log: Logger,
  ) {}

  /** One batch of best-path changes, in the control queue (rt-import.ts). */
  onBest(inst: Instance, changes: BestPathChange<AnyEvpn>[]): void {
    const touched = new Set<string>();
    for (const c of changes) {
      try {
        const r = c.route as EvpnRoute;
        if (r.type === 1) this.importAd(inst, c.key, r, c.best, touched);
        const mac = this.importOne(inst, c);
        if (mac) touched.add(mac);
      } catch (e) {
        this.log.warn({ module: 'evpn', vni: inst.cfg.vni, route: c.key, err: (e as Error).message }, 'evpn route not installed');
      }
    }
    const batch = newBatch();
    for (const mac of touched) this.placement.settle(inst, mac, batch);
    this.placement.write(inst, batch);
  }

  /** Records one best-path change; returns the MAC to re-decide, if any. */
  private importOne(inst: Instance, c: BestPathChange<AnyEvpn>): string | null {
    const r = c.route as EvpnRoute;
    let dropped = false;
    if (r.type === 3) {
      const prev = inst.imets.get(c.key);
      if (prev) {
        inst.imets.delete(c.key);
        this.placement.floodLeave(inst, `${prev.vtep}/${prev.vni}`, false);
      }
    } else if (r.type === 2) {
      dropped = inst.remote.dropCandidate(r.mac, r.rd, r.ip);
      if (r.ip !== null) inst.suppress?.drop(r.rd, r.ip);
    }
    const b = c.best;
    const remote = b && b.source !== 'local' && b.nextHop !== this.vtep;
    if (remote && r.type === 3 && this.vxlanOk(b.attrs)) {
      const t = b.attrs.pmsiTunnel;
      if (t && t.tunnelType !== 6) throw new Error(`PMSI tunnel type ${t.tunnelType} is not ingress replication`);
      const vtep = t?.tunnelId ?? r.originatorIp, vni = t?.label ?? inst.cfg.vni;
      if (vtep !== this.vtep) {
        inst.imets.set(c.key, { vtep, vni });
        this.placement.floodJoin(inst, `${vtep}/${vni}`);
        this.log.debug({ module: 'evpn', vni: inst.cfg.vni, vtep }, 'flood list member added');
      }
      return null;
    }
    if (remote && r.type === 2 && r.ethernetTag === 0 && this.vxlanOk(b.attrs)) {
      const esi = r.esi !== ZERO_ESI ? r.esi : undefined;
      if (esi) {
        inst.remote.addCandidate(r.mac, { rd: r.rd, ip: r.ip, vtep: b.nextHop, vni: r.labels[0] ?? inst.cfg.vni, attrs: b.attrs, esi });
        inst.alias.noteMac(esi, r.mac, true);
      } else inst.remote.add(r.mac, r.rd, r.ip, b.nextHop, r.labels[0] ?? inst.cfg.vni, b.attrs); // no object per MAC
      if (r.ip !== null) inst.suppress?.add(r.rd, r.ip, r.mac);
      return r.mac;
    }
    return dropped ? (r as { mac: string }).mac : null;
  }

  /** An Ethernet A-D route (type 1): the segment's aliasing set may change;
   *  its group is updated in one write (mass withdraw) and its MACs re-decided. */
  private importAd(inst: Instance, key: string, r: Extract<EvpnRoute, { type: 1 }>, best: BestPathChange<AnyEvpn>['best'], touched: Set<string>): void {
    const esi = inst.alias.onAd(key, r, best && best.source !== 'local' && this.vxlanOk(best.attrs) ? best : null, this.vtep);
    if (!esi) return;
    const set = inst.alias.aliasSet(esi);
    this.groups.update(esi, inst.cfg.vni, set);
    this.log.debug({ module: 'evpn', vni: inst.cfg.vni, esi, vteps: set }, 'aliasing set');
    for (const mac of inst.alias.macs.get(esi) ?? []) touched.add(mac);
  }

  /** Routes that name an encapsulation must offer VXLAN (none named: VXLAN, RFC 8365 §5.1.3). */
  private vxlanOk(attrs: PathAttrs): boolean {
    let ok = this.vxlanByAttrs.get(attrs); // attribute sets are interned: one test per set
    if (ok === undefined) {
      const encaps = (attrs.extCommunities ?? []).filter((c) => c.startsWith('encap:'));
      this.vxlanByAttrs.set(attrs, (ok = encaps.length === 0 || encaps.includes('encap:vxlan')));
    }
    return ok;
  }
}
