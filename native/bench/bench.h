/* bench.h — what every native micro-benchmark shares: the clock. */
#ifndef HV_BENCH_H
#define HV_BENCH_H

#include <time.h>

/* Seconds on the monotonic clock. */
static inline double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif
