/* bench_fib — FIB lookup rate, memory per route and load time of fib4/fib6,
 * side by side with DPDK's rte_lpm / rte_lpm6 on the same prefixes and the
 * same lookup addresses (when built with HV_HAVE_DPDK).
 *
 * Tables: 1M IPv4 prefixes and 200k IPv6 prefixes (override with
 * `bench_fib [v4_routes [v6_routes [lookups]]]`), BGP-table-like, and the
 * lookup addresses: see fib_workload.h. One thread, batches of 64.
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

#include "bench.h"
#include "fib4.h"
#include "fib6.h"
#include "fib_workload.h"

#ifdef HV_HAVE_DPDK
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lpm.h>
#include <rte_lpm6.h>
#include <rte_malloc.h>
#endif

enum { BATCH = 64 };

/* ---- The implementations under test, behind one interface per kind ---- */

/* What the benchmark does with a FIB of this core; `routes` and `addrs` are
 * the family's arrays, i an index into them. */
struct hv_impl {
  const char *name, *one_name, *groups; /* "hv_fib4", "hv_fib4/1", "tbl8 groups" */
  void *(*create)(void);
  void (*destroy)(void *fib);
  int (*add)(void *fib, const void *routes, size_t i);
  size_t (*add_bulk)(void *fib, const void *routes, size_t n, int *err);
  void (*lookup)(const void *fib, const void *addrs, size_t i, uint32_t *nh, size_t n);
  /* bytes_total, bytes_lookup and groups of the stats */
  void (*stats)(const void *fib, size_t *total, size_t *lookup, size_t *groups);
};

static void *fib4_create(void) { return hv_fib4_create(1u << 16); }
static void fib4_destroy(void *fib) { hv_fib4_destroy(fib); }
static int fib4_add(void *fib, const void *routes, size_t i) {
  const struct hv_fib4_route *r = (const struct hv_fib4_route *)routes + i;
  return hv_fib4_add(fib, r->prefix, r->len, r->nh);
}
static size_t fib4_add_bulk(void *fib, const void *routes, size_t n, int *err) {
  return hv_fib4_add_bulk(fib, routes, n, err);
}
static void fib4_lookup(const void *fib, const void *addrs, size_t i, uint32_t *nh, size_t n) {
  hv_fib4_lookup_batch(fib, (const uint32_t *)addrs + i, nh + i, n);
}
static void fib4_stats(const void *fib, size_t *total, size_t *lookup, size_t *groups) {
  struct hv_fib4_stats st;
  hv_fib4_stats(fib, &st);
  *total = st.bytes_total, *lookup = st.bytes_lookup, *groups = st.tbl8_used;
}
static const struct hv_impl fib4_impl = {"hv_fib4", "hv_fib4/1", "tbl8 groups", fib4_create, fib4_destroy,
                                         fib4_add, fib4_add_bulk, fib4_lookup, fib4_stats};

static void *fib6_create(void) { return hv_fib6_create(0); }
static void fib6_destroy(void *fib) { hv_fib6_destroy(fib); }
static int fib6_add(void *fib, const void *routes, size_t i) {
  const struct hv_fib6_route *r = (const struct hv_fib6_route *)routes + i;
  return hv_fib6_add(fib, r->prefix, r->len, r->nh);
}
static size_t fib6_add_bulk(void *fib, const void *routes, size_t n, int *err) {
  return hv_fib6_add_bulk(fib, routes, n, err);
}
static void fib6_lookup(const void *fib, const void *addrs, size_t i, uint32_t *nh, size_t n) {
  hv_fib6_lookup_batch(fib, (const uint8_t(*)[16])addrs + i, nh + i, n);
}
static void fib6_stats(const void *fib, size_t *total, size_t *lookup, size_t *groups) {
  struct hv_fib6_stats st;
  hv_fib6_stats(fib, &st);
  *total = st.bytes_total, *lookup = st.bytes_lookup, *groups = st.groups_used;
}
static const struct hv_impl fib6_impl = {"hv_fib6", "hv_fib6/1", "groups", fib6_create, fib6_destroy,
                                         fib6_add, fib6_add_bulk, fib6_lookup, fib6_stats};

