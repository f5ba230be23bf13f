/* FDB: insert, lookup, refresh, move, static, MAC limit, ageing, flush, churn;
 * egress handles and entry kinds (learned, static, remote). */
#include <stdlib.h>

#include "fdb.h"
#include "frames.h"
#include "tap.h"

static _Atomic uint32_t port_macs[HV_MAX_PORTS];

static void count_cb(void *ctx, const struct hv_fdb_entry *e) { (*(int *)ctx)++; }

struct kinds {
  int n[3];
  hv_egress remote_egress;
  uint16_t remote_port;
};
static void kind_cb(void *ctx, const struct hv_fdb_entry *e) {
  struct kinds *k = ctx;
  k->n[e->kind]++;
  if (e->kind == HV_FDB_REMOTE) {
    k->remote_egress = e->egress;
    k->remote_port = e->port;
  }
}

/* Egress handles: kind and index round-trip; a port's handle is its id. */
static void test_egress(void) {
  hv_egress t = hv_egress_make(HV_EGRESS_TUNNEL, 4242);
  CHECK_EQ(hv_egress_kind_of(t), HV_EGRESS_TUNNEL);
  CHECK_EQ(hv_egress_index(t), 4242);
  CHECK(!hv_egress_is_port(t));
  CHECK_EQ(hv_egress_port(17), 17);
  CHECK(hv_egress_is_port(hv_egress_port(17)));
  CHECK_EQ(hv_egress_kind_of(hv_egress_make(HV_EGRESS_BOND, 3)), HV_EGRESS_BOND);
}

/* Entry kinds: lookups and walks see them; learning never overwrites a static
 * entry, and turns a remote one into a learned one with a MOVED carrying the
 * remote handle; ageing leaves static and remote entries alone. */
static void test_kinds(void) {
  static _Atomic uint32_t macs[HV_MAX_PORTS];
  struct hv_fdb *f = hv_fdb_create(64, macs);
  hv_egress vtep = hv_egress_make(HV_EGRESS_TUNNEL, 9), old = 0;
  struct hv_fdb_hit hit;
  CHECK_EQ(hv_fdb_add_remote(f, 10, MAC_A, vtep), 0);
  CHECK_EQ(hv_fdb_add_static(f, 10, MAC_B, 4), 0);
  CHECK_EQ(hv_fdb_learn(f, 10, MAC_C, 2, 100, 10, &old), HV_LEARN_NEW);
  CHECK_EQ(hv_fdb_add(f, 10, MAC_C, vtep, HV_FDB_LEARNED), -1); /* only static or remote */
  CHECK(hv_fdb_lookup(f, 10, MAC_A, &hit) && hit.egress == vtep && hit.kind == HV_FDB_REMOTE);
  CHECK(hv_fdb_lookup(f, 10, MAC_B, &hit) && hit.egress == hv_egress_port(4) && hit.kind == HV_FDB_STATIC);
  CHECK(hv_fdb_lookup(f, 10, MAC_C, &hit) && hit.egress == hv_egress_port(2) && hit.kind == HV_FDB_LEARNED);
  CHECK_EQ(hv_fdb_port(f, 10, MAC_A), -1); /* behind a tunnel: no local port */
  struct kinds k = {{0}, 0, 0};
  hv_fdb_walk(f, kind_cb, &k);
  CHECK(k.n[HV_FDB_LEARNED] == 1 && k.n[HV_FDB_STATIC] == 1 && k.n[HV_FDB_REMOTE] == 1);
  CHECK_EQ(k.remote_egress, vtep);
  CHECK_EQ(k.remote_port, HV_FDB_NO_PORT);
  CHECK_EQ(macs[2], 1); /* only learned entries count toward a port's MAC limit */
  /* ageing and a flush without statics leave static and remote entries */
  CHECK_EQ(hv_fdb_age(f, 10000, 300, NULL, NULL), 1);
  CHECK_EQ(hv_fdb_flush(f, -1, -1, 0, NULL, NULL), 0);
  CHECK(hv_fdb_lookup(f, 10, MAC_A, &hit) && hit.kind == HV_FDB_REMOTE);
  /* a remote MAC seen on local port 3 moves here, reporting the tunnel */
  CHECK_EQ(hv_fdb_learn(f, 10, MAC_A, 3, 200, 10, &old), HV_LEARN_MOVED);
  CHECK_EQ(old, vtep);
  CHECK(hv_fdb_lookup(f, 10, MAC_A, &hit) && hit.egress == hv_egress_port(3) && hit.kind == HV_FDB_LEARNED);
  CHECK_EQ(macs[3], 1);
  CHECK_EQ(hv_fdb_learn(f, 10, MAC_A, 3, 201, 10, &old), HV_LEARN_REFRESHED);
  /* static stays static, on its port */
  CHECK_EQ(hv_fdb_learn(f, 10, MAC_B, 3, 200, 10, &old), HV_LEARN_STATIC);
  CHECK(hv_fdb_lookup(f, 10, MAC_B, &hit) && hit.egress == hv_egress_port(4) && hit.kind == HV_FDB_STATIC);
  /* the controller takes a learned MAC back to a tunnel: the port's count drops */
  CHECK_EQ(hv_fdb_add_remote(f, 10, MAC_A, vtep), 0);
  CHECK_EQ(macs[3], 0);
  /* a flush by port matches only entries on that local port; with statics, remote ones go too */
  CHECK_EQ(hv_fdb_flush(f, 3, -1, 1, NULL, NULL), 0);
  CHECK_EQ(hv_fdb_flush(f, -1, -1, 1, NULL, NULL), 2);
  hv_fdb_destroy(f);
}

