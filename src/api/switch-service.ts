// hvswitch.v1.SwitchService: thin adapters over the controller.  Changes to
// ports and bridges are edits of the raw config document, validated by the
// config's own validator and applied by the reconciler inside the control
// queue (Controller.update); FDB changes go straight to the dataplane, also
// inside the queue.  Nothing here keeps state of its own.
import { status } from '@grpc/grpc-js';

import type { Config, Controller, RawConfig } from '../controller/index.js';
import type { Logger } from '../util/logger.js';
import { counterNames, MPLS_UNDERLAY_PORT, UNDERLAY_PORT, type MacEvent } from '../dataplane/index.js';
import { captureHandlers } from './capture-service.js';
import { bridgeMessage, fdbEventMessage, fdbMessage, portMessage, portToRaw, PORT_FIELDS, type PortField } from './convert.js';
import { toServiceError } from './errors.js';
import { ApiError, change, checkUnicastMac, checkVlan, deleteEmpty, invalid, notFound, requireName, stream, unary } from './handlers.js';
import type { Bridge } from './gen/hvswitch/v1/Bridge.js';
import type { Port } from './gen/hvswitch/v1/Port.js';
import type { SwitchServiceHandlers } from './gen/hvswitch/v1/SwitchService.js';

export function switchHandlers(controller: Controller, log: Logger): SwitchServiceHandlers {
  return { ...portHandlers(controller, log), ...bridgeHandlers(controller, log), ...fdbAndStatsHandlers(controller, log), ...captureHandlers(controller, log) };
}

type PortRpc = 'ListPort' | 'AddPort' | 'UpdatePort' | 'DeletePort';
type BridgeRpc = 'ListBridge' | 'AddBridge' | 'DeleteBridge';
type FdbAndStatsRpc = 'ListFdb' | 'AddFdb' | 'DeleteFdb' | 'FlushFdb' | 'ListCounterDescriptor' | 'ListPortCounters' | 'ListWorker' | 'WatchEvent';
type RawPort = NonNullable<RawConfig['ports']>[string];

/** The raw port `cur` updated from `given`: every field (keeping the backend) when `mask` is
 *  empty, else the masked fields only; a new mode drops the fields of the old one unless they are set too. */
function updatedPort(cur: RawPort, given: Record<string, unknown>, mask: string[]): RawPort {
  if (mask.length === 0) return { backend: cur.backend, ...given } as RawPort;
  const next: Record<string, unknown> = { ...cur };
  if (mask.includes('mode'))
    for (const f of ['vlan', 'allowed-vlans', 'native-vlan', 'vrf', 'addresses', 'mac', 'vm-mac'] satisfies PortField[]) delete next[f];
  for (const f of mask) {
    if (given[f] === undefined) delete next[f];
    else next[f] = given[f];
  }
  return next as RawPort;
}

/** Ports: edits of the raw config, applied by the reconciler. */
function portHandlers(controller: Controller, log: Logger): Pick<SwitchServiceHandlers, PortRpc> {
  const dp = controller.dataplane;
  const portOut = (c: Config, name: string): Port => {
    const p = c.ports.find((x) => x.name === name);
    if (!p) throw notFound(`no port named '${name}'`);
    const presence = controller.presence.state(name);
    return portMessage(p, dp.hasPort(name) ? dp.port(name) : undefined, presence.state === 'absent' ? presence.reason : undefined);
  };

  return {
    ListPort: stream(log, 'ListPort', (req) => {
      const c = controller.running;
      const names = req.names?.length ? req.names : c.ports.map((p) => p.name).sort();
      return names.map((n) => ({ port: portOut(c, n) }));
    }),

    AddPort: unary(log, 'AddPort', async (req) => {
      const p: Port = req.port ?? {};
      const name = requireName('port.name', p.name);
      const c = await change(controller, (raw) => {
        if (raw.ports?.[name]) throw new ApiError(status.ALREADY_EXISTS, `port '${name}' exists`);
        raw.ports = { ...raw.ports, [name]: portToRaw(p) as RawPort };
      });
      log.info({ port: name }, 'port added');
      return { port: portOut(c, name) };
    }),

    UpdatePort: unary(log, 'UpdatePort', async (req) => {
      const p: Port = req.port ?? {};
      const name = requireName('port.name', p.name);
      const mask = req.updateMask ?? [];
      for (const [i, f] of mask.entries())
        if (!(PORT_FIELDS as readonly string[]).includes(f))
          throw invalid(`update_mask.${i}`, `unknown field '${f}' (fields: ${PORT_FIELDS.join(', ')})`);
      const c = await change(controller, (raw) => {
        const cur = raw.ports?.[name];
        if (!cur) throw notFound(`no port named '${name}'`);
        raw.ports![name] = updatedPort(cur, portToRaw(p) as Record<string, unknown>, mask);
      });
      log.info({ port: name, fields: mask.length ? mask : 'all' }, 'port updated');
      return { port: portOut(c, name) };
    }),

    DeletePort: unary(log, 'DeletePort', async (req) => {
      const name = requireName('name', req.name);
      await change(controller, (raw) => {
        if (!raw.ports?.[name]) throw notFound(`no port named '${name}'`);
        delete raw.ports[name];
      });
      log.info({ port: name }, 'port deleted');
      return {};
    }),
  };
}

