/* fib4 — IPv4 longest-prefix match for one VRF, DIR-24-8 (Gupta, Lin,
 * McKeown, "Routing lookups in hardware at memory access speeds", 1998; the
 * layout DPDK's rte_lpm also uses).
 *
 * Structure
 *   tbl24   2^24 32-bit entries indexed by the top 24 address bits.
 *   tbl8    groups of 256 entries indexed by the low 8 bits, one group per /24
 *           that holds a prefix longer than /24.
 *   entry   0                 no prefix here: use the default route
 *           1..0x7fffffff     next hop + 1 (so "entry - 1" is the answer and
 *                             an empty table yields HV_FIB_MISS by wrap-around)
 *           0x80000000 | g    tbl24 only: look in tbl8 group g
 *   dflt    the /0 route, kept out of the table so a VRF holding only a
 *           default route and a few host routes touches a few pages, not
 *           64 MiB (tables are reserved with mmap and committed on touch).
 *   shadows writer-only: depth24[] / depth8[] hold the length of the rule
 *           each entry was expanded from (for an extended tbl24 entry, the
 *           length of the <= /24 rule its group inherited), and a rule store
 *           (open-addressed hash of prefix/len -> nh, plus a per-length count)
 *           so a delete can restore the next-shorter covering prefix.
 *   A lookup is one load, or two for addresses under a > /24 prefix.
 *
 * Concurrency contract
 *   One writer thread (create/add/del/add_bulk/reclaim/destroy, get, stats);
 *   any number of readers (lookup, lookup_batch) with no locks and no stores.
 *   Every table entry is one aligned 32-bit atomic, so a reader sees the old
 *   or the new value of each entry, never a mix. A new tbl8 group is filled
 *   completely before the tbl24 entry pointing at it is published with a
 *   release store (readers load tbl24 with acquire). A group unlinked by a
 *   delete is retired, not reused, until the owner calls hv_fib4_reclaim after
 *   a grace period (see fib4.h). A route change that spans many entries (e.g.
 *   adding a /8) is not atomic as a whole: during the update some addresses
 *   already use the new route and others still the old one — each of them a
 *   route that was valid at some instant, as in any RCU routing table.
 *
 * Not supported
 *   Multiple next hops per prefix (ECMP is a next-hop index the routing layer
 *   expands); next-hop values above HV_FIB_NH_MAX; growing the tbl8 pool past
 *   the limit given at create; more than one concurrent writer.
 *
 * Performance trade-off
 *   Lookup speed over memory: tbl24 is 64 MiB of address space per VRF,
 *   committed in 2 MiB transparent huge pages where prefixes of length
 *   1..24 are expanded (a full BGP table commits all of it; a VRF with a
 *   default route and a few host routes commits a few MiB), plus a 16 MiB
 *   writer shadow in 4 KiB pages. Each group costs 1 KiB + 256 B of shadow.
 *   Adding a short prefix writes 2^(24-len) entries (64 Ki for a /8), which
 *   is why /0 lives outside the table. Against rte_lpm (bench_fib, 1M
 *   BGP-like routes, one core): the same lookup structure at 0.9-1.07x its
 *   batched lookup rate (166 vs 156 M/s in the last run; huge pages and
 *   prefetching make up for the default-route select), 31-bit next hops
 *   instead of 24, an O(1) hashed rule store (rte_lpm keeps rules in arrays
 *   it shifts: its 1M load took 50-54 s, ours 0.14-0.4 s), and 1.4x the
 *   memory (138 vs 98 B/route) for the writer shadows and the rule hash;
 *   the lookup side alone is 90 B/route.
 */
#include "fib4.h"

#include "fib_common.h"
#include "mix64.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define EXT 0x80000000u
#define TBL24_N (1u << 24)

