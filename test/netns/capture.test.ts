// Packet capture against a real hvswitchd (docs/capture.md): while hosts ping
// across the switch, `hvswitch port capture PORT -c N -w FILE` on an
// AF_PACKET port (a veth) and on a TAP port writes pcap files that tshark
// reads, holding the ICMP echo requests and replies with the same bytes, in
// the same order, as a tcpdump on the host's end of that link at the same
// time; the `icmp` filter leaves out the ARP exchange that came first; `-w -`
// piped into `tshark -r -` shows the frames while the capture still runs; a
// tagged frame on a trunk keeps its tag in the capture; SIGINT ends a
// capture and the daemon detaches it.  The veth ports run on AF_PACKET, then
// on AF_XDP.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { IFACE_BACKENDS, netnsGate, ping, py, ROOT, Topology, until, waitExit, type Daemon } from './helpers/netns.js';

const gate = netnsGate();
const CLI = join(ROOT, 'dist/src/cli/main.js');

/** The frames of a pcap file (microsecond or nanosecond variant, little-endian, as tcpdump and we write them). */
function pcapFrames(file: string): Buffer[] {
  const b = readFileSync(file);
  const magic = b.readUInt32LE(0);
  if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error(`${file}: not a little-endian pcap file (magic ${magic.toString(16)})`);
  const out: Buffer[] = [];
  for (let off = 24; off + 16 <= b.length; ) {
    const caplen = b.readUInt32LE(off + 8);
    out.push(b.subarray(off + 16, off + 16 + caplen));
    off += 16 + caplen;
  }
  return out;
}

const isIcmp = (f: Buffer) => f.readUInt16BE(12) === 0x0800 && f[23] === 1;
const isArp = (f: Buffer) => f.readUInt16BE(12) === 0x0806;

