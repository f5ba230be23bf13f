/* FDB under concurrent learning from two workers (fdb.h's concurrency
 * contract), run under ASan/UBSan by scripts/test-core.sh and under TSan with
 * the command in docs/polling.md:
 * - different MACs: two threads learn disjoint sets of MACs on their own port
 *   at once; afterwards every MAC is in the table exactly once, on its
 *   learner's port, the count is the sum, and each port's MAC count matches;
 * - the same MACs: both threads learn the same MACs on their own port (a MAC
 *   flapping between ports, as with a loop or a VM moving); afterwards each
 *   MAC is in the table once, on one of the two ports, never torn (a lookup
 *   always finds port 1 or 2), and the per-port counts add up to the entries;
 * - a reader thread looks the MACs up throughout and never sees a port other
 *   than the two learners'. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "fdb.h"
#include "frames.h"
#include "tap.h"

#define NMACS 2000
static _Atomic uint32_t port_macs[HV_MAX_PORTS];
static struct hv_fdb *fdb;
static _Atomic int go, readers_stop;
static _Atomic long torn;

struct learner {
  uint16_t port;
  uint32_t first; /* MAC numbers first .. first + NMACS - 1 */
  int rounds;
  long moved, fresh;
};

static void mac_of(uint32_t i, uint8_t mac[6]) {
  mac[0] = 0x02;
  mac[1] = 0x42;
  mac[2] = (uint8_t)(i >> 24);
  mac[3] = (uint8_t)(i >> 16);
  mac[4] = (uint8_t)(i >> 8);
  mac[5] = (uint8_t)i;
}

static void *learn_thread(void *arg) {
  struct learner *l = arg;
  while (!atomic_load(&go)) {
  }
  uint8_t mac[6];
  for (int r = 0; r < l->rounds; r++)
    for (uint32_t i = 0; i < NMACS; i++) {
      mac_of(l->first + i, mac);
      hv_egress old;
      enum hv_learn_result res = hv_fdb_learn(fdb, 10, mac, l->port, 1, 4 * NMACS, &old);
      if (res == HV_LEARN_MOVED) l->moved++;
      if (res == HV_LEARN_NEW) l->fresh++;
    }
  return NULL;
}

static void *read_thread(void *arg) {
  (void)arg;
  uint8_t mac[6];
  while (!atomic_load(&readers_stop))
    for (uint32_t i = 0; i < 2 * NMACS; i++) {
      mac_of(i, mac);
      int p = hv_fdb_port(fdb, 10, mac);
      if (p != -1 && p != 1 && p != 2) atomic_fetch_add(&torn, 1);
    }
  return NULL;
}

static void run_learners(struct learner *a, struct learner *b) {
  pthread_t ta, tb, tr;
  atomic_store(&go, 0);
  atomic_store(&readers_stop, 0);
  pthread_create(&tr, NULL, read_thread, NULL);
  pthread_create(&ta, NULL, learn_thread, a);
  pthread_create(&tb, NULL, learn_thread, b);
  atomic_store(&go, 1);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  atomic_store(&readers_stop, 1);
  pthread_join(tr, NULL);
}

static void different_macs(void) {
  memset(port_macs, 0, sizeof port_macs);
  fdb = hv_fdb_create(4 * NMACS, port_macs);
  struct learner a = {.port = 1, .first = 0, .rounds = HV_TEST_STEPS(500)};
  struct learner b = {.port = 2, .first = NMACS, .rounds = HV_TEST_STEPS(500)};
  run_learners(&a, &b);
  CHECK_EQ(hv_fdb_count(fdb), 2 * NMACS);
  CHECK_EQ(a.fresh, NMACS);
  CHECK_EQ(b.fresh, NMACS);
  CHECK_EQ(a.moved + b.moved, 0);
  CHECK_EQ(atomic_load(&port_macs[1]), NMACS);
  CHECK_EQ(atomic_load(&port_macs[2]), NMACS);
  int wrong = 0;
  uint8_t mac[6];
  for (uint32_t i = 0; i < 2 * NMACS; i++) {
    mac_of(i, mac);
    if (hv_fdb_port(fdb, 10, mac) != (i < NMACS ? 1 : 2)) wrong++;
  }
  CHECK_EQ(wrong, 0);
  CHECK_EQ(atomic_load(&torn), 0);
  hv_fdb_destroy(fdb);
}

static int entries;
static void count_cb(void *ctx, const struct hv_fdb_entry *e) {
  (void)ctx;
  (void)e;
  entries++;
}

static void same_macs(void) {
  memset(port_macs, 0, sizeof port_macs);
  fdb = hv_fdb_create(4 * NMACS, port_macs);
  struct learner a = {.port = 1, .first = 0, .rounds = HV_TEST_STEPS(500)};
  struct learner b = {.port = 2, .first = 0, .rounds = HV_TEST_STEPS(500)};
  run_learners(&a, &b);
  printf("# same MACs from two threads: %ld + %ld new, %ld + %ld moves\n", a.fresh, b.fresh, a.moved, b.moved);
  CHECK_EQ(hv_fdb_count(fdb), NMACS);
  CHECK_EQ(a.fresh + b.fresh, NMACS); /* each MAC is new exactly once */
  entries = 0;
  hv_fdb_walk(fdb, count_cb, NULL);
  CHECK_EQ(entries, NMACS);
  CHECK_EQ(atomic_load(&port_macs[1]) + atomic_load(&port_macs[2]), NMACS);
  int bad = 0;
  uint8_t mac[6];
  for (uint32_t i = 0; i < NMACS; i++) {
    mac_of(i, mac);
    int p = hv_fdb_port(fdb, 10, mac);
    if (p != 1 && p != 2) bad++;
  }
  CHECK_EQ(bad, 0);
  CHECK_EQ(atomic_load(&torn), 0);
  hv_fdb_destroy(fdb);
}

int main(void) {
  different_macs();
  same_macs();
  return tap_done();
}
