/* Punt ring and inject call (punt.h) over memory ports: a port's punt mask
 * sends BPDUs (01:80:c2:00:00:00) and LACPDUs (01:80:c2:00:00:02, 0x8809) to
 * the controller instead of flooding them; without it they flood as before; a
 * full ring and the rate limit drop and count; an injected frame leaves byte
 * for byte and counts as transmitted. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "core.h"
#include "frames.h"
#include "tap.h"

static struct hv_core *core;
static uint8_t out[4096];
static struct hv_punt punts[512];

static const uint8_t MAC_STP[6] = {0x01, 0x80, 0xc2, 0, 0, 0x00};
static const uint8_t MAC_SLOW[6] = {0x01, 0x80, 0xc2, 0, 0, 0x02};

static struct hv_port_settings settings(uint32_t punt_mask, uint32_t punt_rate) {
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = 0;
  s.mode = HV_MODE_ACCESS;
  s.vlan = 10;
  s.punt_mask = punt_mask;
  s.punt_rate = punt_rate;
  return s;
}

static int add_port(const char *name, uint32_t punt_mask) {
  struct hv_port_open_params pp;
  memset(&pp, 0, sizeof pp);
  pp.kind = HV_PORT_MEMORY;
  snprintf(pp.name, sizeof pp.name, "%s", name);
  struct hv_port_settings s = settings(punt_mask, 0);
  char err[256];
  int id = hv_core_port_add(core, &pp, &s, err, sizeof err);
  if (id < 0) printf("# %s\n", err);
  return id;
}

static void set_punt(int port, uint32_t mask, uint32_t rate) {
  struct hv_port_settings s = settings(mask, rate);
  char err[256];
  CHECK_EQ(hv_core_port_set(core, (uint16_t)port, &s, err, sizeof err), 0);
}

static void rx(int port, const uint8_t *f, uint32_t len) {
  CHECK_EQ(hv_port_mem_inject(hv_core_port(core, (uint16_t)port), f, len), 0);
}

static int pop(int port) { return hv_port_mem_pop(hv_core_port(core, (uint16_t)port), out, sizeof out); }

static int drain_count(int port) {
  int n = 0;
  while (pop(port) > 0) n++;
  return n;
}

static uint64_t ctr(int port, enum hv_port_counter k) {
  struct hv_port_counters c;
  hv_core_port_stats(core, (uint16_t)port, &c);
  return c.v[k];
}

/* IEEE 802.1D §9.3.3 config BPDU behind an LLC header (length field, not an ethertype). */
static uint32_t mk_bpdu(uint8_t *f) {
  uint32_t n = mk_frame(f, MAC_STP, MAC_A, -1, 38, 38);
  f[14] = 0x42, f[15] = 0x42, f[16] = 0x03;
  return n;
}

static void test_punt_and_flood(int a, int b) {
  uint8_t f[256];
  /* mask off (the default): BPDU and LACPDU flood like other multicast */
  uint32_t nb = mk_bpdu(f);
  rx(a, f, nb);
  hv_core_poll_once(core, 0);
  CHECK_EQ(pop(b), (int)nb);
  CHECK_EQ(hv_core_punts(core, punts, 512), 0);
  CHECK_EQ(ctr(a, HV_CTR_punted), 0);

  /* mask on: both punted, not flooded, counted */
  set_punt(a, HV_PUNT_stp | HV_PUNT_slow, 0);
  rx(a, f, nb);
  uint8_t l[256];
  uint32_t nl = mk_frame(l, MAC_SLOW, MAC_A, -1, 0x8809, 110); /* LACPDU: subtype 1 */
  l[14] = 0x01;
  rx(a, l, nl);
  hv_core_poll_once(core, 0);
  CHECK_EQ(pop(b), 0);
  CHECK_EQ(hv_core_punts(core, punts, 512), 2);
  CHECK_EQ(punts[0].port, a);
  CHECK_EQ(punts[0].reason, HV_PUNT_stp);
  CHECK_EQ(punts[0].len, nb);
  CHECK_EQ(punts[0].caplen, nb);
  CHECK(!punts[0].truncated && memcmp(punts[0].data, f, nb) == 0);
  CHECK_EQ(punts[1].reason, HV_PUNT_slow);
  CHECK_EQ(punts[1].len, nl);
  CHECK(memcmp(punts[1].data, l, nl) == 0);
  CHECK_EQ(ctr(a, HV_CTR_punted), 2);
  CHECK_EQ(ctr(a, HV_CTR_rx_packets), 3);
  CHECK_EQ(ctr(a, HV_CTR_flooded), 1);

  /* only the classes in the mask: with stp only, the LACPDU floods; other
   * traffic is untouched */
  set_punt(a, HV_PUNT_stp, 0);
  rx(a, l, nl);
  uint32_t nx = mk_frame(f, MAC_BCAST, MAC_A, -1, 0x0806, 28);
  rx(a, f, nx);
  hv_core_poll_once(core, 0);
  CHECK_EQ(pop(b), (int)nl);
  CHECK_EQ(pop(b), (int)nx);
  CHECK_EQ(hv_core_punts(core, punts, 512), 0);
  set_punt(a, 0, 0);
}

