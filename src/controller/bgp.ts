// The embedded BGP speaker's lifecycle: started from the running config's
// `bgp:` section, its neighbors reconciled on a reload, stopped on close.  A
// new or changed global section (AS, router id), or removing `bgp:`, takes
// effect at restart.  The speaker's routes reach the dataplane only through
// the controller's queue (Controller.setRoutes('bgp', ...)).  Neighbors bound
// to a VRF get their IPv6 next hop from the VRF's ports (src/vpn/unicast.ts),
// so a port change can change a neighbor too.
import { BgpSpeaker, speakerOptionsFromConfig, type NeighborOptions } from '../bgp/index.js';
import type { Logger } from '../util/logger.js';
import { withNextHop6 } from '../vpn/unicast.js';
import type { Config } from './config.js';

function neighborsOf(c: Config): NeighborOptions[] {
  return c.bgp ? withNextHop6(c, speakerOptionsFromConfig(c.bgp).neighbors) : [];
}

/** Starts a speaker for `config.bgp`: listens, connects its neighbors. */
export async function startSpeaker(config: Config, log: Logger): Promise<BgpSpeaker> {
  const { speaker } = speakerOptionsFromConfig(config.bgp!);
  const neighbors = neighborsOf(config);
  const bgp = new BgpSpeaker(speaker);
  bgp.on('neighbor', (e: unknown) => log.info(e as object, 'neighbor state'));
  bgp.on('update-error', (e: unknown) => log.warn(e as object, 'malformed UPDATE handled (RFC 7606)'));
  await bgp.start();
  for (const n of neighbors) bgp.addNeighbor(n);
  log.info({ as: speaker.asn, routerId: speaker.routerId, neighbors: neighbors.length }, 'BGP speaker started');
  return bgp;
}

/** Reload: neighbors are reconciled; the global section needs a restart. */
export function reconcileSpeaker(bgp: BgpSpeaker | null, prevConfig: Config, nextConfig: Config, log: Logger): void {
  const prev = prevConfig.bgp, next = nextConfig.bgp;
  const desired = neighborsOf(nextConfig);
  if (JSON.stringify(prev) === JSON.stringify(next) && JSON.stringify(neighborsOf(prevConfig)) === JSON.stringify(desired)) return;
  if (!bgp || !next || JSON.stringify(prev?.global) !== JSON.stringify(next.global)) {
    log.warn('bgp: a new or changed global section (or removing bgp) takes effect at restart');
    return;
  }
  const r = bgp.reconcileNeighbors(desired);
  log.info(r, 'bgp neighbors reconciled');
}
