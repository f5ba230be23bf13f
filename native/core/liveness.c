/* Worker liveness for the systemd watchdog (sd_notify.h, src/daemon/systemd.ts).
 *
 * A watchdog ping means "every part that could hang is still turning", so it
 * must be gated by the threads that would hang: the controller sends
 * WATCHDOG=1 only if every worker's heartbeat advanced since its previous
 * ping.  The heartbeat is the QSBR epoch each worker already bumps once per
 * loop iteration (core.h); a worker blocked in poll still wakes every poll_ms
 * and bumps it, so an idle switch keeps pinging while a worker spinning in a
 * stage, or blocked in a send, stops the pings (and systemd restarts us after
 * WatchdogSec).  Nothing is added to the packet path.
 *
 * The stall below is a TEST HOOK: the daemon only reaches it when its test
 * hooks are switched on (HVSWITCHD_TEST_HOOKS=1), to show that a stuck worker
 * stops the watchdog. */
#include <time.h>
#include <unistd.h>

#include "core_int.h"

uint64_t hv_core_worker_heartbeat(const struct hv_core *c, uint32_t w) {
  if (w >= c->nworkers) return 0;
  return atomic_load_explicit(&c->workers[w]->epoch, memory_order_acquire);
}

int hv_core_test_stall_worker(struct hv_core *c, uint32_t w, uint32_t ms) {
  if (w >= c->nworkers) return -1;
  struct hv_worker *wk = c->workers[w];
  atomic_store(&wk->test_stall_ms, ms);
  uint64_t one = 1;
  if (write(wk->wake_fd, &one, sizeof one) < 0) { /* counter full: already woken */
  }
  return 0;
}

void hv_worker_test_stall(struct hv_worker *w) {
  if (!atomic_load_explicit(&w->test_stall_ms, memory_order_relaxed)) return;
  uint32_t ms = atomic_exchange(&w->test_stall_ms, 0);
  atomic_store(&w->test_stalling, 1);
  /* Holding the loop like a stuck stage: online (not in poll), no epoch bump. */
  uint64_t end = hv_now_ns() + (uint64_t)ms * 1000000ull;
  struct timespec slice = {0, 1000000};
  while (hv_now_ns() < end) nanosleep(&slice, NULL);
  atomic_store(&w->test_stalling, 0);
}
