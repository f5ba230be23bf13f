// dataplane.polling (src/controller/polling.ts, native/core/polling.h): the
// config section validated with errors naming the field, resolved per worker,
// written back unchanged; the mode names are the core's; the dataplane applies
// a mode to a worker and refuses an unknown one.
import { describe, expect, it } from 'vitest';

import { toRawConfig } from '../../src/api/convert.js';
import { normalizeConfig } from '../../src/controller/index.js';
import { problems } from './config-problems.js';
import {
  POLL_BUDGET_DEFAULT_US, POLL_BUDGET_GROW_MAX_US, POLL_BUDGET_MAX_US, POLL_MODES, POLL_NAP_MAX_US, workerPolling,
} from '../../src/controller/polling.js';
import { loadAddon } from '../../src/dataplane/addon.js';
import { Dataplane } from '../../src/dataplane/index.js';

/** A worker's resolved polling: mode, budget, traffic-aware bound and nap (0: off). */
const pol = (mode: string, budgetUs: number, budgetMaxUs = 0, napUs = 0) => ({ mode, budgetUs, budgetMaxUs, napUs });

describe('dataplane.polling', () => {
  it('the mode names and budget limits are the core\'s (polling.h)', () => {
    const p = loadAddon().polling;
    expect(p.modes).toEqual([...POLL_MODES]);
    expect(p.budgetMaxUs).toBe(POLL_BUDGET_MAX_US);
    expect(p.budgetDefaultUs).toBe(POLL_BUDGET_DEFAULT_US);
    expect(p.budgetGrowMaxUs).toBe(POLL_BUDGET_GROW_MAX_US);
    expect(p.napMaxUs).toBe(POLL_NAP_MAX_US);
  });

  it('absent: every worker in the default mode with the default budget', () => {
    const c = normalizeConfig({ workers: 2 });
    expect(c.polling).toEqual({ ...pol('interrupt', 100), workers: [] });
    expect(workerPolling(c.polling, 1)).toEqual(pol('interrupt', 100));
  });

  it('a global mode and budget, and per-worker overrides that inherit what they leave out', () => {
    const c = normalizeConfig({
      workers: 3,
      dataplane: { polling: { mode: 'adaptive', 'budget-us': 50, workers: { '2': { mode: 'busy' }, '0': { 'budget-us': 200 } } } },
    });
    expect(c.polling.workers).toEqual([{ worker: 0, ...pol('adaptive', 200) }, { worker: 2, ...pol('busy', 50) }]);
    expect([0, 1, 2].map((w) => workerPolling(c.polling, w))).toEqual([pol('adaptive', 200), pol('adaptive', 50), pol('busy', 50)]);
    expect(normalizeConfig(toRawConfig(c))).toEqual(c); // the API's write-back keeps it
    expect(toRawConfig(normalizeConfig({})).dataplane).toBeUndefined(); // ... and adds nothing when absent
  });

  it('the traffic-aware budget and the nap: global, per worker, written back', () => {
    const c = normalizeConfig({
      workers: 2,
      dataplane: { polling: { mode: 'adaptive', 'budget-max-us': 20000, 'nap-us': 100, workers: { '1': { 'nap-us': 0 } } } },
    });
    expect([0, 1].map((w) => workerPolling(c.polling, w))).toEqual([pol('adaptive', 100, 20000, 100), pol('adaptive', 100, 20000, 0)]);
    expect(normalizeConfig(toRawConfig(c))).toEqual(c);
    expect(problems({ dataplane: { polling: { 'budget-max-us': 200000 } } })).toEqual([
      { path: 'dataplane.polling.budget-max-us', message: 'must be <= 100000' },
    ]);
    expect(problems({ dataplane: { polling: { workers: { '0': { 'nap-us': 5000 } } } } })).toEqual([
      { path: 'dataplane.polling.workers.0.nap-us', message: 'must be <= 1000' },
    ]);
  });

  it('errors name the field', () => {
    expect(problems({ dataplane: { polling: { mode: 'spin' } } })).toEqual([
      { path: 'dataplane.polling.mode', message: 'must be one of "interrupt", "adaptive", "busy"' },
    ]);
    expect(problems({ dataplane: { polling: { 'budget-us': 20000 } } })).toEqual([
      { path: 'dataplane.polling.budget-us', message: 'must be <= 10000' },
    ]);
    expect(problems({ dataplane: { polling: { 'budget-us': -1 } } })[0]!.path).toBe('dataplane.polling.budget-us');
    expect(problems({ dataplane: { poling: {} } })).toEqual([{ path: 'dataplane.poling', message: 'unknown field' }]);
    expect(problems({ workers: 2, dataplane: { polling: { workers: { '2': { mode: 'busy' } } } } })).toEqual([
      { path: 'dataplane.polling.workers.2', message: 'no worker 2: workers is 2 (indexes 0-1)' },
    ]);
    expect(problems({ dataplane: { polling: { workers: { first: { mode: 'busy' } } } } })).toEqual([
      { path: 'dataplane.polling.workers.first', message: 'must be a worker index (0, 1, ...)' },
    ]);
    expect(problems({ dataplane: { polling: { workers: { '0': { mode: 'fast' } } } } })[0]!.path).toBe('dataplane.polling.workers.0.mode');
  });

  it('the dataplane sets a worker\'s mode and budget and refuses an unknown mode or worker', () => {
    const dp = new Dataplane({ workers: 2, agingSeconds: 300 });
    try {
      expect(dp.polling()).toEqual([pol('interrupt', 100), pol('interrupt', 100)]);
      dp.setPolling(1, 'adaptive', 250, 20000, 100);
      dp.setPolling(0, 'busy', 0);
      expect(dp.polling()).toEqual([pol('busy', 0), pol('adaptive', 250, 20000, 100)]);
      expect(() => dp.setPolling(1, 'adaptive', 250, POLL_BUDGET_GROW_MAX_US + 1)).toThrow(/out of range/);
      expect(() => dp.setPolling(1, 'adaptive', 250, 0, POLL_NAP_MAX_US + 1)).toThrow(/out of range/);
      expect(() => dp.setPolling(0, 'spin', 10)).toThrow(/not one of interrupt, adaptive, busy/);
      expect(() => dp.setPolling(2, 'busy', 10)).toThrow(/out of range/);
      expect(() => dp.setPolling(0, 'adaptive', POLL_BUDGET_MAX_US + 1)).toThrow(/out of range/);
      expect(dp.polling()[0]).toEqual(pol('busy', 0));
    } finally {
      dp.close();
    }
  });
});
