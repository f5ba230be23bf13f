// `hvswitch evpn show`: the local VTEP and the EVPN instances, as gobgp and
// ovs-vsctl print tables: a VTEP line (address, UDP port, underlay MTU and
// its counters), one row per instance (bridge, VLAN, VNI, RD, route targets,
// MAC counts), then one row per remote VTEP of each instance (its VNI, flood
// list membership from type-3 routes, MACs from type-2 routes), then, when
// there are any, the duplicate MACs frozen now (RFC 7432 §15.1: where they
// stay, the moves that made them duplicate, the updates ignored since, the
// seconds left of the freeze).
import type { Command } from 'commander';

import type { EvpnServiceClient } from '../../api/gen/hvswitch/v1/EvpnService.js';
import type { EvpnDuplicateMac__Output } from '../../api/gen/hvswitch/v1/EvpnDuplicateMac.js';
import type { GetEvpnResponse__Output } from '../../api/gen/hvswitch/v1/GetEvpnResponse.js';
import type { Vtep__Output } from '../../api/gen/hvswitch/v1/Vtep.js';
import { call, int, type CliContext } from '../context.js';
import { table } from '../format.js';
import { addEvpnEsCommands } from './evpn-es.js';

export const vniArg = int('vni', 1, 0xffffff);

/** `evpn show --json`: the VTEP (null without one) and the instances. */
export interface EvpnJson {
  vtep: { address: string; port: number; mtu: number; counters: Record<string, number> } | null;
  instances: {
    bridge: string;
    vlan: number;
    vni: number;
    rd: string;
    importRouteTargets: string[];
    exportRouteTargets: string[];
    active: boolean;
    localMacs: number;
    remoteMacs: number;
    remoteVteps: { address: string; vni: number; flood: boolean; macs: number }[];
    duplicateDetections: number;
    duplicateMacs: { mac: string; vtep: string; local: boolean; moves: number; ignored: number; secondsLeft: number }[];
  }[];
}

const dupJson = (d: EvpnDuplicateMac__Output) => ({ mac: d.mac, vtep: d.vtep, local: d.local, moves: d.moves, ignored: d.ignored, secondsLeft: d.secondsLeft });

export function evpnJson(r: GetEvpnResponse__Output): EvpnJson {
  const v = r.vtep;
  return {
    vtep: v ? { address: v.address, port: v.port, mtu: v.mtu, counters: { ...v.counters } } : null,
    instances: r.instances.map((i) => ({
      bridge: i.bridge,
      vlan: i.vlan,
      vni: i.vni,
      rd: i.rd,
      importRouteTargets: i.importRouteTargets,
      exportRouteTargets: i.exportRouteTargets,
      active: i.active,
      localMacs: i.localMacs,
      remoteMacs: i.remoteMacs,
      remoteVteps: i.remoteVteps.map((t) => ({ address: t.address, vni: t.vni, flood: t.flood, macs: t.macs })),
      duplicateDetections: i.duplicateDetections,
      duplicateMacs: i.duplicateMacs.map(dupJson),
    })),
  };
}

/** `VTEP 192.0.2.1 port 4789 mtu 1500: encap 5, decap 7, dropped 1 (unknown_vni 1)`. */
function vtepLine(v: Vtep__Output | null): string {
  if (!v) return 'VTEP none (no vtep: in the config)\n';
  const c = v.counters;
  const drops = Object.entries(c).filter(([k, n]) => k.startsWith('drop_') && n > 0);
  const total = drops.reduce((s, [, n]) => s + n, 0);
  const why = drops.length ? ` (${drops.map(([k, n]) => `${k.slice(5)} ${n}`).join(', ')})` : '';
  return `VTEP ${v.address} port ${v.port} mtu ${v.mtu}: encap ${c.encap ?? 0}, decap ${c.decap ?? 0}, dropped ${total}${why}\n`;
}

export function renderEvpn(r: GetEvpnResponse__Output): string {
  const rts = (x: string[]) => x.join(',') || '-';
  const instances = table(
    [
      { header: 'Bridge' }, { header: 'VLAN', align: 'right' }, { header: 'VNI', align: 'right' }, { header: 'RD' },
      { header: 'Import RT' }, { header: 'Export RT' }, { header: 'State' },
      { header: 'Local MACs', align: 'right' }, { header: 'Remote MACs', align: 'right' }, { header: 'VTEPs', align: 'right' },
    ],
    r.instances.map((i) => [
      i.bridge, i.vlan, i.vni, i.rd, rts(i.importRouteTargets), rts(i.exportRouteTargets),
      i.active ? 'active' : 'inactive', i.localMacs, i.remoteMacs, i.remoteVteps.length,
    ]),
  );
  const remote = r.instances.flatMap((i) => i.remoteVteps.map((t) => [i.bridge, i.vlan, i.vni, t.address, t.vni, t.flood ? 'yes' : 'no', t.macs]));
  const vteps = remote.length
    ? `\n${table(
        [
          { header: 'Bridge' }, { header: 'VLAN', align: 'right' }, { header: 'VNI', align: 'right' }, { header: 'Remote VTEP' },
          { header: 'Remote VNI', align: 'right' }, { header: 'Flood' }, { header: 'MACs', align: 'right' },
        ],
        remote,
      )}`
    : '';
  const dups = r.instances.flatMap((i) =>
    i.duplicateMacs.map((d) => [i.bridge, i.vlan, i.vni, d.mac, d.local ? `${d.vtep} (local)` : d.vtep, d.moves, d.ignored, `${d.secondsLeft}s`]),
  );
  const frozen = dups.length
    ? `\n${table(
        [
          { header: 'Bridge' }, { header: 'VLAN', align: 'right' }, { header: 'VNI', align: 'right' }, { header: 'Duplicate MAC' },
          { header: 'Frozen at' }, { header: 'Moves', align: 'right' }, { header: 'Ignored', align: 'right' }, { header: 'Left', align: 'right' },
        ],
        dups,
      )}`
    : '';
  return `${vtepLine(r.vtep)}\n${instances}${vteps}${frozen}`;
}

export function addEvpnCommands(program: Command, x: CliContext): void {
  const evpn = x.sub(program, 'evpn', 'EVPN over VXLAN: the local VTEP and the instances');
  x.readOpts(x.sub(evpn, 'show', 'show the VTEP, the EVPN instances and their remote VTEPs', { isDefault: true }))
    .option('--bridge <bridge>', 'only this bridge')
    .option('--vni <vni>', 'only this VNI', vniArg)
    .action(async (o: { bridge?: string; vni?: number; json?: boolean; quiet?: boolean }) => {
      const r = await call<EvpnServiceClient, object, GetEvpnResponse__Output>(x.evpn(), 'GetEvpn', { bridge: o.bridge ?? '', vni: o.vni ?? 0 });
      if (o.json) return x.json(evpnJson(r));
      if (o.quiet) return x.out(r.instances.map((i) => `${i.vni}\n`).join(''));
      x.out(renderEvpn(r));
    });
  addEvpnEsCommands(evpn, x);
}
