// Worker polling modes (native/core/polling.h), the `dataplane.polling`
// section of the config: when a dataplane worker with nothing to do blocks in
// poll(2) and pays a wake-up for the next frame, or keeps polling.
//
//   dataplane:
//     polling:
//       mode: adaptive        # interrupt | adaptive | busy
//       budget-us: 100        # adaptive: keep polling this long after the last busy batch
//       budget-max-us: 20000  # adaptive: let the budget grow up to this while wake-ups find traffic (0: off)
//       nap-us: 100           # adaptive: past budget-us, wait in naps this long instead of spinning (0: spin)
//       workers:              # per worker (by index), overriding the ones above
//         "1": {mode: busy}
//
//  - interrupt: block as soon as a loop finds nothing (an idle switch costs
//    ~0 CPU; each frame on an idle path pays a thread wake-up);
//  - adaptive: after a busy batch, poll without blocking for `budget-us`,
//    then block: a request/response crossing finds the worker awake, an idle
//    switch still sleeps (docs/polling.md has the bench figures);
//    With `budget-max-us` the budget grows to cover the gaps of a steady
//    request/response stream and halves back each time it is spent idle; with
//    `nap-us` the part past `budget-us` is spent in short sleeps (a VM's vCPU
//    that halted microseconds ago wakes several times faster than one halted
//    for milliseconds) instead of spinning;
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
/** HV_POLL_BUDGET_GROW_MAX_US / HV_POLL_NAP_MAX_US (polling.h). */
export const POLL_BUDGET_GROW_MAX_US = 100_000;
export const POLL_NAP_MAX_US = 1_000;

const Mode = Type.Union(POLL_MODES.map((m) => Type.Literal(m)), { description: 'interrupt | adaptive | busy (docs/polling.md)' });
const Budget = Type.Integer({ minimum: 0, maximum: POLL_BUDGET_MAX_US, description: 'adaptive: microseconds of polling after the last busy batch' });

const BudgetMax = Type.Integer({ minimum: 0, maximum: POLL_BUDGET_GROW_MAX_US, description: 'adaptive: the budget may grow up to this many microseconds while wake-ups find traffic (0: fixed budget)' });
const Nap = Type.Integer({ minimum: 0, maximum: POLL_NAP_MAX_US, description: 'adaptive: past budget-us, wait in naps of this many microseconds instead of spinning (0: spin)' });

const WorkerPollingSchema = Type.Object(
  { mode: Type.Optional(Mode), 'budget-us': Type.Optional(Budget), 'budget-max-us': Type.Optional(BudgetMax), 'nap-us': Type.Optional(Nap) },
  { additionalProperties: false },
);

export const DataplaneSchema = Type.Object(
  {
    polling: Type.Optional(
      Type.Object(
        {
          mode: Type.Optional(Mode),
          'budget-us': Type.Optional(Budget),
          'budget-max-us': Type.Optional(BudgetMax),
          'nap-us': Type.Optional(Nap),
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
  /** adaptive: bound of the traffic-aware budget (0, or not above budgetUs: a fixed budget) */
  budgetMaxUs: number;
  /** adaptive: nap length past budgetUs (0: spin) */
  napUs: number;
}

/** The resolved section: the default, and the workers that differ from it. */
export interface PollingConfig extends WorkerPolling {
  workers: ({ worker: number } & WorkerPolling)[];
}

export const DEFAULT_POLLING: PollingConfig = { mode: POLL_MODE_DEFAULT, budgetUs: POLL_BUDGET_DEFAULT_US, budgetMaxUs: 0, napUs: 0, workers: [] };

/** Resolves `dataplane.polling` for `workers` workers; problems name the field. */
export function normalizePolling(raw: RawDataplane | undefined, workers: number, problems: { path: string; message: string }[]): PollingConfig {
  const p = raw?.polling;
  const mode = p?.mode ?? POLL_MODE_DEFAULT;
  const budgetUs = p?.['budget-us'] ?? POLL_BUDGET_DEFAULT_US;
  const budgetMaxUs = p?.['budget-max-us'] ?? 0;
  const napUs = p?.['nap-us'] ?? 0;
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
    out.push({
      worker: index, mode: w.mode ?? mode, budgetUs: w['budget-us'] ?? budgetUs,
      budgetMaxUs: w['budget-max-us'] ?? budgetMaxUs, napUs: w['nap-us'] ?? napUs,
    });
  }
  out.sort((a, b) => a.worker - b.worker);
  return { mode, budgetUs, budgetMaxUs, napUs, workers: out };
}

/** What worker `index` runs with. */
export function workerPolling(c: PollingConfig, index: number): WorkerPolling {
  const w = c.workers.find((x) => x.worker === index);
  const { mode, budgetUs, budgetMaxUs, napUs } = w ?? c;
  return { mode, budgetUs, budgetMaxUs, napUs };
}

/** Whether `c` is what an absent section gives (then the config written back leaves it out). */
export function isDefaultPolling(c: PollingConfig): boolean {
  return c.mode === DEFAULT_POLLING.mode && c.budgetUs === DEFAULT_POLLING.budgetUs && c.budgetMaxUs === 0 && c.napUs === 0 &&
    c.workers.length === 0;
}

/** The raw section that normalizes back to `c` (the config written back by the API). */
export function rawDataplane(c: PollingConfig): RawDataplane {
  // a worker's 0 is written (it may override the section's value), the section's only when set
  const workers = Object.fromEntries(c.workers.map((w) => [String(w.worker),
    { mode: w.mode, 'budget-us': w.budgetUs, 'budget-max-us': w.budgetMaxUs, 'nap-us': w.napUs }]));
  return {
    polling: {
      mode: c.mode, 'budget-us': c.budgetUs,
      ...(c.budgetMaxUs ? { 'budget-max-us': c.budgetMaxUs } : {}), ...(c.napUs ? { 'nap-us': c.napUs } : {}),
      ...(c.workers.length ? { workers } : {}),
    },
  };
}
