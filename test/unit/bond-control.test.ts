// Bonds from the config (src/controller/config-bonds.ts, bonds.ts) over a real
// Dataplane's memory ports (no root): the bond's members exchange LACPDUs over
// "cables" (memPop → memInject) with a partner LacpDataplaneBond, the workers
// polled by hand and both ends on one VirtualClock. Checked: the config's
// errors name the field; negotiation marks both members distributing in the
// core; a frame from the partner side is learned on the bond (not a member)
// and reaches the VM port; frames to it leave on one member per flow and both
// members carry some; a member removed from the config leaves distribution
// while the other keeps forwarding; fallback (off by default) lets one member
// forward when no partner answers, and hands back to LACP when one does.
import { afterEach, describe, expect, it } from 'vitest';

import { BondControl } from '../../src/controller/bonds.js';
import { ConfigError, normalizeConfig, type Config } from '../../src/controller/config.js';
import { reconcile } from '../../src/controller/reconcile.js';
import { Dataplane } from '../../src/dataplane/index.js';
import { LacpDataplaneBond } from '../../src/l2gw/lacp/dataplane-link.js';
import { SLOW_PROTOCOLS_ETHERTYPE } from '../../src/l2gw/lacp/pdu.js';
import { VirtualClock } from '../../src/util/clock.js';
import { createLogger } from '../../src/util/logger.js';

const log = createLogger('silent');
const mac = (n: number) => `02:00:00:00:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}`;
function frame(dst: string, src: string): Buffer {
  const f = Buffer.alloc(60);
  Buffer.from(dst.replace(/:/g, ''), 'hex').copy(f, 0);
  Buffer.from(src.replace(/:/g, ''), 'hex').copy(f, 6);
  f.writeUInt16BE(0x0800, 12);
  return f;
}

function config(bond: Record<string, unknown> = {}, lacp: Record<string, unknown> = {}): Config {
  return normalizeConfig({
    bridges: { br0: {} },
    ports: { vm: { backend: 'memory', bridge: 'br0', vlan: 10 } },
    bonds: { bond0: { bridge: 'br0', vlan: 10, members: { a1: { backend: 'memory' }, a2: { backend: 'memory' } }, lacp: { rate: 'fast', ...lacp }, ...bond } },
  });
}

describe('config: bonds', () => {
  it('errors name the field path and the rule', () => {
    const bad = (raw: unknown) => {
      try { normalizeConfig(raw); } catch (e) { return (e as ConfigError).problems; }
      throw new Error('accepted');
    };
    expect(bad({ bridges: { br0: {} }, ports: { eth1: { backend: 'tap', bridge: 'br0' } }, bonds: { b: { bridge: 'br0', members: { eth1: {} } } } }))
      .toEqual([{ path: 'bonds.b.members.eth1', message: "'eth1' is also in ports: a member belongs to its bond only" }]);
    expect(bad({ bonds: { b: { bridge: 'nope', members: { e: {} } } } })[0]).toMatchObject({ path: 'bonds.b.bridge' });
    expect(bad({ bonds: { b: { members: { e: {} }, lacp: { 'system-id': '01:00:00:00:00:01' } } } })[0]).toMatchObject({ path: 'bonds.b.lacp.system-id' });
    expect(bad({ bonds: { b: { members: { e: {} }, lacp: { rate: 'medium' } } } })[0]).toMatchObject({ path: 'bonds.b.lacp.rate' });
    expect(bad({ bonds: { b: { members: {} } } })).toEqual([{ path: 'bonds.b.members', message: 'a bond needs at least one member' }]);
    expect(bad({ bonds: { b: { members: { e: {} } }, c: { members: { e: {} } } } })[0]).toEqual({ path: 'bonds.c.members.e', message: "'e' is already a member of bond b" });
  });

  it('defaults: active, slow, l2, key 1, priority 32768, fallback off, a derived unicast system ID', () => {
    const b = normalizeConfig({ bonds: { b: { members: { e2: {}, e1: { 'port-priority': 7 } } } } }).bonds[0]!;
    expect(b.lacp).toMatchObject({ mode: 'active', rate: 'slow', key: 1, systemPriority: 32768, fallback: false });
    expect(b.hash).toBe('l2');
    expect(b.lacp.systemId).toMatch(/^[0-9a-f][26ae](:[0-9a-f]{2}){5}$/);
    expect(b.members.map((m) => [m.name, m.port, m.portPriority, m.backend])).toEqual([['e1', 1, 7, 'af-packet'], ['e2', 2, 32768, 'af-packet']]);
  });
});

