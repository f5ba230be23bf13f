/* Shared by test_fib4.c and test_fib6.c: the test rng, and the reader/writer
 * harness.  Readers call the family's batch lookup in a loop and count
 * answers that were never valid; the writer churns routes and, after a grace
 * period (every reader finished a batch since), reclaims retired groups, as
 * fib4.h / fib6.h require.  Header-only: each test is its own binary. */
#ifndef HV_TEST_FIB_HARNESS_H
#define HV_TEST_FIB_HARNESS_H

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "tap.h"

static uint64_t rng_state;
static uint64_t rnd(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1dull;
}

/* The differential test (family's `differential(seed, steps)`) over the
 * fixed seeds both families use. */
static void fib_differential_seeds(void (*differential)(uint64_t seed, int steps), int steps) {
  static const uint64_t seeds[] = {1, 2, 3, 0xdeadbeef, 20261122};
  for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) differential(seeds[i], steps);
}

/* The differential test's verdict: no mismatch, and an empty table (no rules,
 * no linked groups) once every route was deleted again. */
static void fib_differential_report(uint64_t seed, long adds, long dels, long lookups, long bad, size_t routes,
                                    size_t groups) {
  tap_ok(bad == 0 && routes == 0 && groups == 0,
         "differential seed %llu: %ld adds, %ld dels, %ld lookups, %ld mismatches, %zu groups left",
         (unsigned long long)seed, adds, dels, lookups, bad, groups);
  printf("# differential seed %llu: %ld adds, %ld dels, %ld lookups, %ld mismatches\n", (unsigned long long)seed,
         adds, dels, lookups, bad);
}

/* A reader's own generator (xorshift64), state in *s. */
static inline uint64_t reader_rnd(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* One batch of lookups from reader state *s; returns the answers that were wrong. */
typedef long (*fib_read_batch)(uint64_t *s);
/* One random add or delete; returns its result. */
typedef int (*fib_write_step)(void);

enum { READERS = 2 };
static atomic_int stop_readers;
static atomic_ulong reader_epoch[READERS];
static atomic_long reader_bad;
static fib_read_batch reader_batch;

static void *reader(void *arg) {
  int id = (int)(long)arg;
  uint64_t s = 0x9e3779b97f4a7c15ull * (uint64_t)(id + 1);
  while (!atomic_load(&stop_readers)) {
    long bad = reader_batch(&s);
    if (bad) atomic_fetch_add(&reader_bad, bad);
    atomic_fetch_add_explicit(&reader_epoch[id], 1, memory_order_release);
  }
  return NULL;
}

static void grace_period(void) {
  unsigned long seen[READERS];
  for (int i = 0; i < READERS; i++) seen[i] = atomic_load(&reader_epoch[i]);
  for (int i = 0; i < READERS; i++)
    while (atomic_load(&reader_epoch[i]) == seen[i]) sched_yield();
}

/* Readers running `read` while the writer does `rounds` x 8 `write` steps,
 * reclaiming (`reclaim`) after a grace period on -ENOSPC and every 16 rounds. */
static void fib_concurrent(fib_read_batch read, fib_write_step write, void (*reclaim)(void), int rounds,
                           uint64_t seed) {
  reader_batch = read;
  pthread_t t[READERS];
  for (long i = 0; i < READERS; i++) pthread_create(&t[i], NULL, reader, (void *)i);
  rng_state = seed;
  long fails = 0;
  for (int round = 0; round < rounds; round++) {
    for (int k = 0; k < 8; k++) {
      int rc = write();
      if (rc == -ENOSPC) {
        grace_period();
        reclaim();
      } else if (rc && rc != -ENOENT) {
        fails++;
      }
    }
    if (round % 16 == 0) {
      grace_period();
      reclaim();
    }
  }
  atomic_store(&stop_readers, 1);
  for (int i = 0; i < READERS; i++) pthread_join(t[i], NULL);
  tap_ok(fails == 0 && atomic_load(&reader_bad) == 0,
         "concurrent readers saw only valid next hops (%ld bad, %ld writer errors)",
         atomic_load(&reader_bad), fails);
}

#endif
