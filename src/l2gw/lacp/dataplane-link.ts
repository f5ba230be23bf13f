/**
 * A bond's LACP running over the dataplane's control-frame path
 * (ARCHITECTURE.md "Control <-> data"): member ports punt the `slow` class
 * (01:80:c2:00:00:02, EtherType 0x8809; native/core/punt.c), so LACPDUs reach
 * the controller in batches on the dataplane's 'punt' event and are never
 * flooded; the bond's own LACPDUs leave through `inject` on the member.
 *
 * The member ports must be configured with `punt: { classes: ['slow'] }`; the
 * caller reports their link state with `bond.setLink`. A refused inject (the
 * port's inject ring full) is counted; the periodic machine sends again
 * within a second at fast rate.
 *
 * `distributing` reports a member entering or leaving collecting+distributing:
 * the controller (src/controller/bonds.ts) marks it so in the core's bond
 * (native/core/bond.h), which filters ingress and distributes by it.
 */
import type { Clock } from '../../util/clock.js';
import { LacpBond, type LacpBondConfig } from './bond.js';

/** What the bond needs of the Dataplane (src/dataplane/index.ts). */
export interface LacpFramePath {
  on(event: 'punt', listener: (frames: Array<{ port: string; class: string; frame: Buffer }>) => void): unknown;
  off(event: 'punt', listener: (frames: Array<{ port: string; class: string; frame: Buffer }>) => void): unknown;
  inject(port: string, frame: Buffer): boolean;
}

export class LacpDataplaneBond {
  readonly bond: LacpBond;
  /** injects the dataplane refused (inject ring full) */
  injectRefused = 0;
  private readonly onPunt = (frames: Array<{ port: string; class: string; frame: Buffer }>) => {
    for (const f of frames) if (f.class === 'slow' && this.isMember(f.port)) this.bond.receive(f.port, f.frame);
  };

  constructor(
    private readonly path: LacpFramePath,
    config: LacpBondConfig,
    options: { clock?: Clock; distributing?: (member: string, on: boolean) => void; settled?: () => void } = {},
  ) {
    this.bond = new LacpBond(config, {
      transmit: (member, frame) => { if (!this.path.inject(member, frame)) this.injectRefused++; },
      distributing: options.distributing,
      settled: options.settled,
    }, options.clock);
    path.on('punt', this.onPunt);
  }

  private isMember(port: string): boolean { return this.bond.members().some((p) => p.name === port); }

  /** Stop listening and stop the machines' timers. */
  close(): void {
    this.path.off('punt', this.onPunt);
    this.bond.stop();
  }
}