struct hv_fib4 {
  _Atomic uint32_t *tbl24;
  _Atomic uint32_t dflt;
  uint8_t *depth24;
  struct hv_fib_pool pool; /* tbl8 groups and their depth shadow */
  /* rule store: linear probing, key = (prefix << 8 | len) + 1, 0 = empty */
  uint64_t *rkey;
  uint32_t *rnh;
  size_t rcap; /* power of two */
  size_t rcount;
  uint32_t len_count[33];
};

static inline uint32_t mask_of(uint8_t len) {
  return len ? ~0u << (32 - len) : 0;
}

/* ---- rule store ------------------------------------------------------- */

static inline uint64_t rule_key(uint32_t prefix, uint8_t len) {
  return (((uint64_t)prefix << 8) | len) + 1;
}

static inline size_t rule_slot(uint64_t key, size_t cap) {
  return (size_t)hv_mix64(key) & (cap - 1);
}

/* Slot holding key, or the empty slot where it would go. */
static size_t rules_probe(const hv_fib4 *fib, uint64_t key) {
  size_t s = rule_slot(key, fib->rcap);
  while (fib->rkey[s] && fib->rkey[s] != key) s = (s + 1) & (fib->rcap - 1);
  return s;
}

static size_t rules_find(const hv_fib4 *fib, uint64_t key) {
  size_t s = rules_probe(fib, key);
  return fib->rkey[s] ? s : SIZE_MAX;
}

/* Rehash into `cap` slots by re-inserting every rule through rules_probe. */
static int rules_resize(hv_fib4 *fib, size_t cap) {
  uint64_t *k = calloc(cap, sizeof *k);
  uint32_t *v = malloc(cap * sizeof *v);
  if (!k || !v) {
    free(k);
    free(v);
    return -ENOMEM;
  }
  uint64_t *ok = fib->rkey;
  uint32_t *ov = fib->rnh;
  size_t ocap = fib->rcap;
  fib->rkey = k, fib->rnh = v, fib->rcap = cap;
  for (size_t i = 0; i < ocap; i++) {
    if (!ok[i]) continue;
    size_t j = rules_probe(fib, ok[i]);
    k[j] = ok[i], v[j] = ov[i];
  }
  free(ok);
  free(ov);
  return 0;
}

/* Room for `more` new rules at load factor <= 3/4. */
static int rules_reserve(hv_fib4 *fib, size_t more) {
  size_t cap = hv_fib_rules_cap(fib->rcount, more, fib->rcap);
  return cap == fib->rcap ? 0 : rules_resize(fib, cap);
}

/* Insert or update; *was_new tells which. Caller reserved room. */
static void rules_put(hv_fib4 *fib, uint64_t key, uint32_t nh, int *was_new) {
  size_t s = rules_probe(fib, key);
  *was_new = !fib->rkey[s];
  if (*was_new) {
    fib->rkey[s] = key;
    fib->rcount++;
    fib->len_count[(key - 1) & 0xff]++;
  }
  fib->rnh[s] = nh;
}

/* Home slot of the rule in slot j, SIZE_MAX for an empty slot. */
static size_t rule_home(const void *f, size_t j) {
  const hv_fib4 *fib = f;
  return fib->rkey[j] ? rule_slot(fib->rkey[j], fib->rcap) : SIZE_MAX;
}

static void rule_move(void *f, size_t to, size_t from) {
  hv_fib4 *fib = f;
  fib->rkey[to] = fib->rkey[from];
  fib->rnh[to] = fib->rnh[from];
}

/* Backward-shift deletion (fib_common.h). */
static void rules_remove_slot(hv_fib4 *fib, size_t s) {
  fib->len_count[(fib->rkey[s] - 1) & 0xff]--;
  fib->rcount--;
  fib->rkey[hv_fib_rules_shift(fib, s, fib->rcap, rule_home, rule_move)] = 0;
}

/* Longest rule strictly shorter than len covering prefix: encoded entry
 * value (nh + 1, or 0 for none) and its length. */
