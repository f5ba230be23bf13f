// `hvswitch daemon info|reload|log-level`: the daemon itself.
import type { Command } from 'commander';

import type { DaemonServiceClient } from '../../api/gen/hvswitch/v1/DaemonService.js';
import type { GetDaemonInfoResponse__Output } from '../../api/gen/hvswitch/v1/GetDaemonInfoResponse.js';
import type { ReloadConfigResponse__Output } from '../../api/gen/hvswitch/v1/ReloadConfigResponse.js';
import { call, type CliContext } from '../context.js';
import { duration, keyValues } from '../format.js';

function renderInfo(i: GetDaemonInfoResponse__Output): string {
  return keyValues([
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
  ]);
}

function renderReload(r: ReloadConfigResponse__Output): string {
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
  return parts.length ? keyValues(parts.map(([k, v]) => [k, v.join(' ')])) : 'reloaded: no change\n';
}

export function addDaemonCommands(program: Command, x: CliContext): void {
  const daemon = x.sub(program, 'daemon', 'the daemon: info, reload, log-level');
  // a read of one message: the key: value text, or --json
  const show = <R>(name: string, desc: string, rpc: 'GetDaemonInfo' | 'ReloadConfig', render: (r: R) => string) =>
    x.sub(daemon, name, desc)
      .option('--json', 'JSON output')
      .action(async (o: { json?: boolean }) => {
        const r = await call<DaemonServiceClient, object, R>(x.dm(), rpc, {});
        if (o.json) return x.json(r);
        x.out(render(r));
      });
  show<GetDaemonInfoResponse__Output>('info', 'version, uptime, listeners, sizes', 'GetDaemonInfo', renderInfo);
  show<ReloadConfigResponse__Output>('reload', 're-read the config file and apply the difference (as SIGHUP)', 'ReloadConfig', renderReload);
  x.sub(daemon, 'log-level', 'set the log level')
    .argument('<level>', 'fatal | error | warn | info | debug | trace')
    .action(async (level: string) => {
      await call(x.dm(), 'SetLogLevel', { level });
    });
}