static void test_full_and_rate(int a, int b) {
  uint8_t f[256];
  uint32_t nb = mk_bpdu(f);
  /* rate limit: 5/s, burst 5; one batch of 10 within the same instant */
  set_punt(a, HV_PUNT_stp, 5);
  uint64_t punted0 = ctr(a, HV_CTR_punted);
  for (int i = 0; i < 10; i++) rx(a, f, nb);
  hv_core_poll_once(core, 0);
  CHECK_EQ(ctr(a, HV_CTR_punted) - punted0, 5);
  CHECK_EQ(ctr(a, HV_CTR_drop_punt_rate_limited), 5);
  CHECK_EQ(hv_core_punts(core, punts, 512), 5);
  CHECK_EQ(pop(b), 0);

  /* full ring: HV_PUNT_RING + 44 frames without draining */
  set_punt(a, HV_PUNT_stp, 1000000);
  punted0 = ctr(a, HV_CTR_punted);
  for (int i = 0; i < HV_PUNT_RING + 44; i++) rx(a, f, nb);
  while (hv_core_poll_once(core, 0) > 0) {
  }
  CHECK_EQ(ctr(a, HV_CTR_punted) - punted0, HV_PUNT_RING);
  CHECK_EQ(ctr(a, HV_CTR_drop_punt_full), 44);
  CHECK_EQ(hv_core_punts(core, punts, 100), 100); /* in batches */
  CHECK_EQ(hv_core_punts(core, punts, 512), HV_PUNT_RING - 100);
  CHECK_EQ(hv_core_punts(core, punts, 512), 0);

  /* a frame longer than a slot is punted truncated */
  static uint8_t big[HV_PUNT_SNAP + 100];
  uint32_t nbig = mk_frame(big, MAC_STP, MAC_A, -1, 1500, HV_PUNT_SNAP + 100 - 14);
  rx(a, big, nbig);
  hv_core_poll_once(core, 0);
  int n = hv_core_punts(core, punts, 512);
  /* the memory port has MTU 1500: the punt stage runs before the MTU check */
  CHECK_EQ(n, 1);
  CHECK(punts[0].truncated && punts[0].len == nbig && punts[0].caplen == HV_PUNT_SNAP);
  CHECK(memcmp(punts[0].data, big, HV_PUNT_SNAP) == 0);
  set_punt(a, 0, 0);
}

