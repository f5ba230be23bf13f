// Packet capture through the API (SwitchService.CapturePort, docs/capture.md)
// over memory ports, no root: the real server, controller and dataplane;
// frames injected with the memory-port hooks, a worker loop run by
// pollOnce().  The stream starts with `started`, carries the frames as
// received / as sent byte for byte, filtered by a tcpdump expression compiled
// by libpcap; `count` ends it and detaches the capture, so does a client that
// goes away; refusals name the field.  The pcap and pcapng writers are
// checked by reading their output with tshark.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { CapturePortRequest } from '../../src/api/gen/hvswitch/v1/CapturePortRequest.js';
import type { CapturePortResponse__Output } from '../../src/api/gen/hvswitch/v1/CapturePortResponse.js';
import { macBytes } from '../../src/dataplane/index.js';
import { fileHeader, parseRecords, records } from '../../src/util/pcap.js';
import { until } from '../wait.js';
import { frame, startFixture, type Fixture } from './api-fixture.js';

const A = '02:00:00:00:00:0a';
const B = '02:00:00:00:00:0b';
const BCAST = 'ff:ff:ff:ff:ff:ff';

function arp(src: string): Buffer {
  const body = Buffer.alloc(28);
  body.writeUInt16BE(1, 0); // Ethernet
  body.writeUInt16BE(0x0800, 2);
  body[4] = 6;
  body[5] = 4;
  body.writeUInt16BE(1, 6); // request
  macBytes(src).copy(body, 8);
  return Buffer.concat([macBytes(BCAST), macBytes(src), Buffer.from([0x08, 0x06]), body, Buffer.alloc(18)]);
}

interface Captured {
  messages: CapturePortResponse__Output[];
  call: ClientReadableStream<CapturePortResponse__Output>;
  ended: Promise<ServiceError | null>;
}

