// `hvswitch evpn es show`: EVPN multihoming (docs/evpn-mh.md).  Our Ethernet
// segments, one row per VNI with its designated forwarder (FRR's `show evpn
// es` and `show evpn es-evi` in one table), then the other PEs' segments our
// instances alias MACs over, with the VTEPs of each aliasing set.
import type { Command } from 'commander';

import type { EthernetSegment__Output } from '../../api/gen/hvswitch/v1/EthernetSegment.js';
import type { EvpnServiceClient } from '../../api/gen/hvswitch/v1/EvpnService.js';
import { list, type CliContext } from '../context.js';
import { table } from '../format.js';

/** `evpn es show --json`: one object per segment. */
export interface SegmentJson {
  esi: string;
  local: boolean;
  bond: string;
  up: boolean;
  phase: string;
  dfAlgorithm: string;
  vteps: string[];
  df: { vni: number; vlan: number; df: string; local: boolean }[];
  elections: number;
  vni: number;
}

export function segmentJson(s: EthernetSegment__Output): SegmentJson {
  return {
    esi: s.esi, local: s.local, bond: s.bond, up: s.up, phase: s.phase, dfAlgorithm: s.dfAlgorithm, vteps: s.vteps,
    df: s.df.map((d) => ({ vni: d.vni, vlan: d.vlan, df: d.df, local: d.local })), elections: s.elections, vni: s.vni,
  };
}

export function renderSegments(segs: EthernetSegment__Output[]): string {
  const local = segs.filter((s) => s.local);
  const remote = segs.filter((s) => !s.local);
  const rows = local.flatMap((s) => {
    const base = [s.esi, s.bond, s.up ? s.phase : 'down', s.dfAlgorithm, s.vteps.join(',') || '-'];
    return s.df.length ? s.df.map((d) => [...base, d.vni, d.vlan, d.df || '-', d.local ? 'yes' : 'no']) : [[...base, '-', '-', '-', '-']];
  });
  const a = local.length
    ? table(
        [
          { header: 'ESI' }, { header: 'Bond' }, { header: 'State' }, { header: 'DF alg' }, { header: 'PEs' },
          { header: 'VNI', align: 'right' }, { header: 'VLAN', align: 'right' }, { header: 'DF' }, { header: 'Local DF' },
        ],
        rows,
      )
    : 'no local Ethernet segments\n';
  const b = remote.length
    ? `\n${table([{ header: 'Remote ESI' }, { header: 'VNI', align: 'right' }, { header: 'Aliasing VTEPs' }], remote.map((s) => [s.esi, s.vni, s.vteps.join(',') || '-']))}`
    : '';
  return a + b;
}

export function addEvpnEsCommands(evpn: Command, x: CliContext): void {
  const es = x.sub(evpn, 'es', 'EVPN multihoming: Ethernet segments, designated forwarders, aliasing');
  x.readOpts(x.sub(es, 'show', 'show our Ethernet segments (PEs, DF per VNI) and the remote ones we alias over', { isDefault: true }))
    .option('--esi <esi>', 'only this ESI')
    .action(async (o: { esi?: string; json?: boolean; quiet?: boolean }) => {
      const segs = await list<EvpnServiceClient, object, EthernetSegment__Output>(x.evpn(), 'ListEthernetSegments', { esi: o.esi ?? '' });
      if (o.json) return x.json(segs.map(segmentJson));
      if (o.quiet) return x.out([...new Set(segs.map((s) => s.esi))].map((e) => `${e}\n`).join(''));
      x.out(renderSegments(segs));
    });
}
