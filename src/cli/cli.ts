// `hvswitch`: the command-line client of the hvswitch API, in the style of
// gobgp (`hvswitch <object> <verb>`) with OVS wording in tables
// (` port  VLAN  MAC                Age`) and iproute2/FRR wording for L3
// (`via 192.0.2.2 dev up0`, `ip neigh` states).  Every read command prints a table
// for people, `--json` for scripts and `-q` for keys only.  Errors go to
// stderr, never as a stack trace.  Exit codes: 0 ok, 1 refused or failed by
// the daemon, 2 bad usage or invalid argument, 3 daemon unreachable, 4 not found.
//
// This module only assembles the program: the global options, one
// `commands/<group>.ts` per command group, and the mapping of errors to exit
// codes.  The shared plumbing (clients, `sub`, `readOpts`, parsers) is in
// context.ts.
import { Command, CommanderError } from 'commander';

import { status, type ServiceError } from '@grpc/grpc-js';

import { unreachableMessage } from '../api/client.js';
import { addBgpCommands } from './commands/bgp/index.js';
import { addBridgeCommands } from './commands/bridge.js';
import { addDaemonCommands } from './commands/daemon.js';
import { addEvpnCommands } from './commands/evpn.js';
import { addLacpCommands } from './commands/lacp.js';
import { addFdbCommands } from './commands/fdb.js';
import { addNeighCommands } from './commands/neigh.js';
import { addPortCommands } from './commands/port.js';
import { addRouteCommands } from './commands/route.js';
import { addStatsCommands } from './commands/stats.js';
import { addStpCommands } from './commands/stp.js';
import { addVrfCommands } from './commands/vrf.js';
import { cliContext, Connection, DEFAULT_SOCKET, EXIT, UsageError, type CliIo } from './context.js';

export { DEFAULT_SOCKET, EXIT, type CliIo } from './context.js';
export { portJson, type PortJson } from './commands/port.js';
export { formatFdbEvent } from './commands/fdb.js';
export { evpnJson, renderEvpn, type EvpnJson } from './commands/evpn.js';
export { renderStp, type StpJson } from './commands/stp.js';
export { neighJson, type NeighJson } from './commands/neigh.js';
export { parseRouteArgs, renderRoutes, routeJson, type RouteJson } from './commands/route.js';

export async function runCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const conn = new Connection(env.HVSWITCH_SOCKET || DEFAULT_SOCKET);
  const program = new Command()
    .name('hvswitch')
    .description('hvswitch command-line client: ports, bridges, FDB, VRFs, routes, neighbors, BGP, EVPN, spanning tree, counters, daemon')
    .option('-s, --socket <path>', `API socket of hvswitchd (env HVSWITCH_SOCKET; default ${DEFAULT_SOCKET}), or host:port (TLS)`)
    .option('--ca <file>', 'host:port: PEM CA that signed the daemon certificate (default: system CAs)')
    .option('--cert <file>', 'host:port: PEM client certificate (when the daemon asks for one)')
    .option('--key <file>', 'host:port: PEM key of --cert')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .hook('preAction', (cmd) => {
      const o = cmd.opts<{ socket?: string; ca?: string; cert?: string; key?: string }>();
      if (o.socket) conn.socket = o.socket;
      conn.tls = { ca: o.ca, cert: o.cert, key: o.key };
    });
  // the order of the groups is the order of `hvswitch --help`
  const ctx = cliContext(io, conn);
  for (const add of [addPortCommands, addBridgeCommands, addFdbCommands, addVrfCommands, addRouteCommands, addNeighCommands, addBgpCommands, addEvpnCommands, addStpCommands, addLacpCommands, addStatsCommands, addDaemonCommands]) add(program, ctx);

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
      const msg = unreachableMessage(e, conn.socket);
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
    conn.close();
  }
}
