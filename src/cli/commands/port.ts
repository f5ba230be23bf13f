// `hvswitch port list|show|add|set|del`: ports in the config's vocabulary
// (backend, mode, bridge, VLANs), with `port set` sending only the given
// options as an update mask.
import { Option, type Command } from 'commander';

import { backendName, modeName } from '../../api/convert.js';
import type { Port, Port__Output } from '../../api/gen/hvswitch/v1/Port.js';
import type { PortBackend } from '../../api/gen/hvswitch/v1/PortBackend.js';
import type { PortMode } from '../../api/gen/hvswitch/v1/PortMode.js';
import type { SwitchServiceClient } from '../../api/gen/hvswitch/v1/SwitchService.js';
import { call, int, list, UsageError, vlanArg, type CliContext } from '../context.js';
import { addCaptureCommand } from './capture.js';
import { keyValues, parseVlanList, table, vlanRanges } from '../format.js';

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
  /** up: in the dataplane; absent: its interface is missing (`reason` says why) */
  state: 'up' | 'absent';
  reason: string | null;
  /** af-xdp: how the port runs (AF_XDP mode, or af-packet after a fallback, `fallback` says why) */
  datapath: string | null;
  fallback: string | null;
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
    state: p.status?.state === 'PORT_OPER_STATE_ABSENT' ? 'absent' : 'up',
    reason: p.status?.reason || null,
    datapath: p.status?.datapath || null,
    fallback: p.status?.fallback || null,
  };
}

function vlansOf(p: PortJson): string {
  if (p.mode === 'access') return String(p.vlan);
  if (p.mode === 'trunk') return `${vlanRanges(p.allowedVlans)}${p.nativeVlan ? ` native ${p.nativeVlan}` : ''}`;
  return '-';
}

const BACKEND: Record<string, PortBackend> = { tap: 'PORT_BACKEND_TAP', 'af-packet': 'PORT_BACKEND_AF_PACKET', 'af-xdp': 'PORT_BACKEND_AF_XDP', memory: 'PORT_BACKEND_MEMORY' };
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
  const backend = new Option('--backend <kind>', 'tap | af-packet | af-xdp | memory').choices(Object.keys(BACKEND));
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

/** `port show PORT`: settings, state and the non-zero counters as key: value lines. */
function renderPort(p: PortJson, counters: Record<string, number>): string {
  const pairs: [string, string | number | boolean][] = [
    ['port', p.name],
    ['backend', p.backend + (p.created ? ' (created by hvswitchd)' : '')],
    ['mode', p.mode],
    ['state', p.state === 'absent' ? `absent: ${p.reason ?? 'interface missing'}` : 'up'],
  ];
  if (p.datapath) pairs.push(['datapath', p.datapath + (p.fallback ? ` (fallback: ${p.fallback})` : '')]);
  if (p.bridge) pairs.push(['bridge', p.bridge]);
  if (p.mode === 'access' || p.mode === 'trunk') pairs.push(['VLAN', vlansOf(p)]);
  if (p.vrf) pairs.push(['vrf', p.vrf]);
  if (p.addresses.length) pairs.push(['addresses', p.addresses.join(' ')]);
  if (p.mac) pairs.push(['mac', p.mac]);
  if (p.vmMac) pairs.push(['vm-mac', p.vmMac]);
  pairs.push(['mac-limit', p.macLimit], ['MTU', p.mtu], ['MACs', p.macs]);
  for (const [k, v] of Object.entries(counters)) if (v) pairs.push([k, v]);
  return keyValues(pairs);
}

export function addPortCommands(program: Command, x: CliContext): void {
  const port = x.sub(program, 'port', 'ports: list, show, add, set, del, capture');
  addCaptureCommand(port, x);
  x.readOpts(x.sub(port, 'list', 'list ports')).action(async (o: { json?: boolean; quiet?: boolean }) => {
    const ports = (await list<SwitchServiceClient, object, { port: Port__Output }>(x.sw(), 'ListPort', {})).map((r) => portJson(r.port));
    if (o.json) return x.json(ports);
    if (o.quiet) return x.out(ports.map((p) => `${p.name}\n`).join(''));
    x.out(
      table(
        [{ header: 'port' }, { header: 'backend' }, { header: 'mode' }, { header: 'bridge' }, { header: 'VLAN' }, { header: 'MACs', align: 'right' }, { header: 'MTU', align: 'right' }, { header: 'state' }],
        ports.map((p) => [p.name, p.backend, p.mode, p.bridge ?? (p.vrf ? `vrf ${p.vrf}` : '-'), vlansOf(p), p.macs, p.mtu, p.state]),
      ),
    );
  });
  x.readOpts(x.sub(port, 'show', 'show one port: settings, state and counters').argument('<port>')).action(
    async (name: string, o: { json?: boolean; quiet?: boolean }) => {
      const [r] = await list<SwitchServiceClient, object, { port: Port__Output }>(x.sw(), 'ListPort', { names: [name] });
      const p = portJson(r!.port);
      const [c] = await list<SwitchServiceClient, object, { portCounters: { counters: Record<string, number> } }>(x.sw(), 'ListPortCounters', {
        ports: [name],
      });
      const counters = c?.portCounters.counters ?? {};
      if (o.json) return x.json({ ...p, counters });
      if (o.quiet) return x.out(`${p.name}\n`);
      x.out(renderPort(p, counters));
    },
  );
  portOptions(x.sub(port, 'add', 'add a port').argument('<port>', 'Linux interface name'), true).action(async (name: string, o: PortOpts) => {
    const { port: p } = portFromOpts(name, o);
    await call(x.sw(), 'AddPort', { port: p });
  });
  portOptions(x.sub(port, 'set', 'change settings of a port (VLAN membership, mode, bridge, ...); only the given options change').argument('<port>'), false).action(
    async (name: string, o: PortOpts) => {
      const { port: p, mask } = portFromOpts(name, o);
      if (mask.length === 0) throw new UsageError('port set: give at least one setting to change (see --help)');
      await call(x.sw(), 'UpdatePort', { port: p, updateMask: mask });
    },
  );
  x.sub(port, 'del', 'delete a port').argument('<port>').action(async (name: string) => {
    await call(x.sw(), 'DeletePort', { name });
  });
}
