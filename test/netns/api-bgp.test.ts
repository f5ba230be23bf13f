// hvswitchd's BGP control surface against a real gobgpd, in network
// namespaces: hvswitchd (config with a bgp: section) in one namespace, gobgpd
// (private TOML config, gRPC API on its namespace's loopback) in another,
// joined by a veth pair; an iBGP session for ipv4, vpnv4 and evpn with gobgpd
// as route reflector.  Through the CLI only: `hvswitch bgp neighbor --json`
// shows the session established; a VPNv4 and an EVPN type-2 route originated
// with `hvswitch bgp rib add` appear in `gobgp global rib -a vpnv4|evpn`;
// routes injected with `gobgp global rib add` appear in `hvswitch bgp rib -a
// ... --json` with their label, RD and route target; a withdrawal reaches
// gobgpd.  Names carry a per-run tag; only the processes started here are
// stopped (Topology.destroy, afterAll).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { netnsGate, sh, sleep, Topology, type Daemon } from './helpers/netns.js';

const gate = netnsGate();
const haveGobgp = existsSync('/usr/bin/gobgpd') || existsSync('/usr/local/bin/gobgpd');
if (!haveGobgp && process.env.CI === 'true') throw new Error('gobgpd is not installed (the CI installs it)');

const HV = '192.0.2.1';
const GB = '192.0.2.2';

/** gobgpd in a namespace with its own config; its API on 127.0.0.1:50051 of that namespace. */
class Gobgpd {
  constructor(private readonly topo: Topology, private readonly ns: string) {}

  config(): string {
    let c = `[global.config]
  as = 65000
  router-id = "${GB}"
  port = 179
  local-address-list = ["${GB}"]

[[neighbors]]
  [neighbors.config]
    neighbor-address = "${HV}"
    peer-as = 65000
  [neighbors.transport.config]
    local-address = "${GB}"
  [neighbors.route-reflector.config]
    route-reflector-client = true
    route-reflector-cluster-id = "${GB}"
  [neighbors.timers.config]
    connect-retry = 1
`;
    for (const f of ['ipv4-unicast', 'l3vpn-ipv4-unicast', 'l2vpn-evpn']) c += `  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "${f}"\n`;
    return c;
  }

  async start(): Promise<void> {
    const conf = join(this.topo.tmp, 'gobgpd.toml');
    writeFileSync(conf, this.config());
    // `ip netns exec` execs gobgpd: the child's PID is gobgpd's, stopped by Topology.destroy()
    const p = this.topo.spawnIn(this.ns, ['gobgpd', '-f', conf, '-t', 'toml', '-p', '--api-hosts', '127.0.0.1:50051', '--pprof-disable', '-l', 'info']);
    let log = '';
    p.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    p.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const t0 = Date.now();
    while ((await this.cli(['global'], true)).code !== 0) {
      if (p.exitCode !== null || Date.now() - t0 > 15_000) throw new Error(`gobgpd did not start:\n${log}`);
      await sleep(200);
    }
  }

