// Worker statistics are declared once (HV_WORKER_STATS in native/core/hv.h);
// the proto's WorkerStats message keeps explicit fields as the public contract,
// so this test fails when the two drift apart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { Dataplane, workerStatNames } from '../../src/dataplane/index.js';
import { packageRoot } from '../../src/util/root.js';

function protoWorkerFields(): string[] {
  const text = readFileSync(join(packageRoot(), 'proto', 'hvswitch', 'v1', 'l2.proto'), 'utf8');
  const body = /message WorkerStats \{([^}]*)\}/.exec(text)?.[1] ?? '';
  return [...body.matchAll(/^\s*\w+\s+(\w+)\s*=\s*\d+;/gm)].map((m) => m[1]!).filter((f) => f !== 'index');
}

describe('worker statistics table', () => {
  it('the proto WorkerStats message has exactly the HV_WORKER_STATS fields, in order', () => {
    expect(workerStatNames.map((s) => s.name)).toEqual(protoWorkerFields());
    for (const s of workerStatNames) expect(s.help).not.toBe('');
  });

  it('workerStats() returns one value per table entry', () => {
    const dp = new Dataplane({ workers: 1, agingSeconds: 300 });
    try {
      const [w] = dp.workerStats();
      expect(Object.keys(w!)).toEqual(workerStatNames.map((s) => s.name));
    } finally {
      dp.close();
    }
  });
});