#ifdef HV_HAVE_DPDK
/* The same for DPDK's tables; `lookup` does one batch of BATCH addresses from i
 * and `next_hop` maps a result to ours (HV_FIB_MISS when none). */
struct rte_impl {
  void *(*create)(size_t routes, size_t groups);
  void (*free)(void *lpm);
  int (*add)(void *lpm, const void *routes, size_t i);
  void (*lookup)(void *lpm, const void *addrs, size_t i, uint32_t *nh);
  uint32_t (*next_hop)(uint32_t result);
};

static void *lpm4_create(size_t routes, size_t groups) {
  struct rte_lpm_config cfg = {.max_rules = (uint32_t)routes, .number_tbl8s = (uint32_t)groups, .flags = 0};
  return rte_lpm_create("bench4", 0, &cfg);
}
static void lpm4_free(void *lpm) { rte_lpm_free(lpm); }
static int lpm4_add(void *lpm, const void *routes, size_t i) {
  const struct hv_fib4_route *r = (const struct hv_fib4_route *)routes + i;
  return rte_lpm_add(lpm, r->prefix, r->len, r->nh);
}
static void lpm4_lookup(void *lpm, const void *addrs, size_t i, uint32_t *nh) {
  rte_lpm_lookup_bulk(lpm, (const uint32_t *)addrs + i, nh + i, BATCH);
}
static uint32_t lpm4_next_hop(uint32_t v) { return (v & RTE_LPM_LOOKUP_SUCCESS) ? v & 0xffffff : HV_FIB_MISS; }
static const struct rte_impl lpm4_impl = {lpm4_create, lpm4_free, lpm4_add, lpm4_lookup, lpm4_next_hop};

static void *lpm6_create(size_t routes, size_t groups) {
  struct rte_lpm6_config cfg = {.max_rules = (uint32_t)routes, .number_tbl8s = (uint32_t)groups, .flags = 0};
  return rte_lpm6_create("bench6", 0, &cfg);
}
static void lpm6_free(void *lpm) { rte_lpm6_free(lpm); }
static int lpm6_add(void *lpm, const void *routes, size_t i) {
  const struct hv_fib6_route *r = (const struct hv_fib6_route *)routes + i;
  return rte_lpm6_add(lpm, r->prefix, r->len, r->nh);
}
static void lpm6_lookup(void *lpm, const void *addrs, size_t i, uint32_t *nh) {
  rte_lpm6_lookup_bulk_func(lpm, (uint8_t(*)[16])addrs + i, (int32_t *)nh + i, BATCH);
}
static uint32_t lpm6_next_hop(uint32_t v) { return (int32_t)v < 0 ? HV_FIB_MISS : v; }
static const struct rte_impl lpm6_impl = {lpm6_create, lpm6_free, lpm6_add, lpm6_lookup, lpm6_next_hop};
#endif

/* ---- One family's table, its phases and its report ---- */

struct result {
  const char *name;
  double load_s;
  double mlps;
  double bytes_per_route;
  double lookup_bytes_per_route; /* < 0: not known */
  int ok;
};

struct table {
  const char *fam;      /* "ipv4" */
  const char *rte_name; /* "rte_lpm" */
  const struct hv_impl *hv;
#ifdef HV_HAVE_DPDK
  const struct rte_impl *rte;
#endif
  const void *routes;
  size_t n;
  const void *addrs;
  size_t nlook;
  int passes;
  uint32_t *nh_hv, *nh_rte; /* nlook results of each */
  struct result res[3];     /* hv add_bulk, hv one by one, rte */
};

static double mlookups(const struct table *t, double seconds) {
  return (double)t->nlook * t->passes / seconds / 1e6;
}

/* One-by-one adds in random order, as the controller would stream them. */
static int load_one_by_one(struct table *t) {
  void *fib = t->hv->create();
  double t0 = bench_now();
  for (size_t i = 0; i < t->n; i++)
    if (t->hv->add(fib, t->routes, i)) {
      fprintf(stderr, "%s_add failed at %zu\n", t->hv->name, i);
      return 1;
    }
  t->res[1].load_s = bench_now() - t0;
  t->hv->destroy(fib);
  return 0;
}

