// Prometheus metrics of the LACP bonds (src/controller/bonds.ts), read from the
// controller on scrape:
//   hvswitch_lacp_member_enabled{bond,member}        1 while the member is collecting+distributing in the core
//   hvswitch_lacp_member_partner_current{bond,member} 1 while its receive machine holds a current partner
//   hvswitch_lacp_pdus_total{bond,member,direction}  LACPDUs received (rx) and sent (tx)
//   hvswitch_lacp_pdu_errors_total{bond,member}      malformed LACPDUs received
// Control-frame drops are the members' port counters (metrics.ts):
// hvswitch_port_receive_drop_total{reason="punt_rate_limited"|"punt_full"|"bond_not_collecting"}.
import { Counter, Gauge, type Registry } from 'prom-client';

import type { Controller } from '../controller/index.js';

export function registerLacp(register: Registry, controller: Controller): void {
  const members = () => (controller.bonds.reports() ?? []).flatMap((b) => b.members.map((m) => ({ bond: b.name, m })));
  new Gauge({
    name: 'hvswitch_lacp_member_enabled',
    help: 'bond member collecting+distributing in the dataplane (1) or not (0)',
    labelNames: ['bond', 'member'],
    registers: [register],
    collect() {
      this.reset();
      for (const { bond, m } of members()) this.set({ bond, member: m.name }, m.mayEnable ? 1 : 0);
    },
  });
  new Gauge({
    name: 'hvswitch_lacp_member_partner_current',
    help: 'bond member whose LACP receive machine is CURRENT (a partner heard within the timeout)',
    labelNames: ['bond', 'member'],
    registers: [register],
    collect() {
      this.reset();
      for (const { bond, m } of members()) this.set({ bond, member: m.name }, m.rx === 'current' ? 1 : 0);
    },
  });
  new Counter({
    name: 'hvswitch_lacp_pdus_total',
    help: 'LACPDUs received (direction rx) and sent (tx) by a bond member',
    labelNames: ['bond', 'member', 'direction'],
    registers: [register],
    collect() {
      this.reset();
      for (const { bond, m } of members()) {
        this.inc({ bond, member: m.name, direction: 'rx' }, m.rxPdus);
        this.inc({ bond, member: m.name, direction: 'tx' }, m.txPdus);
      }
    },
  });
  new Counter({
    name: 'hvswitch_lacp_pdu_errors_total',
    help: 'malformed LACPDUs received by a bond member',
    labelNames: ['bond', 'member'],
    registers: [register],
    collect() {
      this.reset();
      for (const { bond, m } of members()) this.inc({ bond, member: m.name }, m.rxErrors);
    },
  });
}
