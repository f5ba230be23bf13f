// `hvswitch`: the command-line client of the hvswitch API, in the style of
// gobgp (`hvswitch <object> <verb>`) with OVS wording in tables
// (` port  VLAN  MAC                Age`) and iproute2/FRR wording for L3
// (`via 192.0.2.2 dev up0`, `ip neigh` states).  Every read command prints a table
// for people, `--json` for scripts and `-q` for keys only.  Errors go to
// stderr, never as a stack trace.  Exit codes: 0 ok, 1 refused or failed by
// the daemon, 2 bad usage or invalid argument, 3 daemon unreachable, 4 not found.
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';

import { credentials, status, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';

import { backendName, modeName, neighStateName, originName, routeTypeName } from '../api/convert.js';
import { call, connectApi, isTcpTarget, list, unreachableMessage, type ApiClient } from '../api/client.js';
import type { Bridge__Output } from '../api/gen/hvswitch/v1/Bridge.js';
import type { DaemonServiceClient } from '../api/gen/hvswitch/v1/DaemonService.js';
import type { FdbEntry__Output } from '../api/gen/hvswitch/v1/FdbEntry.js';
import type { FdbEvent__Output } from '../api/gen/hvswitch/v1/FdbEvent.js';
import type { WatchEventResponse__Output } from '../api/gen/hvswitch/v1/WatchEventResponse.js';
import type { GetDaemonInfoResponse__Output } from '../api/gen/hvswitch/v1/GetDaemonInfoResponse.js';
import type { Port, Port__Output } from '../api/gen/hvswitch/v1/Port.js';
import type { PortBackend } from '../api/gen/hvswitch/v1/PortBackend.js';
import type { PortMode } from '../api/gen/hvswitch/v1/PortMode.js';
import type { Neighbor__Output } from '../api/gen/hvswitch/v1/Neighbor.js';
import type { Route, Route__Output } from '../api/gen/hvswitch/v1/Route.js';
import type { RouteOrigin } from '../api/gen/hvswitch/v1/RouteOrigin.js';
import type { RouteType } from '../api/gen/hvswitch/v1/RouteType.js';
import type { RoutingServiceClient } from '../api/gen/hvswitch/v1/RoutingService.js';
import type { Vrf__Output } from '../api/gen/hvswitch/v1/Vrf.js';
import type { ReloadConfigResponse__Output } from '../api/gen/hvswitch/v1/ReloadConfigResponse.js';
import type { SwitchServiceClient } from '../api/gen/hvswitch/v1/SwitchService.js';
import { addBgpCommands } from './bgp.js';
import { duration, keyValues, parseVlanList, table, vlanRanges } from './format.js';

export const DEFAULT_SOCKET = '/run/hvswitch/api.sock';

export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3, notFound: 4 } as const;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

class UsageError extends Error {}

/** A port as scripts see it (`--json`): config vocabulary, state flattened. */
export interface PortJson {
  name: string;
  backend: string;
  mode: string;
  bridge: string | null;
  vlan: number | null;
  allowedVlans: number[];
  nativeVlan: number | null;
  macLimit: number;
  mtu: number;
  vrf: string | null;
  addresses: string[];
  mac: string | null;
  vmMac: string | null;
  id: number | null;
  created: boolean;
  macs: number;
}

export function portJson(p: Port__Output): PortJson {
  return {
    name: p.name,
    backend: backendName(p.backend) ?? p.backend,
    mode: modeName(p.mode) ?? p.mode,
    bridge: p.bridge || null,
    vlan: p.mode === 'PORT_MODE_ACCESS' ? p.vlan : null,
    allowedVlans: p.allowedVlans,
    nativeVlan: p.nativeVlan || null,
    macLimit: p.macLimit,
    mtu: p.mtu,
    vrf: p.vrf || null,
    addresses: p.addresses,
    mac: p.mac || null,
    vmMac: p.vmMac || null,
    id: p.status ? p.status.id : null,
    created: p.status?.created ?? false,
    macs: p.status?.macs ?? 0,
  };
}

function vlansOf(p: PortJson): string {
  if (p.mode === 'access') return String(p.vlan);
  if (p.mode === 'trunk') return `${vlanRanges(p.allowedVlans)}${p.nativeVlan ? ` native ${p.nativeVlan}` : ''}`;
  return '-';
}

function int(name: string, min: number, max: number) {
  return (v: string): number => {
    if (!/^\d+$/.test(v)) throw new UsageError(`${name}: '${v}' is not a number`);
    const n = Number(v);
    if (n < min || n > max) throw new UsageError(`${name}: must be ${min}-${max}`);
    return n;
  };
}
const vlanArg = int('vlan', 1, 4094);

