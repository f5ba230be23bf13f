// Host services in a VRF (src/controller/host-interface.ts, host-side.ts):
// hvswitchd runs in a namespace that plays the hypervisor host and gives two
// VRFs, `red` and `blue`, a host interface each.  Both VRFs have a routed VM
// at 10.1.0.2 (overlapping: one VM namespace per VRF, on a TAP vm port), and
// the host has the same address, 10.0.0.1, in both.  A process in the host
// reaches each VM through its own VRF's host interface (`ping -I`), the other
// VM never sees it; a TCP connection from the host to a server in a VM works
// (the host's stack sends and receives in the VRF); a reload that removes a
// host interface removes its TAP, and one that changes the routes moves them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

import { capture, netnsGate, ping, py, ROOT, sh, Topology, until, type Daemon } from './helpers/netns.js';

const gate = netnsGate();
const VM_MAC = '52:54:00:12:34:56';

describe.skipIf(gate.skip)(`host interfaces in VRFs${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  let host: string;
  const vm: Record<'red' | 'blue', string> = { red: '', blue: '' };
  const tap = { red: topo.name('vr'), blue: topo.name('vb') };
  const hif = { red: topo.name('hr'), blue: topo.name('hb') };
  let d: Daemon;

  const config = (blueRoutes: string[] | null) => ({
    vrfs: {
      red: { 'host-interface': { name: hif.red, addresses: ['10.0.0.1/32', '2001:db8:100::1/128'], routes: ['10.1.0.0/24', '2001:db8:1::/64'] } },
      blue: blueRoutes ? { 'host-interface': { name: hif.blue, addresses: ['10.0.0.1/32'], routes: blueRoutes, metric: 10 } } : {},
    },
    ports: {
      [tap.red]: { backend: 'tap', mode: 'vm', vrf: 'red', 'vm-mac': VM_MAC, addresses: ['10.1.0.2/32', '2001:db8:1::2/128'] },
      [tap.blue]: { backend: 'tap', mode: 'vm', vrf: 'blue', 'vm-mac': VM_MAC, addresses: ['10.1.0.2/32'] },
    },
  });

  /** SIGHUP with `cfg` in the config file; resolves once the daemon says it reloaded. */
  const reload = async (cfg: object) => {
    writeFileSync(d.configPath, stringify(cfg));
    const n = d.output.split('config reloaded').length - 1;
    d.proc.kill('SIGHUP');
    await d.waitForCount('config reloaded', n + 1, 10_000);
  };

  beforeAll(async () => {
    host = await topo.ns('host');
    for (const v of ['red', 'blue'] as const) vm[v] = await topo.ns(`vm${v[0]}`);
    // IPv6 for the TAPs created from here on (red's host interface and VM speak it)
    for (const ns of [host, vm.red]) await topo.exec(ns, ['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=0', 'net.ipv6.conf.default.disable_ipv6=0']);
    d = await topo.daemon(host, config(['10.1.0.0/24']));
    for (const v of ['red', 'blue'] as const) {
      const ns = vm[v];
      await topo.adoptTap(host, tap[v], ns, '10.1.0.2/32');
      await topo.exec(ns, ['ip', 'link', 'set', tap[v], 'down']);
      await topo.exec(ns, ['ip', 'link', 'set', tap[v], 'address', VM_MAC]);
      await topo.exec(ns, ['ip', 'link', 'set', tap[v], 'up']);
      await topo.exec(ns, ['ip', 'route', 'add', 'default', 'via', '169.254.0.1', 'dev', tap[v], 'onlink']);
    }
    await topo.exec(vm.red, ['ip', '-6', 'addr', 'add', '2001:db8:1::2/128', 'dev', tap.red, 'nodad']);
    await topo.exec(vm.red, ['ip', '-6', 'route', 'add', 'default', 'via', 'fe80::1', 'dev', tap.red]);
  });
  afterAll(async () => {
    await topo.destroy();
  });

  it('creates each host interface in the host with its MAC, address and routes via the VRF', async () => {
    for (const v of ['red', 'blue'] as const) {
      const link = await topo.exec(host, ['ip', '-o', 'link', 'show', hif[v]]);
      expect(link.stdout).toMatch(/state (UP|UNKNOWN)/);
      expect(link.stdout).toMatch(/link\/ether 0a:/); // the derived host-side MAC
      const addr = await topo.exec(host, ['ip', '-o', '-4', 'addr', 'show', 'dev', hif[v]]);
      expect(addr.stdout).toContain('inet 10.0.0.1/32');
    }
    const routes = await topo.exec(host, ['ip', '-4', 'route', 'show', '10.1.0.0/24']);
    expect(routes.stdout).toContain(`10.1.0.0/24 via 169.254.0.1 dev ${hif.red} onlink`);
    expect(routes.stdout).toContain(`10.1.0.0/24 via 169.254.0.1 dev ${hif.blue} metric 10 onlink`);
    const ports = await d.cliJson<{ name: string; mode: string; vrf: string }[]>(['port', 'list']);
    expect(ports.find((p) => p.name === hif.red)).toMatchObject({ mode: 'vm', vrf: 'red' });
  });

  it('a host process reaches each VRF\'s VM at the same address through that VRF\'s interface only', async () => {
    for (const v of ['red', 'blue'] as const) {
      const other = v === 'red' ? 'blue' : 'red';
      const [mine, theirs] = await Promise.all([capture(topo, vm[v], tap[v], ['icmp']), capture(topo, vm[other], tap[other], ['icmp'])]);
      const r = await ping(topo, host, '10.1.0.2', 3, ['-I', hif[v]]);
      const [seenMine, seenTheirs] = await Promise.all([mine.stop(), theirs.stop()]);
      expect(r.received, `${v}: ${r.output}`).toBe(3);
      expect(seenMine.filter((l) => l.includes('10.0.0.1 > 10.1.0.2: ICMP echo request')).length, v).toBe(3);
      expect(seenTheirs, `${v} leaked to ${other}`).toEqual([]);
    }
    // IPv6: red's host interface and VM, through fe80::1
    const cap6 = await capture(topo, vm.red, tap.red, ['icmp6']);
    const r6 = await ping(topo, host, '2001:db8:1::2', 3, ['-I', hif.red]);
    expect(r6.received, r6.output).toBe(3);
    expect((await cap6.stop()).filter((l) => l.includes('2001:db8:100::1 > 2001:db8:1::2: ICMP6, echo request')).length).toBe(3);
    // unbound, the host uses its best route: red's (metric 0)
    const cap = await capture(topo, vm.red, tap.red, ['icmp']);
    expect((await ping(topo, host, '10.1.0.2', 2)).received).toBe(2);
    expect((await cap.stop()).filter((l) => l.includes('echo request')).length).toBe(2);
  });

  it('the host\'s TCP stack works through a host interface (a server in the VM, a client in the host)', async () => {
    const server = topo.spawnIn(vm.blue, ['/usr/bin/python3', '-c',
      "import socket\ns=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('10.1.0.2', 7000)); s.listen(1); print('up', flush=True)\n" +
      "c,_=s.accept(); data=b''\nwhile len(data) < 200000:\n  b=c.recv(65536)\n  if not b: break\n  data+=b\nc.sendall(b'blue got %d' % len(data)); c.close()"]);
    let out = '';
    server.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    await until('the server in the VM', () => out.includes('up'), 10_000);
    const r = await py(topo, host, [
      'import socket',
      's = socket.socket()',
      `s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'${hif.blue}')`,
      "s.settimeout(10); s.connect(('10.1.0.2', 7000)); s.sendall(b'x' * 200000); s.shutdown(socket.SHUT_WR)",
      'print(s.recv(100).decode())',
    ].join('\n'));
    expect(r.stdout.trim()).toBe('blue got 200000');
  });

  it('a reload moves the routes, and one without the host interface removes its TAP', async () => {
    // blue now routes 10.1.0.2/32 only
    await reload(config(['10.1.0.2/32']));
    await until('blue route replaced', async () => {
      const r = await topo.exec(host, ['ip', '-4', 'route', 'show', 'dev', hif.blue]);
      return r.stdout.includes('10.1.0.2 via 169.254.0.1') && !r.stdout.includes('10.1.0.0/24');
    }, 10_000);
    expect((await ping(topo, host, '10.1.0.2', 2, ['-I', hif.blue])).received).toBe(2);
    await reload(config(null));
    await until('blue host interface gone', async () => (await topo.exec(host, ['ip', 'link', 'show', hif.blue], { allowFail: true })).code !== 0, 10_000);
    expect((await ping(topo, host, '10.1.0.2', 2, ['-I', hif.red])).received).toBe(2);
  });

  it('refuses host interfaces that would route the same prefix in the same table and metric, naming the field', async () => {
    const bad = config(['10.1.0.0/24']);
    delete (bad.vrfs.blue['host-interface'] as { metric?: number }).metric;
    const file = join(topo.tmp, 'overlap.yaml');
    writeFileSync(file, stringify(bad));
    const r = await sh(process.execPath, [join(ROOT, 'dist/src/daemon/main.js'), '--check-config', file], { allowFail: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/vrfs\.blue\.host-interface\.routes: 10\.1\.0\.0\/24 is also routed through the host interface of vrf red/);
  });
});
