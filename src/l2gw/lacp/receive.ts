/**
 * Receive machine, IEEE 802.1AX-2008 §5.4.12 (Figure 5-14), with the
 * functions it calls from §5.4.9: recordPDU, recordDefault, update_Selected,
 * update_Default_Selected, update_NTT.
 *
 * It records the partner's view from each valid LACPDU, starts current_while
 * (Short_Timeout_Time 3 s when the actor asked for fast transmissions, else
 * Long_Timeout_Time 90 s) and ages the partner out: CURRENT → EXPIRED (partner
 * out of sync, so the mux stops distributing) → DEFAULTED (partner
 * administrative defaults, port unselected).
 *
 * Simplification: port_moved is always FALSE (a member belongs to one bond).
 */
import { step, type StateTable } from './machine.js';
import type { Lacpdu, PortInfo } from './pdu.js';
import { LacpTime, type LacpPort, type RxState } from './port.js';

const sameSystem = (a: PortInfo, b: PortInfo) =>
  a.port === b.port && a.portPriority === b.portPriority && a.system === b.system && a.systemPriority === b.systemPriority && a.key === b.key;

/** §5.4.9 recordPDU: Partner_Oper ← the PDU's Actor fields; decide the partner's synchronization. */
function recordPdu(p: LacpPort, pdu: Lacpdu): void {
  const actorMatches = sameSystem(pdu.partner, p.actor) && pdu.partner.state.aggregation === p.actor.state.aggregation;
  const activeSomewhere = pdu.actor.state.activity || (p.actor.state.activity && pdu.partner.state.activity);
  const inSync = pdu.actor.state.synchronization && activeSomewhere && (actorMatches || !pdu.actor.state.aggregation);
  p.partner = { ...pdu.actor, state: { ...pdu.actor.state, synchronization: inSync } };
  p.actor.state.defaulted = false;
}

/** §5.4.9 recordDefault */
function recordDefault(p: LacpPort): void {
  p.partner = { ...p.partnerAdmin, state: { ...p.partnerAdmin.state } };
  p.actor.state.defaulted = true;
}

/** §5.4.9 update_Selected: a different partner (or aggregation state) unselects the port. */
function updateSelected(p: LacpPort, pdu: Lacpdu): void {
  if (!sameSystem(pdu.actor, p.partner) || pdu.actor.state.aggregation !== p.partner.state.aggregation) p.selected = 'unselected';
}

/** §5.4.9 update_Default_Selected */
function updateDefaultSelected(p: LacpPort): void {
  if (!sameSystem(p.partnerAdmin, p.partner) || p.partnerAdmin.state.aggregation !== p.partner.state.aggregation) p.selected = 'unselected';
}

/** §5.4.9 update_NTT: the partner's view of us is stale → transmit. */
function updateNtt(p: LacpPort, pdu: Lacpdu): void {
  const a = p.actor.state, seen = pdu.partner.state;
  const stale = !sameSystem(pdu.partner, p.actor) || seen.activity !== a.activity || seen.timeout !== a.timeout
    || seen.synchronization !== a.synchronization || seen.aggregation !== a.aggregation;
  if (stale) p.ntt = true;
}

const pduWaiting = (p: LacpPort): RxState | undefined => (p.pendingPdu ? 'current' : undefined);

export const receiveTable = {
  'initialize': {
    enter(p) { p.selected = 'unselected'; recordDefault(p); p.actor.state.expired = false; },
    next: () => 'port-disabled',
  },
  'port-disabled': {
    enter(p) { p.partner.state.synchronization = false; p.currentWhile.stop(); p.pendingPdu = undefined; },
    next: (p) => (!p.enabled ? undefined : p.lacpEnabled ? 'expired' : 'lacp-disabled'),
  },
  'expired': {
    enter(p) {
      p.partner.state.synchronization = false;
      p.partner.state.timeout = true;
      p.currentWhile.start(LacpTime.ShortTimeout);
      p.actor.state.expired = true;
    },
    next: (p) => pduWaiting(p) ?? (p.currentWhile.expired ? 'defaulted' : undefined),
  },
  'lacp-disabled': {
    enter(p) { p.selected = 'unselected'; recordDefault(p); p.partner.state.aggregation = false; p.actor.state.expired = false; },
    next: (p) => (p.lacpEnabled ? 'port-disabled' : undefined),
  },
  'defaulted': {
    enter(p) { updateDefaultSelected(p); recordDefault(p); p.actor.state.expired = false; },
    next: pduWaiting,
  },
  'current': {
    enter(p) {
      const pdu = p.pendingPdu!;
      p.pendingPdu = undefined;
      updateSelected(p, pdu);
      updateNtt(p, pdu);
      recordPdu(p, pdu);
      p.currentWhile.start(p.actor.state.timeout ? LacpTime.ShortTimeout : LacpTime.LongTimeout);
      p.actor.state.expired = false;
    },
    next: (p) => pduWaiting(p) ?? (p.currentWhile.expired ? 'expired' : undefined),
  },
} satisfies StateTable<RxState, LacpPort>;

/** Global transition: the link went down (port_moved never set). */
function global(p: LacpPort, current: RxState): RxState | undefined {
  return !p.enabled && current !== 'port-disabled' && current !== 'initialize' ? 'port-disabled' : undefined;
}

/** Step the receive machine once; true if it moved. */
export function stepReceive(p: LacpPort): boolean {
  const to = step(receiveTable, p.rx, p, global);
  if (to !== undefined) p.rx = to;
  return to !== undefined;
}
