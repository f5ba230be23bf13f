/* bench_fib — FIB lookup rate, memory per route and load time of fib4/fib6,
 * side by side with DPDK's rte_lpm / rte_lpm6 on the same prefixes and the
 * same lookup addresses (when built with HV_HAVE_DPDK).
 *
 * Tables: 1M IPv4 prefixes and 200k IPv6 prefixes (override with
 * `bench_fib [v4_routes [v6_routes [lookups]]]`), drawn with a BGP-table-like
 * length distribution (v4: mostly /24, then /22-/23, /16-/21, a few /8-/15,
 * plus 2% /25-/32 host/more-specific routes as a hypervisor VRF carries;
 * v6: mostly /48, then /32-/44 and /29, some /56-/64 and /128), under
 * allocated space (v4 1/8..223/8; v6 RIR blocks, ~40k allocations).
 * Duplicates are removed, order is shuffled.
 * Lookup addresses: 80% inside a random route (random host bits), 20%
 * uniformly random in the allocated space. One thread, batches of 64.
 * Memory: fib stats (bytes_total incl. writer shadows and rule store; the
 * reader-side part in parentheses) vs the growth of the DPDK heap.
 * EAL args: --no-huge --no-pci -m 1024 (plus --no-shconf --no-telemetry and
 * quiet logging). rte_lpm/rte_lpm6 get exactly the tbl8 groups they need
 * (fib4's count; fib6's count, an upper bound for rte_lpm6's 24-bit root),
 * so their memory is not inflated by a generous default. Results of both
 * are compared address by address; a disagreement is printed.
 * Takes about a minute, most of it rte_lpm's 1M-route load.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fib4.h"
#include "fib6.h"

#ifdef HV_HAVE_DPDK
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lpm.h>
#include <rte_lpm6.h>
#include <rte_malloc.h>
#endif

enum { BATCH = 64 };

static uint64_t rng_state = 0x243f6a8885a308d3ull;
static uint64_t rnd(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1dull;
}
static uint32_t rnd32(void) { return (uint32_t)(rnd() >> 32); }

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

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

static size_t gen_v4(struct hv_fib4_route *r, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned len = pick_len(v4dist, sizeof v4dist / sizeof v4dist[0]);
    uint32_t a = ((1 + rnd32() % 223) << 24) | (rnd32() & 0xffffff);
    r[i].prefix = a & mask4(len);
    r[i].len = (uint8_t)len;
  }
  qsort(r, n, sizeof *r, cmp4);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!m || r[i].prefix != r[m - 1].prefix || r[i].len != r[m - 1].len) r[m++] = r[i];
  for (size_t i = m; i > 1; i--) {
    size_t j = (size_t)(rnd() % i);
    struct hv_fib4_route t = r[i - 1];
    r[i - 1] = r[j];
    r[j] = t;
  }
  for (size_t i = 0; i < m; i++) r[i].nh = (uint32_t)(i & 0xffffff); /* rte_lpm: 24 bits */
  return m;
}

static void mask6(uint8_t *a, unsigned len) {
  for (unsigned i = 0; i < 16; i++) {
    unsigned keep = len >= 8 * (i + 1) ? 8 : len > 8 * i ? len - 8 * i : 0;
    a[i] &= (uint8_t)(0xff00u >> keep);
  }
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
  qsort(r, n, sizeof *r, cmp6);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!m || r[i].len != r[m - 1].len || memcmp(r[i].prefix, r[m - 1].prefix, 16)) r[m++] = r[i];
  for (size_t i = m; i > 1; i--) {
    size_t j = (size_t)(rnd() % i);
    struct hv_fib6_route t = r[i - 1];
    r[i - 1] = r[j];
    r[j] = t;
  }
  for (size_t i = 0; i < m; i++) r[i].nh = (uint32_t)(i & 0x1fffff); /* rte_lpm6: 21 bits */
  return m;
}

struct result {
  const char *name;
  double load_s;
  double mlps;
  double bytes_per_route;
  double lookup_bytes_per_route; /* < 0: not known */
  int ok;
};

static void print_row(const char *fam, const struct result *r, size_t routes) {
  if (!r->ok) {
    printf("%-5s %-10s %9zu %9s %11s %12s\n", fam, r->name, routes, "n/a", "n/a", "n/a");
    return;
  }
  if (r->lookup_bytes_per_route >= 0)
    printf("%-5s %-10s %9zu %9.3f %11.1f %7.1f (%.1f)\n", fam, r->name, routes, r->load_s, r->mlps,
           r->bytes_per_route, r->lookup_bytes_per_route);
  else
    printf("%-5s %-10s %9zu %9.3f %11.1f %7.1f\n", fam, r->name, routes, r->load_s, r->mlps,
           r->bytes_per_route);
}

