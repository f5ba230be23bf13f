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
  x.sub(daemon, 'info', 'version, uptime, listeners, sizes')
    .option('--json', 'JSON output')
    .action(async (o: { json?: boolean }) => {
      const i = await call<DaemonServiceClient, object, GetDaemonInfoResponse__Output>(x.dm(), 'GetDaemonInfo', {});
      if (o.json) return x.json(i);
      x.out(renderInfo(i));
    });
  x.sub(daemon, 'reload', 're-read the config file and apply the difference (as SIGHUP)')
    .option('--json', 'JSON output')
    .action(async (o: { json?: boolean }) => {
      const r = await call<DaemonServiceClient, object, ReloadConfigResponse__Output>(x.dm(), 'ReloadConfig', {});
      if (o.json) return x.json(r);
      x.out(renderReload(r));
    });
  x.sub(daemon, 'log-level', 'set the log level')
    .argument('<level>', 'fatal | error | warn | info | debug | trace')
    .action(async (level: string) => {
      await call(x.dm(), 'SetLogLevel', { level });
    });
}