static int rule_at(const void *f, const void *prefix, unsigned len, uint32_t *nh) {
  const hv_fib4 *fib = f;
  size_t s = rules_find(fib, rule_key(*(const uint32_t *)prefix & mask_of((uint8_t)len), (uint8_t)len));
  if (s == SIZE_MAX) return 0;
  *nh = fib->rnh[s];
  return 1;
}

static void rules_cover(const hv_fib4 *fib, uint32_t prefix, uint8_t len, uint32_t *val,
                        uint8_t *clen) {
  hv_fib_rules_cover(fib, &prefix, len, fib->len_count, rule_at, val, clen);
}

/* Remove rule prefix/len (-ENOENT if absent) and find what covers it now. */
static int rules_remove(hv_fib4 *fib, uint32_t prefix, uint8_t len, uint32_t *cval, uint8_t *clen) {
  size_t s = rules_find(fib, rule_key(prefix, len));
  if (s == SIZE_MAX) return -ENOENT;
  rules_remove_slot(fib, s);
  rules_cover(fib, prefix, len, cval, clen);
  return 0;
}

/* ---- public ----------------------------------------------------------- */

hv_fib4 *hv_fib4_create(uint32_t max_tbl8) {
  max_tbl8 = hv_fib_group_limit(max_tbl8, HV_FIB4_DEFAULT_TBL8);
  hv_fib4 *fib = max_tbl8 ? calloc(1, sizeof *fib) : NULL;
  if (!fib) return NULL;
  /* tbl24 asks for transparent huge pages: a full tbl24 spans 32 of them
   * instead of 16 Ki 4 KiB pages, which takes the TLB miss out of most
   * lookups (measured: 2.5x the lookup rate at 1M routes). */
  fib->tbl24 = hv_fib_vm_reserve(TBL24_N * sizeof(uint32_t), 1);
  fib->depth24 = hv_fib_vm_reserve(TBL24_N, 0);
  fib->rcap = 1024;
  fib->rkey = calloc(fib->rcap, sizeof *fib->rkey);
  fib->rnh = malloc(fib->rcap * sizeof *fib->rnh);
  atomic_init(&fib->dflt, 0);
  if (hv_fib_pool_init(&fib->pool, max_tbl8) || !fib->tbl24 || !fib->depth24 || !fib->rkey || !fib->rnh) {
    hv_fib4_destroy(fib);
    return NULL;
  }
  return fib;
}

void hv_fib4_destroy(hv_fib4 *fib) {
  if (!fib) return;
  hv_fib_vm_release((void *)fib->tbl24, TBL24_N * sizeof(uint32_t));
  hv_fib_vm_release(fib->depth24, TBL24_N);
  hv_fib_pool_fini(&fib->pool);
  free(fib->rkey);
  free(fib->rnh);
  free(fib);
}

/* Expand rule (val, len) over tbl24 entries [start, start + count), and into
 * the groups below them, wherever no longer rule already sits. */
static void expand24(hv_fib4 *fib, uint32_t start, uint32_t count, uint32_t val, uint8_t len) {
  for (uint32_t i = start; i < start + count; i++) {
    if (fib->depth24[i] > len) continue;
    fib->depth24[i] = len;
    uint32_t e = hv_fib_wload(&fib->tbl24[i]);
    if (!(e & EXT)) {
      hv_fib_store(&fib->tbl24[i], val);
      continue;
    }
    size_t g = (size_t)(e & ~EXT) << 8;
    for (size_t j = g; j < g + 256; j++) {
      if (fib->pool.depth[j] > len) continue;
      fib->pool.depth[j] = len;
      hv_fib_store(&fib->pool.tbl[j], val);
    }
  }
}

