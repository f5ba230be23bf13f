// Shared by the BGP API/CLI unit tests: two in-process daemons (controller,
// real API server on a unix socket, embedded BGP speaker) that peer over
// loopback TCP.  Both speakers listen on 127.0.0.1 on an ephemeral port
// (bgp.global.listen-port 0); `peer()` adds each as the other's neighbor
// through the API (B passive, A connecting to B's port), so the session, the
// routes and the counters are a real BGP session's.
import { call } from '../../src/api/client.js';
import type { BgpServiceClient } from '../../src/api/gen/hvswitch/v1/BgpService.js';
import type { GetPeerResponse__Output } from '../../src/api/gen/hvswitch/v1/GetPeerResponse.js';
import { startFixture, type Fixture } from './api-fixture.js';
import { until } from '../wait.js';

export function bgpConfig(routerId: string, asn = 65000): object {
  return { bgp: { global: { as: asn, 'router-id': routerId, 'listen-port': 0, 'listen-address': '127.0.0.1' }, neighbors: [] } };
}

/** A fixture whose config has a bgp: section, with the speaker started (as hvswitchd does). */
export async function startBgpFixture(routerId: string, asn = 65000): Promise<Fixture> {
  const f = await startFixture(bgpConfig(routerId, asn));
  await f.controller.startBgp();
  const close = f.close.bind(f);
  f.close = async () => {
    await f.controller.stopBgp();
    await close();
  };
  return f;
}

export { until };

export const FAMS = ['BGP_FAMILY_IPV4', 'BGP_FAMILY_VPNV4', 'BGP_FAMILY_EVPN', 'BGP_FAMILY_RTC'];

/** Peers A and B through their APIs and waits until both sessions are Established. */
export async function peer(a: Fixture, b: Fixture, families = FAMS): Promise<void> {
  await call(b.client.bgp, 'AddPeer', { peer: { neighborAddress: '127.0.0.1', peerAs: a.controller.bgp!.options.asn, families, passive: true } });
  await call(a.client.bgp, 'AddPeer', { peer: { neighborAddress: '127.0.0.1', peerAs: b.controller.bgp!.options.asn, families, port: b.controller.bgp!.listenPort } });
  for (const f of [a, b])
    await until('session established', async () => {
      const r = await call<BgpServiceClient, object, GetPeerResponse__Output>(f.client.bgp, 'GetPeer', { address: '127.0.0.1' });
      return r.peer!.state!.sessionState === 'SESSION_STATE_ESTABLISHED';
    });
}
