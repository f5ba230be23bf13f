/* Bonds under reload-like churn, with the workers running (ASan/UBSan): two
 * worker threads forward between a VM port and a bond of three memory-port
 * members while the controller does what a config reload does to a bond —
 * a member removed and reopened (a new port, often at another id), members
 * marked collecting/distributing and back, the hash changed, LACPDUs injected
 * on members, and every 40 rounds the whole bond deleted and rebuilt (once
 * with its members still in place, as a failed rebuild would leave them).
 * Every 40 rounds the bridge is rebuilt too (VM port reopened, bridge domain
 * deleted and re-added with a new size), as a reload resizing it does.
 * Checked: nothing is freed under a worker (the sanitizers), traffic from the
 * VM keeps leaving on the members, and frames from members keep reaching the
 * VM. The plain build (no ASan quarantine, so a freed view's address comes
 * back from malloc) segfaulted here in every run while a waking worker told a
 * new view from the old one by its address alone (worker.c). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "punt.h"

static _Atomic int stop, vm_ok = 1, sending;
static int vm, bond, m[3];
static int round_no;

static void *sender(void *arg) {
  (void)arg;
  uint8_t f[128];
  while (!atomic_load(&stop)) {
    /* 16 flows to the server's MAC, learned (static) on the bond */
    atomic_store(&sending, 1);
    for (int i = 0; i < 16 && atomic_load(&vm_ok); i++) {
      uint32_t n = mk_frame(f, MAC_A, MAC_B, -1, 0x0800, 46);
      f[6 + 5] = (uint8_t)i; /* source MAC varies: the l2 hash spreads them */
      hv_port_mem_inject(hv_core_port(core, (uint16_t)vm), f, n);
    }
    atomic_store(&sending, 0);
    usleep(100);
  }
  return NULL;
}

static int add_bond(void) {
  struct hv_port_open_params pp;
  memset(&pp, 0, sizeof pp);
  pp.kind = HV_PORT_BOND;
  snprintf(pp.name, sizeof pp.name, "bond0");
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = 0;
  s.mode = HV_MODE_ACCESS;
  s.vlan = 10;
  char err[256];
  return hv_core_port_add(core, &pp, &s, err, sizeof err);
}

static int add_member(int i) {
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_MEMBER;
  s.bond = (uint16_t)bond;
  char name[16];
  snprintf(name, sizeof name, "m%d-%d", i, round_no);
  return add_port_with(name, &s);
}

static void set_member(int port, int c, int d) {
  char err[256];
  CHECK_EQ(hv_core_bond_member(core, (uint16_t)port, c, d, err, sizeof err), 0);
}

static void rebuild_bond(int members_first) {
  if (members_first)
    for (int i = 0; i < 3; i++) CHECK_EQ(hv_core_port_del(core, (uint16_t)m[i]), 0);
  CHECK_EQ(hv_core_port_del(core, (uint16_t)bond), 0);
  if (!members_first) /* the members outlive their bond for a while */
    for (int i = 0; i < 3; i++) CHECK_EQ(hv_core_port_del(core, (uint16_t)m[i]), 0);
  if (members_first) { /* the reconciler's bridge rebuild (a new size): the VM port reopened too */
    atomic_store(&vm_ok, 0);
    while (atomic_load(&sending)) usleep(10);
    CHECK_EQ(hv_core_port_del(core, (uint16_t)vm), 0);
    CHECK_EQ(hv_core_bd_del(core, 0), 0);
    char err[256];
    CHECK_EQ(hv_core_bd_add(core, 0, round_no % 160 ? 1000 : 4096, err, sizeof err), 0);
    vm = add_l2_port("vm", HV_MODE_ACCESS, 10, NULL);
    CHECK(vm >= 0);
    atomic_store(&vm_ok, 1);
  }
  bond = add_bond();
  CHECK(bond >= 0);
  CHECK_EQ(hv_fdb_add_static(hv_core_fdb(core, 0), 10, MAC_A, (uint16_t)bond), 0);
  for (int i = 0; i < 3; i++) {
    m[i] = add_member(i);
    CHECK(m[i] >= 0);
    set_member(m[i], 1, 1);
  }
}

int main(void) {
  harness_core(2, 5);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 4096, err, sizeof err), 0);
  vm = add_l2_port("vm", HV_MODE_ACCESS, 10, NULL);
  bond = add_bond();
  CHECK(vm >= 0 && bond >= 0);
  for (int i = 0; i < 3; i++) {
    m[i] = add_member(i);
    CHECK(m[i] >= 0);
    set_member(m[i], 1, 1);
  }
  CHECK_EQ(hv_fdb_add_static(hv_core_fdb(core, 0), 10, MAC_A, (uint16_t)bond), 0);
  CHECK_EQ(hv_core_start(core, err, sizeof err), 0);
  pthread_t t;
  pthread_create(&t, NULL, sender, NULL);
  uint8_t buf[2048], f[128], lacpdu[128];
  uint32_t fl = mk_frame(f, MAC_BCAST, MAC_A, -1, 0x0800, 46);
  memset(lacpdu, 0, sizeof lacpdu);
  memcpy(lacpdu, "\x01\x80\xc2\x00\x00\x02", 6);
  memcpy(lacpdu + 12, "\x88\x09\x01\x01", 4);
  long to_members = 0, to_vm = 0;
  for (round_no = 1; round_no <= 300; round_no++) {
    int i = round_no % 3;
    /* a member reopened: removed, a new port added to the bond */
    CHECK_EQ(hv_core_port_del(core, (uint16_t)m[i]), 0);
    m[i] = add_member(i);
    CHECK(m[i] >= 0);
    set_member(m[i], 1, round_no % 4 != 0);
    set_member(m[(i + 1) % 3], round_no % 5 != 0, round_no % 5 != 0);
    CHECK_EQ(hv_core_bond_hash(core, (uint16_t)bond, round_no % 2 ? HV_BOND_HASH_L2 : HV_BOND_HASH_L3L4, err, sizeof err), 0);
    for (int k = 0; k < 3; k++) {
      hv_port_mem_inject(hv_core_port(core, (uint16_t)m[k]), f, fl); /* the server's frames */
      hv_core_inject(core, (uint16_t)m[k], lacpdu, 124);             /* our LACPDUs */
    }
    if (round_no % 20 == 0) rebuild_bond(round_no % 40 == 0);
    if (round_no % 10 == 0) hv_core_synchronize(core);
    for (int k = 0; k < 3; k++)
      while (hv_port_mem_pop(hv_core_port(core, (uint16_t)m[k]), buf, sizeof buf) > 0) to_members++;
    while (hv_port_mem_pop(hv_core_port(core, (uint16_t)vm), buf, sizeof buf) > 0) to_vm++;
    struct hv_punt punts[16];
    while (hv_core_punts(core, punts, 16) > 0) {
    }
    struct hv_event ev[64];
    hv_core_events(core, ev, 64);
    usleep(500);
  }
  atomic_store(&stop, 1);
  pthread_join(t, NULL);
  printf("# %ld frames left on members, %ld reached the VM, during 300 rounds of bond churn\n", to_members, to_vm);
  CHECK(to_members > 1000);
  CHECK(to_vm > 100);
  hv_core_destroy(core);
  return tap_done();
}
