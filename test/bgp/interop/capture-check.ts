/**
 * Shared end-of-suite check: every UPDATE the real peer sent us during the
 * suite (tcpdump capture) decodes and re-encodes to the same attributes and
 * NLRI octets. With BGP_FIXTURES_REGEN=1 a sample per family is written to
 * test/fixtures/bgp/<name>.json with its provenance, for the unit tests.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { readBgpMessages } from './pcap.js';
import { roundTrip } from '../fixture-check.js';
import type { Topology } from './topo.js';
import { ipv6ToBytes as ip6Bytes } from '../../../src/bgp/codec/addr.js';

export async function checkCapture(t: Topology, name: string, provenance: string, wantFamilies: string[], peerAddr = t.peerIp): Promise<void> {
  const pcap = await t.stopCapture();
  const key = peerAddr.includes(':') ? Buffer.from(ip6Bytes(peerAddr)).toString('hex') : peerAddr;
  if (process.env.BGP_KEEP_PCAP) (await import('node:fs')).copyFileSync(pcap, process.env.BGP_KEEP_PCAP);
  const all = readBgpMessages(pcap);
  const msgs = all.filter((m) => m.from.startsWith(`${key}:`) && m.type === 2);
  expect(msgs.length).toBeGreaterThan(0);
  const byFamily = new Map<string, string[]>();
  for (const m of msgs) {
    const r = roundTrip(m.hex);
    expect(r.again).toEqual(r.original);
    const fam = r.decoded.mpReach?.family ?? r.decoded.mpUnreach?.family ?? 'ipv4';
    const kind = r.decoded.mpReach || r.decoded.nlri.length ? 'announce' : 'withdraw-or-eor';
    const k = `${fam}/${kind}`;
    const list = byFamily.get(k) ?? [];
    if (list.length < 3) list.push(m.hex);
    byFamily.set(k, list);
  }
  for (const f of wantFamilies) expect([...byFamily.keys()]).toContain(`${f}/announce`);
  if (process.env.BGP_FIXTURES_REGEN === '1') {
    const file = join(import.meta.dirname, '..', '..', 'fixtures', 'bgp', `${name}.json`);
    writeFileSync(file, `${JSON.stringify({
      provenance, capturedAt: new Date().toISOString(),
      how: 'tcpdump -i <veth> tcp port 179 during the interop suite; UPDATEs sent by the peer to hvswitch, reassembled from the TCP stream',
      messages: [...byFamily.entries()].flatMap(([k, hexes]) => hexes.map((hex) => ({ kind: k, hex }))),
    }, null, 2)}\n`);
  }
}
