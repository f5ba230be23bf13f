/* MPLS over UDP (RFC 7510) and MPLS over GRE (RFC 4023) over memory ports
 * (mpls.h): golden outer headers for IPv4/IPv6 inner x IPv4/IPv6 outer x
 * UDP/GRE (the expected bytes were computed apart from the core, checksums
 * included), the label entry with the TTL copied (RFC 3443 uniform model),
 * the UDP source port from the flow hash, decapsulation into the label's VRF
 * with the TTL min rule, each drop reason counted, ECMP over tunnel next hops,
 * and the control API's refusals. */
#include <stdio.h>

#include "harness.h"
#include "neigh.h"
#include "stage.h"

static int vm, m4, m6, mvx;
static const uint8_t VM_MAC[6] = {0x52, 0x54, 0, 0, 0, 0x05};
static const uint8_t VMPORT_MAC[6] = {0x02, 0xaa, 0, 0, 0, 0x01};
static const uint8_t L4[4] = {192, 0, 2, 1}, R4[4] = {192, 0, 2, 2};
static const uint8_t L6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, R6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
static const uint8_t VM6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 5};
#define VM4 IP4(10, 1, 0, 5)

/* Ethernet + IPv6 (hop limit `hops`) + a 16-byte ICMPv6 echo request to `dst` from `src`. */
static uint32_t ip6_frame(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, const uint8_t *src,
                          const uint8_t *dst, uint8_t hops) {
  memcpy(f, dmac, 6);
  memcpy(f + 6, smac, 6);
  hv_wr16(f + 12, 0x86dd);
  uint8_t *ip = f + 14;
  memset(ip, 0, 40 + 16);
  ip[0] = 0x60;
  hv_wr16(ip + 4, 16);
  ip[6] = 58;
  ip[7] = hops;
  memcpy(ip + 8, src, 16);
  memcpy(ip + 24, dst, 16);
  ip[40] = 128;
  hv_wr16(ip + 44, 0x4321);
  uint32_t sum = hv_csum_add(0, ip + 8, 32) + 58 + 16;
  hv_wr16(ip + 42, hv_csum_fold(hv_csum_add(sum, ip + 40, 16)));
  return 14 + 56;
}

static int add_mpls_underlay(const char *name, uint32_t mtu) {
  struct hv_port_open_params pp = {.kind = HV_PORT_MEMORY, .mpls = 1, .mtu = mtu};
  snprintf(pp.name, sizeof pp.name, "%s", name);
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_UNDERLAY;
  char err[256];
  int id = hv_core_port_add(core, &pp, &s, err, sizeof err);
  CHECK(id >= 0);
  return id;
}

static void add_tunnel(uint32_t id, int underlay, uint8_t af, uint8_t encap) {
  struct hv_mpls_tunnel_cfg t = {.underlay = (uint16_t)underlay, .af = af, .encap = encap};
  memcpy(t.local, af == 4 ? L4 : L6, af == 4 ? 4 : 16);
  memcpy(t.remote, af == 4 ? R4 : R6, af == 4 ? 4 : 16);
  char err[256] = "";
  CHECK_EQ(hv_core_mpls_tunnel_add(core, id, &t, err, sizeof err), 0);
}

static void tunnel_nh(uint32_t id, uint32_t tunnel, uint32_t label) {
  struct hv_nh nh = {.kind = HV_NH_MPLS, .tunnel = tunnel, .label = label};
  hv_core_nh_set(core, id, &nh);
}

/* VRF 1: the VM (10.1.0.5, 2001:db8:1::5) on a VM port; 10.2.N.0/24 and
 * 2001:db8:2:N::/64 (N = 1..4) through tunnels 1..4 = (IPv4 UDP, IPv4 GRE,
 * IPv6 UDP, IPv6 GRE) with labels 100..103; 10.3.0.0/16 over an ECMP group of
 * tunnels 1 and 3.  Labels 1000 -> VRF 1, 1001 -> VRF 1 (per-prefix), 2000 -> VRF 2. */