describe('bonds in the dataplane (memory ports, virtual time)', () => {
  let dp: Dataplane;
  let bonds: BondControl;
  let partner: LacpDataplaneBond;
  afterEach(() => { partner?.close(); bonds?.close(); dp?.close(); });

  function lab(cfg: Config) {
    dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    const clock = new VirtualClock();
    bonds = new BondControl(dp, log, clock);
    const empty = normalizeConfig({});
    bonds.before(empty, cfg);
    reconcile(dp, empty, cfg);
    bonds.after(cfg);
    for (const p of ['b1', 'b2']) dp.addPort({ name: p, backend: 'memory', bridge: null, mode: 'access', vlan: 1, allowedVlans: [], macLimit: 64, mtu: 1500, punt: { classes: ['slow'] } });
    partner = new LacpDataplaneBond(dp, { name: 'B', system: '02:00:00:00:00:bb', systemPriority: 32768, key: 7, mode: 'active', rate: 'fast' }, { clock });
    ['b1', 'b2'].forEach((m, i) => { partner.bond.addMember({ name: m, mac: mac(0xb00 + i), port: i + 1, portPriority: 32768 }); partner.bond.setLink(m, true); });
    const cables = new Map([['a1', 'b1'], ['b1', 'a1'], ['a2', 'b2'], ['b2', 'a2']]);
    const cut = new Set<string>();
    /** data frames (not LACPDUs) each member sent */
    const sent = new Map<string, Buffer[]>([['a1', []], ['a2', []]]);
    const toVm: Buffer[] = [];
    const run = (ms: number) => {
      for (let t = 0; t < ms; t += 50) {
        dp.pollOnce();
        for (const [from, to] of cables) {
          if (!dp.hasPort(from) || !dp.hasPort(to)) continue;
          for (let f = dp.memPop(from); f; f = dp.memPop(from)) {
            if (f.readUInt16BE(12) !== SLOW_PROTOCOLS_ETHERTYPE && sent.has(from)) sent.get(from)!.push(f);
            else if (!cut.has(from)) dp.memInject(to, f);
          }
        }
        dp.pollOnce();
        dp.drainEvents();
        for (let f = dp.memPop('vm'); f; f = dp.memPop('vm')) toVm.push(f);
        clock.advance(50);
      }
    };
    return { run, cut, sent, toVm, clock };
  }

  it('§5.4.15 negotiation marks both members distributing; learning sees the bond; flows spread over both members', () => {
    const { run, sent, toVm } = lab(config());
    run(4_000);
    expect(dp.bonds.distributing('bond0')).toEqual(['a1', 'a2']);
    const rep = bonds.reports('bond0')![0]!;
    expect(rep).toMatchObject({ status: 'active negotiated', partner: { system: '02:00:00:00:00:bb', key: 7 } });
    expect(rep.members.map((m) => [m.name, m.rx, m.mayEnable])).toEqual([['a1', 'current', true], ['a2', 'current', true]]);
    expect(rep.members[0]!.partner!.state).toContain('distributing');
    // a server behind the partner: its frame enters on a2, is learned on the bond
    dp.memInject('a2', frame('ff:ff:ff:ff:ff:ff', '02:00:00:00:0e:01'));
    run(50);
    expect(toVm).toHaveLength(1);
    const entry = dp.fdb({ bridge: 'br0' }).find((e) => e.mac === '02:00:00:00:0e:01');
    expect(entry?.port).toBe('bond0');
    // 32 VMs' flows to it: each flow leaves on one member, both carry some
    for (let i = 0; i < 32; i++) for (let k = 0; k < 2; k++) dp.memInject('vm', frame('02:00:00:00:0e:01', mac(0x100 + i)));
    run(100);
    const a1 = sent.get('a1')!, a2 = sent.get('a2')!;
    expect(a1.length + a2.length).toBe(64);
    expect(a1.length).toBeGreaterThan(0);
    expect(a2.length).toBeGreaterThan(0);
    const src = (f: Buffer) => f.subarray(6, 12).toString('hex');
    expect(a1.map(src).filter((s) => a2.map(src).includes(s))).toEqual([]); // no flow on both
    expect(dp.stats('bond0').tx_packets).toBe(64);
  });

  it('a member removed from the config leaves distribution; the other keeps forwarding', () => {
    const { run, sent } = lab(config());
    run(4_000);
    const cur = config();
    const next = config({ members: { a1: { backend: 'memory' } } });
    bonds.before(cur, next);
    reconcile(dp, cur, next);
    bonds.after(next);
    expect(dp.bonds.distributing('bond0')).toEqual(['a1']);
    expect(dp.hasPort('a2')).toBe(false);
    for (let i = 0; i < 16; i++) dp.memInject('vm', frame('ff:ff:ff:ff:ff:ff', mac(0x200 + i)));
    run(100);
    expect(sent.get('a1')!.length).toBe(16);
  });

  it('fallback off (default): no partner, no member forwards; on: one member forwards until a partner answers', () => {
    const off = lab(config());
    off.cut.add('b1').add('b2');
    off.run(5_000);
    expect(bonds.reports('bond0')![0]!.members.map((m) => m.rx)).toEqual(['defaulted', 'defaulted']);
    expect(dp.bonds.distributing('bond0')).toEqual([]);
    partner.close(); bonds.close(); dp.close();

    const on = lab(config({ members: { a1: { backend: 'memory', 'port-priority': 40000 }, a2: { backend: 'memory' } } }, { fallback: true }));
    on.cut.add('b1').add('b2');
    on.run(5_000);
    expect(dp.bonds.distributing('bond0')).toEqual(['a2']); // the better port priority
    expect(bonds.reports('bond0')![0]!.members.find((m) => m.name === 'a2')).toMatchObject({ fallback: true, mayEnable: true });
    on.cut.clear();
    on.run(4_000);
    expect(dp.bonds.distributing('bond0')).toEqual(['a1', 'a2']);
    expect(bonds.get('bond0')!.fallbackMember).toBeNull();
  });

  it('the aggregated partner (system ID, key from its LACPDUs) is reported for esi: auto; none while no member is selected; a new key is a new partner', () => {
    const seen: (string | null)[] = [];
    const { run, cut, clock } = lab(config());
    bonds.onBondPartner = (bond, p) => seen.push(p ? `${bond} ${p.system},${p.key}` : `${bond} none`);
    expect(bonds.partnerOf('bond0')).toBeNull();
    run(4_000);
    expect(bonds.partnerOf('bond0')).toEqual({ system: '02:00:00:00:00:bb', key: 7 });
    expect(seen).toEqual(['bond0 02:00:00:00:00:bb,7']); // once, not per LACPDU
    // the partner goes silent: members expire, then default, and leave: no partner selected
    cut.add('b1').add('b2');
    run(5_000);
    expect(bonds.partnerOf('bond0')).toBeNull();
    expect(seen.at(-1)).toBe('bond0 none');
    // the CE comes back with another key on both links (what the old one still had in flight is lost with it)
    partner.close();
    dp.pollOnce();
    for (const m of ['b1', 'b2']) while (dp.memPop(m));
    partner = new LacpDataplaneBond(dp, { name: 'B', system: '02:00:00:00:00:bb', systemPriority: 32768, key: 9, mode: 'active', rate: 'fast' }, { clock });
    ['b1', 'b2'].forEach((m, i) => { partner.bond.addMember({ name: m, mac: mac(0xb00 + i), port: i + 1, portPriority: 32768 }); partner.bond.setLink(m, true); });
    cut.clear();
    run(4_000);
    expect(bonds.partnerOf('bond0')).toEqual({ system: '02:00:00:00:00:bb', key: 9 });
    expect(seen).toEqual(['bond0 02:00:00:00:00:bb,7', 'bond0 none', 'bond0 02:00:00:00:00:bb,9']);
    expect(dp.bonds.distributing('bond0')).toEqual(['a1', 'a2']);
  });
});
