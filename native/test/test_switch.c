/* Whole-core forwarding over memory ports, byte for byte: learning, flooding
 * within the VLAN only, never back out of the ingress port, 802.1Q push/pop on
 * trunks with a native VLAN, drops counted by reason, MAC events. */
#include "harness.h"

static int a10, b10, c20, tr;

/* 1-3: flooding within the VLAN, tag push on the trunk, learned unicast with tag pop */
static void test_flood_and_unicast(void) {
  uint8_t f[2048], exp[2048];
  /* 1. broadcast from a10 (VLAN 10): flooded to b10 untagged and to the trunk
   *    untagged (native VLAN), not to c20, not back to a10. */
  uint32_t n = mk_frame(f, MAC_BCAST, MAC_A, -1, 0x0806, 28);
  inject(a10, f, n);
  CHECK_EQ(pop(b10), (int)n);
  CHECK(memcmp(out, f, n) == 0);
  CHECK_EQ(pop(tr), (int)n);
  CHECK(memcmp(out, f, n) == 0);
  CHECK_EQ(pop(c20), 0);
  CHECK_EQ(pop(a10), 0);
  CHECK_EQ(hv_fdb_port(hv_core_fdb(core, 0), 10, MAC_A), a10);

  /* 2. broadcast from c20 (VLAN 20): only the trunk, tagged with VID 20. */
  n = mk_frame(f, MAC_BCAST, MAC_C, -1, 0x0806, 28);
  inject(c20, f, n);
  uint32_t en = mk_frame(exp, MAC_BCAST, MAC_C, 20, 0x0806, 28);
  CHECK_EQ(pop(tr), (int)en);
  CHECK(memcmp(out, exp, en) == 0);
  CHECK_EQ(pop(a10), 0);
  CHECK_EQ(pop(b10), 0);

  /* 3. tagged VID 20 from the trunk to C (learned): unicast, tag popped, nothing flooded */
  n = mk_frame(f, MAC_C, MAC_B, 20, 0x0800, 46);
  inject(tr, f, n);
  en = mk_frame(exp, MAC_C, MAC_B, -1, 0x0800, 46);
  CHECK_EQ(pop(c20), (int)en);
  CHECK(memcmp(out, exp, en) == 0);
  CHECK_EQ(pop(a10), 0);
  CHECK_EQ(pop(b10), 0);
}

/* 4-7: drops by reason, the native VLAN, PCP on push, malformed frames */
static void test_vlans_and_drops(void) {
  uint8_t f[2048], exp[2048];
  uint32_t n, en;
  /* 4. VLAN not allowed on the trunk (30) is dropped and counted */
  n = mk_frame(f, MAC_BCAST, MAC_B, 30, 0x0800, 46);
  inject(tr, f, n);
  CHECK_EQ(ctr(tr, HV_CTR_drop_vlan_not_allowed), 1);
  CHECK_EQ(pop(a10) + pop(b10) + pop(c20), 0);
  /* a tagged frame on an access port is dropped too */
  n = mk_frame(f, MAC_BCAST, MAC_A, 10, 0x0800, 46);
  inject(a10, f, n);
  CHECK_EQ(ctr(a10, HV_CTR_drop_vlan_not_allowed), 1);

  /* 5. untagged on the trunk = native VLAN 10: unicast to A after learning */
  n = mk_frame(f, MAC_A, MAC_B, -1, 0x0800, 46);
  inject(tr, f, n);
  CHECK_EQ(pop(a10), (int)n);
  CHECK(memcmp(out, f, n) == 0);
  CHECK_EQ(pop(b10), 0);
  /* and back: A -> B (learned on the trunk in VLAN 10) leaves untagged */
  n = mk_frame(f, MAC_B, MAC_A, -1, 0x0800, 46);
  inject(a10, f, n);
  CHECK_EQ(pop(tr), (int)n);
  CHECK_EQ(pop(b10), 0);

  /* 6. PCP is kept when a tag is pushed: frame tagged PCP 3 VID 20 from C? C is access:
   *    its frames are untagged, so PCP 0. Tagged-in with PCP 6 on the trunk to the
   *    trunk cannot happen (one trunk); check push with PCP 0. */
  n = mk_frame(f, MAC_B, MAC_C, -1, 0x0800, 46);
  inject(c20, f, n);
  en = mk_frame(exp, MAC_B, MAC_C, 20, 0x0800, 46);
  CHECK_EQ(pop(tr), (int)en);
  CHECK(memcmp(out, exp, en) == 0);

  /* 7. malformed frames counted, nothing forwarded */
  inject(a10, f, 10);
  CHECK_EQ(ctr(a10, HV_CTR_drop_runt), 1);
  n = mk_frame(f, MAC_BCAST, MAC_A, -1, 0x0800, 1600);
  inject(a10, f, n);
  CHECK_EQ(ctr(a10, HV_CTR_drop_too_long), 1);
  CHECK_EQ(pop(b10) + pop(tr), 0);
}

/* 8-11: a MAC moves, events, counters, a port removed */
static void test_move_events_removal(void) {
  uint8_t f[2048];
  uint32_t n;
  /* 8. move: MAC_A now appears on b10 */
  n = mk_frame(f, MAC_BCAST, MAC_A, -1, 0x0806, 28);
  inject(b10, f, n);
  CHECK_EQ(hv_fdb_port(hv_core_fdb(core, 0), 10, MAC_A), b10);
  CHECK_EQ(ctr(b10, HV_CTR_moved), 1);
  while (pop(a10) > 0 || pop(tr) > 0) {
  }

  /* 9. events: learned A, C, B(20), B(10), and the move */
  struct hv_event ev[64];
  int ne = hv_core_events(core, ev, 64);
  int learned = 0, moved = 0;
  for (int i = 0; i < ne; i++) {
    learned += ev[i].kind == HV_EV_LEARNED;
    moved += ev[i].kind == HV_EV_MOVED && ev[i].old_port == a10 && ev[i].port == b10;
  }
  CHECK_EQ(learned, 4);
  CHECK_EQ(moved, 1);

  /* 10. counters */
  CHECK_EQ(ctr(tr, HV_CTR_rx_packets), 3);
  CHECK(ctr(tr, HV_CTR_tx_packets) >= 4);

  /* 11. removing a port flushes what it learned and keeps the others forwarding */
  CHECK_EQ(hv_core_port_del(core, (uint16_t)c20), 0);
  CHECK_EQ(hv_fdb_port(hv_core_fdb(core, 0), 20, MAC_C), -1);
  n = mk_frame(f, MAC_B, MAC_A, -1, 0x0800, 46);
  inject(b10, f, n);
  CHECK_EQ(pop(tr), (int)n);
}

int main(void) {
  harness_core(1, 0);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 1024, err, sizeof err), 0);
  a10 = add_l2_port("a10", HV_MODE_ACCESS, 10, NULL);
  b10 = add_l2_port("b10", HV_MODE_ACCESS, 10, NULL);
  c20 = add_l2_port("c20", HV_MODE_ACCESS, 20, NULL);
  const int allowed[] = {10, 20, 0};
  tr = add_l2_port("tr", HV_MODE_TRUNK, 10 /* native */, allowed);
  CHECK(a10 >= 0 && b10 >= 0 && c20 >= 0 && tr >= 0);
  test_flood_and_unicast();
  test_vlans_and_drops();
  test_move_events_removal();
  hv_core_destroy(core);
  return tap_done();
}