static void setup(void) {
  harness_core(1, 0);
  char err[256];
  CHECK_EQ(hv_core_vrf_add(core, 1, err, sizeof err), 0);
  CHECK_EQ(hv_core_vrf_add(core, 2, err, sizeof err), 0);
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_VM;
  s.l3.vrf = 1;
  memcpy(s.l3.mac, VMPORT_MAC, 6);
  memcpy(s.l3.vm_mac, VM_MAC, 6);
  s.l3.nvm4 = 1;
  s.l3.vm4[0] = VM4;
  s.l3.nvm6 = 1;
  memcpy(s.l3.vm6[0], VM6, 16);
  vm = add_port_with("vm", &s);
  m4 = add_mpls_underlay("m4", 0);
  m6 = add_mpls_underlay("m6", 0);
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_UNDERLAY;
  mvx = add_port_with("vx", &s); /* a VXLAN underlay: no MPLS tunnel on it */
  add_tunnel(1, m4, 4, HV_MPLS_UDP);
  add_tunnel(2, m4, 4, HV_MPLS_GRE);
  add_tunnel(3, m6, 6, HV_MPLS_UDP);
  add_tunnel(4, m6, 6, HV_MPLS_GRE);
  struct hv_nh nh = {.kind = HV_NH_MAC, .port = (uint16_t)vm};
  memcpy(nh.mac, VM_MAC, 6);
  hv_core_nh_set(core, 2, &nh);
  CHECK_EQ(hv_core_route4(core, 1, VM4, 32, 2, 0), 0);
  CHECK_EQ(hv_core_route6(core, 1, VM6, 128, 2, 0), 0);
  for (uint32_t k = 1; k <= 4; k++) {
    tunnel_nh(10 + k, k, 99 + k);
    CHECK_EQ(hv_core_route4(core, 1, IP4(10, 2, k, 0), 24, 10 + k, 0), 0);
    uint8_t p6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, (uint8_t)k};
    CHECK_EQ(hv_core_route6(core, 1, p6, 64, 10 + k, 0), 0);
  }
  struct hv_nh ecmp = {.kind = HV_NH_ECMP, .nmembers = 2, .members = {11, 13}};
  hv_core_nh_set(core, 20, &ecmp);
  CHECK_EQ(hv_core_route4(core, 1, IP4(10, 3, 0, 0), 16, 20, 0), 0);
  CHECK_EQ(hv_core_mpls_label_set(core, 1000, 1, err, sizeof err), 0);
  CHECK_EQ(hv_core_mpls_label_set(core, 1001, 1, err, sizeof err), 0);
  CHECK_EQ(hv_core_mpls_label_set(core, 2000, 2, err, sizeof err), 0);
}

static const uint8_t GOLDEN[8][52] = {
    /* inner IPv4, outer IPv4, UDP, label 100 */ {0x45, 0x00, 0x00, 0x44, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb6, 0xa5, 0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00, 0x02, 0x02, 0x00, 0x00, 0x19, 0xeb, 0x00, 0x30, 0x00, 0x00, 0x00, 0x06, 0x41, 0x3f},
    /* inner IPv4, outer IPv4, GRE, label 101 */ {0x45, 0x00, 0x00, 0x40, 0x00, 0x00, 0x40, 0x00, 0x40, 0x2f, 0xb6, 0x8b, 0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00, 0x02, 0x02, 0x00, 0x00, 0x88, 0x47, 0x00, 0x06, 0x51, 0x3f},
    /* inner IPv4, outer IPv6, UDP, label 102 */ {0x60, 0x00, 0x00, 0x00, 0x00, 0x30, 0x11, 0x40, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x19, 0xeb, 0x00, 0x30, 0x00, 0x00, 0x00, 0x06, 0x61, 0x3f},
    /* inner IPv4, outer IPv6, GRE, label 103 */ {0x60, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x2f, 0x40, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x88, 0x47, 0x00, 0x06, 0x71, 0x3f},
    /* inner IPv6, outer IPv4, UDP, label 100 */ {0x45, 0x00, 0x00, 0x58, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb6, 0x91, 0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00, 0x02, 0x02, 0x00, 0x00, 0x19, 0xeb, 0x00, 0x44, 0x00, 0x00, 0x00, 0x06, 0x41, 0x3f},
    /* inner IPv6, outer IPv4, GRE, label 101 */ {0x45, 0x00, 0x00, 0x54, 0x00, 0x00, 0x40, 0x00, 0x40, 0x2f, 0xb6, 0x77, 0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00, 0x02, 0x02, 0x00, 0x00, 0x88, 0x47, 0x00, 0x06, 0x51, 0x3f},
    /* inner IPv6, outer IPv6, UDP, label 102 */ {0x60, 0x00, 0x00, 0x00, 0x00, 0x44, 0x11, 0x40, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x19, 0xeb, 0x00, 0x44, 0x00, 0x00, 0x00, 0x06, 0x61, 0x3f},
    /* inner IPv6, outer IPv6, GRE, label 103 */ {0x60, 0x00, 0x00, 0x00, 0x00, 0x40, 0x2f, 0x40, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x88, 0x47, 0x00, 0x06, 0x71, 0x3f},
};

