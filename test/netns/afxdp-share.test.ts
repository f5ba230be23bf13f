// AF_XDP ports of a one-worker switch share a UMEM and forward frames between
// them without a copy (docs/afxdp.md, "Forwarding without a copy"): the frame
// goes out of the egress port's tx ring as it was received, and a frame of that
// port's transmit pool takes its place in the ingress port's fill ring.
//  - a UDP stream crosses whole, every frame counted in tx_zero_copy;
//  - a broadcast reaches two AF_XDP ports whole: one lends the frame, the other
//    copies it (a frame is lent once), and both copies are intact;
//  - TCP with the hosts' checksum offload on: the partial checksums are
//    completed in place before the frame is lent, every byte arrives;
//  - a port removed while it has frames lent to another, and added again:
//    its frames come back to the group, the switch goes on forwarding to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { netnsGate, ping, py, tcpTransfer, Topology, until, type Daemon } from './helpers/netns.js';

const gate = netnsGate();

type Stats = Record<string, Record<string, number>>;

describe.skipIf(gate.skip)(`AF_XDP ports sharing a UMEM${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  let sw: string, h1: string, h2: string, h3: string;
  let d: Daemon;
  const p1 = topo.name('za');
  const p2 = topo.name('zb');
  const p3 = topo.name('zc');

  const zeroCopy = async (p: string) => (await d.cliJson<Stats>(['stats', p]))[p]!.tx_zero_copy ?? NaN;

  // `count` datagrams to `dst` from h1, each carrying its number and 300 bytes
  // derived from it; returns what each receiver got: [datagrams, bad payloads]
  async function stream(dst: string, receivers: string[], count: number, port: number) {
    const rx = receivers.map((ns) => py(topo, ns, `
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
s.bind(("", ${port}))
s.settimeout(3.0)
pads = [bytes([(n * 7 + k) & 0xff for k in range(300)]) for n in range(256)]
seen, bad = set(), 0
try:
    while True:
        d = s.recv(2048)
        n = struct.unpack("!I", d[:4])[0]
        if n == 0xffffffff: break
        if d[4:] != pads[n & 0xff]: bad += 1
        seen.add(n)
except socket.timeout:
    pass
print(len(seen), bad)
`, 60_000));
    for (const ns of receivers)
      await until(`${ns} listens`, async () => (await topo.exec(ns, ['ss', '-Hulpn', `sport = :${port}`])).stdout.includes(String(port)));
    await py(topo, h1, `
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
pads = [bytes([(n * 7 + k) & 0xff for k in range(300)]) for n in range(256)]
for i in range(${count}):
    s.sendto(struct.pack("!I", i) + pads[i & 0xff], ("${dst}", ${port}))
for i in range(10):
    s.sendto(struct.pack("!I", 0xffffffff), ("${dst}", ${port}))
`, 60_000);
    return Promise.all(rx.map(async (r) => (await r).stdout.trim().split(' ').map(Number) as [number, number]));
  }

  beforeAll(async () => {
    sw = await topo.ns('sw');
    h1 = await topo.ns('ha');
    h2 = await topo.ns('hb');
    h3 = await topo.ns('hc');
    await topo.veth(sw, p1, h1, 'eth0', '10.6.0.1/24');
    await topo.veth(sw, p2, h2, 'eth0', '10.6.0.2/24');
    await topo.veth(sw, p3, h3, 'eth0', '10.6.0.3/24');
    d = await topo.daemon(sw, {
      bridges: { br0: {} },
      ports: {
        [p1]: { backend: 'af-xdp', bridge: 'br0', mode: 'access', vlan: 10 },
        [p2]: { backend: 'af-xdp', bridge: 'br0', mode: 'access', vlan: 10 },
        [p3]: { backend: 'af-xdp', bridge: 'br0', mode: 'access', vlan: 10 },
      },
    });
  });
  afterAll(async () => {
    await topo.destroy();
  });

  it('a UDP stream between two AF_XDP ports crosses whole, every frame sent without a copy', async () => {
    const ports = await d.cliJson<{ name: string; datapath: string | null }[]>(['port', 'list']);
    for (const p of [p1, p2, p3]) expect(ports.find((r) => r.name === p)?.datapath).toBe('af-xdp native copy');
    expect((await ping(topo, h1, '10.6.0.2', 2, ['-i', '0.05'])).received).toBe(2);
    const z0 = await zeroCopy(p2);
    const [got, bad] = (await stream('10.6.0.2', [h2], 20000, 9100))[0]!;
    expect(bad).toBe(0);
    expect(got).toBeGreaterThan(1000); // UDP may drop under load, never corrupt
    await until('the counters catch up', async () => (await zeroCopy(p2)) - z0 >= got);
  });

  it('a broadcast reaches both other ports whole: lent to one, copied for the other', async () => {
    const z0 = [await zeroCopy(p2), await zeroCopy(p3)];
    const sent = 5000;
    const [r2, r3] = await stream('10.6.0.255', [h2, h3], sent, 9101);
    const [got2, bad2] = r2!;
    const [got3, bad3] = r3!;
    expect([bad2, bad3]).toEqual([0, 0]);
    expect(got2).toBeGreaterThan(500);
    expect(got3).toBeGreaterThan(500);
    const lent = (await zeroCopy(p2)) - z0[0]! + (await zeroCopy(p3)) - z0[1]!;
    // each broadcast lent once at most (the rest: ARP, end markers), and not once per port
    expect(lent).toBeGreaterThanOrEqual(Math.max(got2!, got3!));
    expect(lent).toBeLessThan(sent + 100);
  });

  it('TCP with checksum offload on: partial checksums completed in place, every byte arrives', async () => {
    const z0 = await zeroCopy(p2);
    const t = await tcpTransfer(topo, h1, h2, '10.6.0.2', 5401, 16 << 20);
    expect(t.received).toBe(t.sent);
    expect(t.receivedHash).toBe(t.sentHash);
    expect((await zeroCopy(p2)) - z0).toBeGreaterThan(1000);
  });

  it('a port removed while its frames are lent, and added again, comes back whole', async () => {
    // h1 streams to h3's port; the port goes while the stream runs
    const rx = stream('10.6.0.3', [h3], 60000, 9102);
    await until('frames reach the port', async () => (await zeroCopy(p3)) > 0);
    await d.cli(['port', 'del', p3]);
    await d.cli(['port', 'add', p3, '--backend', 'af-xdp', '--bridge', 'br0', '--vlan', '10']);
    await rx;
    expect(d.proc.exitCode).toBeNull();
    const [got, bad] = (await stream('10.6.0.3', [h3], 3000, 9103))[0]!;
    expect(bad).toBe(0);
    expect(got).toBeGreaterThan(300);
    for (const h of [h1, h2]) expect((await ping(topo, h, '10.6.0.3', 3, ['-i', '0.05'])).received).toBe(3);
  });
});
