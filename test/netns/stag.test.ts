// 802.1ad S-tagged frames (TPID 0x88a8) are the same frame on every port
// type: hvswitch is a C-VLAN bridge (IEEE 802.1Q-2018 §6.9 recognizes C-TAGs,
// 0x8100, only), so a frame whose outer tag is an S-tag is untagged payload
// of EtherType 0x88a8, switched in the access port's VLAN byte for byte.
// The kernel strips an S-tag into AF_PACKET's aux data just as it strips a
// C-tag; before the fix the af-packet port read it as a customer VLAN tag
// (and dropped it on an access port) while a TAP port switched it.  The same
// S-tagged frame is sent into an af-packet port (from a veth peer) and into a
// TAP port, and both copies must reach a third host unchanged.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { IFACE_BACKENDS, netnsGate, py, Topology, until, type Daemon } from './helpers/netns.js';

const gate = netnsGate();
type Stats = Record<string, Record<string, number>>;

// Receives on eth0 and writes back the tag the kernel stripped into aux data
// (struct tpacket_auxdata), so the frame is printed as it was on the wire.
const RECEIVER = `
import socket, struct, sys, time
SOL_PACKET, PACKET_AUXDATA, VLAN_VALID, TPID_VALID = 263, 8, 1 << 4, 1 << 6
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
s.bind(("eth0", 0))
s.settimeout(0.5)
want = int(sys.argv[1]); got = 0; deadline = time.time() + 60
print("ready", flush=True)
while got < want and time.time() < deadline:
    try:
        data, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(20))
    except socket.timeout:
        continue
    for level, kind, v in anc:
        if level == SOL_PACKET and kind == PACKET_AUXDATA:
            status, _, _, _, _, tci, tpid = struct.unpack("IIIHHHH", v[:20])
            if status & VLAN_VALID:
                tpid = tpid if status & TPID_VALID else 0x8100
                data = data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
    if data[6:10] == bytes.fromhex("02005a00"):
        got += 1
        print(data.hex(), flush=True)
`;

/** An S-tag (S-VID 20) over a C-tag (C-VID 20) over IPv4, from 02:00:5a:00:00:NN, with a marker. */
function stagFrame(n: number): string {
  const payload = Buffer.alloc(46, n).toString('hex');
  return `ffffffffffff02005a0000${n.toString(16).padStart(2, '0')}88a8001481000014` + `0800${payload}`;
}

describe.skipIf(gate.skip).each(IFACE_BACKENDS)(`802.1ad S-tags on %s and TAP ports${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, (backend) => {
  const topo = new Topology();
  let sw: string, h1: string, h2: string, h3: string;
  let d: Daemon;
  const tap = topo.name('ts');
  const p2 = topo.name('qb');
  const p3 = topo.name('qc');

  beforeAll(async () => {
    sw = await topo.ns('sw');
    h1 = await topo.ns('ha');
    h2 = await topo.ns('hb');
    h3 = await topo.ns('hc');
    await topo.veth(sw, p2, h2, 'eth0');
    await topo.veth(sw, p3, h3, 'eth0');
    d = await topo.daemon(sw, {
      bridges: { br0: {} },
      ports: {
        [tap]: { backend: 'tap', bridge: 'br0', mode: 'access', vlan: 10 },
        [p2]: { backend, bridge: 'br0', mode: 'access', vlan: 10 },
        [p3]: { backend, bridge: 'br0', mode: 'access', vlan: 10 },
      },
    });
    await topo.adoptTap(sw, tap, h1, '10.9.0.1/24');
  });
  afterAll(async () => {
    await topo.destroy();
  });

  it('the same S-tagged frame through an af-packet port and a TAP port reaches a host unchanged, in the access VLAN', async () => {
    const script = join(topo.tmp, 'stag-rx.py');
    writeFileSync(script, RECEIVER);
    const rx = topo.spawnIn(h3, ['/usr/bin/python3', script, '2']);
    let out = '';
    rx.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    await until('receiver ready', () => out.includes('ready'));
    const before = await d.cliJson<Stats>(['stats']);

    const send = (ifname: string, n: number) => `
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("${ifname}", 0))
s.send(bytes.fromhex("${stagFrame(n)}"))
`;
    await py(topo, h2, send('eth0', 1)); // into the af-packet port p2 (the kernel strips the S-tag)
    await py(topo, h1, send(tap, 2)); // into the TAP port (bytes as sent)
    const frames = await until('both frames received', () => {
      const lines = out.split('\n').filter((l) => /^[0-9a-f]+$/.test(l));
      return lines.length >= 2 && lines;
    });
    expect(frames.sort()).toEqual([stagFrame(1), stagFrame(2)]);

    const after = await d.cliJson<Stats>(['stats']);
    const delta = (port: string, k: string) => (after[port]?.[k] ?? 0) - (before[port]?.[k] ?? 0);
    for (const p of [p2, tap]) {
      expect(delta(p, 'drop_vlan_not_allowed'), p).toBe(0);
      expect(delta(p, 'drop_bad_vlan_header'), p).toBe(0);
    }
  });
});