const BACKEND: Record<string, PortBackend> = { tap: 'PORT_BACKEND_TAP', 'af-packet': 'PORT_BACKEND_AF_PACKET', memory: 'PORT_BACKEND_MEMORY' };
const MODE: Record<string, PortMode> = { access: 'PORT_MODE_ACCESS', trunk: 'PORT_MODE_TRUNK', routed: 'PORT_MODE_ROUTED', vm: 'PORT_MODE_VM' };

interface PortOpts {
  backend?: string;
  mode?: string;
  bridge?: string;
  vlan?: number;
  allowedVlans?: string;
  nativeVlan?: number;
  macLimit?: number;
  mtu?: number;
  vrf?: string;
  address?: string[];
  mac?: string;
  vmMac?: string;
}

/** The Port message and the update mask (config field names) of port add/set options. */
function portFromOpts(name: string, o: PortOpts): { port: Port; mask: string[] } {
  const port: Port = { name };
  const mask: string[] = [];
  if (o.backend !== undefined) (port.backend = BACKEND[o.backend]), mask.push('backend');
  if (o.mode !== undefined) (port.mode = MODE[o.mode]), mask.push('mode');
  if (o.bridge !== undefined) (port.bridge = o.bridge === 'none' ? '' : o.bridge), mask.push('bridge');
  if (o.vlan !== undefined) (port.vlan = o.vlan), mask.push('vlan');
  if (o.allowedVlans !== undefined) {
    try {
      port.allowedVlans = parseVlanList(o.allowedVlans);
    } catch (e) {
      throw new UsageError(`--allowed-vlans: ${(e as Error).message}`);
    }
    mask.push('allowed-vlans');
  }
  if (o.nativeVlan !== undefined) (port.nativeVlan = o.nativeVlan), mask.push('native-vlan');
  if (o.macLimit !== undefined) (port.macLimit = o.macLimit), mask.push('mac-limit');
  if (o.mtu !== undefined) (port.mtu = o.mtu), mask.push('mtu');
  if (o.vrf !== undefined) (port.vrf = o.vrf), mask.push('vrf');
  if (o.address !== undefined) (port.addresses = o.address), mask.push('addresses');
  if (o.mac !== undefined) (port.mac = o.mac), mask.push('mac');
  if (o.vmMac !== undefined) (port.vmMac = o.vmMac), mask.push('vm-mac');
  return { port, mask };
}

function portOptions(cmd: Command, forAdd: boolean): Command {
  const backend = new Option('--backend <kind>', 'tap | af-packet | memory').choices(Object.keys(BACKEND));
  if (forAdd) backend.makeOptionMandatory();
  return cmd
    .addOption(backend)
    .addOption(new Option('--mode <mode>', 'access | trunk | routed | vm (default access)').choices(Object.keys(MODE)))
    .option('--bridge <bridge>', "bridge domain ('none': leave it)")
    .option('--vlan <vid>', 'access VLAN', vlanArg)
    .option('--allowed-vlans <list>', 'trunk: allowed VLANs, e.g. 10,20,30-39')
    .option('--native-vlan <vid>', 'trunk: VLAN of untagged frames', vlanArg)
    .option('--mac-limit <n>', 'most MACs learned on the port', int('mac-limit', 1, 1_000_000))
    .option('--mtu <bytes>', 'MTU', int('mtu', 68, 65535))
    .option('--vrf <vrf>', 'routed/vm: the VRF')
    .option('--address <cidr...>', 'routed: interface addresses; vm: the VM addresses')
    .option('--mac <mac>', 'routed/vm: our MAC on the port')
    .option('--vm-mac <mac>', "vm: the VM's MAC");
}

function renderFdb(entries: FdbEntry__Output[], allBridges: boolean): string {
  // OVS fdb/show, verbatim: a fixed header " port  VLAN  MAC                Age"
  // and rows "%5s  %4d  MAC  %3d" (a longer port name widens its row only, as
  // in OVS); static entries show "static".  Entries of several bridges get a
  // leading bridge column, as ovs-appctl fdb/show with several bridges does.
  const multi = allBridges && new Set(entries.map((e) => e.bridge)).size > 1;
  const bw = Math.max(6, ...entries.map((e) => e.bridge.length));
  const head = `${multi ? `${'bridge'.padEnd(bw)} ` : ''} port  VLAN  MAC                Age`;
  const rows = entries.map(
    (e) =>
      `${multi ? `${e.bridge.padEnd(bw)} ` : ''}${e.port.padStart(5)}  ${String(e.vlan).padStart(4)}  ${e.mac}  ${e.static ? 'static' : String(e.age).padStart(3)}`,
  );
  return [head, ...rows].join('\n') + '\n';
}

