// Where the API listens and what else it serves: the unix socket's mode,
// stale and live sockets, removal on shutdown; grpc.health.v1; server
// reflection as grpcurl uses it (a small reflection client, grpcurl is not
// installable here); the TLS-only TCP listener; the daemon service.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

import { call, connectApi, list } from '../../src/api/client.js';
import { ApiStartError } from '../../src/api/server.js';
import { normalizeConfig, ConfigError } from '../../src/controller/index.js';
import { BASE, startFixture, type Fixture } from './api-fixture.js';

const require = createRequire(import.meta.url);

describe('API listeners', () => {
  let f: Fixture | undefined;
  let g: Fixture | undefined;
  afterEach(async () => {
    await g?.close();
    await f?.close();
    f = g = undefined;
  });

  it('creates the socket 0600 in a created directory, and removes it on shutdown', async () => {
    f = await startFixture();
    const st = lstatSync(f.socket);
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
    expect(f.api.socket).toBe(f.socket);
    await f.api.close();
    expect(existsSync(f.socket)).toBe(false);
  });

  it('replaces a stale socket, refuses to take over a live one, refuses a non-socket', async () => {
    f = await startFixture();
    // live: our own server holds it
    await expect(startFixture(BASE, { socket: f.socket })).rejects.toThrow(/is in use by a running process .* refusing to take it over/);
    expect(lstatSync(f.socket).isSocket()).toBe(true); // not stolen
    expect((await list(f.client.switch, 'ListPort', {})).length).toBe(4);
    // stale: a socket file nobody accepts on (a crashed daemon's)
    const stale = join(f.dir, 'stale.sock');
    // bound, never listening: connect() is refused, as on the socket of a SIGKILLed daemon
    execFileSync('python3', ['-c', `import socket; s=socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(stale)})`]);
    expect(lstatSync(stale).isSocket()).toBe(true);
    g = await startFixture(BASE, { socket: stale });
    expect((await list(g.client.switch, 'ListPort', {})).length).toBe(4);
    // not a socket: never replaced
    const plain = join(f.dir, 'plain');
    writeFileSync(plain, 'keep me');
    await expect(startFixture(BASE, { socket: plain })).rejects.toThrow(ApiStartError);
    await expect(startFixture(BASE, { socket: plain })).rejects.toThrow(/exists and is not a socket/);
  });

  it.skipIf(process.getuid?.() !== 0)('another user may not connect (mode 0600; needs root to switch user)', async () => {
    f = await startFixture();
    const dir = join(f.dir, 'run');
    chmodSync(dir, 0o755);
    const r = (() => {
      try {
        execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'python3', '-c', `import socket; s=socket.socket(socket.AF_UNIX); s.connect(${JSON.stringify(f!.socket)})`], { stdio: 'pipe' });
        return 'connected';
      } catch (e) {
        return String((e as { stderr: Buffer }).stderr);
      }
    })();
    expect(r).toContain('Permission denied');
  });

  it('serves grpc.health.v1: SERVING for the server and each service, NOT_SERVING while closing', async () => {
    f = await startFixture();
    const def = protoLoader.loadSync(require.resolve('grpc-health-check/proto/health/v1/health.proto'), { keepCase: true, enums: String });
    const Health = (grpc.loadPackageDefinition(def) as any).grpc.health.v1.Health;
    const h = new Health(`unix:${f.socket}`, grpc.credentials.createInsecure());
    const check = (service: string) =>
      new Promise<string>((res, rej) => h.Check({ service }, (e: Error | null, r: { status: string }) => (e ? rej(e) : res(r.status))));
    expect(await check('')).toBe('SERVING');
    expect(await check('hvswitch.v1.SwitchService')).toBe('SERVING');
    expect(await check('hvswitch.v1.DaemonService')).toBe('SERVING');
    await expect(check('no.such.Service')).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    f.api.health.setStatus('', 'NOT_SERVING');
    expect(await check('')).toBe('NOT_SERVING');
    h.close();
  });

  it('serves reflection v1 as grpcurl uses it: list services, file by symbol, decodable descriptors', async () => {
    f = await startFixture();
    const def = protoLoader.loadSync(require.resolve('@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto'), { keepCase: true, oneofs: true });
    const R = (grpc.loadPackageDefinition(def) as any).grpc.reflection.v1.ServerReflection;
    const r = new R(`unix:${f.socket}`, grpc.credentials.createInsecure());
    const ask = (req: object) =>
      new Promise<any>((res, rej) => {
        const s = r.ServerReflectionInfo();
        s.on('data', (m: unknown) => {
          res(m);
          s.end();
        });
        s.on('error', rej);
        s.write(req);
      });
    const services = (await ask({ list_services: '' })).list_services_response.service.map((s: { name: string }) => s.name);
    expect(services).toEqual(expect.arrayContaining(['hvswitch.v1.SwitchService', 'hvswitch.v1.DaemonService', 'hvswitch.v1.RoutingService', 'hvswitch.v1.BgpService']));
    const fd = await ask({ file_containing_symbol: 'hvswitch.v1.SwitchService' });
    const bytes: Buffer[] = fd.file_descriptor_response.file_descriptor_proto;
    const descriptor = require('protobufjs/ext/descriptor');
    const files = bytes.map((b) => descriptor.FileDescriptorProto.decode(b));
    // proto-loader serves one descriptor per package (hvswitch_v1.proto), holding
    // every message, enum and service of hvswitch/v1/*.proto: grpcurl resolves by symbol.
    expect(files.map((x: { name: string }) => x.name)).toEqual(['hvswitch_v1.proto']);
    const file = files[0];
    expect(file.package).toBe('hvswitch.v1');
    expect(file.service.map((s: { name: string }) => s.name).sort()).toEqual(['BgpService', 'DaemonService', 'EvpnService', 'LacpService', 'RoutingService', 'StpService', 'SwitchService']);
    const svc = file.service.find((s: { name: string }) => s.name === 'SwitchService');
    const m = svc.method.find((x: { name: string }) => x.name === 'ListFdb');
    expect(m.outputType).toBe('.hvswitch.v1.ListFdbResponse');
    expect(m.serverStreaming).toBe(true);
    expect(svc.method.find((x: { name: string }) => x.name === 'AddFdb').serverStreaming).toBeFalsy();
    const fdbEntry = file.messageType.find((x: { name: string }) => x.name === 'FdbEntry');
    expect(fdbEntry.field.map((x: { name: string }) => x.name)).toEqual(['bridge', 'port', 'vlan', 'mac', 'static', 'age', 'kind', 'egress', 'vtep', 'vni', 'seq']);
    expect(file.enumType.map((e: { name: string }) => e.name).sort()).toEqual([
      'Afi', 'AsSegmentType', 'BgpFamily', 'BondHash', 'CaptureDirection', 'EgressKind', 'FdbEntryKind', 'FdbEventType', 'FsmEvent', 'LacpRate', 'NeighborState', 'Origin', 'PortBackend', 'PortMode', 'PortOperState', 'RouteOrigin', 'RouteType', 'SessionState', 'TableLookupType', 'TableType',
    ]);
    expect(file.enumType.find((e: { name: string }) => e.name === 'PortBackend').value[0]).toMatchObject({ name: 'PORT_BACKEND_UNSPECIFIED', number: 0 });
    // by file name, as grpcurl fetches dependencies
    const again = await ask({ file_by_filename: 'hvswitch_v1.proto' });
    expect(descriptor.FileDescriptorProto.decode(again.file_descriptor_response.file_descriptor_proto[0]).name).toBe('hvswitch_v1.proto');
    // an unknown symbol is NOT_FOUND in the error response
    const nf = await ask({ file_containing_symbol: 'hvswitch.v1.NoSuch' });
    expect(nf.error_response.error_code).toBe(grpc.status.NOT_FOUND);
    r.close();
  });

  it('TCP listener: TLS only (config refuses plain TCP), works with a client that trusts the cert', async () => {
    expect(() => normalizeConfig({ api: { tcp: '127.0.0.1:0' } })).toThrow(ConfigError);
    try {
      normalizeConfig({ api: { tcp: '127.0.0.1:0' } });
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([{ path: 'api.tls', message: expect.stringContaining('TLS only') }]);
    }
    const dir = join(require('node:os').tmpdir(), `hvtls-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'pipe' });
    f = await startFixture(BASE, { tcp: '127.0.0.1:0', tls: { cert, key } });
    expect(f.api.tcpPort).toBeGreaterThan(0);
    const { readFileSync } = await import('node:fs');
    const c = connectApi(`127.0.0.1:${f.api.tcpPort}`, { credentials: grpc.credentials.createSsl(readFileSync(cert)) });
    expect((await list(c.switch, 'ListPort', {})).length).toBe(4);
    c.close();
    // a plaintext client cannot talk to it
    const p = connectApi(`127.0.0.1:${f.api.tcpPort}`);
    await expect(call(p.daemon, 'GetDaemonInfo', {}, 2000)).rejects.toMatchObject({ code: expect.any(Number) });
    p.close();
    // and without TLS the server refuses to start a TCP listener at all
    await expect(startFixture(BASE, { tcp: '127.0.0.1:0' })).rejects.toThrow(/TCP listener needs TLS/);
  });
});

describe('hvswitch.v1.DaemonService', () => {
  let f: Fixture;
  afterEach(async () => {
    await f.close();
  });

  it('GetDaemonInfo reports identity, sizes and listeners', async () => {
    f = await startFixture();
    const i = await call<typeof f.client.daemon, object, Record<string, unknown>>(f.client.daemon, 'GetDaemonInfo', {});
    expect(i).toMatchObject({ pid: process.pid, ports: 4, bridges: 2, workers: 1, apiSocket: f.socket, apiTcp: '', configFile: f.configFile, fdbAgingSeconds: 300 });
    expect(i.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(i.uptimeSeconds as number).toBeGreaterThanOrEqual(0);
  });

  it('ReloadConfig applies the file and reports the difference; an invalid file is refused and the running config kept', async () => {
    f = await startFixture();
    writeFileSync(f.configFile, stringify({ ...BASE, ports: { ...BASE.ports, m9: { backend: 'memory', bridge: 'br1' }, m2: { backend: 'memory', bridge: 'br0', vlan: 11 } } }));
    const r = await call(f.client.daemon, 'ReloadConfig', {});
    expect(r).toEqual({ bridgesAdded: [], bridgesRemoved: [], portsAdded: ['m9'], portsRemoved: [], portsChanged: ['m2'], vrfsAdded: [], vrfsRemoved: [], vrfsChanged: [] });
    expect(f.controller.dataplane.hasPort('m9')).toBe(true);
    writeFileSync(f.configFile, stringify({ ports: { m1: { backend: 'memory', vlan: 5000 } } }));
    const before = JSON.stringify(f.controller.running);
    const e = await call(f.client.daemon, 'ReloadConfig', {}).catch((x: grpc.ServiceError) => x);
    expect(e).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: 'ports.m1.vlan: must be <= 4094' });
    expect(JSON.stringify(f.controller.running)).toBe(before);
  });

  it('SetLogLevel checks the level', async () => {
    f = await startFixture();
    await call(f.client.daemon, 'SetLogLevel', { level: 'debug' });
    expect(f.controller.log.level).toBe('debug');
    const e = await call(f.client.daemon, 'SetLogLevel', { level: 'loud' }).catch((x: grpc.ServiceError) => x);
    expect(e).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringContaining('level: must be one of') });
  });
});
