// `hvswitch stats [PORT]`: port counters, a summary row per port, or every
// counter of one port with its meaning (the daemon's counter descriptors).
import type { Command } from 'commander';

import type { SwitchServiceClient } from '../../api/gen/hvswitch/v1/SwitchService.js';
import { list, type CliContext } from '../context.js';
import { table } from '../format.js';

type Counters = Record<string, number>;

function renderSummary(rows: { port: string; counters: Counters }[]): string {
  const drops = (c: Counters) => Object.entries(c).reduce((s, [k, v]) => (k.startsWith('drop_') ? s + v : s), 0);
  return table(
    ['port', 'RX packets', 'RX bytes', 'TX packets', 'TX bytes', 'drops', 'flooded'].map((h, i) => ({ header: h, align: i ? ('right' as const) : ('left' as const) })),
    rows.map((r) => [r.port, r.counters.rx_packets ?? 0, r.counters.rx_bytes ?? 0, r.counters.tx_packets ?? 0, r.counters.tx_bytes ?? 0, drops(r.counters), r.counters.flooded ?? 0]),
  );
}

export function addStatsCommands(program: Command, x: CliContext): void {
  x.readOpts(x.sub(program, 'stats', 'port counters (all ports, or every counter of one port)').argument('[port]')).action(
    async (name: string | undefined, o: { json?: boolean; quiet?: boolean }) => {
      const rows = (
        await list<SwitchServiceClient, object, { portCounters: { port: string; counters: Counters } }>(x.sw(), 'ListPortCounters', {
          ports: name ? [name] : [],
        })
      ).map((r) => r.portCounters);
      if (o.json) return x.json(Object.fromEntries(rows.map((r) => [r.port, r.counters])));
      if (o.quiet) return x.out(rows.map((r) => `${r.port}\n`).join(''));
      if (!name) return x.out(renderSummary(rows));
      const descs = await list<SwitchServiceClient, object, { counter: { name: string; help: string } }>(x.sw(), 'ListCounterDescriptor', {});
      const c = rows[0]!.counters;
      x.out(
        table(
          [{ header: 'counter' }, { header: 'value', align: 'right' }, { header: 'meaning' }],
          descs.map((d) => [d.counter.name, c[d.counter.name] ?? 0, d.counter.help]),
        ),
      );
    },
  );
}
