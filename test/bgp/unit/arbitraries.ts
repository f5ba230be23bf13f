/** fast-check generators for routes and path attributes of every family. */
import fc from 'fast-check';
import type { PathAttrs } from '../../../src/bgp/codec/attr/types.js';
import type { FamilyName } from '../../../src/bgp/codec/family.js';
import { ipv6ToString } from '../../../src/bgp/codec/addr.js';

const byte = fc.integer({ min: 0, max: 255 });
export const ipv4 = fc.tuple(byte, byte, byte, byte).map((b) => b.join('.'));
export const unicastV4 = fc.tuple(fc.integer({ min: 1, max: 223 }).filter((x) => x !== 127), byte, byte, fc.integer({ min: 1, max: 254 })).map((b) => b.join('.'));
export const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => ipv6ToString(b));
function masked(addrBytes: Uint8Array, plen: number): Uint8Array {
  const out = new Uint8Array(addrBytes.length);
  for (let i = 0; i < addrBytes.length; i++) {
    const bits = Math.max(0, Math.min(8, plen - 8 * i));
    out[i] = addrBytes[i]! & ((0xff << (8 - bits)) & 0xff);
  }
  return out;
}
export const prefix4 = fc.tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 32 }))
  .map(([a, l]) => `${[...masked(a, l)].join('.')}/${l}`);
export const prefix6 = fc.tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 128 }))
  .map(([a, l]) => `${ipv6ToString(masked(a, l))}/${l}`);
export const rd = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.nat()).map(([a, n]) => `${a}:${n >>> 0}`),
  fc.tuple(ipv4, fc.integer({ min: 0, max: 65535 })).map(([a, n]) => `${a}:${n}`),
  fc.tuple(fc.integer({ min: 65536, max: 0xffffffff }), fc.integer({ min: 0, max: 65535 })).map(([a, n]) => `${a}:${n}`),
  fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 })).map(([a, n]) => `${a}L:${n}`),
);
export const esi = fc.uint8Array({ minLength: 10, maxLength: 10 }).map((b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(':'));
export const mac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(':'));
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const label24 = fc.integer({ min: 0, max: 0xffffff });
export const rt = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 65535 }), u32).map(([a, n]) => `rt:${a}:${n}`),
  fc.tuple(ipv4, fc.integer({ min: 0, max: 65535 })).map(([a, n]) => `rt:${a}:${n}`),
  fc.tuple(fc.integer({ min: 65536, max: 0xffffffff }), fc.integer({ min: 0, max: 65535 })).map(([a, n]) => `rt:${a}:${n}`),
);

export const routeArb: Record<FamilyName, fc.Arbitrary<unknown>> = {
  ipv4: prefix4.map((prefix) => ({ prefix })),
  ipv6: prefix6.map((prefix) => ({ prefix })),
  vpnv4: fc.record({ rd, prefix: prefix4, label: fc.integer({ min: 0, max: 0xfffff }) }),
  vpnv6: fc.record({ rd, prefix: prefix6, label: fc.integer({ min: 0, max: 0xfffff }) }),
  evpn: fc.oneof(
    fc.record({ type: fc.constant(1 as const), rd, esi, ethernetTag: u32, label: label24 }),
    fc.record({ type: fc.constant(2 as const), rd, esi, ethernetTag: u32, mac, ip: fc.oneof(fc.constant(null), ipv4, ipv6), labels: fc.array(label24, { minLength: 1, maxLength: 2 }) }),
    fc.record({ type: fc.constant(3 as const), rd, ethernetTag: u32, originatorIp: fc.oneof(ipv4, ipv6) }),
    fc.record({ type: fc.constant(4 as const), rd, esi, originatorIp: fc.oneof(ipv4, ipv6) }),
    fc.oneof(
      fc.record({ type: fc.constant(5 as const), rd, esi, ethernetTag: u32, prefix: prefix4, gateway: ipv4, label: label24 }),
      fc.record({ type: fc.constant(5 as const), rd, esi, ethernetTag: u32, prefix: prefix6, gateway: ipv6, label: label24 }),
    ),
  ),
  rtc: fc.oneof(
    fc.constant({ originAs: null, routeTarget: null, length: 0 }),
    fc.record({ originAs: u32, routeTarget: rt.map((s) => s.slice(3)), length: fc.constant(96) }),
  ),
};

const seg = fc.record({ type: fc.constantFrom('seq' as const, 'set' as const), asns: fc.array(u32, { minLength: 1, maxLength: 8 }) });
export const attrsArb: fc.Arbitrary<PathAttrs> = fc.record({
  origin: fc.integer({ min: 0, max: 2 }),
  asPath: fc.array(seg, { maxLength: 3 }),
  med: fc.option(u32, { nil: undefined }),
  localPref: fc.option(u32, { nil: undefined }),
  atomicAggregate: fc.option(fc.constant(true), { nil: undefined }),
  aggregator: fc.option(fc.record({ as: u32, address: ipv4 }), { nil: undefined }),
  communities: fc.option(fc.array(fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 })).map(([a, b]) => `${a}:${b}`), { minLength: 1, maxLength: 4 }), { nil: undefined }),
  originatorId: fc.option(ipv4, { nil: undefined }),
  clusterList: fc.option(fc.array(ipv4, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  extCommunities: fc.option(fc.array(fc.oneof(rt, fc.constant('encap:vxlan'), mac.map((m) => `router-mac:${m}`), u32.map((s) => `mac-mobility:${s}`), label24.map((l) => `esi-label:${l}:single-active`)), { minLength: 1, maxLength: 4 }), { nil: undefined }),
  largeCommunities: fc.option(fc.array(fc.tuple(u32, u32, u32).map((t) => t.join(':')), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  pmsiTunnel: fc.option(fc.record({ flags: fc.constant(0), tunnelType: fc.constant(6), label: label24, tunnelId: fc.oneof(ipv4, ipv6) }), { nil: undefined }),
  unknown: fc.option(fc.array(fc.record({ code: fc.integer({ min: 200, max: 250 }), flags: fc.constant(0xe0), value: fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b).toString('hex')) }), { minLength: 1, maxLength: 1 }), { nil: undefined }),
}, { requiredKeys: ['origin', 'asPath'] }).map((a) => {
  const out: PathAttrs = {};
  for (const [k, v] of Object.entries(a)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
});
