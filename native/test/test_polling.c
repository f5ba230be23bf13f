/* Worker polling modes (polling.h).
 * - The decision alone: interrupt blocks after any empty loop, adaptive spins
 *   for its budget after the last busy loop then blocks, busy never blocks; a
 *   budget of 0 makes adaptive behave as interrupt.
 * - The traffic-aware budget: a steady exchange grows it past the gap (no
 *   more wake-ups), bounded by budget_max_us, at least doubling; each budget
 *   spent without traffic halves it back towards budget_us; a gap longer than
 *   the bound does not grow it.  Naps: past budget_us the rest is napped in
 *   steps of nap_us, the last cut to what is left.
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

#define IDLE 100000 /* the blocking timeout, µs */

static void decision(void) {
  struct hv_poll_policy p = {0};
  atomic_store(&p.mode, HV_POLL_INTERRUPT);
  CHECK_EQ(hv_poll_timeout(&p, 1, 10 * MS, IDLE), 0);    /* busy loop: look again */
  CHECK_EQ(hv_poll_timeout(&p, 0, 10 * MS, IDLE), IDLE); /* empty loop: block */

  atomic_store(&p.mode, HV_POLL_ADAPTIVE);
  atomic_store(&p.budget_us, 200);
  CHECK_EQ(hv_poll_timeout(&p, 1, 1000 * MS, IDLE), 0);
  CHECK_EQ(hv_poll_timeout(&p, 0, 1000 * MS + 150000, IDLE), 0); /* 150 us after: still spinning */
  CHECK_EQ(hv_poll_timeout(&p, 0, 1000 * MS + 199999, IDLE), 0);
  CHECK_EQ(hv_poll_timeout(&p, 0, 1000 * MS + 200000, IDLE), IDLE); /* budget spent: block */
  CHECK_EQ(hv_poll_timeout(&p, 0, 1000 * MS + 300000, IDLE), IDLE);
  CHECK_EQ(hv_poll_timeout(&p, 1, 1001 * MS, IDLE), 0); /* a new busy loop restarts the budget */
  CHECK_EQ(hv_poll_timeout(&p, 0, 1001 * MS + 100000, IDLE), 0);
  atomic_store(&p.budget_us, 0);
  CHECK_EQ(hv_poll_timeout(&p, 0, 1001 * MS + 100000, IDLE), IDLE); /* budget 0 = interrupt */

  struct hv_poll_policy fresh = {0}; /* never busy: an adaptive worker starts asleep */
  atomic_store(&fresh.mode, HV_POLL_ADAPTIVE);
  atomic_store(&fresh.budget_us, 200);
  CHECK_EQ(hv_poll_timeout(&fresh, 0, 50 * MS, IDLE), IDLE);

  atomic_store(&p.mode, HV_POLL_BUSY);
  CHECK_EQ(hv_poll_timeout(&p, 0, 5000 * MS, IDLE), 0);
  CHECK_EQ(hv_poll_timeout(&p, 1, 5001 * MS, IDLE), 0);
}

/* One request/response exchange at `t` (ns): a busy loop, then the empty
 * loops of the next `gap` ns, as the worker would run them; returns how many
 * times the worker decided to block for IDLE (paid a wake-up) and sums the
 * naps into *nap_sum (µs). */
static int exchange(struct hv_poll_policy *p, uint64_t t, uint64_t gap, uint64_t *nap_sum) {
  int blocks = 0;
  CHECK_EQ(hv_poll_timeout(p, 1, t, IDLE), 0);
  for (uint64_t now = t + 10000; now < t + gap;) { /* the loops of the gap, 10 us each when spinning */
    int to = hv_poll_timeout(p, 0, now, IDLE);
    if (to == IDLE) {
      blocks++;
      break; /* blocked until the next frame */
    }
    if (to > 0 && nap_sum) *nap_sum += (uint64_t)to;
    now += to > 0 ? (uint64_t)to * 1000u : 10000u;
  }
  return blocks;
}

