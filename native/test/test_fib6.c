/* fib6 unit tests: fixed cases (::/0, /128, overlaps across trie levels,
 * delete restores the cover, group folding and reclaim, limits), a
 * differential test against a linear-scan reference on random prefix sets
 * with interleaved inserts/deletes/lookups, and a reader/writer test. */
#include "fib6.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fib_harness.h"
#include "tap.h"

typedef struct {
  uint8_t b[16];
} a6;

static a6 A(const char *s) {
  a6 a;
  if (inet_pton(AF_INET6, s, a.b) != 1) {
    fprintf(stderr, "bad address %s\n", s);
    abort();
  }
  return a;
}


static a6 masked(a6 a, unsigned len) {
  for (unsigned i = 0; i < 16; i++) {
    unsigned keep = len >= 8 * (i + 1) ? 8 : len > 8 * i ? len - 8 * i : 0;
    a.b[i] &= (uint8_t)(0xff00u >> keep);
  }
  return a;
}

static int covers(a6 prefix, unsigned len, a6 addr) {
  a6 m = masked(addr, len);
  return memcmp(m.b, prefix.b, 16) == 0;
}

#define ADD(p, l, nh) hv_fib6_add(fib, A(p).b, (l), (nh))
#define DEL(p, l) hv_fib6_del(fib, A(p).b, (l))
#define LK(a) hv_fib6_lookup(fib, A(a).b)

