// `hvswitch fdb show|add|del|flush|monitor`: the forwarding database in OVS
// words (`fdb/show` table, `fdb/add` argument order) and MAC learning events
// in the words of `bridge monitor fdb`.
import { status, type ServiceError } from '@grpc/grpc-js';
import type { Command } from 'commander';

import type { Egress__Output } from '../../api/gen/hvswitch/v1/Egress.js';
import type { FdbEntry__Output } from '../../api/gen/hvswitch/v1/FdbEntry.js';
import type { FdbEvent__Output } from '../../api/gen/hvswitch/v1/FdbEvent.js';
import type { SwitchServiceClient } from '../../api/gen/hvswitch/v1/SwitchService.js';
import type { WatchEventResponse__Output } from '../../api/gen/hvswitch/v1/WatchEventResponse.js';
import { call, flushedText, int, list, vlanArg, type CliContext } from '../context.js';

/** An egress that is not a local port, for JSON: {kind: 'tunnel', index: 3}. */
function egressJson(e: Egress__Output): { kind: string; index: number } {
  return { kind: e.kind.replace('EGRESS_KIND_', '').toLowerCase(), index: e.index };
}

/** ... and as text: `tunnel:3`, `bond:1`. */
function egressText(e: Egress__Output | null): string {
  if (!e) return '';
  const j = egressJson(e);
  return `${j.kind}:${j.index}`;
}

/** Where a remote entry points: `vxlan:192.0.2.2/10010` (VTEP/VNI) when the
 *  egress is a VXLAN tunnel the server names, else `tunnel:3`, `bond:1`. */
function remoteText(e: FdbEntry__Output): string {
  return e.vtep ? `vxlan:${e.vtep}/${e.vni}` : egressText(e.egress);
}

/** The entry kind's word: learned, static, remote (static when the server is older). */
function fdbKind(e: FdbEntry__Output): string {
  const k = e.kind.replace('FDB_ENTRY_KIND_', '').toLowerCase();
  return k === 'unspecified' ? (e.static ? 'static' : 'learned') : k;
}

function renderFdb(entries: FdbEntry__Output[], allBridges: boolean): string {
  // OVS fdb/show, verbatim: a fixed header " port  VLAN  MAC                Age"
  // and rows "%5s  %4d  MAC  %3d" (a longer port name widens its row only, as
  // in OVS); entries that do not age show their kind there instead, "static"
  // as in OVS, or "remote" (a MAC behind a tunnel or bond, whose port column
  // shows it: "vxlan:192.0.2.2/10010", a VXLAN tunnel's VTEP and VNI, or
  // "tunnel:3", "bond:1").  Entries of several bridges get a leading bridge
  // column, as ovs-appctl fdb/show with several bridges does.  When remote
  // entries of EVPN instances are listed, a last column gives their MAC
  // mobility sequence number (RFC 7432 §7.7), as FRR's `show evpn mac` does.
  const withSeq = entries.some((e) => e.seq !== undefined);
  const multi = allBridges && new Set(entries.map((e) => e.bridge)).size > 1;
  const bw = Math.max(6, ...entries.map((e) => e.bridge.length));
  const head = `${multi ? `${'bridge'.padEnd(bw)} ` : ''} port  VLAN  MAC                ${withSeq ? 'Age     Seq' : 'Age'}`;
  const rows = entries.map((e) => {
    const kind = fdbKind(e);
    const port = e.port || remoteText(e);
    const age = kind === 'learned' ? String(e.age).padStart(3) : kind;
    const seq = withSeq ? `${age.padEnd(6)}  ${e.seq !== undefined ? String(e.seq).padStart(3) : ''}`.trimEnd() : age;
    return `${multi ? `${e.bridge.padEnd(bw)} ` : ''}${port.padStart(5)}  ${String(e.vlan).padStart(4)}  ${e.mac}  ${seq}`;
  });
  return [head, ...rows].join('\n') + '\n';
}

/** One entry in `fdb show --json`: the egress only when it is a tunnel or bond,
 *  with the VTEP and VNI when it is a VXLAN tunnel, the MAC mobility sequence
 *  number when an EVPN instance installed it. */
function fdbJson(e: FdbEntry__Output): object {
  const egress = e.egress ? { egress: egressJson(e.egress) } : {};
  const vxlan = e.vtep ? { vtep: e.vtep, vni: e.vni } : {};
  const seq = e.seq !== undefined ? { seq: e.seq } : {};
  return { bridge: e.bridge, port: e.port, vlan: e.vlan, mac: e.mac, kind: fdbKind(e), static: e.static, age: e.age, ...egress, ...vxlan, ...seq };
}

