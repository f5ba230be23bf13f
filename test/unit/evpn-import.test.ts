// The EVPN importer's batches (src/vpn/evpn.ts): the remote FDB entries decided
// over one BGP batch are written to the core in one call, and the tunnels they
// replace are let go only afterwards, so an entry never points at a freed (and
// maybe reused) tunnel id; an FDB without room leaves the MACs it could not
// take uninstalled, logged, and retried on their next change.  A real core and
// two real speakers over loopback: `src` plays the reflector, originating the
// type-2 routes of remote VTEPs.
import { Writable } from 'node:stream';

import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import { Dataplane } from '../../src/dataplane/index.js';
import { EvpnManager, TUNNEL_GROUP } from '../../src/vpn/evpn.js';
import { until } from '../wait.js';
import { speakerPair } from './speaker-pair.js';

const VNI = 10010;
const RT = 'rt:65000:10010';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

async function setup(fdbSize: number) {
  const dp = new Dataplane({ workers: 1, agingSeconds: 300 });
  cleanup.push(() => dp.close());
  dp.addBridge('br0', fdbSize);
  dp.addPort({ name: 'vm', backend: 'memory', bridge: 'br0', mode: 'access', vlan: 10, allowedVlans: [], macLimit: 4096, mtu: 1500 });
  dp.setVtep({ address: '192.0.2.1', floodGroup: TUNNEL_GROUP, backend: 'memory' });
  const { rx, src } = await speakerPair('192.0.2.1', ['evpn'], cleanup);
  const logs: string[] = [];
  const log = pino({ level: 'debug' }, new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) }));
  let q: Promise<unknown> = Promise.resolve();
  const serialize = <T>(fn: () => T): Promise<T> => { const n = q.then(fn); q = n.catch(() => undefined); return n; };
  const evpn = new EvpnManager(dp, rx, '192.0.2.1', serialize, log);
  cleanup.push(() => evpn.close());
  evpn.apply([{ bridge: 'br0', vlan: 10, vni: VNI, rd: '192.0.2.1:1', importRts: [RT], exportRts: [RT] }]);
  const remote = () => dp.fdb({ bridge: 'br0' }).filter((e) => e.kind === 'remote');
  return { dp, src, evpn, logs, remote };
}

const mac = (i: number) => `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
const type2 = (i: number, vtep: string) => ({ type: 2 as const, rd: `${vtep}:1`, esi: '0', ethernetTag: 0, mac: mac(i), ip: null, labels: [VNI] });
const attrs = (vtep: string, seq = 0) => ({ nextHop: vtep, extCommunities: [RT, 'encap:vxlan', ...(seq ? [`mac-mobility:${seq}`] : [])] });

describe('EVPN import batches', () => {
  it('RFC 7432 §15: a MAC that moves to another VTEP in one batch is rewritten before the tunnel it leaves is deleted', async () => {
    const { dp, src, remote } = await setup(1024);
    src.originate('evpn', type2(1, '198.51.100.1'), attrs('198.51.100.1'));
    await until('installed at .1', () => remote().length === 1);
    const first = remote()[0]!.egress!.index;
    // every tunnel deletion is checked against the FDB at that moment
    const dangling: number[] = [];
    const del = dp.tunnelDel.bind(dp);
    dp.tunnelDel = (id: number) => {
      if (dp.fdb({ bridge: 'br0' }).some((e) => e.egress?.kind === 'tunnel' && e.egress.index === id)) dangling.push(id);
      del(id);
    };
    // one batch: the old route withdrawn, the new one (higher sequence) announced
    src.withdraw('evpn', type2(1, '198.51.100.1'));
    src.originate('evpn', type2(1, '198.51.100.2'), attrs('198.51.100.2', 1));
    await until('moved to .2', () => remote().length === 1 && remote()[0]!.egress!.index !== first);
    await until('the tunnel to .1 deleted', () => dp.tunnels().every((t) => t.remote !== '198.51.100.1'));
    expect(dangling).toEqual([]);
    expect(dp.tunnels().map((t) => [t.remote, t.vni])).toEqual([['198.51.100.2', VNI]]);
  });

  it('an FDB without room for the whole batch: the first ones installed, the rest logged and not counted as installed', async () => {
    const { src, evpn, logs, remote } = await setup(64);
    for (let i = 0; i < 300; i++) src.originate('evpn', type2(i, `198.51.100.${1 + (i % 4)}`), attrs(`198.51.100.${1 + (i % 4)}`));
    await until('FDB full logged', () => logs.some((l) => l.includes('FDB full: remote MACs not installed')));
    const installed = remote().length;
    expect(installed).toBeGreaterThan(0);
    expect(installed).toBeLessThan(300);
    await until('the instance counts what the FDB holds', () => evpn.list()[0]!.remoteMacs === remote().length);
    // tunnels are held only by installed MACs: each listed tunnel has entries
    expect(evpn.list()[0]!.vteps.every((v) => v.macs > 0)).toBe(true);
  });
});
