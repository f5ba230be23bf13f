// `hvswitch bridge list|add|del`: bridge domains.
import type { Command } from 'commander';

import type { Bridge__Output } from '../../api/gen/hvswitch/v1/Bridge.js';
import type { SwitchServiceClient } from '../../api/gen/hvswitch/v1/SwitchService.js';
import { call, int, list, type CliContext } from '../context.js';
import { table } from '../format.js';

export function addBridgeCommands(program: Command, x: CliContext): void {
  const bridge = x.sub(program, 'bridge', 'bridge domains: list, add, del');
  x.readOpts(x.sub(bridge, 'list', 'list bridge domains')).action(async (o: { json?: boolean; quiet?: boolean }) => {
    const bridges = (await list<SwitchServiceClient, object, { bridge: Bridge__Output }>(x.sw(), 'ListBridge', {})).map((r) => r.bridge);
    if (o.json) return x.json(bridges.map((b) => ({ name: b.name, maxMacs: b.maxMacs, ports: b.ports, macs: b.macs })));
    if (o.quiet) return x.out(bridges.map((b) => `${b.name}\n`).join(''));
    x.out(
      table(
        [{ header: 'bridge' }, { header: 'MACs', align: 'right' }, { header: 'max MACs', align: 'right' }, { header: 'ports' }],
        bridges.map((b) => [b.name, b.macs, b.maxMacs, b.ports.join(' ') || '-']),
      ),
    );
  });
  x.sub(bridge, 'add', 'add a bridge domain')
    .argument('<bridge>')
    .option('--max-macs <n>', 'FDB size (default 65536)', int('max-macs', 16, 16_000_000))
    .action(async (name: string, o: { maxMacs?: number }) => {
      await call(x.sw(), 'AddBridge', { bridge: { name, maxMacs: o.maxMacs ?? 0 } });
    });
  x.sub(bridge, 'del', 'delete a bridge domain (it must have no ports)').argument('<bridge>').action(async (name: string) => {
    await call(x.sw(), 'DeleteBridge', { name });
  });
}
