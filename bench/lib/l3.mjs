// The routed scenarios' addressing, shared by the topology, the devices and
// the generator.  One router, two subnets, the sink as the next hop of every
// route:
//
//   src 198.18.1.1/24 --- [198.18.1.254  router  198.18.2.254] --- 198.18.2.2/24 dst
//                                routes: P via 198.18.2.2
//
// `routes: 1`: one route, 198.19.0.0/16, and the generator sends every frame
// to 198.19.0.99.  `routes: N` (N > 1): N /24s from 16.0.0.0 on (N ≤ 2^20:
// 16.0.0.0/4 holds exactly 2^20 /24s), and the generator sends to one address
// in each, in a scattered order, so every lookup walks a different FIB entry.
// The sink owns neither address and does not forward: it drops the frames in
// routing without answering, after the counters have seen them.
export const L3 = {
  src: { host: '198.18.1.1', gw: '198.18.1.254' },
  dst: { host: '198.18.2.2', gw: '198.18.2.254' },
  plen: 24,
};

const dotted = (a) => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
const MANY_BASE = 0x10000000; // 16.0.0.0

/** The route prefixes of a routed scenario, all via the sink. */
export function routePrefixes(scen) {
  const n = scen.l3.routes;
  if (n === 1) return ['198.19.0.0/16'];
  if (n > 1 << 20) throw new Error(`${scen.name}: at most ${1 << 20} routes (16.0.0.0/4 in /24s)`);
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = `${dotted(MANY_BASE + i * 256)}/24`;
  return out;
}

/** Generator destination: first address and how many (-D, -n). */
export function trafficDst(scen) {
  return scen.l3.routes === 1 ? { ip: '198.19.0.99', n: 1 } : { ip: dotted(MANY_BASE + 99), n: scen.l3.routes };
}
