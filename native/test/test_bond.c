/* Bonds (bond.h) over memory ports: a bond in bridge domain 0 (access VLAN 10)
 * with three members, and a VM-side access port.  Checked: frames of a member
 * not collecting are dropped and counted, LACPDUs are punted as the member and
 * never flooded, learning puts the MAC on the bond (not the member), frames to
 * the bond leave on exactly one distributing member chosen by the hash (a
 * flow always on the same one, the flows spread over all), no distributing
 * member is a counted drop, and a member removed or re-moded leaves the
 * distributing set in the same publish. */
#include <stdio.h>

#include "harness.h"
#include "punt.h"
#include "stage.h"

static int vm, bond, m[3];

static int add_bond(const char *name) {
  struct hv_port_open_params pp;
  memset(&pp, 0, sizeof pp);
  pp.kind = HV_PORT_BOND;
  snprintf(pp.name, sizeof pp.name, "%s", name);
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = 0;
  s.mode = HV_MODE_ACCESS;
  s.vlan = 10;
  char err[256];
  int id = hv_core_port_add(core, &pp, &s, err, sizeof err);
  if (id < 0) printf("# %s\n", err);
  return id;
}

static struct hv_port_settings member_settings(int of) {
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_MEMBER;
  s.bond = (uint16_t)of;
  return s;
}

static void set_member(int port, int collecting, int distributing) {
  char err[256];
  CHECK_EQ(hv_core_bond_member(core, (uint16_t)port, collecting, distributing, err, sizeof err), 0);
}

static int drain_members(void) { return drain(m[0]) + drain(m[1]) + drain(m[2]); }

/* The member that transmitted one frame (and drains the others), -1 if none or several. */
static int which_member(void) {
  int who = -1, n = 0;
  for (int i = 0; i < 3; i++) {
    int k = drain(m[i]);
    if (k) who = i;
    n += k;
  }
  return n == 1 ? who : -1;
}

static void setup(void) {
  harness_core(1, 0);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 1024, err, sizeof err), 0);
  CHECK_EQ(hv_core_vrf_add(core, 1, err, sizeof err), 0);
  vm = add_l2_port("vm", HV_MODE_ACCESS, 10, NULL);
  bond = add_bond("bond0");
  for (int i = 0; i < 3; i++) {
    char name[8];
    snprintf(name, sizeof name, "m%d", i);
    struct hv_port_settings s = member_settings(bond);
    m[i] = add_port_with(name, &s);
  }
  CHECK(vm >= 0 && bond >= 0 && m[0] >= 0 && m[1] >= 0 && m[2] >= 0);
}

static void test_settings_rules(void) {
  struct hv_port_settings s = member_settings(vm); /* not a bond */
  CHECK_EQ(add_port_with("bad1", &s), -1);
  s = member_settings(bond);
  s.bd = 0;
  CHECK_EQ(add_port_with("bad2", &s), -1);
  char err[256];
  struct hv_port_settings r;
  memset(&r, 0, sizeof r);
  r.bd = HV_NO_BD;
  r.mode = HV_MODE_ROUTED;
  r.l3.vrf = 1;
  CHECK_EQ(hv_core_port_set(core, (uint16_t)bond, &r, err, sizeof err), -1);
  CHECK(strstr(err, "bond") != NULL);
  CHECK_EQ(hv_core_bond_member(core, (uint16_t)vm, 1, 1, err, sizeof err), -1);
  CHECK_EQ(hv_core_bond_hash(core, (uint16_t)vm, HV_BOND_HASH_L2, err, sizeof err), -1);
  CHECK_EQ(hv_core_bond_hash(core, (uint16_t)bond, 7, err, sizeof err), -1);
  const struct hv_view *v = atomic_load(&core->view);
  CHECK_EQ(hv_path_of(&v->ports[m[0]], NULL), HV_PATH_BOND);
  CHECK(v->ports[m[0]].punt_mask & HV_PUNT_slow); /* forced on members */
}

