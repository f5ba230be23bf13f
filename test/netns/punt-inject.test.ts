// Punt and inject on a real device: an in-process Dataplane owns a TAP whose
// netdev is moved into a host namespace.  A frame injected out of the TAP is
// received by a raw socket on the host side byte for byte; a BPDU the host
// sends is punted to the 'punt' event and not flooded to the bridge's other
// port.  Names are unique per run; the namespace and the TAP go in afterAll.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Dataplane, macBytes, type PuntFrame } from '../../src/dataplane/index.js';
import { netnsGate, py, sh, Topology, until } from './helpers/netns.js';

const gate = netnsGate();

const SRC = '02:00:00:00:0e:01';

/** Reads frames from `iface` until one comes from `src`, prints it in hex. */
const RECEIVE = `
import socket, sys
iface, src = sys.argv[1], bytes.fromhex(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind((iface, 0))
s.settimeout(30)
print('ready', flush=True)
while True:
    f = s.recv(65536)
    if f[6:12] == src:
        print(f.hex(), flush=True)
        break
`;

function bpdu(src: string): Buffer {
  return Buffer.concat([macBytes('01:80:c2:00:00:00'), macBytes(src), Buffer.from([0x00, 0x26, 0x42, 0x42, 0x03]), Buffer.alloc(42)]);
}

describe.skipIf(gate.skip)(`punt and inject on a TAP${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  const topo = new Topology();
  const tap = topo.name('ti');
  let host: string;
  let dp: Dataplane | undefined;

  beforeAll(async () => {
    host = await topo.ns('hi');
    dp = new Dataplane({ workers: 1, agingSeconds: 300, pollMs: 10 });
    dp.addBridge('br0', 64);
    const common = { bridge: 'br0', mode: 'access' as const, vlan: 1, allowedVlans: [], macLimit: 64, mtu: 1500 };
    dp.addPort({ ...common, name: tap, backend: 'tap', punt: { classes: ['stp'] } });
    dp.addPort({ ...common, name: 'mem', backend: 'memory' });
    dp.start();
    // The TAP's file descriptor stays ours when its netdev moves.
    await sh('ip', ['link', 'set', tap, 'netns', host]);
    await topo.exec(host, ['ip', 'link', 'set', tap, 'up']);
  });
  afterAll(async () => {
    dp?.close();
    await topo.destroy();
  });

  it('a frame injected out of the TAP arrives on the wire byte for byte', async () => {
    const rx = topo.spawnIn(host, ['/usr/bin/python3', '-c', RECEIVE, tap, macBytes(SRC).toString('hex')]);
    let out = '';
    rx.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await until('receiver ready', () => out.includes('ready'));
    const frame = Buffer.concat([macBytes('ff:ff:ff:ff:ff:ff'), macBytes(SRC), Buffer.from([0x88, 0xb5]), Buffer.from('hvswitch inject test'), Buffer.alloc(26, 0xa5)]);
    expect(dp!.inject(tap, frame)).toBe(true);
    await until('frame received', () => out.split('\n').length > 2);
    expect(out.split('\n')[1]).toBe(frame.toString('hex'));
    expect(dp!.stats(tap)).toMatchObject({ injected: 1 });
    expect(dp!.stats(tap).tx_packets).toBeGreaterThanOrEqual(1);
  });

  it('a BPDU from the host is punted, not flooded', async () => {
    const punted: PuntFrame[] = [];
    dp!.on('punt', (f) => punted.push(...f));
    const b = bpdu(SRC);
    const r = await py(topo, host, `
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('${tap}', 0))
s.send(bytes.fromhex('${b.toString('hex')}'))
`);
    expect(r.code).toBe(0);
    await until('BPDU punted', () => punted.some((f) => f.frame.equals(b)));
    expect(punted.find((f) => f.frame.equals(b))).toMatchObject({ port: tap, class: 'stp', len: b.length, truncated: false });
    expect(dp!.stats(tap).punted).toBeGreaterThanOrEqual(1);
    for (let f = dp!.memPop('mem'); f; f = dp!.memPop('mem')) expect(f.equals(b)).toBe(false);
  });
});