/* A packet from the VM to tunnel k (1..4), inner family `af`: on the wire as
 * GOLDEN (source port and IPv6 UDP checksum checked apart), then the inner
 * packet with its TTL decremented (IPv4 checksum recomputed here from scratch). */
static void encap_case(uint8_t af, uint32_t k) {
  uint8_t f[128], inner[128];
  uint8_t dst6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, (uint8_t)k, [15] = 9};
  uint32_t n = af == 4 ? ip4_frame(f, VMPORT_MAC, VM_MAC, VM4, IP4(10, 2, k, 9), 64, 1)
                       : ip6_frame(f, VMPORT_MAC, VM_MAC, VM6, dst6, 64);
  uint32_t ilen = n - 14;
  memcpy(inner, f + 14, ilen);
  if (af == 4) {
    inner[8] = 63;
    inner[10] = inner[11] = 0;
    hv_wr16(inner + 10, hv_csum_fold(hv_csum_add(0, inner, 20)));
  } else {
    inner[7] = 63;
  }
  const uint8_t *g = GOLDEN[(af == 4 ? 0 : 4) + k - 1];
  int oaf = k <= 2 ? 4 : 6, udp = k == 1 || k == 3;
  uint32_t olen = (oaf == 4 ? 20 : 40) + (udp ? 8 : 4) + 4, l3 = oaf == 4 ? 20 : 40;
  int port = oaf == 4 ? m4 : m6;
  uint64_t before = ctr(port, HV_CTR_mpls_encap);
  inject(vm, f, n);
  int len = pop(port);
  tap_ok(len == (int)(olen + ilen), "inner IPv%u to tunnel %u: %d bytes on the underlay", af, k, len);
  if (len != (int)(olen + ilen)) return;
  uint8_t want[52];
  memcpy(want, g, olen);
  if (udp) {
    uint16_t sport = hv_rd16(out + l3);
    CHECK(sport >= 49152);
    hv_wr16(want + l3, sport);
    if (oaf == 6) { /* RFC 8200 §8.1: the checksum over the pseudo-header verifies */
      uint32_t sum = hv_csum_add(0, out + 8, 32) + 17 + (uint32_t)(len - 40);
      CHECK_EQ(hv_csum_fold(hv_csum_add(sum, out + 40, (size_t)len - 40)), 0);
      hv_wr16(want + l3 + 6, hv_rd16(out + l3 + 6));
    }
  }
  tap_ok(memcmp(out, want, olen) == 0, "inner IPv%u to tunnel %u: outer headers and label are golden", af, k);
  tap_ok(memcmp(out + olen, inner, ilen) == 0, "inner IPv%u to tunnel %u: the inner packet, TTL - 1", af, k);
  CHECK_EQ(ctr(port, HV_CTR_mpls_encap) - before, 1);
}

