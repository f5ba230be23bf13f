// Prometheus metrics of IP-VPN (docs/l3vpn.md), beside metrics.ts's:
//   hvswitch_mpls_<counter>_total{pe}                      mpls_encap, mpls_decap: the MPLS underlay port
//   hvswitch_mpls_drop_total{pe,reason}                    one per MPLS drop_* counter (unknown_label, bad_mpls)
//   hvswitch_l3vpn_routes_exported{vrf}                    gauge: prefixes a VRF advertises
//   hvswitch_l3vpn_routes_imported{vrf}                    gauge: prefixes in the VRF's bgp route set
//   hvswitch_l3vpn_routes_not_installed_total{vrf,reason}  paths refused: no-common-encapsulation, pe-family
// The MPLS counters are the core's counters whose help says `mpls:` (hv.h), read
// on scrape from the underlay port (it is not a configured port).
import { Counter, Gauge, type Registry } from 'prom-client';

import { counterNames } from '../dataplane/index.js';
import type { Controller } from '../controller/index.js';

/** The core's counters of the MPLS underlay port (help `mpls: ...`, hv.h). */
export const MPLS_COUNTERS = counterNames.filter((c) => c.help.startsWith('mpls:'));

function registerMpls(register: Registry, controller: Controller): void {
  const dp = controller.dataplane;
  const read = () => {
    const pe = dp.mpls.pe();
    return pe ? { pe: pe.address, counters: dp.mpls.stats() ?? {} } : null;
  };
  const drops = MPLS_COUNTERS.filter((c) => c.name.startsWith('drop_'));
  for (const c of MPLS_COUNTERS.filter((x) => !x.name.startsWith('drop_')))
    new Counter({
      name: `hvswitch_mpls_${c.name.replace(/^mpls_/, '')}_total`,
      help: c.help,
      labelNames: ['pe'],
      registers: [register],
      collect() {
        this.reset();
        const v = read();
        if (v) this.inc({ pe: v.pe }, v.counters[c.name] ?? 0);
      },
    });
  new Counter({
    name: 'hvswitch_mpls_drop_total',
    help: `MPLS packets dropped on the underlay, by reason: ${drops.map((c) => `${c.name.slice(5)} (${c.help})`).join('; ')}`,
    labelNames: ['pe', 'reason'],
    registers: [register],
    collect() {
      this.reset();
      const v = read();
      if (v) for (const c of drops) this.inc({ pe: v.pe, reason: c.name.slice(5) }, v.counters[c.name] ?? 0);
    },
  });
}

/** IP-VPN metrics (the MPLS underlay's counters and the per-VRF services'). */
export function registerL3vpn(register: Registry, controller: Controller): void {
  registerMpls(register, controller);
  const list = () => controller.l3vpn.manager?.list() ?? [];
  new Gauge({
    name: 'hvswitch_l3vpn_routes_exported',
    help: 'prefixes a VRF advertises as VPN-IPv4/VPN-IPv6 routes',
    labelNames: ['vrf'],
    registers: [register],
    collect() {
      this.reset();
      for (const v of list()) this.set({ vrf: v.cfg.vrf }, v.exported.length);
    },
  });
  new Gauge({
    name: 'hvswitch_l3vpn_routes_imported',
    help: 'prefixes a VRF imported from VPN routes (its bgp route set)',
    labelNames: ['vrf'],
    registers: [register],
    collect() {
      this.reset();
      for (const v of list()) this.set({ vrf: v.cfg.vrf }, v.imported);
    },
  });
  new Counter({
    name: 'hvswitch_l3vpn_routes_not_installed_total',
    help: 'VPN paths a VRF imports but did not install: no-common-encapsulation (none of its encapsulations offered), pe-family (PE not of our PE address family)',
    labelNames: ['vrf', 'reason'],
    registers: [register],
    collect() {
      this.reset();
      for (const v of list()) for (const [reason, n] of Object.entries(v.notInstalled)) this.inc({ vrf: v.cfg.vrf, reason }, n);
    },
  });
}
