// Bonds (native/core/bond.h): a bond is a port of backend `bond` (added with
// addPort: its bridge, VLAN mode and MAC limit are the bond's), its members
// ports of mode `member` naming it.  This wrapper carries what LACP decides
// for a member (collecting, distributing) to the core, the bond's transmit
// hash, and reads back the members the workers distribute to.
import type { RawCore } from './addon.js';
import { CEnum } from './constants.js';
import { DataplaneError, type Registry } from './registry.js';

export type BondHash = 'l2' | 'l3l4';
export const BOND_HASH = new CEnum<BondHash>('bond_hash', { l2: 'L2', l3l4: 'L3L4' });

export class Bonds {
  constructor(private core: RawCore, private reg: Registry) {}

  /** What LACP's mux decided for `member` (§5.4.9 Enable/Disable_Collecting_Distributing). */
  setMember(member: string, collecting: boolean, distributing: boolean): void {
    const p = this.reg.portEntry(member);
    if (p.mode !== 'member') throw new DataplaneError(`port ${member} is not a bond member`);
    this.core.bondMember(p.id, collecting, distributing);
  }

  setHash(bond: string, hash: BondHash): void {
    this.core.bondHash(this.bondId(bond), BOND_HASH.value[hash]);
  }

  /** The members frames for `bond` leave on now, in port-id order. */
  distributing(bond: string): string[] {
    return this.core.bondDistributing(this.bondId(bond)).map((id) => this.reg.portName(id));
  }

  private bondId(bond: string): number {
    const p = this.reg.portEntry(bond);
    if (p.backend !== 'bond') throw new DataplaneError(`port ${bond} is not a bond`);
    return p.id;
  }
}
