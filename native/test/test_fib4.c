/* fib4 unit tests: fixed cases (/0, /32, overlaps, delete restores the
 * cover, group collapse and reclaim, limits), a differential test against a
 * linear-scan reference on random prefix sets with interleaved
 * inserts/deletes/lookups, and a reader/writer test that checks readers only
 * ever see next hops that were valid for their address. */
#include "fib4.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fib_harness.h"
#include "tap.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static uint32_t rnd32(void) { return (uint32_t)(rnd() >> 32); }

static uint32_t mask(uint8_t len) { return len ? ~0u << (32 - len) : 0; }

static void test_basics(void) {
  hv_fib4 *fib = hv_fib4_create(0);
  CHECK(fib != NULL);
  CHECK_EQ(hv_fib4_lookup(fib, IP(1, 2, 3, 4)), HV_FIB_MISS);

  /* default route alone */
  CHECK_EQ(hv_fib4_add(fib, 0, 0, 7), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(1, 2, 3, 4)), 7);
  CHECK_EQ(hv_fib4_lookup(fib, IP(255, 255, 255, 255)), 7);

  /* overlapping chain 10/8 > 10.1/16 > 10.1.2/24 > 10.1.2.128/25 > 10.1.2.130/32 */
  CHECK_EQ(hv_fib4_add(fib, IP(10, 0, 0, 0), 8, 1), 0);
  CHECK_EQ(hv_fib4_add(fib, IP(10, 1, 0, 0), 16, 2), 0);
  CHECK_EQ(hv_fib4_add(fib, IP(10, 1, 2, 0), 24, 3), 0);
  CHECK_EQ(hv_fib4_add(fib, IP(10, 1, 2, 128), 25, 4), 0);
  CHECK_EQ(hv_fib4_add(fib, IP(10, 1, 2, 130), 32, 5), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 9, 9, 9)), 1);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 9, 9)), 2);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 2, 1)), 3);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 2, 129)), 4);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 2, 130)), 5);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 2, 131)), 4);
  CHECK_EQ(hv_fib4_lookup(fib, IP(11, 0, 0, 0)), 7);

  /* a shorter prefix added after longer ones does not override them */
  CHECK_EQ(hv_fib4_add(fib, IP(10, 1, 0, 0), 20, 6), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 2, 1)), 3);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 2, 130)), 5);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 3, 1)), 6);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 16, 1)), 2);

  /* replace a next hop in place */
  CHECK_EQ(hv_fib4_add(fib, IP(10, 1, 2, 128), 25, 40), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 2, 129)), 40);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 2, 130)), 5);
  uint32_t nh = 0;
  CHECK_EQ(hv_fib4_get(fib, IP(10, 1, 2, 128), 25, &nh), 0);
  CHECK_EQ(nh, 40);

  /* deletes restore the next-shorter cover, step by step */
  CHECK_EQ(hv_fib4_del(fib, IP(10, 1, 2, 130), 32), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 2, 130)), 40);
  CHECK_EQ(hv_fib4_del(fib, IP(10, 1, 2, 128), 25), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 2, 130)), 3);
  CHECK_EQ(hv_fib4_del(fib, IP(10, 1, 2, 0), 24), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 2, 130)), 6); /* the /20 */
  CHECK_EQ(hv_fib4_del(fib, IP(10, 1, 0, 0), 20), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 2, 130)), 2);
  CHECK_EQ(hv_fib4_del(fib, IP(10, 1, 0, 0), 16), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 2, 130)), 1);
  CHECK_EQ(hv_fib4_del(fib, IP(10, 0, 0, 0), 8), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 2, 130)), 7);
  CHECK_EQ(hv_fib4_del(fib, 0, 0), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 1, 2, 130)), HV_FIB_MISS);
  CHECK_EQ(hv_fib4_del(fib, 0, 0), -ENOENT);
  CHECK_EQ(hv_fib4_del(fib, IP(10, 0, 0, 0), 8), -ENOENT);

  /* host bits are ignored; invalid arguments refused */
  CHECK_EQ(hv_fib4_add(fib, IP(192, 168, 77, 77), 16, 9), 0);
  CHECK_EQ(hv_fib4_get(fib, IP(192, 168, 0, 0), 16, NULL), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(192, 168, 0, 1)), 9);
  CHECK_EQ(hv_fib4_del(fib, IP(192, 168, 1, 1), 16), 0);
  CHECK_EQ(hv_fib4_add(fib, 0, 33, 1), -EINVAL);
  CHECK_EQ(hv_fib4_add(fib, 0, 8, HV_FIB_NH_MAX + 1), -EINVAL);
  CHECK_EQ(hv_fib4_add(fib, IP(1, 1, 1, 1), 32, HV_FIB_NH_MAX), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(1, 1, 1, 1)), HV_FIB_NH_MAX);

  /* /32 at both ends of the space, /1 halves */
  CHECK_EQ(hv_fib4_add(fib, 0, 32, 11), 0);
  CHECK_EQ(hv_fib4_add(fib, 0xffffffffu, 32, 12), 0);
  CHECK_EQ(hv_fib4_add(fib, 0x80000000u, 1, 13), 0);
  CHECK_EQ(hv_fib4_lookup(fib, 0), 11);
  CHECK_EQ(hv_fib4_lookup(fib, 1), HV_FIB_MISS);
  CHECK_EQ(hv_fib4_lookup(fib, 0xffffffffu), 12);
  CHECK_EQ(hv_fib4_lookup(fib, 0xfffffffeu), 13);
  CHECK_EQ(hv_fib4_lookup(fib, 0x80000000u), 13);
  CHECK_EQ(hv_fib4_del(fib, 0xffffffffu, 32), 0);
  CHECK_EQ(hv_fib4_lookup(fib, 0xffffffffu), 13);
  hv_fib4_destroy(fib);
}

