// Prometheus endpoint (prom-client): GET /metrics on --metrics HOST:PORT
// (config `metrics.listen`; off by default).  Names follow Prometheus
// practice and node_exporter's netdev vocabulary (conventions.md B4):
//   hvswitch_port_{receive,transmit}_{packets,bytes}_total{bridge,port}
//   hvswitch_port_receive_drop_total{bridge,port,reason}   one per drop_* counter
//   hvswitch_port_transmit_drop_total{bridge,port,reason}  drop_tx_error
//   hvswitch_port_<counter>_total{bridge,port}             every other core counter
//   hvswitch_fdb_entries{bridge}, hvswitch_fdb_max_entries{bridge}
//   hvswitch_fdb_events_total{bridge,event}                learned, moved, aged
//   hvswitch_worker_<HV_WORKER_STATS name>_total{worker} (loops, batches, packets, polls, empty_polls, sleeps)
//   hvswitch_fib_routes{vrf,afi}                            FIB entries, afi ipv4|ipv6
//   hvswitch_neighbors{state}                               ARP/ND entries by state
//   hvswitch_ports, hvswitch_bridges, hvswitch_vrfs, hvswitch_up, hvswitch_build_info
//   hvswitch_bgp_peer_state{peer,peer_as}                  1 idle .. 6 established (GoBGP's numbering)
//   hvswitch_bgp_peer_messages_{received,sent}_total{peer,type}  open, update, notification, keepalive, route_refresh
//   hvswitch_bgp_routes_received{peer,afi_safi}            gauge: paths in the neighbor's Adj-RIB-In
//   hvswitch_vxlan_<counter>_total{vtep}                   encap, decap: the underlay port's counters
//   hvswitch_vxlan_drop_total{vtep,reason}                 one per underlay drop_* counter
//   hvswitch_evpn_{local_macs,remote_macs,remote_vteps}{bridge,vlan,vni}  gauges per running EVPN instance
//   hvswitch_evpn_duplicate_macs{bridge,vlan,vni}          gauge: duplicate MACs frozen now (RFC 7432 §15.1)
//   hvswitch_evpn_duplicate_mac_detections_total{bridge,vlan,vni}  MACs found duplicate (since the instance started)
//   hvswitch_mpls_*, hvswitch_l3vpn_*                      metrics-l3vpn.ts (IP-VPN)
//   hvswitch_config_writes_total{result}, hvswitch_port_link_events_total{event},
//   hvswitch_ports_absent                                   metrics-operations.ts
//   process_* and nodejs_* (prom-client's default metrics)
// Per-port counters come from the core's declaration (native/core/hv.h via
// counterNames), read lazily on scrape: one snapshot of the dataplane per scrape.
// The VXLAN underlay port is not a configured port (no hvswitch_port_*): its
// counters are the core's counters whose help says `underlay:` (hv.h).
// The core keeps only batch and loop totals, so the mean batch size is
// rate(hvswitch_worker_packets_total) / rate(hvswitch_worker_batches_total).
import { createServer, type Server } from 'node:http';

import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

import { counterNames, workerStatNames, type MacEvent, type WorkerStats } from '../dataplane/index.js';
import { BgpState, FAMILIES, MESSAGE_COUNTERS } from '../bgp/index.js';
import { NEIGHBOR_STATES } from '../api/convert.js';
import type { Controller } from '../controller/index.js';
import type { EvpnManager } from '../vpn/evpn.js';
import type { Logger } from '../util/logger.js';
import { registerL3vpn } from './metrics-l3vpn.js';
import { registerEvpnMh } from './metrics-evpn-mh.js';
import { registerLacp } from './metrics-lacp.js';
import { registerOperations } from './metrics-operations.js';

interface Snapshot {
  at: number;
  ports: { port: string; bridge: string; counters: Record<string, number> }[];
  bridges: { name: string; macs: number; maxMacs: number }[];
  workers: WorkerStats[];
  vrfs: { name: string; routes4: number; routes6: number }[];
  neighbors: Record<string, number>;
  /** the local VTEP and its underlay port's counters, null without one */
  vtep: { address: string; counters: Record<string, number> } | null;
}

type EvpnInstanceState = ReturnType<EvpnManager['list']>[number];

/** Neighbor states, all exported (zero included) so the series are stable. */
export { NEIGHBOR_STATES };

/** How a core counter is exposed: metric name and extra labels. */
export function metricOf(counter: string): { name: string; reason?: string } {
  switch (counter) {
    case 'rx_packets': return { name: 'hvswitch_port_receive_packets_total' };
    case 'rx_bytes': return { name: 'hvswitch_port_receive_bytes_total' };
    case 'tx_packets': return { name: 'hvswitch_port_transmit_packets_total' };
    case 'tx_bytes': return { name: 'hvswitch_port_transmit_bytes_total' };
    case 'drop_tx_error': return { name: 'hvswitch_port_transmit_drop_total', reason: 'tx_error' };
  }
  if (counter.startsWith('drop_')) return { name: 'hvswitch_port_receive_drop_total', reason: counter.slice(5) };
  return { name: `hvswitch_port_${counter}_total` };
}

