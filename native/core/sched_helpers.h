/* Scheduling of the runtime's helper threads.  The controller's main thread
 * takes BGP UPDATEs and writes the FIB and FDB; the JavaScript runtime's
 * helper threads (V8's compiler and GC workers, libuv's pool) are woken by it
 * and, under Linux's fair scheduler, a woken thread may preempt its waker on
 * the waker's CPU.  Measured (docs/bench-vpn.md, "Churn: the main thread
 * preempted by its own helpers"): the main thread then waits 2-5 ms, runnable,
 * while a helper compiles.  SCHED_BATCH keeps a thread's fair share but
 * never preempts on wake-up (sched(7)), so the helpers run beside the main
 * thread or after it, not in front of it. */
#ifndef HV_SCHED_HELPERS_H
#define HV_SCHED_HELPERS_H

#include <stddef.h>

/* Puts every thread of this process named `comm` (its /proc comm, e.g.
 * "node"), except the main thread, under SCHED_BATCH.  Threads created later
 * keep their creator's policy.  Returns how many threads it set (already
 * SCHED_BATCH ones included), or -1 with the reason in `err` (the first
 * thread that could not be set, or /proc unreadable); threads set before a
 * failure stay set. */
int hv_sched_batch_threads(const char *comm, char *err, size_t errlen);

#endif
