// The embedded BGP speaker's lifecycle: started from the running config's
// `bgp:` section, its neighbors reconciled on a reload, stopped on close.  A
// new or changed global section (AS, router id), or removing `bgp:`, takes
// effect at restart.  The speaker's routes reach the dataplane only through
// the controller's queue (Controller.setRoutes('bgp', ...)).
import { BgpSpeaker, speakerOptionsFromConfig } from '../bgp/index.js';
import type { Logger } from '../util/logger.js';
import type { Config } from './config.js';

/** Starts a speaker for `c`: listens, connects its neighbors. */
export async function startSpeaker(c: NonNullable<Config['bgp']>, log: Logger): Promise<BgpSpeaker> {
  const { speaker, neighbors } = speakerOptionsFromConfig(c);
  const bgp = new BgpSpeaker(speaker);
  bgp.on('neighbor', (e: unknown) => log.info(e as object, 'neighbor state'));
  bgp.on('update-error', (e: unknown) => log.warn(e as object, 'malformed UPDATE handled (RFC 7606)'));
  await bgp.start();
  for (const n of neighbors) bgp.addNeighbor(n);
  log.info({ as: speaker.asn, routerId: speaker.routerId, neighbors: neighbors.length }, 'BGP speaker started');
  return bgp;
}

/** Reload: neighbors are reconciled; the global section needs a restart. */
export function reconcileSpeaker(bgp: BgpSpeaker | null, prev: Config['bgp'], next: Config['bgp'], log: Logger): void {
  if (JSON.stringify(prev) === JSON.stringify(next)) return;
  if (!bgp || !next || JSON.stringify(prev?.global) !== JSON.stringify(next.global)) {
    log.warn('bgp: a new or changed global section (or removing bgp) takes effect at restart');
    return;
  }
  const r = bgp.reconcileNeighbors(speakerOptionsFromConfig(next).neighbors);
  log.info(r, 'bgp neighbors reconciled');
}
