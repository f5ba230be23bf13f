// scripts/install-service.sh into a scratch root (--root): the unit lands with
// ExecStart= rewritten for this node and this tree, the default config is
// written once and then kept, the watchdog can be set, it succeeds where
// systemd does not run, and systemd's own checker accepts the unit where
// systemd-analyze is installed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const script = join(ROOT, 'scripts/install-service.sh');

describe('scripts/install-service.sh', () => {
  const dest = mkdtempSync(join(tmpdir(), 'hvsvc-'));
  afterAll(() => rmSync(dest, { recursive: true, force: true }));
  const unitPath = join(dest, 'etc/systemd/system/hvswitchd.service');
  const confPath = join(dest, 'etc/hvswitch/hvswitchd.yaml');

  it('writes the unit for this node and tree, and the default config', () => {
    const out = execFileSync('bash', [script, '--root', dest, '--node', process.execPath], { encoding: 'utf8' });
    expect(out).toMatch(/no daemon-reload/);
    const unit = readFileSync(unitPath, 'utf8');
    expect(unit).toContain(`\nExecStart=${process.execPath} ${ROOT}/dist/src/daemon/main.js --config /etc/hvswitch/hvswitchd.yaml\n`);
    for (const line of ['Type=notify', 'NotifyAccess=main', 'WatchdogSec=10s', 'Restart=on-failure', 'DeviceAllow=/dev/net/tun rw',
      'CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW CAP_NET_BIND_SERVICE', 'ProtectSystem=strict', 'ReadWritePaths=/etc/hvswitch',
      'NoNewPrivileges=yes', 'PrivateTmp=yes', 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK AF_PACKET'])
      expect(unit).toContain(`\n${line}\n`);
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=/m);
    expect(readFileSync(confPath, 'utf8')).toMatch(/ports:/);
  });

  it('keeps an existing config, sets the watchdog', () => {
    writeFileSync(confPath, '# mine\nworkers: 2\n');
    const out = execFileSync('bash', [script, '--root', dest, '--node', process.execPath, '--watchdog', '30'], { encoding: 'utf8' });
    expect(out).toMatch(/kept .*hvswitchd.yaml/);
    expect(readFileSync(confPath, 'utf8')).toBe('# mine\nworkers: 2\n');
    expect(readFileSync(unitPath, 'utf8')).toMatch(/^WatchdogSec=30s$/m);
  });

  it('refuses bad arguments, naming them', () => {
    const run = (args: string[]) => {
      try {
        execFileSync('bash', [script, ...args], { encoding: 'utf8', stdio: 'pipe' });
        return '';
      } catch (e) {
        return (e as { stderr: string }).stderr;
      }
    };
    expect(run(['--root', dest, '--watchdog', '10s'])).toMatch(/--watchdog wants whole seconds/);
    expect(run(['--bogus'])).toMatch(/unknown argument --bogus/);
    expect(run(['--root', dest, '--node', '/nonexistent/node'])).toMatch(/node not found/);
  });

  it.runIf(existsSync('/usr/bin/systemd-analyze'))('passes systemd-analyze verify', () => {
    execFileSync('bash', [script, '--root', dest, '--node', process.execPath]);
    const r = execFileSync('systemd-analyze', ['verify', unitPath], { encoding: 'utf8', stdio: 'pipe' });
    expect(r).toBe('');
  });
});