static void test_inject(int a, int b) {
  uint8_t f[256];
  uint32_t n = mk_frame(f, MAC_SLOW, MAC_B, -1, 0x8809, 110);
  uint64_t tx0 = ctr(b, HV_CTR_tx_packets), bytes0 = ctr(b, HV_CTR_tx_bytes);
  CHECK_EQ(hv_core_inject(core, (uint16_t)b, f, n), 0);
  hv_core_poll_once(core, 0);
  CHECK_EQ(pop(b), (int)n);
  CHECK(memcmp(out, f, n) == 0);
  CHECK_EQ(pop(a), 0);
  CHECK_EQ(ctr(b, HV_CTR_tx_packets) - tx0, 1);
  CHECK_EQ(ctr(b, HV_CTR_tx_bytes) - bytes0, n);
  CHECK_EQ(ctr(b, HV_CTR_injected), 1);
  /* errors */
  CHECK_EQ(hv_core_inject(core, 200, f, n), -ENOENT);
  CHECK_EQ(hv_core_inject(core, (uint16_t)b, f, 13), -EINVAL);
  /* a full inject ring refuses and counts; more than a batch drains over loops */
  for (int i = 0; i < HV_INJECT_RING; i++) CHECK_EQ(hv_core_inject(core, (uint16_t)b, f, n), 0);
  CHECK_EQ(hv_core_inject(core, (uint16_t)b, f, n), -ENOBUFS);
  for (int i = 0; i < HV_INJECT_RING / HV_BATCH; i++) hv_core_poll_once(core, 0);
  CHECK_EQ(ctr(b, HV_CTR_inject_full), 1);
  CHECK_EQ(ctr(b, HV_CTR_injected), 1 + HV_INJECT_RING);
  int popped = 0;
  while (pop(b) > 0) popped++;
  CHECK_EQ(popped, HV_INJECT_RING);
  CHECK_EQ(hv_core_inject(core, (uint16_t)b, f, n), 0); /* room again; left queued for destroy */
}

/* Snooping classes: ARP and IPv6 NS/NA are copied to the controller and still
 * forwarded; other IPv6 (an echo request) is not copied; a tagged ARP is seen
 * past its tag; what the rate limit prevents is counted snoop_lost, forwarded. */
static void test_snoop(int a, int b) {
  uint8_t f[256];
  hv_core_poll_once(core, 0); /* what earlier tests left queued (an injected frame) goes first */
  drain_count(b);
  hv_core_punts(core, punts, 512);
  uint64_t punted0 = ctr(a, HV_CTR_punted);
  set_punt(a, HV_PUNT_arp | HV_PUNT_nd, 2);
  uint32_t na = mk_frame(f, MAC_BCAST, MAC_A, -1, 0x0806, 28);
  rx(a, f, na);
  uint8_t ns[256];
  uint32_t n6 = mk_frame(ns, MAC_BCAST, MAC_A, -1, 0x86dd, 64);
  memset(ns + 14, 0, 64);
  ns[14] = 0x60, ns[14 + 6] = 58, ns[14 + 40] = 135; /* IPv6, ICMPv6 neighbor solicitation */
  rx(a, ns, n6);
  uint8_t echo[256];
  memcpy(echo, ns, n6);
  echo[14 + 40] = 128; /* echo request: not snooped */
  rx(a, echo, n6);
  hv_core_poll_once(core, 0);
  CHECK_EQ(drain_count(b), 3); /* all three forwarded */
  CHECK_EQ(hv_core_punts(core, punts, 512), 2);
  CHECK_EQ(punts[0].reason, HV_PUNT_arp);
  CHECK(memcmp(punts[0].data, f, na) == 0);
  CHECK_EQ(punts[1].reason, HV_PUNT_nd);
  CHECK_EQ(ctr(a, HV_CTR_snooped), 2);
  /* rate 2/s with a burst of 2 spent: the next ARP is forwarded, not copied */
  rx(a, f, na);
  hv_core_poll_once(core, 0);
  CHECK_EQ(drain_count(b), 1);
  CHECK_EQ(hv_core_punts(core, punts, 512), 0);
  CHECK_EQ(ctr(a, HV_CTR_snoop_lost), 1);
  CHECK_EQ(ctr(a, HV_CTR_punted), punted0); /* copies are not taken frames */
  set_punt(a, 0, 0);
}

int main(void) {
  struct hv_core_params params = {.workers = 1, .aging_s = 300};
  core = hv_core_create(&params);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 1024, err, sizeof err), 0);
  int a = add_port("a", 0), b = add_port("b", 0);
  CHECK(a >= 0 && b >= 0);
  test_punt_and_flood(a, b);
  test_full_and_rate(a, b);
  test_inject(a, b);
  test_snoop(a, b);
  hv_core_destroy(core);
  return tap_done();
}
