// `hvswitch bgp rib summary [-a FAMILY]`: how big a table is without
// streaming it, as `gobgp global rib summary` (GetTable: destinations and
// paths), for one family or every row of the family table.
import { Option, type Command } from 'commander';

import { familyEnum } from '../../../api/bgp-convert.js';
import type { BgpServiceClient } from '../../../api/gen/hvswitch/v1/BgpService.js';
import type { GetTableResponse__Output } from '../../../api/gen/hvswitch/v1/GetTableResponse.js';
import { FAMILIES, type FamilyName } from '../../../bgp/index.js';
import { call, UsageError, type CliContext } from '../../context.js';
import { table } from '../../format.js';
import { FAMILY_HELP, familyArg } from './family.js';

export interface TableSummaryJson {
  family: FamilyName;
  destinations: number;
  paths: number;
}

export function renderRibSummary(rows: TableSummaryJson[]): string {
  return table(
    [{ header: 'Family' }, { header: 'Destinations', align: 'right' }, { header: 'Paths', align: 'right' }],
    rows.map((r) => [r.family, r.destinations, r.paths]),
  );
}

export function addRibSummaryCommand(rib: Command, x: CliContext): void {
  x.readOpts(x.sub(rib, 'summary', 'destinations and paths per family, without listing them (gobgp global rib summary)'))
    .option('-a, --family <family>', `one address family (default: every one): ${FAMILY_HELP}`)
    .addOption(new Option('--table <table>', "adj-in | adj-out: a neighbor's table instead of the Loc-RIB").choices(['adj-in', 'adj-out']))
    .option('--neighbor <address>', 'the neighbor of --table')
    .action(async (o: { family?: string; table?: 'adj-in' | 'adj-out'; neighbor?: string; json?: boolean; quiet?: boolean }) => {
      if (o.table && !o.neighbor) throw new UsageError(`rib summary --table ${o.table}: --neighbor ADDR is required`);
      if (o.neighbor && !o.table) throw new UsageError('rib summary --neighbor: give --table adj-in or adj-out');
      const families = o.family !== undefined ? [familyArg(o.family)] : FAMILIES.map((f) => f.name);
      const tableType = o.table === 'adj-in' ? 'TABLE_TYPE_ADJ_IN' : o.table === 'adj-out' ? 'TABLE_TYPE_ADJ_OUT' : 'TABLE_TYPE_GLOBAL';
      const rows: TableSummaryJson[] = [];
      for (const family of families) {
        const r = await call<BgpServiceClient, object, GetTableResponse__Output>(x.bgp(), 'GetTable', { family: familyEnum(family), table: tableType, neighbor: o.neighbor ?? '' });
        rows.push({ family, destinations: r.numDestination, paths: r.numPath });
      }
      if (o.json) return x.json(rows);
      if (o.quiet) return x.out(rows.map((r) => `${r.family}\n`).join(''));
      x.out(renderRibSummary(rows));
    });
}
