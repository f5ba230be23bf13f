// The `vpn` scenario's device wiring (bench/lib/scenarios.mjs): the routed
// scenario cut in two at an IP-VPN (RFC 4364) between two PEs, each an
// hvswitchd in its own hypervisor namespace:
//
//   src 198.18.1.1 == [sw0 198.18.1.254  PE A  ul0 198.18.254.1] ==underlay== [198.18.254.2 ul0  PE B  198.18.2.254 sw1] == 198.18.2.2 dst
//                                                                                         route 198.19.0.0/16 via 198.18.2.2
//
// Both PEs have VRF `bench` (RT 65000:1, RD <PE>:1, one label per VRF, the
// scenario's encapsulation only) with one routed port, and exchange VPNv4 over
// a direct iBGP session (AS 65000; A connects, B listens on 179), no reflector:
// what is measured is the data path.  B exports its connected 198.18.2.0/24 and
// the static 198.19.0.0/16 via the sink; A exports 198.18.1.0/24.  Every frame
// of the generator (to 198.19.0.99) is routed by A into the tunnel (TTL
// decremented, label pushed, outer IPv4/UDP 6635), decapsulated by B (label
// popped, looked up in the VRF) and routed to the sink: the routed scenario's
// work plus encapsulation and decapsulation, over two daemons.  Both daemons
// are pinned to the DUT CPU, so DUT CPU is their sum, as in `vxlan`.
//
// `start` returns once each PE has the other's routes in its FIB (origin bgp):
// the BGP convergence is part of "start + load tables".
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { launchHvswitchd } from './duts.mjs';
import { L3, routePrefixes } from './l3.mjs';
import { sleep } from './sys.mjs';
import { UNDERLAY } from './topo.mjs';

const AS = 65000;
const VRF = 'bench';

/** `supports` of the devices that have no PE wired here. */
export function noVpn(scen) {
  if (scen.vpn) return { ok: false, reason: `no ${scen.vpn.encap} PE of this device is wired in the bench (the reference is hvswitch's own routed scenario)` };
  return { ok: true };
}

/** PE A's or B's config (JSON). */
function peConfig({ scen, dir, side, polling }) {
  const a = side === 'a';
  const [me, peer] = a ? [UNDERLAY.a, UNDERLAY.b] : [UNDERLAY.b, UNDERLAY.a];
  const [port, gw] = a ? ['sw0', L3.src.gw] : ['sw1', L3.dst.gw];
  const cfg = path.join(dir, `hvswitchd-${side}.json`);
  writeFileSync(cfg, JSON.stringify({
    version: 1, workers: 1, 'log-level': 'warn', ...(polling ? { dataplane: { polling } } : {}),
    pe: { address: me, mtu: UNDERLAY.mtu },
    vrfs: {
      [VRF]: {
        vpn: { rd: `${me}:1`, 'route-targets': [`${AS}:1`], encapsulations: [scen.vpn.encap] },
        ...(a ? {} : { routes: routePrefixes(scen).map((p) => ({ to: p, via: L3.dst.host })) }),
      },
    },
    ports: { [port]: { backend: 'af-packet', mode: 'routed', vrf: VRF, addresses: [`${gw}/${L3.plen}`] } },
    bgp: {
      global: { as: AS, 'router-id': me, 'listen-port': a ? 0 : 179 },
      neighbors: [{
        'neighbor-address': peer, 'peer-as': AS, 'afi-safis': ['l3vpn-ipv4-unicast'], 'local-address': me,
        passive: !a, timers: { 'connect-retry': 1, 'idle-hold-time': 1 },
      }],
    },
  }, null, 1));
  return cfg;
}

/** The prefixes a PE holds in its VRF with origin bgp (imported VPN routes). */
const bgpPrefixes = (d) => new Set(JSON.parse(d.cli('route', 'show', '--vrf', VRF, '--origin', 'bgp', '--json')).map((r) => r.prefix));

/** Waits until A has B's prefixes and B has A's, imported. */
async function converged(a, b, scen, dir, timeoutMs = 60000) {
  const wantA = [...routePrefixes(scen), `198.18.2.0/${L3.plen}`];
  const wantB = [`198.18.1.0/${L3.plen}`];
  for (const t0 = Date.now(); ;) {
    const [ha, hb] = [bgpPrefixes(a), bgpPrefixes(b)];
    if (wantA.every((p) => ha.has(p)) && wantB.every((p) => hb.has(p))) return;
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`VPN routes not imported after ${timeoutMs / 1000}s (A has ${[...ha].join(',') || 'none'}, B has ${[...hb].join(',') || 'none'}): see ${dir}/hvswitchd-*.log`);
    await sleep(100);
  }
}

/** vpn: one hvswitchd PE per hypervisor, both pinned to the DUT CPU (`pids` has both: DUT CPU is their sum). */
export async function startHvswitchVpn({ topo, scen, dir, opts, root, polling }) {
  const d = [];
  const stopAll = async () => { for (const x of d.reverse()) await x.stop(); };
  try {
    for (const [i, side] of ['a', 'b'].entries())
      d.push(await launchHvswitchd({ ns: topo.hv[i], cfg: peConfig({ scen, dir, side, polling }), dir, name: `hvswitchd-${side}`, opts, root }));
    await converged(d[0], d[1], scen, dir);
  } catch (e) {
    await stopAll();
    throw e;
  }
  const [a, b] = d;
  // after every test: each PE's port counters and its MPLS underlay's (encap, decap, drops by reason)
  const afterTest = (tag) => {
    for (const [x, side] of [[a, 'a'], [b, 'b']]) {
      writeFileSync(path.join(dir, `stats-${side}-${tag}.json`), x.cli('stats', '--json'));
      let u;
      try { u = x.cli('stats', 'mpls-underlay', '--json'); } catch (e) { u = JSON.stringify({ unavailable: e.message }); }
      writeFileSync(path.join(dir, `stats-${side}-underlay-${tag}.json`), u);
    }
  };
  const routes = (x) => JSON.parse(x.cli('vrf', 'list', '--json')).find((v) => v.name === VRF)?.routes ?? 0;
  return { pids: [a.pid, b.pid], stop: stopAll, afterTest, tables: () => ({ fib_routes: routes(a) + routes(b) }) };
}
