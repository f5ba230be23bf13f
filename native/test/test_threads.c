/* Control <-> data concurrency under the sanitizers: two worker threads forward
 * between memory ports while the controller adds and removes ports, changes
 * VLANs, flushes the FDB and rewrites routes.  Checks that traffic between the
 * unchanged ports keeps flowing and nothing is freed under a worker (ASan). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"

static _Atomic int stop;
static int pa, pb;

static void *sender(void *arg) {
  uint8_t f[128];
  uint32_t n = mk_frame(f, MAC_B, MAC_A, -1, 0x0800, 46);
  while (!atomic_load(&stop)) {
    hv_port_mem_inject(hv_core_port(core, (uint16_t)pa), f, n);
    usleep(50);
  }
  return NULL;
}

int main(void) {
  harness_core(2, 5);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 4096, err, sizeof err), 0);
  CHECK_EQ(hv_core_vrf_add(core, 1, err, sizeof err), 0);
  pa = add_l2_port("a", HV_MODE_ACCESS, 10, NULL);
  pb = add_l2_port("b", HV_MODE_ACCESS, 10, NULL);
  /* B is known on port b so A's frames are unicast to it */
  CHECK_EQ(hv_fdb_add_static(hv_core_fdb(core, 0), 10, MAC_B, (uint16_t)pb), 0);
  CHECK_EQ(hv_core_start(core, err, sizeof err), 0);
  pthread_t t;
  pthread_create(&t, NULL, sender, NULL);
  uint8_t buf[2048];
  long received = 0;
  for (int round = 0; round < 300; round++) {
    int c = add_l2_port("churn", HV_MODE_ACCESS, (uint16_t)(round % 2 ? 10 : 20), NULL);
    struct hv_nh nh = {.kind = HV_NH_DROP};
    hv_core_nh_set(core, 1, &nh);
    hv_core_route4(core, 1, 0x0a000000u + (uint32_t)round * 256, 24, 1, 0);
    if (round % 3 == 0) hv_fdb_flush(hv_core_fdb(core, 0), -1, -1, 0, NULL, NULL);
    if (c >= 0) hv_core_port_del(core, (uint16_t)c);
    hv_core_route4(core, 1, 0x0a000000u + (uint32_t)round * 256, 24, 0, 1);
    if (round % 10 == 0) hv_core_synchronize(core);
    while (hv_port_mem_pop(hv_core_port(core, (uint16_t)pb), buf, sizeof buf) > 0) received++;
    struct hv_event ev[64];
    hv_core_events(core, ev, 64);
  }
  atomic_store(&stop, 1);
  pthread_join(t, NULL);
  usleep(20000);
  while (hv_port_mem_pop(hv_core_port(core, (uint16_t)pb), buf, sizeof buf) > 0) received++;
  printf("# %ld frames forwarded during 300 config changes\n", received);
  CHECK(received > 100);
  struct hv_port_counters ca;
  hv_core_port_stats(core, (uint16_t)pa, &ca);
  CHECK(ca.v[HV_CTR_rx_packets] >= (uint64_t)received);
  hv_core_destroy(core);
  return tap_done();
}
