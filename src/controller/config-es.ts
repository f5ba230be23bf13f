// A bond's Ethernet segment (`bonds.<b>.evpn-es`), for EVPN multihoming in
// all-active mode (RFC 7432 §8, §14; RFC 8365 §8): two or more hypervisors
// attach the same physical segment through bonds that present one LACP
// partner (the same lacp.system-id, system-priority and key on each), and name
// the segment by the same ESI.
//
//   evpn-es:
//     esi: auto           # or a type-0 ESI: 10 octets, 00:11:22:33:44:55:66:77:88:99
//     df-election: hrw    # modulo (RFC 7432 §8.5, default) | hrw (RFC 8584 §3)
//     df-timer: 3         # seconds to wait for the peers' ES routes (RFC 7432 §8.5, default 3)
//
// `esi: auto` is type 1 (RFC 7432 §5): 0x01, an LACP system MAC (6 octets),
// an LACP port key (2 octets), 0x00.  The RFC takes the CE's system and key;
// we take the bond's own actor system ID and key, which the operator sets
// equal on every hypervisor of the segment (so the ESI is known before any
// partner is heard, and is the same on every PE: what matters).  That is why
// `auto` requires an explicit lacp.system-id.  The ES-Import route target
// (RFC 7432 §7.6) is derived from the high-order 6 octets of the ESI value.
import { Type, type Static } from '@sinclair/typebox';

export const EvpnEsSchema = Type.Object(
  {
    esi: Type.String({ description: "the Ethernet segment identifier: 'auto' (type 1 from the LACP system ID and key) or a type-0 ESI, 10 colon-separated octets" }),
    'df-election': Type.Optional(Type.Union([Type.Literal('modulo'), Type.Literal('hrw')], { description: 'DF election: modulo (RFC 7432 §8.5, default) or hrw (highest random weight, RFC 8584 §3)' })),
    'df-timer': Type.Optional(Type.Number({ minimum: 0, maximum: 300, description: 'seconds to wait for the other PEs of the segment before electing (default 3, RFC 7432 §8.5)' })),
  },
  { additionalProperties: false },
);
export type RawEvpnEs = Static<typeof EvpnEsSchema>;

export type DfAlgorithm = 'modulo' | 'hrw';

export interface EvpnEsConfig {
  /** canonical text: 10 lower-case colon-separated octets */
  esi: string;
  /** type 0 (configured) or 1 (auto, LACP) */
  esiType: 0 | 1;
  /** the ES-Import route target, a MAC (RFC 7432 §7.6) */
  esImport: string;
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

/** Validates one `evpn-es` at path `at`; `bond` gives the LACP system ID as
 *  written (undefined: not set), the key and the bridge. */
export function normalizeEvpnEs(at: string, raw: RawEvpnEs, bond: { systemId: string | undefined; key: number; bridge: string | undefined }, problems: Problem[]): EvpnEsConfig {
  let esi = raw.esi.toLowerCase();
  let esiType: 0 | 1 = 0;
  if (bond.bridge === undefined) problems.push({ path: `${at}`, message: 'an Ethernet segment needs the bond in a bridge (bridge:)' });
  if (esi === 'auto') {
    esiType = 1;
    if (bond.systemId === undefined) {
      problems.push({ path: `${at.replace(/\.evpn-es$/, '')}.lacp.system-id`, message: "esi: auto needs an explicit LACP system ID, the same on every hypervisor of the segment" });
      esi = lacpEsi('00:00:00:00:00:00', bond.key);
    } else esi = lacpEsi(bond.systemId, bond.key);
  } else if (!ESI.test(esi)) {
    problems.push({ path: `${at}.esi`, message: "must be 'auto' or 10 colon-separated hex octets (00:11:22:33:44:55:66:77:88:99)" });
  } else if (!esi.startsWith('00:')) {
    problems.push({ path: `${at}.esi`, message: `only type 0 ESIs (first octet 00) are written out; got type ${parseInt(esi.slice(0, 2), 16)} (use auto for type 1)` });
  } else if (/^00(:00){9}$/.test(esi) || /^00(:ff){9}$/.test(esi)) {
    problems.push({ path: `${at}.esi`, message: 'the all-zero and all-ones ESIs are reserved (RFC 7432 §5)' });
  }
  return {
    esi,
    esiType,
    esImport: esImportOf(esi),
    dfElection: raw['df-election'] ?? 'modulo',
    dfTimerMs: Math.round((raw['df-timer'] ?? 3) * 1000),
  };
}

/** Adds a problem for every ESI configured on two bonds of one host. */
export function checkEsUnique(bonds: { name: string; es: EvpnEsConfig | null }[], problems: Problem[]): void {
  const seen = new Map<string, string>();
  for (const b of bonds) {
    if (!b.es) continue;
    const other = seen.get(b.es.esi);
    if (other !== undefined) problems.push({ path: `bonds.${b.name}.evpn-es.esi`, message: `ESI ${b.es.esi} is already the segment of bond ${other}` });
    seen.set(b.es.esi, b.name);
  }
}
