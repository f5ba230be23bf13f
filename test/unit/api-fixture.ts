// An in-process hvswitch API over a Controller of memory ports (no root): the
// real server, handlers, validator, reconciler and dataplane; frames are
// injected and popped with the memory-port hooks and forwarded by pollOnce().
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { pino } from 'pino';
import { stringify } from 'yaml';

import { connectApi, type ApiClient } from '../../src/api/client.js';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../src/api/server.js';
import { normalizeConfig, Controller } from '../../src/controller/index.js';
import { loadConfigFile } from '../../src/daemon/config.js';
import { macBytes } from '../../src/dataplane/index.js';

export const BASE = {
  bridges: { br0: {}, br1: {} },
  ports: {
    m1: { backend: 'memory', bridge: 'br0', vlan: 10 },
    m2: { backend: 'memory', bridge: 'br0', vlan: 10 },
    t1: { backend: 'memory', bridge: 'br0', mode: 'trunk', 'allowed-vlans': [10, 20] },
    m3: { backend: 'memory', bridge: 'br1' },
  },
};

export interface Fixture {
  dir: string;
  socket: string;
  configFile: string;
  controller: Controller;
  api: ApiServer;
  client: ApiClient;
  close(): Promise<void>;
}

export async function startFixture(raw: object = BASE, opts: Partial<ApiServerOptions> = {}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'hvapi-'));
  const socket = opts.socket ?? join(dir, 'run', 'api.sock');
  const configFile = join(dir, 'hvswitchd.yaml');
  writeFileSync(configFile, stringify(raw));
  const config = { ...normalizeConfig(raw), apiSocket: socket };
  const log = pino({ level: 'silent' });
  const controller = new Controller(config, log);
  await controller.apply(config);
  let api: ApiServer;
  try {
    api = await startApiServer(
      controller,
      config,
      log,
      { reload: async () => void (await controller.apply({ ...loadConfigFile(configFile), apiSocket: socket })), configFile },
      { ...opts, socket },
    );
  } catch (e) {
    controller.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const client = connectApi(socket);
  return {
    dir,
    socket,
    configFile,
    controller,
    api,
    client,
    async close() {
      client.close();
      await api.close();
      controller.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function frame(dst: string, src: string, vid?: number, payload = 46): Buffer {
  const tag = vid === undefined ? Buffer.alloc(0) : Buffer.from([0x81, 0x00, vid >> 8, vid & 0xff]);
  return Buffer.concat([macBytes(dst), macBytes(src), tag, Buffer.from([0x08, 0x00]), Buffer.alloc(payload, 0x5a)]);
}

/** Everything queued for transmission on a memory port. */
export function drain(f: Fixture, port: string): Buffer[] {
  const out: Buffer[] = [];
  for (let b = f.controller.dataplane.memPop(port); b; b = f.controller.dataplane.memPop(port)) out.push(b);
  return out;
}