/* The traffic-aware budget: a steady exchange every 10 ms makes the budget
 * grow past the gap (no more wake-ups), bounded by budget_max_us; without
 * traffic it halves back to budget_us, one spent budget at a time. */
static void growth(void) {
  struct hv_poll_policy p = {0};
  atomic_store(&p.mode, HV_POLL_ADAPTIVE);
  atomic_store(&p.budget_us, 100);
  atomic_store(&p.budget_max_us, 20000);
  uint64_t t = 1000 * MS;
  CHECK_EQ(exchange(&p, t, 10 * MS, NULL), 1); /* the first gap: the 100 us budget is spent, block */
  CHECK_EQ(p.grown_us, 100);
  t += 10 * MS;
  CHECK_EQ(exchange(&p, t, 10 * MS, NULL), 0); /* woken 10 ms after: grown to 12.5 ms, the next gap is caught */
  CHECK_EQ(p.grown_us, 12500);
  for (int i = 0; i < 5; i++) {
    t += 10 * MS;
    CHECK_EQ(exchange(&p, t, 10 * MS, NULL), 0);
  }
  CHECK_EQ(p.grown_us, 12500); /* steady: it neither grows nor shrinks */

  /* Traffic stops: one grown budget is spent (spinning), then the worker blocks, the budget halved. */
  t += 10 * MS;
  CHECK_EQ(hv_poll_timeout(&p, 1, t, IDLE), 0);
  CHECK_EQ(hv_poll_timeout(&p, 0, t + 12 * MS, IDLE), 0);
  CHECK_EQ(hv_poll_timeout(&p, 0, t + 12500000, IDLE), IDLE);
  CHECK_EQ(p.grown_us, 6250);
  CHECK_EQ(hv_poll_timeout(&p, 0, t + 112 * MS, IDLE), IDLE); /* idle: blocks, the budget stays */
  CHECK_EQ(p.grown_us, 6250);

  /* A frame after a gap longer than budget_max_us: no budget would have caught it, no growth. */
  t += 500 * MS;
  CHECK_EQ(exchange(&p, t, 50 * MS, NULL), 1); /* spends 6.25 ms, halves, blocks */
  CHECK_EQ(p.grown_us, 3125);
  t += 50 * MS;
  CHECK_EQ(exchange(&p, t, 50 * MS, NULL), 1);
  CHECK_EQ(p.grown_us, 1562);
  for (int i = 0; i < 10; i++) t += 50 * MS, exchange(&p, t, 50 * MS, NULL);
  CHECK_EQ(p.grown_us, 100); /* back to budget_us */

  /* Bounded: gaps of 4 ms would grow it to 5 ms; budget_max_us 4.5 ms holds it there (still catching them). */
  atomic_store(&p.budget_max_us, 4500);
  t += 500 * MS;
  CHECK_EQ(exchange(&p, t, 4 * MS, NULL), 1); /* the 100 us budget: blocks */
  for (int i = 0; i < 5; i++) {
    t += 4 * MS;
    CHECK_EQ(exchange(&p, t, 4 * MS, NULL), 0);
    CHECK_EQ(p.grown_us, 4500);
  }
  /* Gaps longer than the bound never grow it: each pays its wake-up, and halves it. */
  for (int i = 0; i < 8; i++) {
    t += 6 * MS;
    CHECK_EQ(exchange(&p, t, 6 * MS, NULL), 1);
  }
  CHECK_EQ(p.grown_us, 100);
  /* At least doubling: woken 150 us after the last busy loop, a 100 us budget becomes 200 us, not 187. */
  struct hv_poll_policy q = {0};
  atomic_store(&q.mode, HV_POLL_ADAPTIVE);
  atomic_store(&q.budget_us, 100);
  atomic_store(&q.budget_max_us, 20000);
  CHECK_EQ(exchange(&q, 2000 * MS, 150000, NULL), 1);
  CHECK_EQ(exchange(&q, 2000 * MS + 150000, 150000, NULL), 0);
  CHECK_EQ(q.grown_us, 200);
  /* budget_max_us not above budget_us: a fixed budget, as before */
  atomic_store(&q.budget_max_us, 0);
  CHECK_EQ(hv_poll_timeout(&q, 0, 2000 * MS + 400000, IDLE), IDLE);
  CHECK_EQ(q.grown_us, 100);
}

