// Prometheus metrics of the operations around the dataplane (metrics.ts has
// the dataplane's own):
//   hvswitch_config_writes_total{result}   live (API) changes written back to
//                                          the config file: ok | error
// Read from the controller on scrape; zero series are exported so that an
// alert on rate(...{result="error"}) has a series to watch from the start.
import { Counter, type Registry } from 'prom-client';

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
}
