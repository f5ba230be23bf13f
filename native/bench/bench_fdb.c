/* bench_fdb — the MAC table's per-frame operations, per second, by table size.
 *
 * For tables of 1k, 100k and 1M learned MACs (capacity 2x, as hv_fdb_create
 * sizes it; override with `bench_fdb N...`):
 *   insert         hv_fdb_learn of a new MAC, from empty to full (the slow path
 *                  a learning storm takes: writer flag, slot publish)
 *   lookup hit     hv_fdb_lookup of a present (VLAN, MAC) in random order: the
 *                  destination lookup of every known-unicast frame
 *   lookup miss    of an absent MAC (unknown unicast: the probe chain to an
 *                  empty slot)
 *   learn refresh  hv_fdb_learn of a known MAC on its port: the source-MAC
 *                  step of every frame in steady state (lookup + age store)
 * Keys are random locally administered MACs over 4 VLANs; lookups go through a
 * shuffled key array, so large tables pay their cache and TLB misses as a
 * worker would with many active MACs.  One thread, no concurrent writer.
 * Output: Mops/s (median of `reps` runs) and ns/op.  Usage: bench_fdb [N...]. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "fdb.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

struct key {
  uint16_t vlan;
  uint8_t mac[6];
};

static void random_keys(struct key *k, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint64_t r = rnd();
    k[i].vlan = (uint16_t)(1 + (r >> 60) % 4);
    for (int j = 0; j < 6; j++) k[i].mac[j] = (uint8_t)(r >> (8 * j));
    k[i].mac[0] = (uint8_t)((k[i].mac[0] & 0xfc) | 0x02); /* unicast, locally administered */
  }
}

static void shuffle(struct key *k, size_t n) {
  for (size_t i = n - 1; i > 0; i--) {
    size_t j = (size_t)(rnd() % (i + 1));
    struct key t = k[i];
    k[i] = k[j];
    k[j] = t;
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static volatile int64_t sink;
static _Atomic uint32_t port_macs[HV_MAX_PORTS];

enum op { LOOKUP, LEARN };

/* ops over `keys` (cycled) and returns seconds. */
static double timed(struct hv_fdb *fdb, const struct key *keys, size_t nkeys, uint64_t ops, enum op op) {
  int64_t acc = 0;
  size_t i = 0;
  double t0 = bench_now();
  for (uint64_t done = 0; done < ops; done++) {
    const struct key *k = &keys[i];
    if (++i == nkeys) i = 0;
    if (op == LOOKUP) {
      struct hv_fdb_hit hit;
      acc += hv_fdb_lookup(fdb, k->vlan, k->mac, &hit) ? hit.egress : 0;
    } else {
      hv_egress old;
      acc += hv_fdb_learn(fdb, k->vlan, k->mac, (uint16_t)(k->mac[5] & 7), 1, UINT32_MAX, &old);
    }
  }
  double dt = bench_now() - t0;
  sink += acc;
  return dt;
}

static void report(const char *what, size_t n, double *t, int reps, uint64_t ops) {
  qsort(t, (size_t)reps, sizeof t[0], cmp_double);
  double med = t[reps / 2];
  printf("%9zu  %-14s %10.1f %10.1f\n", n, what, (double)ops / med / 1e6, med * 1e9 / (double)ops);
}

static int bench(size_t n, int reps) {
  struct key *present = malloc(n * sizeof *present), *absent = malloc(n * sizeof *absent);
  if (!present || !absent) return -1;
  random_keys(present, n);
  random_keys(absent, n); /* 48 random bits: a collision with `present` is negligible */
  memset(port_macs, 0, sizeof port_macs);
  struct hv_fdb *fdb = hv_fdb_create((uint32_t)n, port_macs);
  if (!fdb) return -1;
  /* The learning storm: every MAC new (the keys are distinct with overwhelming probability). */
  double t_ins = timed(fdb, present, n, n, LEARN);
  printf("%9zu  %-14s %10.1f %10.1f   (%u entries)\n", n, "insert", (double)n / t_ins / 1e6, t_ins * 1e9 / (double)n,
         hv_fdb_count(fdb));
  shuffle(present, n);
  uint64_t ops = n < 4000000 ? 4000000 : n;
  double t[32];
  const struct {
    const char *name;
    const struct key *keys;
    enum op op;
  } cases[] = {{"lookup hit", present, LOOKUP}, {"lookup miss", absent, LOOKUP}, {"learn refresh", present, LEARN}};
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    timed(fdb, cases[c].keys, n, ops / 4, cases[c].op); /* warm up */
    for (int r = 0; r < reps; r++) t[r] = timed(fdb, cases[c].keys, n, ops, cases[c].op);
    report(cases[c].name, n, t, reps, ops);
  }
  hv_fdb_destroy(fdb);
  free(present);
  free(absent);
  return 0;
}

int main(int argc, char **argv) {
  size_t sizes[16] = {1000, 100000, 1000000};
  int nsizes = 3, reps = 5;
  if (argc > 1) {
    nsizes = 0;
    for (int i = 1; i < argc && nsizes < 16; i++) sizes[nsizes++] = strtoul(argv[i], NULL, 0);
  }
  printf("# bench_fdb: one thread; median of %d runs; table capacity = 2x entries (power of two)\n", reps);
  printf("%9s  %-14s %10s %10s\n", "entries", "operation", "Mops/s", "ns/op");
  for (int i = 0; i < nsizes; i++)
    if (sizes[i] < 2 || sizes[i] > (1u << 29) || bench(sizes[i], reps)) {
      fprintf(stderr, "bench_fdb: cannot run with %zu entries\n", sizes[i]);
      return 1;
    }
  return 0;
}
