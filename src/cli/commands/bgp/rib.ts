// `hvswitch bgp rib [show] [PREFIX [rd RD] [longer-prefixes|shorter-prefixes]]
// | summary | add | del`: gobgp's `global rib` table, one prefix of it
// (ListPath's prefixes), and route origination in GoBGP words (src/bgp's
// parseRouteArgs), every keyword also an option (`--rd 65000:1`).
import { Option, type Command } from 'commander';

import { asPathText, attrsMessage, attrsText, familyEnum, labelsText, nlriMessage } from '../../../api/bgp-convert.js';
import type { BgpServiceClient } from '../../../api/gen/hvswitch/v1/BgpService.js';
import type { Path__Output } from '../../../api/gen/hvswitch/v1/Path.js';
import type { TableLookupPrefix } from '../../../api/gen/hvswitch/v1/TableLookupPrefix.js';
import { familyByName, parseRouteArgs, RouteArgsError } from '../../../bgp/index.js';
import { call, list, UsageError, type CliContext } from '../../context.js';
import { table } from '../../format.js';
import { FAMILY_HELP, familyArg } from './family.js';
import { pathJson } from './json.js';
import { addRibSummaryCommand } from './rib-summary.js';

/** gobgp global rib: `*>` markers, Network [Labels] Next Hop AS_PATH Attrs. */
export function renderRib(paths: Path__Output[], family: string): string {
  const labelled = familyByName(family).labelled;
  const cols = [{ header: '' }, { header: 'Network' }, ...(labelled ? [{ header: 'Labels' }] : []), { header: 'Next Hop' }, { header: 'AS_PATH' }, { header: 'Attrs' }];
  return table(
    cols,
    paths.map((p) => [
      `${p.stale ? 'S' : '*'}${p.best ? '>' : ' '}`,
      p.key,
      ...(labelled ? [labelsText(p.nlri!)] : []),
      p.attributes!.nextHop,
      asPathText(p.attributes!),
      attrsText(p.attributes!),
    ]),
  );
}

// ---- commands ----

interface RouteOpts {
  family: string;
  rd?: string;
  label?: string;
  rt?: string[];
  nexthop?: string;
  etag?: string;
  esi?: string;
  encap?: string;
  routerMac?: string;
  gw?: string;
  med?: string;
  localPref?: string;
  community?: string;
  largeCommunity?: string;
  origin?: string;
  aspath?: string;
  pmsi?: string;
}

const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), ...v.split(',').filter(Boolean)];

function routeOptions(c: Command): Command {
  return c
    .addOption(new Option('-a, --family <family>', `address family: ${FAMILY_HELP}`).makeOptionMandatory())
    .option('--rd <rd>', 'route distinguisher: 65000:1, 10.0.0.1:5, 4200000000:1')
    .option('--label <n>', 'MPLS label (vpnv4/vpnv6); EVPN: the label field (the VNI for VXLAN), L2[,L3]; not needed by del (not part of the route key)')
    .option('--rt <rt>', 'route target (repeat or comma-separate); -a rtc: the RT of the membership route', collect)
    .option('--nexthop <ip>', 'next hop (default: our session address)')
    .option('--etag <n>', 'EVPN Ethernet tag (default 0)')
    .option('--esi <esi>', 'EVPN Ethernet segment identifier (default 0)')
    .option('--encap <type>', 'encapsulation extended community: vxlan | mpls | ...')
    .option('--router-mac <mac>', 'EVPN router MAC extended community')
    .option('--gw <ip>', 'EVPN prefix route gateway')
    .option('--med <n>', 'MULTI_EXIT_DISC')
    .option('--local-pref <n>', 'LOCAL_PREF')
    .option('--community <list>', 'communities, A:B[,...]')
    .option('--large-community <list>', 'large communities, A:B:C[,...]')
    .option('--origin <origin>', 'igp | egp | incomplete')
    .option('--aspath <list>', 'AS_PATH sequence, A,B,C')
    .option('--pmsi <vni>', 'EVPN multicast: PMSI tunnel, ingress replication with this label (VNI) to the originating router')
    .argument('[words...]', 'the route in GoBGP words: PREFIX | macadv MAC IP | multicast IP | prefix PREFIX | a-d | esi ESI IP | ASN RT | default');
}

/** The GoBGP words of a `rib add|del` command line: positional words, then each option as `keyword value`. */
export function routeWords(words: string[], o: RouteOpts, family: string): string[] {
  const w = [...words];
  if (family === 'rtc') {
    // `-a rtc --rt 65000:100`: the RT is the NLRI (origin AS 0 = ours, filled in by the daemon)
    if (o.rt?.length) {
      if (w.length) throw new RouteArgsError('rtc: give the route target either as --rt or as words (ASN RT), not both');
      if (o.rt.length !== 1) throw new RouteArgsError('rtc: one --rt per membership route');
      w.push('0', o.rt[0]!);
    }
  } else if (o.rt?.length) w.push('rt', o.rt.join(','));
  const kv: [string, string | undefined][] = [
    ['rd', o.rd], ['label', o.label], ['nexthop', o.nexthop], ['etag', o.etag], ['esi', o.esi], ['encap', o.encap],
    ['router-mac', o.routerMac], ['gw', o.gw], ['med', o.med], ['local-pref', o.localPref], ['community', o.community],
    ['large-community', o.largeCommunity], ['origin', o.origin], ['aspath', o.aspath],
  ];
  for (const [k, v] of kv) if (v !== undefined) w.push(k, v);
  if (o.pmsi !== undefined) {
    if (family !== 'evpn' || w[0] !== 'multicast' || !w[1]) throw new RouteArgsError('--pmsi: for -a evpn multicast IP routes only');
    w.push('pmsi', 'ingress-repl', o.pmsi, w[1]);
  }
  return w;
}


