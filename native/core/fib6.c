/* fib6 — IPv6 longest-prefix match for one VRF: a multibit trie with
 * controlled prefix expansion (Srinivasan & Varghese, "Fast address lookups
 * using controlled prefix expansion", 1999), strides 16, 8, 8, ... 8
 * (15 levels at most; rte_lpm6 uses the same scheme with a 24-bit root).
 *
 * Structure
 *   root    2^16 32-bit entries indexed by address bits 0..15 (256 KiB, so it
 *           stays cache-resident).
 *   groups  256 entries each, indexed by the next address byte; level k >= 1
 *           covers bits 8k+8 .. 8k+15, so a /48 is found on the 5th load
 *           (root + 4 groups) and a /128 on the 15th.
 *   entry   0                 no prefix here: use the default route
 *           1..0x7fffffff     next hop + 1 ("entry - 1" is the answer)
 *           0x80000000 | g    descend into group g
 *   dflt    the ::/0 route, kept out of the trie (as in fib4).
 *   shadows writer-only: a depth byte per entry (length of the rule it was
 *           expanded from; for a group pointer, the length of the rule the
 *           group inherited), and a rule store (open-addressed hash of
 *           prefix/len -> nh, plus a per-length count) so a delete can find
 *           the next-shorter covering prefix.
 *   Invariant: every linked group holds at least one entry of its own (a
 *   pointer, or a rule longer than the group's first bit); a delete that
 *   leaves a group with only inherited entries folds it back into its parent
 *   entry, bottom-up along the deleted prefix's path.
 *
 * Concurrency contract (the same as fib4)
 *   One writer, any number of lock-free readers. Entries are aligned 32-bit
 *   atomics; a new group is filled with its parent's value before the parent
 *   entry is switched to it with a release store (readers load every entry
 *   with acquire), so publishing a group never changes a lookup result by
 *   itself. Unlinked groups are retired until hv_fib6_reclaim is called after
 *   a grace period. A route change spanning many entries becomes visible
 *   entry by entry, each reader seeing an old or a new valid route.
 *
 * Not supported
 *   Multiple next hops per prefix (the routing layer's ECMP index), more than
 *   one writer, growing past the group limit given at create.
 *
 * Performance trade-off
 *   8-bit strides below a small root keep memory per route bounded (a /48
 *   under an already populated /40 costs nothing but its entry; a fresh /48
 *   in a fresh /32 costs 2-4 groups of 1 KiB + 256 B shadow) at the price of
 *   one dependent load per 8 bits past /16. The batched lookup walks up to
 *   32 addresses in lock-step so their cache misses overlap (2x a loop of
 *   single lookups). Against rte_lpm6 (bench_fib, 200k BGP-like routes, one
 *   core): 2.0-2.2x its batched lookup rate (23-26 vs 11-13 M/s), the same
 *   memory (1.7 KiB/route all in, 1.35 KiB of it on the lookup side; a
 *   16-bit root instead of 64 MiB for a 24-bit one, one more level for
 *   /48s), load 0.16-0.37 s vs 0.26 s (ours includes first-touch page
 *   faults of the group area; DPDK's heap is faulted in at EAL init).
 */
#include "fib6.h"

#include "fib_common.h"
#include "mix64.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define EXT 0x80000000u
#define ROOT_N (1u << 16)
#define LEVELS 15 /* root + 14 group levels */

struct hv_fib6 {
  _Atomic uint32_t *root;
  _Atomic uint32_t dflt;
  uint8_t *root_depth;
  struct hv_fib_pool pool; /* groups of every level and their depth shadow */
  /* rule store: linear probing; klen = len + 1, 0 = empty slot */
  uint64_t *khi, *klo;
  uint8_t *klen;
  uint32_t *rnh;
  size_t rcap;
  size_t rcount;
  uint32_t len_count[129];
};

/* Prefixes are handled as two host-order 64-bit halves. */
struct v6 {
  uint64_t hi, lo;
};

static struct v6 v6_load(const uint8_t b[16]) {
  struct v6 a = {0, 0};
  for (int i = 0; i < 8; i++) {
    a.hi = a.hi << 8 | b[i];
    a.lo = a.lo << 8 | b[8 + i];
  }
  return a;
}

static struct v6 v6_mask(struct v6 a, unsigned len) {
  if (len == 0) return (struct v6){0, 0};
  if (len <= 64) return (struct v6){a.hi & (~0ull << (64 - len)), 0};
  if (len < 128) a.lo &= ~0ull << (128 - len);
  return a;
}