static void test_groups(void) {
  hv_fib4 *fib = hv_fib4_create(2);
  struct hv_fib4_stats st;
  CHECK_EQ(hv_fib4_add(fib, IP(10, 0, 0, 0), 8, 1), 0);
  CHECK_EQ(hv_fib4_add(fib, IP(10, 0, 0, 1), 32, 2), 0);
  CHECK_EQ(hv_fib4_add(fib, IP(10, 0, 0, 2), 31, 3), 0);
  CHECK_EQ(hv_fib4_add(fib, IP(10, 0, 1, 1), 32, 4), 0);
  hv_fib4_stats(fib, &st);
  CHECK_EQ(st.tbl8_used, 2);
  /* pool exhausted: refused, and nothing half-added */
  CHECK_EQ(hv_fib4_add(fib, IP(10, 0, 2, 1), 32, 5), -ENOSPC);
  CHECK_EQ(hv_fib4_get(fib, IP(10, 0, 2, 1), 32, NULL), -ENOENT);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 0, 2, 1)), 1);
  /* a group collapses when its last long prefix goes, and is retired */
  CHECK_EQ(hv_fib4_del(fib, IP(10, 0, 1, 1), 32), 0);
  hv_fib4_stats(fib, &st);
  CHECK_EQ(st.tbl8_used, 1);
  CHECK_EQ(st.tbl8_retired, 1);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 0, 1, 1)), 1);
  CHECK_EQ(hv_fib4_add(fib, IP(10, 0, 2, 1), 32, 5), -ENOSPC); /* not reused before reclaim */
  hv_fib4_reclaim(fib);
  CHECK_EQ(hv_fib4_add(fib, IP(10, 0, 2, 1), 32, 5), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 0, 2, 1)), 5);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 0, 2, 2)), 1);
  /* cover change under an extended entry reaches the inherited entries */
  CHECK_EQ(hv_fib4_add(fib, IP(10, 0, 0, 0), 16, 6), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 0, 0, 9)), 6);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 0, 0, 1)), 2);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 0, 0, 3)), 3);
  CHECK_EQ(hv_fib4_del(fib, IP(10, 0, 0, 0), 16), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 0, 0, 9)), 1);
  CHECK_EQ(hv_fib4_del(fib, IP(10, 0, 0, 0), 8), 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 0, 0, 9)), HV_FIB_MISS);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 0, 0, 2)), 3);
  CHECK_EQ(hv_fib4_del(fib, IP(10, 0, 0, 2), 31), 0);
  CHECK_EQ(hv_fib4_del(fib, IP(10, 0, 0, 1), 32), 0);
  CHECK_EQ(hv_fib4_del(fib, IP(10, 0, 2, 1), 32), 0);
  hv_fib4_stats(fib, &st);
  CHECK_EQ(st.tbl8_used, 0);
  CHECK_EQ(st.routes, 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 0, 0, 1)), HV_FIB_MISS);

  /* bulk add (the freed groups are reusable only after the grace period) */
  hv_fib4_reclaim(fib);
  struct hv_fib4_route r[] = {{IP(10, 0, 0, 1), 32, 1}, {IP(10, 0, 0, 0), 24, 2}, {0, 0, 3}};
  int err = 1;
  CHECK_EQ(hv_fib4_add_bulk(fib, r, 3, &err), 3);
  CHECK_EQ(err, 0);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 0, 0, 1)), 1);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 0, 0, 2)), 2);
  CHECK_EQ(hv_fib4_lookup(fib, IP(10, 0, 1, 2)), 3);
  hv_fib4_destroy(fib);
}

