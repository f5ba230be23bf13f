// `hvswitch vrf list|add|del`: VRFs (routing tables).
import type { Command } from 'commander';

import type { RoutingServiceClient } from '../../api/gen/hvswitch/v1/RoutingService.js';
import type { Vrf__Output } from '../../api/gen/hvswitch/v1/Vrf.js';
import { call, list, type CliContext } from '../context.js';
import { table } from '../format.js';

export function addVrfCommands(program: Command, x: CliContext): void {
  const vrf = x.sub(program, 'vrf', 'VRFs (routing tables): list, add, del');
  x.readOpts(x.sub(vrf, 'list', 'list VRFs')).action(async (o: { json?: boolean; quiet?: boolean }) => {
    const vrfs = (await list<RoutingServiceClient, object, { vrf: Vrf__Output }>(x.rt(), 'ListVrf', {})).map((r) => r.vrf);
    if (o.json) return x.json(vrfs.map((v) => ({ name: v.name, id: v.id, routes: v.routes, staticRoutes: v.staticRoutes, ports: v.ports })));
    if (o.quiet) return x.out(vrfs.map((v) => `${v.name}\n`).join(''));
    x.out(
      table(
        [{ header: 'VRF' }, { header: 'id', align: 'right' }, { header: 'routes', align: 'right' }, { header: 'static', align: 'right' }, { header: 'ports' }],
        vrfs.map((v) => [v.name, v.id, v.routes, v.staticRoutes, v.ports.join(' ') || '-']),
      ),
    );
  });
  x.sub(vrf, 'add', 'add a VRF').argument('<vrf>').action(async (name: string) => {
    await call(x.rt(), 'AddVrf', { vrf: { name } });
  });
  x.sub(vrf, 'del', 'delete a VRF and its static routes (it must have no ports)').argument('<vrf>').action(async (name: string) => {
    await call(x.rt(), 'DeleteVrf', { name });
  });
}
