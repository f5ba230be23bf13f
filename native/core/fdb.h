/* FDB: the MAC table of one bridge domain, keyed by (VLAN, MAC) -> egress
 * handle (egress.h: a local port, a tunnel endpoint, a bond) and entry kind.
 *
 * Entry kinds, and what learning does when a frame from `mac` arrives on a
 * local port and finds an entry (IEEE 802.1Q §8.8; RFC 7432 §15 for remote):
 *  - learned: written by workers, aged, counted toward the port's MAC limit.
 *    Same port: age refreshed.  Another port: moved (HV_LEARN_MOVED, the old
 *    handle reported).
 *  - static: written by the controller, never aged, never overwritten by
 *    learning (HV_LEARN_STATIC; the frame is still forwarded).
 *  - remote: written by the controller for a MAC behind a tunnel endpoint
 *    (EVPN type-2), never aged.  A frame from it on a local port means the MAC
 *    has moved here: the entry becomes learned on this port (no MAC-limit check,
 *    as for any move) and HV_LEARN_MOVED reports the remote handle, so the
 *    controller can apply EVPN MAC mobility (sequence numbers) and withdraw or
 *    re-advertise.  Nothing is overwritten silently.
 * Only learned entries age; a flush removes static and remote entries only when
 * asked (`with_static`).
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

#include "egress.h"
#include "hv.h"

enum hv_fdb_kind { HV_FDB_LEARNED = 0, HV_FDB_STATIC = 1, HV_FDB_REMOTE = 2 };

enum hv_learn_result {
  HV_LEARN_REFRESHED = 0, /* known on this port: age refreshed */
  HV_LEARN_NEW = 1,
  HV_LEARN_MOVED = 2,      /* from another port, or from a remote entry (see above) */
  HV_LEARN_STATIC = 3, /* a static entry owns this MAC: not overwritten */
  HV_LEARN_LIMIT = 4,  /* port MAC limit reached: not learned */
  HV_LEARN_FULL = 5,   /* no free slot */
};

struct hv_fdb;

#define HV_FDB_NO_PORT 0xffff

struct hv_fdb_entry {
  uint16_t vlan;
  uint8_t mac[6];
  uint16_t port;     /* the egress's port id if it is a local port, else HV_FDB_NO_PORT */
  uint8_t is_static; /* kind != learned: the controller owns it (static or remote) */
  uint8_t kind;      /* enum hv_fdb_kind */
  hv_egress egress;
  uint32_t seen;
};

/* What a lookup finds. */
struct hv_fdb_hit {
  hv_egress egress;
  enum hv_fdb_kind kind;
};

struct hv_fdb *hv_fdb_create(uint32_t max_entries, HV_ATOMIC(uint32_t) *port_macs);
uint32_t hv_fdb_count(const struct hv_fdb *fdb);
/* Slots that are tombstones (for tests of slot reclamation). */
uint32_t hv_fdb_tombstones(const struct hv_fdb *fdb);
void hv_fdb_destroy(struct hv_fdb *fdb);

/* Entry for (vlan, mac): returns 1 and fills *hit, or 0 if unknown.  Lock-free. */
int hv_fdb_lookup(const struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6], struct hv_fdb_hit *hit);
/* Local port of (vlan, mac), or -1 if unknown or behind a tunnel/bond. */
int hv_fdb_port(const struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6]);

/* Learn `mac` on local `port`.  On HV_LEARN_MOVED *old receives the previous
 * egress handle (a port, or the remote entry's handle). */
enum hv_learn_result hv_fdb_learn(struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6],
                                  uint16_t port, uint32_t now, uint32_t port_limit, hv_egress *old);

/* Controller operations (take the writer flag).  hv_fdb_add writes a static or
 * remote entry (any other kind: -1), replacing whatever entry the MAC had;
 * -1 also when the table is full. */
int hv_fdb_add(struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6], hv_egress egress, enum hv_fdb_kind kind);
int hv_fdb_add_static(struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6], uint16_t port);
/* A MAC behind a tunnel endpoint (or any handle) learned from the control plane. */
int hv_fdb_add_remote(struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6], hv_egress egress);
int hv_fdb_del(struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6]);

/* Removes entries matching the filter (port/vlan < 0: any; a port matches only
 * entries whose egress is that local port); static and remote ones only if
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
