/* Worker polling modes (polling.h).
 * - The decision alone: interrupt blocks after any empty loop, adaptive spins
 *   for its budget after the last busy loop then blocks, busy never blocks; a
 *   budget of 0 makes adaptive behave as interrupt.
 * - hv_core_set_polling refuses an unknown worker, mode or budget and keeps
 *   what it had.
 * - With real worker threads: an idle worker in interrupt or adaptive mode
 *   sleeps (its `sleeps` count grows, its `polls` barely move), a busy worker
 *   never sleeps; in every mode the heartbeat advances (systemd watchdog),
 *   and a frame is forwarded between memory ports.
 * - A port's idle hook (AF_PACKET: leave the ring when traffic stops) runs in
 *   every mode, also for a worker that never blocks. */
#include <stdio.h>
#include <unistd.h>

#include "core_int.h"
#include "harness.h"
#include "polling.h"

#define MS 1000000ull

static void decision(void) {
  struct hv_poll_policy p = {0};
  atomic_store(&p.mode, HV_POLL_INTERRUPT);
  CHECK_EQ(hv_poll_timeout(&p, 1, 10 * MS, 100), 0);  /* busy loop: look again */
  CHECK_EQ(hv_poll_timeout(&p, 0, 10 * MS, 100), 100); /* empty loop: block */

  atomic_store(&p.mode, HV_POLL_ADAPTIVE);
  atomic_store(&p.budget_us, 200);
  CHECK_EQ(hv_poll_timeout(&p, 1, 1000 * MS, 100), 0);
  CHECK_EQ(hv_poll_timeout(&p, 0, 1000 * MS + 150000, 100), 0); /* 150 us after: still spinning */
  CHECK_EQ(hv_poll_timeout(&p, 0, 1000 * MS + 199999, 100), 0);
  CHECK_EQ(hv_poll_timeout(&p, 0, 1000 * MS + 200000, 100), 100); /* budget spent: block */
  CHECK_EQ(hv_poll_timeout(&p, 0, 1000 * MS + 300000, 100), 100);
  CHECK_EQ(hv_poll_timeout(&p, 1, 1001 * MS, 100), 0); /* a new busy loop restarts the budget */
  CHECK_EQ(hv_poll_timeout(&p, 0, 1001 * MS + 100000, 100), 0);
  atomic_store(&p.budget_us, 0);
  CHECK_EQ(hv_poll_timeout(&p, 0, 1001 * MS + 100000, 100), 100); /* budget 0 = interrupt */

  struct hv_poll_policy fresh = {0}; /* never busy: an adaptive worker starts asleep */
  atomic_store(&fresh.mode, HV_POLL_ADAPTIVE);
  atomic_store(&fresh.budget_us, 200);
  CHECK_EQ(hv_poll_timeout(&fresh, 0, 50 * MS, 100), 100);

  atomic_store(&p.mode, HV_POLL_BUSY);
  CHECK_EQ(hv_poll_timeout(&p, 0, 5000 * MS, 100), 0);
  CHECK_EQ(hv_poll_timeout(&p, 1, 5001 * MS, 100), 0);
}

static void set_polling_bounds(void) {
  harness_core(2, 5);
  uint32_t m = 9, b = 9;
  CHECK_EQ(hv_core_get_polling(core, 0, &m, &b), 0);
  CHECK_EQ(m, HV_POLL_INTERRUPT); /* the default until the controller says otherwise */
  CHECK_EQ(b, HV_POLL_BUDGET_DEFAULT_US);
  CHECK_EQ(hv_core_set_polling(core, 1, HV_POLL_ADAPTIVE, 50), 0);
  CHECK_EQ(hv_core_set_polling(core, 2, HV_POLL_ADAPTIVE, 50), -1);               /* no worker 2 */
  CHECK_EQ(hv_core_set_polling(core, 1, HV_POLL_MODE_COUNT, 50), -1);             /* no such mode */
  CHECK_EQ(hv_core_set_polling(core, 1, HV_POLL_BUSY, HV_POLL_BUDGET_MAX_US + 1), -1); /* budget too long */
  CHECK_EQ(hv_core_get_polling(core, 1, &m, &b), 0);
  CHECK_EQ(m, HV_POLL_ADAPTIVE);
  CHECK_EQ(b, 50);
  CHECK_EQ(hv_core_get_polling(core, 2, &m, &b), -1);
  hv_core_destroy(core);
}

static struct hv_worker_stats stats_of(uint32_t w) {
  struct hv_worker_stats s;
  hv_core_worker_stats(core, w, &s);
  return s;
}

/* Waits (up to 10 s, on a loaded machine too) until worker 0 shows it runs
 * `mode`: a busy worker polls, the others block in poll(2) again. */
