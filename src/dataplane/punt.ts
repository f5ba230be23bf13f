// Punted frames and injected frames: the control frames the controller
// exchanges with the wire (ARCHITECTURE.md "Control <-> data"; the core's side
// is native/core/punt.h).
//
// Punt: a port's `punt` setting selects classes of link-local frames (stp:
// BPDUs to 01:80:c2:00:00:00; slow: LACP/marker to 01:80:c2:00:00:02, type
// 0x8809) that the workers copy into bounded rings instead of forwarding, at
// most `rate` per second per port (the core's default when absent); arp and nd
// (ARP, IPv6 NS/NA) are copies for snooping: those frames are forwarded too.  Without
// it nothing is punted and those frames are flooded like other multicast.  The
// class names and bits come from the addon's table (HV_PUNT_CLASSES), the one
// place they are declared; PuntClass lists the names TypeScript knows, checked
// against that table by test/unit/punt-inject.test.ts.  The controller drains
// the rings in batches when woken (the MAC-event wake-up, index.ts).
//
// Inject: a frame queued for transmission out of a port exactly as given (no
// VLAN rewrite).  A full inject ring refuses the frame (false) and counts
// `inject_full`; the core counts `injected` and the tx counters when it sends.
import { loadAddon, type RawCore, type RawPortSettings } from './addon.js';
import { DataplaneError, type Registry } from './registry.js';

export type PuntClass = 'stp' | 'slow' | 'arp' | 'nd';

/** PortSpec.punt: what a port sends to the controller instead of forwarding. */
export interface PuntSpec {
  classes: PuntClass[];
  /** punted frames per second on this port (token bucket, burst one second) */
  rate?: number;
}

export interface PuntFrame {
  port: string;
  class: PuntClass;
  /** the frame was longer than the core keeps (`frame` holds its start) */
  truncated: boolean;
  /** length of the frame as received */
  len: number;
  frame: Buffer;
}

const table = loadAddon().punt;
/** Punt classes (name, bit, help) in HV_PUNT_CLASSES order, from the addon. */
export const puntClasses = table.classes as readonly { name: PuntClass; bit: number; help: string }[];
const BIT = new Map<string, number>(puntClasses.map((c) => [c.name, c.bit]));
const CLASS = new Map<number, PuntClass>(puntClasses.map((c) => [c.bit, c.name]));

/** The raw settings for a port's punt spec; none = nothing punted. */
export function puntSettings(port: string, spec: PuntSpec | undefined): Pick<RawPortSettings, 'puntMask' | 'puntRate'> {
  if (!spec) return { puntMask: 0, puntRate: 0 };
  let mask = 0;
  for (const c of spec.classes) {
    const bit = BIT.get(c);
    if (bit === undefined) throw new DataplaneError(`port ${port}: punt.classes: unknown class ${c} (known: ${[...BIT.keys()].join(', ')})`);
    mask |= bit;
  }
  const rate = spec.rate ?? 0; // 0: the core's default (punt.rateDefault)
  if (spec.rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > 0xffffffff)) {
    throw new DataplaneError(`port ${port}: punt.rate must be a positive integer (packets/s), got ${spec.rate}`);
  }
  return { puntMask: mask, puntRate: rate };
}

/** punts() calls per drain, each at most one ring's worth (HV_PUNT_RING): a drain is bounded. */
const DRAIN_ROUNDS = 8;

export class Punt {
  constructor(
    private core: RawCore,
    private reg: Registry,
  ) {}

  /** Queues `frame` out of `port`; false if the port's inject ring is full. */
  inject(port: string, frame: Buffer): boolean {
    const p = this.reg.portEntry(port);
    if (!Buffer.isBuffer(frame)) throw new DataplaneError(`inject ${port}: frame must be a Buffer`);
    if (frame.length < table.frameMin || frame.length > table.frameMax) {
      throw new DataplaneError(`inject ${port}: frame length ${frame.length} outside ${table.frameMin}..${table.frameMax}`);
    }
    return this.core.inject(p.id, frame);
  }

  /** Punted frames waiting in the workers' rings, oldest first per worker. */
  drain(): PuntFrame[] {
    const out: PuntFrame[] = [];
    for (let round = 0; round < DRAIN_ROUNDS; round++) {
      const raw = this.core.punts(table.ring);
      for (const r of raw) {
        // r.reason is always one bit of the table the core punts by
        out.push({ port: this.reg.portName(r.port), class: CLASS.get(r.reason) as PuntClass, truncated: r.truncated, len: r.len, frame: r.data });
      }
      if (raw.length < table.ring) break;
    }
    return out;
  }
}
