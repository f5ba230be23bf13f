/* mix64 — the 64-bit hash mixer of the core's open-addressing tables (the
 * FDB, the FIB rule stores): the murmur3 64-bit finalizer, a bijection with
 * full avalanche, so a table may take the low bits as its slot index. */
#ifndef HV_MIX64_H
#define HV_MIX64_H

#include <stdint.h>

static inline uint64_t hv_mix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  k ^= k >> 33;
  return k;
}

#endif
