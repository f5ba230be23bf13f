// Golden tests (STYLE.md): each test/golden/<case>/ holds case.yaml (a config of
// memory ports and the frames injected, step by step), the frames expected out
// of every port (out-<port>.pcap, open them with tcpdump -r) and the non-zero
// port counters (counters.json).  GOLDEN_REGEN=1 rewrites the expected files
// (npm run test:golden:regen); review the diff before committing it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { normalizeConfig, Controller } from '../../src/controller/index.js';
import { createLogger } from '../../src/util/logger.js';
import { macBytes } from '../../src/dataplane/index.js';
import { readPcap, writePcap } from '../golden/pcap.js';

const DIR = new URL('../golden/', import.meta.url).pathname;
const REGEN = process.env.GOLDEN_REGEN === '1';

interface FrameSpec {
  dst: string;
  src: string;
  vlan?: number;
  pcp?: number;
  type?: number;
  len?: number; // payload bytes (default 46)
  hex?: string; // or the raw frame
  repeat?: number;
}
interface Case {
  description: string;
  config: unknown;
  steps: { port: string; frames: FrameSpec[] }[];
}

function build(f: FrameSpec): Buffer {
  if (f.hex) return Buffer.from(f.hex.replace(/\s+/g, ''), 'hex');
  const tag = f.vlan === undefined ? Buffer.alloc(0) : Buffer.from([0x81, 0, ((f.pcp ?? 0) << 5) | (f.vlan >> 8), f.vlan & 0xff]);
  const type = Buffer.alloc(2);
  type.writeUInt16BE(f.type ?? 0x0800);
  const payload = Buffer.alloc(f.len ?? 46);
  for (let i = 0; i < payload.length; i++) payload[i] = i & 0xff;
  return Buffer.concat([macBytes(f.dst), macBytes(f.src), tag, type, payload]);
}

const cases = readdirSync(DIR, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(DIR, d.name, 'case.yaml')));

describe('golden forwarding cases (memory ports)', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));
  for (const c of cases) {
    const dir = join(DIR, c.name);
    const spec = parse(readFileSync(join(dir, 'case.yaml'), 'utf8')) as Case;
    it(`${c.name}: ${spec.description}`, async () => {
      const config = normalizeConfig(spec.config, `${c.name}/case.yaml`);
      const ctl = new Controller(config, createLogger('silent'));
      try {
        await ctl.apply(config); // the workers are not started: pollOnce drives them
        const dp = ctl.dataplane;
        const out = new Map<string, Buffer[]>(config.ports.map((p) => [p.name, []]));
        for (const step of spec.steps) {
          for (const f of step.frames) for (let i = 0; i < (f.repeat ?? 1); i++) dp.memInject(step.port, build(f));
          while (dp.pollOnce() > 0) {
            /* drain */
          }
          for (const [port, frames] of out) for (let f = dp.memPop(port); f; f = dp.memPop(port)) frames.push(f);
        }
        const counters: Record<string, Record<string, number>> = {};
        for (const p of config.ports) {
          const s = Object.entries(dp.stats(p.name)).filter(([, v]) => v !== 0);
          if (s.length) counters[p.name] = Object.fromEntries(s);
        }
        if (REGEN) {
          for (const [port, frames] of out) if (frames.length || existsSync(join(dir, `out-${port}.pcap`))) writePcap(join(dir, `out-${port}.pcap`), frames);
          writeFileSync(join(dir, 'counters.json'), `${JSON.stringify(counters, null, 2)}\n`);
          return;
        }
        for (const [port, frames] of out) {
          const file = join(dir, `out-${port}.pcap`);
          const want = existsSync(file) ? readPcap(file) : [];
          expect(frames.map((f) => f.toString('hex')), `frames out of ${port}`).toEqual(want.map((f) => f.toString('hex')));
        }
        expect(counters).toEqual(JSON.parse(readFileSync(join(dir, 'counters.json'), 'utf8')));
      } finally {
        ctl.close();
      }
    });
  }
});
