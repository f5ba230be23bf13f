// `hvswitch lacp show [BOND]`: the bonds and what LACP (IEEE 802.1AX-2008)
// negotiated on each member, in the words and layout of Open vSwitch's
// `ovs-appctl lacp/show` (a `---- bond ----` block with status, sys_id,
// sys_priority, aggregation key, lacp_time; then per member
// `member: NAME: current|expired|defaulted attached|detached`, port_id,
// port_priority, may_enable, and the actor and partner blocks with their
// state words), so operators' greps carry over.  `--json`: the bonds as the
// API gives them; `-q`: bond names.
import type { Command } from 'commander';

import type { GetLacpResponse__Output } from '../../api/gen/hvswitch/v1/GetLacpResponse.js';
import type { LacpBond__Output } from '../../api/gen/hvswitch/v1/LacpBond.js';
import type { LacpPortInfo__Output } from '../../api/gen/hvswitch/v1/LacpPortInfo.js';
import type { LacpServiceClient } from '../../api/gen/hvswitch/v1/LacpService.js';
import { call, type CliContext } from '../context.js';

const RATE = { LACP_RATE_FAST: 'fast', LACP_RATE_SLOW: 'slow', LACP_RATE_UNSPECIFIED: '-' } as const;
const HASH = { BOND_HASH_L2: 'l2', BOND_HASH_L3L4: 'l3l4', BOND_HASH_UNSPECIFIED: '-' } as const;

function infoBlock(who: 'actor' | 'partner', i: LacpPortInfo__Output | null): string[] {
  if (!i) return [];
  return [
    '',
    `  ${who} sys_id: ${i.systemId}`,
    `  ${who} sys_priority: ${i.systemPriority}`,
    `  ${who} port_id: ${i.portId}`,
    `  ${who} port_priority: ${i.portPriority}`,
    `  ${who} key: ${i.key}`,
    `  ${who} state: ${i.state.join(' ')}`,
  ];
}

export function renderLacp(bonds: LacpBond__Output[]): string {
  const out: string[] = [];
  for (const b of bonds) {
    out.push(`---- ${b.name} ----`, `  status: ${b.status}`, `  sys_id: ${b.systemId}`, `  sys_priority: ${b.systemPriority}`,
      `  aggregation key: ${b.key}`, `  lacp_time: ${RATE[b.rate]}`, `  hash: ${HASH[b.hash]}`, `  fallback: ${b.fallback ? 'on' : 'off'}`);
    for (const m of b.members) {
      out.push('');
      if (m.absent) {
        out.push(`member: ${m.name}: absent`, `  reason: ${m.absent}`);
        continue;
      }
      out.push(`member: ${m.name}: ${m.rxState} ${m.attached ? 'attached' : 'detached'}${m.fallback ? ' fallback' : ''}`,
        `  port_id: ${m.actor?.portId ?? 0}`, `  port_priority: ${m.actor?.portPriority ?? 0}`, `  may_enable: ${m.mayEnable}`,
        `  rx_pdus: ${m.rxPdus}  tx_pdus: ${m.txPdus}  rx_errors: ${m.rxErrors}`, ...infoBlock('actor', m.actor), ...infoBlock('partner', m.partner));
    }
    out.push('');
  }
  return out.join('\n');
}

/** `lacp show --json`: the API's bonds, plain. */
export function lacpJson(r: GetLacpResponse__Output): unknown {
  return r.bonds.map((b) => ({ ...b, rate: RATE[b.rate], hash: HASH[b.hash] }));
}

export function addLacpCommands(program: Command, x: CliContext): void {
  const lacp = x.sub(program, 'lacp', 'LACP bonds (IEEE 802.1AX): negotiation state per member');
  x.readOpts(x.sub(lacp, 'show', 'show the bonds (all, or BOND) as ovs-appctl lacp/show does', { isDefault: true }))
    .argument('[bond]', 'one bond')
    .action(async (bond: string | undefined, o: { json?: boolean; quiet?: boolean }) => {
      const r = await call<LacpServiceClient, object, GetLacpResponse__Output>(x.lacp(), 'GetLacp', { bond: bond ?? '' });
      if (o.json) return x.json(lacpJson(r));
      if (o.quiet) return x.out(r.bonds.map((b) => `${b.name}\n`).join(''));
      x.out(renderLacp(r.bonds));
    });
}
