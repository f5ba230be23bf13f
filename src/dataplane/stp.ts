// Spanning tree port states the core enforces (native/core/stp.h): the
// controller's RSTP/STP machines (src/l2gw/stp) decide, the core applies on
// the packet path — discarding: nothing learned, nothing forwarded in or out;
// learning: source MACs learned, nothing forwarded; forwarding: the default,
// and the state of every port without spanning tree. The state names and
// values come from the addon's table (HV_STP_STATES), the one place they are
// declared; StpState lists the names TypeScript knows, checked against that
// table by test/unit/stp-dataplane.test.ts.
import { loadAddon, type RawCore } from './addon.js';
import { DataplaneError, type Registry } from './registry.js';

export type StpState = 'forwarding' | 'discarding' | 'learning';

const table = loadAddon().stp;
export const stpStates = table.states as readonly { name: StpState; value: number; help: string }[];
const VALUE = new Map<string, number>(stpStates.map((s) => [s.name, s.value]));
const NAME = new Map<number, StpState>(stpStates.map((s) => [s.value, s.name]));

export class StpStates {
  constructor(
    private core: RawCore,
    private reg: Registry,
  ) {}

  set(port: string, state: StpState): void {
    const p = this.reg.portEntry(port);
    const v = VALUE.get(state);
    if (v === undefined) throw new DataplaneError(`port ${port}: stp state: unknown state ${String(state)} (known: ${[...VALUE.keys()].join(', ')})`);
    this.core.stpSet(p.id, v);
  }

  get(port: string): StpState {
    const p = this.reg.portEntry(port);
    return NAME.get(this.core.stpGet(p.id)) ?? 'forwarding';
  }
}