/** One line per event, in the words of `bridge monitor fdb` / OVS logs. */
export function formatFdbEvent(e: FdbEvent__Output): string {
  switch (e.type) {
    case 'FDB_EVENT_TYPE_LOST':
      return `lost ${e.lost} events (event ring full)`;
    case 'FDB_EVENT_TYPE_MOVED':
      return `moved   ${e.mac} vlan ${e.vlan} bridge ${e.bridge} port ${e.oldPort || egressText(e.oldEgress)} -> ${e.port}`;
    case 'FDB_EVENT_TYPE_AGED':
      return `aged    ${e.mac} vlan ${e.vlan} bridge ${e.bridge} port ${e.port}`;
    default:
      return `learned ${e.mac} vlan ${e.vlan} bridge ${e.bridge} port ${e.port}`;
  }
}

/** One event as a JSON line (`fdb monitor --json`). */
function fdbEventJson(e: FdbEvent__Output): string {
  const kind = e.type.replace('FDB_EVENT_TYPE_', '').toLowerCase();
  const old = e.oldPort ? { oldPort: e.oldPort } : e.oldEgress ? { oldEgress: egressJson(e.oldEgress) } : {};
  return JSON.stringify(kind === 'lost' ? { event: kind, lost: e.lost } : { event: kind, bridge: e.bridge, port: e.port, vlan: e.vlan, mac: e.mac, ...old });
}

/** Streams FDB events until the count is reached, the stream ends or is cancelled. */
function monitor(x: CliContext, o: { bridge?: string; count?: number; json?: boolean }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let n = 0;
    const s = x.sw().WatchEvent({ fdb: true, bridge: o.bridge ?? '' });
    s.on('data', (m: WatchEventResponse__Output) => {
      const e = m.fdb;
      if (!e) return;
      x.out(`${o.json ? fdbEventJson(e) : formatFdbEvent(e)}\n`);
      if (o.count !== undefined && ++n >= o.count) {
        s.cancel();
        resolve();
      }
    });
    s.on('error', (err: ServiceError) => (err.code === status.CANCELLED ? resolve() : reject(err)));
    s.on('end', () => resolve());
  });
}

export function addFdbCommands(program: Command, x: CliContext): void {
  const fdb = x.sub(program, 'fdb', 'forwarding database: show, add, del, flush, monitor');
  x.readOpts(x.sub(fdb, 'show', 'show FDB entries (OVS fdb/show)'))
    .option('--bridge <bridge>', 'only this bridge')
    .option('--vlan <vid>', 'only this VLAN', vlanArg)
    .option('--port <port>', 'only entries on this port')
    .action(async (o: { bridge?: string; vlan?: number; port?: string; json?: boolean; quiet?: boolean }) => {
      const entries = (
        await list<SwitchServiceClient, object, { entry: FdbEntry__Output }>(x.sw(), 'ListFdb', { bridge: o.bridge ?? '', vlan: o.vlan ?? 0, port: o.port ?? '' })
      ).map((r) => r.entry);
      if (o.json) return x.json(entries.map(fdbJson));
      if (o.quiet) return x.out(entries.map((e) => `${e.mac}\n`).join(''));
      x.out(renderFdb(entries, o.bridge === undefined));
    });
  x.sub(fdb, 'add', 'add a static entry (OVS fdb/add order)')
    .argument('<bridge>')
    .argument('<port>')
    .argument('<vlan>', 'VLAN ID', vlanArg)
    .argument('<mac>')
    .action(async (b: string, p: string, vlan: number, mac: string) => {
      await call(x.sw(), 'AddFdb', { bridge: b, port: p, vlan, mac });
    });
  x.sub(fdb, 'del', 'delete an entry (OVS fdb/del order)')
    .argument('<bridge>')
    .argument('<vlan>', 'VLAN ID', vlanArg)
    .argument('<mac>')
    .action(async (b: string, vlan: number, mac: string) => {
      await call(x.sw(), 'DeleteFdb', { bridge: b, vlan, mac });
    });
  x.sub(fdb, 'flush', 'remove learned entries (all bridges unless one is given)')
    .argument('[bridge]')
    .option('--port <port>', 'only entries on this port')
    .option('--vlan <vid>', 'only this VLAN', vlanArg)
    .option('--static', 'static entries too')
    .option('--json', 'JSON output')
    .action(async (b: string | undefined, o: { port?: string; vlan?: number; static?: boolean; json?: boolean }) => {
      const r = await call<SwitchServiceClient, object, { flushed: number }>(x.sw(), 'FlushFdb', {
        bridge: b ?? '',
        port: o.port ?? '',
        vlan: o.vlan ?? 0,
        includeStatic: !!o.static,
      });
      if (o.json) x.json({ flushed: r.flushed });
      else x.out(flushedText(r.flushed));
    });
  x.sub(fdb, 'monitor', 'print MAC learning events as they happen (until Ctrl-C or --count)')
    .option('--bridge <bridge>', 'only this bridge')
    .option('--count <n>', 'stop after N events', int('count', 1, 1_000_000_000))
    .option('--json', 'one JSON object per line')
    .action((o: { bridge?: string; count?: number; json?: boolean }) => monitor(x, o));
}
