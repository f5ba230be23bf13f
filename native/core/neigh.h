/* Neighbor table (ARP and IPv6 ND) for all L3 ports: (port, family, IP) -> MAC
 * and a reachability state.  Fixed-size open addressing; each slot is guarded
 * by a sequence counter (seqlock): readers (workers) copy an entry and retry if
 * it changed under them, without locks; writers (a worker learning an answer,
 * the controller adding a permanent entry or flushing a port) serialize on one
 * spin flag, taken only when an entry changes, never per forwarded packet.
 * Slots keep their key once used (a flushed entry is state NONE), so probe
 * chains never break; capacity is HV_NEIGH_SLOTS. */
#ifndef HV_NEIGH_H
#define HV_NEIGH_H

#include "l3.h"

#define HV_NEIGH_SLOTS 16384
#define HV_NEIGH_REACHABLE_S 30 /* RFC 4861 REACHABLE_TIME */
#define HV_NEIGH_RETRANS_S 1    /* between requests */
#define HV_NEIGH_PROBES 3       /* MAX_MULTICAST_SOLICIT */
#define HV_NEIGH_FAILED_HOLD_S 5

struct hv_neigh_table;

struct hv_neigh_table *hv_neigh_create(void);
void hv_neigh_destroy(struct hv_neigh_table *t);

/* Copies the entry for (port, af, ip) into *out; returns 0 if none. */
int hv_neigh_lookup(const struct hv_neigh_table *t, uint16_t port, uint8_t af, const uint8_t *ip,
                    struct hv_neigh_entry *out);
/* An answer or a configured entry.  `create`: add it if absent (else only an
 * existing entry is refreshed, RFC 826's merge rule).  Returns 0, -1 if full. */
int hv_neigh_update(struct hv_neigh_table *t, uint16_t port, uint8_t af, const uint8_t *ip,
                    const uint8_t mac[6], uint8_t state, uint32_t now, int create);
/* The forwarding path found no usable entry (or a stale one): returns 1 if a
 * request should be sent now (and records it), 0 if one is already pending or
 * the neighbor recently failed. */
int hv_neigh_solicit(struct hv_neigh_table *t, uint16_t port, uint8_t af, const uint8_t *ip,
                     uint32_t now);
/* Marks entries of `port` (any if < 0) as NONE; permanent ones too if `all`. */
void hv_neigh_flush(struct hv_neigh_table *t, int port, int all);
/* Garbage collection: learned entries not confirmed for `idle` seconds (so not
 * in use: used ones are re-confirmed every reachable time) are removed.  Scans
 * `count` slots from a rotating cursor, so a call is bounded. */
#define HV_NEIGH_GC_S 300
void hv_neigh_age(struct hv_neigh_table *t, uint32_t now, uint32_t idle, uint32_t count);
typedef void (*hv_neigh_cb)(void *ctx, const struct hv_neigh_entry *e);
void hv_neigh_walk(const struct hv_neigh_table *t, hv_neigh_cb cb, void *ctx);

static inline int hv_neigh_usable(const struct hv_neigh_entry *e) {
  return e->state == HV_NEIGH_REACHABLE || e->state == HV_NEIGH_STALE || e->state == HV_NEIGH_PERMANENT;
}

#endif
