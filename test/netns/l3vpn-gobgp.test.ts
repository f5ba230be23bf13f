// IP-VPN between hvswitch PEs behind a GoBGP route reflector (issue 11: "behind
// an FRR route reflector (and GoBGP)"; the FRR run is l3vpn.test.ts).  Two
// hvswitchd PEs, a VM of VRF red on each: the VMs ping in IPv4 and IPv6 over
// MPLS-in-UDP (and after a reload that makes both offer GRE only, over
// MPLS-in-GRE, seen on the fabric); GoBGP's VPNv4 table holds each PE's route
// with its RD, label and the encapsulation community; a VM port removed is
// withdrawn there.  The sessions negotiate RT constraint: GoBGP holds each
// PE's import route target as a membership (RFC 4684).
import { readFileSync, writeFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

import { bgpRoutes, peBgp, peNamespace, startGobgpFabric, startVm, vmPort } from './helpers/l3vpn.js';
import { capture, netnsGate, ping, Topology, until, type Daemon } from './helpers/netns.js';

const gate = netnsGate();

const PE1 = '192.0.2.11', PE2 = '192.0.2.12';
const RED = { 'route-targets': ['65000:100'] };

describe.skipIf(gate.skip)(`IP-VPN: two hvswitchd PEs behind a GoBGP route reflector${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  let fabric: string;
  let gobgp: (args: string[]) => Promise<string>;
  const d: Daemon[] = [];
  const vm: string[] = [];
  const tap: string[] = [];

  beforeAll(async () => {
    ({ ns: fabric, gobgp } = await startGobgpFabric(topo, [PE1, PE2], { rtc: true }));
    for (const [i, pe] of [PE1, PE2].entries()) {
      const ns = await peNamespace(topo, fabric, `p${i + 1}`, pe);
      tap[i] = topo.name(`t${i + 1}`);
      const mac = `52:54:00:00:01:0${i + 1}`;
      d[i] = await topo.daemon(ns, {
        pe: { address: pe },
        vrfs: { red: { vpn: RED } },
        ports: { [tap[i]!]: vmPort('red', mac, [`10.1.0.${i + 1}/32`, `2001:db8:1::${i + 1}/128`]) },
        bgp: peBgp(pe, { rtc: true }),
      });
      vm[i] = await startVm(topo, ns, tap[i]!, `v${i + 1}`, mac, `10.1.0.${i + 1}`, `2001:db8:1::${i + 1}`);
    }
  }, 120_000);

  afterAll(async () => {
    await topo.destroy();
  });

  it('RFC 4684: each PE sends its VRF\'s import route target as an RT-constraint membership', async () => {
    const rtc = await until('memberships at the reflector', async () => {
      const out = await gobgp(['global', 'rib', '-a', 'rtc']);
      const lines = out.split('\n');
      return [PE1, PE2].every((pe) => lines.some((l) => l.includes('65000:100') && l.includes(pe))) && out;
    });
    expect(rtc).toContain('65000:100');
  });

  it('GoBGP reflects each PE\'s VPNv4 route (RD, label, MPLS-in-UDP encapsulation); the VMs ping over it, IPv4 and IPv6', async () => {
    await until('both PEs\' routes at the reflector', async () => {
      const t = await gobgp(['global', 'rib', '-a', 'vpnv4']);
      return t.includes(`${PE1}:`) && t.includes(`${PE2}:`) && t.includes('10.1.0.2/32') && t.includes('10.1.0.1/32');
    }, 60_000);
    const rib = await gobgp(['global', 'rib', '-a', 'vpnv4', '-j']);
    const json = JSON.parse(rib) as Record<string, { nlri: { prefix: string; rd?: string; labels?: number[] }; attrs: { type: number; value?: unknown[] }[] }[]>;
    const entry = Object.values(json).flat().find((p) => p.nlri.prefix === '10.1.0.2/32');
    expect(entry, rib).toBeDefined();
    expect(JSON.stringify(entry)).toMatch(/65000:100/); // the route target
    await until('VM2\'s route at PE1', async () => (await bgpRoutes(d[0]!, 'red')).some((r) => r.prefix === '10.1.0.2/32'), 60_000);
    const r2 = (await bgpRoutes(d[0]!, 'red')).find((r) => r.prefix === '10.1.0.2/32')!;
    expect(r2.nexthops[0]).toMatchObject({ via: PE2, encap: 'mpls-udp', source: '192.0.2.1' });
    await until('VMs ping (IPv4)', async () => (await ping(topo, vm[0]!, '10.1.0.2', 1)).received === 1, 30_000);
    expect((await ping(topo, vm[0]!, '10.1.0.2', 3)).received).toBe(3);
    await until('VMs ping (IPv6)', async () => (await ping(topo, vm[1]!, '2001:db8:1::1', 1)).received === 1, 30_000);
    expect((await ping(topo, vm[1]!, '2001:db8:1::1', 3)).received).toBe(3);
  }, 120_000);

  it('both PEs offer GRE only (a reload each): the routes change encapsulation and the VMs ping over MPLS-in-GRE', async () => {
    for (const x of d) {
      const c = parse(readFileSync(x.configPath, 'utf8')) as { vrfs: { red: { vpn: Record<string, unknown> } } };
      c.vrfs.red.vpn.encapsulations = ['mpls-gre'];
      writeFileSync(x.configPath, stringify(c));
      expect((await x.cli(['daemon', 'reload'])).code).toBe(0);
    }
    await until('VM2\'s route at PE1 over GRE', async () => (await bgpRoutes(d[0]!, 'red')).find((r) => r.prefix === '10.1.0.2/32')?.nexthops[0]?.encap === 'mpls-gre', 30_000);
    const cap = await capture(topo, fabric, 'fab0', ['ip', 'proto', '47']);
    await until('VMs ping over GRE', async () => (await ping(topo, vm[0]!, '10.1.0.2', 1)).received === 1, 30_000);
    const lines = await cap.stop();
    expect(lines.some((l) => l.includes(`${PE1} > ${PE2}`) && /GREv0/.test(l) && /MPLS/.test(l)), lines.join('\n')).toBe(true);
  }, 90_000);

  it('a VM port removed: withdrawn at the GoBGP reflector, and at the other PE', async () => {
    await d[1]!.cli(['port', 'del', tap[1]!]);
    await until('withdrawn at the reflector', async () => !(await gobgp(['global', 'rib', '-a', 'vpnv4'])).includes('10.1.0.2/32'), 30_000);
    await until('withdrawn at PE1', async () => !(await bgpRoutes(d[0]!, 'red')).some((r) => r.prefix === '10.1.0.2/32'), 30_000);
    expect((await ping(topo, vm[0]!, '10.1.0.2', 2)).received).toBe(0);
  }, 60_000);
});