/** One snapshot of the dataplane per scrape (reused for 100 ms by the other collectors). */
function snapshotter(dp: Controller['dataplane']): () => Snapshot {
  let snap: Snapshot | null = null;
  return () => {
    if (snap && Date.now() - snap.at < 100) return snap;
    const bridges = dp.listBridges().map((b) => ({ name: b.name, macs: b.macs, maxMacs: b.maxMacs }));
    const ports = dp.listPorts().map((p) => ({ port: p.name, bridge: p.bridge ?? '', counters: dp.stats(p.name) }));
    const vrfs = dp.listVrfs().map((v) => ({ name: v.name, routes4: v.routes4, routes6: v.routes6 }));
    const neighbors: Record<string, number> = Object.fromEntries(NEIGHBOR_STATES.map((s) => [s, 0]));
    for (const n of dp.neighbors()) neighbors[n.state] = (neighbors[n.state] ?? 0) + 1;
    const v = dp.vtep();
    const vtep = v ? { address: v.address, counters: dp.vtepStats() ?? {} } : null;
    snap = { at: Date.now(), ports, bridges, workers: dp.workerStats(), vrfs, neighbors, vtep };
    return snap;
  };
}

/** A gauge with no labels, set from the snapshot on scrape. */
function countGauge(register: Registry, name: string, help: string, count: () => number): void {
  new Gauge({
    name,
    help,
    registers: [register],
    collect() {
      this.set(count());
    },
  });
}

/** hvswitch_port_*: one metric per core counter (counterNames), drops one metric by reason. */
function registerPortCounters(register: Registry, snapshot: () => Snapshot): void {
  const byMetric = new Map<string, { help: string; counters: { counter: string; reason?: string }[] }>();
  for (const c of counterNames) {
    const m = metricOf(c.name);
    const e = byMetric.get(m.name) ?? { help: m.reason ? 'frames dropped, by reason (see the reason label)' : c.help, counters: [] };
    e.counters.push({ counter: c.name, reason: m.reason });
    byMetric.set(m.name, e);
  }
  for (const [name, { help, counters }] of byMetric) {
    const withReason = counters.some((c) => c.reason !== undefined);
    new Counter({
      name,
      help: withReason ? `${help}: ${counters.map((c) => `${c.reason} (${counterNames.find((x) => x.name === c.counter)!.help})`).join('; ')}` : help,
      labelNames: withReason ? ['bridge', 'port', 'reason'] : ['bridge', 'port'],
      registers: [register],
      collect() {
        this.reset();
        for (const p of snapshot().ports)
          for (const c of counters) {
            const labels: Record<string, string> = { bridge: p.bridge, port: p.port };
            if (c.reason !== undefined) labels.reason = c.reason;
            this.inc(labels, p.counters[c.counter] ?? 0);
          }
      },
    });
  }
}

/** hvswitch_fdb_*: table sizes from the snapshot, learning events counted as the workers report them. */
function registerFdb(register: Registry, snapshot: () => Snapshot, dp: Controller['dataplane']): void {
  const sizes = [
    ['hvswitch_fdb_entries', 'FDB entries (learned and static) in a bridge domain', 'macs'],
    ['hvswitch_fdb_max_entries', 'FDB size of a bridge domain (max-macs)', 'maxMacs'],
  ] as const;
  for (const [name, help, key] of sizes)
    new Gauge({
      name,
      help,
      labelNames: ['bridge'],
      registers: [register],
      collect() {
        this.reset();
        for (const b of snapshot().bridges) this.set({ bridge: b.name }, b[key]);
      },
    });
  const fdbEvents = new Counter({
    name: 'hvswitch_fdb_events_total',
    help: 'MAC learning events reported by the workers (learned, moved, aged)',
    labelNames: ['bridge', 'event'],
    registers: [register],
  });
  const fdbLost = new Counter({
    name: 'hvswitch_fdb_events_lost_total',
    help: 'MAC learning events lost because the event ring was full',
    registers: [register],
  });
  dp.on('mac', (events: MacEvent[]) => {
    for (const e of events) {
      if (e.kind === 'overflow') fdbLost.inc(e.lost);
      else fdbEvents.inc({ bridge: e.bridge, event: e.kind });
    }
  });
}

