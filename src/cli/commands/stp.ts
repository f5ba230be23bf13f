// `hvswitch stp show [BRIDGE]`: the spanning tree of each bridge that runs one,
// in the shape of `ovs-appctl stp/show` / `mstpctl showbridge` + `showport`:
// a block per bridge (bridge ID, root ID, root port, root path cost, timers)
// and a table of its ports (role, state, cost, priority.number, edge, guards,
// protocol spoken). `--json` prints the API's message; `-q` the bridge names.
// `hvswitch stp reenable BRIDGE PORT` clears a BPDU guard shutdown.
import type { Command } from 'commander';

import type { GetStpResponse__Output } from '../../api/gen/hvswitch/v1/GetStpResponse.js';
import type { StpServiceClient } from '../../api/gen/hvswitch/v1/StpService.js';
import { call, type CliContext } from '../context.js';
import { keyValues, table } from '../format.js';

export type StpJson = GetStpResponse__Output['bridges'];

function flags(p: GetStpResponse__Output['bridges'][number]['ports'][number]): string {
  const f: string[] = [];
  if (p.errDisabled) f.push('bpdu-guard-disabled');
  if (p.rootBlocked) f.push('root-guard-blocking');
  if (!p.link) f.push('link-down');
  return f.join(',') || '-';
}

export function renderStp(r: GetStpResponse__Output): string {
  if (r.bridges.length === 0) return 'no bridge runs spanning tree (bridges.NAME.stp)\n';
  return r.bridges.map((b) => {
    const head = keyValues([
      ['Bridge', `${b.bridge} (${b.mode})`],
      ['Bridge ID', b.bridgeId],
      ['Root ID', b.rootId === b.bridgeId ? `${b.rootId} (this bridge)` : b.rootId],
      ['Root port', b.rootPort || '-'],
      ['Root path cost', b.rootCost],
      ['Timers', `hello ${b.helloTime}s, max age ${b.maxAge}s, forward delay ${b.forwardDelay}s`],
    ]);
    const ports = table(
      [
        { header: 'Port' }, { header: 'Role' }, { header: 'State' }, { header: 'Cost', align: 'right' }, { header: 'Prio.Nbr' },
        { header: 'Edge' }, { header: 'Guard' }, { header: 'Proto' }, { header: 'Designated bridge' }, { header: 'Status' },
      ],
      b.ports.map((p) => [
        p.name, p.role, p.state, p.cost, `${p.priority}.${p.number}`, p.operEdge ? 'yes' : p.edge ? 'admin' : 'no',
        [p.bpduGuard ? 'bpdu' : '', p.rootGuard ? 'root' : ''].filter(Boolean).join(',') || '-', p.protocol, p.designatedBridge || '-', flags(p),
      ]),
    );
    return `${head}\n${ports}`;
  }).join('\n');
}

export function addStpCommands(program: Command, x: CliContext): void {
  const stp = x.sub(program, 'stp', 'spanning tree (RSTP / 802.1D): bridges, port roles and states');
  x.readOpts(x.sub(stp, 'show', 'show the spanning tree bridges and their ports', { isDefault: true }))
    .argument('[bridge]', 'only this bridge')
    .action(async (bridge: string | undefined, o: { json?: boolean; quiet?: boolean }) => {
      const r = await call<StpServiceClient, object, GetStpResponse__Output>(x.stp(), 'GetStp', { bridge: bridge ?? '' });
      if (o.json) return x.json(r.bridges);
      if (o.quiet) return x.out(r.bridges.map((b) => `${b.bridge}\n`).join(''));
      x.out(renderStp(r));
    });
  x.sub(stp, 'reenable', 'clear a BPDU guard shutdown of a port')
    .argument('<bridge>', 'the bridge')
    .argument('<port>', 'the port')
    .action(async (bridge: string, port: string) => {
      await call<StpServiceClient, object, object>(x.stp(), 'ReenableStpPort', { bridge, port });
    });
}
