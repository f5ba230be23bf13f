/* EVPN ARP/ND suppression (suppress.h, arp_nd.c), RFC 7432 §10 / RFC 9161,
 * on memory ports of one bridge domain (VLAN 10 on an access port, a trunk
 * and a second access port; VLAN 20 apart):
 * - an ARP request (RFC 826) for a bound address is answered on the ingress
 *   port, byte for byte as the remote host would answer it, and not flooded;
 *   counted as arp_nd_suppressed;
 * - on a trunk the answer carries the request's VLAN tag;
 * - requests for unbound addresses, in another VLAN, probes (RFC 5227, sender
 *   0.0.0.0) and gratuitous ARP flood as before;
 * - a neighbor solicitation (RFC 4861 §7.2.3) for a bound IPv6 address gets a
 *   solicited, override advertisement with the target link-layer option and a
 *   valid checksum; duplicate address detection (source ::) and a
 *   solicitation with a bad checksum flood;
 * - the table: replace, remove, a tombstone reused, the refusal past half the
 *   slots, a bridge domain's flush. */
#include <string.h>

#include "harness.h"
#include "suppress.h"

static int a10, b10, tr, c20;
static const uint8_t MAC_R[6] = {0x02, 0xee, 0, 0, 0, 0x01}; /* the remote host's */

