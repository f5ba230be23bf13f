// Reloads that change a bond while traffic flows (the "daemon died on reload"
// report of the bond branch): the controller's order — bonds.before, the
// reconciler, bonds.after (src/controller/controller.ts applyNow) — over a real
// Dataplane's memory ports, a partner LacpDataplaneBond on the far end of the
// members' "cables", a VM sending to a server behind the partner, all on one
// VirtualClock. 3 seeds × 60 random reloads, each a random mix of: a member
// removed, one added, one reopened (MTU or port priority changed), new LACP
// system parameters (rate, key, mode), hash, fallback, the bridge resized
// (the bond rebuilt), the bond moved to another bridge, the bond removed.
// Checked: no reload throws, no timer or punt callback throws between them,
// and back on the first config both members negotiate again and the server's
// frames reach the VM.
import { afterEach, describe, expect, it } from 'vitest';

import { BondControl } from '../../src/controller/bonds.js';
import { normalizeConfig, type Config } from '../../src/controller/config.js';
import { reconcile } from '../../src/controller/reconcile.js';
import { Dataplane } from '../../src/dataplane/index.js';
import { LacpDataplaneBond } from '../../src/l2gw/lacp/dataplane-link.js';
import { SLOW_PROTOCOLS_ETHERTYPE } from '../../src/l2gw/lacp/pdu.js';
import { VirtualClock } from '../../src/util/clock.js';
import { createLogger } from '../../src/util/logger.js';

const log = createLogger('silent');
const SERVER = '02:00:00:00:0e:01';
function frame(dst: string, src: string): Buffer {
  const f = Buffer.alloc(60);
  Buffer.from(dst.replace(/:/g, ''), 'hex').copy(f, 0);
  Buffer.from(src.replace(/:/g, ''), 'hex').copy(f, 6);
  f.writeUInt16BE(0x0800, 12);
  return f;
}

interface RawBond { bridge: string; vlan: number; hash?: string; members: Record<string, object>; lacp: Record<string, unknown> }
interface Raw { bridges: Record<string, object>; ports: Record<string, object>; bonds: { bond0?: RawBond } }
const variants: Array<(c: Raw) => void> = [
  (c) => { delete c.bonds.bond0!.members.a2; },
  (c) => { c.bonds.bond0!.members.a3 = { backend: 'memory' }; },
  (c) => { c.bonds.bond0!.members.a1 = { backend: 'memory', mtu: 1400 }; },
  (c) => { c.bonds.bond0!.members.a2 &&= { backend: 'memory', 'port-priority': 5 }; },
  (c) => { c.bonds.bond0!.lacp.rate = 'slow'; },
  (c) => { c.bonds.bond0!.lacp.key = 2; },
  (c) => { c.bonds.bond0!.lacp.mode = 'passive'; },
  (c) => { c.bonds.bond0!.hash = 'l3l4'; },
  (c) => { c.bonds.bond0!.lacp.fallback = true; },
  (c) => { c.bridges.br0 = { 'max-macs': 1000 }; },
  (c) => { c.bridges.br1 = {}; c.bonds.bond0!.bridge = 'br1'; },
  (c) => { delete c.bonds.bond0; },
];
function config(k: number): Config {
  const c: Raw = {
    bridges: { br0: {} },
    ports: { vm: { backend: 'memory', bridge: 'br0', vlan: 10 } },
    bonds: { bond0: { bridge: 'br0', vlan: 10, members: { a1: { backend: 'memory' }, a2: { backend: 'memory' } }, lacp: { rate: 'fast' } } },
  };
  for (let i = 0; i < variants.length; i++) if (k & (1 << i) && c.bonds.bond0) variants[i]!(c);
  return normalizeConfig(c);
}

describe('bond reloads under traffic (memory ports, virtual time)', () => {
  let dp: Dataplane | undefined;
  let bonds: BondControl | undefined;
  let partner: LacpDataplaneBond | undefined;
  afterEach(() => { partner?.close(); bonds?.close(); dp?.close(); });

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: 60 random reloads, then back to the first config: negotiated, traffic through`, () => {
      dp = new Dataplane({ workers: 1, agingSeconds: 300 });
      const d = dp;
      const clock = new VirtualClock();
      bonds = new BondControl(d, log, clock);
      let cur = normalizeConfig({});
      const apply = (next: Config) => { bonds!.before(cur, next); reconcile(d, cur, next); bonds!.after(next); cur = next; };
      apply(config(0));
      const far = ['b1', 'b2', 'b3'];
      for (const p of far) d.addPort({ name: p, backend: 'memory', bridge: null, mode: 'access', vlan: 1, allowedVlans: [], macLimit: 64, mtu: 1500, punt: { classes: ['slow'] } });
      partner = new LacpDataplaneBond(d, { name: 'B', system: '02:00:00:00:00:bb', systemPriority: 32768, key: 7, mode: 'active', rate: 'fast' }, { clock });
      far.forEach((m, i) => { partner!.bond.addMember({ name: m, mac: `02:00:00:00:0b:0${i}`, port: i + 1, portPriority: 32768 }); partner!.bond.setLink(m, true); });
      const cables = new Map([['a1', 'b1'], ['b1', 'a1'], ['a2', 'b2'], ['b2', 'a2'], ['a3', 'b3'], ['b3', 'a3']]);
      let toVm = 0;
      const run = (ms: number) => {
        for (let t = 0; t < ms; t += 50) {
          if (d.hasPort('vm')) d.memInject('vm', frame(SERVER, '02:00:00:00:0a:01'));
          for (const m of ['a1', 'a2']) if (d.hasPort(m)) d.memInject(m, frame('ff:ff:ff:ff:ff:ff', SERVER)); // from the partner's side
          d.pollOnce();
          for (const [from, to] of cables) {
            if (!d.hasPort(from)) continue;
            for (let f = d.memPop(from); f; f = d.memPop(from))
              if (f.readUInt16BE(12) === SLOW_PROTOCOLS_ETHERTYPE && d.hasPort(to)) d.memInject(to, f);
          }
          d.pollOnce();
          d.drainEvents();
          if (d.hasPort('vm')) for (let f = d.memPop('vm'); f; f = d.memPop('vm')) toVm++;
          clock.advance(50);
        }
      };
      run(3_000);
      let s = seed * 7919;
      for (let n = 0; n < 60; n++) {
        s = (s * 1103515245 + 12345) & 0x7fffffff;
        apply(config(s & ((1 << variants.length) - 1)));
        run(100 + (s % 1500));
      }
      apply(config(0));
      toVm = 0;
      run(5_000);
      expect(d.bonds.distributing('bond0')).toEqual(['a1', 'a2']);
      expect(bonds.reports('bond0')![0]!.status).toBe('active negotiated');
      expect(toVm).toBeGreaterThan(50);
    });
  }
});