static void test_encap(void) {
  for (uint32_t k = 1; k <= 4; k++) {
    encap_case(4, k);
    encap_case(6, k);
  }
  CHECK_EQ(drain(vm) + drain(m4) + drain(m6), 0);
  CHECK_EQ(ctr(m4, HV_CTR_tx_bytes), 2 * 32 + 2 * 28 + 2 * 36 + 2 * 56);
}

/* The source port follows the inner flow: one flow, one port; flows spread. */
static void test_entropy(void) {
  uint8_t f[128];
  int ports[32], other = 0;
  for (int i = 0; i < 32; i++) {
    uint32_t n = ip4_frame(f, VMPORT_MAC, VM_MAC, VM4, IP4(10, 2, 1, (uint32_t)(i % 16 + 1)), 64, 17);
    inject(vm, f, n);
    CHECK_EQ(pop(m4), 32 + (int)n - 14);
    ports[i] = hv_rd16(out + 20);
    if (i >= 16) CHECK_EQ(ports[i], ports[i - 16]);
    else other += i && ports[i] != ports[0];
  }
  CHECK(other >= 13);
}

/* ECMP over tunnel next hops: each flow sticks to one tunnel, both are used. */
static void test_ecmp(void) {
  uint8_t f[128];
  int on4 = 0, on6 = 0;
  for (uint32_t d = 1; d <= 32; d++) {
    uint32_t n = ip4_frame(f, VMPORT_MAC, VM_MAC, VM4, IP4(10, 3, 0, d), 64, 1);
    inject(vm, f, n);
    int a = drain(m4), b = drain(m6);
    CHECK_EQ(a + b, 1);
    inject(vm, f, n);
    CHECK_EQ(drain(m4), a);
    CHECK_EQ(drain(m6), b);
    on4 += a;
    on6 += b;
  }
  tap_ok(on4 >= 6 && on6 >= 6, "ECMP over two tunnels: %d and %d flows of 32", on4, on6);
}

/* An outer IPv4/IPv6 datagram: UDP to `dport` (or GRE with `gre_flags`,
 * `extra` bytes of checksum/key/sequence after it), one label entry, the inner
 * IP packet.  Returns its length. */
static uint32_t datagram(uint8_t *d, uint8_t oaf, int udp, uint16_t dport, uint16_t gre_flags, uint32_t entry,
                         const uint8_t *inner, uint32_t ilen) {
  uint32_t l3 = oaf == 4 ? 20 : 40, th = udp ? 8 : 4, extra = 0;
  if (!udp) extra = (gre_flags & 0x8000 ? 4u : 0u) + (gre_flags & 0x2000 ? 4u : 0u) + (gre_flags & 0x1000 ? 4u : 0u);
  uint32_t after = th + extra + 4 + ilen;
  memset(d, 0, l3 + th + extra);
  if (oaf == 4) {
    d[0] = 0x45;
    hv_wr16(d + 2, (uint16_t)(20 + after));
    d[8] = 64;
    d[9] = udp ? 17 : 47;
    memcpy(d + 12, R4, 4);
    memcpy(d + 16, L4, 4);
    hv_wr16(d + 10, hv_csum_fold(hv_csum_add(0, d, 20)));
  } else {
    d[0] = 0x60;
    hv_wr16(d + 4, (uint16_t)after);
    d[6] = udp ? 17 : 47;
    d[7] = 64;
    memcpy(d + 8, R6, 16);
    memcpy(d + 24, L6, 16);
  }
  uint8_t *t = d + l3;
  if (udp) {
    hv_wr16(t, 50000);
    hv_wr16(t + 2, dport);
    hv_wr16(t + 4, (uint16_t)after);
  } else {
    hv_wr16(t, gre_flags);
    hv_wr16(t + 2, 0x8847);
    if (gre_flags & 0x2000) hv_wr32(t + 4 + (gre_flags & 0x8000 ? 4 : 0), 0xdeadbeef); /* a key */
  }
  hv_wr32(t + th + extra, entry);
  memcpy(t + th + extra + 4, inner, ilen);
  if (!udp && (gre_flags & 0x8000)) hv_wr16(t + 4, hv_csum_fold(hv_csum_add(0, t, after)));
  return l3 + after;
}

