// The CLI over the TCP listener: TLS with a private CA, and mutual TLS when
// the daemon has api.tls.client-ca (a client without a certificate is refused).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EXIT, runCli } from '../../src/cli/cli.js';
import { BASE, startFixture, type Fixture } from './api-fixture.js';

function openssl(...args: string[]) {
  execFileSync('openssl', args, { stdio: 'pipe' });
}

async function cli(...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (s) => (out += s), err: (s) => (err += s) }, {});
  return { code, out, err };
}

describe('CLI over TLS', () => {
  let dir: string;
  let pki: ReturnType<typeof makePki>;
  let f: Fixture;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hvpki-'));
    pki = makePki(dir);
    f = await startFixture(BASE, { tcp: '127.0.0.1:0', tls: { cert: pki.cert, key: pki.key, clientCa: pki.ca } });
  });
  afterAll(async () => {
    await f.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('mutual TLS: with the CA and a client certificate the CLI works', async () => {
    const r = await cli('--socket', `127.0.0.1:${f.api.tcpPort}`, '--ca', pki.ca, '--cert', pki.clientCert, '--key', pki.clientKey, 'port', 'list', '-q');
    expect(r).toEqual({ code: 0, out: 'm1\nm2\nm3\nt1\n', err: '' });
  });

  it('without a client certificate, or without trusting the CA, it is refused (exit 3)', async () => {
    const noCert = await cli('--socket', `127.0.0.1:${f.api.tcpPort}`, '--ca', pki.ca, 'port', 'list');
    expect(noCert.code).toBe(EXIT.unreachable);
    expect(noCert.err).toMatch(/^hvswitch: cannot reach hvswitchd at 127\.0\.0\.1:\d+: /);
    const noCa = await cli('--socket', `127.0.0.1:${f.api.tcpPort}`, '--cert', pki.clientCert, '--key', pki.clientKey, 'port', 'list');
    expect(noCa.code).toBe(EXIT.unreachable);
    expect((await cli('--socket', `127.0.0.1:${f.api.tcpPort}`, '--cert', pki.clientCert, 'port', 'list')).err).toBe('hvswitch: --cert and --key go together\n');
  });
});

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA. */
function makePki(dir: string) {
  const p = (n: string) => join(dir, n);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '1', '-subj', '/CN=hvswitch test CA');
  for (const [name, ext] of [['server', 'subjectAltName=IP:127.0.0.1'], ['client', 'extendedKeyUsage=clientAuth']] as const) {
    execFileSync('sh', ['-c', `printf '%s\\n' '${ext}' > ${p(`${name}.ext`)}`]);
    openssl('req', ...ec, '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', `/CN=${name}`);
    openssl('x509', '-req', '-in', p(`${name}.csr`), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p(`${name}.pem`), '-days', '1', '-extfile', p(`${name}.ext`));
  }
  return { ca: p('ca.pem'), cert: p('server.pem'), key: p('server.key'), clientCert: p('client.pem'), clientKey: p('client.key') };
}
