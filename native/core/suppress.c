/* ARP/ND suppression bindings (suppress.h). */
#include "suppress.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

enum { EMPTY = 0, LIVE = 1, DEAD = 2 }; /* DEAD: a tombstone, reusable */

struct slot {
  _Atomic uint32_t seq;
  uint8_t state;
  struct hv_suppress_entry e;
};

struct hv_suppress {
  atomic_flag wlock;
  _Atomic uint32_t live;
  struct slot slots[HV_SUPPRESS_SLOTS];
};

static uint32_t hash(uint16_t bd, uint16_t vlan, uint8_t af, const uint8_t *ip) {
  uint32_t h = 2166136261u ^ bd ^ ((uint32_t)vlan << 8) ^ ((uint32_t)af << 24);
  int n = af == 4 ? 4 : 16;
  for (int i = 0; i < n; i++) h = (h ^ ip[i]) * 16777619u;
  return h ^ (h >> 15);
}

static int key_eq(const struct hv_suppress_entry *e, uint16_t bd, uint16_t vlan, uint8_t af, const uint8_t *ip) {
  return e->bd == bd && e->vlan == vlan && e->af == af && memcmp(e->ip, ip, af == 4 ? 4 : 16) == 0;
}

struct hv_suppress *hv_suppress_create(void) {
  struct hv_suppress *t = calloc(1, sizeof *t); /* every slot EMPTY */
  if (t) atomic_flag_clear(&t->wlock);
  return t;
}

void hv_suppress_destroy(struct hv_suppress *t) { free(t); }

/* A consistent copy of slot `s`: its state, and its entry when LIVE. */
static uint8_t read_slot(const struct slot *s, struct hv_suppress_entry *out) {
  for (;;) {
    uint32_t a = atomic_load_explicit(&s->seq, memory_order_acquire);
    if (a & 1) continue;
    uint8_t st = s->state;
    memcpy(out, (const void *)&s->e, sizeof *out);
    atomic_thread_fence(memory_order_acquire);
    if (atomic_load_explicit(&s->seq, memory_order_relaxed) == a) return st;
  }
}

int hv_suppress_lookup(const struct hv_suppress *t, uint16_t bd, uint16_t vlan, uint8_t af, const uint8_t *ip,
                       uint8_t mac[6]) {
  if (atomic_load_explicit(&t->live, memory_order_relaxed) == 0) return 0;
  uint32_t h = hash(bd, vlan, af, ip);
  for (uint32_t n = 0; n < HV_SUPPRESS_SLOTS; n++) {
    struct hv_suppress_entry e;
    uint8_t st = read_slot(&t->slots[(h + n) % HV_SUPPRESS_SLOTS], &e);
    if (st == EMPTY) return 0;
    if (st == LIVE && key_eq(&e, bd, vlan, af, ip)) {
      memcpy(mac, e.mac, 6);
      return 1;
    }
  }
  return 0;
}

static void lock(struct hv_suppress *t) {
  while (atomic_flag_test_and_set_explicit(&t->wlock, memory_order_acquire)) {
  }
}
static void unlock(struct hv_suppress *t) { atomic_flag_clear_explicit(&t->wlock, memory_order_release); }

static void write_slot(struct slot *s, uint8_t state, const struct hv_suppress_entry *e) {
  uint32_t q = atomic_load_explicit(&s->seq, memory_order_relaxed);
  atomic_store_explicit(&s->seq, q + 1, memory_order_relaxed);
  atomic_thread_fence(memory_order_release);
  s->state = state;
  if (e) memcpy((void *)&s->e, e, sizeof *e);
  atomic_store_explicit(&s->seq, q + 2, memory_order_release);
}

/* Under the lock: the LIVE slot of the key, or NULL (then *free_slot: the first
 * tombstone or empty slot on its probe path within half the table, or NULL). */
static struct slot *find(struct hv_suppress *t, uint16_t bd, uint16_t vlan, uint8_t af, const uint8_t *ip,
                         struct slot **free_slot) {
  uint32_t h = hash(bd, vlan, af, ip);
  *free_slot = NULL;
  for (uint32_t n = 0; n < HV_SUPPRESS_SLOTS; n++) {
    struct slot *s = &t->slots[(h + n) % HV_SUPPRESS_SLOTS];
    if (s->state == EMPTY) {
      if (!*free_slot && n < HV_SUPPRESS_SLOTS / 2) *free_slot = s;
      return NULL;
    }
    if (s->state == DEAD) {
      if (!*free_slot && n < HV_SUPPRESS_SLOTS / 2) *free_slot = s;
      continue;
    }
    if (key_eq(&s->e, bd, vlan, af, ip)) return s;
  }
  return NULL;
}

int hv_suppress_set(struct hv_suppress *t, uint16_t bd, uint16_t vlan, uint8_t af, const uint8_t *ip,
                    const uint8_t mac[6]) {
  struct hv_suppress_entry e = {.bd = bd, .vlan = vlan, .af = af};
  memcpy(e.ip, ip, af == 4 ? 4 : 16);
  memcpy(e.mac, mac, 6);
  int rc = 0;
  lock(t);
  struct slot *free_slot, *s = find(t, bd, vlan, af, ip, &free_slot);
  if (s) {
    write_slot(s, LIVE, &e);
  } else if (free_slot && atomic_load_explicit(&t->live, memory_order_relaxed) < HV_SUPPRESS_SLOTS / 2) {
    write_slot(free_slot, LIVE, &e);
    atomic_fetch_add_explicit(&t->live, 1, memory_order_relaxed);
  } else {
    rc = -1;
  }
  unlock(t);
  return rc;
}

int hv_suppress_del(struct hv_suppress *t, uint16_t bd, uint16_t vlan, uint8_t af, const uint8_t *ip) {
  lock(t);
  struct slot *free_slot, *s = find(t, bd, vlan, af, ip, &free_slot);
  if (s) {
    write_slot(s, DEAD, NULL);
    atomic_fetch_sub_explicit(&t->live, 1, memory_order_relaxed);
  }
  unlock(t);
  return s != NULL;
}

uint32_t hv_suppress_flush(struct hv_suppress *t, uint16_t bd) {
  uint32_t n = 0;
  lock(t);
  for (uint32_t i = 0; i < HV_SUPPRESS_SLOTS; i++) {
    struct slot *s = &t->slots[i];
    if (s->state != LIVE || s->e.bd != bd) continue;
    write_slot(s, DEAD, NULL);
    atomic_fetch_sub_explicit(&t->live, 1, memory_order_relaxed);
    n++;
  }
  unlock(t);
  return n;
}

uint32_t hv_suppress_count(const struct hv_suppress *t) { return atomic_load_explicit(&t->live, memory_order_relaxed); }

void hv_suppress_walk(const struct hv_suppress *t, hv_suppress_cb cb, void *ctx) {
  for (uint32_t i = 0; i < HV_SUPPRESS_SLOTS; i++) {
    struct hv_suppress_entry e;
    if (read_slot(&t->slots[i], &e) == LIVE) cb(ctx, &e);
  }
}