int hv_fib4_add(hv_fib4 *fib, uint32_t prefix, uint8_t len, uint32_t nh) {
  if (len > 32 || nh > HV_FIB_NH_MAX) return -EINVAL;
  prefix &= mask_of(len);
  uint32_t i24 = prefix >> 8;
  if (len > 24 && !(hv_fib_wload(&fib->tbl24[i24]) & EXT)) {
    if (!hv_fib_pool_can_take(&fib->pool, 1)) return -ENOSPC;
    if (hv_fib_pool_reserve(&fib->pool, 1)) return -ENOMEM;
  }
  if (rules_reserve(fib, 1)) return -ENOMEM;
  int was_new;
  rules_put(fib, rule_key(prefix, len), nh, &was_new);
  uint32_t val = nh + 1;
  if (len == 0) {
    hv_fib_store(&fib->dflt, val);
    return 0;
  }
  if (len <= 24) {
    expand24(fib, i24, 1u << (24 - len), val, len);
    return 0;
  }
  uint32_t e = hv_fib_wload(&fib->tbl24[i24]);
  size_t g;
  if (e & EXT) {
    g = (size_t)(e & ~EXT) << 8;
  } else {
    uint32_t gi = hv_fib_pool_take(&fib->pool);
    g = (size_t)gi << 8;
    for (size_t j = g; j < g + 256; j++) {
      atomic_store_explicit(&fib->pool.tbl[j], e, memory_order_relaxed);
      fib->pool.depth[j] = fib->depth24[i24];
    }
  }
  size_t lo = g + (prefix & 0xff), hi = lo + (1u << (32 - len));
  for (size_t j = lo; j < hi; j++) {
    if (fib->pool.depth[j] > len) continue;
    fib->pool.depth[j] = len;
    hv_fib_store(&fib->pool.tbl[j], val);
  }
  if (!(e & EXT)) hv_fib_store(&fib->tbl24[i24], EXT | (uint32_t)(g >> 8)); /* publish */
  return 0;
}

/* hv_fib4_add for hv_fib_add_bulk */
static int add_route(void *fib, const void *route) {
  const struct hv_fib4_route *r = route;
  return hv_fib4_add(fib, r->prefix, r->len, r->nh);
}

int hv_fib4_del(hv_fib4 *fib, uint32_t prefix, uint8_t len) {
  if (len > 32) return -EINVAL;
  prefix &= mask_of(len);
  uint32_t cval;
  uint8_t clen;
  if (rules_remove(fib, prefix, len, &cval, &clen)) return -ENOENT;
  if (hv_fib_del_default(&fib->dflt, len)) return 0;
  uint32_t i24 = prefix >> 8;
  if (len <= 24) {
    /* Entries still expanded from this rule have depth == len; entries with
     * a longer rule keep theirs. In a group, inherited entries carry the
     * same depth as the tbl24 entry above them. */
    for (uint32_t i = i24; i < i24 + (1u << (24 - len)); i++) {
      if (fib->depth24[i] != len) continue;
      fib->depth24[i] = clen;
      uint32_t e = hv_fib_wload(&fib->tbl24[i]);
      if (!(e & EXT)) {
        hv_fib_store(&fib->tbl24[i], cval);
        continue;
      }
      size_t g = (size_t)(e & ~EXT) << 8;
      for (size_t j = g; j < g + 256; j++) {
        if (fib->pool.depth[j] != len) continue;
        fib->pool.depth[j] = clen;
        hv_fib_store(&fib->pool.tbl[j], cval);
      }
    }
    return 0;
  }
  uint32_t e = hv_fib_wload(&fib->tbl24[i24]);
  size_t g = (size_t)(e & ~EXT) << 8;
  size_t lo = g + (prefix & 0xff), hi = lo + (1u << (32 - len));
  for (size_t j = lo; j < hi; j++) {
    if (fib->pool.depth[j] != len) continue;
    fib->pool.depth[j] = clen;
    hv_fib_store(&fib->pool.tbl[j], cval);
  }
  /* Collapse the group once nothing longer than /24 is left in it: every
   * entry then equals the inherited value. */
  for (size_t j = g; j < g + 256; j++)
    if (fib->pool.depth[j] > 24) return 0;
  hv_fib_store(&fib->tbl24[i24], hv_fib_wload(&fib->pool.tbl[g]));
  hv_fib_pool_retire(&fib->pool, (uint32_t)(g >> 8));
  return 0;
}

