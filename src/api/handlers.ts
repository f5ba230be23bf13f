// The plumbing every gRPC service of src/api shares, so each *-service.ts is
// only its adapters: the unary and streaming wrappers (an error of any kind
// becomes a gRPC status through toServiceError, logged at debug), the
// config-edit path (`change`: edit the raw running config, validate, apply
// through the controller's queue), and the checks of request fields that
// name the field in their error.
import { status, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';

import { normalizeConfig, type Config, type Controller, type RawConfig } from '../controller/index.js';
import { macBytes } from '../dataplane/index.js';
import type { Logger } from '../util/logger.js';
import { toRawConfig } from './convert.js';
import { ApiError, invalid, notFound, toServiceError } from './errors.js';

export { ApiError, invalid, notFound } from './errors.js';

/** Maps an error to its gRPC status and logs the refusal. */
function refused(log: Logger, name: string, e: unknown) {
  const err = toServiceError(e);
  log.debug({ rpc: name, code: err.code, err: err.details }, 'request refused');
  return err;
}

/** Wraps an async unary handler: result or mapped error to the callback. */
export function unary<Req, Res>(log: Logger, name: string, fn: (req: Req) => Promise<Res> | Res) {
  return (call: ServerUnaryCall<Req, Res>, cb: sendUnaryData<Res>) => {
    Promise.resolve()
      .then(() => fn(call.request))
      .then(
        (res) => cb(null, res),
        (e: unknown) => cb(refused(log, name, e)),
      );
  };
}

/** Wraps a server-streaming handler (a List* RPC) that returns its items. */
export function stream<Req, Res>(log: Logger, name: string, fn: (req: Req) => Res[] | Promise<Res[]>) {
  return (call: ServerWritableStream<Req, Res>) => {
    Promise.resolve()
      .then(() => fn(call.request))
      .then(
        (items) => {
          for (const it of items) call.write(it);
          call.end();
        },
        (e: unknown) => call.emit('error', refused(log, name, e)),
      );
  };
}

/** Resolves on the stream's 'drain' or 'cancelled', whichever comes first,
 *  and leaves no listener behind.  (A Promise.race of two events.once() left
 *  the loser's listeners on the call: one more per wait, until Node's
 *  MaxListenersExceededWarning while a slow client read a large RIB.) */
function drainOrCancel(call: ServerWritableStream<unknown, unknown>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('cancelled', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
  });
}

/** A server stream that builds its messages lazily and waits for the client
 *  when the transport is full (a RIB can hold millions of paths). */
export function lazyStream<Req, Res>(log: Logger, name: string, fn: (req: Req) => Iterable<Res>) {
  return (call: ServerWritableStream<Req, Res>) => {
    void (async () => {
      let items: Iterable<Res>;
      try {
        items = fn(call.request);
      } catch (e) {
        call.emit('error', refused(log, name, e));
        return;
      }
      for (const it of items) {
        if (call.cancelled) return;
        if (!call.write(it)) await drainOrCancel(call as ServerWritableStream<unknown, unknown>);
      }
      call.end();
    })();
  };
}

/** Runs `edit` on the raw form of the running config, validates and applies it
 *  (inside the controller's queue); resolves to the new running config.  With
 *  persistence on, the edit is then written to the config file, still inside
 *  the queue (a failed write is logged and counted, the change stays live). */
export function change(controller: Controller, edit: (raw: RawConfig, running: Config) => void): Promise<Config> {
  let before: RawConfig | null = null;
  let raw: RawConfig;
  return controller
    .update(
      (running) => {
        raw = toRawConfig(running);
        if (controller.persistence) before = structuredClone(raw);
        edit(raw, running);
        return normalizeConfig(raw, 'request');
      },
      (running) => {
        if (before) controller.persistence?.record(before, raw, running);
      },
    )
    .then(() => controller.running);
}

/** Deletes bridge or VRF `name` from the raw config (a change); refused while ports are in it. */
export function deleteEmpty(controller: Controller, what: 'bridge' | 'vrf', name: string): Promise<Config> {
  return change(controller, (raw, running) => {
    const table = what === 'bridge' ? raw.bridges : raw.vrfs;
    if (!table?.[name]) throw notFound(`no ${what} named '${name}'`);
    const ports = running.ports.filter((p) => p[what] === name).map((p) => p.name);
    if (ports.length)
      throw new ApiError(status.FAILED_PRECONDITION, `${what} '${name}' still has ports: ${ports.join(', ')} (delete them or move them first)`);
    delete table[name];
  });
}

export function requireName(path: string, name: string | undefined): string {
  if (!name) throw invalid(path, 'is required');
  return name;
}

export const MAC_RE = /^[0-9a-f]{2}([:-]?[0-9a-f]{2}){5}$/i;

export function checkVlan(path: string, v: number): void {
  if (!Number.isInteger(v) || v < 1 || v > 4094) throw invalid(path, 'must be a VLAN ID, 1-4094');
}

/** A unicast MAC address in canonical form; `what` says why multicast is refused. */
export function checkUnicastMac(path: string, mac: string, what: string): string {
  if (!MAC_RE.test(mac)) throw invalid(path, `'${mac}' is not a MAC address like 52:54:00:12:34:56`);
  const b = macBytes(mac);
  if (b[0]! & 1) throw invalid(path, `${mac} is a multicast address; ${what}`);
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}
