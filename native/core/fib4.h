/* fib4 — IPv4 longest-prefix-match table for one VRF (DIR-24-8).
 *
 * See fib4.c for the structure, the concurrency contract and the trade-offs.
 * In short: one writer (the controller) calls create/add/del/reclaim/destroy;
 * any number of worker threads call lookup/lookup_batch concurrently, without
 * locks, and always see either the old or the new next hop of an entry.
 *
 * Addresses and prefixes are host-byte-order uint32_t (10.0.0.1 == 0x0a000001);
 * the parser converts with ntohl. A next hop is an opaque index in
 * [0, HV_FIB_NH_MAX] that the routing layer maps to port/neighbor/tunnel/ECMP.
 */
#ifndef HV_FIB4_H
#define HV_FIB4_H

#include <stddef.h>
#include <stdint.h>

#ifndef HV_FIB_MISS
#define HV_FIB_MISS UINT32_MAX       /* lookup result when no prefix matches */
#define HV_FIB_NH_MAX 0x7ffffffeu   /* largest storable next-hop index */
#endif

#define HV_FIB4_DEFAULT_TBL8 (1u << 16) /* default tbl8 group limit (64 MiB virtual) */

typedef struct hv_fib4 hv_fib4;

struct hv_fib4_route {
  uint32_t prefix; /* host order; bits beyond len are ignored */
  uint8_t len;     /* 0..32 */
  uint32_t nh;     /* 0..HV_FIB_NH_MAX */
};

struct hv_fib4_stats {
  size_t routes;        /* rules in the rule store (incl. a default route) */
  size_t tbl8_used;     /* tbl8 groups linked from tbl24 */
  size_t tbl8_retired;  /* groups unlinked, waiting for hv_fib4_reclaim */
  size_t tbl8_max;      /* group limit given at create */
  size_t bytes_lookup;  /* memory the lookup path can touch: tbl24 + used groups */
  size_t bytes_total;   /* bytes_lookup + writer-side depth shadows + rule store */
};

/* max_tbl8: limit on 256-entry groups (prefixes longer than /24 need one
 * group per distinct /24); 0 selects HV_FIB4_DEFAULT_TBL8. Memory is reserved
 * virtually and committed only as pages are touched. NULL on failure. */
hv_fib4 *hv_fib4_create(uint32_t max_tbl8);
void hv_fib4_destroy(hv_fib4 *fib);

/* Insert or replace prefix/len -> nh. 0, or -EINVAL (len > 32, nh too big),
 * -ENOMEM (rule store), -ENOSPC (no free tbl8 group; if hv_fib4_stats shows
 * retired groups, a grace period + hv_fib4_reclaim makes room). */
int hv_fib4_add(hv_fib4 *fib, uint32_t prefix, uint8_t len, uint32_t nh);
/* Remove prefix/len; addresses it covered fall back to the next-shorter
 * covering prefix. 0 or -ENOENT / -EINVAL. */
int hv_fib4_del(hv_fib4 *fib, uint32_t prefix, uint8_t len);
/* Add n routes in order (a later duplicate replaces an earlier one), sizing
 * the rule store once. Returns the number added; stops at the first error,
 * stored in *err if err != NULL. */
size_t hv_fib4_add_bulk(hv_fib4 *fib, const struct hv_fib4_route *routes, size_t n, int *err);
/* The exact rule prefix/len, if present: 0 and *nh, else -ENOENT. Writer side. */
int hv_fib4_get(const hv_fib4 *fib, uint32_t prefix, uint8_t len, uint32_t *nh);

/* Every rule, in no particular order: fn(ctx, prefix, len, nh) until it
 * returns non-zero (that value is returned; 0 when all were visited).
 * Writer side; fn must not change the table. */
typedef int (*hv_fib4_walk_fn)(void *ctx, uint32_t prefix, uint8_t len, uint32_t nh);
int hv_fib4_walk(const hv_fib4 *fib, hv_fib4_walk_fn fn, void *ctx);

/* Reader side: safe from any thread, concurrently with one writer. */
uint32_t hv_fib4_lookup(const hv_fib4 *fib, uint32_t addr);
void hv_fib4_lookup_batch(const hv_fib4 *fib, const uint32_t *addrs, uint32_t *nhs, size_t n);

/* Grace periods. Groups unlinked by add/del are retired, not reused, because a
 * reader may still be walking them. Call hv_fib4_reclaim after every reader
 * has passed a quiescent state (e.g. finished its current batch) since the
 * last add/del/add_bulk: it makes all retired groups reusable
 * (synchronize_rcu-then-free semantics). Never calling it is safe; the pool
 * just does not recycle. */
void hv_fib4_reclaim(hv_fib4 *fib);

void hv_fib4_stats(const hv_fib4 *fib, struct hv_fib4_stats *st);

#endif
