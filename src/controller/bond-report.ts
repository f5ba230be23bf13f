// What `hvswitch lacp show` reports of a bond, in the shape of Open vSwitch's
// `ovs-appctl lacp/show` (vswitchd/lacp.c lacp_print_details): the bond's
// status, the actor's system ID, priority and key, the aggregator's partner,
// then per member its receive state (current/expired/defaulted), attached or
// detached, may_enable (collecting+distributing), and the actor and partner
// port information with their state words.
import type { Aggregator } from '../l2gw/lacp/selection.js';
import type { LacpPort } from '../l2gw/lacp/port.js';
import { formatState, type PortInfo } from '../l2gw/lacp/pdu.js';
import type { BondConfig } from './config-bonds.js';

export interface LacpInfoReport {
  system: string;
  systemPriority: number;
  key: number;
  port: number;
  portPriority: number;
  /** state words, OVS wording: activity timeout aggregation synchronized collecting distributing defaulted expired */
  state: string[];
}

export interface BondMemberReport {
  name: string;
  /** receive machine: current, expired, defaulted, port-disabled, initialize, lacp-disabled; `absent` if not opened */
  rx: string;
  mux: string;
  attached: boolean;
  /** collecting+distributing in the core (OVS `may_enable`) */
  mayEnable: boolean;
  /** forwarding by fallback (no partner) */
  fallback: boolean;
  actor: LacpInfoReport | null;
  partner: LacpInfoReport | null;
  rxPdus: number;
  txPdus: number;
  rxErrors: number;
  /** why the member is not in the dataplane ('' if it is) */
  absent: string;
}

export interface BondReport {
  name: string;
  /** OVS wording: `active negotiated`, `active`, `passive negotiated`, `passive` */
  status: string;
  negotiated: boolean;
  system: string;
  systemPriority: number;
  key: number;
  rate: 'fast' | 'slow';
  hash: 'l2' | 'l3l4';
  fallback: boolean;
  /** the aggregator's partner, null if none */
  partner: { system: string; systemPriority: number; key: number } | null;
  members: BondMemberReport[];
}

function info(p: PortInfo): LacpInfoReport {
  const state = formatState(p.state);
  return { system: p.system, systemPriority: p.systemPriority, key: p.key, port: p.port, portPriority: p.portPriority, state: state ? state.split(' ') : [] };
}

export function bondReport(c: BondConfig, ports: LacpPort[], fallbackMember: string | null, absent: Map<string, string>, agg: Aggregator): BondReport {
  const negotiated = ports.some((p) => p.rx === 'current' && p.attached);
  const members: BondMemberReport[] = ports.map((p) => ({
    name: p.name,
    rx: p.rx,
    mux: p.mux,
    attached: p.attached,
    mayEnable: p.distributing || fallbackMember === p.name,
    fallback: fallbackMember === p.name,
    actor: info(p.actor),
    partner: info(p.partner),
    rxPdus: p.counters.rxPdus,
    txPdus: p.counters.txPdus,
    rxErrors: p.counters.rxErrors,
    absent: '',
  }));
  for (const [name, reason] of absent)
    members.push({ name, rx: 'absent', mux: 'detached', attached: false, mayEnable: false, fallback: false, actor: null, partner: null, rxPdus: 0, txPdus: 0, rxErrors: 0, absent: reason });
  members.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    name: c.name,
    status: `${c.lacp.mode}${negotiated ? ' negotiated' : ''}`,
    negotiated,
    system: c.lacp.systemId,
    systemPriority: c.lacp.systemPriority,
    key: c.lacp.key,
    rate: c.lacp.rate,
    hash: c.hash,
    fallback: c.lacp.fallback,
    partner: agg.partner ? { ...agg.partner } : null,
    members,
  };
}