describe.skipIf(gate.skip).each(IFACE_BACKENDS)(`packet capture on hvswitchd ports, %s${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, (backend) => {
  const topo = new Topology();
  let sw: string, h1: string, h2: string, h3: string;
  let d: Daemon;
  const veth = topo.name('pa');
  const tap = topo.name('tp');
  const trunk = topo.name('pt');

  beforeAll(async () => {
    sw = await topo.ns('sw');
    h1 = await topo.ns('ha');
    h2 = await topo.ns('hb');
    h3 = await topo.ns('hc');
    await topo.veth(sw, veth, h1, 'eth0', '10.9.0.1/24');
    await topo.veth(sw, trunk, h3, 'eth0');
    d = await topo.daemon(sw, {
      bridges: { br0: {} },
      ports: {
        [veth]: { backend, bridge: 'br0', vlan: 10 },
        [tap]: { backend: 'tap', bridge: 'br0', vlan: 10 },
        [trunk]: { backend, bridge: 'br0', mode: 'trunk', 'allowed-vlans': [10] },
      },
    });
    await topo.adoptTap(sw, tap, h2, '10.9.0.2/24');
  });
  afterAll(async () => {
    await topo.destroy();
  });

  /** A tcpdump writing a pcap file in `ns`; stop() ends it once it has written `n` frames. */
  async function tcpdumpTo(ns: string, iface: string, file: string) {
    const p = topo.spawnIn(ns, ['tcpdump', '-i', iface, '-s', '0', '-U', '-w', file]);
    let err = '';
    p.stderr?.on('data', (x: Buffer) => (err += x.toString()));
    await until(`tcpdump on ${iface} to listen`, () => err.includes('listening on') || p.exitCode !== null);
    expect(p.exitCode, err).toBeNull();
    return {
      async stop(icmpFrames: number) {
        await until(`tcpdump on ${iface} to write ${icmpFrames} ICMP frames`, () => pcapFrames(file).filter(isIcmp).length >= icmpFrames);
        p.kill('SIGINT');
        await waitExit(p, 5000);
      },
    };
  }

  /** `hvswitch port capture` in the background; resolves once the daemon has attached it. */
  async function cliCapture(args: string[]) {
    const attached = d.output.split('capture attached').length; // this one's line is the next
    const p = spawn(process.execPath, [CLI, '--socket', d.socket, 'port', 'capture', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (x: Buffer) => (stderr += x.toString()));
    await d.waitForCount('capture attached', attached, 10_000);
    return { p, stderr: () => stderr };
  }

  it('the pcap of a ping holds the same ICMP frames as tcpdump on the link, and no ARP (filter icmp)', async () => {
    // forget the neighbors: the ping starts with an ARP exchange the filter must leave out
    await topo.exec(h1, ['ip', 'neigh', 'flush', 'all']);
    await topo.exec(h2, ['ip', 'neigh', 'flush', 'all']);
    const files = { veth: join(topo.tmp, 'veth.pcap'), tap: join(topo.tmp, 'tap.pcap'), h1: join(topo.tmp, 'h1.pcap'), h2: join(topo.tmp, 'h2.pcap') };
    const td1 = await tcpdumpTo(h1, 'eth0', files.h1);
    const td2 = await tcpdumpTo(h2, tap, files.h2);
    const c1 = await cliCapture([veth, '-c', '8', '-S', '65535', '--filter', 'icmp', '-w', files.veth]);
    const c2 = await cliCapture([tap, '-c', '8', '-S', '65535', '--filter', 'icmp', '-w', files.tap]);
    expect((await ping(topo, h1, '10.9.0.2', 4)).received).toBe(4);
    expect(await waitExit(c1.p, 15_000)).toBe(0);
    expect(await waitExit(c2.p, 15_000)).toBe(0);
    await td1.stop(8);
    await td2.stop(8);
    for (const [ours, wire] of [[files.veth, files.h1], [files.tap, files.h2]] as const) {
      const captured = pcapFrames(ours);
      const onWire = pcapFrames(wire);
      expect(onWire.some(isArp)).toBe(true); // the ARP exchange happened...
      expect(captured.some(isArp)).toBe(false); // ...and the filter left it out
      expect(captured.length).toBe(8);
      expect(captured.map((f) => f.toString('hex'))).toEqual(onWire.filter(isIcmp).map((f) => f.toString('hex')));
      // tshark reads our file: 4 echo requests (type 8) and 4 replies (type 0), alternating
      const r = await topo.exec(sw, ['tshark', '-r', ours, '-T', 'fields', '-e', 'icmp.type']);
      expect(r.stdout.trim().split('\n')).toEqual(['8', '0', '8', '0', '8', '0', '8', '0']);
    }
    expect(c1.stderr()).toMatch(/^8 packets written \(count reached\)\n/);
    expect(c1.stderr()).toMatch(/\n0 packets dropped by the capture ring\n/);
  });

  it('-w - piped into tshark -r -: the frames show while the capture runs; -c ends both', async () => {
    const attached = d.output.split('capture attached').length;
    // a shell pipeline, as an operator types it (tshark refuses a socket on stdin, which is what node's stdio would be)
    const pipeline = spawn('sh', ['-c', `"$0" "$1" --socket "$2" port capture "$3" -i in -c 6 --filter icmp -w - | tshark -l -r - -T fields -e icmp.type -e ip.src`, process.execPath, CLI, d.socket, veth], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lines = '';
    pipeline.stdout.on('data', (x: Buffer) => (lines += x.toString()));
    await d.waitForCount('capture attached', attached, 10_000);
    expect((await ping(topo, h1, '10.9.0.2', 3)).received).toBe(3);
    await until('tshark to show the first 3 echo requests', () => lines.trim().split('\n').length >= 3);
    expect(pipeline.exitCode).toBeNull(); // the capture still runs (-c 6): tshark showed them live
    expect((await ping(topo, h1, '10.9.0.2', 3)).received).toBe(3);
    expect(await waitExit(pipeline, 15_000)).toBe(0);
    expect(lines.trim().split('\n')).toEqual(Array(6).fill('8\t10.9.0.1')); // -i in: the requests only
  });

  it('a tagged frame on a trunk is captured with its tag in place (AF_PACKET: the kernel strips it into tp_vlan_tci, put back by the port; AF_XDP: the XDP program writes it back), `vlan 10` matches', async () => {
    const file = join(topo.tmp, 'trunk.pcap');
    const c = await cliCapture([trunk, '-i', 'in', '-c', '3', '-S', '2000', '--filter', 'vlan 10 and udp', '-w', file]);
    const r = await py(topo, h3, [
      'from scapy.all import Ether, Dot1Q, IP, UDP, Raw, sendp, raw',
      "f = Ether(src='02:00:00:00:03:01', dst='ff:ff:ff:ff:ff:ff')/Dot1Q(vlan=10, prio=5)/IP(src='10.9.0.3', dst='10.9.0.255')/UDP(sport=5000, dport=5001)/Raw(b'hvswitch capture')",
      "sendp([f, Ether(src='02:00:00:00:03:01', dst='ff:ff:ff:ff:ff:ff')/Dot1Q(vlan=20)/IP()/UDP(), f, f], iface='eth0', verbose=False)",
      'print(raw(f).hex())',
    ].join('\n'));
    expect(await waitExit(c.p, 15_000)).toBe(0);
    const frames = pcapFrames(file);
    expect(frames.map((x) => x.toString('hex'))).toEqual(Array(3).fill(r.stdout.trim())); // the VLAN 20 frame did not match
  });

  it('SIGINT ends a capture: exit 0, a summary, the daemon detaches it', async () => {
    const c = await cliCapture([veth, '-w', join(topo.tmp, 'int.pcap')]);
    expect((await ping(topo, h1, '10.9.0.2', 2)).received).toBe(2);
    await until('the capture file to hold the ping', () => pcapFrames(join(topo.tmp, 'int.pcap')).filter(isIcmp).length >= 4);
    c.p.kill('SIGINT');
    expect(await waitExit(c.p, 10_000)).toBe(0);
    expect(c.stderr()).toMatch(/^\d+ packets written \(interrupted\)\n/);
    await d.waitFor('capture detached: client gone', 10_000);
    // detached: the port takes a new capture at once
    const again = await cliCapture([veth, '-c', '1', '-w', join(topo.tmp, 'again.pcap')]);
    expect((await ping(topo, h1, '10.9.0.2', 1)).received).toBe(1);
    expect(await waitExit(again.p, 10_000)).toBe(0);
  });
});