/* ---- differential test against a linear scan -------------------------- */

struct ref_rule {
  uint32_t prefix;
  uint8_t len;
  uint32_t nh;
};

struct ref {
  struct ref_rule *r;
  size_t n;
};

static uint32_t ref_lookup(const struct ref *ref, uint32_t addr) {
  int best = -1;
  uint32_t nh = HV_FIB_MISS;
  for (size_t i = 0; i < ref->n; i++)
    if ((addr & mask(ref->r[i].len)) == ref->r[i].prefix && ref->r[i].len > best) {
      best = ref->r[i].len;
      nh = ref->r[i].nh;
    }
  return nh;
}

static long ref_find(const struct ref *ref, uint32_t prefix, uint8_t len) {
  for (size_t i = 0; i < ref->n; i++)
    if (ref->r[i].prefix == prefix && ref->r[i].len == len) return (long)i;
  return -1;
}

/* Addresses cluster around a few bases so prefixes overlap a lot. */
static uint32_t bases[8];
static uint32_t rnd_addr(void) {
  uint32_t b = bases[rnd() % 8];
  switch (rnd() % 4) {
  case 0: return rnd32();
  case 1: return b ^ (rnd32() & 0xff);
  case 2: return b ^ (rnd32() & 0xfff);
  default: return b ^ (rnd32() & 0xfffff);
  }
}
static uint8_t rnd_len(void) {
  unsigned p = (unsigned)(rnd() % 100);
  if (p < 1) return (uint8_t)(rnd() % 8); /* /0../7: up to 8M writes each, rare */
  if (p < 40) return (uint8_t)(8 + rnd() % 17);
  return (uint8_t)(25 + rnd() % 8);
}

