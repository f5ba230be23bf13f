// Prometheus metrics of EVPN multihoming (src/vpn/es.ts), read from the
// controller on scrape:
//   hvswitch_evpn_es_up{esi,bond}                  1 while the segment's bond carries traffic (routes advertised)
//   hvswitch_evpn_es_pes{esi,bond}                 PEs of the segment (type-4 routes, us included)
//   hvswitch_evpn_es_df{esi,bond,vni}              1 while we are the designated forwarder of the VNI
//   hvswitch_evpn_es_df_elections_total{esi,bond}  DF elections run
// The frames the DF filter and local bias keep out of a segment are the
// underlay port's counters drop_es_not_df and drop_es_local_bias (metrics.ts).
import { Counter, Gauge, type Registry } from 'prom-client';

import type { Controller } from '../controller/index.js';

export function registerEvpnMh(register: Registry, controller: Controller): void {
  const segs = () => controller.evpn.segments?.report() ?? [];
  new Gauge({
    name: 'hvswitch_evpn_es_up',
    help: 'Ethernet segment whose bond carries traffic, its EVPN routes advertised (1) or not (0)',
    labelNames: ['esi', 'bond'],
    registers: [register],
    collect() {
      this.reset();
      for (const s of segs()) this.set({ esi: s.esi, bond: s.bond }, s.up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'hvswitch_evpn_es_pes',
    help: 'PEs attached to the Ethernet segment (its type-4 routes, this one included while up)',
    labelNames: ['esi', 'bond'],
    registers: [register],
    collect() {
      this.reset();
      for (const s of segs()) this.set({ esi: s.esi, bond: s.bond }, s.pes.length);
    },
  });
  new Gauge({
    name: 'hvswitch_evpn_es_df',
    help: 'this PE is the designated forwarder of the VNI on the Ethernet segment (1) or not (0)',
    labelNames: ['esi', 'bond', 'vni'],
    registers: [register],
    collect() {
      this.reset();
      for (const s of segs()) for (const d of s.df) this.set({ esi: s.esi, bond: s.bond, vni: String(d.vni) }, d.local && s.phase === 'elected' ? 1 : 0);
    },
  });
  new Counter({
    name: 'hvswitch_evpn_es_df_elections_total',
    help: 'designated forwarder elections run for the Ethernet segment',
    labelNames: ['esi', 'bond'],
    registers: [register],
    collect() {
      this.reset();
      for (const s of segs()) this.inc({ esi: s.esi, bond: s.bond }, s.elections);
    },
  });
}
