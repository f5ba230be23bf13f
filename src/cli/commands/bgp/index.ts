// `hvswitch bgp ...`: the BGP subtree of the CLI, in gobgp's words.
//
//   hvswitch bgp neighbor [ADDR]                     summary table | detail block (gobgp neighbor [ADDR])
//   hvswitch bgp neighbor ADDR adj-in|adj-out [-a FAMILY]   (gobgp neighbor ADDR adj-in)
//   hvswitch bgp neighbor add ADDR --as N [-a FAMILY...] [--passive] ...
//   hvswitch bgp neighbor del ADDR
//   hvswitch bgp neighbor reset ADDR [--soft [-a FAMILY]]
//   hvswitch bgp rib [-a FAMILY] [PREFIX [rd RD] [longer-prefixes|shorter-prefixes]] [--table adj-in|adj-out --neighbor ADDR]
//   hvswitch bgp rib summary [-a FAMILY]             destinations and paths (gobgp global rib summary)
//   hvswitch bgp rib add|del -a FAMILY WORDS... [--rd RD --label N --rt RT --nexthop IP ...]
//
// Route words are GoBGP's (`gobgp global rib add -a evpn macadv MAC IP etag 0
// label 10100 rd 65000:1 rt 65000:100 encap vxlan`, parsed by src/bgp's
// parseRouteArgs); every keyword is also an option (`--rd 65000:1`), so both
// habits work.  The parsed route is sent as a typed AddPath/DeletePath (the
// CLI is a client of the API).  Reads have a table, --json and -q.
import type { Command } from 'commander';

import type { CliContext } from '../../context.js';
import { addNeighborCommands } from './neighbor.js';
import { addRibCommands } from './rib.js';

export { neighborJson, pathJson, type NeighborJson, type PathJson } from './json.js';
export { renderNeighborDetail, renderNeighborSummary, upDown } from './neighbor.js';
export { lookupWords, renderRib, routeWords } from './rib.js';
export { renderRibSummary, type TableSummaryJson } from './rib-summary.js';

export function addBgpCommands(program: Command, x: CliContext): void {
  const bgp = x.sub(program, 'bgp', 'the embedded BGP speaker: neighbor, rib (gobgp style)');
  addNeighborCommands(bgp, x);
  addRibCommands(bgp, x);
}
