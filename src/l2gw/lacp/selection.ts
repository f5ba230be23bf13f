/**
 * Selection Logic, IEEE 802.1AX-2008 §5.4.14, simplified to one aggregator
 * per bond.
 *
 * The aggregator carries the bond's key. The first eligible member fixes the
 * aggregator's partner (Partner_System, its priority and Partner_Oper_Key);
 * afterwards a member is SELECTED only while its own partner matches, so two
 * different partner systems, or one partner presenting two keys, never share
 * the bond: the members that do not match stay UNSELECTED (the standard would
 * give them another aggregator; a bond here has one). A member is eligible
 * when its link is up, it has a partner from a LACPDU (the receive machine is
 * CURRENT — a defaulted member is never aggregated: no fallback), its own key
 * is the bond's and both ends are aggregatable. When the last member detaches
 * the aggregator forgets its partner, so a new partner can take over.
 * No STANDBY: there is no limit on active members.
 */
import { step, type StateTable } from './machine.js';
import type { LacpPort, Selected } from './port.js';

export interface Aggregator {
  key: number;
  /** the partner system the members aggregate with, fixed by the first selected member */
  partner: { system: string; systemPriority: number; key: number } | undefined;
}

export interface SelectionInput { port: LacpPort; aggregator: Aggregator }

function eligible({ port: p, aggregator: a }: SelectionInput): boolean {
  return p.enabled && p.rx === 'current' && p.actor.key === a.key && p.actor.state.aggregation && p.partner.state.aggregation;
}
function partnerMatches({ port: p, aggregator: a }: SelectionInput): boolean {
  return a.partner !== undefined && a.partner.system === p.partner.system
    && a.partner.systemPriority === p.partner.systemPriority && a.partner.key === p.partner.key;
}

export const selectionTable = {
  unselected: {
    enter() {},
    next(s) {
      // §5.4.14: a member is reselected only once its mux has detached
      if (s.port.mux !== 'detached' || !eligible(s)) return undefined;
      return s.aggregator.partner === undefined || partnerMatches(s) ? 'selected' : undefined;
    },
  },
  selected: {
    enter({ port: p, aggregator: a }) {
      a.partner ??= { system: p.partner.system, systemPriority: p.partner.systemPriority, key: p.partner.key };
    },
    next: (s) => (s.port.actor.key !== s.aggregator.key || !partnerMatches(s) ? 'unselected' : undefined),
  },
} satisfies StateTable<Selected, SelectionInput>;

/** Step one member's selection; true if it moved. */
export function stepSelection(port: LacpPort, aggregator: Aggregator): boolean {
  const to = step(selectionTable, port.selected, { port, aggregator });
  if (to !== undefined) port.selected = to;
  return to !== undefined;
}

/** Forget the partner once no member is selected or attached. */
export function releaseAggregator(ports: Iterable<LacpPort>, aggregator: Aggregator): void {
  for (const p of ports) if (p.selected === 'selected' || p.mux !== 'detached') return;
  aggregator.partner = undefined;
}