static void print_ratio(const char *fam, const struct result *a, const struct result *b) {
  if (!a->ok || !b->ok) return;
  printf("%-5s %-10s %9s %8.3gx %10.3gx %11.3gx   (%s/%s: load time, lookups/s, bytes/route)\n",
         fam, "ratio", "", a->load_s / b->load_s, a->mlps / b->mlps,
         a->bytes_per_route / b->bytes_per_route, a->name, b->name);
}

#ifdef HV_HAVE_DPDK
static size_t dpdk_heap_used(void) {
  struct rte_malloc_socket_stats st;
  size_t sum = 0;
  for (int s = 0; s < RTE_MAX_NUMA_NODES; s++)
    if (rte_malloc_get_socket_stats(s, &st) == 0) sum += st.heap_allocsz_bytes;
  return sum;
}
#endif

int main(int argc, char **argv) {
  size_t n4 = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000000;
  size_t n6 = argc > 2 ? strtoul(argv[2], NULL, 0) : 200000;
  size_t nlook = argc > 3 ? strtoul(argv[3], NULL, 0) : 1u << 22; /* addresses per table */
  int passes = 4;
  nlook = (nlook + BATCH - 1) / BATCH * BATCH;

  int have_dpdk = 0;
#ifdef HV_HAVE_DPDK
  char *eal[] = {"bench_fib", "--no-huge", "--no-pci", "-m", "1024", "--no-shconf",
                 "--no-telemetry", "--log-level=error", NULL};
  if (rte_eal_init(8, eal) < 0)
    fprintf(stderr, "rte_eal_init failed (%s): DPDK columns skipped\n", rte_strerror(rte_errno));
  else have_dpdk = 1;
#endif

  /* ---------------- IPv4 ---------------- */
  struct hv_fib4_route *r4 = malloc(n4 * sizeof *r4);
  n4 = gen_v4(r4, n4);
  uint32_t *a4 = malloc(nlook * sizeof *a4);
  for (size_t i = 0; i < nlook; i++) {
    if (rnd() % 5) {
      const struct hv_fib4_route *r = &r4[rnd() % n4];
      a4[i] = r->prefix | (rnd32() & ~mask4(r->len));
    } else {
      a4[i] = ((1 + rnd32() % 223) << 24) | (rnd32() & 0xffffff);
    }
  }
  uint32_t *nh_hv = malloc(nlook * sizeof(uint32_t)), *nh_rte = malloc(nlook * sizeof(uint32_t));
  struct result hv4 = {"hv_fib4", 0, 0, 0, 0, 0}, rte4 = {"rte_lpm", 0, 0, 0, -1, 0};
  struct result hv4one = {"hv_fib4/1", 0, 0, 0, 0, 0};

  {
    /* one-by-one adds in random order, as the controller would stream them */
    hv_fib4 *fib = hv_fib4_create(1u << 16);
    double t0 = now();
    for (size_t i = 0; i < n4; i++)
      if (hv_fib4_add(fib, r4[i].prefix, r4[i].len, r4[i].nh)) {
        fprintf(stderr, "hv_fib4_add failed at %zu\n", i);
        return 1;
      }
    hv4one.load_s = now() - t0;
    hv_fib4_destroy(fib);
  }
  hv_fib4 *fib4 = hv_fib4_create(1u << 16);
  {
    double t0 = now();
    int err = 0;
    if (hv_fib4_add_bulk(fib4, r4, n4, &err) != n4) {
      fprintf(stderr, "hv_fib4_add_bulk failed: %d\n", err);
      return 1;
    }
    hv4.load_s = now() - t0;
    struct hv_fib4_stats st;
    hv_fib4_stats(fib4, &st);
    hv4.bytes_per_route = (double)st.bytes_total / (double)n4;
    hv4.lookup_bytes_per_route = (double)st.bytes_lookup / (double)n4;
    printf("# ipv4: %zu routes, %zu tbl8 groups\n", n4, st.tbl8_used);
    hv_fib4_lookup_batch(fib4, a4, nh_hv, nlook); /* warm */
    t0 = now();
    for (int p = 0; p < passes; p++)
      for (size_t i = 0; i < nlook; i += BATCH) hv_fib4_lookup_batch(fib4, a4 + i, nh_hv + i, BATCH);
    hv4.mlps = (double)nlook * passes / (now() - t0) / 1e6;
    hv4.ok = 1;
    hv4one.ok = 1;
    hv4one.mlps = hv4.mlps;
    hv4one.bytes_per_route = hv4.bytes_per_route;
    hv4one.lookup_bytes_per_route = hv4.lookup_bytes_per_route;
  }
#ifdef HV_HAVE_DPDK
  if (have_dpdk) {
    struct hv_fib4_stats st;
    hv_fib4_stats(fib4, &st);
    struct rte_lpm_config cfg = {.max_rules = (uint32_t)n4,
                                 .number_tbl8s = (uint32_t)(st.tbl8_used + 256),
                                 .flags = 0};
    size_t before = dpdk_heap_used();
    double t0 = now();
    struct rte_lpm *lpm = rte_lpm_create("bench4", 0, &cfg);
    if (!lpm) {
      fprintf(stderr, "rte_lpm_create: %s\n", rte_strerror(rte_errno));
    } else {
      int fail = 0;
      for (size_t i = 0; i < n4 && !fail; i++)
        if (rte_lpm_add(lpm, r4[i].prefix, r4[i].len, r4[i].nh) < 0) fail = 1;
      rte4.load_s = now() - t0;
      rte4.bytes_per_route = (double)(dpdk_heap_used() - before) / (double)n4;
      if (fail) fprintf(stderr, "rte_lpm_add failed\n");
      for (size_t i = 0; i < nlook; i += BATCH) /* warm; its VLA wants small n */
        rte_lpm_lookup_bulk(lpm, a4 + i, nh_rte + i, BATCH);
      t0 = now();
      for (int p = 0; p < passes; p++)
        for (size_t i = 0; i < nlook; i += BATCH) rte_lpm_lookup_bulk(lpm, a4 + i, nh_rte + i, BATCH);
      rte4.mlps = (double)nlook * passes / (now() - t0) / 1e6;
      rte4.ok = !fail;
      size_t diff = 0;
      for (size_t i = 0; i < nlook; i++) {
        uint32_t v = (nh_rte[i] & RTE_LPM_LOOKUP_SUCCESS) ? nh_rte[i] & 0xffffff : HV_FIB_MISS;
        diff += v != nh_hv[i];
      }
      printf("# ipv4: hv_fib4 and rte_lpm disagree on %zu of %zu addresses\n", diff, nlook);
      rte_lpm_free(lpm);
    }
  }
#endif
  hv_fib4_destroy(fib4);
  free(a4);

  /* ---------------- IPv6 ---------------- */
  struct hv_fib6_route *r6 = malloc(n6 * sizeof *r6);
  n6 = gen_v6(r6, n6);
  uint8_t (*a6)[16] = malloc(nlook * 16);
  for (size_t i = 0; i < nlook; i++) {
    if (rnd() % 5) {
      const struct hv_fib6_route *r = &r6[rnd() % n6];
      uint8_t host[16];
      for (int j = 0; j < 16; j++) host[j] = (uint8_t)rnd();
      for (unsigned j = 0; j < 16; j++) {
        unsigned keep = r->len >= 8 * (j + 1) ? 8 : r->len > 8 * j ? r->len - 8 * j : 0;
        uint8_t m = (uint8_t)(0xff00u >> keep);
        a6[i][j] = (uint8_t)((r->prefix[j] & m) | (host[j] & ~m));
      }
    } else {
      v6_in_alloc(a6[i]);
    }
  }
  struct result hv6 = {"hv_fib6", 0, 0, 0, 0, 0}, rte6 = {"rte_lpm6", 0, 0, 0, -1, 0};
  struct result hv6one = {"hv_fib6/1", 0, 0, 0, 0, 0};
  size_t groups6 = 0;
  {
    hv_fib6 *fib = hv_fib6_create(0);
    double t0 = now();
    for (size_t i = 0; i < n6; i++)
      if (hv_fib6_add(fib, r6[i].prefix, r6[i].len, r6[i].nh)) {
        fprintf(stderr, "hv_fib6_add failed at %zu\n", i);
        return 1;
      }
    hv6one.load_s = now() - t0;
    hv_fib6_destroy(fib);
  }
  hv_fib6 *fib6 = hv_fib6_create(0);
  {
    double t0 = now();
    int err = 0;
    if (hv_fib6_add_bulk(fib6, r6, n6, &err) != n6) {
      fprintf(stderr, "hv_fib6_add_bulk failed: %d\n", err);
      return 1;
    }
    hv6.load_s = now() - t0;
    struct hv_fib6_stats st;
    hv_fib6_stats(fib6, &st);
    groups6 = st.groups_used;
    hv6.bytes_per_route = (double)st.bytes_total / (double)n6;
    hv6.lookup_bytes_per_route = (double)st.bytes_lookup / (double)n6;
    printf("# ipv6: %zu routes, %zu groups\n", n6, st.groups_used);
    hv_fib6_lookup_batch(fib6, (const uint8_t(*)[16])a6, nh_hv, nlook);
    t0 = now();
    for (int p = 0; p < passes; p++)
      for (size_t i = 0; i < nlook; i += BATCH)
        hv_fib6_lookup_batch(fib6, (const uint8_t(*)[16])(a6 + i), nh_hv + i, BATCH);
    hv6.mlps = (double)nlook * passes / (now() - t0) / 1e6;
    hv6.ok = 1;
    hv6one.ok = 1;
    hv6one.mlps = hv6.mlps;
    hv6one.bytes_per_route = hv6.bytes_per_route;
    hv6one.lookup_bytes_per_route = hv6.lookup_bytes_per_route;
  }
#ifdef HV_HAVE_DPDK
  if (have_dpdk) {
    /* rte_lpm6 needs fewer groups than fib6 (24-bit root): fib6's count bounds it */
    struct rte_lpm6_config cfg = {.max_rules = (uint32_t)n6,
                                  .number_tbl8s = (uint32_t)(groups6 + 256),
                                  .flags = 0};
    size_t before = dpdk_heap_used();
    double t0 = now();
    struct rte_lpm6 *lpm = rte_lpm6_create("bench6", 0, &cfg);
    if (!lpm) {
      fprintf(stderr, "rte_lpm6_create: %s\n", rte_strerror(rte_errno));
    } else {
      int fail = 0;
      for (size_t i = 0; i < n6 && !fail; i++)
        if (rte_lpm6_add(lpm, r6[i].prefix, r6[i].len, r6[i].nh) < 0) fail = 1;
      rte6.load_s = now() - t0;
      rte6.bytes_per_route = (double)(dpdk_heap_used() - before) / (double)n6;
      if (fail) fprintf(stderr, "rte_lpm6_add failed\n");
      int32_t *nh6 = (int32_t *)nh_rte;
      for (size_t i = 0; i < nlook; i += BATCH) rte_lpm6_lookup_bulk_func(lpm, a6 + i, nh6 + i, BATCH);
      t0 = now();
      for (int p = 0; p < passes; p++)
        for (size_t i = 0; i < nlook; i += BATCH)
          rte_lpm6_lookup_bulk_func(lpm, a6 + i, nh6 + i, BATCH);
      rte6.mlps = (double)nlook * passes / (now() - t0) / 1e6;
      rte6.ok = !fail;
      size_t diff = 0;
      for (size_t i = 0; i < nlook; i++)
        diff += (nh6[i] < 0 ? HV_FIB_MISS : (uint32_t)nh6[i]) != nh_hv[i];
      printf("# ipv6: hv_fib6 and rte_lpm6 disagree on %zu of %zu addresses\n", diff, nlook);
      rte_lpm6_free(lpm);
    }
  }
#endif
  hv_fib6_destroy(fib6);

  printf("\nFIB lookups: 1 thread, batches of %d, %zu addresses x %d passes per table\n", BATCH,
         nlook, passes);
  printf("hv_*/1 = the same table loaded by one-by-one adds in random order; hv_* uses add_bulk\n");
  printf("bytes/route: everything allocated (in parentheses: what lookups touch)\n\n");
  printf("%-5s %-10s %9s %9s %11s %12s\n", "fam", "impl", "routes", "load_s", "Mlookups/s",
         "bytes/route");
  print_row("ipv4", &hv4, n4);
  print_row("ipv4", &hv4one, n4);
  print_row("ipv4", &rte4, n4);
  print_ratio("ipv4", &hv4, &rte4);
  print_ratio("ipv4", &hv4one, &rte4);
  print_row("ipv6", &hv6, n6);
  print_row("ipv6", &hv6one, n6);
  print_row("ipv6", &rte6, n6);
  print_ratio("ipv6", &hv6, &rte6);
  print_ratio("ipv6", &hv6one, &rte6);
  (void)have_dpdk;
  (void)groups6;
  free(r4);
  free(r6);
  free(a6);
  free(nh_hv);
  free(nh_rte);
#ifdef HV_HAVE_DPDK
  if (have_dpdk) rte_eal_cleanup();
#endif
  return 0;
}