/** One line per event, in the words of `bridge monitor fdb` / OVS logs. */
export function formatFdbEvent(e: FdbEvent__Output): string {
  switch (e.type) {
    case 'FDB_EVENT_TYPE_LOST':
      return `lost ${e.lost} events (event ring full)`;
    case 'FDB_EVENT_TYPE_MOVED':
      return `moved   ${e.mac} vlan ${e.vlan} bridge ${e.bridge} port ${e.oldPort} -> ${e.port}`;
    case 'FDB_EVENT_TYPE_AGED':
      return `aged    ${e.mac} vlan ${e.vlan} bridge ${e.bridge} port ${e.port}`;
    default:
      return `learned ${e.mac} vlan ${e.vlan} bridge ${e.bridge} port ${e.port}`;
  }
}

// ---- L3 output shapes ----

const ORIGIN: Record<string, RouteOrigin> = {
  connected: 'ROUTE_ORIGIN_CONNECTED',
  local: 'ROUTE_ORIGIN_LOCAL',
  vm: 'ROUTE_ORIGIN_VM',
  static: 'ROUTE_ORIGIN_STATIC',
};

/** A FIB entry as scripts see it (`route show --json`). */
export interface RouteJson {
  vrf: string;
  prefix: string;
  family: 'ipv4' | 'ipv6';
  type: string; // unicast | blackhole | unreachable | local
  origin: string; // connected | local | vm | static
  nexthops: { via: string | null; port: string | null; mac: string | null }[];
}

export function routeJson(r: Route__Output): RouteJson {
  return {
    vrf: r.vrf,
    prefix: r.prefix,
    family: r.afi === 'AFI_IP6' ? 'ipv6' : 'ipv4',
    type: routeTypeName(r.type) ?? r.type,
    origin: originName(r.origin) ?? r.origin,
    nexthops: r.nexthops.map((n) => ({ via: n.via || null, port: n.port || null, mac: n.mac || null })),
  };
}

/** One next hop in iproute2 words: `via GW dev PORT`, `dev PORT lladdr MAC`. */
function nexthopText(n: RouteJson['nexthops'][number]): string {
  return [n.via ? `via ${n.via}` : '', n.port ? `dev ${n.port}` : '', n.mac ? `lladdr ${n.mac}` : ''].filter(Boolean).join(' ');
}

/** The FIB as a table: one row per route, ECMP members on continuation rows
 *  (as FRR's `show ip route` prints them). */
export function renderRoutes(routes: RouteJson[]): string {
  const rows: string[][] = [];
  for (const r of routes) {
    if (r.type !== 'unicast' || r.nexthops.length === 0) {
      rows.push([r.vrf, r.prefix, r.type, r.origin]);
      continue;
    }
    r.nexthops.forEach((n, i) => rows.push(i === 0 ? [r.vrf, r.prefix, nexthopText(n), r.origin] : ['', '', nexthopText(n), '']));
  }
  return table([{ header: 'VRF' }, { header: 'prefix' }, { header: 'nexthop' }, { header: 'origin' }], rows);
}

export interface NeighJson {
  ip: string;
  port: string;
  vrf: string | null;
  mac: string | null;
  state: string; // incomplete | reachable | stale | failed | permanent
  age: number;
}

export function neighJson(n: Neighbor__Output): NeighJson {
  return { ip: n.ip, port: n.port, vrf: n.vrf || null, mac: n.mac || null, state: neighStateName(n.state) ?? n.state, age: n.age };
}

/** `route add` words after the prefix, iproute2 style:
 *  `via GW [via] [GW...] [dev PORT]`, `blackhole`, `unreachable`. */
export function parseRouteArgs(prefix: string, words: string[], o: { port?: string; '6'?: boolean }): Route {
  const [first, ...rest] = words;
  let type: RouteType = 'ROUTE_TYPE_UNICAST';
  const vias: string[] = [];
  let port = o.port;
  if (first === 'blackhole' || first === 'unreachable') {
    if (rest.length) throw new UsageError(`route add: nothing may follow '${first}' (got '${rest.join(' ')}')`);
    if (port !== undefined) throw new UsageError(`route add: a ${first} route has no port`);
    type = first === 'blackhole' ? 'ROUTE_TYPE_BLACKHOLE' : 'ROUTE_TYPE_UNREACHABLE';
  } else if (first === 'via') {
    for (let i = 0; i < rest.length; i++) {
      const w = rest[i]!;
      if (w === 'via') continue;
      if (w === 'dev') {
        const dev = rest[++i];
        if (dev === undefined || i !== rest.length - 1) throw new UsageError("route add: 'dev PORT' comes last");
        if (port !== undefined && port !== dev) throw new UsageError(`route add: --port ${port} and dev ${dev} disagree`);
        port = dev;
        continue;
      }
      vias.push(w);
    }
    if (vias.length === 0) throw new UsageError("route add: 'via' needs at least one gateway");
  } else {
    throw new UsageError(`route add: expected 'via GW...', 'blackhole' or 'unreachable' after the prefix, got '${first}'`);
  }
  // 'default' is 0.0.0.0/0 in the config; an IPv6 gateway or -6 makes it ::/0 (ip -6 route add default)
  const v6 = o['6'] || (vias.length > 0 && vias.every((v) => v.includes(':')));
  return {
    prefix: prefix === 'default' && v6 ? '::/0' : prefix,
    type,
    nexthops: vias.map((via) => ({ via, port: port ?? '' })),
  };
}

