/* fib6 — IPv6 longest-prefix-match table for one VRF (multibit trie,
 * 16-bit first stride, then 8-bit strides).
 *
 * See fib6.c for the structure, the concurrency contract and the trade-offs.
 * Same shape and rules as fib4: one writer (create/add/del/reclaim/destroy),
 * any number of lock-free readers (lookup/lookup_batch).
 *
 * Addresses and prefixes are 16 bytes in network order (as in struct
 * in6_addr / the packet). Next hops are opaque indexes in [0, HV_FIB_NH_MAX].
 */
#ifndef HV_FIB6_H
#define HV_FIB6_H

#include <stddef.h>
#include <stdint.h>

#ifndef HV_FIB_MISS
#define HV_FIB_MISS UINT32_MAX       /* lookup result when no prefix matches */
#define HV_FIB_NH_MAX 0x7ffffffeu   /* largest storable next-hop index */
#endif

#define HV_FIB6_DEFAULT_GROUPS (1u << 20) /* default group limit (1.25 GiB virtual) */

typedef struct hv_fib6 hv_fib6;

struct hv_fib6_route {
  uint8_t prefix[16]; /* network order; bits beyond len are ignored */
  uint8_t len;        /* 0..128 */
  uint32_t nh;        /* 0..HV_FIB_NH_MAX */
};

struct hv_fib6_stats {
  size_t routes;         /* rules in the rule store (incl. a default route) */
  size_t groups_used;    /* 256-entry groups linked in the trie */
  size_t groups_retired; /* unlinked, waiting for hv_fib6_reclaim */
  size_t groups_max;     /* group limit given at create */
  size_t bytes_lookup;   /* memory the lookup path can touch: root + groups */
  size_t bytes_total;    /* bytes_lookup + writer-side depth shadows + rule store */
};

/* max_groups: limit on 256-entry groups (each prefix longer than /16 needs
 * one group per 8 bits past /16 that it does not share with another prefix);
 * 0 selects HV_FIB6_DEFAULT_GROUPS. Reserved virtually, committed on touch. */
hv_fib6 *hv_fib6_create(uint32_t max_groups);
void hv_fib6_destroy(hv_fib6 *fib);

/* Insert or replace prefix/len -> nh: 0, -EINVAL, -ENOMEM or -ENOSPC (group
 * pool exhausted; retired groups come back after a grace period + reclaim). */
int hv_fib6_add(hv_fib6 *fib, const uint8_t prefix[16], uint8_t len, uint32_t nh);
/* Remove prefix/len; addresses it covered fall back to the next-shorter
 * covering prefix. 0, -ENOENT or -EINVAL. */
int hv_fib6_del(hv_fib6 *fib, const uint8_t prefix[16], uint8_t len);
/* Add n routes in order (a later duplicate replaces an earlier one), sizing
 * the rule store once. Returns the number added; stops at the first error,
 * stored in *err if err != NULL. */
size_t hv_fib6_add_bulk(hv_fib6 *fib, const struct hv_fib6_route *routes, size_t n, int *err);
/* The exact rule prefix/len, if present: 0 and *nh, else -ENOENT. Writer side. */
int hv_fib6_get(const hv_fib6 *fib, const uint8_t prefix[16], uint8_t len, uint32_t *nh);

/* Reader side: safe from any thread, concurrently with one writer. */
uint32_t hv_fib6_lookup(const hv_fib6 *fib, const uint8_t addr[16]);
void hv_fib6_lookup_batch(const hv_fib6 *fib, const uint8_t (*addrs)[16], uint32_t *nhs,
                          size_t n);

/* Grace periods: as hv_fib4_reclaim. Call after every reader has passed a
 * quiescent state since the last add/del; makes retired groups reusable. */
void hv_fib6_reclaim(hv_fib6 *fib);

void hv_fib6_stats(const hv_fib6 *fib, struct hv_fib6_stats *st);
/* Every rule, as hv_fib4_walk (prefix: 16 bytes, network order). */
typedef int (*hv_fib6_walk_fn)(void *ctx, const uint8_t prefix[16], uint8_t len, uint32_t nh);
int hv_fib6_walk(const hv_fib6 *fib, hv_fib6_walk_fn fn, void *ctx);

#endif