static uint32_t entry(uint32_t label, int s, uint8_t ttl) { return label << 12 | (uint32_t)s << 8 | ttl; }

/* Each outer family and encapsulation, each inner family: the VM gets the
 * inner packet from its gateway MAC, TTL min(label, inner) - 1. */
static void test_decap(void) {
  uint8_t f[128], d[256];
  for (int c = 0; c < 8; c++) {
    uint8_t oaf = c & 1 ? 6 : 4, iaf = c & 4 ? 6 : 4;
    int udp = !(c & 2);
    const uint8_t src6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 1, [15] = 9};
    uint32_t n = iaf == 4 ? ip4_frame(f, VMPORT_MAC, VM_MAC, IP4(10, 2, 1, 9), VM4, 64, 1)
                          : ip6_frame(f, VMPORT_MAC, VM_MAC, src6, VM6, 64);
    int port = oaf == 4 ? m4 : m6;
    uint64_t before = ctr(port, HV_CTR_mpls_decap);
    inject(port, d, datagram(d, oaf, udp, 6635, 0, entry(1000, 1, 10), f + 14, n - 14));
    int len = pop(vm);
    tap_ok(len == (int)n, "decap IPv%u in IPv%u %s: %d bytes to the VM", iaf, oaf, udp ? "UDP" : "GRE", len);
    CHECK(memcmp(out, VM_MAC, 6) == 0 && memcmp(out + 6, VMPORT_MAC, 6) == 0);
    CHECK_EQ(out[iaf == 4 ? 22 : 21], 9); /* min(10, 64) - 1 */
    if (iaf == 4) CHECK_EQ(hv_csum_fold(hv_csum_add(0, out + 14, 20)), 0);
    CHECK(memcmp(out + 14 + 9, f + 14 + 9, n - 14 - 9) == 0 || iaf == 4);
    CHECK_EQ(ctr(port, HV_CTR_mpls_decap) - before, 1);
  }
  /* the label's TTL never raises the inner one; a per-prefix label to the same VRF */
  uint32_t n = ip4_frame(f, VMPORT_MAC, VM_MAC, IP4(10, 2, 1, 9), VM4, 20, 1);
  inject(m4, d, datagram(d, 4, 1, 6635, 0, entry(1001, 1, 255), f + 14, n - 14));
  CHECK_EQ(pop(vm), (int)n);
  CHECK_EQ(out[22], 19);
  /* GRE with a key and a (verified) checksum */
  inject(m4, d, datagram(d, 4, 0, 0, 0xa000, entry(1000, 1, 64), f + 14, n - 14));
  CHECK_EQ(pop(vm), (int)n);
  CHECK_EQ(out[22], 19);
}

/* Each refusal counted once on the underlay port, by its reason. */
static void drop_case(int port, const uint8_t *d, uint32_t len, enum hv_port_counter why, const char *what) {
  uint64_t before = ctr(port, why);
  inject(port, d, len);
  tap_ok(ctr(port, why) - before == 1 && drain(vm) == 0 && drain(m4) == 0 && drain(m6) == 0, "dropped: %s", what);
}