/** Unix sockets are plain; a TCP target is TLS (the daemon listens on TCP with TLS only). */
function credentialsFor(target: string, tls: { ca?: string; cert?: string; key?: string }): ChannelCredentials {
  if (!isTcpTarget(target)) return credentials.createInsecure();
  const read = (f: string | undefined, what: string) => {
    if (!f) return null;
    try {
      return readFileSync(f);
    } catch (e) {
      throw new UsageError(`${what}: cannot read ${f}: ${(e as Error).message}`);
    }
  };
  const key = read(tls.key, '--key');
  const cert = read(tls.cert, '--cert');
  if (!!key !== !!cert) throw new UsageError('--cert and --key go together');
  return credentials.createSsl(read(tls.ca, '--ca'), key, cert);
}

export async function runCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let client: ApiClient | undefined;
  let socket = env.HVSWITCH_SOCKET || DEFAULT_SOCKET;
  let tls: { ca?: string; cert?: string; key?: string } = {};
  const api = (): ApiClient => (client ??= connectApi(socket, { credentials: credentialsFor(socket, tls) }));
  const sw = (): SwitchServiceClient => api().switch;
  const dm = (): DaemonServiceClient => api().daemon;
  const rt = (): RoutingServiceClient => api().routing;
  const bgpClient = () => api().bgp;
  const json = (v: unknown) => io.out(`${JSON.stringify(v, null, 2)}\n`);

  const program = new Command()
    .name('hvswitch')
    .description('hvswitch command-line client: ports, bridges, FDB, VRFs, routes, neighbors, BGP, counters, daemon')
    .option('-s, --socket <path>', `API socket of hvswitchd (env HVSWITCH_SOCKET; default ${DEFAULT_SOCKET}), or host:port (TLS)`)
    .option('--ca <file>', 'host:port: PEM CA that signed the daemon certificate (default: system CAs)')
    .option('--cert <file>', 'host:port: PEM client certificate (when the daemon asks for one)')
    .option('--key <file>', 'host:port: PEM key of --cert')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .hook('preAction', (cmd) => {
      const o = cmd.opts<{ socket?: string; ca?: string; cert?: string; key?: string }>();
      if (o.socket) socket = o.socket;
      tls = { ca: o.ca, cert: o.cert, key: o.key };
    });
  // every subcommand inherits the output routing and exit override
  const sub = (parent: Command, name: string, desc: string, opts?: { isDefault?: boolean }) =>
    parent
      .command(name, opts)
      .description(desc)
      .exitOverride()
      .showHelpAfterError()
      .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  const readOpts = (c: Command) => c.option('--json', 'JSON output').option('-q, --quiet', 'keys only');

  // ---- port ----
  const port = sub(program, 'port', 'ports: list, show, add, set, del');
  readOpts(sub(port, 'list', 'list ports')).action(async (o: { json?: boolean; quiet?: boolean }) => {
    const ports = (await list<SwitchServiceClient, object, { port: Port__Output }>(sw(), 'ListPort', {})).map((r) => portJson(r.port));
    if (o.json) return json(ports);
    if (o.quiet) return io.out(ports.map((p) => `${p.name}\n`).join(''));
    io.out(
      table(
        [{ header: 'port' }, { header: 'backend' }, { header: 'mode' }, { header: 'bridge' }, { header: 'VLAN' }, { header: 'MACs', align: 'right' }, { header: 'MTU', align: 'right' }],
        ports.map((p) => [p.name, p.backend, p.mode, p.bridge ?? (p.vrf ? `vrf ${p.vrf}` : '-'), vlansOf(p), p.macs, p.mtu]),
      ),
    );
  });
  readOpts(sub(port, 'show', 'show one port: settings, state and counters').argument('<port>')).action(
    async (name: string, o: { json?: boolean; quiet?: boolean }) => {
      const [r] = await list<SwitchServiceClient, object, { port: Port__Output }>(sw(), 'ListPort', { names: [name] });
      const p = portJson(r!.port);
      const [c] = await list<SwitchServiceClient, object, { portCounters: { counters: Record<string, number> } }>(sw(), 'ListPortCounters', {
        ports: [name],
      });
      const counters = c?.portCounters.counters ?? {};
      if (o.json) return json({ ...p, counters });
      if (o.quiet) return io.out(`${p.name}\n`);
      const pairs: [string, string | number | boolean][] = [
        ['port', p.name],
        ['backend', p.backend + (p.created ? ' (created by hvswitchd)' : '')],
        ['mode', p.mode],
      ];
      if (p.bridge) pairs.push(['bridge', p.bridge]);
      if (p.mode === 'access' || p.mode === 'trunk') pairs.push(['VLAN', vlansOf(p)]);
      if (p.vrf) pairs.push(['vrf', p.vrf]);
      if (p.addresses.length) pairs.push(['addresses', p.addresses.join(' ')]);
      if (p.mac) pairs.push(['mac', p.mac]);
      if (p.vmMac) pairs.push(['vm-mac', p.vmMac]);
      pairs.push(['mac-limit', p.macLimit], ['MTU', p.mtu], ['MACs', p.macs]);
      for (const [k, v] of Object.entries(counters)) if (v) pairs.push([k, v]);
      io.out(keyValues(pairs));
    },
  );
  portOptions(sub(port, 'add', 'add a port').argument('<port>', 'Linux interface name'), true).action(async (name: string, o: PortOpts) => {
    const { port: p } = portFromOpts(name, o);
    await call(sw(), 'AddPort', { port: p });
  });
  portOptions(sub(port, 'set', 'change settings of a port (VLAN membership, mode, bridge, ...); only the given options change').argument('<port>'), false).action(
    async (name: string, o: PortOpts) => {
      const { port: p, mask } = portFromOpts(name, o);
      if (mask.length === 0) throw new UsageError('port set: give at least one setting to change (see --help)');
      await call(sw(), 'UpdatePort', { port: p, updateMask: mask });
    },
  );
  sub(port, 'del', 'delete a port').argument('<port>').action(async (name: string) => {
    await call(sw(), 'DeletePort', { name });
  });

  // ---- bridge ----
  const bridge = sub(program, 'bridge', 'bridge domains: list, add, del');
  readOpts(sub(bridge, 'list', 'list bridge domains')).action(async (o: { json?: boolean; quiet?: boolean }) => {
    const bridges = (await list<SwitchServiceClient, object, { bridge: Bridge__Output }>(sw(), 'ListBridge', {})).map((r) => r.bridge);
    if (o.json) return json(bridges.map((b) => ({ name: b.name, maxMacs: b.maxMacs, ports: b.ports, macs: b.macs })));
    if (o.quiet) return io.out(bridges.map((b) => `${b.name}\n`).join(''));
    io.out(
      table(
        [{ header: 'bridge' }, { header: 'MACs', align: 'right' }, { header: 'max MACs', align: 'right' }, { header: 'ports' }],
        bridges.map((b) => [b.name, b.macs, b.maxMacs, b.ports.join(' ') || '-']),
      ),
    );
  });
  sub(bridge, 'add', 'add a bridge domain')
    .argument('<bridge>')
    .option('--max-macs <n>', 'FDB size (default 65536)', int('max-macs', 16, 16_000_000))
    .action(async (name: string, o: { maxMacs?: number }) => {
      await call(sw(), 'AddBridge', { bridge: { name, maxMacs: o.maxMacs ?? 0 } });
    });
  sub(bridge, 'del', 'delete a bridge domain (it must have no ports)').argument('<bridge>').action(async (name: string) => {
    await call(sw(), 'DeleteBridge', { name });
  });

  // ---- fdb ----
  const fdb = sub(program, 'fdb', 'forwarding database: show, add, del, flush, monitor');
  readOpts(sub(fdb, 'show', 'show FDB entries (OVS fdb/show)'))
    .option('--bridge <bridge>', 'only this bridge')
    .option('--vlan <vid>', 'only this VLAN', vlanArg)
    .option('--port <port>', 'only entries on this port')
    .action(async (o: { bridge?: string; vlan?: number; port?: string; json?: boolean; quiet?: boolean }) => {
      const entries = (
        await list<SwitchServiceClient, object, { entry: FdbEntry__Output }>(sw(), 'ListFdb', { bridge: o.bridge ?? '', vlan: o.vlan ?? 0, port: o.port ?? '' })
      ).map((r) => r.entry);
      if (o.json) return json(entries.map((e) => ({ bridge: e.bridge, port: e.port, vlan: e.vlan, mac: e.mac, static: e.static, age: e.age })));
      if (o.quiet) return io.out(entries.map((e) => `${e.mac}\n`).join(''));
      io.out(renderFdb(entries, o.bridge === undefined));
    });
  sub(fdb, 'add', 'add a static entry (OVS fdb/add order)')
    .argument('<bridge>')
    .argument('<port>')
    .argument('<vlan>', 'VLAN ID', vlanArg)
    .argument('<mac>')
    .action(async (b: string, p: string, vlan: number, mac: string) => {
      await call(sw(), 'AddFdb', { bridge: b, port: p, vlan, mac });
    });
  sub(fdb, 'del', 'delete an entry (OVS fdb/del order)')
    .argument('<bridge>')
    .argument('<vlan>', 'VLAN ID', vlanArg)
    .argument('<mac>')
    .action(async (b: string, vlan: number, mac: string) => {
      await call(sw(), 'DeleteFdb', { bridge: b, vlan, mac });
    });
  sub(fdb, 'flush', 'remove learned entries (all bridges unless one is given)')
    .argument('[bridge]')
    .option('--port <port>', 'only entries on this port')
    .option('--vlan <vid>', 'only this VLAN', vlanArg)
    .option('--static', 'static entries too')
    .option('--json', 'JSON output')
    .action(async (b: string | undefined, o: { port?: string; vlan?: number; static?: boolean; json?: boolean }) => {
      const r = await call<SwitchServiceClient, object, { flushed: number }>(sw(), 'FlushFdb', {
        bridge: b ?? '',
        port: o.port ?? '',
        vlan: o.vlan ?? 0,
        includeStatic: !!o.static,
      });
      if (o.json) json({ flushed: r.flushed });
      else io.out(`flushed ${r.flushed} entr${r.flushed === 1 ? 'y' : 'ies'}\n`);
    });

  sub(fdb, 'monitor', 'print MAC learning events as they happen (until Ctrl-C or --count)')
    .option('--bridge <bridge>', 'only this bridge')
    .option('--count <n>', 'stop after N events', int('count', 1, 1_000_000_000))
    .option('--json', 'one JSON object per line')
    .action(async (o: { bridge?: string; count?: number; json?: boolean }) => {
      await new Promise<void>((resolve, reject) => {
        let n = 0;
        const s = sw().WatchEvent({ fdb: true, bridge: o.bridge ?? '' });
        s.on('data', (m: WatchEventResponse__Output) => {
          const e = m.fdb;
          if (!e) return;
          if (o.json) {
            const kind = e.type.replace('FDB_EVENT_TYPE_', '').toLowerCase();
            io.out(`${JSON.stringify(kind === 'lost' ? { event: kind, lost: e.lost } : { event: kind, bridge: e.bridge, port: e.port, vlan: e.vlan, mac: e.mac, ...(e.oldPort ? { oldPort: e.oldPort } : {}) })}\n`);
          } else io.out(`${formatFdbEvent(e)}\n`);
          if (o.count !== undefined && ++n >= o.count) {
            s.cancel();
            resolve();
          }
        });
        s.on('error', (err: ServiceError) => (err.code === status.CANCELLED ? resolve() : reject(err)));
        s.on('end', () => resolve());
      });
    });

  // ---- vrf ----
  const vrf = sub(program, 'vrf', 'VRFs (routing tables): list, add, del');
  readOpts(sub(vrf, 'list', 'list VRFs')).action(async (o: { json?: boolean; quiet?: boolean }) => {
    const vrfs = (await list<RoutingServiceClient, object, { vrf: Vrf__Output }>(rt(), 'ListVrf', {})).map((r) => r.vrf);
    if (o.json) return json(vrfs.map((v) => ({ name: v.name, id: v.id, routes: v.routes, staticRoutes: v.staticRoutes, ports: v.ports })));
    if (o.quiet) return io.out(vrfs.map((v) => `${v.name}\n`).join(''));
    io.out(
      table(
        [{ header: 'VRF' }, { header: 'id', align: 'right' }, { header: 'routes', align: 'right' }, { header: 'static', align: 'right' }, { header: 'ports' }],
        vrfs.map((v) => [v.name, v.id, v.routes, v.staticRoutes, v.ports.join(' ') || '-']),
      ),
    );
  });
  sub(vrf, 'add', 'add a VRF').argument('<vrf>').action(async (name: string) => {
    await call(rt(), 'AddVrf', { vrf: { name } });
  });
  sub(vrf, 'del', 'delete a VRF and its static routes (it must have no ports)').argument('<vrf>').action(async (name: string) => {
    await call(rt(), 'DeleteVrf', { name });
  });

  // ---- route ----
  const route = sub(program, 'route', 'routes: show (the FIB), add, del (static routes)');
  readOpts(sub(route, 'show', 'show the FIB: static, connected, local and vm routes'))
    .option('--vrf <vrf>', 'only this VRF')
    .option('-4', 'IPv4 only')
    .option('-6', 'IPv6 only')
    .addOption(new Option('--origin <origin>', 'only routes of this origin').choices(Object.keys(ORIGIN)))
    .action(async (o: { vrf?: string; '4'?: boolean; '6'?: boolean; origin?: string; json?: boolean; quiet?: boolean }) => {
      if (o['4'] && o['6']) throw new UsageError('route show: -4 and -6 exclude each other');
      const routes = (
        await list<RoutingServiceClient, object, { route: Route__Output }>(rt(), 'ListRoute', {
          vrf: o.vrf ?? '',
          afi: o['4'] ? 'AFI_IP' : o['6'] ? 'AFI_IP6' : 'AFI_UNSPECIFIED',
          origin: o.origin ? ORIGIN[o.origin] : 'ROUTE_ORIGIN_UNSPECIFIED',
        })
      ).map((r) => routeJson(r.route));
      if (o.json) return json(routes);
      if (o.quiet) return io.out(routes.map((r) => `${r.prefix}\n`).join(''));
      io.out(renderRoutes(routes));
    });
  sub(route, 'add', 'add a static route: PREFIX via GW [GW...] [dev PORT] | blackhole | unreachable')
    .requiredOption('--vrf <vrf>', 'the VRF')
    .option('--port <port>', 'outgoing routed port (default: the one whose subnet holds the gateway)')
    .option('--replace', 'replace a static route to the same prefix')
    .option('-6', "IPv6: 'default' means ::/0")
    .argument('<prefix>', "CIDR, or 'default'")
    .argument('<nexthop...>', 'via GW [GW...] | blackhole | unreachable')
    .action(async (prefix: string, words: string[], o: { vrf: string; port?: string; replace?: boolean; '6'?: boolean }) => {
      const r = parseRouteArgs(prefix, words, o);
      await call(rt(), 'AddRoute', { route: { vrf: o.vrf, ...r }, replace: !!o.replace });
    });
  sub(route, 'del', 'delete a static route')
    .requiredOption('--vrf <vrf>', 'the VRF')
    .option('-6', "IPv6: 'default' means ::/0")
    .argument('<prefix>', "CIDR, or 'default'")
    .action(async (prefix: string, o: { vrf: string; '6'?: boolean }) => {
      await call(rt(), 'DeleteRoute', { vrf: o.vrf, prefix: prefix === 'default' && o['6'] ? '::/0' : prefix });
    });

  // ---- neigh ----
  const neigh = sub(program, 'neigh', 'neighbor (ARP/ND) table of routed and vm ports: show, add, flush');
  readOpts(sub(neigh, 'show', 'show neighbor entries (ip neigh)'))
    .option('--port <port>', 'only this port')
    .option('--vrf <vrf>', 'only ports of this VRF')
    .option('-4', 'IPv4 (ARP) only')
    .option('-6', 'IPv6 (ND) only')
    .action(async (o: { port?: string; vrf?: string; '4'?: boolean; '6'?: boolean; json?: boolean; quiet?: boolean }) => {
      if (o['4'] && o['6']) throw new UsageError('neigh show: -4 and -6 exclude each other');
      const ns = (
        await list<RoutingServiceClient, object, { neighbor: Neighbor__Output }>(rt(), 'ListNeighbor', {
          port: o.port ?? '',
          vrf: o.vrf ?? '',
          afi: o['4'] ? 'AFI_IP' : o['6'] ? 'AFI_IP6' : 'AFI_UNSPECIFIED',
        })
      ).map((r) => neighJson(r.neighbor));
      if (o.json) return json(ns);
      if (o.quiet) return io.out(ns.map((n) => `${n.ip}\n`).join(''));
      io.out(
        table(
          [{ header: 'IP' }, { header: 'port' }, { header: 'MAC' }, { header: 'state' }, { header: 'age', align: 'right' }],
          ns.map((n) => [n.ip, n.port, n.mac ?? '-', n.state.toUpperCase(), n.state === 'permanent' ? '-' : n.age]),
        ),
      );
    });
  sub(neigh, 'add', 'add (or replace) a permanent entry')
    .argument('<port>', 'routed or vm port')
    .argument('<ip>')
    .argument('<mac>')
    .action(async (p: string, ip: string, mac: string) => {
      await call(rt(), 'AddNeighbor', { port: p, ip, mac });
    });
  sub(neigh, 'flush', 'remove resolved and pending entries (all ports unless --port)')
    .option('--port <port>', 'only this port')
    .option('--permanent', 'permanent entries too')
    .option('--json', 'JSON output')
    .action(async (o: { port?: string; permanent?: boolean; json?: boolean }) => {
      const r = await call<RoutingServiceClient, object, { flushed: number }>(rt(), 'FlushNeighbor', {
        port: o.port ?? '',
        includePermanent: !!o.permanent,
      });
      if (o.json) json({ flushed: r.flushed });
      else io.out(`flushed ${r.flushed} entr${r.flushed === 1 ? 'y' : 'ies'}\n`);
    });

  // ---- bgp ----
  addBgpCommands(program, { sub, readOpts, out: (t) => io.out(t), json, client: bgpClient, usage: (m) => new UsageError(m) });

  // ---- stats ----
  readOpts(sub(program, 'stats', 'port counters (all ports, or every counter of one port)').argument('[port]')).action(
    async (name: string | undefined, o: { json?: boolean; quiet?: boolean }) => {
      const rows = (
        await list<SwitchServiceClient, object, { portCounters: { port: string; counters: Record<string, number> } }>(sw(), 'ListPortCounters', {
          ports: name ? [name] : [],
        })
      ).map((r) => r.portCounters);
      if (o.json) return json(Object.fromEntries(rows.map((r) => [r.port, r.counters])));
      if (o.quiet) return io.out(rows.map((r) => `${r.port}\n`).join(''));
      if (name) {
        const descs = await list<SwitchServiceClient, object, { counter: { name: string; help: string } }>(sw(), 'ListCounterDescriptor', {});
        const c = rows[0]!.counters;
        io.out(
          table(
            [{ header: 'counter' }, { header: 'value', align: 'right' }, { header: 'meaning' }],
            descs.map((d) => [d.counter.name, c[d.counter.name] ?? 0, d.counter.help]),
          ),
        );
        return;
      }
      const drops = (c: Record<string, number>) => Object.entries(c).reduce((s, [k, v]) => (k.startsWith('drop_') ? s + v : s), 0);
      io.out(
        table(
          ['port', 'RX packets', 'RX bytes', 'TX packets', 'TX bytes', 'drops', 'flooded'].map((h, i) => ({ header: h, align: i ? ('right' as const) : ('left' as const) })),
          rows.map((r) => [r.port, r.counters.rx_packets ?? 0, r.counters.rx_bytes ?? 0, r.counters.tx_packets ?? 0, r.counters.tx_bytes ?? 0, drops(r.counters), r.counters.flooded ?? 0]),
        ),
      );
    },
  );

  // ---- daemon ----
  const daemon = sub(program, 'daemon', 'the daemon: info, reload, log-level');
  sub(daemon, 'info', 'version, uptime, listeners, sizes')
    .option('--json', 'JSON output')
    .action(async (o: { json?: boolean }) => {
      const i = await call<DaemonServiceClient, object, GetDaemonInfoResponse__Output>(dm(), 'GetDaemonInfo', {});
      if (o.json) return json(i);
      io.out(
        keyValues([
          ['version', i.version],
          ['pid', i.pid],
          ['uptime', duration(i.uptimeSeconds)],
          ['started', new Date(i.startTimeUnixMs).toISOString()],
          ['node', i.nodeVersion],
          ['config', i.configFile || '(built-in default)'],
          ['workers', i.workers],
          ['bridges', i.bridges],
          ['ports', i.ports],
          ['vrfs', i.vrfs],
          ['fdb aging', `${i.fdbAgingSeconds}s`],
          ['api socket', i.apiSocket],
          ['api tcp', i.apiTcp || 'off'],
          ['metrics', i.metricsListen || 'off'],
          ['log level', i.logLevel],
        ]),
      );
    });
  sub(daemon, 'reload', 're-read the config file and apply the difference (as SIGHUP)')
    .option('--json', 'JSON output')
    .action(async (o: { json?: boolean }) => {
      const r = await call<DaemonServiceClient, object, ReloadConfigResponse__Output>(dm(), 'ReloadConfig', {});
      if (o.json) return json(r);
      const parts = (
        [
          ['bridges added', r.bridgesAdded],
          ['bridges removed', r.bridgesRemoved],
          ['ports added', r.portsAdded],
          ['ports removed', r.portsRemoved],
          ['ports changed', r.portsChanged],
          ['vrfs added', r.vrfsAdded],
          ['vrfs removed', r.vrfsRemoved],
          ['vrfs changed', r.vrfsChanged],
        ] as const
      ).filter(([, v]) => v.length);
      io.out(parts.length ? keyValues(parts.map(([k, v]) => [k, v.join(' ')])) : 'reloaded: no change\n');
    });
  sub(daemon, 'log-level', 'set the log level')
    .argument('<level>', 'fatal | error | warn | info | debug | trace')
    .action(async (level: string) => {
      await call(dm(), 'SetLogLevel', { level });
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return EXIT.ok;
      if (e.code === 'commander.help') return EXIT.usage;
      // commander already printed its message; an argument parser's throw has not
      if (e.code === 'commander.invalidArgument' && !e.message.startsWith('error:')) io.err(`hvswitch: ${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof UsageError) {
      io.err(`hvswitch: ${e.message}\n`);
      return EXIT.usage;
    }
    const g = e as Partial<ServiceError>;
    if (typeof g.code === 'number') {
      const msg = unreachableMessage(e, socket);
      if (msg) {
        io.err(`hvswitch: ${msg}\n`);
        return EXIT.unreachable;
      }
      io.err(`hvswitch: ${g.details || g.message}\n`);
      if (g.code === status.INVALID_ARGUMENT) return EXIT.usage;
      if (g.code === status.NOT_FOUND) return EXIT.notFound;
      return EXIT.failed;
    }
    io.err(`hvswitch: ${(e as Error).message ?? String(e)}\n`);
    return EXIT.failed;
  } finally {
    client?.close();
  }
}