static void differential(uint64_t seed, int steps) {
  rng_state = seed;
  for (int i = 0; i < 8; i++) bases[i] = rnd32();
  hv_fib4 *fib = hv_fib4_create(1024);
  struct ref ref = {calloc((size_t)steps + 1, sizeof(struct ref_rule)), 0};
  long bad = 0, adds = 0, dels = 0, lookups = 0;
  uint32_t addrs[64], got[64];
  for (int step = 0; step < steps && bad < 10; step++) {
    unsigned op = (unsigned)(rnd() % 100), add_pct = ref.n < 400 ? 55 : 40;
    if (op < add_pct || ref.n == 0) {
      uint8_t len = rnd_len();
      uint32_t prefix = rnd_addr() & mask(len), nh = rnd32() % 100000;
      int rc = hv_fib4_add(fib, prefix, len, nh);
      if (rc) {
        bad++;
        tap_ok(0, "seed %llu step %d: add rc %d", (unsigned long long)seed, step, rc);
        continue;
      }
      long at = ref_find(&ref, prefix, len);
      if (at < 0) ref.r[ref.n++] = (struct ref_rule){prefix, len, nh};
      else ref.r[at].nh = nh;
      adds++;
    } else if (op < 85) {
      /* mostly existing rules, sometimes absent ones */
      uint32_t prefix;
      uint8_t len;
      size_t at = (size_t)(rnd() % ref.n);
      if (rnd() % 8) {
        prefix = ref.r[at].prefix;
        len = ref.r[at].len;
      } else {
        len = rnd_len();
        prefix = rnd_addr() & mask(len);
      }
      long idx = ref_find(&ref, prefix, len);
      int rc = hv_fib4_del(fib, prefix, len);
      if (rc != (idx >= 0 ? 0 : -ENOENT)) {
        bad++;
        tap_ok(0, "seed %llu step %d: del %08x/%u rc %d", (unsigned long long)seed, step, prefix,
               len, rc);
      }
      if (idx >= 0) ref.r[idx] = ref.r[--ref.n];
      dels++;
    } else if (op < 87) {
      hv_fib4_reclaim(fib);
    }
    if (step % 500 == 0) { /* a long batch crosses the prefetch window */
      uint32_t big[300], bnh[300];
      for (size_t i = 0; i < 300; i++) big[i] = rnd_addr();
      hv_fib4_lookup_batch(fib, big, bnh, 300);
      for (size_t i = 0; i < 300; i++)
        if (bnh[i] != ref_lookup(&ref, big[i]) && bad++ < 10)
          tap_ok(0, "seed %llu step %d: long batch [%zu] %08x = %u", (unsigned long long)seed, step,
                 i, big[i], bnh[i]);
    }
    /* after every operation: a batch of lookups, also through lookup_batch */
    size_t n = 1 + (size_t)(rnd() % 16);
    for (size_t i = 0; i < n; i++) addrs[i] = rnd_addr();
    hv_fib4_lookup_batch(fib, addrs, got, n);
    for (size_t i = 0; i < n; i++) {
      uint32_t want = ref_lookup(&ref, addrs[i]);
      uint32_t one = hv_fib4_lookup(fib, addrs[i]);
      lookups++;
      if (got[i] != want || one != want) {
        if (bad++ < 10)
          tap_ok(0, "seed %llu step %d: lookup %08x = %u/%u, reference %u",
                 (unsigned long long)seed, step, addrs[i], one, got[i], want);
      }
    }
  }
  /* drain: delete everything in random order, checking as we go */
  while (ref.n && bad < 10) {
    size_t at = (size_t)(rnd() % ref.n);
    if (hv_fib4_del(fib, ref.r[at].prefix, ref.r[at].len)) bad++;
    ref.r[at] = ref.r[--ref.n];
    uint32_t a = rnd_addr();
    if (hv_fib4_lookup(fib, a) != ref_lookup(&ref, a)) bad++;
  }
  struct hv_fib4_stats st;
  hv_fib4_stats(fib, &st);
  fib_differential_report(seed, adds, dels, lookups, bad, st.routes, st.tbl8_used);
  free(ref.r);
  hv_fib4_destroy(fib);
}

/* ---- readers against a writer ----------------------------------------- */

/* The writer churns prefixes under 10.0.0.0/8 (always present, nh 1), using
 * next hops 2..9 only; readers must only ever see 1..9 for addresses under
 * 10/8 and HV_FIB_MISS elsewhere — a torn entry or a reused group would show
 * up as anything else. Reclaim follows a grace period: each reader bumps its
 * counter after each batch, and the writer waits for every counter to move. */
static hv_fib4 *shared_fib;

static long read_batch(uint64_t *s) {
  uint32_t addrs[32], nhs[32];
  for (int i = 0; i < 32; i++) {
    uint64_t r = reader_rnd(s);
    addrs[i] = (i & 1) ? IP(10, 0, (r >> 8) & 3, r & 0xff) : (uint32_t)(r >> 16);
  }
  hv_fib4_lookup_batch(shared_fib, addrs, nhs, 32);
  long bad = 0;
  for (int i = 0; i < 32; i++) {
    int in10 = (addrs[i] >> 24) == 10;
    if (in10 ? (nhs[i] < 1 || nhs[i] > 9) : nhs[i] != HV_FIB_MISS) bad++;
  }
  return bad;
}

