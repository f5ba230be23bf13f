// hvswitchd against an 802.1D bridge (the Linux kernel bridge, stp_state 1),
// and the guards, in network namespaces. ns K holds the kernel bridge (the
// root: priority 0; hello 1 s, max age 6 s, forward delay 4 s) with two veth
// links to hvswitchd's gateway ports s1 and s2, and host hK; hvswitchd (RSTP)
// has host hS on an edge port with BPDU guard, and a port sr with root guard
// into ns R where a script plays a bridge with a better root.
// Checked: protocol migration (hvswitchd speaks 802.1D on both links), exactly
// one of s1/s2 forwarding, a broadcast source does not start a storm (frame
// counters bounded); the forwarding link cut → the other takes over, time
// measured (bounded by the 802.1D timers of the kernel peer); a BPDU sent from
// hS disables its edge port (logged, counted); superior BPDUs on sr keep it
// from the root role (alternate, discarding; the kernel bridge stays root).
// hvswitchd's ports run on AF_PACKET, then on AF_XDP (the XDP program hands
// the BPDUs to the switch like every other frame).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { IFACE_BACKENDS, netnsGate, ping, py, Topology, until, type Daemon } from './helpers/netns.js';
import { logTime } from './helpers/stp.js';

const gate = netnsGate();

interface StpPortJson { name: string; role: string; state: string; protocol: string; errDisabled: boolean; rootBlocked: boolean; counters: Record<string, number> }
interface StpBridgeJson { rootId: string; rootPort: string; ports: StpPortJson[] }

/** A Python script sending `count` 802.1D configuration BPDUs out of eth0, `gap` s apart. */
function bpduScript(rootPrio: number, rootMac: string, count: number, gap: number): string {
  return `
import socket, struct, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('eth0', 0))
src = open('/sys/class/net/eth0/address').read().strip()
mac = lambda m: bytes(int(x, 16) for x in m.split(':'))
bid = struct.pack('!H', ${rootPrio}) + mac('${rootMac}')
bpdu = struct.pack('!HBBB', 0, 0, 0, 0) + bid + struct.pack('!I', 0) + bid + struct.pack('!HHHHH', 0x8001, 0, 20 * 256, 2 * 256, 15 * 256)
frame = mac('01:80:c2:00:00:00') + mac(src) + struct.pack('!H', 3 + len(bpdu)) + bytes([0x42, 0x42, 0x03]) + bpdu
frame += bytes(max(0, 60 - len(frame)))
for i in range(${count}):
    s.send(frame)
    time.sleep(${gap})
`;
}

async function rxPackets(topo: Topology, ns: string, ifn: string): Promise<number> {
  return Number((await topo.exec(ns, ['cat', `/sys/class/net/${ifn}/statistics/rx_packets`])).stdout.trim());
}

