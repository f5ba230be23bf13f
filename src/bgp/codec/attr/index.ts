/**
 * Path attribute table: type code → codec (BIRD-style descriptor table).
 * MP_REACH_NLRI / MP_UNREACH_NLRI (14/15) carry NLRI and are handled by the
 * UPDATE codec (message/update.ts). Unknown attributes are kept opaque.
 */
import { aggregator, as4Aggregator } from './aggregator.js';
import { as4Path, asPath } from './as-path.js';
import { atomicAggregate } from './atomic-aggregate.js';
import { clusterList } from './cluster-list.js';
import { communities } from './communities.js';
import { extCommunities } from './ext-communities.js';
import { largeCommunities } from './large-communities.js';
import { localPref } from './local-pref.js';
import { med } from './med.js';
import { nextHop } from './next-hop.js';
import { origin } from './origin.js';
import { originatorId } from './originator-id.js';
import { pmsiTunnel } from './pmsi-tunnel.js';
import type { AttrCodec } from './types.js';

export const attrCodecs: readonly AttrCodec[] = [
  origin, asPath, nextHop, med, localPref, atomicAggregate, aggregator, communities, originatorId, clusterList,
  extCommunities, as4Path, as4Aggregator, pmsiTunnel, largeCommunities,
] as unknown as AttrCodec[];

export const attrByCode: ReadonlyArray<AttrCodec | undefined> = (() => {
  const t = new Array<AttrCodec | undefined>(256).fill(undefined);
  for (const c of attrCodecs) t[c.code] = c;
  return t;
})();
export * from './types.js';