static void test_basics(void) {
  hv_fib6 *fib = hv_fib6_create(0);
  CHECK(fib != NULL);
  CHECK_EQ(LK("2001:db8::1"), HV_FIB_MISS);
  CHECK_EQ(ADD("::", 0, 7), 0);
  CHECK_EQ(LK("2001:db8::1"), 7);
  CHECK_EQ(LK("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 7);

  /* a chain crossing the root and many group levels */
  CHECK_EQ(ADD("2000::", 3, 1), 0);
  CHECK_EQ(ADD("2001:db8::", 32, 2), 0);
  CHECK_EQ(ADD("2001:db8:1::", 48, 3), 0);
  CHECK_EQ(ADD("2001:db8:1:2::", 64, 4), 0);
  CHECK_EQ(ADD("2001:db8:1:2::100", 121, 5), 0);
  CHECK_EQ(ADD("2001:db8:1:2::101", 128, 6), 0);
  CHECK_EQ(LK("2400::1"), 1);
  CHECK_EQ(LK("2001:db8:ffff::1"), 2);
  CHECK_EQ(LK("2001:db8:1:ffff::1"), 3);
  CHECK_EQ(LK("2001:db8:1:2::1"), 4);
  CHECK_EQ(LK("2001:db8:1:2::100"), 5);
  CHECK_EQ(LK("2001:db8:1:2::101"), 6);
  CHECK_EQ(LK("2001:db8:1:2::17f"), 5);
  CHECK_EQ(LK("2001:db8:1:2::180"), 4);
  CHECK_EQ(LK("fe80::1"), 7);

  /* shorter prefixes inserted later, between levels (/20, /44) */
  CHECK_EQ(ADD("2001:d00::", 20, 8), 0);
  CHECK_EQ(ADD("2001:db8::", 44, 9), 0); /* 2001:db8:0-f:: */
  CHECK_EQ(LK("2001:db9::1"), 8);
  CHECK_EQ(LK("2001:db8:10::1"), 2);
  CHECK_EQ(LK("2001:db8::1"), 9);
  CHECK_EQ(LK("2001:db8:2::1"), 9);
  CHECK_EQ(LK("2001:db8:1::1"), 3);
  CHECK_EQ(LK("2001:db8:1:2::101"), 6);

  /* replace in place */
  CHECK_EQ(ADD("2001:db8:1::", 48, 30), 0);
  CHECK_EQ(LK("2001:db8:1:ffff::1"), 30);
  uint32_t nh = 0;
  CHECK_EQ(hv_fib6_get(fib, A("2001:db8:1::").b, 48, &nh), 0);
  CHECK_EQ(nh, 30);

  /* deletes restore covers, innermost first */
  CHECK_EQ(DEL("2001:db8:1:2::101", 128), 0);
  CHECK_EQ(LK("2001:db8:1:2::101"), 5);
  CHECK_EQ(DEL("2001:db8:1:2::100", 121), 0);
  CHECK_EQ(LK("2001:db8:1:2::101"), 4);
  CHECK_EQ(DEL("2001:db8:1:2::", 64), 0);
  CHECK_EQ(LK("2001:db8:1:2::101"), 30);
  CHECK_EQ(DEL("2001:db8:1::", 48), 0);
  CHECK_EQ(LK("2001:db8:1:2::101"), 9);
  CHECK_EQ(DEL("2001:db8::", 44), 0);
  CHECK_EQ(LK("2001:db8:1:2::101"), 2);
  CHECK_EQ(DEL("2001:db8::", 32), 0);
  CHECK_EQ(LK("2001:db8:1:2::101"), 8);
  CHECK_EQ(DEL("2001:d00::", 20), 0);
  CHECK_EQ(LK("2001:db8:1:2::101"), 1);
  CHECK_EQ(DEL("2000::", 3), 0);
  CHECK_EQ(LK("2001:db8:1:2::101"), 7);
  CHECK_EQ(DEL("::", 0), 0);
  CHECK_EQ(LK("2001:db8:1:2::101"), HV_FIB_MISS);
  CHECK_EQ(DEL("::", 0), -ENOENT);
  CHECK_EQ(DEL("2001:db8::", 32), -ENOENT);
  struct hv_fib6_stats st;
  hv_fib6_stats(fib, &st);
  CHECK_EQ(st.routes, 0);
  CHECK_EQ(st.groups_used, 0);
  CHECK(st.groups_retired > 0);
  hv_fib6_reclaim(fib);
  hv_fib6_stats(fib, &st);
  CHECK_EQ(st.groups_retired, 0);

  /* host bits ignored, bad arguments refused, /128 at both ends */
  CHECK_EQ(ADD("2001:db8::ffff", 32, 11), 0);
  CHECK_EQ(hv_fib6_get(fib, A("2001:db8::").b, 32, NULL), 0);
  CHECK_EQ(ADD("::", 129, 1), -EINVAL);
  CHECK_EQ(ADD("::", 8, HV_FIB_NH_MAX + 1), -EINVAL);
  CHECK_EQ(ADD("::", 128, HV_FIB_NH_MAX), 0);
  CHECK_EQ(ADD("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128, 12), 0);
  CHECK_EQ(ADD("8000::", 1, 13), 0);
  CHECK_EQ(LK("::"), HV_FIB_NH_MAX);
  CHECK_EQ(LK("::1"), HV_FIB_MISS);
  CHECK_EQ(LK("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 12);
  CHECK_EQ(LK("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"), 13);
  CHECK_EQ(DEL("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128), 0);
  CHECK_EQ(LK("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 13);
  hv_fib6_destroy(fib);
}

static void test_groups(void) {
  /* a /128 under nothing needs 14 groups */
  hv_fib6 *fib = hv_fib6_create(20);
  struct hv_fib6_stats st;
  CHECK_EQ(ADD("2a14:9b80:103::100", 128, 1), 0);
  hv_fib6_stats(fib, &st);
  CHECK_EQ(st.groups_used, 14);
  /* a sibling /128 shares all but the last group: 14 + 0; a host in another
   * /120 needs one more; one in another /48 needs 10 more, exceeding 20 */
  CHECK_EQ(ADD("2a14:9b80:103::101", 128, 2), 0);
  CHECK_EQ(ADD("2a14:9b80:103::200", 128, 3), 0);
  hv_fib6_stats(fib, &st);
  CHECK_EQ(st.groups_used, 15);
  CHECK_EQ(ADD("2a14:9b80:104::1", 128, 4), -ENOSPC);
  CHECK_EQ(hv_fib6_get(fib, A("2a14:9b80:104::1").b, 128, NULL), -ENOENT);
  CHECK_EQ(LK("2a14:9b80:104::1"), HV_FIB_MISS);
  CHECK_EQ(LK("2a14:9b80:103::101"), 2);
  /* deleting .200 folds its /120 group only */
  CHECK_EQ(DEL("2a14:9b80:103::200", 128), 0);
  hv_fib6_stats(fib, &st);
  CHECK_EQ(st.groups_used, 14);
  CHECK_EQ(st.groups_retired, 1);
  /* a covering /48 reaches the inherited entries in all groups below it */
  CHECK_EQ(ADD("2a14:9b80:103::", 48, 5), 0);
  CHECK_EQ(LK("2a14:9b80:103::102"), 5);
  CHECK_EQ(LK("2a14:9b80:103:1::"), 5);
  CHECK_EQ(LK("2a14:9b80:103::100"), 1);
  /* deleting the hosts folds the groups below the /48 but keeps the path to it */
  CHECK_EQ(DEL("2a14:9b80:103::100", 128), 0);
  CHECK_EQ(DEL("2a14:9b80:103::101", 128), 0);
  hv_fib6_stats(fib, &st);
  CHECK_EQ(st.groups_used, 4); /* levels 1..4 down to the /48 */
  CHECK_EQ(LK("2a14:9b80:103::101"), 5);
  hv_fib6_reclaim(fib);
  CHECK_EQ(ADD("2a14:9b80:104::1", 128, 4), 0);
  CHECK_EQ(LK("2a14:9b80:104::1"), 4);
  CHECK_EQ(DEL("2a14:9b80:103::", 48), 0);
  CHECK_EQ(DEL("2a14:9b80:104::1", 128), 0);
  hv_fib6_stats(fib, &st);
  CHECK_EQ(st.groups_used, 0);
  hv_fib6_reclaim(fib);

  struct hv_fib6_route r[3] = {{.len = 128, .nh = 1}, {.len = 64, .nh = 2}, {.len = 0, .nh = 3}};
  memcpy(r[0].prefix, A("2001:db8::1").b, 16);
  memcpy(r[1].prefix, A("2001:db8::").b, 16);
  int err = 1;
  CHECK_EQ(hv_fib6_add_bulk(fib, r, 3, &err), 3);
  CHECK_EQ(err, 0);
  CHECK_EQ(LK("2001:db8::1"), 1);
  CHECK_EQ(LK("2001:db8::2"), 2);
  CHECK_EQ(LK("2001:db9::2"), 3);
  hv_fib6_destroy(fib);
}

/* ---- differential test against a linear scan -------------------------- */

struct ref_rule {
  a6 prefix;
  uint8_t len;
  uint32_t nh;
};
static struct ref_rule *ref;
static size_t nref;

static uint32_t ref_lookup(a6 addr) {
  int best = -1;
  uint32_t nh = HV_FIB_MISS;
  for (size_t i = 0; i < nref; i++)
    if (ref[i].len > best && covers(ref[i].prefix, ref[i].len, addr)) {
      best = ref[i].len;
      nh = ref[i].nh;
    }
  return nh;
}

static long ref_find(a6 prefix, uint8_t len) {
  for (size_t i = 0; i < nref; i++)
    if (ref[i].len == len && !memcmp(ref[i].prefix.b, prefix.b, 16)) return (long)i;
  return -1;
}

/* Addresses share a random-length prefix with one of a few bases, so
 * prefixes overlap at every depth. */
static a6 bases[6];
static a6 rnd_addr(void) {
  a6 a = bases[rnd() % 6];
  unsigned from = (unsigned)(rnd() % 129);
  for (unsigned bit = from; bit < 128; bit++)
    if (rnd() & 1) a.b[bit / 8] ^= (uint8_t)(0x80u >> (bit % 8));
  return a;
}
static uint8_t rnd_len(void) {
  unsigned p = (unsigned)(rnd() % 100);
  if (p < 3) return (uint8_t)(rnd() % 16);
  if (p < 70) return (uint8_t)(16 + rnd() % 57); /* 16..72 */
  return (uint8_t)(73 + rnd() % 56);              /* 73..128 */
}

static void differential(uint64_t seed, int steps) {
  rng_state = seed;
  for (int i = 0; i < 6; i++)
    for (int j = 0; j < 16; j++) bases[i].b[j] = (uint8_t)rnd();
  hv_fib6 *fib = hv_fib6_create(1 << 16);
  ref = calloc((size_t)steps + 1, sizeof *ref);
  nref = 0;
  long bad = 0, adds = 0, dels = 0, lookups = 0;
  uint8_t addrs[16][16];
  uint32_t got[16];
  for (int step = 0; step < steps && bad < 10; step++) {
    unsigned op = (unsigned)(rnd() % 100), add_pct = nref < 300 ? 55 : 40;
    if (op < add_pct || nref == 0) {
      uint8_t len = rnd_len();
      a6 p = masked(rnd_addr(), len);
      uint32_t nh = (uint32_t)(rnd() % 100000);
      int rc = hv_fib6_add(fib, p.b, len, nh);
      if (rc) {
        bad++;
        tap_ok(0, "seed %llu step %d: add rc %d", (unsigned long long)seed, step, rc);
        continue;
      }
      long at = ref_find(p, len);
      if (at < 0) ref[nref++] = (struct ref_rule){p, len, nh};
      else ref[at].nh = nh;
      adds++;
    } else if (op < 85) {
      a6 p;
      uint8_t len;
      size_t at = (size_t)(rnd() % nref);
      if (rnd() % 8) {
        p = ref[at].prefix;
        len = ref[at].len;
      } else {
        len = rnd_len();
        p = masked(rnd_addr(), len);
      }
      long idx = ref_find(p, len);
      int rc = hv_fib6_del(fib, p.b, len);
      if (rc != (idx >= 0 ? 0 : -ENOENT)) {
        bad++;
        tap_ok(0, "seed %llu step %d: del /%u rc %d", (unsigned long long)seed, step, len, rc);
      }
      if (idx >= 0) ref[idx] = ref[--nref];
      dels++;
    } else if (op < 87) {
      hv_fib6_reclaim(fib);
    }
    if (step % 500 == 0) { /* a long batch crosses the 32-address chunks */
      static uint8_t big[300][16];
      uint32_t bnh[300];
      for (size_t i = 0; i < 300; i++) {
        a6 a = rnd_addr();
        memcpy(big[i], a.b, 16);
      }
      hv_fib6_lookup_batch(fib, (const uint8_t(*)[16])big, bnh, 300);
      for (size_t i = 0; i < 300; i++) {
        a6 a;
        memcpy(a.b, big[i], 16);
        if (bnh[i] != ref_lookup(a) && bad++ < 10)
          tap_ok(0, "seed %llu step %d: long batch [%zu] = %u", (unsigned long long)seed, step, i,
                 bnh[i]);
      }
    }
    size_t n = 1 + (size_t)(rnd() % 16);
    for (size_t i = 0; i < n; i++) {
      a6 a = rnd_addr();
      memcpy(addrs[i], a.b, 16);
    }
    hv_fib6_lookup_batch(fib, (const uint8_t(*)[16])addrs, got, n);
    for (size_t i = 0; i < n; i++) {
      a6 a;
      memcpy(a.b, addrs[i], 16);
      uint32_t want = ref_lookup(a), one = hv_fib6_lookup(fib, a.b);
      lookups++;
      if (got[i] != want || one != want) {
        if (bad++ < 10) {
          char s[INET6_ADDRSTRLEN];
          inet_ntop(AF_INET6, a.b, s, sizeof s);
          tap_ok(0, "seed %llu step %d: lookup %s = %u/%u, reference %u", (unsigned long long)seed,
                 step, s, one, got[i], want);
        }
      }
    }
  }
  while (nref && bad < 10) {
    size_t at = (size_t)(rnd() % nref);
    if (hv_fib6_del(fib, ref[at].prefix.b, ref[at].len)) bad++;
    ref[at] = ref[--nref];
    a6 a = rnd_addr();
    if (hv_fib6_lookup(fib, a.b) != ref_lookup(a)) bad++;
  }
  struct hv_fib6_stats st;
  hv_fib6_stats(fib, &st);
  fib_differential_report(seed, adds, dels, lookups, bad, st.routes, st.groups_used);
  free(ref);
  hv_fib6_destroy(fib);
}

/* ---- readers against a writer ----------------------------------------- */

/* 2001:db8::/32 -> 1 always; the writer churns prefixes /33../128 inside it
 * with next hops 2..9; readers must only see 1..9 inside and MISS outside. */
static hv_fib6 *shared_fib;

static long read_batch(uint64_t *s) {
  uint8_t addrs[32][16];
  uint32_t nhs[32];
  a6 base = A("2001:db8::");
  for (int i = 0; i < 32; i++) {
    uint64_t r = reader_rnd(s);
    memcpy(addrs[i], base.b, 16);
    if (i & 1) {
      addrs[i][5] = (uint8_t)(r & 1); /* the writer's prefixes live in 2001:db8:0-1:: */
      addrs[i][15] = (uint8_t)(r >> 8);
      addrs[i][7] = (uint8_t)(r >> 16) & 3;
    } else {
      addrs[i][0] = 0x30; /* outside */
    }
  }
  hv_fib6_lookup_batch(shared_fib, (const uint8_t(*)[16])addrs, nhs, 32);
  long bad = 0;
  for (int i = 0; i < 32; i++) {
    int inside = i & 1;
    if (inside ? (nhs[i] < 1 || nhs[i] > 9) : nhs[i] != HV_FIB_MISS) bad++;
  }
  return bad;
}

static int write_step(void) {
  a6 p = A("2001:db8::");
  p.b[5] = (uint8_t)(rnd() & 1);
  p.b[7] = (uint8_t)(rnd() & 3);
  p.b[15] = (uint8_t)rnd();
  uint8_t len = (uint8_t)(33 + rnd() % 96);
  p = masked(p, len);
  return (rnd() & 1) ? hv_fib6_add(shared_fib, p.b, len, 2 + (uint32_t)(rnd() % 8)) : hv_fib6_del(shared_fib, p.b, len);
}

/* The writer's reclaim step, and the test: 2001:db8::/32 always present. */
static void reclaim(void) { hv_fib6_reclaim(shared_fib); }

/* hv_fib6_walk: every rule once, prefix in network order with host bits
 * cleared, after adds, a replace and a delete. */
struct walk6 {
  a6 p[8];
  uint8_t len[8];
  uint32_t nh[8];
  int n;
};
static int walk6_fn(void *ctx, const uint8_t prefix[16], uint8_t len, uint32_t nh) {
  struct walk6 *w = ctx;
  if (w->n >= 8) return -1;
  memcpy(w->p[w->n].b, prefix, 16);
  w->len[w->n] = len, w->nh[w->n] = nh;
  w->n++;
  return 0;
}
static int walk6_has(const struct walk6 *w, const char *p, uint8_t len, uint32_t nh) {
  int k = 0;
  for (int i = 0; i < w->n; i++) k += !memcmp(w->p[i].b, A(p).b, 16) && w->len[i] == len && w->nh[i] == nh;
  return k;
}
static void test_walk(void) {
  hv_fib6 *fib = hv_fib6_create(0);
  struct walk6 w = {.n = 0};
  CHECK_EQ(hv_fib6_walk(fib, walk6_fn, &w), 0);
  CHECK_EQ(w.n, 0);
  CHECK_EQ(ADD("::", 0, 1), 0);
  CHECK_EQ(ADD("2001:db8:1:2::9", 48, 2), 0); /* stored as 2001:db8:1::/48 */
  CHECK_EQ(ADD("2001:db8:1:2:3:4:5:6", 128, 3), 0);
  CHECK_EQ(ADD("2001:db8:1:2:3:4:5:6", 128, 4), 0); /* replace */
  CHECK_EQ(ADD("fd00::", 8, 5), 0);
  CHECK_EQ(DEL("fd00::", 8), 0);
  CHECK_EQ(hv_fib6_walk(fib, walk6_fn, &w), 0);
  CHECK_EQ(w.n, 3);
  CHECK_EQ(walk6_has(&w, "::", 0, 1), 1);
  CHECK_EQ(walk6_has(&w, "2001:db8:1::", 48, 2), 1);
  CHECK_EQ(walk6_has(&w, "2001:db8:1:2:3:4:5:6", 128, 4), 1);
  hv_fib6_destroy(fib);
}

int main(void) {
  test_basics();
  test_walk();
  test_groups();
  fib_differential_seeds(differential, HV_TEST_STEPS(15000));
  shared_fib = hv_fib6_create(64);
  CHECK_EQ(hv_fib6_add(shared_fib, A("2001:db8::").b, 32, 1), 0);
  fib_concurrent(read_batch, write_step, reclaim, HV_TEST_STEPS(2000), 43);
  hv_fib6_destroy(shared_fib);
  return tap_done();
}
