/* Worker polling modes (polling.h): the decision between blocking in poll(2)
 * and looking again at once. */
#include "polling.h"

const char *const hv_poll_mode_names[HV_POLL_MODE_COUNT] = {
    [HV_POLL_INTERRUPT] = "interrupt",
    [HV_POLL_ADAPTIVE] = "adaptive",
    [HV_POLL_BUSY] = "busy",
};

static uint32_t clamp_u32(uint64_t v, uint32_t lo, uint32_t hi) { return v < lo ? lo : v > hi ? hi : (uint32_t)v; }

/* Adaptive: spin for budget_us after a busy loop, then (traffic-aware) nap or
 * spin until the grown budget is spent, then block.  polling.h has the rules. */
static int adaptive(struct hv_poll_policy *p, int busy, uint64_t now_ns, int idle_us) {
  uint32_t base = atomic_load_explicit(&p->budget_us, memory_order_relaxed);
  uint32_t max = atomic_load_explicit(&p->budget_max_us, memory_order_relaxed);
  uint32_t nap = atomic_load_explicit(&p->nap_us, memory_order_relaxed);
  if (max < base) max = base;
  p->grown_us = clamp_u32(p->grown_us, base, max); /* the policy may have changed */
  uint64_t since_ns = now_ns - p->last_busy_ns;
  if (busy) {
    /* Woken by traffic that a budget of at most `max` would have caught:
     * grow to cover that gap with a quarter to spare, at least doubling. */
    if (p->asleep && p->last_busy_ns && since_ns <= (uint64_t)max * 1000u) {
      uint64_t want = since_ns / 1000u + since_ns / 4000u, twice = 2ull * p->grown_us;
      p->grown_us = clamp_u32(want > twice ? want : twice, base, max);
    }
    p->asleep = 0;
    p->last_busy_ns = now_ns;
    return 0;
  }
  if (since_ns < (uint64_t)base * 1000u) return 0;
  uint64_t grown_ns = (uint64_t)p->grown_us * 1000u;
  if (!p->asleep && since_ns < grown_ns) {
    if (!nap) return 0;
    uint64_t left_us = (grown_ns - since_ns + 999u) / 1000u;
    return (int)(left_us < nap ? left_us : nap);
  }
  if (!p->asleep) { /* a budget spent without traffic: halve it */
    p->asleep = 1;
    p->grown_us = clamp_u32(p->grown_us / 2u, base, max);
  }
  return idle_us;
}

int hv_poll_timeout(struct hv_poll_policy *p, int busy, uint64_t now_ns, int idle_us) {
  switch ((enum hv_poll_mode)atomic_load_explicit(&p->mode, memory_order_relaxed)) {
    case HV_POLL_BUSY:
      if (busy) p->last_busy_ns = now_ns;
      return 0;
    case HV_POLL_ADAPTIVE:
      return adaptive(p, busy, now_ns, idle_us);
    case HV_POLL_INTERRUPT:
    case HV_POLL_MODE_COUNT:
      break;
  }
  if (busy) p->last_busy_ns = now_ns;
  return busy ? 0 : idle_us;
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

int hv_core_set_polling_growth(struct hv_core *c, uint32_t w, uint32_t budget_max_us, uint32_t nap_us) {
  if (w >= c->nworkers || budget_max_us > HV_POLL_BUDGET_GROW_MAX_US || nap_us > HV_POLL_NAP_MAX_US) return -1;
  struct hv_worker *wk = c->workers[w];
  atomic_store_explicit(&wk->poll.budget_max_us, budget_max_us, memory_order_relaxed);
  atomic_store_explicit(&wk->poll.nap_us, nap_us, memory_order_relaxed);
  return 0;
}

int hv_core_get_polling_growth(const struct hv_core *c, uint32_t w, uint32_t *budget_max_us, uint32_t *nap_us) {
  if (w >= c->nworkers) return -1;
  const struct hv_worker *wk = c->workers[w];
  *budget_max_us = atomic_load_explicit(&wk->poll.budget_max_us, memory_order_relaxed);
  *nap_us = atomic_load_explicit(&wk->poll.nap_us, memory_order_relaxed);
  return 0;
}

int hv_core_get_polling(const struct hv_core *c, uint32_t w, uint32_t *mode, uint32_t *budget_us) {
  if (w >= c->nworkers) return -1;
  const struct hv_worker *wk = c->workers[w];
  *mode = atomic_load_explicit(&wk->poll.mode, memory_order_relaxed);
  *budget_us = atomic_load_explicit(&wk->poll.budget_us, memory_order_relaxed);
  return 0;
}
