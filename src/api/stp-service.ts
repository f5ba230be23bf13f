// hvswitch.v1.StpService: the spanning tree bridges (controller/stp.ts) as
// their machines hold them — bridge and root IDs, root port and cost, each
// port's role, state, cost, edge and guard status and counters — and the one
// action an operator needs besides config: clearing a BPDU guard shutdown.
import type { Controller } from '../controller/index.js';
import type { StpBridgeStatus } from '../controller/stp.js';
import type { Logger } from '../util/logger.js';
import { notFound } from './errors.js';
import type { GetStpResponse } from './gen/hvswitch/v1/GetStpResponse.js';
import type { StpBridge } from './gen/hvswitch/v1/StpBridge.js';
import type { StpServiceHandlers } from './gen/hvswitch/v1/StpService.js';
import { unary } from './handlers.js';

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function bridgeMessage(b: StpBridgeStatus): StpBridge {
  return {
    bridge: b.bridge, mode: b.mode, bridgeId: b.bridgeId, rootId: b.rootId, rootPort: b.rootPort, rootCost: b.rootCost,
    helloTime: b.helloTime, maxAge: b.maxAge, forwardDelay: b.forwardDelay,
    ports: b.ports.map((p) => ({
      name: p.name, number: p.number, priority: p.priority, cost: p.cost, role: p.role, state: p.state, edge: p.edge, operEdge: p.operEdge,
      bpduGuard: p.bpduGuard, rootGuard: p.rootGuard, errDisabled: p.errDisabled, rootBlocked: p.rootBlocked, protocol: p.protocol,
      designatedBridge: p.designatedBridge, link: p.link,
      counters: Object.fromEntries(Object.entries(p.counters).map(([k, v]) => [snake(k), v])),
    })),
  };
}

export function stpMessage(controller: Controller, bridge?: string): GetStpResponse {
  return { bridges: controller.stp.status(bridge).sort((a, b) => (a.bridge < b.bridge ? -1 : 1)).map(bridgeMessage) };
}

export function stpHandlers(controller: Controller, log: Logger): StpServiceHandlers {
  return {
    GetStp: unary(log, 'GetStp', (req) => {
      const r = stpMessage(controller, req.bridge || undefined);
      if (req.bridge && r.bridges!.length === 0) throw notFound(`bridge '${req.bridge}' runs no spanning tree (bridges.${req.bridge}.stp)`);
      return r;
    }),
    ReenableStpPort: unary(log, 'ReenableStpPort', (req) =>
      controller.serialize(() => {
        if (!controller.stp.reenable(req.bridge ?? '', req.port ?? '')) throw notFound(`no spanning tree port '${req.port}' in bridge '${req.bridge}'`);
        return {};
      })),
  };
}