/** Bridges: edits of the raw config, applied by the reconciler. */
function bridgeHandlers(controller: Controller, log: Logger): Pick<SwitchServiceHandlers, BridgeRpc> {
  const dp = controller.dataplane;
  const bridgeOf = (name: string) => {
    const b = dp.listBridges().find((x) => x.name === name);
    if (!b) throw notFound(`no bridge named '${name}'`);
    return bridgeMessage(b);
  };

  return {
    ListBridge: stream(log, 'ListBridge', (req) => {
      const all = dp.listBridges().sort((a, b) => a.name.localeCompare(b.name));
      const names = req.names?.length ? req.names : all.map((b) => b.name);
      return names.map((n) => ({ bridge: bridgeOf(n) }));
    }),

    AddBridge: unary(log, 'AddBridge', async (req) => {
      const b: Bridge = req.bridge ?? {};
      const name = requireName('bridge.name', b.name);
      await change(controller, (raw) => {
        if (raw.bridges?.[name]) throw new ApiError(status.ALREADY_EXISTS, `bridge '${name}' exists`);
        raw.bridges = { ...raw.bridges, [name]: b.maxMacs ? { 'max-macs': b.maxMacs } : {} };
      });
      log.info({ bridge: name }, 'bridge added');
      return { bridge: bridgeOf(name) };
    }),

    DeleteBridge: unary(log, 'DeleteBridge', async (req) => {
      const name = requireName('name', req.name);
      await deleteEmpty(controller, 'bridge', name);
      log.info({ bridge: name }, 'bridge deleted');
      return {};
    }),
  };
}