static void test_decap_drops(void) {
  uint8_t f[128], d[256];
  uint32_t n = ip4_frame(f, VMPORT_MAC, VM_MAC, IP4(10, 2, 1, 9), VM4, 64, 1) - 14;
  const uint8_t *ip = f + 14;
  drop_case(m4, d, datagram(d, 4, 1, 6635, 0, entry(1234, 1, 64), ip, n), HV_CTR_drop_unknown_label, "unknown label");
  drop_case(m4, d, datagram(d, 4, 1, 6635, 0, entry(3, 1, 64), ip, n), HV_CTR_drop_unknown_label, "reserved label");
  drop_case(m4, d, datagram(d, 4, 1, 6635, 0, entry(1000, 0, 64), ip, n), HV_CTR_drop_bad_mpls, "S bit clear");
  drop_case(m4, d, datagram(d, 4, 1, 4789, 0, entry(1000, 1, 64), ip, n), HV_CTR_drop_bad_mpls, "UDP not to 6635");
  drop_case(m6, d, datagram(d, 6, 0, 0, 0x0001, entry(1000, 1, 64), ip, n), HV_CTR_drop_bad_mpls, "GRE version 1");
  uint32_t len = datagram(d, 4, 0, 0, 0x8000, entry(1000, 1, 64), ip, n);
  d[len - 1] ^= 0xff;
  drop_case(m4, d, len, HV_CTR_drop_bad_mpls, "GRE checksum wrong");
  len = datagram(d, 4, 1, 6635, 0, entry(1000, 1, 64), ip, n);
  d[len - n + 10] ^= 0xff; /* the inner header checksum */
  drop_case(m4, d, len, HV_CTR_drop_bad_mpls, "inner IPv4 checksum wrong");
  drop_case(m4, d, datagram(d, 4, 1, 6635, 0, entry(1000, 1, 64), ip, n) - n + 10, HV_CTR_drop_bad_mpls,
            "inner packet truncated");
  len = datagram(d, 4, 1, 6635, 0, entry(1000, 1, 64), ip, n);
  hv_wr16(d + 6, 0x2000); /* more fragments */
  d[10] = d[11] = 0;
  hv_wr16(d + 10, hv_csum_fold(hv_csum_add(0, d, 20)));
  drop_case(m4, d, len, HV_CTR_drop_bad_mpls, "outer fragment");
  drop_case(m4, d, datagram(d, 4, 1, 6635, 0, entry(1000, 1, 1), ip, n), HV_CTR_drop_ttl_expired, "label TTL 1");
  drop_case(m4, d, datagram(d, 4, 1, 6635, 0, entry(2000, 1, 64), ip, n), HV_CTR_drop_no_route,
            "label of another VRF: no route to the VM there");
  /* a neighbor solicitation (RFC 4861 §4.3: hop limit 255, 24 bytes) from a global address */
  uint8_t src6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 1, [15] = 9}, ns[64] = {0x60, [5] = 24, [6] = 58, [7] = 255};
  memcpy(ns + 8, src6, 16);
  memcpy(ns + 24, VM6, 16);
  ns[40] = 135;
  memcpy(ns + 48, VM6, 16);
  uint32_t sum = hv_csum_add(0, ns + 8, 32) + 58 + 24;
  hv_wr16(ns + 42, hv_csum_fold(hv_csum_add(sum, ns + 40, 24)));
  memcpy(f + 14, ns, 64);
  uint32_t k = 64;
  drop_case(m6, d, datagram(d, 6, 1, 6635, 0, entry(1000, 1, 255), ip, k), HV_CTR_drop_local, "ND from a tunnel");
  CHECK_EQ(hv_neigh_lookup(hv_core_neigh(core), (uint16_t)m6, 6, src6, &(struct hv_neigh_entry){0}), 0);
  uint32_t m = ip4_frame(f, VMPORT_MAC, VM_MAC, IP4(10, 2, 1, 9), IP4(10, 2, 2, 9), 64, 1) - 14;
  drop_case(m4, d, datagram(d, 4, 1, 6635, 0, entry(1000, 1, 64), ip, m), HV_CTR_drop_tunnel_hairpin,
            "routed back into a tunnel");
}