/* bits [off, off + w) of a, w <= 16, off + w <= 128 */
static unsigned v6_bits(struct v6 a, unsigned off, unsigned w) {
  uint64_t word;
  unsigned shift;
  if (off >= 64) {
    word = a.lo;
    shift = 128 - off - w;
  } else {
    word = a.hi;
    shift = 64 - off - w; /* strides never straddle bit 64: 16 + 8k */
  }
  return (unsigned)(word >> shift) & ((1u << w) - 1);
}

/* ---- rule store ------------------------------------------------------- */

static inline size_t rule_slot(struct v6 p, unsigned len, size_t cap) {
  uint64_t k = p.hi ^ (p.lo * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)len << 56 | len);
  return (size_t)hv_mix64(k) & (cap - 1);
}

static int rules_alloc(size_t cap, uint64_t **hi, uint64_t **lo, uint8_t **len, uint32_t **nh) {
  *hi = malloc(cap * sizeof **hi);
  *lo = malloc(cap * sizeof **lo);
  *len = calloc(cap, 1);
  *nh = malloc(cap * sizeof **nh);
  if (*hi && *lo && *len && *nh) return 0;
  free(*hi);
  free(*lo);
  free(*len);
  free(*nh);
  return -ENOMEM;
}

static int rules_resize(hv_fib6 *fib, size_t cap) {
  uint64_t *hi, *lo;
  uint8_t *len;
  uint32_t *nh;
  if (rules_alloc(cap, &hi, &lo, &len, &nh)) return -ENOMEM;
  for (size_t i = 0; i < fib->rcap; i++) {
    if (!fib->klen[i]) continue;
    struct v6 p = {fib->khi[i], fib->klo[i]};
    size_t s = rule_slot(p, fib->klen[i] - 1u, cap);
    while (len[s]) s = (s + 1) & (cap - 1);
    hi[s] = p.hi;
    lo[s] = p.lo;
    len[s] = fib->klen[i];
    nh[s] = fib->rnh[i];
  }
  free(fib->khi);
  free(fib->klo);
  free(fib->klen);
  free(fib->rnh);
  fib->khi = hi;
  fib->klo = lo;
  fib->klen = len;
  fib->rnh = nh;
  fib->rcap = cap;
  return 0;
}

static int rules_reserve(hv_fib6 *fib, size_t more) {
  size_t cap = hv_fib_rules_cap(fib->rcount, more, fib->rcap);
  return cap == fib->rcap ? 0 : rules_resize(fib, cap);
}

/* Slot holding p/len, or the empty slot where it would go. */
static size_t rules_probe(const hv_fib6 *fib, struct v6 p, unsigned len) {
  size_t s = rule_slot(p, len, fib->rcap);
  while (fib->klen[s] &&
         !(fib->klen[s] == len + 1 && fib->khi[s] == p.hi && fib->klo[s] == p.lo))
    s = (s + 1) & (fib->rcap - 1);
  return s;
}

static void rules_put(hv_fib6 *fib, struct v6 p, unsigned len, uint32_t nh) {
  size_t s = rules_probe(fib, p, len);
  if (!fib->klen[s]) {
    fib->khi[s] = p.hi;
    fib->klo[s] = p.lo;
    fib->klen[s] = (uint8_t)(len + 1);
    fib->rcount++;
    fib->len_count[len]++;
  }
  fib->rnh[s] = nh;
}

/* Home slot of the rule in slot j, SIZE_MAX for an empty slot. */
static size_t rule_home(const void *f, size_t j) {
  const hv_fib6 *fib = f;
  if (!fib->klen[j]) return SIZE_MAX;
  return rule_slot((struct v6){fib->khi[j], fib->klo[j]}, fib->klen[j] - 1u, fib->rcap);
}

static void rule_move(void *f, size_t to, size_t from) {
  hv_fib6 *fib = f;
  fib->khi[to] = fib->khi[from];
  fib->klo[to] = fib->klo[from];
  fib->klen[to] = fib->klen[from];
  fib->rnh[to] = fib->rnh[from];
}

static void rules_remove_slot(hv_fib6 *fib, size_t s) {
  fib->len_count[fib->klen[s] - 1]--;
  fib->rcount--;
  fib->klen[hv_fib_rules_shift(fib, s, fib->rcap, rule_home, rule_move)] = 0;
}