static void wait_mode_taken(uint32_t mode) {
  struct hv_worker_stats s0 = stats_of(0);
  for (int i = 0; i < 10000; i++) {
    struct hv_worker_stats s = stats_of(0);
    if (mode == HV_POLL_BUSY ? s.polls >= s0.polls + 100 : s.sleeps >= s0.sleeps + 2) return;
    usleep(1000);
  }
  CHECK(!"the worker did not take the polling mode within 10 s");
}

/* Runs the core idle for `ms` in `mode` and checks sleeps, polls and heartbeat. */
static void idle_in(uint32_t mode) {
  CHECK_EQ(hv_core_set_polling(core, 0, mode, 100), 0);
  wait_mode_taken(mode); /* a condition, not a delay: the wake-up above may be late under load */
  struct hv_worker_stats a = stats_of(0);
  uint64_t h = hv_core_worker_heartbeat(core, 0);
  usleep(300000);
  struct hv_worker_stats b = stats_of(0);
  uint64_t sleeps = b.sleeps - a.sleeps, polls = b.polls - a.polls, loops = b.loops - a.loops;
  printf("# %s idle 300 ms: %llu loops, %llu polls, %llu sleeps, heartbeat +%llu\n", hv_poll_mode_names[mode],
         (unsigned long long)loops, (unsigned long long)polls, (unsigned long long)sleeps,
         (unsigned long long)(hv_core_worker_heartbeat(core, 0) - h));
  CHECK(hv_core_worker_heartbeat(core, 0) > h + 3); /* the watchdog's heartbeat, every mode */
  CHECK_EQ(b.empty_polls - a.empty_polls, loops);   /* idle: every loop was empty */
  if (mode == HV_POLL_BUSY) {
    CHECK_EQ(sleeps, 0);
    CHECK(polls > 1000);
  } else {
    CHECK(sleeps >= 10 && sleeps <= 200); /* poll_ms 5: ~60 in 300 ms */
    CHECK(polls <= 10);                   /* an idle worker does not spin */
  }
}

/* A frame from a to b in `mode`: forwarded, and counted in the worker's stats. */
static void forward_in(uint32_t mode, int pa, int pb) {
  CHECK_EQ(hv_core_set_polling(core, 0, mode, 1000), 0);
  uint8_t f[128];
  uint32_t n = mk_frame(f, MAC_B, MAC_A, -1, 0x0800, 46);
  uint64_t before = stats_of(0).packets;
  CHECK_EQ(hv_port_mem_inject(hv_core_port(core, (uint16_t)pa), f, n), 0);
  CHECK((uint32_t)pop_wait(pb) == n);
  /* the worker counts the batch after it has sent it: wait for the count */
  for (int i = 0; i < 10000 && stats_of(0).packets < before + 1; i++) usleep(1000);
  CHECK_EQ(stats_of(0).packets, before + 1);
}

/* A memory port whose ops gain an idle hook that counts its calls. */
static _Atomic long idle_calls;
static struct hv_port_ops counting_ops;
static int count_idle(struct hv_port *p) {
  (void)p;
  atomic_fetch_add(&idle_calls, 1);
  return -1;
}

static void idle_hook_in(uint32_t mode) {
  CHECK_EQ(hv_core_set_polling(core, 0, mode, 100), 0);
  usleep(20000);
  long before = atomic_load(&idle_calls);
  usleep(100000);
  long calls = atomic_load(&idle_calls) - before;
  printf("# %s: idle hook called %ld times in 100 ms\n", hv_poll_mode_names[mode], calls);
  CHECK(calls >= 5);
}

static void threaded(void) {
  harness_core(1, 5);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 4096, err, sizeof err), 0);
  int pa = add_l2_port("a", HV_MODE_ACCESS, 10, NULL);
  int pb = add_l2_port("b", HV_MODE_ACCESS, 10, NULL);
  CHECK_EQ(hv_fdb_add_static(hv_core_fdb(core, 0), 10, MAC_B, (uint16_t)pb), 0);
  struct hv_port *port_b = hv_core_port(core, (uint16_t)pb);
  counting_ops = *port_b->ops;
  counting_ops.idle = count_idle;
  port_b->ops = &counting_ops;
  CHECK_EQ(hv_core_start(core, err, sizeof err), 0);
  for (uint32_t m = 0; m < HV_POLL_MODE_COUNT; m++) {
    forward_in(m, pa, pb);
    idle_in(m);
    idle_hook_in(m);
  }
  /* adaptive after a frame: it spins (polls) before it sleeps again */
  CHECK_EQ(hv_core_set_polling(core, 0, HV_POLL_ADAPTIVE, 5000), 0);
  usleep(20000);
  uint64_t p0 = stats_of(0).polls;
  forward_in(HV_POLL_ADAPTIVE, pa, pb);
  usleep(50000);
  printf("# adaptive, 5 ms budget: %llu polls after one frame\n", (unsigned long long)(stats_of(0).polls - p0));
  CHECK(stats_of(0).polls - p0 >= 10);
  hv_core_destroy(core);
}

int main(void) {
  decision();
  set_polling_bounds();
  threaded();
  return tap_done();
}