/* churn: many learn/age rounds keep lookups correct and the table from clogging */
static void test_churn(struct hv_fdb *f) {
  hv_egress old = 0;
  for (int round = 0; round < 50; round++) {
    for (int i = 0; i < 400; i++) {
      uint8_t mm[6] = {0x02, 9, (uint8_t)round, 0, (uint8_t)(i >> 8), (uint8_t)i};
      hv_fdb_learn(f, (uint16_t)(1 + i % 7), mm, (uint16_t)(i % 5), (uint32_t)(1000 + round * 10), 100000, &old);
    }
    int bad = 0;
    for (int i = 0; i < 400; i++) {
      uint8_t mm[6] = {0x02, 9, (uint8_t)round, 0, (uint8_t)(i >> 8), (uint8_t)i};
      bad += hv_fdb_port(f, (uint16_t)(1 + i % 7), mm) != i % 5;
    }
    CHECK_EQ(bad, 0);
    hv_fdb_age(f, (uint32_t)(1000 + round * 10 + 5), 1, NULL, NULL);
    CHECK_EQ(hv_fdb_count(f), 0);
  }
  CHECK_EQ(hv_fdb_tombstones(f), 0); /* all tombstones reclaimed */
}

int main(void) {
  test_egress();
  test_kinds();
  struct hv_fdb *f = hv_fdb_create(1024, port_macs);
  hv_egress old = 0;
  CHECK_EQ(hv_fdb_port(f, 10, MAC_A), -1);
  CHECK_EQ(hv_fdb_learn(f, 10, MAC_A, 1, 100, 4096, &old), HV_LEARN_NEW);
  CHECK_EQ(hv_fdb_port(f, 10, MAC_A), 1);
  /* per-VLAN: the same MAC in VLAN 20 is another entry */
  CHECK_EQ(hv_fdb_port(f, 20, MAC_A), -1);
  CHECK_EQ(hv_fdb_learn(f, 20, MAC_A, 2, 100, 4096, &old), HV_LEARN_NEW);
  CHECK_EQ(hv_fdb_port(f, 20, MAC_A), 2);
  CHECK_EQ(hv_fdb_port(f, 10, MAC_A), 1);
  CHECK_EQ(hv_fdb_learn(f, 10, MAC_A, 1, 150, 4096, &old), HV_LEARN_REFRESHED);
  /* move: seen on port 3 now */
  CHECK_EQ(hv_fdb_learn(f, 10, MAC_A, 3, 160, 4096, &old), HV_LEARN_MOVED);
  CHECK_EQ(old, 1);
  CHECK_EQ(hv_fdb_port(f, 10, MAC_A), 3);
  CHECK_EQ(port_macs[1], 0);
  CHECK_EQ(port_macs[3], 1);
  /* static entries are never overwritten by learning */
  CHECK_EQ(hv_fdb_add_static(f, 10, MAC_B, 5), 0);
  CHECK_EQ(hv_fdb_learn(f, 10, MAC_B, 6, 170, 4096, &old), HV_LEARN_STATIC);
  CHECK_EQ(hv_fdb_port(f, 10, MAC_B), 5);
  /* ageing: entry A (VLAN 10) last seen at 160, B static, A/20 seen at 100 */
  int aged = 0;
  CHECK_EQ(hv_fdb_age(f, 200, 300, count_cb, &aged), 0);
  CHECK_EQ(hv_fdb_age(f, 401, 300, count_cb, &aged), 1); /* A/20: 401-100 >= 300 */
  CHECK_EQ(hv_fdb_port(f, 20, MAC_A), -1);
  CHECK_EQ(hv_fdb_age(f, 460, 300, count_cb, &aged), 1); /* A/10 */
  CHECK_EQ(aged, 2);
  CHECK_EQ(hv_fdb_port(f, 10, MAC_B), 5);
  CHECK_EQ(port_macs[2], 0);
  CHECK_EQ(port_macs[3], 0);
  /* MAC limit: port 7 may learn 3 */
  uint8_t m[6] = {0x02, 1, 2, 3, 4, 0};
  int learned = 0, limited = 0;
  for (int i = 0; i < 5; i++) {
    m[5] = (uint8_t)i;
    enum hv_learn_result r = hv_fdb_learn(f, 1, m, 7, 500, 3, &old);
    learned += r == HV_LEARN_NEW;
    limited += r == HV_LEARN_LIMIT;
  }
  CHECK_EQ(learned, 3);
  CHECK_EQ(limited, 2);
  CHECK_EQ(port_macs[7], 3);
  /* flush by port */
  int flushed = 0;
  CHECK_EQ(hv_fdb_flush(f, 7, -1, 0, count_cb, &flushed), 3);
  CHECK_EQ(port_macs[7], 0);
  /* flush without statics keeps B, with statics removes it */
  CHECK_EQ(hv_fdb_flush(f, -1, -1, 0, NULL, NULL), 0);
  CHECK_EQ(hv_fdb_port(f, 10, MAC_B), 5);
  CHECK_EQ(hv_fdb_flush(f, -1, -1, 1, NULL, NULL), 1);
  CHECK_EQ(hv_fdb_count(f), 0);

  test_churn(f);

  /* ageing in slices: a pass of small steps removes exactly what one sweep would,
   * each step scans no more than its budget, and the last step of a pass says so */
  {
    struct hv_fdb *g = hv_fdb_create(3000, NULL); /* 8192 slots */
    for (int i = 0; i < 3000; i++) {
      uint8_t mm[6] = {0x02, 5, 0, 0, (uint8_t)(i >> 8), (uint8_t)i};
      hv_fdb_learn(g, 1, mm, 1, (uint32_t)(i % 2 ? 100 : 900), 100000, &old); /* odd: old, even: fresh */
    }
    int removed = 0, steps = 0, done = 0, over = 0;
    while (!done) {
      uint32_t budget = 1000;
      done = hv_fdb_age_step(g, 1000, 300, &budget, count_cb, &removed);
      over += budget > 1000;
      steps++;
    }
    CHECK_EQ(over, 0);
    CHECK_EQ(steps, 9); /* 8192 slots in slices of 1000 */
    CHECK_EQ(removed, 1500);
    CHECK_EQ(hv_fdb_count(g), 1500);
    uint32_t budget = 1000; /* a new pass starts at slot 0: nothing more to age */
    CHECK_EQ(hv_fdb_age_step(g, 1000, 300, &budget, count_cb, &removed), 0);
    CHECK_EQ(budget, 0);
    CHECK_EQ(removed, 1500);
    hv_fdb_destroy(g);
  }

  /* full table: learning stops at half the slots, no crash */
  struct hv_fdb *small = hv_fdb_create(8, NULL);
  int full = 0;
  for (int i = 0; i < 64; i++) {
    uint8_t mm[6] = {0x02, 7, 0, 0, 0, (uint8_t)i};
    full += hv_fdb_learn(small, 1, mm, 1, 1, 1000, &old) == HV_LEARN_FULL;
  }
  CHECK(full > 0);
  hv_fdb_destroy(small);
  hv_fdb_destroy(f);
  return tap_done();
}