/** hvswitch_worker_<name>_total: one counter per row of the core's worker statistics (workerStatNames). */
function registerWorkerStats(register: Registry, snapshot: () => Snapshot): void {
  for (const { name: key, help } of workerStatNames) {
    new Counter({
      name: `hvswitch_worker_${key}_total`,
      help,
      labelNames: ['worker'],
      registers: [register],
      collect() {
        this.reset();
        snapshot().workers.forEach((w, i) => this.inc({ worker: String(i) }, w[key]));
      },
    });
  }
}

/** FIB routes, neighbors by state, and the counts of VRFs, ports and bridges. */
function registerTables(register: Registry, snapshot: () => Snapshot): void {
  new Gauge({
    name: 'hvswitch_fib_routes',
    help: 'FIB entries of a VRF (static, connected, local and vm routes), by address family',
    labelNames: ['vrf', 'afi'],
    registers: [register],
    collect() {
      this.reset();
      for (const v of snapshot().vrfs) {
        this.set({ vrf: v.name, afi: 'ipv4' }, v.routes4);
        this.set({ vrf: v.name, afi: 'ipv6' }, v.routes6);
      }
    },
  });
  new Gauge({
    name: 'hvswitch_neighbors',
    help: 'neighbor (ARP/ND) entries of routed and vm ports, by state',
    labelNames: ['state'],
    registers: [register],
    collect() {
      this.reset();
      for (const [state, n] of Object.entries(snapshot().neighbors)) this.set({ state }, n);
    },
  });
  countGauge(register, 'hvswitch_vrfs', 'VRFs configured', () => snapshot().vrfs.length);
  countGauge(register, 'hvswitch_ports', 'ports configured', () => snapshot().ports.length);
  countGauge(register, 'hvswitch_bridges', 'bridge domains configured', () => snapshot().bridges.length);
}

/** hvswitch_bgp_* (when the config has a bgp: section): read from the speaker on scrape.
 *  States, message types and families come from their tables (BgpState, MESSAGE_COUNTERS, FAMILIES). */
function registerBgp(register: Registry, controller: Controller): void {
  const states: readonly string[] = Object.values(BgpState);
  new Gauge({
    name: 'hvswitch_bgp_peer_state',
    help: `BGP session state of a neighbor: ${states.map((s, i) => `${i + 1} ${s}`).join(', ')}`,
    labelNames: ['peer', 'peer_as'],
    registers: [register],
    collect() {
      this.reset();
      for (const n of controller.bgp?.neighbors() ?? []) this.set({ peer: n.address, peer_as: String(n.peerAs) }, states.indexOf(n.state) + 1);
    },
  });
  for (const [dir, key] of [['received', 'rx'], ['sent', 'tx']] as const) {
    new Counter({
      name: `hvswitch_bgp_peer_messages_${dir}_total`,
      help: `BGP messages ${dir} from/to a neighbor, by message type (counts restart with the neighbor's configuration)`,
      labelNames: ['peer', 'type'],
      registers: [register],
      collect() {
        this.reset();
        for (const n of controller.bgp?.neighbors() ?? [])
          for (const m of MESSAGE_COUNTERS) this.inc({ peer: n.address, type: m.type }, n.counters[key][m.key]);
      },
    });
  }
  new Gauge({
    name: 'hvswitch_bgp_routes_received',
    help: "paths in a BGP neighbor's Adj-RIB-In, by address family (afi_safi: GoBGP/OpenConfig names)",
    labelNames: ['peer', 'afi_safi'],
    registers: [register],
    collect() {
      this.reset();
      for (const n of controller.bgp?.neighbors() ?? [])
        for (const f of FAMILIES) {
          const p = n.prefixes[f.name];
          if (p) this.set({ peer: n.address, afi_safi: f.afiSafiName }, p.received);
        }
    },
  });
}

/** The core's counters of the VXLAN underlay port (help `underlay: ...`, hv.h). */
export const UNDERLAY_COUNTERS = counterNames.filter((c) => c.help.startsWith('underlay:'));

/** hvswitch_vxlan_*: the underlay port's counters (UNDERLAY_COUNTERS), drops one metric by reason. */
function registerVxlan(register: Registry, snapshot: () => Snapshot): void {
  const drops = UNDERLAY_COUNTERS.filter((c) => c.name.startsWith('drop_'));
  for (const c of UNDERLAY_COUNTERS.filter((x) => !x.name.startsWith('drop_')))
    new Counter({
      name: `hvswitch_vxlan_${c.name}_total`,
      help: c.help,
      labelNames: ['vtep'],
      registers: [register],
      collect() {
        this.reset();
        const v = snapshot().vtep;
        if (v) this.inc({ vtep: v.address }, v.counters[c.name] ?? 0);
      },
    });
  new Counter({
    name: 'hvswitch_vxlan_drop_total',
    help: `VXLAN frames dropped on the underlay, by reason: ${drops.map((c) => `${c.name.slice(5)} (${c.help})`).join('; ')}`,
    labelNames: ['vtep', 'reason'],
    registers: [register],
    collect() {
      this.reset();
      const v = snapshot().vtep;
      if (v) for (const c of drops) this.inc({ vtep: v.address, reason: c.name.slice(5) }, v.counters[c.name] ?? 0);
    },
  });
}

