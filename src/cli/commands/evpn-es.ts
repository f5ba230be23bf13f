// `hvswitch evpn es show`: EVPN multihoming (docs/evpn-mh.md).  Our Ethernet
// segments, one row per VNI with its designated forwarder (FRR's `show evpn
// es` and `show evpn es-evi` in one table), then the other PEs' segments our
// instances alias MACs over, with the VTEPs of each aliasing set.  The
// `ESI from` column says how each local ESI was obtained: configured,
// auto-local (our own LACP system ID and key), `auto from partner <sys>,<key>`
// (RFC 7432 §5 type 1 from the CE's LACPDUs), or `waiting for partner`.
import type { Command } from 'commander';

import type { EthernetSegment__Output } from '../../api/gen/hvswitch/v1/EthernetSegment.js';
import type { EvpnServiceClient } from '../../api/gen/hvswitch/v1/EvpnService.js';
import { list, type CliContext } from '../context.js';
import { table } from '../format.js';

/** `evpn es show --json`: one object per segment. */
export interface SegmentJson {
  /** '' while an auto ESI waits for its partner */
  esi: string;
  /** local: configured | auto | auto-local ('' for remote segments) */
  esiSource: string;
  /** local: the ESI's derivation in words (the table's `ESI from`) */
  derivation: string;
  /** local, auto: the LACP partner the ESI comes from */
  partner: { system: string; key: number } | null;
  /** local, auto: a partner's ESI refused, another local bond has it */
  conflict: { esi: string; bond: string } | null;
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

/** How a local segment's ESI was obtained, in words. */
export function esiDerivation(s: EthernetSegment__Output): string {
  if (!s.local) return '';
  const conflict = s.conflictEsi ? ` (partner's ${s.conflictEsi} refused: bond ${s.conflictBond} has it)` : '';
  switch (s.esiSource) {
    case 'auto': return (s.partner ? `auto from partner ${s.partner.system},${s.partner.key}` : 'waiting for partner') + conflict;
    case 'auto-local': return 'auto-local';
    default: return s.esiSource || 'configured';
  }
}

export function segmentJson(s: EthernetSegment__Output): SegmentJson {
  return {
    esi: s.esi, esiSource: s.esiSource, derivation: esiDerivation(s),
    partner: s.partner ? { system: s.partner.system, key: s.partner.key } : null,
    conflict: s.conflictEsi ? { esi: s.conflictEsi, bond: s.conflictBond } : null,
    local: s.local, bond: s.bond, up: s.up, phase: s.phase, dfAlgorithm: s.dfAlgorithm, vteps: s.vteps,
    df: s.df.map((d) => ({ vni: d.vni, vlan: d.vlan, df: d.df, local: d.local })), elections: s.elections, vni: s.vni,
  };
}

export function renderSegments(segs: EthernetSegment__Output[]): string {
  const local = segs.filter((s) => s.local);
  const remote = segs.filter((s) => !s.local);
  const rows = local.flatMap((s) => {
    const base = [s.esi || '-', esiDerivation(s), s.bond, s.up ? s.phase : 'down', s.dfAlgorithm, s.vteps.join(',') || '-'];
    return s.df.length ? s.df.map((d) => [...base, d.vni, d.vlan, d.df || '-', d.local ? 'yes' : 'no']) : [[...base, '-', '-', '-', '-']];
  });
  const a = local.length
    ? table(
        [
          { header: 'ESI' }, { header: 'ESI from' }, { header: 'Bond' }, { header: 'State' }, { header: 'DF alg' }, { header: 'PEs' },
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
      if (o.quiet) return x.out([...new Set(segs.map((s) => s.esi).filter(Boolean))].map((e) => `${e}\n`).join(''));
      x.out(renderSegments(segs));
    });
}