static int rule_at(const void *f, const void *prefix, unsigned len, uint32_t *nh) {
  const hv_fib6 *fib = f;
  size_t s = rules_probe(fib, v6_mask(*(const struct v6 *)prefix, len), len);
  if (!fib->klen[s]) return 0;
  *nh = fib->rnh[s];
  return 1;
}

static void rules_cover(const hv_fib6 *fib, struct v6 p, unsigned len, uint32_t *val,
                        uint8_t *clen) {
  hv_fib_rules_cover(fib, &p, len, fib->len_count, rule_at, val, clen);
}

/* Remove rule p/len (-ENOENT if absent) and find what covers it now. */
static int rules_remove(hv_fib6 *fib, struct v6 p, unsigned len, uint32_t *cval, uint8_t *clen) {
  size_t s = rules_probe(fib, p, len);
  if (!fib->klen[s]) return -ENOENT;
  rules_remove_slot(fib, s);
  rules_cover(fib, p, len, cval, clen);
  return 0;
}

/* ---- trie ------------------------------------------------------------- */

static inline _Atomic uint32_t *gtbl(const hv_fib6 *fib, uint32_t g) {
  return hv_fib_group(&fib->pool, g);
}

static inline uint8_t *gdep(const hv_fib6 *fib, uint32_t g) {
  return hv_fib_group_depth(&fib->pool, g);
}

/* Table at a level: width and first bit. */
static inline unsigned level_off(int level) {
  return level ? 8u + 8u * (unsigned)level : 0;
}
static inline unsigned level_width(int level) {
  return level ? 8u : 16u;
}

/* Set entries [start, start+count) whose rule is not longer than len to the
 * rule (val, len), descending into the groups below them. */
static void expand(hv_fib6 *fib, _Atomic uint32_t *tbl, uint8_t *dep, size_t start, size_t count,
                   uint32_t val, uint8_t len) {
  for (size_t i = start; i < start + count; i++) {
    if (dep[i] > len) continue;
    dep[i] = len;
    uint32_t e = hv_fib_wload(&tbl[i]);
    if (e & EXT) expand(fib, gtbl(fib, e & ~EXT), gdep(fib, e & ~EXT), 0, 256, val, len);
    else hv_fib_store(&tbl[i], val);
  }
}

/* Set entries in the range still expanded from rule length len to the cover
 * (val, clen), descending into groups that inherited it. */
static void shrink(hv_fib6 *fib, _Atomic uint32_t *tbl, uint8_t *dep, size_t start, size_t count,
                   uint8_t len, uint32_t val, uint8_t clen) {
  for (size_t i = start; i < start + count; i++) {
    if (dep[i] != len) continue;
    dep[i] = clen;
    uint32_t e = hv_fib_wload(&tbl[i]);
    if (e & EXT) shrink(fib, gtbl(fib, e & ~EXT), gdep(fib, e & ~EXT), 0, 256, len, val, clen);
    else hv_fib_store(&tbl[i], val);
  }
}

hv_fib6 *hv_fib6_create(uint32_t max_groups) {
  max_groups = hv_fib_group_limit(max_groups, HV_FIB6_DEFAULT_GROUPS);
  hv_fib6 *fib = max_groups ? calloc(1, sizeof *fib) : NULL;
  if (!fib) return NULL;
  atomic_init(&fib->dflt, 0);
  fib->root = hv_fib_vm_reserve(ROOT_N * sizeof(uint32_t), 0);
  fib->root_depth = hv_fib_vm_reserve(ROOT_N, 0);
  int prc = hv_fib_pool_init(&fib->pool, max_groups); /* after the root, as before the split */
  fib->rcap = 1024;
  int rc = rules_alloc(fib->rcap, &fib->khi, &fib->klo, &fib->klen, &fib->rnh);
  if (rc) fib->khi = NULL, fib->klo = NULL, fib->klen = NULL, fib->rnh = NULL;
  if (prc || rc || !fib->root || !fib->root_depth) {
    hv_fib6_destroy(fib);
    return NULL;
  }
  return fib;
}

void hv_fib6_destroy(hv_fib6 *fib) {
  if (!fib) return;
  free(fib->khi);
  free(fib->klo);
  free(fib->klen);
  free(fib->rnh);
  hv_fib_pool_fini(&fib->pool);
  hv_fib_vm_release((void *)fib->root, ROOT_N * sizeof(uint32_t));
  hv_fib_vm_release(fib->root_depth, ROOT_N);
  free(fib);
}

