/* FDB: insert, lookup, refresh, move, static, MAC limit, ageing, flush, churn. */
#include <stdlib.h>

#include "fdb.h"
#include "frames.h"
#include "tap.h"

static _Atomic uint32_t port_macs[HV_MAX_PORTS];

static void count_cb(void *ctx, const struct hv_fdb_entry *e) { (*(int *)ctx)++; }

int main(void) {
  struct hv_fdb *f = hv_fdb_create(1024, port_macs);
  uint16_t old = 0;
  CHECK_EQ(hv_fdb_lookup(f, 10, MAC_A), -1);
  CHECK_EQ(hv_fdb_learn(f, 10, MAC_A, 1, 100, 4096, &old), HV_LEARN_NEW);
  CHECK_EQ(hv_fdb_lookup(f, 10, MAC_A), 1);
  /* per-VLAN: the same MAC in VLAN 20 is another entry */
  CHECK_EQ(hv_fdb_lookup(f, 20, MAC_A), -1);
  CHECK_EQ(hv_fdb_learn(f, 20, MAC_A, 2, 100, 4096, &old), HV_LEARN_NEW);
  CHECK_EQ(hv_fdb_lookup(f, 20, MAC_A), 2);
  CHECK_EQ(hv_fdb_lookup(f, 10, MAC_A), 1);
  CHECK_EQ(hv_fdb_learn(f, 10, MAC_A, 1, 150, 4096, &old), HV_LEARN_REFRESHED);
  /* move: seen on port 3 now */
  CHECK_EQ(hv_fdb_learn(f, 10, MAC_A, 3, 160, 4096, &old), HV_LEARN_MOVED);
  CHECK_EQ(old, 1);
  CHECK_EQ(hv_fdb_lookup(f, 10, MAC_A), 3);
  CHECK_EQ(port_macs[1], 0);
  CHECK_EQ(port_macs[3], 1);
  /* static entries are never overwritten by learning */
  CHECK_EQ(hv_fdb_add_static(f, 10, MAC_B, 5), 0);
  CHECK_EQ(hv_fdb_learn(f, 10, MAC_B, 6, 170, 4096, &old), HV_LEARN_STATIC);
  CHECK_EQ(hv_fdb_lookup(f, 10, MAC_B), 5);
  /* ageing: entry A (VLAN 10) last seen at 160, B static, A/20 seen at 100 */
  int aged = 0;
  CHECK_EQ(hv_fdb_age(f, 200, 300, count_cb, &aged), 0);
  CHECK_EQ(hv_fdb_age(f, 401, 300, count_cb, &aged), 1); /* A/20: 401-100 >= 300 */
  CHECK_EQ(hv_fdb_lookup(f, 20, MAC_A), -1);
  CHECK_EQ(hv_fdb_age(f, 460, 300, count_cb, &aged), 1); /* A/10 */
  CHECK_EQ(aged, 2);
  CHECK_EQ(hv_fdb_lookup(f, 10, MAC_B), 5);
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
  CHECK_EQ(hv_fdb_lookup(f, 10, MAC_B), 5);
  CHECK_EQ(hv_fdb_flush(f, -1, -1, 1, NULL, NULL), 1);
  CHECK_EQ(hv_fdb_count(f), 0);

  /* churn: many learn/age rounds keep lookups correct and the table from clogging */
  for (int round = 0; round < 50; round++) {
    for (int i = 0; i < 400; i++) {
      uint8_t mm[6] = {0x02, 9, (uint8_t)round, 0, (uint8_t)(i >> 8), (uint8_t)i};
      hv_fdb_learn(f, (uint16_t)(1 + i % 7), mm, (uint16_t)(i % 5), (uint32_t)(1000 + round * 10), 100000, &old);
    }
    int bad = 0;
    for (int i = 0; i < 400; i++) {
      uint8_t mm[6] = {0x02, 9, (uint8_t)round, 0, (uint8_t)(i >> 8), (uint8_t)i};
      bad += hv_fdb_lookup(f, (uint16_t)(1 + i % 7), mm) != i % 5;
    }
    CHECK_EQ(bad, 0);
    hv_fdb_age(f, (uint32_t)(1000 + round * 10 + 5), 1, NULL, NULL);
    CHECK_EQ(hv_fdb_count(f), 0);
  }
  CHECK_EQ(hv_fdb_tombstones(f), 0); /* all tombstones reclaimed */

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
