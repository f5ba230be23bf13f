/* Worker polling modes (polling.h): the decision between blocking in poll(2)
 * and looking again at once. */
#include <errno.h>

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

/* The worker's scheduling slice: a short one (HV_WORKER_SLICE_NS) through
 * sched_setattr's sched_runtime on a SCHED_OTHER thread (Linux 6.12+, EEVDF
 * custom slices; ignored by older kernels).  A waking task whose slice is
 * shorter than the running task's preempts it at once (EEVDF's PREEMPT_SHORT),
 * where with the default slice (~3 ms on 2 CPUs) a worker woken by a frame
 * waits behind whatever else runs on its CPU for up to a slice: the
 * millisecond ping outliers of `interrupt`/`adaptive` on a shared machine
 * (docs/polling.md).  No privilege needed and no starvation: the worker keeps
 * its fair share (nice unchanged), it only runs sooner when woken. */
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

struct hv_sched_attr { /* struct sched_attr of <linux/sched/types.h> (not in every libc's headers) */
  uint32_t size, sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime, sched_deadline, sched_period;
};

int hv_poll_set_slice(uint64_t slice_ns) {
  struct hv_sched_attr a = {0};
  a.size = sizeof a;
  a.sched_policy = 0; /* SCHED_OTHER */
  errno = 0;
  int nice = getpriority(PRIO_PROCESS, 0); /* this thread's: glibc passes 0, the kernel reads the caller's tid */
  if (nice == -1 && errno) nice = 0;
  a.sched_nice = nice;
  a.sched_runtime = slice_ns;
  return (int)syscall(SYS_sched_setattr, 0, &a, 0);
}

/* Control side: set and read a worker's policy. */

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