/**
 * The lookup of `gobgp global rib PREFIX [rd RD] [longer-prefixes|shorter-prefixes]`
 * (no words: none; `--rd` is the same as `rd RD`).
 */
export function lookupWords(words: string[], rd?: string): TableLookupPrefix[] {
  if (!words.length) {
    if (rd !== undefined) throw new UsageError('rib --rd: give the PREFIX to look up');
    return [];
  }
  const [prefix, ...rest] = words;
  const q: TableLookupPrefix = { prefix, type: 'TABLE_LOOKUP_TYPE_EXACT', rd: rd ?? '' };
  while (rest.length) {
    const w = rest.shift()!;
    if (w === 'rd') {
      const v = rest.shift();
      if (v === undefined) throw new UsageError('rib PREFIX rd: missing the RD');
      q.rd = v;
    } else if (w === 'longer-prefixes') q.type = 'TABLE_LOOKUP_TYPE_LONGER';
    else if (w === 'shorter-prefixes') q.type = 'TABLE_LOOKUP_TYPE_SHORTER';
    else throw new UsageError(`rib PREFIX: unexpected word '${w}' (rd RD, longer-prefixes or shorter-prefixes)`);
  }
  return [q];
}

/** gobgp global rib / gobgp neighbor ADDR adj-in|adj-out: one family's table, or the paths of a prefix in it. */
export async function showRib(
  x: CliContext,
  familyText: string,
  table: 'adj-in' | 'adj-out' | undefined,
  neighborAddr: string | undefined,
  o: { json?: boolean; quiet?: boolean },
  prefixes: TableLookupPrefix[] = [],
): Promise<void> {
  const family = familyArg(familyText);
  const paths = (
    await list<BgpServiceClient, object, { path: Path__Output }>(x.bgp(), 'ListPath', {
      family: familyEnum(family),
      table: table === 'adj-in' ? 'TABLE_TYPE_ADJ_IN' : table === 'adj-out' ? 'TABLE_TYPE_ADJ_OUT' : 'TABLE_TYPE_GLOBAL',
      neighbor: neighborAddr ?? '',
      prefixes,
    })
  ).map((r) => r.path);
  if (o.json) return x.json(paths.map(pathJson));
  if (o.quiet) return x.out(paths.map((p) => `${p.key}\n`).join(''));
  if (!paths.length) return x.out('Network not in table\n');
  x.out(renderRib(paths, family));
}

export function addRibCommands(bgp: Command, x: CliContext): void {
  // `bgp rib [-a F]` is `bgp rib show [-a F]` (the default subcommand), so that
  // `-a` belongs to show, add and del alike.
  const rib = x.sub(bgp, 'rib', "the RIB of a family: show (default), summary, add, del");
  x.readOpts(x.sub(rib, 'show', "show the Loc-RIB of a family, one prefix of it, or a neighbor's adj-in / adj-out (gobgp global rib)", { isDefault: true }))
    .argument('[lookup...]', 'PREFIX [rd RD] [longer-prefixes|shorter-prefixes]: only the paths of this prefix (an address: the longest prefix covering it)')
    .option('-a, --family <family>', `address family: ${FAMILY_HELP}`, 'ipv4')
    .option('--rd <rd>', 'with PREFIX: only routes of this route distinguisher')
    .addOption(new Option('--table <table>', 'adj-in | adj-out: a neighbor\'s table instead of the Loc-RIB').choices(['adj-in', 'adj-out']))
    .option('--neighbor <address>', 'the neighbor of --table')
    .action(async (words: string[], o: { family: string; rd?: string; table?: 'adj-in' | 'adj-out'; neighbor?: string; json?: boolean; quiet?: boolean }) => {
      if (o.table && !o.neighbor) throw new UsageError(`rib --table ${o.table}: --neighbor ADDR is required`);
      if (o.neighbor && !o.table) throw new UsageError('rib --neighbor: give --table adj-in or adj-out');
      await showRib(x, o.family, o.table, o.neighbor, o, lookupWords(words, o.rd));
    });
  addRibSummaryCommand(rib, x);

  const routeCommand = (verb: 'add' | 'del') =>
    routeOptions(x.sub(rib, verb, verb === 'add' ? 'originate a route (GoBGP words or options)' : 'withdraw a route originated here')).action(
      async (words: string[], o: RouteOpts) => {
        const family = familyArg(o.family);
        let parsed;
        try {
          parsed = parseRouteArgs(family, routeWords(words, o, family), { withdraw: verb === 'del' });
        } catch (e) {
          if (e instanceof RouteArgsError) throw new UsageError(`rib ${verb} -a ${family}: ${e.message}`);
          throw e;
        }
        const nlri = nlriMessage(parsed.family, parsed.route);
        if (verb === 'add') await call(x.bgp(), 'AddPath', { family: familyEnum(parsed.family), nlri, attributes: attrsMessage(parsed.attrs) });
        else await call(x.bgp(), 'DeletePath', { family: familyEnum(parsed.family), nlri });
      },
    );
  routeCommand('add');
  routeCommand('del');
}