/** The FDB (straight to the dataplane, inside the queue), counters, workers and events. */
function fdbAndStatsHandlers(controller: Controller, log: Logger): Pick<SwitchServiceHandlers, FdbAndStatsRpc> {
  const dp = controller.dataplane;
  return {
    ListFdb: stream(log, 'ListFdb', (req) => {
      if (req.bridge && !dp.listBridges().some((b) => b.name === req.bridge)) throw notFound(`no bridge named '${req.bridge}'`);
      if (req.vlan) checkVlan('vlan', req.vlan);
      if (req.port && !dp.hasPort(req.port)) throw notFound(`no port named '${req.port}'`);
      return dp
        .fdb({ bridge: req.bridge || undefined, vlan: req.vlan || undefined, port: req.port || undefined })
        .map((e) => ({ entry: fdbMessage(e, (i) => dp.tunnel(i), (b, v, mac) => controller.evpn.manager?.remoteSeq(b, v, mac)) }));
    }),

    AddFdb: unary(log, 'AddFdb', (req) =>
      controller.serialize(() => {
        const bridge = requireName('bridge', req.bridge);
        const portName = requireName('port', req.port);
        checkVlan('vlan', req.vlan ?? 0);
        const mac = checkUnicastMac('mac', requireName('mac', req.mac), 'static FDB entries are unicast');
        if (!controller.running.bridges.some((b) => b.name === bridge)) throw notFound(`bridge: no bridge named '${bridge}'`);
        const port = controller.running.ports.find((p) => p.name === portName);
        if (!port) throw notFound(`port: no port named '${portName}'`);
        if (port.bridge !== bridge) throw new ApiError(status.FAILED_PRECONDITION, `port: '${portName}' is not in bridge '${bridge}'`);
        const vlan = req.vlan!;
        if (port.mode === 'access' && port.vlan !== vlan) throw invalid('vlan', `port '${portName}' is an access port of VLAN ${port.vlan}`);
        if (port.mode === 'trunk' && !port.allowedVlans.includes(vlan) && port.vlan !== vlan)
          throw invalid('vlan', `VLAN ${vlan} is not allowed on trunk port '${portName}' (allowed: ${port.allowedVlans.join(',')})`);
        dp.fdbAddStatic(bridge, vlan, mac, portName);
        log.info({ bridge, vlan, mac, port: portName }, 'static fdb entry added');
        return {};
      }),
    ),

    DeleteFdb: unary(log, 'DeleteFdb', (req) =>
      controller.serialize(() => {
        const bridge = requireName('bridge', req.bridge);
        checkVlan('vlan', req.vlan ?? 0);
        const mac = checkUnicastMac('mac', requireName('mac', req.mac), 'static FDB entries are unicast');
        if (!controller.running.bridges.some((b) => b.name === bridge)) throw notFound(`bridge: no bridge named '${bridge}'`);
        if (!dp.fdbDel(bridge, req.vlan!, mac)) throw notFound(`no FDB entry for ${mac} in VLAN ${req.vlan} of bridge '${bridge}'`);
        log.info({ bridge, vlan: req.vlan, mac }, 'fdb entry deleted');
        return {};
      }),
    ),

    FlushFdb: unary(log, 'FlushFdb', (req) =>
      controller.serialize(() => {
        if (req.bridge && !controller.running.bridges.some((b) => b.name === req.bridge))
          throw notFound(`bridge: no bridge named '${req.bridge}'`);
        if (req.port && !dp.hasPort(req.port)) throw notFound(`port: no port named '${req.port}'`);
        if (req.vlan) checkVlan('vlan', req.vlan);
        const flushed = dp.fdbFlush({
          bridge: req.bridge || undefined,
          port: req.port || undefined,
          vlan: req.vlan || undefined,
          includeStatic: req.includeStatic ?? false,
        });
        log.info({ bridge: req.bridge || 'all', port: req.port || 'all', vlan: req.vlan || 'all', flushed }, 'fdb flushed');
        return { flushed };
      }),
    ),

    ListCounterDescriptor: stream(log, 'ListCounterDescriptor', () => counterNames.map((c) => ({ counter: { name: c.name, help: c.help } }))),

    // configured ports, then the underlay ports that exist (vxlan-underlay, mpls-underlay)
    ListPortCounters: stream(log, 'ListPortCounters', (req) => {
      const names = req.ports?.length ? req.ports : [...dp.listPorts().map((p) => p.name), ...dp.underlayPorts()];
      return names.map((n) => {
        if (dp.hasPort(n)) return { portCounters: { port: n, counters: dp.stats(n) } };
        const underlay = dp.underlayStats(n);
        if (underlay) return { portCounters: { port: n, counters: underlay } };
        if (n === UNDERLAY_PORT) throw notFound(`port: '${n}' does not exist, no vtep is configured`);
        if (n === MPLS_UNDERLAY_PORT) throw notFound(`port: '${n}' does not exist, no pe is configured in any VRF`);
        if (controller.running.ports.some((p) => p.name === n)) return { portCounters: { port: n, counters: {} } }; // absent: nothing counted
        throw notFound(`no port named '${n}'`);
      });
    }),

    ListWorker: stream(log, 'ListWorker', () => dp.workerStats().map((w, index) => ({ worker: { index, ...w } }))),

    WatchEvent: (call) => {
      const req = call.request;
      if (req.bridge && !dp.listBridges().some((b) => b.name === req.bridge)) {
        call.emit('error', toServiceError(notFound(`bridge: no bridge named '${req.bridge}'`)));
        return;
      }
      const onMac = (events: MacEvent[]) => {
        for (const e of events) {
          if (e.kind !== 'overflow' && req.bridge && e.bridge !== req.bridge) continue;
          call.write({ fdb: fdbEventMessage(e) });
        }
      };
      dp.on('mac', onMac);
      const stop = () => dp.off('mac', onMac);
      call.on('cancelled', stop);
      call.on('close', stop);
      call.on('error', stop);
      log.info({ bridge: req.bridge || 'all' }, 'event watcher attached');
    },
  };
}
