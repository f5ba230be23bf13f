/* Flood lists per (bridge domain, VLAN) with split-horizon groups (flood.h):
 * who a broadcast reaches for access / trunk / native-VLAN combinations, the
 * list rebuilt when a port changes VLAN or leaves, split horizon between
 * members of one group, extra members (a tunnel endpoint) added and removed by
 * the controller. */
#include "harness.h"

static int a10, b10, c20, tr, tr2;

/* Broadcast from `in` untagged (vid < 0) or tagged; returns a bitmask of the ports it reached. */
static unsigned flood_from(int in, int vid) {
  uint8_t f[128];
  uint32_t n = mk_frame(f, MAC_BCAST, MAC_A, vid, 0x0806, 28);
  inject(in, f, n);
  unsigned reached = 0;
  int ports[] = {a10, b10, c20, tr, tr2};
  for (int i = 0; i < 5; i++)
    if (drain(ports[i])) reached |= 1u << ports[i];
  return reached;
}
#define BIT(p) (1u << (p))

static int has_member(uint16_t vlan, hv_egress e, uint16_t *group) {
  uint32_t n;
  const struct hv_flood_member *m = hv_flood_members(hv_core_flood(core, 0), vlan, &n);
  for (uint32_t k = 0; k < n; k++)
    if (m[k].egress == e) {
      if (group) *group = m[k].group;
      return 1;
    }
  return 0;
}

/* Makes `port` an access port of VLAN `vlan` in bridge domain 0, split-horizon group `group`. */
static int set_access(int port, uint16_t vlan, uint16_t group) {
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = 0;
  s.mode = HV_MODE_ACCESS;
  s.vlan = vlan;
  s.flood_group = group;
  char err[256];
  return hv_core_port_set(core, (uint16_t)port, &s, err, sizeof err);
}

static void test_membership(void) {
  /* VLAN 10: a10, b10, tr (native), tr2 (tagged); VLAN 20: c20, tr, tr2 */
  uint32_t n;
  const struct hv_flood_member *m = hv_flood_members(hv_core_flood(core, 0), 10, &n);
  CHECK_EQ(n, 4);
  CHECK(n == 4 && m[0].egress == hv_egress_port((uint16_t)a10) && m[3].egress == hv_egress_port((uint16_t)tr2));
  hv_flood_members(hv_core_flood(core, 0), 20, &n);
  CHECK_EQ(n, 3);
  hv_flood_members(hv_core_flood(core, 0), 30, &n);
  CHECK_EQ(n, 0);
  CHECK_EQ(flood_from(a10, -1), BIT(b10) | BIT(tr) | BIT(tr2));
  CHECK_EQ(flood_from(c20, -1), BIT(tr) | BIT(tr2));
  CHECK_EQ(flood_from(tr, -1), BIT(a10) | BIT(b10) | BIT(tr2));  /* untagged: native 10 */
  CHECK_EQ(flood_from(tr, 20), BIT(c20) | BIT(tr2));
  CHECK_EQ(flood_from(tr2, 10), BIT(a10) | BIT(b10) | BIT(tr));
  CHECK_EQ(flood_from(tr2, -1), 0); /* tr2 has no native VLAN: dropped */
}

/* a port moving from VLAN 10 to 20 leaves the first list and joins the second */
static void test_port_change(void) {
  CHECK_EQ(set_access(b10, 20, 0), 0);
  CHECK(!has_member(10, hv_egress_port((uint16_t)b10), NULL));
  CHECK(has_member(20, hv_egress_port((uint16_t)b10), NULL));
  CHECK_EQ(flood_from(a10, -1), BIT(tr) | BIT(tr2));
  CHECK_EQ(flood_from(c20, -1), BIT(b10) | BIT(tr) | BIT(tr2));
  CHECK_EQ(set_access(b10, 10, 0), 0);
  CHECK_EQ(flood_from(a10, -1), BIT(b10) | BIT(tr) | BIT(tr2));
}

