// `hvswitch fdb show|add|del|flush|monitor`: the forwarding database in OVS
// words (`fdb/show` table, `fdb/add` argument order) and MAC learning events
// in the words of `bridge monitor fdb`.
import { status, type ServiceError } from '@grpc/grpc-js';
import type { Command } from 'commander';

import type { FdbEntry__Output } from '../../api/gen/hvswitch/v1/FdbEntry.js';
import type { FdbEvent__Output } from '../../api/gen/hvswitch/v1/FdbEvent.js';
import type { SwitchServiceClient } from '../../api/gen/hvswitch/v1/SwitchService.js';
import type { WatchEventResponse__Output } from '../../api/gen/hvswitch/v1/WatchEventResponse.js';
import { call, flushedText, int, list, vlanArg, type CliContext } from '../context.js';

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

/** One event as a JSON line (`fdb monitor --json`). */
function fdbEventJson(e: FdbEvent__Output): string {
  const kind = e.type.replace('FDB_EVENT_TYPE_', '').toLowerCase();
  return JSON.stringify(kind === 'lost' ? { event: kind, lost: e.lost } : { event: kind, bridge: e.bridge, port: e.port, vlan: e.vlan, mac: e.mac, ...(e.oldPort ? { oldPort: e.oldPort } : {}) });
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
      if (o.json) return x.json(entries.map((e) => ({ bridge: e.bridge, port: e.port, vlan: e.vlan, mac: e.mac, static: e.static, age: e.age })));
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
