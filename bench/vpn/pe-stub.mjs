// The control plane of the PE that is not an hvswitchd in the `vpn-encap` and
// `vpn-decap` scenarios (bench/lib/vpn.mjs): our BGP speaker, one VPNv4 iBGP
// session (AS 65000) to the hvswitchd PE, as the other hvswitchd PE would have
// in the two-PE `vpn` scenario.  Run in the stand-in's namespace.
//
//   --role b (vpn-encap: it stands for PE B): listens on ADDR:179 (the PE
//     connects, as A does to B in `vpn`) and originates B's routes: the
//     scenario's prefixes and 198.18.2.0/24, RD ADDR:1, RT 65000:1,
//     encapsulation MPLS-in-UDP, label LABEL, next hop ADDR.  The PE imports
//     them into its VRF and routes the generator's frames into the tunnel.
//   --role a (vpn-decap: it stands for PE A): connects to the PE at PEER and
//     originates A's 198.18.1.0/24 the same way; it reads what the PE
//     advertises (its Loc-RIB, as received on the session) and writes the
//     route of WANT (prefix, RD, label, next hop) to OUT: the label the
//     generator's MPLS-in-UDP frames carry is the one the PE advertised.
//
// argv: --role a|b --addr ADDR --peer PEER [--label N] [--prefix P ...] [--want P --out FILE]
// Runs until SIGTERM.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { BgpSpeaker } from '../../dist/src/bgp/speaker.js';

const { values: o } = parseArgs({
  options: {
    role: { type: 'string' }, addr: { type: 'string' }, peer: { type: 'string' }, label: { type: 'string', default: '1000' },
    prefix: { type: 'string', multiple: true, default: [] }, want: { type: 'string' }, out: { type: 'string' },
  },
});
const AS = 65000;
const RT = 'rt:65000:1';
const b = o.role === 'b';
const sp = new BgpSpeaker({ asn: AS, routerId: o.addr, listenPort: b ? 179 : false, ...(b ? { listenAddress: o.addr } : {}) });
await sp.start();
sp.addNeighbor({ address: o.peer, peerAs: AS, localAddress: o.addr, passive: b, families: ['vpnv4'], connectRetry: 1, idleHoldTime: 1 });
for (const p of o.prefix)
  sp.originate('vpnv4', { rd: `${o.addr}:1`, prefix: p, label: Number(o.label) }, { nextHop: o.addr, extCommunities: [RT, 'encap:mpls-in-udp'] });

if (o.want) {
  // the PE's route for `want`, as it advertised it to us
  const look = () => {
    const e = sp.routes('vpnv4').find((r) => r.route.prefix === o.want && r.paths.some((p) => p.source === o.peer));
    if (!e) return false;
    const p = e.paths.find((x) => x.source === o.peer);
    writeFileSync(o.out, JSON.stringify({ prefix: e.route.prefix, rd: e.route.rd, label: e.route.label, nextHop: p.nextHop,
      extCommunities: p.attrs.extCommunities ?? [] }) + '\n');
    return true;
  };
  const tick = setInterval(() => { if (look()) clearInterval(tick); }, 50);
}

const quit = () => void sp.stop().finally(() => process.exit(0));
process.on('SIGTERM', quit);
process.on('SIGINT', quit);