/* split horizon: a10 and b10 in group 7 do not flood to each other; others still reach both */
static void test_split_horizon(void) {
  CHECK_EQ(set_access(a10, 10, 7), 0);
  CHECK_EQ(set_access(b10, 10, 7), 0);
  uint16_t g = 0;
  CHECK(has_member(10, hv_egress_port((uint16_t)a10), &g) && g == 7);
  CHECK_EQ(flood_from(a10, -1), BIT(tr) | BIT(tr2));
  CHECK_EQ(flood_from(b10, -1), BIT(tr) | BIT(tr2));
  CHECK_EQ(flood_from(tr2, 10), BIT(a10) | BIT(b10) | BIT(tr));
  CHECK_EQ(set_access(a10, 10, 0), 0);
  CHECK_EQ(set_access(b10, 10, 0), 0);
  CHECK_EQ(flood_from(a10, -1), BIT(b10) | BIT(tr) | BIT(tr2));
}

/* extra members: a tunnel endpoint in VLAN 10 (no backend yet: counted), removed again */
static void test_extra_members(void) {
  char err[256];
  hv_egress vtep = hv_egress_make(HV_EGRESS_TUNNEL, 3);
  CHECK_EQ(hv_core_flood_add(core, 0, 10, vtep, 1, err, sizeof err), 0);
  CHECK_EQ(hv_core_flood_add(core, 0, 10, hv_egress_port(1), 0, err, sizeof err), -1); /* ports join by VLAN */
  CHECK_EQ(hv_core_flood_add(core, 9, 10, vtep, 1, err, sizeof err), -1);              /* no such bridge domain */
  uint16_t g = 0;
  CHECK(has_member(10, vtep, &g) && g == 1);
  CHECK(!has_member(20, vtep, NULL));
  uint64_t before = ctr(a10, HV_CTR_drop_no_backend);
  CHECK_EQ(flood_from(a10, -1), BIT(b10) | BIT(tr) | BIT(tr2));
  CHECK_EQ(ctr(a10, HV_CTR_drop_no_backend) - before, 1);
  /* the list survives a port change (rebuilt with the extra member) */
  CHECK_EQ(set_access(b10, 10, 0), 0);
  CHECK(has_member(10, vtep, NULL));
  CHECK_EQ(hv_core_flood_del(core, 0, 10, vtep), 0);
  CHECK_EQ(hv_core_flood_del(core, 0, 10, vtep), -1);
  CHECK(!has_member(10, vtep, NULL));
}

/* a port that leaves is no longer flooded to */
static void test_port_del(void) {
  CHECK_EQ(hv_core_port_del(core, (uint16_t)tr2), 0);
  CHECK(!has_member(10, hv_egress_port((uint16_t)tr2), NULL));
  uint32_t n;
  hv_flood_members(hv_core_flood(core, 0), 10, &n);
  CHECK_EQ(n, 3);
}

int main(void) {
  harness_core(1, 0);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 1024, err, sizeof err), 0);
  const int allowed[] = {10, 20, 0};
  a10 = add_l2_port("a10", HV_MODE_ACCESS, 10, NULL);
  b10 = add_l2_port("b10", HV_MODE_ACCESS, 10, NULL);
  c20 = add_l2_port("c20", HV_MODE_ACCESS, 20, NULL);
  tr = add_l2_port("tr", HV_MODE_TRUNK, 10, allowed);   /* native VLAN 10 */
  tr2 = add_l2_port("tr2", HV_MODE_TRUNK, 0, allowed);  /* no native VLAN */
  CHECK(a10 >= 0 && b10 >= 0 && c20 >= 0 && tr >= 0 && tr2 >= 0);
  test_membership();
  test_port_change();
  test_split_horizon();
  test_extra_members();
  test_port_del();
  hv_core_destroy(core);
  return tap_done();
}
