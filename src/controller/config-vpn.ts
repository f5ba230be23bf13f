// IP-VPN config (RFC 4364 / RFC 4659 over MPLS-in-UDP and MPLS-in-GRE, issue 11):
// the `vpn:` block of a VRF and the top-level `pe:` (our PE address, the
// tunnel endpoint of every VPN route we advertise).  Kept apart from
// config.ts: its schema, its defaults and its checks, in the config's path
// vocabulary (`vrfs.red.vpn.rd`).  Route target keys are EVPN's
// (`route-targets` for both directions, `import-`/`export-route-targets`).
//
//   pe: { address: 192.0.2.11 }          # default: vtep.address
//   vrfs:
//     red:
//       vpn:
//         rd: 192.0.2.11:100             # default router-id:N (N from the VRF name)
//         route-targets: [65000:100]
//         label-mode: per-vrf            # or per-prefix
//         encapsulations: [mpls-udp, mpls-gre]   # our preference, first first
//         l3-vni: 9000                   # EVPN type-5 over VXLAN (with vxlan in encapsulations)
//         router-mac: 02:00:5e:00:01:01  # default: derived from vtep.address
import { createHash } from 'node:crypto';

import { Type, type Static } from '@sinclair/typebox';

import { normaliseRouteTarget } from '../bgp/index.js';
import { rdToBytes, rdToString } from '../bgp/codec/rd.js';
import { formatIp, parseIp } from '../util/ip.js';
import type { L3vpnEncap, VrfVpnConfig } from '../vpn/l3vpn-types.js';

const RouteTargets = Type.Array(Type.String({ minLength: 1, description: 'route target: ASN:N or IPv4:N' }), { uniqueItems: true });

/** The encapsulations a VRF offers by default, in config words. */
export const L3VPN_ENCAPS = ['mpls-udp', 'mpls-gre'] as const satisfies readonly L3vpnEncap[];
/** Every encapsulation a VRF may offer: MPLS for VPN-IPv4/IPv6, VXLAN for EVPN type-5. */
const ALL_ENCAPS = [...L3VPN_ENCAPS, 'vxlan'] as const satisfies readonly L3vpnEncap[];

export const VpnSchema = Type.Object(
  {
    rd: Type.Optional(Type.String({ minLength: 1, description: 'route distinguisher (default router-id:N, N a 16-bit hash of the VRF name)' })),
    'route-targets': Type.Optional(RouteTargets),
    'import-route-targets': Type.Optional(RouteTargets),
    'export-route-targets': Type.Optional(RouteTargets),
    'label-mode': Type.Optional(Type.Union([Type.Literal('per-vrf'), Type.Literal('per-prefix')], { description: 'one label for the VRF (default) or one per prefix' })),
    encapsulations: Type.Optional(
      Type.Array(Type.Union(ALL_ENCAPS.map((e) => Type.Literal(e))), {
        minItems: 1,
        uniqueItems: true,
        description: 'encapsulations we offer and accept, preferred first (default [mpls-udp, mpls-gre]; [vxlan] with l3-vni)',
      }),
    ),
    'l3-vni': Type.Optional(Type.Integer({ minimum: 1, maximum: 0xffffff, description: 'L3 VNI: EVPN type-5 routes over VXLAN (symmetric IRB, RFC 9136)' })),
    'router-mac': Type.Optional(Type.String({ minLength: 1, description: 'our router MAC in the L3 VNI (default: derived from vtep.address)' })),
  },
  { additionalProperties: false, description: 'IP-VPN (VPNv4/VPNv6, RFC 4364) for this VRF' },
);

/** Our PE: the local end of every MPLS tunnel (an address of this host). */
export const PeSchema = Type.Object(
  {
    address: Type.String({ minLength: 1, description: 'local PE address (IPv4 or IPv6), an address of this host' }),
    mtu: Type.Optional(Type.Integer({ minimum: 1280, maximum: 65535, description: 'underlay IP MTU (default 1500)' })),
  },
  { additionalProperties: false },
);

export type RawVpn = Static<typeof VpnSchema>;
export type RawPe = Static<typeof PeSchema>;

