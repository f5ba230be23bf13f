#include "fdb.h"
#include "mix64.h"

#include <stdlib.h>
#include <string.h>

struct hv_fdb_slot {
  _Atomic uint64_t key; /* 0 empty, 1 tombstone, else 1<<63 | vlan<<48 | mac */
  _Atomic uint64_t val; /* 1<<63 valid | kind<<32 | egress handle */
  _Atomic uint32_t seen; /* seconds (core clock) of the last frame from this MAC */
  uint32_t pad;
};

struct hv_fdb {
  uint32_t mask;
  _Atomic uint32_t count;
  atomic_flag wlock;
  /* Learned MACs per port, shared by all bridge domains (the MAC limit is per port). */
  _Atomic uint32_t *port_macs;
  struct hv_fdb_slot *slots;
  uint32_t age_cursor; /* next slot of the ageing pass (the one ageing thread's) */
};

#define KEY_EMPTY 0ull
#define KEY_TOMB 1ull
#define KEY_LIVE (1ull << 63)
#define VAL_VALID (1ull << 63)
#define VAL_KIND_SHIFT 32

static inline uint64_t fdb_val(hv_egress egress, enum hv_fdb_kind kind) {
  return VAL_VALID | ((uint64_t)kind << VAL_KIND_SHIFT) | egress;
}
static inline enum hv_fdb_kind val_kind(uint64_t v) { return (enum hv_fdb_kind)((v >> VAL_KIND_SHIFT) & 3); }
static inline hv_egress val_egress(uint64_t v) { return (hv_egress)v; }
/* Learned entries count toward their port's MAC limit; they always name a port. */
static inline int val_learned(uint64_t v) { return val_kind(v) == HV_FDB_LEARNED; }
static inline uint16_t val_port(uint64_t v) { return (uint16_t)hv_egress_index(val_egress(v)); }

static inline uint64_t fdb_key(uint16_t vlan, const uint8_t m[6]) {
  return KEY_LIVE | ((uint64_t)(vlan & 0xfff) << 48) | ((uint64_t)m[0] << 40) |
         ((uint64_t)m[1] << 32) | ((uint64_t)m[2] << 24) | ((uint64_t)m[3] << 16) |
         ((uint64_t)m[4] << 8) | (uint64_t)m[5];
}

static inline uint32_t fdb_hash(uint64_t k) { return (uint32_t)hv_mix64(k); }

static void key_to_entry(uint64_t k, uint64_t v, uint32_t seen, struct hv_fdb_entry *e) {
  e->vlan = (uint16_t)((k >> 48) & 0xfff);
  for (int i = 0; i < 6; i++) e->mac[i] = (uint8_t)(k >> (40 - 8 * i));
  e->egress = val_egress(v);
  e->kind = (uint8_t)val_kind(v);
  e->port = hv_egress_is_port(e->egress) ? (uint16_t)hv_egress_index(e->egress) : HV_FDB_NO_PORT;
  e->is_static = e->kind == HV_FDB_STATIC;
  e->seen = seen;
}

struct hv_fdb *hv_fdb_create(uint32_t max_entries, _Atomic uint32_t *port_macs) {
  uint32_t cap = 16;
  while (cap < max_entries * 2u && cap < (1u << 30)) cap <<= 1;
  struct hv_fdb *fdb = calloc(1, sizeof *fdb);
  if (!fdb) return NULL;
  fdb->slots = calloc(cap, sizeof *fdb->slots);
  if (!fdb->slots) {
    free(fdb);
    return NULL;
  }
  fdb->mask = cap - 1;
  fdb->port_macs = port_macs;
  atomic_flag_clear(&fdb->wlock);
  return fdb;
}

void hv_fdb_destroy(struct hv_fdb *fdb) {
  if (!fdb) return;
  free(fdb->slots);
  free(fdb);
}

static void wlock(struct hv_fdb *fdb) {
  while (atomic_flag_test_and_set_explicit(&fdb->wlock, memory_order_acquire)) {
  }
}
static void wunlock(struct hv_fdb *fdb) { atomic_flag_clear_explicit(&fdb->wlock, memory_order_release); }

