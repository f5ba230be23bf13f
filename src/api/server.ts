// The gRPC server: hvswitch.v1 services, grpc.health.v1 and server reflection
// (so grpcurl works), on a unix socket and optionally on TCP with TLS.
//
// The unix socket (default /run/hvswitch/api.sock) is created with mode 0600
// in a directory created if missing, and removed on shutdown.  A socket left
// by a crashed daemon (nobody accepts on it) is replaced; a live one is never
// taken over: startup fails with a message saying who holds it.
import { lstatSync, mkdirSync, readFileSync, chmodSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, resolve } from 'node:path';

import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';

import type { Config, Controller } from '../controller/index.js';
import type { Logger } from '../util/logger.js';
import { bgpHandlers } from './bgp-service.js';
import { daemonHandlers, type DaemonHooks } from './daemon-service.js';
import { evpnHandlers } from './evpn-service.js';
import { stpHandlers } from './stp-service.js';
import { lacpHandlers } from './lacp-service.js';
import { loadProto, SERVICE_NAMES } from './proto.js';
import { routingHandlers } from './routing-service.js';
import { switchHandlers } from './switch-service.js';

export class ApiStartError extends Error {}

// Parse the protos and build the reflection index when hvswitchd loads this
// module (~80 ms), not after the dataplane has started: the socket then
// listens right after 'dataplane started'.
const reflection = new ReflectionService(loadProto().packageDefinition);

export interface TlsFiles {
  cert: string;
  key: string;
  /** CA of client certificates; when set, clients must present one. */
  clientCa?: string | null;
}

export interface ApiServerOptions {
  socket: string;
  /** host:port for an extra TCP listener (off when null). */
  tcp?: string | null;
  tls?: TlsFiles | null;
  /** Allow TCP without TLS (tests on loopback only). */
  insecureTcp?: boolean;
}

export interface ApiServer {
  readonly socket: string;
  /** The bound TCP port, when listening on TCP. */
  readonly tcpPort: number | null;
  readonly health: HealthImplementation;
  close(): Promise<void>;
}

/** Resolves true if something accepts connections on the unix socket `path`. */
export function socketIsLive(path: string): Promise<boolean> {
  return new Promise((res, rej) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      res(true);
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      s.destroy();
      if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT') res(false);
      else rej(new ApiStartError(`cannot probe API socket ${path}: ${e.message}`));
    });
  });
}

/** Makes `path` free for binding, or throws ApiStartError. */
export async function claimSocket(path: string, log: Logger): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (!st.isSocket()) throw new ApiStartError(`API socket path ${path} exists and is not a socket; refusing to replace it`);
  if (await socketIsLive(path))
    throw new ApiStartError(`API socket ${path} is in use by a running process (another hvswitchd?); refusing to take it over`);
  unlinkSync(path);
  log.warn({ socket: path }, 'removed stale API socket left by an earlier run');
}

function bind(server: grpc.Server, address: string, creds: grpc.ServerCredentials): Promise<number> {
  return new Promise((res, rej) => server.bindAsync(address, creds, (err, port) => (err ? rej(err) : res(port))));
}

function tlsCredentials(tls: TlsFiles): grpc.ServerCredentials {
  const read = (f: string, what: string) => {
    try {
      return readFileSync(f);
    } catch (e) {
      throw new ApiStartError(`api.tls.${what}: cannot read ${f}: ${(e as Error).message}`);
    }
  };
  const ca = tls.clientCa ? read(tls.clientCa, 'client-ca') : null;
  return grpc.ServerCredentials.createSsl(ca, [{ cert_chain: read(tls.cert, 'cert'), private_key: read(tls.key, 'key') }], !!ca);
}

export async function startApiServer(
  controller: Controller,
  config: Config,
  log: Logger,
  hooks: DaemonHooks,
  opts: ApiServerOptions,
): Promise<ApiServer> {
  const { proto } = loadProto();
  const server = new grpc.Server();
  server.addService(proto.hvswitch.v1.SwitchService.service, switchHandlers(controller, log));
  server.addService(proto.hvswitch.v1.DaemonService.service, daemonHandlers(controller, config, log, hooks));
  server.addService(proto.hvswitch.v1.RoutingService.service, routingHandlers(controller, log));
  server.addService(proto.hvswitch.v1.BgpService.service, bgpHandlers(controller, log));
  server.addService(proto.hvswitch.v1.EvpnService.service, evpnHandlers(controller, log));
  server.addService(proto.hvswitch.v1.StpService.service, stpHandlers(controller, log));
  server.addService(proto.hvswitch.v1.LacpService.service, lacpHandlers(controller, log));
  const health = new HealthImplementation({ '': 'SERVING', ...Object.fromEntries(SERVICE_NAMES.map((n) => [n, 'SERVING' as const])) });
  health.addToServer(server);
  reflection.addToServer(server);

  const socket = resolve(opts.socket);
  let tcpPort: number | null = null;
  let ino: number | null = null;
  try {
    await claimSocket(socket, log);
    const old = process.umask(0o177); // the socket is born 0600: no window where others may connect
    try {
      await bind(server, `unix:${socket}`, grpc.ServerCredentials.createInsecure());
    } finally {
      process.umask(old);
    }
    chmodSync(socket, 0o600);
    ino = lstatSync(socket).ino;
    if (opts.tcp) {
      let creds: grpc.ServerCredentials;
      if (opts.tls) creds = tlsCredentials(opts.tls);
      else if (opts.insecureTcp) creds = grpc.ServerCredentials.createInsecure();
      else throw new ApiStartError('api.tcp: a TCP listener needs TLS (api.tls.cert and api.tls.key)');
      tcpPort = await bind(server, opts.tcp, creds);
    }
  } catch (e) {
    server.forceShutdown();
    if (ino !== null) removeIfOurs(socket, ino);
    if (e instanceof ApiStartError) throw e;
    throw new ApiStartError(`API: cannot listen: ${(e as Error).message}`);
  }
  log.info({ socket, tcp: opts.tcp ?? null, tcpPort, tls: !!opts.tls }, 'API listening');

  let closed = false;
  return {
    socket,
    tcpPort,
    health,
    async close() {
      if (closed) return;
      closed = true;
      for (const n of ['', ...SERVICE_NAMES]) health.setStatus(n, 'NOT_SERVING');
      await new Promise<void>((res) => {
        const t = setTimeout(() => {
          server.forceShutdown();
          res();
        }, 2000);
        server.tryShutdown(() => {
          clearTimeout(t);
          res();
        });
      });
      removeIfOurs(socket, ino!);
      log.info({ socket }, 'API closed');
    },
  };
}

/** Unlinks the socket unless another process has replaced it since. */
function removeIfOurs(path: string, ino: number): void {
  try {
    if (lstatSync(path).ino === ino) unlinkSync(path);
  } catch {
    /* already gone */
  }
}
