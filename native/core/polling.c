/* Worker polling modes (polling.h): the decision between blocking in poll(2)
 * and looking again at once. */
#include "polling.h"

const char *const hv_poll_mode_names[HV_POLL_MODE_COUNT] = {
    [HV_POLL_INTERRUPT] = "interrupt",
    [HV_POLL_ADAPTIVE] = "adaptive",
    [HV_POLL_BUSY] = "busy",
};

int hv_poll_timeout(struct hv_poll_policy *p, int busy, uint64_t now_ns, int idle_ms) {
  if (busy) p->last_busy_ns = now_ns;
  switch ((enum hv_poll_mode)atomic_load_explicit(&p->mode, memory_order_relaxed)) {
    case HV_POLL_BUSY:
      return 0;
    case HV_POLL_ADAPTIVE: {
      uint64_t budget_ns = (uint64_t)atomic_load_explicit(&p->budget_us, memory_order_relaxed) * 1000u;
      return now_ns - p->last_busy_ns < budget_ns ? 0 : idle_ms;
    }
    case HV_POLL_INTERRUPT:
    case HV_POLL_MODE_COUNT:
      break;
  }
  return busy ? 0 : idle_ms;
}

/* Control side: set and read a worker's policy. */
#include <unistd.h>

#include "core_int.h"

int hv_core_set_polling(struct hv_core *c, uint32_t w, uint32_t mode, uint32_t budget_us) {
  if (w >= c->nworkers || mode >= HV_POLL_MODE_COUNT || budget_us > HV_POLL_BUDGET_MAX_US) return -1;
  struct hv_worker *wk = c->workers[w];
  atomic_store_explicit(&wk->poll.budget_us, budget_us, memory_order_relaxed);
  atomic_store_explicit(&wk->poll.mode, mode, memory_order_relaxed);
  uint64_t one = 1; /* a worker blocked in poll applies it now, not after poll_ms */
  if (write(wk->wake_fd, &one, sizeof one) < 0) { /* counter full: already woken */
  }
  return 0;
}

int hv_core_get_polling(const struct hv_core *c, uint32_t w, uint32_t *mode, uint32_t *budget_us) {
  if (w >= c->nworkers) return -1;
  const struct hv_worker *wk = c->workers[w];
  *mode = atomic_load_explicit(&wk->poll.mode, memory_order_relaxed);
  *budget_us = atomic_load_explicit(&wk->poll.budget_us, memory_order_relaxed);
  return 0;
}
