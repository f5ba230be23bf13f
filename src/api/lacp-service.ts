// hvswitch.v1.LacpService: the running bonds and their members' LACP state
// (src/controller/bonds.ts, bond-report.ts) as GetLacp answers them.
import type { BondReport } from '../controller/bonds.js';
import type { Controller } from '../controller/index.js';
import type { LacpInfoReport } from '../controller/bond-report.js';
import type { Logger } from '../util/logger.js';
import { notFound } from './errors.js';
import type { LacpBond } from './gen/hvswitch/v1/LacpBond.js';
import type { LacpPortInfo } from './gen/hvswitch/v1/LacpPortInfo.js';
import type { LacpServiceHandlers } from './gen/hvswitch/v1/LacpService.js';
import { unary } from './handlers.js';

const RATES = { fast: 'LACP_RATE_FAST', slow: 'LACP_RATE_SLOW' } as const satisfies Record<BondReport['rate'], string>;
const HASHES = { l2: 'BOND_HASH_L2', l3l4: 'BOND_HASH_L3L4' } as const satisfies Record<BondReport['hash'], string>;

function portInfo(i: LacpInfoReport | null): LacpPortInfo | undefined {
  if (!i) return undefined;
  return { systemId: i.system, systemPriority: i.systemPriority, key: i.key, portId: i.port, portPriority: i.portPriority, state: i.state };
}

export function lacpBondMessage(r: BondReport): LacpBond {
  return {
    name: r.name,
    status: r.status,
    negotiated: r.negotiated,
    systemId: r.system,
    systemPriority: r.systemPriority,
    key: r.key,
    rate: RATES[r.rate],
    hash: HASHES[r.hash],
    fallback: r.fallback,
    partner: r.partner ? { systemId: r.partner.system, systemPriority: r.partner.systemPriority, key: r.partner.key } : undefined,
    members: r.members.map((m) => ({
      name: m.name, rxState: m.rx, muxState: m.mux, attached: m.attached, mayEnable: m.mayEnable, fallback: m.fallback,
      actor: portInfo(m.actor), partner: portInfo(m.partner), rxPdus: m.rxPdus, txPdus: m.txPdus, rxErrors: m.rxErrors, absent: m.absent,
    })),
  };
}

export function lacpHandlers(controller: Controller, log: Logger): LacpServiceHandlers {
  return {
    GetLacp: unary(log, 'GetLacp', (req) => {
      const reports = controller.bonds.reports(req.bond || undefined);
      if (!reports) throw notFound(`no bond named '${req.bond}'`);
      return { bonds: reports.map(lacpBondMessage) };
    }),
  };
}
