// Worker polling modes (native/core/polling.h), the `dataplane.polling`
// section of the config: when a dataplane worker with nothing to do blocks in
// poll(2) and pays a wake-up for the next frame, or keeps polling.
//
//   dataplane:
//     polling:
//       mode: adaptive        # interrupt | adaptive | busy
//       budget-us: 100        # adaptive: keep polling this long after the last busy batch
//       workers:              # per worker (by index), overriding the two above
//         "1": {mode: busy}
//
//  - interrupt: block as soon as a loop finds nothing (an idle switch costs
//    ~0 CPU; each frame on an idle path pays a thread wake-up);
//  - adaptive: after a busy batch, poll without blocking for `budget-us`,
//    then block: a request/response crossing finds the worker awake, an idle
//    switch still sleeps (docs/polling.md has the bench figures);
//  - busy: never block (a whole core per worker, always).
// The mode names are the core's (hv_poll_mode_names, exported by the addon
// as `polling.modes`; test/unit/polling.test.ts fails if the two drift).
import { Type, type Static } from '@sinclair/typebox';

export const POLL_MODES = ['interrupt', 'adaptive', 'busy'] as const;
export type PollMode = (typeof POLL_MODES)[number];

/** HV_POLL_BUDGET_MAX_US / HV_POLL_BUDGET_DEFAULT_US (polling.h). */
export const POLL_BUDGET_MAX_US = 10_000;
export const POLL_BUDGET_DEFAULT_US = 100;
export const POLL_MODE_DEFAULT: PollMode = 'interrupt';

const Mode = Type.Union(POLL_MODES.map((m) => Type.Literal(m)), { description: 'interrupt | adaptive | busy (docs/polling.md)' });
const Budget = Type.Integer({ minimum: 0, maximum: POLL_BUDGET_MAX_US, description: 'adaptive: microseconds of polling after the last busy batch' });

const WorkerPollingSchema = Type.Object(
  { mode: Type.Optional(Mode), 'budget-us': Type.Optional(Budget) },
  { additionalProperties: false },
);

export const DataplaneSchema = Type.Object(
  {
    polling: Type.Optional(
      Type.Object(
        {
          mode: Type.Optional(Mode),
          'budget-us': Type.Optional(Budget),
          workers: Type.Optional(Type.Record(Type.String({ description: 'worker index' }), WorkerPollingSchema, { description: 'per-worker overrides' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: 'dataplane worker settings' },
);

export type RawDataplane = Static<typeof DataplaneSchema>;

export interface WorkerPolling {
  mode: PollMode;
  budgetUs: number;
}

/** The resolved section: the default, and the workers that differ from it. */
export interface PollingConfig extends WorkerPolling {
  workers: ({ worker: number } & WorkerPolling)[];
}

export const DEFAULT_POLLING: PollingConfig = { mode: POLL_MODE_DEFAULT, budgetUs: POLL_BUDGET_DEFAULT_US, workers: [] };

/** Resolves `dataplane.polling` for `workers` workers; problems name the field. */
export function normalizePolling(raw: RawDataplane | undefined, workers: number, problems: { path: string; message: string }[]): PollingConfig {
  const p = raw?.polling;
  const mode = p?.mode ?? POLL_MODE_DEFAULT;
  const budgetUs = p?.['budget-us'] ?? POLL_BUDGET_DEFAULT_US;
  const out: PollingConfig['workers'] = [];
  for (const [key, w] of Object.entries(p?.workers ?? {})) {
    const at = `dataplane.polling.workers.${key}`;
    const index = /^(0|[1-9]\d*)$/.test(key) ? Number(key) : NaN;
    if (!Number.isInteger(index)) {
      problems.push({ path: at, message: 'must be a worker index (0, 1, ...)' });
      continue;
    }
    if (index >= workers) {
      problems.push({ path: at, message: `no worker ${index}: workers is ${workers} (indexes 0-${workers - 1})` });
      continue;
    }
    out.push({ worker: index, mode: w.mode ?? mode, budgetUs: w['budget-us'] ?? budgetUs });
  }
  out.sort((a, b) => a.worker - b.worker);
  return { mode, budgetUs, workers: out };
}

/** What worker `index` runs with. */
export function workerPolling(c: PollingConfig, index: number): WorkerPolling {
  const w = c.workers.find((x) => x.worker === index);
  return w ? { mode: w.mode, budgetUs: w.budgetUs } : { mode: c.mode, budgetUs: c.budgetUs };
}

/** Whether `c` is what an absent section gives (then the config written back leaves it out). */
export function isDefaultPolling(c: PollingConfig): boolean {
  return c.mode === DEFAULT_POLLING.mode && c.budgetUs === DEFAULT_POLLING.budgetUs && c.workers.length === 0;
}

/** The raw section that normalizes back to `c` (the config written back by the API). */
export function rawDataplane(c: PollingConfig): RawDataplane {
  const workers = Object.fromEntries(c.workers.map((w) => [String(w.worker), { mode: w.mode, 'budget-us': w.budgetUs }]));
  return { polling: { mode: c.mode, 'budget-us': c.budgetUs, ...(c.workers.length ? { workers } : {}) } };
}
