// The plumbing every command group of the CLI shares: the io the program
// writes to, the exit codes, the usage error, the API clients (connected
// lazily, on the first command that needs one), the `sub`/`readOpts`
// builders that give every subcommand the same output routing and `--json`
// / `-q` options, and the integer argument parsers.  A command group module
// (`commands/<group>.ts`) exports `add<Group>Commands(program, ctx)` and
// reads nothing else from its caller.
import { readFileSync } from 'node:fs';

import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import type { Command } from 'commander';

import { connectApi, isTcpTarget, type ApiClient } from '../api/client.js';
import type { BgpServiceClient } from '../api/gen/hvswitch/v1/BgpService.js';
import type { DaemonServiceClient } from '../api/gen/hvswitch/v1/DaemonService.js';
import type { EvpnServiceClient } from '../api/gen/hvswitch/v1/EvpnService.js';
import type { StpServiceClient } from '../api/gen/hvswitch/v1/StpService.js';
import type { LacpServiceClient } from '../api/gen/hvswitch/v1/LacpService.js';
import type { RoutingServiceClient } from '../api/gen/hvswitch/v1/RoutingService.js';
import type { SwitchServiceClient } from '../api/gen/hvswitch/v1/SwitchService.js';

export { call, list } from '../api/client.js';

export const DEFAULT_SOCKET = '/run/hvswitch/api.sock';

/** 0 ok, 1 refused or failed by the daemon, 2 bad usage or invalid argument,
 *  3 daemon unreachable, 4 not found. */
export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3, notFound: 4 } as const;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** A bad command line: printed as `hvswitch: MESSAGE`, exit code 2. */
export class UsageError extends Error {}

/** An integer argument parser for commander: digits only, within [min, max]. */
export function int(name: string, min: number, max: number) {
  return (v: string): number => {
    if (!/^\d+$/.test(v)) throw new UsageError(`${name}: '${v}' is not a number`);
    const n = Number(v);
    if (n < min || n > max) throw new UsageError(`${name}: must be ${min}-${max}`);
    return n;
  };
}
export const vlanArg = int('vlan', 1, 4094);

/** `flushed N entries`, shared by `fdb flush` and `neigh flush`. */
export function flushedText(n: number): string {
  return `flushed ${n} entr${n === 1 ? 'y' : 'ies'}\n`;
}

/** `-4` / `-6` of `route show` and `neigh show` as the API's AFI filter. */
export function afiFilter(what: string, o: { '4'?: boolean; '6'?: boolean }): 'AFI_IP' | 'AFI_IP6' | 'AFI_UNSPECIFIED' {
  if (o['4'] && o['6']) throw new UsageError(`${what}: -4 and -6 exclude each other`);
  return o['4'] ? 'AFI_IP' : o['6'] ? 'AFI_IP6' : 'AFI_UNSPECIFIED';
}

export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
}

/** Unix sockets are plain; a TCP target is TLS (the daemon listens on TCP with TLS only). */
export function credentialsFor(target: string, tls: TlsFiles): ChannelCredentials {
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

/** What a command group gets from the program. */
export interface CliContext {
  /** A subcommand that inherits the output routing and exit override. */
  sub(parent: Command, name: string, desc: string, opts?: { isDefault?: boolean }): Command;
  /** `--json` and `-q` of every read command. */
  readOpts(c: Command): Command;
  out(text: string): void;
  json(v: unknown): void;
  sw(): SwitchServiceClient;
  dm(): DaemonServiceClient;
  rt(): RoutingServiceClient;
  bgp(): BgpServiceClient;
  evpn(): EvpnServiceClient;
  stp(): StpServiceClient;
  lacp(): LacpServiceClient;
}

/** The connection the program's global options choose: resolved by the
 *  preAction hook, connected on first use, closed when the program ends. */
export class Connection {
  private client: ApiClient | undefined;
  tls: TlsFiles = {};
  constructor(public socket: string) {}
  api(): ApiClient {
    return (this.client ??= connectApi(this.socket, { credentials: credentialsFor(this.socket, this.tls) }));
  }
  close(): void {
    this.client?.close();
  }
}

export function cliContext(io: CliIo, conn: Connection): CliContext {
  const routed = (c: Command) => c.configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  return {
    sub: (parent, name, desc, opts) => routed(parent.command(name, opts).description(desc).exitOverride().showHelpAfterError()),
    readOpts: (c) => c.option('--json', 'JSON output').option('-q, --quiet', 'keys only'),
    out: (t) => io.out(t),
    json: (v) => io.out(`${JSON.stringify(v, null, 2)}\n`),
    sw: () => conn.api().switch,
    dm: () => conn.api().daemon,
    rt: () => conn.api().routing,
    bgp: () => conn.api().bgp,
    evpn: () => conn.api().evpn,
    stp: () => conn.api().stp,
    lacp: () => conn.api().lacp,
  };
}