/* add_bulk, then the lookup passes; the table is left for the comparison. */
static void *load_and_look_up(struct table *t, size_t *groups) {
  struct result *r = &t->res[0];
  void *fib = t->hv->create();
  double t0 = bench_now();
  int err = 0;
  if (t->hv->add_bulk(fib, t->routes, t->n, &err) != t->n) {
    fprintf(stderr, "%s_add_bulk failed: %d\n", t->hv->name, err);
    return NULL;
  }
  r->load_s = bench_now() - t0;
  size_t total, lookup;
  t->hv->stats(fib, &total, &lookup, groups);
  r->bytes_per_route = (double)total / (double)t->n;
  r->lookup_bytes_per_route = (double)lookup / (double)t->n;
  printf("# %s: %zu routes, %zu %s\n", t->fam, t->n, *groups, t->hv->groups);
  t->hv->lookup(fib, t->addrs, 0, t->nh_hv, t->nlook); /* warm */
  t0 = bench_now();
  for (int p = 0; p < t->passes; p++)
    for (size_t i = 0; i < t->nlook; i += BATCH) t->hv->lookup(fib, t->addrs, i, t->nh_hv, BATCH);
  r->mlps = mlookups(t, bench_now() - t0);
  r->ok = 1;
  /* the one-by-one table is the same table: same lookups and memory */
  t->res[1].ok = 1;
  t->res[1].mlps = r->mlps;
  t->res[1].bytes_per_route = r->bytes_per_route;
  t->res[1].lookup_bytes_per_route = r->lookup_bytes_per_route;
  return fib;
}

#ifdef HV_HAVE_DPDK
static size_t dpdk_heap_used(void) {
  struct rte_malloc_socket_stats st;
  size_t sum = 0;
  for (int s = 0; s < RTE_MAX_NUMA_NODES; s++)
    if (rte_malloc_get_socket_stats(s, &st) == 0) sum += st.heap_allocsz_bytes;
  return sum;
}

/* DPDK's table with exactly the groups it needs (fib4's count; fib6's, an
 * upper bound for rte_lpm6's 24-bit root): load, lookups, and agreement. */
static void rte_load_and_compare(struct table *t, size_t groups) {
  struct result *r = &t->res[2];
  size_t before = dpdk_heap_used();
  double t0 = bench_now();
  void *lpm = t->rte->create(t->n, groups + 256);
  if (!lpm) {
    fprintf(stderr, "%s_create: %s\n", t->rte_name, rte_strerror(rte_errno));
    return;
  }
  int fail = 0;
  for (size_t i = 0; i < t->n && !fail; i++)
    if (t->rte->add(lpm, t->routes, i) < 0) fail = 1;
  r->load_s = bench_now() - t0;
  r->bytes_per_route = (double)(dpdk_heap_used() - before) / (double)t->n;
  if (fail) fprintf(stderr, "%s_add failed\n", t->rte_name);
  for (size_t i = 0; i < t->nlook; i += BATCH) t->rte->lookup(lpm, t->addrs, i, t->nh_rte); /* warm; its VLA wants small n */
  t0 = bench_now();
  for (int p = 0; p < t->passes; p++)
    for (size_t i = 0; i < t->nlook; i += BATCH) t->rte->lookup(lpm, t->addrs, i, t->nh_rte);
  r->mlps = mlookups(t, bench_now() - t0);
  r->ok = !fail;
  size_t diff = 0;
  for (size_t i = 0; i < t->nlook; i++) diff += t->rte->next_hop(t->nh_rte[i]) != t->nh_hv[i];
  printf("# %s: %s and %s disagree on %zu of %zu addresses\n", t->fam, t->hv->name, t->rte_name, diff, t->nlook);
  t->rte->free(lpm);
}
#endif

/* Every phase of one table: one-by-one load, bulk load and lookups, DPDK's. */
static int bench_table(struct table *t, int have_dpdk) {
  t->res[0] = (struct result){t->hv->name, 0, 0, 0, 0, 0};
  t->res[1] = (struct result){t->hv->one_name, 0, 0, 0, 0, 0};
  t->res[2] = (struct result){t->rte_name, 0, 0, 0, -1, 0};
  if (load_one_by_one(t)) return 1;
  size_t groups = 0;
  void *fib = load_and_look_up(t, &groups);
  if (!fib) return 1;
#ifdef HV_HAVE_DPDK
  if (have_dpdk) rte_load_and_compare(t, groups);
#endif
  (void)have_dpdk;
  t->hv->destroy(fib);
  return 0;
}

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