/** hvswitch_evpn_*: per running EVPN instance (EvpnManager.list), read on scrape. */
function registerEvpn(register: Registry, controller: Controller): void {
  const gauges = [
    ['hvswitch_evpn_local_macs', 'MACs learned on local ports of an EVPN instance and advertised (type-2 routes)', (i) => i.localMacs],
    ['hvswitch_evpn_remote_macs', 'remote FDB entries an EVPN instance installed from type-2 routes', (i) => i.remoteMacs],
    ['hvswitch_evpn_remote_vteps', 'remote VTEPs (address and VNI) of an EVPN instance, from its type-2 and type-3 routes', (i) => i.vteps.length],
    ['hvswitch_evpn_arp_nd_bindings', 'remote IPs an EVPN instance answers ARP requests and neighbor solicitations for (ARP/ND suppression, MAC/IP type-2 routes)', (i) => i.suppressed],
    ['hvswitch_evpn_duplicate_macs', 'duplicate MACs of an EVPN instance frozen now (RFC 7432 §15.1: their updates ignored)', (i) => i.frozen.length],
  ] as const satisfies readonly (readonly [string, string, (i: EvpnInstanceState) => number])[];
  for (const [name, help, value] of gauges)
    new Gauge({
      name,
      help,
      labelNames: ['bridge', 'vlan', 'vni'],
      registers: [register],
      collect() {
        this.reset();
        for (const i of controller.evpn.manager?.list() ?? [])
          this.set({ bridge: i.cfg.bridge, vlan: String(i.cfg.vlan), vni: String(i.cfg.vni) }, value(i));
      },
    });
  new Counter({
    name: 'hvswitch_evpn_duplicate_mac_detections_total',
    help: 'MACs an EVPN instance found duplicate (RFC 7432 §15.1: N moves within M seconds) since it started',
    labelNames: ['bridge', 'vlan', 'vni'],
    registers: [register],
    collect() {
      this.reset();
      for (const i of controller.evpn.manager?.list() ?? []) this.inc({ bridge: i.cfg.bridge, vlan: String(i.cfg.vlan), vni: String(i.cfg.vni) }, i.dupDetections);
    },
  });
}

/** hvswitch_up, hvswitch_build_info and prom-client's process_* and nodejs_* metrics. */
function registerProcess(register: Registry, version: string): void {
  new Gauge({ name: 'hvswitch_up', help: '1 while hvswitchd runs', registers: [register] }).set(1);
  new Gauge({
    name: 'hvswitch_build_info',
    help: 'hvswitch version and runtime (always 1)',
    labelNames: ['version', 'node_version'],
    registers: [register],
  }).set({ version, node_version: process.version }, 1);
  collectDefaultMetrics({ register });
}

/** The registry of every metric above, in exposition order. */
export function createMetrics(controller: Controller, version: string): Registry {
  const register = new Registry();
  const snapshot = snapshotter(controller.dataplane);
  registerPortCounters(register, snapshot);
  registerFdb(register, snapshot, controller.dataplane);
  registerWorkerStats(register, snapshot);
  registerTables(register, snapshot);
  registerBgp(register, controller);
  registerVxlan(register, snapshot);
  registerEvpn(register, controller);
  registerL3vpn(register, controller);
  registerOperations(register, controller);
  registerLacp(register, controller);
  registerEvpnMh(register, controller);
  registerProcess(register, version);
  return register;
}

/** Parses HOST:PORT, [V6]:PORT or :PORT (all interfaces). */
export function parseListen(addr: string): { host: string | undefined; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(addr);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new Error(`metrics.listen: '${addr}' is not HOST:PORT (e.g. 127.0.0.1:9650)`);
  return { host: m[1] ?? (m[2] || undefined), port };
}

export interface MetricsServer {
  readonly port: number;
  readonly register: Registry;
  close(): Promise<void>;
}

export async function startMetrics(controller: Controller, listen: string, version: string, log: Logger): Promise<MetricsServer> {
  const { host, port } = parseListen(listen);
  const register = createMetrics(controller, version);
  const server: Server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url === '/metrics') {
      register.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': register.contentType }).end(text),
        (e: unknown) => {
          log.error({ err: (e as Error).message }, 'metrics collection failed');
          res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${(e as Error).message}\n`);
        },
      );
      return;
    }
    if (url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body><a href="/metrics">hvswitch metrics</a></body></html>\n');
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`metrics.listen ${listen}: ${e.message}`)));
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as { port: number }).port;
  log.info({ listen, port: bound }, 'metrics listening');
  return {
    port: bound,
    register,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