/* §5.4.9: a member not collecting takes nothing in; a collecting one feeds the bond. */
static void test_collecting_only(void) {
  uint8_t f[128];
  uint32_t len = mk_frame(f, MAC_BCAST, MAC_A, -1, 0x0800, 46);
  inject(m[0], f, len);
  CHECK_EQ(drain(vm), 0);
  CHECK_EQ(ctr(m[0], HV_CTR_drop_bond_not_collecting), 1);
  CHECK_EQ(ctr(m[0], HV_CTR_rx_packets), 1);
  CHECK_EQ(ctr(bond, HV_CTR_rx_packets), 0);
  CHECK_EQ(hv_fdb_port(hv_core_fdb(core, 0), 10, MAC_A), -1);
  set_member(m[0], 1, 0);
  inject(m[0], f, len);
  CHECK_EQ(drain(vm), 1);
  CHECK_EQ(drain_members(), 0); /* never back into the bond */
  CHECK_EQ(ctr(bond, HV_CTR_rx_packets), 1);
  CHECK_EQ(ctr(m[0], HV_CTR_rx_packets), 2);
  /* learning sees the bond, not the member */
  CHECK_EQ(hv_fdb_port(hv_core_fdb(core, 0), 10, MAC_A), bond);
  CHECK_EQ(ctr(bond, HV_CTR_learned), 1);
  CHECK_EQ(ctr(m[0], HV_CTR_learned), 0);
}

/* Slow protocols on a member go to the controller, as the member, never flooded. */
static void test_lacpdu_punted(void) {
  static const uint8_t slow[6] = {0x01, 0x80, 0xc2, 0x00, 0x00, 0x02};
  uint8_t f[128];
  uint32_t len = mk_frame(f, slow, MAC_C, -1, 0x8809, 110);
  struct hv_punt got[4];
  inject(m[1], f, len); /* m1 not collecting */
  inject(m[0], f, len); /* m0 collecting */
  CHECK_EQ(drain(vm), 0);
  CHECK_EQ(hv_core_punts(core, got, 4), 2);
  CHECK_EQ(got[0].port, m[1]);
  CHECK_EQ(got[0].reason, HV_PUNT_slow);
  CHECK_EQ(got[1].port, m[0]);
  CHECK_EQ(ctr(m[0], HV_CTR_punted), 1);
  CHECK_EQ(ctr(m[1], HV_CTR_punted), 1);
  CHECK_EQ(ctr(m[1], HV_CTR_drop_bond_not_collecting), 0); /* punted, not dropped by the bond */
  CHECK_EQ(hv_fdb_port(hv_core_fdb(core, 0), 10, MAC_C), -1);
}

static void test_no_distributing_member(void) {
  uint8_t f[128];
  uint32_t len = mk_frame(f, MAC_A, MAC_B, -1, 0x0800, 46); /* MAC_A is on the bond */
  inject(vm, f, len);
  CHECK_EQ(drain_members(), 0);
  CHECK_EQ(ctr(bond, HV_CTR_drop_bond_no_member), 1);
}

/* A flow always leaves on one member; 64 flows use all three. */
static void test_distribution_l2(void) {
  for (int i = 0; i < 3; i++) set_member(m[i], 1, 1);
  uint16_t d[HV_BOND_MAX_MEMBERS];
  CHECK_EQ(hv_core_bond_distributing(core, (uint16_t)bond, d, HV_BOND_MAX_MEMBERS), 3);
  int used[3] = {0, 0, 0}, stable = 1, single = 1;
  for (int flow = 0; flow < 64; flow++) {
    uint8_t src[6] = {0x02, 0, 0, 0, 1, (uint8_t)flow};
    uint8_t f[128];
    uint32_t len = mk_frame(f, MAC_A, src, -1, 0x0800, 46);
    inject(vm, f, len);
    int first = which_member();
    inject(vm, f, len);
    int again = which_member();
    if (first < 0) single = 0;
    else used[first]++;
    if (first != again) stable = 0;
  }
  CHECK(single);
  CHECK(stable);
  CHECK(used[0] > 0 && used[1] > 0 && used[2] > 0);
  CHECK_EQ(ctr(bond, HV_CTR_tx_packets), 128);
  CHECK_EQ(ctr(m[0], HV_CTR_tx_packets) + ctr(m[1], HV_CTR_tx_packets) + ctr(m[2], HV_CTR_tx_packets), 128);
  /* a broadcast from the VM side: one copy into the bond, on one member */
  uint8_t f[128];
  uint32_t len = mk_frame(f, MAC_BCAST, MAC_B, -1, 0x0806, 46);
  inject(vm, f, len);
  CHECK(which_member() >= 0);
}

