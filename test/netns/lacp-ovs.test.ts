// LACP (IEEE 802.1AX-2008) against Open vSwitch's userspace bond, a real
// partner: an in-process Dataplane owns two TAPs whose netdevs move into a
// namespace where a private ovsdb-server + ovs-vswitchd (datapath_type=netdev)
// bonds them (`ovs-vsctl add-bond … lacp=active|passive`). The TAPs punt the
// slow class, so OVS's LACPDUs reach our LacpBond through the punt ring and
// ours leave through inject. Checked: negotiation on both members seen from
// both sides (`ovs-appctl lacp/show`), a member's link cut → that member
// leaves after the short timeout while the other stays, then rejoins;
// passive vs passive stays silent; a partner member with a different key is
// not aggregated. Names are unique per run; OVS runs as child processes
// killed in afterAll with the namespace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Dataplane } from '../../src/dataplane/index.js';
import type { LacpBondConfig } from '../../src/l2gw/lacp/bond.js';
import { LacpDataplaneBond } from '../../src/l2gw/lacp/dataplane-link.js';
import { netnsGate, sh, Topology, until } from './helpers/netns.js';

const gate = netnsGate();
const SYSTEM = '02:00:00:00:1a:c0';

describe.skipIf(gate.skip)(`LACP against Open vSwitch's bond${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  const taps = [topo.name('la'), topo.name('lb')] as const;
  let ns: string;
  let dp: Dataplane | undefined;
  let run: string;
  let ctl: string;
  let current: LacpDataplaneBond | undefined;

  const vsctl = (...args: string[]) => topo.exec(ns, ['ovs-vsctl', `--db=unix:${run}/db.sock`, ...args]);
  const lacpShow = async () => (await topo.exec(ns, ['ovs-appctl', '-t', ctl, 'lacp/show', 'bond0'])).stdout;
  /** One block per member of `ovs-appctl lacp/show`, keyed by member name. */
  const ovsMembers = async () => {
    const out = await lacpShow();
    return Object.fromEntries(out.split(/\nmember: /).slice(1).map((b) => [b.slice(0, b.indexOf(':')), b]));
  };

  async function ovsBond(lacp: 'active' | 'passive', time: 'fast' | 'slow' = 'fast'): Promise<void> {
    await vsctl('--if-exists', 'del-port', 'br0', 'bond0');
    await vsctl('add-bond', 'br0', 'bond0', taps[0], taps[1], `lacp=${lacp}`, `other_config:lacp-time=${time}`);
  }
  function ourBond(over: Partial<LacpBondConfig> = {}): LacpDataplaneBond {
    current?.close();
    const b = new LacpDataplaneBond(dp!, { name: 'bond0', system: SYSTEM, systemPriority: 32768, key: 1, mode: 'active', rate: 'fast', ...over });
    taps.forEach((t, i) => {
      b.bond.addMember({ name: t, mac: `02:00:00:00:1a:${String(i + 1).padStart(2, '0')}`, port: i + 1, portPriority: 32768 });
      b.bond.setLink(t, true);
    });
    current = b;
    return b;
  }

  beforeAll(async () => {
    ns = await topo.ns('ovs');
    run = topo.tmp;
    dp = new Dataplane({ workers: 1, agingSeconds: 300, pollMs: 10 });
    for (const t of taps) {
      dp.addPort({ name: t, backend: 'tap', bridge: null, mode: 'access', vlan: 1, allowedVlans: [], macLimit: 64, mtu: 1500, punt: { classes: ['slow'] } });
    }
    dp.start();
    for (const t of taps) {
      await sh('ip', ['link', 'set', t, 'netns', ns]); // the TAP's fd stays ours
      await topo.exec(ns, ['ip', 'link', 'set', t, 'up']);
    }
    await topo.exec(ns, ['ovsdb-tool', 'create', `${run}/conf.db`, '/usr/share/openvswitch/vswitch.ovsschema']);
    const env = ['env', `OVS_RUNDIR=${run}`, `OVS_DBDIR=${run}`, `OVS_LOGDIR=${run}`];
    topo.spawnIn(ns, [...env, 'ovsdb-server', `${run}/conf.db`, `--remote=punix:${run}/db.sock`, `--pidfile=${run}/ovsdb.pid`, `--unixctl=${run}/ovsdb.ctl`]);
    await until('ovsdb-server listening', async () => (await vsctl('--no-wait', 'init').catch(() => ({ code: 1 }))).code === 0);
    ctl = `${run}/vswitchd.ctl`;
    topo.spawnIn(ns, [...env, 'ovs-vswitchd', `unix:${run}/db.sock`, `--pidfile=${run}/vswitchd.pid`, `--unixctl=${ctl}`, `--log-file=${run}/vswitchd.log`]);
    await vsctl('add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath_type=netdev');
  });
  afterAll(async () => {
    current?.close();
    dp?.close();
    await topo.destroy();
  });

  it('§5.4.15 active–active fast: both members collecting+distributing on both sides', async () => {
    await ovsBond('active');
    const t0 = Date.now();
    const ours = ourBond();
    await until('our two members distributing', () => ours.bond.distributing().length === 2, 20_000);
    const negotiatedMs = Date.now() - t0;
    await until('OVS negotiated', async () => /status: active negotiated/.test(await lacpShow()), 20_000);
    const m = await ovsMembers();
    for (const t of taps) {
      expect(m[t]).toMatch(/current attached/);
      expect(m[t]).toMatch(new RegExp(`partner sys_id: ${SYSTEM}`));
      expect(m[t]).toMatch(/partner state: activity timeout aggregation synchronized collecting distributing/);
    }
    const a = ours.bond.member(taps[0]);
    expect(a.partner.state).toMatchObject({ synchronization: true, collecting: true, distributing: true });
    console.log(`LACP vs OVS: collecting+distributing on both members ${negotiatedMs} ms after the bond started`);
  });

  it('§5.4.12 a member link cut: it leaves after the short timeout, the other stays, then it rejoins', async () => {
    const ours = current!;
    await until('negotiated', () => ours.bond.distributing().length === 2, 20_000);
    let left = 0;
    const t0 = Date.now();
    await topo.exec(ns, ['ip', 'link', 'set', taps[0], 'down']);
    await until(`${taps[0]} leaves`, () => {
      if (!ours.bond.member(taps[0]).distributing && !left) left = Date.now() - t0;
      return left > 0;
    }, 20_000);
    expect(ours.bond.distributing()).toEqual([taps[1]]);
    // the last PDU heard was at most 1 s before the cut; the timeout is 3 s
    expect(left).toBeGreaterThanOrEqual(1_900);
    expect(left).toBeLessThan(6_000);
    console.log(`LACP vs OVS: member left ${left} ms after its partner link went down (Short_Timeout_Time 3 s)`);
    await topo.exec(ns, ['ip', 'link', 'set', taps[0], 'up']);
    await until(`${taps[0]} rejoins`, () => ours.bond.distributing().length === 2, 20_000);
  });

  it('slow rate on both sides: negotiates, and each end asks for the long timeout', async () => {
    await ovsBond('active', 'slow');
    const ours = ourBond({ rate: 'slow' });
    await until('our two members distributing', () => ours.bond.distributing().length === 2, 20_000);
    await until('OVS attached both', async () => Object.values(await ovsMembers()).every((b) => /current attached/.test(b)), 20_000);
    for (const p of ours.bond.members()) expect(p.partner.state).toMatchObject({ timeout: false, synchronization: true });
    expect(await lacpShow()).toMatch(/partner state: activity aggregation synchronized collecting distributing\n/);
    // periodic machine: the partner asked for slow, so we send every 30 s
    expect(ours.bond.members().every((p) => p.periodic === 'slow-periodic')).toBe(true);
  });

  it('passive vs passive stays down: no LACPDU either way', async () => {
    await ovsBond('passive');
    const ours = ourBond({ mode: 'passive' });
    // OVS's own receive machine runs through EXPIRED to DEFAULTED (3 s) with nothing heard
    await until('OVS members defaulted', async () => Object.values(await ovsMembers()).every((b) => / defaulted /.test(b.split('\n')[0]!)), 20_000);
    await until('our members defaulted', () => ours.bond.members().every((p) => p.rx === 'defaulted'), 20_000);
    for (const p of ours.bond.members()) {
      expect(p.counters).toEqual({ rxPdus: 0, rxErrors: 0, txPdus: 0 });
      expect(p.rx).toBe('defaulted');
    }
    expect(ours.bond.distributing()).toEqual([]);
    expect(await lacpShow()).not.toMatch(/negotiated/);
  });

  it('§5.4.14 a partner presenting a different key on one link: only one member is aggregated', async () => {
    // OVS uses one key per bond (and a one-interface LACP port is Individual),
    // so the partner is two bonds with one system ID and keys 1 and 2, each over
    // one of our links and an unconnected veth of its own.
    await vsctl('--if-exists', 'del-port', 'br0', 'bond0');
    for (const [i, t] of taps.entries()) {
      const spare = topo.name(`s${i}`);
      await topo.exec(ns, ['ip', 'link', 'add', spare, 'type', 'veth', 'peer', 'name', topo.name(`r${i}`)]);
      await topo.exec(ns, ['ip', 'link', 'set', spare, 'up']);
      await vsctl('add-bond', 'br0', `kb${i}`, t, spare, 'lacp=active', 'other_config:lacp-time=fast', 'other_config:lacp-system-id=02:00:00:00:00:5e',
        '--', 'set', 'interface', t, `other_config:lacp-aggregation-key=${i + 1}`, '--', 'set', 'interface', spare, `other_config:lacp-aggregation-key=${i + 1}`);
    }
    const ours = ourBond();
    await until('both members heard the partner', () => ours.bond.members().every((p) => p.rx === 'current'), 20_000);
    await until('one member distributing', () => ours.bond.distributing().length === 1, 20_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\nours: ${JSON.stringify(ours.bond.members().map((p) => [p.name, p.rx, p.selected, p.mux, p.partner]))}`);
    });
    const [a, b] = taps.map((t) => ours.bond.member(t));
    expect([a!.partner.key, b!.partner.key]).toEqual([1, 2]);
    const out = [a!, b!].find((p) => !p.distributing)!;
    expect(out.selected).toBe('unselected');
    expect(out.actor.state.synchronization).toBe(false);
    // the other end agrees: one port negotiated, the other not in sync with us
    const show = await Promise.all(taps.map(async (_, i) => (await topo.exec(ns, ['ovs-appctl', '-t', ctl, 'lacp/show', `kb${i}`])).stdout));
    const kept = [a!, b!].find((p) => p.distributing)!;
    expect(show.find((o) => o.includes(`member: ${kept.name}:`))).toMatch(/partner state: activity timeout aggregation synchronized collecting distributing\n/);
    expect(show.find((o) => o.includes(`member: ${out.name}:`))).toMatch(/partner state: activity timeout aggregation\n/);
  });
});