export interface PeConfig {
  address: string; // canonical text
  af: 4 | 6;
  mtu: number;
}

export type { VrfVpnConfig } from '../vpn/l3vpn-types.js';

type Problem = { path: string; message: string };
interface RawDoc {
  pe?: RawPe;
  vtep?: { address: string; mtu?: number };
  vrfs?: Record<string, { vpn?: RawVpn }>;
  bridges?: Record<string, { evpn?: { vni: number }[] }>;
  bgp?: unknown;
}

/** The default router MAC: locally administered, from the VTEP address (one per PE, as FRR's
 *  SVI MAC is one per VRF device; stable across restarts). */
export function defaultRouterMac(vtep: string): string {
  const h = createHash('sha256').update(`hvswitch-router-mac:${vtep}`).digest();
  return ['02', ...[...h.subarray(0, 5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** The type-5 fields of one VRF's `vpn:` (l3-vni, router-mac, vxlan in encapsulations), checked. */
function type5Fields(c: RawDoc, base: string, raw: RawVpn, l3vnis: Map<number, string>, problems: Problem[]): Pick<VrfVpnConfig, 'encaps' | 'l3vni' | 'rmac' | 'rmacSet'> {
  const vni = raw['l3-vni'] ?? null;
  const encaps: L3vpnEncap[] = [...(raw.encapsulations ?? (vni !== null ? ['vxlan'] : L3VPN_ENCAPS))];
  if (vni === null) {
    if (encaps.includes('vxlan')) problems.push({ path: `${base}.l3-vni`, message: 'encapsulation vxlan (EVPN type-5) needs an L3 VNI' });
    if (raw['router-mac']) problems.push({ path: `${base}.router-mac`, message: 'a router MAC needs an L3 VNI (l3-vni)' });
    return { encaps, l3vni: null, rmac: null, rmacSet: false };
  }
  if (!encaps.includes('vxlan')) problems.push({ path: `${base}.encapsulations`, message: 'l3-vni is set: list vxlan (EVPN type-5) among the encapsulations' });
  if (!c.vtep) problems.push({ path: `${base}.l3-vni`, message: 'EVPN type-5 needs the local VTEP: set vtep.address' });
  for (const [bridge, b] of Object.entries(c.bridges ?? {}))
    (b.evpn ?? []).forEach((e, i) => {
      if (e.vni === vni) problems.push({ path: `${base}.l3-vni`, message: `VNI ${vni} is also the VNI of bridges.${bridge}.evpn.${i}` });
    });
  if (l3vnis.has(vni)) problems.push({ path: `${base}.l3-vni`, message: `VNI ${vni} is also the L3 VNI of ${l3vnis.get(vni)}` });
  l3vnis.set(vni, base);
  let rmac = raw['router-mac'] ?? (c.vtep ? defaultRouterMac(c.vtep.address) : null);
  if (raw['router-mac']) {
    const m = /^([0-9a-f]{2})(?::[0-9a-f]{2}){5}$/i.exec(raw['router-mac']);
    if (!m) problems.push({ path: `${base}.router-mac`, message: `'${raw['router-mac']}' is not a MAC address (xx:xx:xx:xx:xx:xx)` });
    else if (parseInt(m[1]!, 16) & 1) problems.push({ path: `${base}.router-mac`, message: `${raw['router-mac']} is a multicast MAC` });
    else if (/^(00:){5}00$/.test(raw['router-mac'])) problems.push({ path: `${base}.router-mac`, message: 'the zero MAC' });
    rmac = raw['router-mac'].toLowerCase();
  }
  return { encaps, l3vni: vni, rmac, rmacSet: !!raw['router-mac'] };
}

/** 16 bits from a VRF name (FNV-1a folded): the default RD's number, stable across restarts. */
export function rdNumber(name: string): number {
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(name)) h = Math.imul(h ^ ch, 0x01000193) >>> 0;
  return ((h >>> 16) ^ h) & 0xffff;
}

/** The PE (`pe:`, else the VTEP's address) and each VRF's `vpn:` with its defaults. */
export function normalizeL3vpn(c: RawDoc, problems: Problem[]): { pe: PeConfig | null; l3vpn: VrfVpnConfig[] } {
  const vrfs = Object.entries(c.vrfs ?? {}).filter(([, v]) => v.vpn);
  let pe: PeConfig | null = null;
  const src = c.pe ?? (vrfs.length && c.vtep ? { address: c.vtep.address, mtu: c.vtep.mtu } : undefined);
  const at = c.pe ? 'pe.address' : 'vtep.address';
  if (src) {
    const ip = parseIp(src.address);
    if (!ip) problems.push({ path: at, message: `'${src.address}' is not an IP address` });
    else pe = { address: formatIp(ip.bytes), af: ip.af, mtu: src.mtu ?? 1500 };
  }
  const global = (c.bgp as { global?: { as?: number; 'router-id'?: string } } | undefined)?.global;
  const rds = new Map<string, string>();
  const l3vnis = new Map<number, string>();
  const out: VrfVpnConfig[] = [];
  for (const [vrf, v] of vrfs) {
    const base = `vrfs.${vrf}.vpn`;
    const raw = v.vpn!;
    if (!src) problems.push({ path: base, message: 'an IP-VPN needs our PE address: set pe.address (or vtep.address)' });
    if (!global?.as || !global['router-id']) {
      problems.push({ path: base, message: 'an IP-VPN needs the BGP speaker: set bgp.global.as and router-id' });
      continue;
    }
    let rd = raw.rd ?? `${global['router-id']}:${rdNumber(vrf)}`;
    try {
      rd = rdToString(rdToBytes(rd), 0); // canonical text: the RIB's
    } catch (e) {
      problems.push({ path: `${base}.rd`, message: `'${rd}' is not a route distinguisher (ASN:N or IPv4:N): ${(e as Error).message}` });
    }
    if (rds.has(rd)) problems.push({ path: `${base}.rd`, message: `RD ${rd} is also used by ${rds.get(rd)}${raw.rd ? '' : ' (set rd)'}` });
    rds.set(rd, base);
    const rts = (key: 'route-targets' | 'import-route-targets' | 'export-route-targets', dflt: string[]): string[] =>
      (raw[key] ?? dflt).flatMap((rt, k) => {
        try {
          return [normaliseRouteTarget(rt)];
        } catch {
          problems.push({ path: `${base}.${key}.${k}`, message: `'${rt}' is not a route target (ASN:N or IPv4:N)` });
          return [];
        }
      });
    const both = rts('route-targets', []);
    const importRts = rts('import-route-targets', both);
    const exportRts = rts('export-route-targets', both);
    if (!raw['route-targets'] && !raw['import-route-targets'] && !raw['export-route-targets'])
      problems.push({ path: `${base}.route-targets`, message: 'an IP-VPN needs route targets (route-targets, or import-route-targets / export-route-targets)' });
    out.push({
      vrf,
      rd,
      importRts,
      exportRts,
      labelMode: raw['label-mode'] ?? 'per-vrf',
      ...type5Fields(c, base, raw, l3vnis, problems),
    });
  }
  return { pe, l3vpn: out };
}

/** The raw `pe:` and each VRF's `vpn:` that normalize back to `pe` and `l3vpn`
 *  (the API writes the running config back as a raw document: src/api/convert.ts). */
export function rawL3vpn(pe: PeConfig | null, l3vpn: VrfVpnConfig[]): { pe?: RawPe; vpn: Map<string, RawVpn> } {
  const vpn = new Map<string, RawVpn>();
  for (const v of l3vpn)
    vpn.set(v.vrf, {
      rd: v.rd,
      'import-route-targets': v.importRts.map((rt) => rt.replace(/^rt:/, '')),
      'export-route-targets': v.exportRts.map((rt) => rt.replace(/^rt:/, '')),
      'label-mode': v.labelMode,
      encapsulations: [...v.encaps],
      ...(v.l3vni !== null ? { 'l3-vni': v.l3vni } : {}),
      ...(v.rmacSet && v.rmac ? { 'router-mac': v.rmac } : {}),
    });
  return { ...(pe ? { pe: { address: pe.address, mtu: pe.mtu } } : {}), vpn };
}