static void test_mtu_backend(void) {
  char err[256];
  int small = add_mpls_underlay("small", 100);
  struct hv_mpls_tunnel_cfg t = {.underlay = (uint16_t)small, .af = 4, .encap = HV_MPLS_GRE};
  memcpy(t.local, L4, 4);
  memcpy(t.remote, R4, 4);
  CHECK_EQ(hv_core_mpls_tunnel_add(core, 9, &t, err, sizeof err), 0);
  tunnel_nh(30, 9, 500);
  CHECK_EQ(hv_core_route4(core, 1, IP4(10, 9, 0, 0), 16, 30, 0), 0);
  uint8_t f[256];
  uint32_t n = ip4_frame(f, VMPORT_MAC, VM_MAC, VM4, IP4(10, 9, 0, 1), 64, 1); /* 36 + 28 <= 100 */
  inject(vm, f, n);
  CHECK_EQ(pop(small), 28 + 36);
  memset(f + n, 0, 60); /* 96 + 28 > 100 */
  hv_wr16(f + 16, 96);
  f[24] = f[25] = 0;
  hv_wr16(f + 24, hv_csum_fold(hv_csum_add(0, f + 14, 20)));
  inject(vm, f, n + 60);
  CHECK_EQ(drain(small), 0);
  CHECK_EQ(ctr(small, HV_CTR_drop_underlay_mtu), 1);
  /* the tunnel removed: its next hop has no backend */
  CHECK_EQ(hv_core_mpls_tunnel_del(core, 9), 0);
  CHECK_EQ(hv_core_mpls_tunnel_del(core, 9), -1);
  n = ip4_frame(f, VMPORT_MAC, VM_MAC, VM4, IP4(10, 9, 0, 1), 64, 1);
  uint64_t before = ctr(vm, HV_CTR_drop_no_backend);
  inject(vm, f, n);
  CHECK_EQ(drain(small), 0);
  CHECK_EQ(ctr(vm, HV_CTR_drop_no_backend) - before, 1);
}

static void refused(int rc, const char *err, const char *field) {
  tap_ok(rc == -1 && strstr(err, field) != NULL, "refused, naming %s: %s", field, err);
}

static void test_control(void) {
  char err[256] = "";
  refused(hv_core_mpls_label_set(core, 15, 1, err, sizeof err), err, "label");
  refused(hv_core_mpls_label_set(core, 1 << 20, 1, err, sizeof err), err, "label");
  refused(hv_core_mpls_label_set(core, 3000, 7, err, sizeof err), err, "vrf");
  CHECK_EQ(hv_core_mpls_label_get(core, 1000), 1);
  CHECK_EQ(hv_core_mpls_label_del(core, 1001), 0);
  CHECK_EQ(hv_core_mpls_label_del(core, 1001), -1);
  CHECK_EQ(hv_core_mpls_label_get(core, 1001), HV_MPLS_NO_VRF);
  struct hv_mpls_tunnel_cfg t = {.underlay = (uint16_t)m4, .af = 4, .encap = HV_MPLS_UDP};
  memcpy(t.local, L4, 4);
  memcpy(t.remote, R4, 4);
  refused(hv_core_mpls_tunnel_add(core, 1, &t, err, sizeof err), err, "exists");
  refused(hv_core_mpls_tunnel_add(core, HV_MAX_MPLS_TUNNELS, &t, err, sizeof err), err, "tunnel id");
  t.underlay = (uint16_t)mvx;
  refused(hv_core_mpls_tunnel_add(core, 7, &t, err, sizeof err), err, "underlay");
  t.underlay = (uint16_t)vm;
  refused(hv_core_mpls_tunnel_add(core, 7, &t, err, sizeof err), err, "underlay");
  t.underlay = (uint16_t)m4;
  t.encap = 3;
  refused(hv_core_mpls_tunnel_add(core, 7, &t, err, sizeof err), err, "encap");
  t.encap = HV_MPLS_GRE;
  t.af = 5;
  refused(hv_core_mpls_tunnel_add(core, 7, &t, err, sizeof err), err, "af");
  t.af = 4;
  memset(t.remote, 0, 4);
  refused(hv_core_mpls_tunnel_add(core, 7, &t, err, sizeof err), err, "remote");
}

int main(void) {
  setup();
  test_encap();
  test_entropy();
  test_ecmp();
  test_decap();
  test_decap_drops();
  test_mtu_backend();
  test_control();
  hv_core_destroy(core);
  return tap_done();
}