/* Finds the live slot holding `key`, or NULL.  Lock-free. */
static struct hv_fdb_slot *find(const struct hv_fdb *fdb, uint64_t key, uint64_t *val) {
  for (uint32_t i = fdb_hash(key), n = 0; n <= fdb->mask; i++, n++) {
    struct hv_fdb_slot *s = &fdb->slots[i & fdb->mask];
    uint64_t k = atomic_load_explicit(&s->key, memory_order_acquire);
    if (k == KEY_EMPTY) return NULL;
    if (k != key) continue;
    uint64_t v = atomic_load_explicit(&s->val, memory_order_acquire);
    if (atomic_load_explicit(&s->key, memory_order_acquire) != key || !(v & VAL_VALID)) return NULL;
    *val = v;
    return s;
  }
  return NULL;
}

int hv_fdb_lookup(const struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6], struct hv_fdb_hit *hit) {
  uint64_t v;
  if (!find(fdb, fdb_key(vlan, mac), &v)) return 0;
  hit->egress = val_egress(v);
  hit->kind = val_kind(v);
  return 1;
}

int hv_fdb_port(const struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6]) {
  struct hv_fdb_hit hit;
  if (!hv_fdb_lookup(fdb, vlan, mac, &hit) || !hv_egress_is_port(hit.egress)) return -1;
  return (int)hv_egress_index(hit.egress);
}

/* Under the writer flag: the slot to put `key` in (existing one, else the first
 * tombstone or empty slot of its probe chain). */
static struct hv_fdb_slot *slot_for_insert(struct hv_fdb *fdb, uint64_t key, int *exists) {
  struct hv_fdb_slot *free_slot = NULL;
  for (uint32_t i = fdb_hash(key), n = 0; n <= fdb->mask; i++, n++) {
    struct hv_fdb_slot *s = &fdb->slots[i & fdb->mask];
    uint64_t k = atomic_load_explicit(&s->key, memory_order_relaxed);
    if (k == key) {
      *exists = 1;
      return s;
    }
    if (k == KEY_TOMB && !free_slot) free_slot = s;
    if (k == KEY_EMPTY) {
      *exists = 0;
      return free_slot ? free_slot : s;
    }
  }
  *exists = 0;
  return free_slot;
}

static void slot_publish(struct hv_fdb_slot *s, uint64_t key, uint64_t val, uint32_t seen) {
  atomic_store_explicit(&s->val, 0, memory_order_relaxed);
  atomic_store_explicit(&s->seen, seen, memory_order_relaxed);
  atomic_store_explicit(&s->key, key, memory_order_release);
  atomic_store_explicit(&s->val, val, memory_order_release);
}

static void slot_remove(struct hv_fdb *fdb, struct hv_fdb_slot *s) {
  uint64_t v = atomic_load_explicit(&s->val, memory_order_relaxed);
  if (val_learned(v) && fdb->port_macs)
    atomic_fetch_sub_explicit(&fdb->port_macs[val_port(v)], 1, memory_order_relaxed);
  atomic_store_explicit(&s->val, 0, memory_order_release);
  uint32_t idx = (uint32_t)(s - fdb->slots);
  uint64_t next = atomic_load_explicit(&fdb->slots[(idx + 1) & fdb->mask].key, memory_order_relaxed);
  if (next != KEY_EMPTY) {
    atomic_store_explicit(&s->key, KEY_TOMB, memory_order_release);
  } else {
    /* No chain runs past an empty slot: this one and the tombstones before it
     * can become empty too. */
    atomic_store_explicit(&s->key, KEY_EMPTY, memory_order_release);
    for (uint32_t j = (idx - 1) & fdb->mask; j != idx; j = (j - 1) & fdb->mask) {
      if (atomic_load_explicit(&fdb->slots[j].key, memory_order_relaxed) != KEY_TOMB) break;
      atomic_store_explicit(&fdb->slots[j].key, KEY_EMPTY, memory_order_release);
    }
  }
  atomic_fetch_sub_explicit(&fdb->count, 1, memory_order_relaxed);
}

/* Under the writer flag: `mac` seen on `port` where entry `s` (value `v`)
 * already is.  A learned entry on another port, or a remote entry, moves here. */
static enum hv_learn_result learn_existing(struct hv_fdb *fdb, struct hv_fdb_slot *s, uint64_t v, uint16_t port,
                                           uint32_t now, hv_egress *old) {
  hv_egress here = hv_egress_port(port);
  if (val_kind(v) == HV_FDB_STATIC) return HV_LEARN_STATIC;
  if ((val_learned(v) && val_egress(v) == here) || !(v & VAL_VALID)) {
    atomic_store_explicit(&s->seen, now, memory_order_relaxed);
    return HV_LEARN_REFRESHED;
  }
  *old = val_egress(v);
  if (fdb->port_macs) {
    if (val_learned(v)) atomic_fetch_sub_explicit(&fdb->port_macs[val_port(v)], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&fdb->port_macs[port], 1, memory_order_relaxed);
  }
  atomic_store_explicit(&s->seen, now, memory_order_relaxed);
  atomic_store_explicit(&s->val, fdb_val(here, HV_FDB_LEARNED), memory_order_release);
  return HV_LEARN_MOVED;
}

