/* fib_common — the machinery fib4 (DIR-24-8) and fib6 (16-8-8... trie) share.
 *
 *   - Address space reserved with mmap and committed on touch (vm_reserve).
 *   - Table entries: aligned 32-bit atomics; the writer publishes with release
 *     stores and reads its own writes relaxed (hv_fib_store / hv_fib_wload).
 *   - The group pool: groups of 256 entries (plus a writer-only depth byte per
 *     entry) handed out from the bottom up, a free stack, and a retired stack
 *     of groups unlinked by a delete that a reader may still be walking.  They
 *     become reusable only on hv_fib_pool_reclaim, which the owner calls after
 *     a grace period (synchronize_rcu-then-free).  The stacks are sized ahead
 *     (hv_fib_pool_reserve) so a delete, which retires, never allocates.
 *   - Rule-store sizing (load factor <= 3/4) and the bulk-add loop.
 * Writer side only, except the table memory the readers load from.
 */
#ifndef HV_FIB_COMMON_H
#define HV_FIB_COMMON_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define HV_FIB_GROUP 256u /* entries per group */

/* The group limit given at create: 0 selects `dflt`; a limit a table entry
 * cannot address (> 2^31) yields 0, which create turns into failure. */
static inline uint32_t hv_fib_group_limit(uint32_t max, uint32_t dflt) {
  if (!max) max = dflt;
  return max > 0x80000000u ? 0 : max;
}

/* Zeroed address space, committed page by page on first touch; `huge` asks
 * for transparent huge pages (advisory). NULL on failure. */
void *hv_fib_vm_reserve(size_t bytes, int huge);
void hv_fib_vm_release(void *p, size_t bytes);

static inline void hv_fib_store(_Atomic uint32_t *e, uint32_t v) {
  atomic_store_explicit(e, v, memory_order_release);
}
static inline uint32_t hv_fib_wload(_Atomic uint32_t *e) {
  return atomic_load_explicit(e, memory_order_relaxed);
}

/* Deleting the /0 route, which lives outside the tables: clears it and
 * returns 1; any other length returns 0. */
static inline int hv_fib_del_default(_Atomic uint32_t *dflt, unsigned len) {
  if (len) return 0;
  hv_fib_store(dflt, 0);
  return 1;
}

struct hv_fib_pool {
  _Atomic uint32_t *tbl; /* max * 256 entries */
  uint8_t *depth;        /* writer-only: rule length per entry */
  uint32_t max;          /* group limit */
  uint32_t hwm;          /* groups handed out so far (pages touched) */
  uint32_t used;         /* groups currently linked */
  uint32_t *free;        /* stack of reusable groups */
  uint32_t nfree;
  uint32_t *retired; /* unlinked, waiting for a grace period */
  uint32_t nretired;
  uint32_t stack_cap; /* of free and retired; >= hwm */
};

/* Reserve the group area for `max` groups. 0, or -ENOMEM. */
int hv_fib_pool_init(struct hv_fib_pool *p, uint32_t max);
void hv_fib_pool_fini(struct hv_fib_pool *p);
/* Whether `need` more groups can be taken (from the free stack or fresh). */
static inline int hv_fib_pool_can_take(const struct hv_fib_pool *p, uint32_t need) {
  return need <= p->nfree + (p->max - p->hwm);
}
/* Room in the stacks for `need` more groups. 0, or -ENOMEM. */
int hv_fib_pool_reserve(struct hv_fib_pool *p, uint32_t need);
/* A group (caller checked can_take and reserved); counted as linked. */
static inline uint32_t hv_fib_pool_take(struct hv_fib_pool *p) {
  p->used++;
  return p->nfree ? p->free[--p->nfree] : p->hwm++;
}
/* Group g was unlinked: reusable only after the next reclaim. */
static inline void hv_fib_pool_retire(struct hv_fib_pool *p, uint32_t g) {
  p->retired[p->nretired++] = g;
  p->used--;
}
static inline _Atomic uint32_t *hv_fib_group(const struct hv_fib_pool *p, uint32_t g) {
  return p->tbl + ((size_t)g << 8);
}
static inline uint8_t *hv_fib_group_depth(const struct hv_fib_pool *p, uint32_t g) {
  return p->depth + ((size_t)g << 8);
}
/* After a grace period: every retired group becomes reusable. */
void hv_fib_pool_reclaim(struct hv_fib_pool *p);
/* Groups linked, retired (waiting for reclaim) and the limit, for stats. */
void hv_fib_pool_counts(const struct hv_fib_pool *p, size_t *used, size_t *retired, size_t *max);
/* Memory for stats: *lookup = what lookups touch (a top table of top_n 32-bit
 * entries and the groups); *total = that plus the writer side (the depth
 * shadows, the group stacks and `rules` bytes of rule store). */
void hv_fib_bytes(const struct hv_fib_pool *p, size_t top_n, size_t rules, size_t *lookup,
                  size_t *total);

/* Rule-store capacity (a power of two, from `cap`) for count + more rules at
 * load factor <= 3/4. */
size_t hv_fib_rules_cap(size_t count, size_t more, size_t cap);

/* Backward-shift deletion from a linear-probing table of `cap` slots (a power
 * of two), keeping probe chains intact without tombstones: slot s is being
 * emptied; later entries of its chain move back (move(fib, to, from)) unless
 * their home slot (home(fib, j), SIZE_MAX for an empty slot) forbids it.
 * Returns the slot left empty, for the caller to clear. */
size_t hv_fib_rules_shift(void *fib, size_t s, size_t cap, size_t (*home)(const void *fib, size_t j),
                          void (*move)(void *fib, size_t to, size_t from));

/* The longest rule strictly shorter than len covering prefix: found(fib,
 * prefix, l, &nh) for every length l < len that holds rules (len_count[l]),
 * longest first. *val = nh + 1 and *clen = l, or 0 and 0 when none covers. */
void hv_fib_rules_cover(const void *fib, const void *prefix, unsigned len, const uint32_t *len_count,
                        int (*found)(const void *fib, const void *prefix, unsigned l, uint32_t *nh),
                        uint32_t *val, uint8_t *clen);

/* Bulk add: `reserved` is the result of sizing the rule store once for all n
 * routes (-ENOMEM stops here); then add(fib, route i) in order, stopping at
 * the first error (stored in *err if err != NULL). Returns the number added. */
size_t hv_fib_add_bulk(void *fib, int reserved, int (*add)(void *fib, const void *route),
                       const void *routes, size_t stride, size_t n, int *err);

#endif