static int write_step(void) {
  uint8_t len = (uint8_t)(22 + rnd() % 11);
  uint32_t p = IP(10, 0, rnd() % 4, rnd() % 256) & mask(len);
  return (rnd() & 1) ? hv_fib4_add(shared_fib, p, len, 2 + (uint32_t)(rnd() % 8)) : hv_fib4_del(shared_fib, p, len);
}

/* The writer's reclaim step, and the test: 10/8 always present. */
static void reclaim(void) { hv_fib4_reclaim(shared_fib); }

/* hv_fib4_walk: every rule once, as stored (host bits cleared), after adds,
 * a replace and a delete; a non-zero return stops it. */
struct walk4 {
  uint32_t seen[8][3];
  int n;
};
static int walk4_fn(void *ctx, uint32_t prefix, uint8_t len, uint32_t nh) {
  struct walk4 *w = ctx;
  if (w->n >= 8) return -1;
  w->seen[w->n][0] = prefix, w->seen[w->n][1] = len, w->seen[w->n][2] = nh;
  w->n++;
  return 0;
}
static int walk4_stop(void *ctx, uint32_t prefix, uint8_t len, uint32_t nh) {
  (void)prefix, (void)len, (void)nh;
  return ++*(int *)ctx == 2 ? 7 : 0;
}
static int walk4_has(const struct walk4 *w, uint32_t p, uint32_t len, uint32_t nh) {
  int k = 0;
  for (int i = 0; i < w->n; i++) k += w->seen[i][0] == p && w->seen[i][1] == len && w->seen[i][2] == nh;
  return k;
}
static void test_walk(void) {
  hv_fib4 *fib = hv_fib4_create(0);
  struct walk4 w = {.n = 0};
  CHECK_EQ(hv_fib4_walk(fib, walk4_fn, &w), 0);
  CHECK_EQ(w.n, 0);
  CHECK_EQ(hv_fib4_add(fib, 0, 0, 1), 0);
  CHECK_EQ(hv_fib4_add(fib, IP(10, 1, 2, 3), 16, 2), 0); /* stored as 10.1.0.0/16 */
  CHECK_EQ(hv_fib4_add(fib, IP(10, 1, 2, 3), 32, 3), 0);
  CHECK_EQ(hv_fib4_add(fib, IP(10, 1, 2, 3), 32, 4), 0); /* replace */
  CHECK_EQ(hv_fib4_add(fib, IP(192, 0, 2, 0), 24, 5), 0);
  CHECK_EQ(hv_fib4_del(fib, IP(192, 0, 2, 0), 24), 0);
  CHECK_EQ(hv_fib4_walk(fib, walk4_fn, &w), 0);
  CHECK_EQ(w.n, 3);
  CHECK_EQ(walk4_has(&w, 0, 0, 1), 1);
  CHECK_EQ(walk4_has(&w, IP(10, 1, 0, 0), 16, 2), 1);
  CHECK_EQ(walk4_has(&w, IP(10, 1, 2, 3), 32, 4), 1);
  int calls = 0;
  CHECK_EQ(hv_fib4_walk(fib, walk4_stop, &calls), 7);
  CHECK_EQ(calls, 2);
  hv_fib4_destroy(fib);
}

int main(void) {
  test_basics();
  test_walk();
  test_groups();
  fib_differential_seeds(differential, HV_TEST_STEPS(20000));
  shared_fib = hv_fib4_create(8);
  CHECK_EQ(hv_fib4_add(shared_fib, IP(10, 0, 0, 0), 8, 1), 0);
  fib_concurrent(read_batch, write_step, reclaim, HV_TEST_STEPS(3000), 42);
  hv_fib4_destroy(shared_fib);
  return tap_done();
}