size_t hv_fib4_add_bulk(hv_fib4 *fib, const struct hv_fib4_route *routes, size_t n, int *err) {
  return hv_fib_add_bulk(fib, rules_reserve(fib, n), add_route, routes, sizeof *routes, n, err);
}

int hv_fib4_get(const hv_fib4 *fib, uint32_t prefix, uint8_t len, uint32_t *nh) {
  if (len > 32) return -EINVAL;
  size_t s = rules_find(fib, rule_key(prefix & mask_of(len), len));
  if (s == SIZE_MAX) return -ENOENT;
  if (nh) *nh = fib->rnh[s];
  return 0;
}

int hv_fib4_walk(const hv_fib4 *fib, hv_fib4_walk_fn fn, void *ctx) {
  for (size_t s = 0; s < fib->rcap; s++) {
    if (!fib->rkey[s]) continue;
    uint64_t k = fib->rkey[s] - 1;
    int rc = fn(ctx, (uint32_t)(k >> 8), (uint8_t)(k & 0xff), fib->rnh[s]);
    if (rc) return rc;
  }
  return 0;
}

uint32_t hv_fib4_lookup(const hv_fib4 *fib, uint32_t addr) {
  uint32_t e = atomic_load_explicit(&fib->tbl24[addr >> 8], memory_order_acquire);
  if (e & EXT)
    e = atomic_load_explicit(&fib->pool.tbl[((size_t)(e & ~EXT) << 8) | (addr & 0xff)],
                             memory_order_relaxed);
  if (!e) e = atomic_load_explicit(&fib->dflt, memory_order_relaxed);
  return e - 1;
}

void hv_fib4_lookup_batch(const hv_fib4 *fib, const uint32_t *addrs, uint32_t *nhs, size_t n) {
  _Atomic uint32_t *tbl24 = fib->tbl24, *tbl8 = fib->pool.tbl;
  uint32_t dflt = atomic_load_explicit(&fib->dflt, memory_order_relaxed);
  /* Prefetch the tbl24 entry PF addresses ahead so the cache misses of a
   * batch overlap. Measured at 1M routes: PF 32 beats 16 by ~10% and no
   * prefetch by ~20%; a two-pass variant (all tbl24 loads, then all tbl8
   * loads) was far slower. */
  enum { PF = 32 };
  for (size_t k = 0; k < n && k < PF; k++) __builtin_prefetch(&tbl24[addrs[k] >> 8]);
  for (size_t k = 0; k < n; k++) {
    if (k + PF < n) __builtin_prefetch(&tbl24[addrs[k + PF] >> 8]);
    uint32_t a = addrs[k];
    uint32_t v = atomic_load_explicit(&tbl24[a >> 8], memory_order_acquire);
    if (__builtin_expect(v & EXT, 0))
      v = atomic_load_explicit(&tbl8[((size_t)(v & ~EXT) << 8) | (a & 0xff)], memory_order_relaxed);
    nhs[k] = (v ? v : dflt) - 1;
  }
}

void hv_fib4_reclaim(hv_fib4 *fib) {
  hv_fib_pool_reclaim(&fib->pool);
}

void hv_fib4_stats(const hv_fib4 *fib, struct hv_fib4_stats *st) {
  memset(st, 0, sizeof *st);
  st->routes = fib->rcount;
  hv_fib_pool_counts(&fib->pool, &st->tbl8_used, &st->tbl8_retired, &st->tbl8_max);
  hv_fib_bytes(&fib->pool, TBL24_N, fib->rcap * (sizeof(uint64_t) + sizeof(uint32_t)), &st->bytes_lookup,
               &st->bytes_total);
}
