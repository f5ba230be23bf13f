// The core's enums and limits as the addon exports them (native/addon/constants.cc
// builds them from the C headers): TypeScript never copies a C number.  Where
// the TypeScript side names an enum's values in its own words ('af-packet',
// 'learned'), a CEnum maps each word to the C enumerator's name; it throws at
// load if a name is not in the C table, and test/unit/dataplane-constants.test.ts
// fails if the C table has an enumerator the TypeScript table does not map.
import { loadAddon, type RawConstants } from './addon.js';

export const constants: RawConstants = loadAddon().constants;
/** Limits and sentinels by their C macro name (HV_MAX_PORTS, HV_NO_BD, ...). */
export const limits = constants.limits;

const all: CEnum<string>[] = [];
/** Every CEnum built so far (each module builds its own at load), for the unit
 *  test that checks them against the C tables. */
export const cEnums: readonly CEnum<string>[] = all;

/** A TypeScript name <-> C value table over one of the core's enums. */
export class CEnum<N extends string> {
  /** TypeScript name -> C value */
  readonly value: Readonly<Record<N, number>>;
  private readonly byValue = new Map<number, N>();

  /** `enumName`: the key in constants.enums (enum hv_<enumName>); `cNames`:
   *  each TypeScript name -> its C enumerator without prefix. */
  constructor(
    readonly enumName: keyof RawConstants['enums'],
    readonly cNames: Readonly<Record<N, string>>,
  ) {
    const c = constants.enums[enumName];
    const value = {} as Record<N, number>;
    for (const [name, cName] of Object.entries(cNames) as [N, string][]) {
      const v = c[cName];
      if (v === undefined) throw new Error(`enum hv_${enumName} has no ${cName} (for '${name}')`);
      value[name] = v;
      this.byValue.set(v, name);
    }
    this.value = value;
    all.push(this as CEnum<string>);
  }

  /** The TypeScript name of C value `v`, or undefined if it has none. */
  name(v: number | undefined): N | undefined {
    return v === undefined ? undefined : this.byValue.get(v);
  }

  /** C enumerators this table does not name (the unit test expects none). */
  unmapped(): string[] {
    const mapped = new Set<string>(Object.values(this.cNames));
    return Object.keys(constants.enums[this.enumName]).filter((k) => !mapped.has(k));
  }
}

export type EgressKind = 'port' | 'tunnel' | 'bond' | 'group';
/** Egress handle kinds (egress.h). */
export const EGRESS_KIND = new CEnum<EgressKind>('egress_kind', { port: 'PORT', tunnel: 'TUNNEL', bond: 'BOND', group: 'GROUP' });

export type FdbKind = 'learned' | 'static' | 'remote';
/** FDB entry kinds (fdb.h). */
export const FDB_KIND = new CEnum<FdbKind>('fdb_kind', { learned: 'LEARNED', static: 'STATIC', remote: 'REMOTE' });
