// A bond's Ethernet segment (`bonds.<b>.evpn-es`), for EVPN multihoming in
// all-active mode (RFC 7432 §8, §14; RFC 8365 §8): two or more hypervisors
// attach the same physical segment through bonds that present one LACP
// partner (the same lacp.system-id, system-priority and key on each), and name
// the segment by the same ESI.
//
//   evpn-es:
//     esi: auto           # | auto-local | a type-0 ESI: 10 octets, 00:11:22:33:44:55:66:77:88:99
//     df-election: hrw    # modulo (RFC 7432 §8.5, default) | hrw (RFC 8584 §3)
//     df-timer: 3         # seconds to wait for the peers' ES routes (RFC 7432 §8.5, default 3)
//
// Type 1 (RFC 7432 §5) is 0x01, an LACP system MAC (6 octets), an LACP port
// key (2 octets), 0x00.
//  - `esi: auto` takes them from the CE, as the RFC says (Nokia SR OS
//    `auto-esi type-1`, Junos `auto-derive type-1-lacp`): the partner's system
//    ID and key as its LACPDUs carry them.  They are known only at run time,
//    once a partner is heard (src/vpn/es.ts derives the ESI then); here the
//    ESI is null.
//  - `esi: auto-local` takes the bond's own actor system ID and key (Junos
//    `lacp-pe-system-id-and-admin-key`), which the operator sets equal on
//    every hypervisor of the segment: known before any partner is heard, which
//    is why it requires an explicit lacp.system-id.
// The ES-Import route target (RFC 7432 §7.6) is derived from the high-order 6
// octets of the ESI value (esImportOf).
import { Type, type Static } from '@sinclair/typebox';

export const EvpnEsSchema = Type.Object(
  {
    esi: Type.String({ description: "the Ethernet segment identifier: 'auto' (RFC 7432 §5 type 1 from the LACP partner's system ID and key, derived once a partner is heard; no multihoming routes until then), 'auto-local' (type 1 from this bond's own lacp.system-id and key, which must then be set explicitly) or a type-0 ESI, 10 colon-separated octets" }),
    'df-election': Type.Optional(Type.Union([Type.Literal('modulo'), Type.Literal('hrw')], { description: 'DF election: modulo (RFC 7432 §8.5, default) or hrw (highest random weight, RFC 8584 §3)' })),
    'df-timer': Type.Optional(Type.Number({ minimum: 0, maximum: 300, description: 'seconds to wait for the other PEs of the segment before electing (default 3, RFC 7432 §8.5)' })),
  },
  { additionalProperties: false },
);
export type RawEvpnEs = Static<typeof EvpnEsSchema>;

export type DfAlgorithm = 'modulo' | 'hrw';

/** Where the ESI comes from: written out (type 0), the LACP partner (type 1,
 *  RFC 7432 §5), or this bond's own LACP system ID and key (type 1). */
export type EsiSource = 'configured' | 'auto' | 'auto-local';

export interface EvpnEsConfig {
  esiSource: EsiSource;
  /** canonical text: 10 lower-case colon-separated octets; null for `auto` (derived at run time from the partner) */
  esi: string | null;
  dfElection: DfAlgorithm;
  /** DF wait timer, milliseconds */
  dfTimerMs: number;
}

type Problem = { path: string; message: string };

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** Type-1 ESI (RFC 7432 §5) from an LACP system MAC and port key. */
export function lacpEsi(systemId: string, key: number): string {
  return ['01', ...systemId.toLowerCase().split(':'), hex2(key >> 8), hex2(key & 0xff), '00'].join(':');
}

/** The ES-Import route target of `esi`: its value's high-order 6 octets (RFC 7432 §7.6). */
export function esImportOf(esi: string): string {
  return esi.split(':').slice(1, 7).join(':');
}

const ESI = /^[0-9a-f]{2}(:[0-9a-f]{2}){9}$/i;

/** The reserved ESIs (RFC 7432 §5): a value of all zeros (no segment) or all
 *  ones (MAX-ESI), whatever the type octet. */
export function reservedEsi(esi: string): boolean {
  return /^[0-9a-f]{2}(:00){9}$/.test(esi) || /^[0-9a-f]{2}(:ff){9}$/.test(esi);
}

/** Validates one `evpn-es` at path `at`; `bond` gives the LACP system ID as
 *  written (undefined: not set), the key and the bridge. */
export function normalizeEvpnEs(at: string, raw: RawEvpnEs, bond: { systemId: string | undefined; key: number; bridge: string | undefined }, problems: Problem[]): EvpnEsConfig {
  const text = raw.esi.toLowerCase();
  let esi: string | null = text;
  let esiSource: EsiSource = 'configured';
  if (bond.bridge === undefined) problems.push({ path: `${at}`, message: 'an Ethernet segment needs the bond in a bridge (bridge:)' });
  if (text === 'auto') {
    esiSource = 'auto';
    esi = null;
  } else if (text === 'auto-local') {
    esiSource = 'auto-local';
    if (bond.systemId === undefined) {
      problems.push({ path: `${at.replace(/\.evpn-es$/, '')}.lacp.system-id`, message: "esi: auto-local needs an explicit LACP system ID, the same on every hypervisor of the segment (or use esi: auto, from the partner's)" });
      esi = lacpEsi('00:00:00:00:00:00', bond.key);
    } else esi = lacpEsi(bond.systemId, bond.key);
  } else if (!ESI.test(text)) {
    problems.push({ path: `${at}.esi`, message: "must be 'auto', 'auto-local' or 10 colon-separated hex octets (00:11:22:33:44:55:66:77:88:99)" });
  } else if (!text.startsWith('00:')) {
    problems.push({ path: `${at}.esi`, message: `only type 0 ESIs (first octet 00) are written out; got type ${parseInt(text.slice(0, 2), 16)} (use auto or auto-local for type 1)` });
  } else if (reservedEsi(text)) {
    problems.push({ path: `${at}.esi`, message: 'the all-zero and all-ones ESIs are reserved (RFC 7432 §5)' });
  }
  return {
    esiSource,
    esi,
    dfElection: raw['df-election'] ?? 'modulo',
    dfTimerMs: Math.round((raw['df-timer'] ?? 3) * 1000),
  };
}

/** Adds a problem for every ESI configured on two bonds of one host (an
 *  `auto` ESI is known only at run time: es.ts refuses a duplicate there). */
export function checkEsUnique(bonds: { name: string; es: EvpnEsConfig | null }[], problems: Problem[]): void {
  const seen = new Map<string, string>();
  for (const b of bonds) {
    if (!b.es?.esi) continue;
    const other = seen.get(b.es.esi);
    if (other !== undefined) problems.push({ path: `bonds.${b.name}.evpn-es.esi`, message: `ESI ${b.es.esi} is already the segment of bond ${other}` });
    seen.set(b.es.esi, b.name);
  }
}