describe('packet capture over the API (memory ports)', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  function capture(req: CapturePortRequest): Captured {
    const call = f.client.switch.CapturePort(req) as ClientReadableStream<CapturePortResponse__Output>;
    const messages: CapturePortResponse__Output[] = [];
    call.on('data', (m: CapturePortResponse__Output) => messages.push(m));
    const ended = new Promise<ServiceError | null>((resolve) => {
      call.on('end', () => resolve(null));
      call.on('error', (e: ServiceError) => resolve(e));
    });
    return { messages, call, ended };
  }
  /** A frame received on a memory port, and one worker loop (the fixture's workers are driven by pollOnce). */
  const rx = (port: string, f0: Buffer) => {
    f.controller.dataplane.memInject(port, f0);
    f.controller.dataplane.pollOnce();
  };
  /** Worker loops until the stream ends: a worker wakes the controller for
   *  records at most every 2 ms (capture.c), so a loop must come later. */
  const loop = () => f.controller.dataplane.pollOnce() >= 0;
  const ended = async (c: Captured) => {
    let done = false;
    const e = c.ended.finally(() => (done = true));
    await until('the stream to end', () => loop() && done);
    return e;
  };
  /** The frames the stream carried (pcap records, with their directions). */
  const packets = (c: Captured) => c.messages.flatMap((m) => (m.packets?.count ? parseRecords(m.packets.pcap, m.packets.directions) : []));

  it('frames as received (in) and as sent (out), byte for byte; -c ends the stream and detaches', async () => {
    const c = capture({ port: 'm1', direction: 'CAPTURE_DIRECTION_BOTH', count: 2, snaplen: 1500 });
    await until('the capture to start', () => c.messages.length > 0);
    expect(c.messages[0]!.started).toMatchObject({ port: 'm1', linktype: 1, snaplen: 1500, direction: 'CAPTURE_DIRECTION_BOTH' });
    const fromA = frame(BCAST, A, undefined, 100);
    const toA = frame(A, B, undefined, 60);
    rx('m1', fromA); // in on m1 (A learned there)
    await until('the first frame', () => loop() && packets(c).length === 1);
    rx('m2', toA); // out on m1
    expect(await ended(c)).toBeNull();
    const p = packets(c);
    expect(p.map((x) => x.direction)).toEqual(['in', 'out']);
    const [pIn, pOut] = [p[0]!, p[1]!];
    expect(pIn.data.equals(fromA)).toBe(true);
    expect(pOut.data.equals(toA)).toBe(true);
    expect(pOut.len).toBe(toA.length);
    expect(Math.abs(pIn.seconds - Date.now() / 1000)).toBeLessThan(60); // wall clock
    const end = c.messages.at(-1)!.ended!;
    expect(end.reason).toBe('count reached');
    expect(end.counters).toMatchObject({ captured: 2, dropped: 0 });
    // detached: the port takes a new capture
    const again = capture({ port: 'm1', count: 1 });
    await until('the second capture to start', () => again.messages.length > 0);
    expect(again.messages[0]!.started).toBeTruthy();
    again.call.cancel();
  });

  it('a tcpdump filter (compiled by libpcap) keeps only what it matches; the snap length cuts frames', async () => {
    const c = capture({ port: 'm1', direction: 'CAPTURE_DIRECTION_IN', count: 2, snaplen: 20, filter: 'arp' });
    await until('the capture to start', () => c.messages.length > 0);
    rx('m1', frame(BCAST, A));
    rx('m1', arp(A));
    rx('m1', frame(BCAST, A));
    rx('m1', arp(B));
    await ended(c);
    const p = packets(c);
    expect(p.map((x) => x.data.subarray(6, 12).equals(macBytes(A)) ? 'A' : 'B')).toEqual(['A', 'B']);
    expect(p.every((x) => x.data.length === 20 && x.len === 60)).toBe(true);
    expect(c.messages.at(-1)!.ended!.counters!.filtered).toBeGreaterThanOrEqual(2);
  });

  it('refusals name the field: bad filter, unknown port, a second capture on a port', async () => {
    const bad = capture({ port: 'm1', filter: 'icmp and and' });
    const e1 = await bad.ended;
    expect(e1?.code).toBe(status.INVALID_ARGUMENT);
    expect(e1?.details).toMatch(/^filter: /);
    const e2 = await capture({ port: 'nope' }).ended;
    expect(e2?.code).toBe(status.NOT_FOUND);
    expect(e2?.details).toMatch(/nope/);
    const e3 = await capture({ port: 'm1', snaplen: 1 << 20 }).ended;
    expect(e3?.code).toBe(status.INVALID_ARGUMENT);
    expect(e3?.details).toMatch(/^snaplen: /);
    const first = capture({ port: 'm2' });
    await until('the first capture to start', () => first.messages.length > 0);
    const e4 = await capture({ port: 'm2' }).ended;
    expect(e4?.code).toBe(status.FAILED_PRECONDITION);
    expect(e4?.details).toMatch(/already running/);
    first.call.cancel(); // the client goes away: the capture is detached
    await until('m2 to take a capture again', async () => {
      const c = capture({ port: 'm2' });
      await Promise.race([until('an answer', () => c.messages.length > 0), c.ended]);
      const ok = !!c.messages[0]?.started;
      c.call.cancel();
      return ok;
    });
  });

  it('pcap and pcapng files are read by tshark: lengths, bytes, directions', () => {
    const frames: [Buffer, Buffer] = [frame(BCAST, A, undefined, 100), frame(A, B, undefined, 200)];
    const recs = frames.map((data, i) => ({ seconds: 1700000000 + i, nanos: 123456789, len: data.length, data, direction: (i ? 'out' : 'in') as 'in' | 'out' }));
    const second = recs[1]!;
    recs[1] = { ...second, data: second.data.subarray(0, 64) }; // cut at a snap length of 64
    for (const format of ['pcap', 'pcapng'] as const) {
      const file = join(f.dir, `t.${format}`);
      writeFileSync(file, Buffer.concat([fileHeader(format, { linktype: 1, snaplen: 65535, ifName: 'm1' }), records(format, recs)]));
      const fields = format === 'pcapng' ? ['-e', 'frame.packet_flags_direction'] : [];
      const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.time_epoch', '-e', 'eth.src', ...fields], { encoding: 'utf8' });
      const rows = out.trim().split('\n').map((l) => l.split('\t'));
      expect(rows.map((r) => [r[0], r[1], r[3]])).toEqual([[String(frames[0].length), String(frames[0].length), A], [String(frames[1].length), '64', B]]);
      expect(rows[0]![2]).toMatch(/^1700000000\.123456789/);
      if (format === 'pcapng') expect(rows.map((r) => Number(r[4]))).toEqual([1, 2]);
    }
  });
});
