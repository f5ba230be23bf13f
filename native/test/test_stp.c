/* Spanning tree port states (stp.h) over memory ports in one bridge domain:
 * a discarding port neither learns nor forwards in or out, a learning port
 * learns but forwards nothing, a forwarding port does both; floods skip
 * non-forwarding ports and unicast to one is dropped and counted; BPDUs are
 * punted from a discarding port and injected frames leave it; a deleted
 * port's id comes back forwarding; bad arguments are refused. */
#include <errno.h>

#include "harness.h"
#include "punt.h"
#include "stp.h"

static int a, b, c;

static unsigned flood_from(int in, const uint8_t *src) {
  uint8_t f[128];
  uint32_t n = mk_frame(f, MAC_BCAST, src, -1, 0x0806, 28);
  inject(in, f, n);
  unsigned reached = 0;
  int ports[] = {a, b, c};
  for (int i = 0; i < 3; i++)
    if (drain(ports[i])) reached |= 1u << ports[i];
  return reached;
}
#define BIT(p) (1u << (p))

static int learned_on(const uint8_t *mac) { return hv_fdb_port(hv_core_fdb(core, 0), 10, mac); }

static void set_state(int port, uint8_t s) { CHECK_EQ(hv_core_port_stp_set(core, (uint16_t)port, s), 0); }

static void test_default_forwarding(void) {
  CHECK_EQ(hv_core_port_stp_get(core, (uint16_t)a), HV_STP_forwarding);
  CHECK_EQ(flood_from(a, MAC_A), BIT(b) | BIT(c));
  CHECK_EQ(learned_on(MAC_A), a);
}

static void test_discarding(void) {
  set_state(c, HV_STP_discarding);
  CHECK_EQ(hv_core_port_stp_get(core, (uint16_t)c), HV_STP_discarding);
  /* in: nothing learned, nothing forwarded, counted */
  uint64_t before = ctr(c, HV_CTR_drop_stp_discarding);
  CHECK_EQ(flood_from(c, MAC_C), 0);
  CHECK_EQ(learned_on(MAC_C), -1);
  CHECK_EQ(ctr(c, HV_CTR_drop_stp_discarding), before + 1);
  CHECK_EQ(ctr(c, HV_CTR_flooded), 0);
  /* out: a flood skips it */
  CHECK_EQ(flood_from(a, MAC_A), BIT(b));
  /* out: unicast to a MAC learned on it before is dropped, counted on the ingress port */
  set_state(c, HV_STP_forwarding);
  flood_from(c, MAC_C);
  CHECK_EQ(learned_on(MAC_C), c);
  set_state(c, HV_STP_discarding);
  uint8_t f[128];
  uint32_t n = mk_frame(f, MAC_C, MAC_A, -1, 0x0800, 46);
  before = ctr(a, HV_CTR_drop_stp_discarding);
  inject(a, f, n);
  CHECK_EQ(drain(c), 0);
  CHECK_EQ(ctr(a, HV_CTR_drop_stp_discarding), before + 1);
}

static void test_learning(void) {
  set_state(b, HV_STP_learning);
  uint64_t before = ctr(b, HV_CTR_drop_stp_learning);
  CHECK_EQ(flood_from(b, MAC_B), 0);
  CHECK_EQ(learned_on(MAC_B), b); /* learned, not forwarded */
  CHECK_EQ(ctr(b, HV_CTR_drop_stp_learning), before + 1);
  CHECK_EQ(flood_from(a, MAC_A), 0); /* b learning, c discarding: nobody to flood to */
  set_state(b, HV_STP_forwarding);
  set_state(c, HV_STP_forwarding);
  CHECK_EQ(flood_from(a, MAC_A), BIT(b) | BIT(c));
}

/* BPDUs are punted from a discarding port (the controller must hear them) and inject still sends out of it. */
static void test_bpdu_path(void) {
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = 0;
  s.mode = HV_MODE_ACCESS;
  s.vlan = 10;
  s.punt_mask = HV_PUNT_stp;
  char err[256];
  CHECK_EQ(hv_core_port_set(core, (uint16_t)c, &s, err, sizeof err), 0);
  set_state(c, HV_STP_discarding);
  static const uint8_t MAC_STP[6] = {0x01, 0x80, 0xc2, 0, 0, 0};
  uint8_t f[128];
  uint32_t n = mk_frame(f, MAC_STP, MAC_C, -1, 0x0026, 46);
  inject(c, f, n);
  struct hv_punt punts[4];
  CHECK_EQ(hv_core_punts(core, punts, 4), 1);
  CHECK_EQ(punts[0].port, c);
  CHECK_EQ(drain(a) + drain(b), 0);
  CHECK_EQ(hv_core_inject(core, (uint16_t)c, f, n), 0);
  hv_core_poll_once(core, 0);
  CHECK_EQ(pop(c), (int)n);
  set_state(c, HV_STP_forwarding);
}

static void test_errors_and_reset(void) {
  CHECK_EQ(hv_core_port_stp_set(core, (uint16_t)a, HV_STP_STATE_COUNT), -EINVAL);
  CHECK_EQ(hv_core_port_stp_set(core, 999, HV_STP_discarding), -ENOENT);
  CHECK_EQ(hv_core_port_stp_set(core, HV_MAX_PORTS, HV_STP_discarding), -ENOENT);
  CHECK_EQ(hv_core_port_stp_get(core, HV_MAX_PORTS), HV_STP_forwarding);
  set_state(b, HV_STP_discarding);
  CHECK_EQ(hv_core_port_del(core, (uint16_t)b), 0);
  int again = add_l2_port("b2", HV_MODE_ACCESS, 10, NULL);
  CHECK_EQ(again, b); /* the freed id is reused ... */
  CHECK_EQ(hv_core_port_stp_get(core, (uint16_t)again), HV_STP_forwarding); /* ... without the old state */
}

int main(void) {
  harness_core(1, 0);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 1024, err, sizeof err), 0);
  a = add_l2_port("a", HV_MODE_ACCESS, 10, NULL);
  b = add_l2_port("b", HV_MODE_ACCESS, 10, NULL);
  c = add_l2_port("c", HV_MODE_ACCESS, 10, NULL);
  CHECK(a >= 0 && b >= 0 && c >= 0);
  test_default_forwarding();
  test_discarding();
  test_learning();
  test_bpdu_path();
  test_errors_and_reset();
  hv_core_destroy(core);
  return tap_done();
}
