/* fib_workload — bench_fib's tables and lookup addresses: prefixes drawn with
 * a BGP-table-like length distribution (v4: mostly /24, then /22-/23,
 * /16-/21, a few /8-/15, plus 2% /25-/32 host/more-specific routes as a
 * hypervisor VRF carries; v6: mostly /48, then /32-/44 and /29, some /56-/64
 * and /128) under allocated space (v4 1/8..223/8; v6 RIR blocks, ~40k
 * allocations), duplicates removed, order shuffled; lookup addresses 80%
 * inside a random route (random host bits), 20% uniformly random in the
 * allocated space.  One fixed-seed generator: every run draws the same data.
 * Included by bench_fib.c only (each bench_*.c is its own executable). */
#ifndef HV_BENCH_FIB_WORKLOAD_H
#define HV_BENCH_FIB_WORKLOAD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fib4.h"
#include "fib6.h"

static uint64_t rng_state = 0x243f6a8885a308d3ull;
static uint64_t rnd(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1dull;
}
static uint32_t rnd32(void) { return (uint32_t)(rnd() >> 32); }

static uint32_t mask4(unsigned len) { return len ? ~0u << (32 - len) : 0; }

/* pick from a cumulative distribution of lengths */
struct lendist {
  unsigned len;
  double pct;
};
static unsigned pick_len(const struct lendist *d, size_t n) {
  double x = (double)(rnd() % 1000000) / 10000.0, acc = 0;
  for (size_t i = 0; i < n; i++) {
    acc += d[i].pct;
    if (x < acc) return d[i].len;
  }
  return d[n - 1].len;
}

static const struct lendist v4dist[] = {
    {24, 58.0}, {23, 10.0}, {22, 12.0}, {21, 5.0}, {20, 4.5}, {19, 3.0}, {18, 2.0}, {17, 1.3},
    {16, 1.7},  {15, 0.15}, {14, 0.1},  {13, 0.1}, {12, 0.07}, {11, 0.03}, {10, 0.02}, {9, 0.02},
    {8, 0.01},  {25, 0.3},  {26, 0.2},  {27, 0.2}, {28, 0.2}, {29, 0.2},  {30, 0.2},  {31, 0.1},
    {32, 0.6},
};
static const struct lendist v6dist[] = {
    {48, 45.0}, {32, 10.0}, {44, 6.0}, {40, 5.0}, {36, 3.0}, {29, 3.0}, {46, 2.0}, {47, 1.5},
    {42, 2.0},  {45, 1.5},  {43, 1.0}, {41, 1.0}, {38, 1.0}, {34, 1.0}, {33, 1.0}, {35, 1.0},
    {37, 0.5},  {39, 0.5},  {30, 0.5}, {31, 0.5}, {28, 0.5}, {56, 3.0}, {64, 6.0}, {60, 1.0},
    {52, 1.0},  {128, 1.0},
};

static int cmp4(const void *a, const void *b) {
  const struct hv_fib4_route *x = a, *y = b;
  if (x->prefix != y->prefix) return x->prefix < y->prefix ? -1 : 1;
  return (int)x->len - (int)y->len;
}
static int cmp6(const void *a, const void *b) {
  const struct hv_fib6_route *x = a, *y = b;
  int c = memcmp(x->prefix, y->prefix, 16);
  return c ? c : (int)x->len - (int)y->len;
}

/* Sorts n routes of `size` bytes, drops duplicates (cmp == 0) and shuffles
 * what is left; returns how many are left. */
static size_t dedupe_shuffle(void *routes, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  unsigned char *r = routes, tmp[64];
  if (size > sizeof tmp) abort();
  qsort(r, n, size, cmp);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!m || cmp(r + i * size, r + (m - 1) * size)) memmove(r + m++ * size, r + i * size, size);
  for (size_t i = m; i > 1; i--) {
    size_t j = (size_t)(rnd() % i);
    memcpy(tmp, r + (i - 1) * size, size);
    memcpy(r + (i - 1) * size, r + j * size, size);
    memcpy(r + j * size, tmp, size);
  }
  return m;
}

static size_t gen_v4(struct hv_fib4_route *r, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned len = pick_len(v4dist, sizeof v4dist / sizeof v4dist[0]);
    uint32_t a = ((1 + rnd32() % 223) << 24) | (rnd32() & 0xffffff);
    r[i].prefix = a & mask4(len);
    r[i].len = (uint8_t)len;
  }
  size_t m = dedupe_shuffle(r, n, sizeof *r, cmp4);
  for (size_t i = 0; i < m; i++) r[i].nh = (uint32_t)(i & 0xffffff); /* rte_lpm: 24 bits */
  return m;
}

