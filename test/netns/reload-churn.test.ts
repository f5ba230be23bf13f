// Config reloads under traffic: every reload that rebuilds a bridge or moves a
// port re-creates ports in the core while the workers forward.  A worker that
// blocks in poll(2) is offline for the quiescence protocol, so the view it
// polled for may be freed and a new one allocated at the same address; the
// worker must see the change by version, not by pointer (a crash on
// `daemon reload` in CI, stop 19).  Checked: 30 reloads of three kinds under
// two 500/s pings, the daemon alive and answering after each, traffic flowing
// at the end, no error logged.
import { readFileSync, writeFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

import { netnsGate, ping, Topology, type Daemon } from './helpers/netns.js';

const gate = netnsGate();

interface Cfg { bridges: { br0: Record<string, unknown> }; ports: Record<string, Record<string, unknown>> }

describe.skipIf(gate.skip)(`config reloads under traffic${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  let sw: string, h1: string, h2: string, h3: string;
  let d: Daemon;
  const [p1, p2, p3] = [topo.name('pa'), topo.name('pb'), topo.name('pc')];

  beforeAll(async () => {
    sw = await topo.ns('sw');
    h1 = await topo.ns('ha');
    h2 = await topo.ns('hb');
    h3 = await topo.ns('hc');
    await topo.veth(sw, p1, h1, 'eth0', '10.1.0.1/24');
    await topo.veth(sw, p2, h2, 'eth0', '10.1.0.2/24');
    await topo.veth(sw, p3, h3, 'eth0', '10.1.0.3/24');
    const port = { backend: 'af-packet', bridge: 'br0', mode: 'access', vlan: 10 };
    d = await topo.daemon(sw, { bridges: { br0: {} }, ports: { [p1]: port, [p2]: port, [p3]: { ...port } } });
  });
  afterAll(async () => {
    await topo.destroy();
  });

  it('30 reloads (bridge rebuilt, a port removed and added back, a port moved to another VLAN) while two pings run: the daemon lives through all', async () => {
    expect((await ping(topo, h1, '10.1.0.2', 3)).received).toBe(3);
    topo.spawnIn(h1, ['ping', '-q', '-i', '0.002', '10.1.0.2']);
    topo.spawnIn(h3, ['ping', '-q', '-i', '0.002', '10.1.0.1']);
    const original = readFileSync(d.configPath, 'utf8');
    for (let k = 0; k < 30; k++) {
      const cfg = parse(readFileSync(d.configPath, 'utf8')) as Cfg;
      if (k % 3 === 0) cfg.bridges.br0['max-macs'] = cfg.bridges.br0['max-macs'] === 8192 ? 4096 : 8192; // a new FDB: every port re-added
      else if (k % 3 === 1) {
        const orig = (parse(original) as Cfg).ports[p3]!;
        if (cfg.ports[p3]) delete cfg.ports[p3];
        else cfg.ports[p3] = orig;
      } else if (cfg.ports[p3]) cfg.ports[p3]!.vlan = cfg.ports[p3]!.vlan === 10 ? 20 : 10;
      writeFileSync(d.configPath, stringify(cfg));
      const r = await d.cli(['daemon', 'reload'], { allowFail: true });
      const died = d.proc.exitCode !== null || d.proc.signalCode !== null;
      expect(died, `reload ${k}: hvswitchd died (${d.proc.signalCode ?? d.proc.exitCode})\n${d.output.slice(-3000)}`).toBe(false);
      expect(r.code, `reload ${k}: ${r.stderr}`).toBe(0);
    }
    writeFileSync(d.configPath, original);
    expect((await d.cli(['daemon', 'reload'])).code).toBe(0);
    const p = await ping(topo, h1, '10.1.0.3', 3);
    expect(p.received, p.output).toBe(3);
    const errors = d.output.split('\n').filter((l) => l.includes('"level":50') || l.includes('"level":60'));
    expect(errors).toEqual([]);
  }, 120_000);
});