static void v6addr(uint8_t *ip, uint8_t last) {
  static const uint8_t p[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  memcpy(ip, p, 16);
  ip[15] = last;
}

/* Ethernet + IPv6 + NS for `tgt` from `src` (:: for DAD), to the solicited-node group. */
static uint32_t ns_frame(uint8_t *f, const uint8_t *smac, const uint8_t *src, const uint8_t *tgt) {
  uint8_t dmac[6] = {0x33, 0x33, 0xff, tgt[13], tgt[14], tgt[15]};
  memcpy(f, dmac, 6);
  memcpy(f + 6, smac, 6);
  hv_wr16(f + 12, 0x86dd);
  uint8_t *ip = f + 14, *m = ip + 40;
  memset(ip, 0, 40);
  ip[0] = 0x60;
  hv_wr16(ip + 4, 32);
  ip[6] = 58;
  ip[7] = 255;
  memcpy(ip + 8, src, 16);
  uint8_t dst[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, tgt[13], tgt[14], tgt[15]};
  memcpy(ip + 24, dst, 16);
  memset(m, 0, 32);
  m[0] = 135;
  memcpy(m + 8, tgt, 16);
  m[24] = 1; /* source link-layer address */
  m[25] = 1;
  memcpy(m + 26, smac, 6);
  uint32_t s = hv_csum_add(0, ip + 8, 32) + 32 + 58;
  s = hv_csum_add(s, m, 32);
  hv_wr16(m + 2, hv_csum_fold(s));
  return 14 + 40 + 32;
}

/* What the other ports of VLAN 10 got (b10, and the trunk tagged); nothing for VLAN 20's c20. */
static int flooded(int n) {
  int b = drain(b10), t = drain(tr), c = drain(c20);
  return b == n && t == n && c == 0;
}

static void test_arp(void) {
  struct hv_suppress *t = hv_core_suppress(core);
  uint8_t ip[4] = {10, 0, 0, 99}, f[128], want[64];
  CHECK_EQ(hv_suppress_set(t, 0, 10, 4, ip, MAC_R), 0);

  /* a request from a10 for 10.0.0.99: answered on a10, flooded nowhere */
  uint64_t s0 = ctr(a10, HV_CTR_arp_nd_suppressed);
  uint32_t n = arp_frame(f, MAC_BCAST, MAC_A, 1, IP4(10, 0, 0, 1), (const uint8_t[6]){0}, IP4(10, 0, 0, 99));
  inject(a10, f, n);
  int len = pop(a10);
  CHECK_EQ(len, 42);
  CHECK_EQ(arp_frame(want, MAC_A, MAC_R, 2, IP4(10, 0, 0, 99), MAC_A, IP4(10, 0, 0, 1)), 42);
  memcpy(want + 6, MAC_R, 6);
  memcpy(want + 14 + 8, MAC_R, 6); /* sha: the remote host */
  CHECK(len == 42 && memcmp(out, want, 42) == 0);
  CHECK_EQ(ctr(a10, HV_CTR_arp_nd_suppressed), s0 + 1);
  CHECK(flooded(0));
  CHECK_EQ(pop(a10), 0);

  /* from the trunk, tagged VLAN 10 (its native VLAN is 20): the answer carries the tag */
  uint8_t plain[64];
  arp_frame(plain, MAC_BCAST, MAC_B, 1, IP4(10, 0, 0, 2), (const uint8_t[6]){0}, IP4(10, 0, 0, 99));
  memcpy(f, plain, 12);
  f[12] = 0x81, f[13] = 0x00, f[14] = 0, f[15] = 10;
  memcpy(f + 16, plain + 12, 30);
  inject(tr, f, 46);
  len = pop(tr);
  arp_frame(plain, MAC_B, MAC_R, 2, IP4(10, 0, 0, 99), MAC_B, IP4(10, 0, 0, 2));
  memcpy(plain + 14 + 8, MAC_R, 6);
  memcpy(want, plain, 12);
  want[12] = 0x81, want[13] = 0x00, want[14] = 0, want[15] = 10;
  memcpy(want + 16, plain + 12, 30);
  CHECK(len == 46 && memcmp(out, want, 46) == 0);
  CHECK_EQ(ctr(tr, HV_CTR_arp_nd_suppressed), 1);
  CHECK(drain(a10) == 0 && drain(b10) == 0 && drain(c20) == 0);

  /* not bound, another VLAN, a probe, a gratuitous ARP: flooded */
  n = arp_frame(f, MAC_BCAST, MAC_A, 1, IP4(10, 0, 0, 1), (const uint8_t[6]){0}, IP4(10, 0, 0, 98));
  inject(a10, f, n);
  CHECK_EQ(pop(a10), 0);
  CHECK_EQ(drain(b10), 1);
  drain(tr);
  n = arp_frame(f, MAC_BCAST, MAC_C, 1, IP4(10, 0, 0, 3), (const uint8_t[6]){0}, IP4(10, 0, 0, 99));
  inject(c20, f, n); /* VLAN 20: no binding there */
  CHECK_EQ(pop(c20), 0);
  CHECK_EQ(drain(tr), 1);
  n = arp_frame(f, MAC_BCAST, MAC_A, 1, 0, (const uint8_t[6]){0}, IP4(10, 0, 0, 99)); /* probe */
  inject(a10, f, n);
  CHECK_EQ(pop(a10), 0);
  CHECK_EQ(drain(b10), 1);
  drain(tr);
  n = arp_frame(f, MAC_BCAST, MAC_A, 1, IP4(10, 0, 0, 99), (const uint8_t[6]){0}, IP4(10, 0, 0, 99)); /* gratuitous */
  inject(a10, f, n);
  CHECK_EQ(pop(a10), 0);
  CHECK_EQ(drain(b10), 1);
  drain(tr);
  CHECK_EQ(ctr(a10, HV_CTR_arp_nd_suppressed), s0 + 1);

  /* removed: floods again */
  CHECK_EQ(hv_suppress_del(t, 0, 10, 4, ip), 1);
  CHECK_EQ(hv_suppress_del(t, 0, 10, 4, ip), 0);
  n = arp_frame(f, MAC_BCAST, MAC_A, 1, IP4(10, 0, 0, 1), (const uint8_t[6]){0}, IP4(10, 0, 0, 99));
  inject(a10, f, n);
  CHECK_EQ(pop(a10), 0);
  CHECK_EQ(drain(b10), 1);
  drain(tr);
}

static void test_nd(void) {
  struct hv_suppress *t = hv_core_suppress(core);
  uint8_t tgt[16], src[16], f[160];
  v6addr(tgt, 0x99);
  v6addr(src, 0x01);
  CHECK_EQ(hv_suppress_set(t, 0, 10, 6, tgt, MAC_R), 0);
  uint32_t n = ns_frame(f, MAC_A, src, tgt);
  inject(a10, f, n);
  int len = pop(a10);
  CHECK_EQ(len, 14 + 40 + 32);
  const uint8_t *ip = out + 14, *m = ip + 40;
  CHECK(memcmp(out, MAC_A, 6) == 0 && memcmp(out + 6, MAC_R, 6) == 0 && hv_rd16(out + 12) == 0x86dd);
  CHECK(ip[6] == 58 && ip[7] == 255 && hv_rd16(ip + 4) == 32);
  CHECK(memcmp(ip + 8, tgt, 16) == 0 && memcmp(ip + 24, src, 16) == 0);
  CHECK(m[0] == 136 && m[1] == 0 && m[4] == 0x60); /* solicited, override, not a router */
  CHECK(memcmp(m + 8, tgt, 16) == 0 && m[24] == 2 && m[25] == 1 && memcmp(m + 26, MAC_R, 6) == 0);
  uint32_t s = hv_csum_add(0, ip + 8, 32) + 32 + 58;
  CHECK_EQ(hv_csum_fold(hv_csum_add(s, m, 32)), 0);
  CHECK(flooded(0));

  /* DAD (source ::) and a bad checksum: flooded */
  uint8_t unspec[16] = {0};
  n = ns_frame(f, MAC_A, unspec, tgt);
  inject(a10, f, n);
  CHECK_EQ(pop(a10), 0);
  CHECK_EQ(drain(b10), 1);
  drain(tr);
  n = ns_frame(f, MAC_A, src, tgt);
  f[14 + 40 + 2] ^= 0x5a;
  inject(a10, f, n);
  CHECK_EQ(pop(a10), 0);
  CHECK_EQ(drain(b10), 1);
  drain(tr);
}

static void test_table(void) {
  struct hv_suppress *t = hv_suppress_create();
  uint8_t ip[16] = {10, 1, 0, 0}, mac[6];
  CHECK_EQ(hv_suppress_lookup(t, 0, 10, 4, ip, mac), 0);
  CHECK_EQ(hv_suppress_set(t, 0, 10, 4, ip, MAC_A), 0);
  CHECK_EQ(hv_suppress_set(t, 0, 10, 4, ip, MAC_B), 0); /* replaced */
  CHECK_EQ(hv_suppress_count(t), 1);
  CHECK(hv_suppress_lookup(t, 0, 10, 4, ip, mac) && memcmp(mac, MAC_B, 6) == 0);
  CHECK_EQ(hv_suppress_lookup(t, 1, 10, 4, ip, mac), 0); /* another bridge domain */
  CHECK_EQ(hv_suppress_lookup(t, 0, 11, 4, ip, mac), 0); /* another VLAN */
  CHECK_EQ(hv_suppress_lookup(t, 0, 10, 6, ip, mac), 0); /* another family */
  /* fill to the limit, then one more is refused */
  uint32_t ok = 0, refused = 0;
  for (uint32_t i = 0; i < HV_SUPPRESS_SLOTS / 2 + 10; i++) {
    uint8_t a[4] = {10, 2, (uint8_t)(i >> 8), (uint8_t)i};
    if (hv_suppress_set(t, (uint16_t)(1 + (i >> 16)), 10, 4, a, MAC_C) == 0) ok++;
    else refused++;
  }
  CHECK_EQ(ok + 1, HV_SUPPRESS_SLOTS / 2);
  CHECK_EQ(refused, 11);
  CHECK_EQ(hv_suppress_count(t), HV_SUPPRESS_SLOTS / 2);
  /* every bound address is still found; removal leaves tombstones that new keys reuse */
  uint32_t found = 0;
  for (uint32_t i = 0; i < ok; i++) {
    uint8_t a[4] = {10, 2, (uint8_t)(i >> 8), (uint8_t)i};
    found += (uint32_t)hv_suppress_lookup(t, 1, 10, 4, a, mac);
  }
  CHECK_EQ(found, ok);
  CHECK_EQ(hv_suppress_flush(t, 1), ok);
  CHECK_EQ(hv_suppress_count(t), 1);
  CHECK(hv_suppress_lookup(t, 0, 10, 4, ip, mac));
  for (uint32_t i = 0; i < ok; i++) { /* other keys, into the tombstones */
    uint8_t a[4] = {10, 3, (uint8_t)(i >> 8), (uint8_t)i};
    if (hv_suppress_set(t, 2, 10, 4, a, MAC_C) != 0) { CHECK(0); break; }
  }
  CHECK_EQ(hv_suppress_count(t), ok + 1);
  CHECK(hv_suppress_lookup(t, 0, 10, 4, ip, mac) && memcmp(mac, MAC_B, 6) == 0);
  hv_suppress_destroy(t);
}

int main(void) {
  harness_core(1, 0);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 1024, err, sizeof err), 0);
  const int allowed[] = {10, 20, 0};
  a10 = add_l2_port("a10", HV_MODE_ACCESS, 10, NULL);
  b10 = add_l2_port("b10", HV_MODE_ACCESS, 10, NULL);
  tr = add_l2_port("tr", HV_MODE_TRUNK, 20, allowed); /* native VLAN 20: VLAN 10 is tagged */
  c20 = add_l2_port("c20", HV_MODE_ACCESS, 20, NULL);
  CHECK(a10 >= 0 && b10 >= 0 && tr >= 0 && c20 >= 0);
  test_arp();
  test_nd();
  test_table();
  hv_core_destroy(core);
  return tap_done();
}