/* Naps: past budget_us the rest of the grown budget is spent in naps of at
 * most nap_us (the last one cut to what is left), then the worker blocks. */
static void naps(void) {
  struct hv_poll_policy p = {0};
  atomic_store(&p.mode, HV_POLL_ADAPTIVE);
  atomic_store(&p.budget_us, 100);
  atomic_store(&p.budget_max_us, 20000);
  atomic_store(&p.nap_us, 100);
  uint64_t t = 1000 * MS, nap_sum = 0;
  CHECK_EQ(exchange(&p, t, 10 * MS, &nap_sum), 1);
  CHECK_EQ(nap_sum, 0); /* not grown yet: the 100 us are spun, then it blocks */
  t += 10 * MS;
  CHECK_EQ(exchange(&p, t, 10 * MS, &nap_sum), 0);
  CHECK_EQ(p.grown_us, 12500);
  CHECK(nap_sum >= 9800 && nap_sum <= 9910); /* the gap after the first 100 us (spun, in 10 us loops), napped */
  CHECK_EQ(hv_poll_timeout(&p, 1, 2000 * MS, IDLE), 0);
  CHECK_EQ(hv_poll_timeout(&p, 0, 2000 * MS + 50000, IDLE), 0);       /* within budget_us: spin */
  CHECK_EQ(hv_poll_timeout(&p, 0, 2000 * MS + 100000, IDLE), 100);    /* then nap */
  CHECK_EQ(hv_poll_timeout(&p, 0, 2000 * MS + 12460000, IDLE), 40);   /* the last nap: what is left */
  CHECK_EQ(hv_poll_timeout(&p, 0, 2000 * MS + 12500000, IDLE), IDLE); /* spent: block */
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
  uint32_t gmax = 9, nap = 9;
  CHECK_EQ(hv_core_get_polling_growth(core, 1, &gmax, &nap), 0);
  CHECK_EQ(gmax, 0); /* off by default */
  CHECK_EQ(nap, 0);
  CHECK_EQ(hv_core_set_polling_growth(core, 1, 20000, 100), 0);
  CHECK_EQ(hv_core_set_polling_growth(core, 2, 20000, 100), -1);                            /* no worker 2 */
  CHECK_EQ(hv_core_set_polling_growth(core, 1, HV_POLL_BUDGET_GROW_MAX_US + 1, 100), -1);   /* bound too long */
  CHECK_EQ(hv_core_set_polling_growth(core, 1, 20000, HV_POLL_NAP_MAX_US + 1), -1);         /* nap too long */
  CHECK_EQ(hv_core_get_polling_growth(core, 1, &gmax, &nap), 0);
  CHECK_EQ(gmax, 20000);
  CHECK_EQ(nap, 100);
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

/* A core of one worker with access ports a and b in VLAN 10, MAC_B static on b. */
static void two_ports(int *pa, int *pb) {
  harness_core(1, 5);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 4096, err, sizeof err), 0);
  *pa = add_l2_port("a", HV_MODE_ACCESS, 10, NULL);
  *pb = add_l2_port("b", HV_MODE_ACCESS, 10, NULL);
  CHECK_EQ(hv_fdb_add_static(hv_core_fdb(core, 0), 10, MAC_B, (uint16_t)*pb), 0);
}