enum hv_learn_result hv_fdb_learn(struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6],
                                  uint16_t port, uint32_t now, uint32_t port_limit, hv_egress *old) {
  uint64_t key = fdb_key(vlan, mac), v;
  struct hv_fdb_slot *s = find(fdb, key, &v);
  if (s) {
    if (val_kind(v) == HV_FDB_STATIC) return HV_LEARN_STATIC;
    if (val_learned(v) && val_egress(v) == hv_egress_port(port)) {
      if (atomic_load_explicit(&s->seen, memory_order_relaxed) != now)
        atomic_store_explicit(&s->seen, now, memory_order_relaxed);
      return HV_LEARN_REFRESHED;
    }
  } else if (fdb->port_macs &&
             atomic_load_explicit(&fdb->port_macs[port], memory_order_relaxed) >= port_limit) {
    return HV_LEARN_LIMIT;
  }
  /* Slow path: new or moved MAC. */
  enum hv_learn_result r;
  int exists;
  wlock(fdb);
  s = slot_for_insert(fdb, key, &exists);
  if (!s || (!exists && atomic_load_explicit(&fdb->count, memory_order_relaxed) > fdb->mask / 2)) {
    r = HV_LEARN_FULL;
  } else if (exists) {
    r = learn_existing(fdb, s, atomic_load_explicit(&s->val, memory_order_relaxed), port, now, old);
  } else {
    slot_publish(s, key, fdb_val(hv_egress_port(port), HV_FDB_LEARNED), now);
    atomic_fetch_add_explicit(&fdb->count, 1, memory_order_relaxed);
    if (fdb->port_macs) atomic_fetch_add_explicit(&fdb->port_macs[port], 1, memory_order_relaxed);
    r = HV_LEARN_NEW;
  }
  wunlock(fdb);
  return r;
}

int hv_fdb_add(struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6], hv_egress egress, enum hv_fdb_kind kind) {
  if (kind != HV_FDB_STATIC && kind != HV_FDB_REMOTE) return -1;
  uint64_t key = fdb_key(vlan, mac);
  int exists, rc = 0;
  wlock(fdb);
  struct hv_fdb_slot *s = slot_for_insert(fdb, key, &exists);
  if (!s || (!exists && atomic_load_explicit(&fdb->count, memory_order_relaxed) > fdb->mask / 2)) {
    rc = -1;
  } else if (exists) {
    uint64_t v = atomic_load_explicit(&s->val, memory_order_relaxed);
    if (val_learned(v) && fdb->port_macs)
      atomic_fetch_sub_explicit(&fdb->port_macs[val_port(v)], 1, memory_order_relaxed);
    atomic_store_explicit(&s->val, fdb_val(egress, kind), memory_order_release);
  } else {
    slot_publish(s, key, fdb_val(egress, kind), 0);
    atomic_fetch_add_explicit(&fdb->count, 1, memory_order_relaxed);
  }
  wunlock(fdb);
  return rc;
}

int hv_fdb_add_static(struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6], uint16_t port) {
  return hv_fdb_add(fdb, vlan, mac, hv_egress_port(port), HV_FDB_STATIC);
}

int hv_fdb_add_remote(struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6], hv_egress egress) {
  return hv_fdb_add(fdb, vlan, mac, egress, HV_FDB_REMOTE);
}

int hv_fdb_del(struct hv_fdb *fdb, uint16_t vlan, const uint8_t mac[6]) {
  uint64_t key = fdb_key(vlan, mac);
  int exists;
  wlock(fdb);
  struct hv_fdb_slot *s = slot_for_insert(fdb, key, &exists);
  if (exists) slot_remove(fdb, s);
  wunlock(fdb);
  return exists ? 0 : -1;
}

/* What a flush or an ageing pass removes. */
struct remove_filter {
  int port, vlan, with_static; /* flush: port/vlan < 0 = any; with_static: static and remote too */
  int ageing;                  /* ageing: learned entries idle for `aging` at `now` */
  uint32_t now, aging;
};

