/* Worker polling modes: when does a worker with nothing to do block in poll(2)?
 *
 *  - interrupt: as soon as one loop finds no frame (the worker looks again at
 *    once only after a busy loop).  An idle switch costs nothing, but every
 *    frame that arrives on an idle port pays a wake-up of the worker thread
 *    (an IPI and an exit from idle on another CPU: 20-80 us in a VM).
 *  - adaptive: after its last busy loop the worker keeps polling without
 *    blocking (poll with timeout 0, i.e. socket queue / TPACKET ring checks)
 *    for `budget_us`, then blocks.  A request/response crossing whose answer
 *    comes back within the budget finds the worker awake; an idle switch still
 *    sleeps, having spun at most one budget per burst of traffic.
 *    Two refinements, both off by default (docs/polling.md, "Adaptive, second
 *    pass"):
 *    - a traffic-aware budget (`budget_max_us` > `budget_us`): when a worker
 *      that had spent its budget and blocked is woken by traffic that came
 *      less than `budget_max_us` after the last busy loop, a longer budget
 *      would have caught it, so the budget grows to cover that gap (at least
 *      doubling, at most `budget_max_us`); each budget spent without traffic
 *      halves it again, down to `budget_us`.  A request/response stream
 *      steadier than `budget_max_us` stops paying the wake-up; an idle switch
 *      spends one budget after its last frame and then sleeps as before.
 *    - naps (`nap_us` > 0): past the first `budget_us`, the rest of the
 *      budget is spent blocked in ppoll(2) for `nap_us` at a time instead of
 *      spinning.  On a VM the wake-up of a vCPU that halted a few µs ago is a
 *      fraction of that of one halted for milliseconds (bench/wake/wakeup.c:
 *      20-35 µs against 50-110 µs with 100 µs naps, for ~10% of a CPU instead
 *      of 100%).  Measured through the switch: a ping every 10 ms pays
 *      ×0.8-1.2 the Linux bridge at p50 spinning (one core while it runs) and
 *      ×1.6-1.8 napping (0.1 core); interrupt pays ×2.3-4.8.
 *  - busy: never blocks.  One core per worker, always.
 * (DPDK's and VPP's poll-mode drivers are `busy`; VPP's "adaptive" rx mode and
 * Linux's NAPI busy polling, SO_BUSY_POLL / SO_PREFER_BUSY_POLL, are the
 * spin-for-a-while-then-sleep idea this `adaptive` follows.)
 *
 * The decision is a pure function of the mode, the budget, the time of the
 * last busy loop and the clock, so it is unit-tested without threads
 * (native/test/test_polling.c).  Whatever the mode, a worker loop bumps the
 * heartbeat (liveness.c): spinning workers keep the systemd watchdog fed, and
 * a blocked one wakes every poll_ms to do so. */
#ifndef HV_POLLING_H
#define HV_POLLING_H

#include <stdint.h>

#include "hv.h"

enum hv_poll_mode { HV_POLL_INTERRUPT = 0, HV_POLL_ADAPTIVE = 1, HV_POLL_BUSY = 2, HV_POLL_MODE_COUNT };

/* The names the configuration uses, by mode. */
extern const char *const hv_poll_mode_names[HV_POLL_MODE_COUNT];

/* Longest budget accepted (10 ms): beyond it `busy` says what is meant. */
#define HV_POLL_BUDGET_MAX_US 10000u
/* Default budget of the adaptive mode. */
#define HV_POLL_BUDGET_DEFAULT_US 100u

/* Longest traffic-aware budget (100 ms, the idle poll's period). */
#define HV_POLL_BUDGET_GROW_MAX_US 100000u
/* Longest nap: beyond 1 ms a halted vCPU is as slow to wake as a sleeping one. */
#define HV_POLL_NAP_MAX_US 1000u

/* One worker's policy and state: the policy (mode, budgets, nap) is written
 * by the controller at any time, read by the worker once per loop. */
struct hv_poll_policy {
  HV_ATOMIC(uint32_t) mode;          /* enum hv_poll_mode */
  HV_ATOMIC(uint32_t) budget_us;     /* adaptive: spin this long after a busy loop */
  HV_ATOMIC(uint32_t) budget_max_us; /* adaptive: the budget may grow up to this (<= budget_us: fixed) */
  HV_ATOMIC(uint32_t) nap_us;        /* adaptive: past budget_us, wait in naps this long (0: spin) */
  uint64_t last_busy_ns;             /* worker only: when a loop last found frames */
  uint32_t grown_us;                 /* worker only: the budget now, budget_us..budget_max_us */
  uint8_t asleep;                    /* worker only: the budget was spent, the worker blocks */
};

/* The poll timeout of the next loop, in µs (0: do not block), from the last
 * loop's outcome (`busy`: it found frames) at time `now_ns`; `idle_us` is the
 * timeout when blocking.  Updates the policy's state. */
int hv_poll_timeout(struct hv_poll_policy *p, int busy, uint64_t now_ns, int idle_us);

#endif
