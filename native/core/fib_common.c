/* fib_common — see fib_common.h. */
#include "fib_common.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

void *hv_fib_vm_reserve(size_t bytes, int huge) {
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) return NULL;
  if (huge) madvise(p, bytes, MADV_HUGEPAGE); /* advisory: fine if unsupported */
  return p;
}

void hv_fib_vm_release(void *p, size_t bytes) {
  if (p) munmap(p, bytes);
}

/* Groups are handed out from the bottom up, so the group area fills densely
 * and is worth huge pages; the depth shadow is writer-only. */
int hv_fib_pool_init(struct hv_fib_pool *p, uint32_t max) {
  p->max = max;
  p->tbl = hv_fib_vm_reserve((size_t)max * HV_FIB_GROUP * sizeof(uint32_t), 1);
  p->depth = hv_fib_vm_reserve((size_t)max * HV_FIB_GROUP, 0);
  return p->tbl && p->depth ? 0 : -ENOMEM;
}

void hv_fib_pool_fini(struct hv_fib_pool *p) {
  hv_fib_vm_release((void *)p->tbl, (size_t)p->max * HV_FIB_GROUP * sizeof(uint32_t));
  hv_fib_vm_release(p->depth, (size_t)p->max * HV_FIB_GROUP);
  free(p->free);
  free(p->retired);
}

/* Room in the free/retired stacks for every group up to hwm + need: they never
 * hold more than that, so a delete (which retires) needs no allocation. */
int hv_fib_pool_reserve(struct hv_fib_pool *p, uint32_t need) {
  uint32_t hwm = p->hwm + need;
  if (hwm > p->max) hwm = p->max; /* groups past hwm come from the free stack */
  if (hwm <= p->stack_cap) return 0;
  uint32_t cap = p->stack_cap ? p->stack_cap : 64;
  while (cap < hwm) cap = cap > p->max / 2 ? p->max : cap * 2;
  uint32_t *f = realloc(p->free, (size_t)cap * sizeof *f);
  if (!f) return -ENOMEM;
  p->free = f;
  uint32_t *r = realloc(p->retired, (size_t)cap * sizeof *r);
  if (!r) return -ENOMEM;
  p->retired = r;
  p->stack_cap = cap;
  return 0;
}

void hv_fib_pool_reclaim(struct hv_fib_pool *p) {
  while (p->nretired) p->free[p->nfree++] = p->retired[--p->nretired];
}

void hv_fib_pool_counts(const struct hv_fib_pool *p, size_t *used, size_t *retired, size_t *max) {
  *used = p->used;
  *retired = p->nretired;
  *max = p->max;
}

/* Groups in use or retired still occupy memory: count the high-water mark,
 * since those pages stay committed. */
void hv_fib_bytes(const struct hv_fib_pool *p, size_t top_n, size_t rules, size_t *lookup,
                  size_t *total) {
  *lookup = top_n * sizeof(uint32_t) + (size_t)p->hwm * HV_FIB_GROUP * sizeof(uint32_t);
  *total = *lookup + top_n + (size_t)p->hwm * HV_FIB_GROUP + rules +
           (size_t)p->stack_cap * 2 * sizeof(uint32_t);
}

size_t hv_fib_rules_cap(size_t count, size_t more, size_t cap) {
  while ((count + more) * 4 > cap * 3) cap *= 2;
  return cap;
}

size_t hv_fib_rules_shift(void *fib, size_t s, size_t cap, size_t (*home)(const void *fib, size_t j),
                          void (*move)(void *fib, size_t to, size_t from)) {
  size_t mask = cap - 1, hole = s;
  for (size_t j = (s + 1) & mask;; j = (j + 1) & mask) {
    size_t h = home(fib, j);
    if (h == SIZE_MAX) break;
    /* move j into hole unless its home lies cyclically in (hole, j] */
    if (((j - h) & mask) >= ((j - hole) & mask)) {
      move(fib, hole, j);
      hole = j;
    }
  }
  return hole;
}

void hv_fib_rules_cover(const void *fib, const void *prefix, unsigned len, const uint32_t *len_count,
                        int (*found)(const void *fib, const void *prefix, unsigned l, uint32_t *nh),
                        uint32_t *val, uint8_t *clen) {
  uint32_t nh;
  for (int l = (int)len - 1; l >= 1; l--) {
    if (len_count[l] && found(fib, prefix, (unsigned)l, &nh)) {
      *val = nh + 1;
      *clen = (uint8_t)l;
      return;
    }
  }
  *val = 0;
  *clen = 0;
}

size_t hv_fib_add_bulk(void *fib, int reserved, int (*add)(void *fib, const void *route),
                       const void *routes, size_t stride, size_t n, int *err) {
  if (err) *err = 0;
  /* One rule-store resize up front instead of log2(n) rehashes. Sorting the
   * input first (shortest first, address order) measured slower than the
   * random-order adds it saves work for, so the order is the caller's. */
  if (reserved) {
    if (err) *err = -ENOMEM;
    return 0;
  }
  size_t done = 0;
  for (; done < n; done++) {
    int rc = add(fib, (const char *)routes + done * stride);
    if (rc) {
      if (err) *err = rc;
      break;
    }
  }
  return done;
}