/* UDP flows between the same two MACs spread by ports under l3l4, not under l2. */
static void test_distribution_l3l4(void) {
  char err[256];
  int used_l2[3] = {0, 0, 0}, used_l34[3] = {0, 0, 0}, single = 1;
  for (int pass = 0; pass < 2; pass++) {
    CHECK_EQ(hv_core_bond_hash(core, (uint16_t)bond, pass ? HV_BOND_HASH_L3L4 : HV_BOND_HASH_L2, err, sizeof err), 0);
    for (int flow = 0; flow < 64; flow++) {
      uint8_t f[128];
      uint32_t len = ip4_frame(f, MAC_A, MAC_B, IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), 64, 17);
      hv_wr16(f + 34, (uint16_t)(10000 + flow)); /* UDP source port */
      hv_wr16(f + 36, 4789);
      inject(vm, f, len);
      int who = which_member();
      if (who < 0) single = 0;
      else (pass ? used_l34 : used_l2)[who]++;
    }
  }
  CHECK(single);
  CHECK((used_l2[0] == 64) + (used_l2[1] == 64) + (used_l2[2] == 64) == 1); /* one MAC pair: one member */
  CHECK(used_l34[0] > 0 && used_l34[1] > 0 && used_l34[2] > 0);
  /* non-IP under l3l4 falls back to the l2 hash */
  struct hv_pkt p;
  uint8_t f[128];
  memset(&p, 0, sizeof p);
  p.data = f;
  p.len = mk_frame(f, MAC_A, MAC_B, -1, 0x0806, 46);
  p.ethertype = 0x0806;
  p.l3_off = 14;
  CHECK(hv_bond_flow_hash(HV_BOND_HASH_L3L4, &p) == hv_bond_flow_hash(HV_BOND_HASH_L2, &p));
  /* a non-first fragment carries no ports: hashed on the addresses alone */
  p.len = ip4_frame(f, MAC_A, MAC_B, IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), 64, 17);
  p.ethertype = 0x0800;
  f[20] = 0x00, f[21] = 0x10; /* fragment offset 16 */
  uint64_t h1 = hv_bond_flow_hash(HV_BOND_HASH_L3L4, &p);
  hv_wr16(f + 34, 1);
  CHECK(hv_bond_flow_hash(HV_BOND_HASH_L3L4, &p) == h1);
}

/* Removing a member (deleted, or moved out of the bond) takes it out of distribution. */
static void test_member_removal(void) {
  char err[256];
  CHECK_EQ(hv_core_bond_hash(core, (uint16_t)bond, HV_BOND_HASH_L2, err, sizeof err), 0);
  CHECK_EQ(hv_core_port_del(core, (uint16_t)m[1]), 0);
  uint16_t d[HV_BOND_MAX_MEMBERS];
  CHECK_EQ(hv_core_bond_distributing(core, (uint16_t)bond, d, HV_BOND_MAX_MEMBERS), 2);
  CHECK(d[0] == m[0] && d[1] == m[2]);
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = 0;
  s.mode = HV_MODE_ACCESS;
  s.vlan = 20;
  CHECK_EQ(hv_core_port_set(core, (uint16_t)m[2], &s, err, sizeof err), 0);
  CHECK_EQ(hv_core_bond_distributing(core, (uint16_t)bond, d, HV_BOND_MAX_MEMBERS), 1);
  int only_m0 = 1;
  for (int flow = 0; flow < 32; flow++) {
    uint8_t src[6] = {0x02, 0, 0, 0, 2, (uint8_t)flow};
    uint8_t f[128];
    uint32_t len = mk_frame(f, MAC_A, src, -1, 0x0800, 46);
    inject(vm, f, len);
    if (drain(m[0]) != 1 || drain(m[2]) != 0) only_m0 = 0;
  }
  CHECK(only_m0);
  /* back into the bond: it starts neither collecting nor distributing */
  s = member_settings(bond);
  CHECK_EQ(hv_core_port_set(core, (uint16_t)m[2], &s, err, sizeof err), 0);
  CHECK_EQ(hv_core_bond_distributing(core, (uint16_t)bond, d, HV_BOND_MAX_MEMBERS), 1);
  /* the FDB entry stays on the bond through member changes */
  CHECK_EQ(hv_fdb_port(hv_core_fdb(core, 0), 10, MAC_A), bond);
  set_member(m[0], 0, 0);
  CHECK_EQ(hv_core_bond_distributing(core, (uint16_t)bond, d, HV_BOND_MAX_MEMBERS), 0);
}

int main(void) {
  setup();
  test_settings_rules();
  test_collecting_only();
  test_lacpdu_punted();
  test_no_distributing_member();
  test_distribution_l2();
  test_distribution_l3l4();
  test_member_removal();
  hv_core_destroy(core);
  return tap_done();
}
