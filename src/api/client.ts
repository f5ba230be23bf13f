// A promise-based client of the hvswitch API (the CLI and tests use it).
// Unary RPCs resolve to their response; List* streams are collected.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';

import * as grpc from '@grpc/grpc-js';

import type { BgpServiceClient } from './gen/hvswitch/v1/BgpService.js';
import type { DaemonServiceClient } from './gen/hvswitch/v1/DaemonService.js';
import type { EvpnServiceClient } from './gen/hvswitch/v1/EvpnService.js';
import type { StpServiceClient } from './gen/hvswitch/v1/StpService.js';
import type { LacpServiceClient } from './gen/hvswitch/v1/LacpService.js';
import type { RoutingServiceClient } from './gen/hvswitch/v1/RoutingService.js';
import type { SwitchServiceClient } from './gen/hvswitch/v1/SwitchService.js';
import { loadProto } from './proto.js';

export interface ApiClient {
  switch: SwitchServiceClient;
  daemon: DaemonServiceClient;
  routing: RoutingServiceClient;
  bgp: BgpServiceClient;
  evpn: EvpnServiceClient;
  stp: StpServiceClient;
  lacp: LacpServiceClient;
  /** The target, e.g. `unix:/run/hvswitch/api.sock`. */
  target: string;
  close(): void;
}

/** host:port or [v6]:port, as opposed to a socket path. */
export function isTcpTarget(target: string): boolean {
  return !target.startsWith('unix:') && /^(\[[0-9a-fA-F:.]+\]|[^/:[\]]+):\d+$/.test(target);
}

/** `target` is a unix socket path, or `unix:PATH` / `host:port` (TCP). */
export function connectApi(target: string, opts: { credentials?: grpc.ChannelCredentials; options?: grpc.ChannelOptions } = {}): ApiClient {
  const { proto } = loadProto();
  const t = target.startsWith('unix:') || isTcpTarget(target) ? target : `unix:${resolve(target)}`;
  const creds = opts.credentials ?? grpc.credentials.createInsecure();
  const sw = new proto.hvswitch.v1.SwitchService(t, creds, opts.options);
  const daemon = new proto.hvswitch.v1.DaemonService(t, creds, { ...opts.options, channelOverride: sw.getChannel() });
  const routing = new proto.hvswitch.v1.RoutingService(t, creds, { ...opts.options, channelOverride: sw.getChannel() });
  const bgp = new proto.hvswitch.v1.BgpService(t, creds, { ...opts.options, channelOverride: sw.getChannel() });
  const evpn = new proto.hvswitch.v1.EvpnService(t, creds, { ...opts.options, channelOverride: sw.getChannel() });
  const stp = new proto.hvswitch.v1.StpService(t, creds, { ...opts.options, channelOverride: sw.getChannel() });
  const lacp = new proto.hvswitch.v1.LacpService(t, creds, { ...opts.options, channelOverride: sw.getChannel() });
  return { switch: sw, daemon, routing, bgp, evpn, stp, lacp, target: t, close: () => sw.close() };
}

type UnaryFn<Req, Res> = (req: Req, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => grpc.ClientUnaryCall;
type StreamFn<Req, Res> = (req: Req, opts: grpc.CallOptions) => grpc.ClientReadableStream<Res>;

export function deadline(ms: number): grpc.CallOptions {
  return { deadline: Date.now() + ms };
}

/** Calls a unary RPC: `call(client.switch, 'AddPort', req)`. */
export function call<C extends object, Req, Res>(client: C, method: keyof C & string, req: Req, timeoutMs = 30_000): Promise<Res> {
  const fn = (client as Record<string, unknown>)[method] as UnaryFn<Req, Res>;
  return new Promise((res, rej) => {
    fn.call(client, req, deadline(timeoutMs), (err, out) => (err ? rej(err) : res(out as Res)));
  });
}

/** Calls a server-streaming RPC and collects the messages. */
export function list<C extends object, Req, Res>(client: C, method: keyof C & string, req: Req, timeoutMs = 30_000): Promise<Res[]> {
  const fn = (client as Record<string, unknown>)[method] as StreamFn<Req, Res>;
  return new Promise((res, rej) => {
    const out: Res[] = [];
    const s = fn.call(client, req, deadline(timeoutMs));
    s.on('data', (m: Res) => out.push(m));
    s.on('error', rej);
    s.on('end', () => res(out));
  });
}

/** A message for people when the daemon cannot be reached, or null if that is not the problem. */
export function unreachableMessage(err: unknown, socket: string): string | null {
  const e = err as Partial<grpc.ServiceError>;
  if (e.code !== grpc.status.UNAVAILABLE && e.code !== grpc.status.DEADLINE_EXCEEDED) return null;
  const d = e.details ?? '';
  if (!isTcpTarget(socket)) {
    const path = socket.replace(/^unix:/, '');
    let statErr = '';
    try {
      statSync(path);
    } catch (x) {
      statErr = (x as NodeJS.ErrnoException).code ?? 'error';
    }
    if (statErr === 'ENOENT') return `cannot reach hvswitchd: ${path} does not exist (is hvswitchd running? --socket picks another daemon)`;
    if (statErr === 'EACCES' || /EACCES|permission/i.test(d))
      return `cannot reach hvswitchd at ${path}: permission denied (the socket is 0600: run as its owner, e.g. root)`;
    if (/ECONNREFUSED/.test(d)) return `cannot reach hvswitchd at ${path}: connection refused (stale socket; hvswitchd is not running)`;
    return `cannot reach hvswitchd at ${path}: ${d || 'unavailable'}`;
  }
  return `cannot reach hvswitchd at ${socket}: ${d || 'unavailable'}`;
}