/* Level of the table in which a rule of this length is expanded. */
static int level_of(unsigned len) {
  return len <= 16 ? 0 : (int)((len - 9) / 8); /* 17..24 -> 1, 25..32 -> 2, ... */
}

int hv_fib6_add(hv_fib6 *fib, const uint8_t prefix[16], uint8_t len, uint32_t nh) {
  if (len > 128 || nh > HV_FIB_NH_MAX) return -EINVAL;
  struct v6 p = v6_mask(v6_load(prefix), len);
  uint32_t val = nh + 1;
  int target = level_of(len);
  /* Count the groups this add must create before touching anything. */
  if (len > 0) {
    _Atomic uint32_t *tbl = fib->root;
    uint32_t need = 0;
    for (int lv = 0; lv < target; lv++) {
      uint32_t e = hv_fib_wload(&tbl[v6_bits(p, level_off(lv), level_width(lv))]);
      if (!(e & EXT)) {
        need = (uint32_t)(target - lv);
        break;
      }
      tbl = gtbl(fib, e & ~EXT);
    }
    if (!hv_fib_pool_can_take(&fib->pool, need)) return -ENOSPC;
    if (hv_fib_pool_reserve(&fib->pool, need)) return -ENOMEM;
  }
  if (rules_reserve(fib, 1)) return -ENOMEM;
  rules_put(fib, p, len, nh);
  if (len == 0) {
    hv_fib_store(&fib->dflt, val);
    return 0;
  }
  _Atomic uint32_t *tbl = fib->root;
  uint8_t *dep = fib->root_depth;
  for (int lv = 0;; lv++) {
    unsigned off = level_off(lv), w = level_width(lv);
    if (lv == target) {
      expand(fib, tbl, dep, v6_bits(p, off, w), (size_t)1 << (off + w - len), val, len);
      return 0;
    }
    unsigned i = v6_bits(p, off, w);
    uint32_t e = hv_fib_wload(&tbl[i]);
    uint32_t g;
    if (e & EXT) {
      g = e & ~EXT;
    } else {
      g = hv_fib_pool_take(&fib->pool);
      _Atomic uint32_t *gt = gtbl(fib, g);
      for (int j = 0; j < 256; j++) atomic_store_explicit(&gt[j], e, memory_order_relaxed);
      memset(gdep(fib, g), dep[i], 256);
      hv_fib_store(&tbl[i], EXT | g); /* same answers as before, so publish at once */
    }
    tbl = gtbl(fib, g);
    dep = gdep(fib, g);
  }
}

/* hv_fib6_add for hv_fib_add_bulk */
static int add_route(void *fib, const void *route) {
  const struct hv_fib6_route *r = route;
  return hv_fib6_add(fib, r->prefix, r->len, r->nh);
}

int hv_fib6_del(hv_fib6 *fib, const uint8_t prefix[16], uint8_t len) {
  if (len > 128) return -EINVAL;
  struct v6 p = v6_mask(v6_load(prefix), len);
  uint32_t cval;
  uint8_t clen;
  if (rules_remove(fib, p, len, &cval, &clen)) return -ENOENT;
  if (hv_fib_del_default(&fib->dflt, len)) return 0;
  int target = level_of(len);
  /* path[lv]: the table at level lv and the entry index taken in it */
  _Atomic uint32_t *ptbl[LEVELS];
  unsigned pidx[LEVELS];
  uint32_t pgrp[LEVELS];
  _Atomic uint32_t *tbl = fib->root;
  uint8_t *dep = fib->root_depth;
  for (int lv = 0;; lv++) {
    unsigned off = level_off(lv), w = level_width(lv);
    unsigned i = v6_bits(p, off, w);
    if (lv == target) {
      shrink(fib, tbl, dep, i, (size_t)1 << (off + w - len), len, cval, clen);
      break;
    }
    ptbl[lv] = tbl;
    pidx[lv] = i;
    uint32_t g = hv_fib_wload(&tbl[i]) & ~EXT; /* the rule existed, so the path does */
    pgrp[lv + 1] = g;
    tbl = gtbl(fib, g);
    dep = gdep(fib, g);
  }
  /* Fold groups left with only inherited entries, deepest first. */
  for (int lv = target; lv >= 1; lv--) {
    uint32_t g = pgrp[lv];
    _Atomic uint32_t *gt = gtbl(fib, g);
    const uint8_t *gd = gdep(fib, g);
    unsigned off = level_off(lv);
    for (int j = 0; j < 256; j++)
      if (gd[j] > off || (hv_fib_wload(&gt[j]) & EXT)) return 0;
    hv_fib_store(&ptbl[lv - 1][pidx[lv - 1]], hv_fib_wload(&gt[0]));
    hv_fib_pool_retire(&fib->pool, g);
  }
  return 0;
}