/* The mask of byte i of a /len IPv6 prefix. */
static uint8_t mask6_byte(unsigned len, unsigned i) {
  unsigned keep = len >= 8 * (i + 1) ? 8 : len > 8 * i ? len - 8 * i : 0;
  return (uint8_t)(0xff00u >> keep);
}

static void mask6(uint8_t *a, unsigned len) {
  for (unsigned i = 0; i < 16; i++) a[i] &= mask6_byte(len, i);
}

static const uint16_t rir16[] = {0x2001, 0x2400, 0x2401, 0x2402, 0x2403, 0x2404, 0x2405, 0x2406,
                                 0x2407, 0x2600, 0x2601, 0x2602, 0x2603, 0x2604, 0x2605, 0x2606,
                                 0x2607, 0x2800, 0x2801, 0x2803, 0x2804, 0x2806, 0x2a00, 0x2a01,
                                 0x2a02, 0x2a03, 0x2a04, 0x2a05, 0x2a06, 0x2a07, 0x2a09, 0x2a0a,
                                 0x2a0b, 0x2a0c, 0x2a0d, 0x2a0e, 0x2a0f, 0x2a10, 0x2a14, 0x2c0f};
enum { V6_ALLOCS = 40000 };
static uint32_t v6alloc[V6_ALLOCS]; /* top 32 bits of each allocation */

static void v6_in_alloc(uint8_t *a) {
  uint32_t top = v6alloc[rnd() % V6_ALLOCS];
  a[0] = (uint8_t)(top >> 24);
  a[1] = (uint8_t)(top >> 16);
  a[2] = (uint8_t)(top >> 8);
  a[3] = (uint8_t)top;
  for (int i = 4; i < 16; i++) a[i] = (uint8_t)rnd();
}

static size_t gen_v6(struct hv_fib6_route *r, size_t n) {
  for (size_t i = 0; i < V6_ALLOCS; i++)
    v6alloc[i] = (uint32_t)rir16[rnd() % (sizeof rir16 / sizeof rir16[0])] << 16 |
                 (rnd32() & 0xfff8); /* /29-aligned blocks */
  for (size_t i = 0; i < n; i++) {
    unsigned len = pick_len(v6dist, sizeof v6dist / sizeof v6dist[0]);
    v6_in_alloc(r[i].prefix);
    mask6(r[i].prefix, len);
    r[i].len = (uint8_t)len;
  }
  size_t m = dedupe_shuffle(r, n, sizeof *r, cmp6);
  for (size_t i = 0; i < m; i++) r[i].nh = (uint32_t)(i & 0x1fffff); /* rte_lpm6: 21 bits */
  return m;
}

/* Lookup addresses: 80% inside a random route (random host bits), 20% anywhere allocated. */
static uint32_t *addrs_v4(const struct hv_fib4_route *r4, size_t n4, size_t nlook) {
  uint32_t *a4 = malloc(nlook * sizeof *a4);
  for (size_t i = 0; i < nlook; i++) {
    if (rnd() % 5) {
      const struct hv_fib4_route *r = &r4[rnd() % n4];
      a4[i] = r->prefix | (rnd32() & ~mask4(r->len));
    } else {
      a4[i] = ((1 + rnd32() % 223) << 24) | (rnd32() & 0xffffff);
    }
  }
  return a4;
}

static uint8_t (*addrs_v6(const struct hv_fib6_route *r6, size_t n6, size_t nlook))[16] {
  uint8_t (*a6)[16] = malloc(nlook * 16);
  for (size_t i = 0; i < nlook; i++) {
    if (rnd() % 5) {
      const struct hv_fib6_route *r = &r6[rnd() % n6];
      uint8_t host[16];
      for (int j = 0; j < 16; j++) host[j] = (uint8_t)rnd();
      for (unsigned j = 0; j < 16; j++) {
        uint8_t m = mask6_byte(r->len, j);
        a6[i][j] = (uint8_t)((r->prefix[j] & m) | (host[j] & ~m));
      }
    } else {
      v6_in_alloc(a6[i]);
    }
  }
  return a6;
}

#endif
