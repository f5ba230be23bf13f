// `hvswitch neigh show|add|flush`: the ARP/ND table of routed and vm ports,
// in `ip neigh` words (REACHABLE, STALE, PERMANENT ...).
import type { Command } from 'commander';

import { neighStateName } from '../../api/convert.js';
import type { Neighbor__Output } from '../../api/gen/hvswitch/v1/Neighbor.js';
import type { RoutingServiceClient } from '../../api/gen/hvswitch/v1/RoutingService.js';
import { afiFilter, call, flushedText, list, type CliContext } from '../context.js';
import { table } from '../format.js';

export interface NeighJson {
  ip: string;
  port: string;
  vrf: string | null;
  mac: string | null;
  state: string; // incomplete | reachable | stale | failed | permanent
  age: number;
}

export function neighJson(n: Neighbor__Output): NeighJson {
  return { ip: n.ip, port: n.port, vrf: n.vrf || null, mac: n.mac || null, state: neighStateName(n.state) ?? n.state, age: n.age };
}

export function addNeighCommands(program: Command, x: CliContext): void {
  const neigh = x.sub(program, 'neigh', 'neighbor (ARP/ND) table of routed and vm ports: show, add, flush');
  const show = x.readOpts(x.sub(neigh, 'show', 'show neighbor entries (ip neigh)'));
  show
    .option('--port <port>', 'only this port')
    .option('--vrf <vrf>', 'only ports of this VRF')
    .option('-4', 'IPv4 (ARP) only')
    .option('-6', 'IPv6 (ND) only')
    .action(async (o: { port?: string; vrf?: string; '4'?: boolean; '6'?: boolean; json?: boolean; quiet?: boolean }) => {
      const afi = afiFilter('neigh show', o);
      const ns = (
        await list<RoutingServiceClient, object, { neighbor: Neighbor__Output }>(x.rt(), 'ListNeighbor', { port: o.port ?? '', vrf: o.vrf ?? '', afi })
      ).map((r) => neighJson(r.neighbor));
      if (o.json) return x.json(ns);
      if (o.quiet) return x.out(ns.map((n) => `${n.ip}\n`).join(''));
      x.out(
        table(
          [{ header: 'IP' }, { header: 'port' }, { header: 'MAC' }, { header: 'state' }, { header: 'age', align: 'right' }],
          ns.map((n) => [n.ip, n.port, n.mac ?? '-', n.state.toUpperCase(), n.state === 'permanent' ? '-' : n.age]),
        ),
      );
    });
  x.sub(neigh, 'add', 'add (or replace) a permanent entry')
    .argument('<port>', 'routed or vm port')
    .argument('<ip>')
    .argument('<mac>')
    .action(async (p: string, ip: string, mac: string) => {
      await call(x.rt(), 'AddNeighbor', { port: p, ip, mac });
    });
  x.sub(neigh, 'flush', 'remove resolved and pending entries (all ports unless --port)')
    .option('--port <port>', 'only this port')
    .option('--permanent', 'permanent entries too')
    .option('--json', 'JSON output')
    .action(async (o: { port?: string; permanent?: boolean; json?: boolean }) => {
      const r = await call<RoutingServiceClient, object, { flushed: number }>(x.rt(), 'FlushNeighbor', {
        port: o.port ?? '',
        includePermanent: !!o.permanent,
      });
      if (o.json) x.json({ flushed: r.flushed });
      else x.out(flushedText(r.flushed));
    });
}