static void threaded(void) {
  char err[256];
  int pa, pb;
  two_ports(&pa, &pb);
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

/* Bounded bursts per port per loop, round robin: a frame on port b while
 * port a has a long queue (a reply beside a stream) waits for one loop's
 * bursts of a (one for a TAP-like port, eight by default), not for a's whole
 * queue; a's frames still leave in order, all of them. */
static void fair_service(void) {
  int pa, pb;
  two_ports(&pa, &pb);
  hv_core_port(core, (uint16_t)pa)->bursts = 1; /* as a TAP */
  CHECK_EQ(hv_fdb_add_static(hv_core_fdb(core, 0), 10, MAC_A, (uint16_t)pa), 0);
  enum { STREAM = 5 * HV_BATCH + 7 };
  uint8_t f[128];
  for (int i = 0; i < STREAM; i++) {
    uint32_t n = mk_frame(f, MAC_B, MAC_A, -1, 0x0800, 46);
    f[20] = (uint8_t)(i >> 8), f[21] = (uint8_t)i; /* sequence number in the payload */
    CHECK_EQ(hv_port_mem_inject(hv_core_port(core, (uint16_t)pa), f, n), 0);
  }
  uint32_t n = mk_frame(f, MAC_A, MAC_B, -1, 0x0800, 46);
  CHECK_EQ(hv_port_mem_inject(hv_core_port(core, (uint16_t)pb), f, n), 0);
  hv_core_poll_once(core, 0);
  CHECK_EQ(drain(pa), 1);        /* b's frame: served in the first loop */
  int seq = 0, loops = 1;
  for (; pop(pb) > 0; seq++) CHECK_EQ((out[20] << 8) | out[21], seq);
  CHECK_EQ(seq, HV_BATCH);       /* ... beside one burst of a, not eight */
  /* b's next frame goes first in the next loop: a had the last burst */
  CHECK_EQ(hv_port_mem_inject(hv_core_port(core, (uint16_t)pb), f, n), 0);
  hv_core_poll_once(core, 0);
  CHECK_EQ(drain(pa), 1);
  while (seq < STREAM && loops < 100) {
    for (; pop(pb) > 0; seq++) CHECK_EQ((out[20] << 8) | out[21], seq);
    hv_core_poll_once(core, 0);
    loops++;
  }
  for (; pop(pb) > 0; seq++) CHECK_EQ((out[20] << 8) | out[21], seq);
  CHECK_EQ(seq, STREAM);         /* all of a's frames, in order */
  printf("# fair service: %d stream frames over %d loops, the other port's frame in the first\n", seq, loops + 1);
  /* a port with the default: eight bursts a loop, then b's frame goes */
  hv_core_port(core, (uint16_t)pa)->bursts = 0;
  enum { LONG = (HV_LOOP_BURSTS + 1) * HV_BATCH + 3 };
  for (int i = 0; i < LONG; i++) {
    uint32_t m = mk_frame(f, MAC_B, MAC_A, -1, 0x0800, 46);
    f[20] = (uint8_t)(i >> 8), f[21] = (uint8_t)i;
    CHECK_EQ(hv_port_mem_inject(hv_core_port(core, (uint16_t)pa), f, m), 0);
  }
  n = mk_frame(f, MAC_A, MAC_B, -1, 0x0800, 46);
  CHECK_EQ(hv_port_mem_inject(hv_core_port(core, (uint16_t)pb), f, n), 0);
  hv_core_poll_once(core, 0);
  CHECK_EQ(drain(pa), 1);
  seq = 0;
  for (; pop(pb) > 0; seq++) CHECK_EQ((out[20] << 8) | out[21], seq);
  CHECK_EQ(seq, HV_LOOP_BURSTS * HV_BATCH);
  for (loops = 0; seq < LONG && loops < 100; loops++) {
    hv_core_poll_once(core, 0);
    for (; pop(pb) > 0; seq++) CHECK_EQ((out[20] << 8) | out[21], seq);
  }
  CHECK_EQ(seq, LONG);
  hv_core_destroy(core);
}

int main(void) {
  decision();
  growth();
  naps();
  set_polling_bounds();
  fair_service();
  threaded();
  return tap_done();
}
