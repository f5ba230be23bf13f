#include "neigh.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define NO_PORT 0xffff

struct neigh_slot {
  _Atomic uint32_t seq;
  struct hv_neigh_entry e;
};

struct hv_neigh_table {
  atomic_flag wlock;
  uint32_t gc_cursor;
  struct neigh_slot slots[HV_NEIGH_SLOTS];
};

static uint32_t hash(uint16_t port, uint8_t af, const uint8_t *ip) {
  uint32_t h = 2166136261u ^ port ^ ((uint32_t)af << 16);
  int n = af == 4 ? 4 : 16;
  for (int i = 0; i < n; i++) h = (h ^ ip[i]) * 16777619u;
  return h;
}

static int key_eq(const struct hv_neigh_entry *e, uint16_t port, uint8_t af, const uint8_t *ip) {
  return e->port == port && e->af == af && memcmp(e->ip, ip, af == 4 ? 4 : 16) == 0;
}

struct hv_neigh_table *hv_neigh_create(void) {
  struct hv_neigh_table *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  for (uint32_t i = 0; i < HV_NEIGH_SLOTS; i++) t->slots[i].e.port = NO_PORT;
  atomic_flag_clear(&t->wlock);
  return t;
}

void hv_neigh_destroy(struct hv_neigh_table *t) { free(t); }

static void read_slot(const struct neigh_slot *s, struct hv_neigh_entry *out) {
  for (;;) {
    uint32_t a = atomic_load_explicit(&s->seq, memory_order_acquire);
    if (a & 1) continue;
    memcpy(out, (const void *)&s->e, sizeof *out);
    atomic_thread_fence(memory_order_acquire);
    if (atomic_load_explicit(&s->seq, memory_order_relaxed) == a) return;
  }
}

int hv_neigh_lookup(const struct hv_neigh_table *t, uint16_t port, uint8_t af, const uint8_t *ip,
                    struct hv_neigh_entry *out) {
  uint32_t h = hash(port, af, ip);
  for (uint32_t n = 0; n < HV_NEIGH_SLOTS; n++) {
    const struct neigh_slot *s = &t->slots[(h + n) % HV_NEIGH_SLOTS];
    read_slot(s, out);
    if (out->port == NO_PORT) return 0;
    if (key_eq(out, port, af, ip)) return out->state != HV_NEIGH_NONE;
  }
  return 0;
}

static void lock(struct hv_neigh_table *t) {
  while (atomic_flag_test_and_set_explicit(&t->wlock, memory_order_acquire)) {
  }
}
static void unlock(struct hv_neigh_table *t) { atomic_flag_clear_explicit(&t->wlock, memory_order_release); }

/* Under the lock: the slot of the key, or the empty slot it would go in, or NULL. */
static struct neigh_slot *find_slot(struct hv_neigh_table *t, uint16_t port, uint8_t af, const uint8_t *ip,
                                    int *exists) {
  uint32_t h = hash(port, af, ip);
  for (uint32_t n = 0; n < HV_NEIGH_SLOTS; n++) {
    struct neigh_slot *s = &t->slots[(h + n) % HV_NEIGH_SLOTS];
    if (s->e.port == NO_PORT) {
      *exists = 0;
      return n < HV_NEIGH_SLOTS / 2 ? s : NULL;
    }
    if (key_eq(&s->e, port, af, ip)) {
      *exists = 1;
      return s;
    }
  }
  *exists = 0;
  return NULL;
}

static void write_slot(struct neigh_slot *s, const struct hv_neigh_entry *e) {
  uint32_t q = atomic_load_explicit(&s->seq, memory_order_relaxed);
  atomic_store_explicit(&s->seq, q + 1, memory_order_relaxed);
  atomic_thread_fence(memory_order_release);
  memcpy((void *)&s->e, e, sizeof *e);
  atomic_store_explicit(&s->seq, q + 2, memory_order_release);
}

int hv_neigh_update(struct hv_neigh_table *t, uint16_t port, uint8_t af, const uint8_t *ip,
                    const uint8_t mac[6], uint8_t state, uint32_t now, int create) {
  int exists, rc = 0;
  lock(t);
  struct neigh_slot *s = find_slot(t, port, af, ip, &exists);
  if (!s) {
    rc = -1;
  } else if (exists || create) {
    struct hv_neigh_entry e = s->e;
    int live = exists && e.state != HV_NEIGH_NONE;
    /* A learned answer never overrides a configured entry. */
    if (!(live && e.state == HV_NEIGH_PERMANENT && state != HV_NEIGH_PERMANENT) && (live || create)) {
      memset(&e, 0, sizeof e);
      e.port = port;
      e.af = af;
      memcpy(e.ip, ip, af == 4 ? 4 : 16);
      memcpy(e.mac, mac, 6);
      e.state = state;
      e.updated = now;
      write_slot(s, &e);
    }
  }
  unlock(t);
  return rc;
}

