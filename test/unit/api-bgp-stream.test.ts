// ListPath streams a large Loc-RIB to the end, in key order, through the
// transport's flow control (the handler waits for 'drain' when the client
// is behind): 30,000 VPNv4 paths originated on the speaker, listed over the
// real API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ListPathResponse__Output } from '../../src/api/gen/hvswitch/v1/ListPathResponse.js';
import type { Fixture } from './api-fixture.js';
import { startBgpFixture } from './api-bgp-fixture.js';

const N = 30_000;

describe('ListPath over a large RIB', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startBgpFixture('10.0.0.1');
    for (let i = 0; i < N; i++)
      f.controller.bgp!.originate('vpnv4', { rd: `65000:${i % 7}`, prefix: `10.${(i >> 8) & 255}.${i & 255}.0/24`, label: 100 + (i % 1000) }, { nextHop: '192.0.2.1', extCommunities: ['rt:65000:100'] });
  });
  afterAll(async () => {
    await f.close();
  });

  it(`streams all ${N} paths in RD, prefix order, pausing while the client reads slowly`, async () => {
    const keys: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const s = f.client.bgp.ListPath({ family: 'BGP_FAMILY_VPNV4' });
      s.on('data', (m: ListPathResponse__Output) => {
        keys.push(m.path!.key);
        // a slow reader: pause now and then, so the server's write() reports a full transport
        if (keys.length % 5000 === 0) {
          s.pause();
          setTimeout(() => s.resume(), 50);
        }
      });
      s.on('error', reject);
      s.on('end', resolve);
    });
    expect(keys).toHaveLength(N);
    expect(new Set(keys).size).toBe(N);
    expect(keys[0]).toBe('65000:0:10.0.0.0/24');
    // RDs ascend, and within an RD the prefixes ascend (wire-key order)
    const parsed = keys.map((k) => {
      const [, rd, p] = /^65000:(\d+):(.*)\/24$/.exec(k)!;
      return { rd: Number(rd), p: p!.split('.').reduce((n, o) => n * 256 + Number(o), 0) };
    });
    let ordered = true;
    for (let i = 1; i < N; i++) {
      const a = parsed[i - 1]!, b = parsed[i]!;
      if (a.rd > b.rd || (a.rd === b.rd && a.p >= b.p)) ordered = false;
    }
    expect(ordered).toBe(true);
  });

  it('waiting for the client many times leaves no listener behind (no MaxListenersExceededWarning)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    let n = 0;
    let pauses = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        const s = f.client.bgp.ListPath({ family: 'BGP_FAMILY_VPNV4' });
        s.on('data', () => {
          // pause often: the server's write() reports a full transport and it waits for 'drain' each time
          if (++n % 500 === 0) {
            pauses++;
            s.pause();
            setTimeout(() => s.resume(), 5);
          }
        });
        s.on('error', reject);
        s.on('end', resolve);
      });
      // warnings are emitted on a later tick
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(n).toBe(N);
    expect(pauses).toBeGreaterThan(20);
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });
});
