/* FDB: the MAC table of one bridge domain, keyed by (VLAN, MAC) -> port.
 *
 * Open addressing with linear probing over a power-of-two array of slots.
 * Concurrency contract:
 *  - lookups (workers, any number) take no lock: a slot's key and value are
 *    64-bit atomics; a reader loads key, value, key again and trusts the value
 *    only if both key loads match, so it sees the old or the new entry, never a
 *    torn one;
 *  - refreshing the age of a known entry is one relaxed store (no lock);
 *  - writers (a worker learning a new or moved MAC, the controller adding a
 *    static entry, ageing, flushing) serialize on a per-table spin flag.  It is
 *    taken only when a MAC is new or moves, never per packet in steady state.
 * A deleted slot becomes a tombstone, or empty again when the next slot is empty
 * (so probe chains do not grow without bound under churn).  The table never
 * grows: capacity is set at creation (load kept under 1/2); a MAC that finds no
 * slot is forwarded but not learned, and counted. */
#ifndef HV_FDB_H
#define HV_FDB_H

#include "hv.h"

enum hv_learn_result {
  HV_LEARN_REFRESHED = 0, /* known on this port: age refreshed */
  HV_LEARN_NEW = 1,
  HV_LEARN_MOVED = 2,
  HV_LEARN_STATIC = 3, /* a static entry owns this MAC: not overwritten */
  HV_LEARN_LIMIT = 4,  /* port MAC limit reached: not learned */
  HV_LEARN_FULL = 5,   /* no free slot */
};

struct hv_fdb;

struct hv_fdb_entry {
  uint16_t vlan;
  uint8_t mac[6];
  uint16_t port;
  uint8_t is_static;
  uint32_t seen;
};

struct hv_fdb *hv_fdb_create(uint32_t max_entries, HV_ATOMIC(uint32_t) *port_macs);
uint32_t hv_fdb_count(const struct hv_fdb *fdb);
/* Slots that are tombstones (for tests of slot reclamation). */
uint32_t hv_fdb_tombstones(const struct hv_fdb *fdb);
void hv_fdb_destroy(struct hv_fdb *fdb);

/* Port for (vlan, mac), or -1. */
int hv_fdb_lookup(const struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6]);

/* Learn `mac` on `port`.  *old_port receives the previous port on a move. */
enum hv_learn_result hv_fdb_learn(struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6],
                                  uint16_t port, uint32_t now, uint32_t port_limit,
                                  uint16_t *old_port);

/* Controller operations (take the writer flag). */
int hv_fdb_add_static(struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6], uint16_t port);
int hv_fdb_del(struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6]);

/* Removes entries matching the filter (port/vlan < 0: any); static ones only if
 * `with_static`.  Each removed entry is passed to `cb` (may be NULL).  Returns count. */
typedef void (*hv_fdb_cb)(void *ctx, const struct hv_fdb_entry *e);
uint32_t hv_fdb_flush(struct hv_fdb *fdb, int port, int vlan, int with_static, hv_fdb_cb cb,
                      void *ctx);
/* Removes learned entries not seen for `aging` seconds; `cb` gets each one. */
uint32_t hv_fdb_age(struct hv_fdb *fdb, uint32_t now, uint32_t aging, hv_fdb_cb cb, void *ctx);
/* One slice of an ageing pass, for a forwarding thread that must not stall:
 * scans up to *budget slots from where the previous slice stopped (removing
 * what hv_fdb_age would), takes what it scanned off *budget, and returns 1 when
 * it reached the end of the table (the next call starts a new pass).  One
 * thread at a time ages a table. */
int hv_fdb_age_step(struct hv_fdb *fdb, uint32_t now, uint32_t aging, uint32_t *budget, hv_fdb_cb cb,
                    void *ctx);
/* Calls `cb` for every entry (a consistent view of each entry, not of the table). */
void hv_fdb_walk(const struct hv_fdb *fdb, hv_fdb_cb cb, void *ctx);

#endif