static void print_table(const struct table *t) {
  for (int i = 0; i < 3; i++) print_row(t->fam, &t->res[i], t->n);
  print_ratio(t->fam, &t->res[0], &t->res[2]);
  print_ratio(t->fam, &t->res[1], &t->res[2]);
}

static void report(const struct table *t4, const struct table *t6) {
  printf("\nFIB lookups: 1 thread, batches of %d, %zu addresses x %d passes per table\n", BATCH,
         t4->nlook, t4->passes);
  printf("hv_*/1 = the same table loaded by one-by-one adds in random order; hv_* uses add_bulk\n");
  printf("bytes/route: everything allocated (in parentheses: what lookups touch)\n\n");
  printf("%-5s %-10s %9s %9s %11s %12s\n", "fam", "impl", "routes", "load_s", "Mlookups/s",
         "bytes/route");
  print_table(t4);
  print_table(t6);
}

/* ---- main: options, EAL, the IPv4 table, then the IPv6 one, the report ---- */

struct options {
  size_t n4, n6, nlook;
  int passes;
};

static struct options parse_options(int argc, char **argv) {
  struct options o;
  o.n4 = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000000;
  o.n6 = argc > 2 ? strtoul(argv[2], NULL, 0) : 200000;
  o.nlook = argc > 3 ? strtoul(argv[3], NULL, 0) : 1u << 22; /* addresses per table */
  o.nlook = (o.nlook + BATCH - 1) / BATCH * BATCH;
  o.passes = 4;
  return o;
}

static int start_dpdk(void) {
#ifdef HV_HAVE_DPDK
  char *eal[] = {"bench_fib", "--no-huge", "--no-pci", "-m", "1024", "--no-shconf",
                 "--no-telemetry", "--log-level=error", NULL};
  if (rte_eal_init(8, eal) >= 0) return 1;
  fprintf(stderr, "rte_eal_init failed (%s): DPDK columns skipped\n", rte_strerror(rte_errno));
#endif
  return 0;
}

int main(int argc, char **argv) {
  struct options o = parse_options(argc, argv);
  int have_dpdk = start_dpdk();
  uint32_t *nh_hv = malloc(o.nlook * sizeof(uint32_t)), *nh_rte = malloc(o.nlook * sizeof(uint32_t));
  struct table t4 = {.fam = "ipv4", .rte_name = "rte_lpm", .hv = &fib4_impl, .nlook = o.nlook,
                     .passes = o.passes, .nh_hv = nh_hv, .nh_rte = nh_rte};
  struct table t6 = {.fam = "ipv6", .rte_name = "rte_lpm6", .hv = &fib6_impl, .nlook = o.nlook,
                     .passes = o.passes, .nh_hv = nh_hv, .nh_rte = nh_rte};
#ifdef HV_HAVE_DPDK
  t4.rte = &lpm4_impl;
  t6.rte = &lpm6_impl;
#endif
  int rc = 0;
  struct hv_fib4_route *r4 = malloc(o.n4 * sizeof *r4);
  t4.n = gen_v4(r4, o.n4);
  uint32_t *a4 = addrs_v4(r4, t4.n, o.nlook);
  t4.routes = r4, t4.addrs = a4;
  rc = bench_table(&t4, have_dpdk);
  free(a4);
  struct hv_fib6_route *r6 = malloc(o.n6 * sizeof *r6);
  uint8_t (*a6)[16] = NULL;
  if (!rc) {
    t6.n = gen_v6(r6, o.n6);
    a6 = addrs_v6(r6, t6.n, o.nlook);
    t6.routes = r6, t6.addrs = a6;
    rc = bench_table(&t6, have_dpdk);
  }
  if (!rc) report(&t4, &t6);
  free(r4);
  free(r6);
  free(a6);
  free(nh_hv);
  free(nh_rte);
#ifdef HV_HAVE_DPDK
  if (have_dpdk) rte_eal_cleanup();
#endif
  return rc;
}