  cli(args: string[], allowFail = false) {
    return this.topo.exec(this.ns, ['gobgp', '-u', '127.0.0.1', '-p', '50051', ...args], { allowFail });
  }
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timeout waiting for ${what}`);
    await sleep(200);
  }
}

interface PathRow { network: string; nlri: Record<string, unknown>; nextHop: string; source: string; attributes: { extCommunities?: string[]; asPath: unknown[] } }

describe.skipIf(gate.skip || !haveGobgp)(
  `BGP API and CLI against gobgpd${gate.skip ? ` (skipped: ${gate.reason})` : !haveGobgp ? ' (skipped: gobgpd not installed)' : ''}`,
  () => {
    const topo = new Topology();
    let d: Daemon;
    let gobgp: Gobgpd;
    let hv = '';

    beforeAll(async () => {
      hv = await topo.ns('hv');
      const gb = await topo.ns('gb');
      const a = topo.name('h'), b = topo.name('g');
      await sh('ip', ['link', 'add', a, 'netns', hv, 'type', 'veth', 'peer', 'name', b, 'netns', gb]);
      await topo.exec(hv, ['ip', 'addr', 'add', `${HV}/24`, 'dev', a]);
      await topo.exec(gb, ['ip', 'addr', 'add', `${GB}/24`, 'dev', b]);
      await topo.exec(hv, ['ip', 'link', 'set', a, 'up']);
      await topo.exec(gb, ['ip', 'link', 'set', b, 'up']);
      gobgp = new Gobgpd(topo, gb);
      await gobgp.start();
      d = await topo.daemon(hv, {
        metrics: { listen: '127.0.0.1:9650' }, // the namespace's own loopback
        bgp: {
          global: { as: 65000, 'router-id': HV },
          neighbors: [{ 'neighbor-address': GB, 'peer-as': 65000, 'afi-safis': ['ipv4-unicast', 'l3vpn-ipv4-unicast', 'l2vpn-evpn'], timers: { 'connect-retry': 1 } }],
        },
      });
    });
    afterAll(async () => {
      await topo.destroy();
    });

    it('the session is established (hvswitch bgp neighbor --json, and gobgp neighbor)', async () => {
      const n = await until('established', async () => {
        const j = await d.cliJson<{ address: string; state: string; peerAs: number; families: string[]; remoteId: string }[]>(['bgp', 'neighbor']);
        return j[0]?.state === 'Established' && j[0];
      });
      expect(n).toMatchObject({ address: GB, peerAs: 65000, remoteId: GB, families: ['ipv4', 'vpnv4', 'evpn'] });
      expect((await gobgp.cli(['neighbor'])).stdout).toMatch(new RegExp(`${HV.replace(/\./g, '\\.')}\\s+65000\\s+\\S+\\s+Establ`));
      const sum = await d.cli(['bgp', 'neighbor']);
      expect(sum.stdout.split('\n')[0]).toBe('Peer         AS  Up/Down State  |#Advertised Received Accepted');
    });

    it('VPNv4 and EVPN type-2 routes added with hvswitch bgp rib add appear in gobgp global rib; withdrawn with rib del', async () => {
      await d.cli(['bgp', 'rib', 'add', '-a', 'vpnv4', '10.1.0.0/24', '--rd', '65000:1', '--label', '100', '--rt', '65000:100', '--nexthop', HV]);
      await d.cli(['bgp', 'rib', 'add', '-a', 'evpn', 'macadv', '02:00:00:00:00:01', '10.0.0.5', '--rd', '65000:1', '--etag', '0', '--label', '10100', '--rt', '65000:100', '--encap', 'vxlan']);
      const vpn = await until('vpnv4 at gobgpd', async () => {
        const r = await gobgp.cli(['global', 'rib', '-a', 'vpnv4']);
        return r.stdout.includes('65000:1:10.1.0.0/24') && r.stdout;
      });
      const vline = vpn.split('\n').find((l) => l.includes('65000:1:10.1.0.0/24'))!;
      expect(vline).toContain('[100]');
      expect(vline).toContain(HV);
      expect(vline).toContain('65000:100');
      const evpn = await until('evpn at gobgpd', async () => {
        const r = await gobgp.cli(['global', 'rib', '-a', 'evpn']);
        return r.stdout.includes('[type:macadv][rd:65000:1][etag:0][mac:02:00:00:00:00:01][ip:10.0.0.5]') && r.stdout;
      });
      const eline = evpn.split('\n').find((l) => l.includes('[mac:02:00:00:00:00:01]'))!;
      expect(eline).toContain('[10100]');
      expect(eline).toContain(HV); // next hop: our session address (no --nexthop)
      expect(eline).toMatch(/VXLAN/i);
      // gobgp's JSON of the path: route target (ext. community type 0 subtype 2), label, RD, next hop
      const j = JSON.parse((await gobgp.cli(['global', 'rib', '-a', 'vpnv4', '-j'])).stdout) as Record<string, { attrs: { type: number; value?: unknown; nexthop?: string }[] }[]>;
      const attrs = Object.values(j).flat()[0]!.attrs;
      expect(attrs.find((a) => a.type === 16)!.value).toEqual([{ type: 0, subtype: 2, value: '65000:100' }]);
      expect(attrs.find((a) => a.type === 14)).toMatchObject({ nexthop: HV, afi: 1, safi: 128, value: [{ prefix: '10.1.0.0/24', labels: [100], rd: { type: 0, admin: 65000, assigned: 1 } }] });

      await d.cli(['bgp', 'rib', 'del', '-a', 'vpnv4', '10.1.0.0/24', '--rd', '65000:1', '--label', '100']);
      await until('vpnv4 withdrawn at gobgpd', async () => !(await gobgp.cli(['global', 'rib', '-a', 'vpnv4'])).stdout.includes('65000:1:10.1.0.0/24'));
    });

    it('routes injected with gobgp global rib add appear in hvswitch bgp rib --json with label, RD and route target', async () => {
      await gobgp.cli(['global', 'rib', 'add', '-a', 'vpnv4', '10.2.0.0/24', 'label', '200', 'rd', '65000:2', 'rt', '65000:200', 'nexthop', GB]);
      await gobgp.cli(['global', 'rib', 'add', '-a', 'evpn', 'macadv', '02:00:00:00:00:02', '10.0.0.6', 'etag', '0', 'label', '10200', 'rd', '65000:2', 'rt', '65000:200', 'encap', 'vxlan', 'nexthop', GB]);
      const vpn = await until('vpnv4 in hvswitch', async () => (await d.cliJson<PathRow[]>(['bgp', 'rib', '-a', 'vpnv4'])).find((p) => p.network === '65000:2:10.2.0.0/24'));
      expect(vpn).toMatchObject({ nlri: { rd: '65000:2', prefix: '10.2.0.0/24', label: 200 }, nextHop: GB, source: GB });
      expect(vpn.attributes.extCommunities).toContain('rt:65000:200');
      const evpn = await until('evpn in hvswitch', async () =>
        (await d.cliJson<PathRow[]>(['bgp', 'rib', '-a', 'evpn'])).find((p) => p.network === '[type:macadv][rd:65000:2][etag:0][mac:02:00:00:00:00:02][ip:10.0.0.6]'),
      );
      expect(evpn).toMatchObject({ nlri: { routeType: 2, rd: '65000:2', mac: '02:00:00:00:00:02', ip: '10.0.0.6', labels: [10200] }, nextHop: GB });
      expect(evpn.attributes.extCommunities).toEqual(expect.arrayContaining(['rt:65000:200', 'encap:vxlan']));
      // the same path in the neighbor's Adj-RIB-In, and counted in the neighbor's prefixes
      const adjIn = await d.cliJson<PathRow[]>(['bgp', 'rib', '-a', 'evpn', '--table', 'adj-in', '--neighbor', GB]);
      expect(adjIn.map((p) => p.network)).toContain('[type:macadv][rd:65000:2][etag:0][mac:02:00:00:00:00:02][ip:10.0.0.6]');
      const n = await d.cliJson<{ prefixes: Record<string, { received: number }> }>(['bgp', 'neighbor', GB]);
      expect(n.prefixes.evpn!.received).toBeGreaterThanOrEqual(1);
      expect(n.prefixes.vpnv4!.received).toBe(1);
      // the table for people: gobgp's bracket form with the label column
      const t = await d.cli(['bgp', 'rib', '-a', 'evpn']);
      expect(t.stdout).toMatch(/\*> +\[type:macadv\]\[rd:65000:2\]\[etag:0\]\[mac:02:00:00:00:00:02\]\[ip:10\.0\.0\.6\] +\[10200\] +192\.0\.2\.2 /);
      // the daemon's Prometheus endpoint reports the session and the received paths
      const m = (await topo.exec(hv, ['curl', '-sf', 'http://127.0.0.1:9650/metrics'])).stdout;
      expect(m).toContain(`hvswitch_bgp_peer_state{peer="${GB}",peer_as="65000"} 6`);
      expect(m).toContain(`hvswitch_bgp_routes_received{peer="${GB}",afi_safi="l3vpn-ipv4-unicast"} 1`);
      expect(m).toMatch(new RegExp(`hvswitch_bgp_peer_messages_received_total\\{peer="${GB.replace(/\./g, '\\.')}",type="update"\\} [1-9]`));
      // withdrawn at gobgpd: gone here
      await gobgp.cli(['global', 'rib', 'del', '-a', 'vpnv4', '10.2.0.0/24', 'label', '200', 'rd', '65000:2']);
      await until('vpnv4 withdrawn in hvswitch', async () => !(await d.cliJson<PathRow[]>(['bgp', 'rib', '-a', 'vpnv4'])).some((p) => p.network === '65000:2:10.2.0.0/24'));
    });
  },
);