int hv_neigh_solicit(struct hv_neigh_table *t, uint16_t port, uint8_t af, const uint8_t *ip, uint32_t now) {
  int exists, send = 0;
  lock(t);
  struct neigh_slot *s = find_slot(t, port, af, ip, &exists);
  if (s) {
    struct hv_neigh_entry e = s->e;
    if (!exists || e.state == HV_NEIGH_NONE) {
      memset(&e, 0, sizeof e);
      e.port = port;
      e.af = af;
      memcpy(e.ip, ip, af == 4 ? 4 : 16);
      e.state = HV_NEIGH_INCOMPLETE;
      e.updated = now;
      e.probes = 1;
      send = 1;
    } else if (e.state == HV_NEIGH_INCOMPLETE) {
      if (now - e.updated >= HV_NEIGH_RETRANS_S) {
        if (e.probes >= HV_NEIGH_PROBES) {
          e.state = HV_NEIGH_FAILED;
        } else {
          e.probes++;
          send = 1;
        }
        e.updated = now;
      }
    } else if (e.state == HV_NEIGH_FAILED) {
      if (now - e.updated >= HV_NEIGH_FAILED_HOLD_S) {
        e.state = HV_NEIGH_INCOMPLETE;
        e.probes = 1;
        e.updated = now;
        send = 1;
      }
    } else if (e.state == HV_NEIGH_STALE || e.state == HV_NEIGH_REACHABLE) {
      /* Past the reachable time: re-confirm with a request per retransmit
       * interval; the entry stays usable meanwhile, and fails after
       * HV_NEIGH_PROBES unanswered requests (RFC 4861 PROBE, simplified).
       * `updated` is set back so the caller asks again RETRANS_S later. */
      if (now - e.updated >= HV_NEIGH_RETRANS_S) {
        if (e.state == HV_NEIGH_STALE && e.probes >= HV_NEIGH_PROBES) {
          e.state = HV_NEIGH_FAILED;
          e.updated = now;
        } else {
          if (e.state == HV_NEIGH_REACHABLE) e.probes = 0;
          e.state = HV_NEIGH_STALE;
          e.probes++;
          e.updated = now - HV_NEIGH_REACHABLE_S + HV_NEIGH_RETRANS_S;
          send = 1;
        }
      }
    }
    if (!exists || memcmp(&e, &s->e, sizeof e) != 0) write_slot(s, &e);
  }
  unlock(t);
  return send;
}

void hv_neigh_flush(struct hv_neigh_table *t, int port, int all) {
  lock(t);
  for (uint32_t i = 0; i < HV_NEIGH_SLOTS; i++) {
    struct neigh_slot *s = &t->slots[i];
    if (s->e.port == NO_PORT || s->e.state == HV_NEIGH_NONE) continue;
    if (port >= 0 && s->e.port != port) continue;
    if (s->e.state == HV_NEIGH_PERMANENT && !all) continue;
    struct hv_neigh_entry e = s->e;
    e.state = HV_NEIGH_NONE;
    write_slot(s, &e);
  }
  unlock(t);
}

void hv_neigh_walk(const struct hv_neigh_table *t, hv_neigh_cb cb, void *ctx) {
  for (uint32_t i = 0; i < HV_NEIGH_SLOTS; i++) {
    struct hv_neigh_entry e;
    read_slot(&t->slots[i], &e);
    if (e.port != NO_PORT && e.state != HV_NEIGH_NONE) cb(ctx, &e);
  }
}

void hv_neigh_age(struct hv_neigh_table *t, uint32_t now, uint32_t idle, uint32_t count) {
  lock(t);
  for (uint32_t n = 0; n < count; n++) {
    struct neigh_slot *s = &t->slots[t->gc_cursor++ % HV_NEIGH_SLOTS];
    uint8_t st = s->e.state;
    if (s->e.port == NO_PORT || st == HV_NEIGH_NONE || st == HV_NEIGH_PERMANENT || st == HV_NEIGH_INCOMPLETE) continue;
    if (now - s->e.updated < idle) continue;
    struct hv_neigh_entry e = s->e;
    e.state = HV_NEIGH_NONE;
    write_slot(s, &e);
  }
  unlock(t);
}
