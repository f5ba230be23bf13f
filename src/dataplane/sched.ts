// The runtime's helper threads under SCHED_BATCH (native/core/sched_helpers.h):
// V8's compiler and GC workers and libuv's pool are named "node", like the
// main thread, which takes the BGP UPDATEs and writes the FIB and FDB.  Woken
// by it, a helper under the default policy may preempt it on its own CPU for
// milliseconds; under SCHED_BATCH it keeps its share but waits its turn.
// It lives here because only src/dataplane loads the addon.
import { loadAddon } from './addon.js';

/** Puts the process's helper threads (named "node", the main thread excepted) under SCHED_BATCH; how many. Throws with the reason. */
export function batchRuntimeHelpers(): number {
  return loadAddon().schedBatchHelpers('node');
}
