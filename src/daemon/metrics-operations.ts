// Prometheus metrics of the operations around the dataplane (metrics.ts has
// the dataplane's own):
//   hvswitch_config_writes_total{result}   live (API) changes written back to
//                                          the config file: ok | error
//   hvswitch_port_link_events_total{event} af-packet ports attached when their
//                                          interface appeared, detached when it
//                                          went, attaches that failed:
//                                          attach | detach | attach_failed
//   hvswitch_ports_absent                  configured ports whose interface is missing
// Read from the controller on scrape; zero series are exported so that an
// alert on rate(...{result="error"}) has a series to watch from the start.
import { Counter, Gauge, type Registry } from 'prom-client';

import type { Controller } from '../controller/index.js';

export function registerOperations(register: Registry, controller: Controller): void {
  new Counter({
    name: 'hvswitch_config_writes_total',
    help: 'live (API) changes written back to the config file, by result (ok, error); none with --no-persist',
    labelNames: ['result'],
    registers: [register],
    collect() {
      this.reset();
      const s = controller.persistence?.state();
      this.inc({ result: 'ok' }, s?.writes ?? 0);
      this.inc({ result: 'error' }, s?.failures ?? 0);
    },
  });
  new Counter({
    name: 'hvswitch_port_link_events_total',
    help: 'af-packet ports attached when their interface appeared (attach), detached when it went (detach), attaches that failed (attach_failed)',
    labelNames: ['event'],
    registers: [register],
    collect() {
      this.reset();
      const c = controller.presence.counts;
      this.inc({ event: 'attach' }, c.attached);
      this.inc({ event: 'detach' }, c.detached);
      this.inc({ event: 'attach_failed' }, c.attachFailed);
    },
  });
  new Gauge({
    name: 'hvswitch_ports_absent',
    help: 'configured ports whose interface does not exist (hvswitch port list: state absent)',
    registers: [register],
    collect() {
      this.set(controller.presence.absentPorts().length);
    },
  });
}
