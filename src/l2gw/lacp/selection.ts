/**
 * Selection Logic, IEEE 802.1AX-2008 §5.4.14, simplified to one aggregator
 * per bond.
 *
 * The aggregator carries the bond's key and one partner (Partner_System, its
 * priority and Partner_Oper_Key): the partner of the lead member. A member is
 * SELECTED only while its own partner matches, so two different partner
 * systems, or one partner presenting two keys, never share the bond: the
 * members that do not match stay UNSELECTED (the standard would give them
 * another aggregator; a bond here has one). The lead is the eligible member
 * already distributing, else the one with the best port identifier as the
 * system with the better System ID sees it (lower priority, then lower MAC:
 * the rule of §5.6.1 for limited aggregation, and the one Open vSwitch uses),
 * so both ends of a bond pick the same link when they cannot aggregate all.
 * A member is eligible
 * when its link is up, it has a partner from a LACPDU (the receive machine is
 * CURRENT — a defaulted member is never aggregated: no fallback), its own key
 * is the bond's and both ends are aggregatable. With no eligible member and
 * none attached the aggregator forgets its partner.
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
      return partnerMatches(s) ? 'selected' : undefined;
    },
  },
  selected: {
    enter() {},
    next: (s) => (s.port.actor.key !== s.aggregator.key || !partnerMatches(s) ? 'unselected' : undefined),
  },
} satisfies StateTable<Selected, SelectionInput>;

/** Step one member's selection; true if it moved. */
export function stepSelection(port: LacpPort, aggregator: Aggregator): boolean {
  const to = step(selectionTable, port.selected, { port, aggregator });
  if (to !== undefined) port.selected = to;
  return to !== undefined;
}

/** The port identifier that ranks a member: the better system's view of the link. */
function rank(p: LacpPort): [number, string, number, number] {
  const a = p.actor, o = p.partner;
  const actorBetter = a.systemPriority < o.systemPriority || (a.systemPriority === o.systemPriority && a.system < o.system);
  const by = actorBetter ? a : o;
  return [by.systemPriority, by.system, by.portPriority, by.port];
}
function better(x: LacpPort, y: LacpPort): boolean {
  if (x.distributing !== y.distributing) return x.distributing;
  const a = rank(x), b = rank(y);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** Point the aggregator at the lead member's partner (before the members' selection steps). */
export function chooseAggregatorPartner(ports: Iterable<LacpPort>, aggregator: Aggregator): void {
  let lead: LacpPort | undefined;
  let busy = false;
  for (const port of ports) {
    if (port.selected === 'selected' || port.mux !== 'detached') busy = true;
    if (eligible({ port, aggregator }) && (!lead || better(port, lead))) lead = port;
  }
  if (lead) aggregator.partner = { system: lead.partner.system, systemPriority: lead.partner.systemPriority, key: lead.partner.key };
  else if (!busy) aggregator.partner = undefined;
}