describe.skipIf(gate.skip).each(IFACE_BACKENDS)(`hvswitchd against the kernel's 802.1D bridge, BPDU guard, root guard, %s ports${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, (backend) => {
  const topo = new Topology();
  let K: string, sw: string, hK: string, hS: string, R: string;
  let d: Daemon;
  const k1 = topo.name('kk1'), k2 = topo.name('kk2'), s1 = topo.name('ks1'), s2 = topo.name('ks2');
  const kh = topo.name('kkh'), sh = topo.name('ksh'), sr = topo.name('ksr');
  const br = topo.name('kbr');
  const show = async () => (await d.cliJson<StpBridgeJson[]>(['stp', 'show']))[0]!;
  const port = (b: StpBridgeJson, name: string) => b.ports.find((p) => p.name === name)!;

  beforeAll(async () => {
    K = await topo.ns('kb');
    sw = await topo.ns('ksw');
    hK = await topo.ns('khk');
    hS = await topo.ns('khs');
    R = await topo.ns('kr');
    // centiseconds: hello 1 s, max age 6 s, forward delay 4 s
    await topo.exec(K, ['ip', 'link', 'add', br, 'type', 'bridge', 'stp_state', '1', 'priority', '0', 'hello_time', '100', 'max_age', '600', 'forward_delay', '400']);
    await topo.veth(K, k1, sw, s1);
    await topo.veth(K, k2, sw, s2);
    await topo.veth(K, kh, hK, 'eth0', '10.8.0.1/24');
    for (const i of [k1, k2, kh]) await topo.exec(K, ['ip', 'link', 'set', i, 'master', br]);
    await topo.exec(K, ['ip', 'link', 'set', br, 'up']);
    await topo.veth(sw, sh, hS, 'eth0', '10.8.0.2/24');
    await topo.veth(sw, sr, R, 'eth0');
    d = await topo.daemon(sw, {
      bridges: { br0: { stp: { priority: 32768, mac: '02:00:00:00:6b:01' } } },
      ports: {
        [s1]: { backend, bridge: 'br0', vlan: 10 },
        [s2]: { backend, bridge: 'br0', vlan: 10 },
        [sh]: { backend, bridge: 'br0', vlan: 10, stp: { edge: true, 'bpdu-guard': true } },
        [sr]: { backend, bridge: 'br0', vlan: 10, stp: { 'root-guard': true } },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await topo.destroy();
  });

  it('migrates to 802.1D on both links; exactly one of s1/s2 forwards; the kernel bridge is root', async () => {
    await until('converged with the kernel bridge', async () => {
      const b = await show();
      const links = [port(b, s1), port(b, s2)];
      return b.rootId.startsWith('0.') && links.every((p) => p.protocol === 'stp')
        && links.filter((p) => p.state === 'forwarding').length === 1 && links.some((p) => p.role === 'alternate' && p.state === 'discarding');
    }, 30_000);
    // the kernel's ports forward after 2 × forward delay (8 s)
    await until('kernel ports forwarding', async () => {
      const st = await Promise.all([k1, k2].map(async (k) => (await topo.exec(K, ['cat', `/sys/class/net/${br}/brif/${k}/state`])).stdout.trim()));
      return st.every((s) => s === '3'); // BR_STATE_FORWARDING
    }, 30_000);
    await until('hosts reach each other', async () => (await ping(topo, hS, '10.8.0.1', 1)).received === 1, 20_000);
  });

  it('a broadcast source does not start a storm (frame counters bounded)', async () => {
    const before = await rxPackets(topo, hS, 'eth0');
    await topo.exec(hK, ['ping', '-b', '-c', '50', '-i', '0.02', '-W', '1', '10.8.0.255'], { allowFail: true, timeoutMs: 20_000 });
    const after = await rxPackets(topo, hS, 'eth0');
    expect(after - before).toBeGreaterThanOrEqual(50);
    expect(after - before).toBeLessThan(150);
  });

  it('the forwarding link cut: the other link takes over (time measured)', async () => {
    const b = await show();
    const fwd = port(b, s1).state === 'forwarding' ? s1 : s2;
    const other = fwd === s1 ? s2 : s1;
    const kSide = fwd === s1 ? k1 : k2;
    const t0 = Date.now();
    await topo.exec(K, ['ip', 'link', 'set', kSide, 'down']);
    await until('other link forwarding', async () => logTime(d.output, `stp port ${other} forwarding`, t0) !== undefined, 60_000);
    const failoverMs = logTime(d.output, `stp port ${other} forwarding`, t0)! - t0;
    await until('hosts reach each other again', async () => (await ping(topo, hS, '10.8.0.1', 1)).received === 1, 60_000);
    const trafficMs = Date.now() - t0;
    console.log(`802.1D peer failover: link cut → ${other} forwarding ${failoverMs} ms; ping answered again after ${trafficMs} ms`);
    // bounded by the peer's 802.1D timers: max age + 2 × forward delay = 14 s
    expect(failoverMs).toBeLessThanOrEqual(14_000);
    await topo.exec(K, ['ip', 'link', 'set', kSide, 'up']);
  });

  it('BPDU guard: a BPDU on the edge port disables it, logged and counted', async () => {
    expect(port(await show(), sh).state).toBe('forwarding');
    const t0 = Date.now();
    await py(topo, hS, bpduScript(32768, '02:00:00:00:99:99', 1, 0));
    await until('guard tripped', async () => port(await show(), sh).errDisabled, 10_000);
    const p = port(await show(), sh);
    expect(p.state).toBe('discarding');
    expect(p.counters.bpdu_guard_trips).toBe(1);
    expect(logTime(d.output.replace(/"msg":"stp br0: BPDU guard[^"]*"/g, '"msg":"bpdu-guard"'), 'bpdu-guard', t0)).toBeDefined();
    expect((await ping(topo, hS, '10.8.0.1', 1)).received).toBe(0);
    await d.cli(['stp', 'reenable', 'br0', sh]);
    await until('port back', async () => port(await show(), sh).state === 'forwarding', 10_000);
  });

  it('root guard: superior BPDUs on sr keep it from the root role; the kernel bridge stays root', async () => {
    const before = await show();
    const script = py(topo, R, bpduScript(0, '00:00:00:00:00:01', 12, 0.5)); // better than the kernel's 0.<its MAC>
    await until('root guard blocking', async () => port(await show(), sr).rootBlocked, 10_000);
    const b = await show();
    expect(port(b, sr)).toMatchObject({ role: 'alternate', state: 'discarding' });
    expect(b.rootId).toBe(before.rootId);
    expect(b.rootPort).toBe(before.rootPort);
    expect(d.output).toContain('root guard: superior BPDU');
    await script;
  });
});