size_t hv_fib6_add_bulk(hv_fib6 *fib, const struct hv_fib6_route *routes, size_t n, int *err) {
  return hv_fib_add_bulk(fib, rules_reserve(fib, n), add_route, routes, sizeof *routes, n, err);
}

int hv_fib6_get(const hv_fib6 *fib, const uint8_t prefix[16], uint8_t len, uint32_t *nh) {
  if (len > 128) return -EINVAL;
  size_t s = rules_probe(fib, v6_mask(v6_load(prefix), len), len);
  if (!fib->klen[s]) return -ENOENT;
  if (nh) *nh = fib->rnh[s];
  return 0;
}

int hv_fib6_walk(const hv_fib6 *fib, hv_fib6_walk_fn fn, void *ctx) {
  for (size_t s = 0; s < fib->rcap; s++) {
    if (!fib->klen[s]) continue;
    uint8_t p[16];
    for (int i = 0; i < 8; i++) {
      p[i] = (uint8_t)(fib->khi[s] >> (56 - 8 * i));
      p[8 + i] = (uint8_t)(fib->klo[s] >> (56 - 8 * i));
    }
    int rc = fn(ctx, p, (uint8_t)(fib->klen[s] - 1), fib->rnh[s]);
    if (rc) return rc;
  }
  return 0;
}

void hv_fib6_reclaim(hv_fib6 *fib) {
  hv_fib_pool_reclaim(&fib->pool);
}

uint32_t hv_fib6_lookup(const hv_fib6 *fib, const uint8_t addr[16]) {
  uint32_t e = atomic_load_explicit(&fib->root[(unsigned)addr[0] << 8 | addr[1]],
                                    memory_order_acquire);
  for (unsigned b = 2; e & EXT; b++)
    e = atomic_load_explicit(&fib->pool.tbl[((size_t)(e & ~EXT) << 8) | addr[b]], memory_order_acquire);
  if (!e) e = atomic_load_explicit(&fib->dflt, memory_order_relaxed);
  return e - 1;
}

void hv_fib6_lookup_batch(const hv_fib6 *fib, const uint8_t (*addrs)[16], uint32_t *nhs,
                          size_t n) {
  _Atomic uint32_t *root = fib->root, *grp = fib->pool.tbl;
  uint32_t dflt = atomic_load_explicit(&fib->dflt, memory_order_relaxed);
  enum { CHUNK = 32 };
  uint32_t e[CHUNK];
  for (size_t base = 0; base < n; base += CHUNK) {
    size_t m = n - base < CHUNK ? n - base : CHUNK;
    const uint8_t (*a)[16] = addrs + base;
    uint32_t ext = 0;
    for (size_t k = 0; k < m; k++) {
      e[k] = atomic_load_explicit(&root[(unsigned)a[k][0] << 8 | a[k][1]], memory_order_acquire);
      ext |= e[k];
    }
    /* one trie level per pass over the chunk: independent loads overlap */
    for (unsigned b = 2; ext & EXT; b++) {
      ext = 0;
      for (size_t k = 0; k < m; k++) {
        if (!(e[k] & EXT)) continue;
        e[k] = atomic_load_explicit(&grp[((size_t)(e[k] & ~EXT) << 8) | a[k][b]],
                                    memory_order_acquire);
        ext |= e[k];
      }
    }
    for (size_t k = 0; k < m; k++) nhs[base + k] = (e[k] ? e[k] : dflt) - 1;
  }
}

void hv_fib6_stats(const hv_fib6 *fib, struct hv_fib6_stats *st) {
  memset(st, 0, sizeof *st);
  st->routes = fib->rcount;
  hv_fib_pool_counts(&fib->pool, &st->groups_used, &st->groups_retired, &st->groups_max);
  hv_fib_bytes(&fib->pool, ROOT_N, fib->rcap * (2 * sizeof(uint64_t) + 1 + sizeof(uint32_t)),
               &st->bytes_lookup, &st->bytes_total);
}
