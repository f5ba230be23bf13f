// One switch running an EVPN instance, for the EVPN unit tests: a real core
// with a memory VM port ('vm', access VLAN 10 of br0) and a memory underlay,
// and two real speakers over loopback: `rx` runs the instance (VNI 10010, RD
// VTEP:1, route target 65000:10010), `src` is its peer (a reflector or a
// remote VTEP).  The dataplane's MAC events reach the instance through the
// control queue, as in the controller.  Everything started is pushed on
// `cleanup`.
import { Writable } from 'node:stream';

import pino from 'pino';

import { Dataplane } from '../../src/dataplane/index.js';
import type { Clock } from '../../src/util/clock.js';
import { EvpnManager, TUNNEL_GROUP, type EviConfig } from '../../src/vpn/evpn.js';
import { speakerPair } from './speaker-pair.js';

export const VNI = 10010;
export const RT = 'rt:65000:10010';

export async function evpnSwitch(cleanup: (() => Promise<void> | void)[], opts: { vtep?: string; clock?: Clock; evi?: Partial<EviConfig> } = {}) {
  const vtep = opts.vtep ?? '192.0.2.1';
  const dp = new Dataplane({ workers: 1, agingSeconds: 300 });
  cleanup.push(() => dp.close());
  dp.addBridge('br0', 1024);
  dp.addPort({ name: 'vm', backend: 'memory', bridge: 'br0', mode: 'access', vlan: 10, allowedVlans: [], macLimit: 4096, mtu: 1500 });
  dp.setVtep({ address: vtep, floodGroup: TUNNEL_GROUP, backend: 'memory' });
  const { rx, src } = await speakerPair(vtep, ['evpn'], cleanup);
  const logs: string[] = [];
  const log = pino({ level: 'debug' }, new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) }));
  let q: Promise<unknown> = Promise.resolve();
  const serialize = <T>(fn: () => T): Promise<T> => { const n = q.then(fn); q = n.catch(() => undefined); return n; };
  const evpn = new EvpnManager(dp, rx, vtep, serialize, log, opts.clock);
  cleanup.push(() => evpn.close());
  dp.on('mac', (ev) => void serialize(() => evpn.onMacEvents(ev)));
  evpn.apply([{ bridge: 'br0', vlan: 10, vni: VNI, rd: `${vtep}:1`, importRts: [RT], exportRts: [RT], ...opts.evi }]);
  return { dp, rx, src, evpn, logs };
}