static int filter_match(const struct remove_filter *f, uint64_t k, uint64_t v, uint32_t seen) {
  if (!val_learned(v) && (f->ageing || !f->with_static)) return 0;
  if (f->ageing) return (uint32_t)(f->now - seen) >= f->aging;
  if (f->port >= 0 && (!hv_egress_is_port(val_egress(v)) || val_port(v) != f->port)) return 0;
  return f->vlan < 0 || (int)((k >> 48) & 0xfff) == f->vlan;
}

/* Removes the matching entries among slots [from, to). */
static uint32_t remove_range(struct hv_fdb *fdb, const struct remove_filter *f, uint32_t from, uint32_t to,
                             hv_fdb_cb cb, void *ctx) {
  uint32_t n = 0;
  wlock(fdb);
  for (uint32_t i = from; i < to; i++) {
    struct hv_fdb_slot *s = &fdb->slots[i];
    uint64_t k = atomic_load_explicit(&s->key, memory_order_relaxed);
    if (!(k & KEY_LIVE)) continue;
    uint64_t v = atomic_load_explicit(&s->val, memory_order_relaxed);
    uint32_t seen = atomic_load_explicit(&s->seen, memory_order_relaxed);
    if (!(v & VAL_VALID) || !filter_match(f, k, v, seen)) continue;
    struct hv_fdb_entry e;
    key_to_entry(k, v, seen, &e);
    slot_remove(fdb, s);
    if (cb) cb(ctx, &e);
    n++;
  }
  wunlock(fdb);
  return n;
}

static uint32_t remove_if(struct hv_fdb *fdb, const struct remove_filter *f, hv_fdb_cb cb, void *ctx) {
  if (atomic_load_explicit(&fdb->count, memory_order_relaxed) == 0) return 0;
  return remove_range(fdb, f, 0, fdb->mask + 1, cb, ctx);
}

uint32_t hv_fdb_flush(struct hv_fdb *fdb, int port, int vlan, int with_static, hv_fdb_cb cb,
                      void *ctx) {
  struct remove_filter f = {.port = port, .vlan = vlan, .with_static = with_static};
  return remove_if(fdb, &f, cb, ctx);
}

uint32_t hv_fdb_age(struct hv_fdb *fdb, uint32_t now, uint32_t aging, hv_fdb_cb cb, void *ctx) {
  struct remove_filter f = {.ageing = 1, .now = now, .aging = aging};
  return remove_if(fdb, &f, cb, ctx);
}

int hv_fdb_age_step(struct hv_fdb *fdb, uint32_t now, uint32_t aging, uint32_t *budget, hv_fdb_cb cb,
                    void *ctx) {
  if (atomic_load_explicit(&fdb->count, memory_order_relaxed) == 0) {
    fdb->age_cursor = 0;
    return 1;
  }
  uint32_t from = fdb->age_cursor, left = fdb->mask + 1 - from;
  uint32_t n = *budget < left ? *budget : left;
  struct remove_filter f = {.ageing = 1, .now = now, .aging = aging};
  remove_range(fdb, &f, from, from + n, cb, ctx);
  *budget -= n;
  fdb->age_cursor = n == left ? 0 : from + n;
  return n == left;
}

void hv_fdb_walk(const struct hv_fdb *fdb, hv_fdb_cb cb, void *ctx) {
  for (uint32_t i = 0; i <= fdb->mask; i++) {
    struct hv_fdb_slot *s = &fdb->slots[i];
    uint64_t k = atomic_load_explicit(&s->key, memory_order_acquire);
    if (!(k & KEY_LIVE)) continue;
    uint64_t v = atomic_load_explicit(&s->val, memory_order_acquire);
    uint32_t seen = atomic_load_explicit(&s->seen, memory_order_relaxed);
    if (atomic_load_explicit(&s->key, memory_order_acquire) != k || !(v & VAL_VALID)) continue;
    struct hv_fdb_entry e;
    key_to_entry(k, v, seen, &e);
    cb(ctx, &e);
  }
}

uint32_t hv_fdb_count(const struct hv_fdb *fdb) { return atomic_load(&fdb->count); }

uint32_t hv_fdb_tombstones(const struct hv_fdb *fdb) {
  uint32_t n = 0;
  for (uint32_t i = 0; i <= fdb->mask; i++) n += atomic_load(&fdb->slots[i].key) == KEY_TOMB;
  return n;
}
