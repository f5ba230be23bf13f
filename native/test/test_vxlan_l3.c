/* L3 VNIs over VXLAN (vxlan.h, vxlan_l3.c): EVPN type-5 symmetric IRB (RFC
 * 9136, RFC 9135 §4.4.1) over memory ports.  A routed packet to an HV_NH_VXLAN
 * next hop leaves as outer IPv4/IPv6 + UDP 4789 + VXLAN (the L3 VNI) +
 * Ethernet (our router MAC -> the remote's) + the packet with its TTL
 * decremented, IPv4 and IPv6 inside and outside (outer fields checked against
 * values computed here); a frame received on an L3 VNI is routed in its VRF;
 * each refusal counted by reason (router MAC, inner packet, hairpin, unknown
 * VNI after removal); the control API's refusals. */
#include <stdio.h>

#include "harness.h"
#include "stage.h"

static int vm, u4, u6;
static const uint8_t VM_MAC[6] = {0x52, 0x54, 0, 0, 0, 0x05};
static const uint8_t VMPORT_MAC[6] = {0x02, 0xaa, 0, 0, 0, 0x01};
static const uint8_t RMAC_L[6] = {0x02, 0x11, 0x11, 0, 0, 0x01}; /* our router MAC */
static const uint8_t RMAC_R[6] = {0x02, 0x22, 0x22, 0, 0, 0x02}; /* the remote PE's */
static const uint8_t L4[4] = {192, 0, 2, 1}, R4[4] = {192, 0, 2, 2};
static const uint8_t L6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, R6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
static const uint8_t VM6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 5};
static const uint8_t FAR6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 1, [15] = 9}; /* behind tunnel 1 */
#define VM4 IP4(10, 1, 0, 5)
#define L3VNI 9000

/* Ethernet + IPv6 (hop limit `hops`) + a 16-byte ICMPv6 echo request. */
static uint32_t ip6_frame(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, const uint8_t *src,
                          const uint8_t *dst, uint8_t hops) {
  memcpy(f, dmac, 6);
  memcpy(f + 6, smac, 6);
  hv_wr16(f + 12, 0x86dd);
  uint8_t *ip = f + 14;
  memset(ip, 0, 56);
  ip[0] = 0x60;
  hv_wr16(ip + 4, 16);
  ip[6] = 58;
  ip[7] = hops;
  memcpy(ip + 8, src, 16);
  memcpy(ip + 24, dst, 16);
  ip[40] = 128;
  uint32_t sum = hv_csum_add(0, ip + 8, 32) + 58 + 16;
  hv_wr16(ip + 42, hv_csum_fold(hv_csum_add(sum, ip + 40, 16)));
  return 14 + 56;
}

static int add_underlay(const char *name) {
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_UNDERLAY;
  s.flood_group = 1;
  return add_port_with(name, &s);
}

static void add_tunnel(uint32_t id, int underlay, uint8_t af) {
  struct hv_tunnel_cfg t = {.underlay = (uint16_t)underlay, .af = af, .vni = L3VNI};
  memcpy(t.local, af == 4 ? L4 : L6, af == 4 ? 4 : 16);
  memcpy(t.remote, af == 4 ? R4 : R6, af == 4 ? 4 : 16);
  char err[256] = "";
  CHECK_EQ(hv_core_tunnel_add(core, id, &t, err, sizeof err), 0);
}

/* VRF 1: the VM (10.1.0.5, 2001:db8:1::5); 10.2.1.0/24 and 2001:db8:2:1::/64
 * through tunnel 1 (IPv4 underlay), 10.2.2.0/24 and 2001:db8:2:2::/64 through
 * tunnel 2 (IPv6 underlay), both with VNI 9000 = VRF 1's L3 VNI. */
static void setup(void) {
  harness_core(1, 0);
  char err[256];
  CHECK_EQ(hv_core_vrf_add(core, 1, err, sizeof err), 0);
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
  u4 = add_underlay("u4");
  u6 = add_underlay("u6");
  add_tunnel(1, u4, 4);
  add_tunnel(2, u6, 6);
  struct hv_nh nh = {.kind = HV_NH_MAC, .port = (uint16_t)vm};
  memcpy(nh.mac, VM_MAC, 6);
  hv_core_nh_set(core, 2, &nh);
  CHECK_EQ(hv_core_route4(core, 1, VM4, 32, 2, 0), 0);
  CHECK_EQ(hv_core_route6(core, 1, VM6, 128, 2, 0), 0);
  for (uint32_t k = 1; k <= 2; k++) {
    struct hv_nh vx = {.kind = HV_NH_VXLAN, .tunnel = k};
    memcpy(vx.mac, RMAC_R, 6);
    memcpy(vx.smac, RMAC_L, 6);
    hv_core_nh_set(core, 10 + k, &vx);
    CHECK_EQ(hv_core_route4(core, 1, IP4(10, 2, k, 0), 24, 10 + k, 0), 0);
    uint8_t p6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, (uint8_t)k};
    CHECK_EQ(hv_core_route6(core, 1, p6, 64, 10 + k, 0), 0);
  }
  CHECK_EQ(hv_core_l3vni_set(core, L3VNI, 1, RMAC_L, err, sizeof err), 0);
}

/* The outer headers of a frame of `inner` bytes to tunnel k, as RFC 7348 §5
 * wants them, with the source port `sport` seen on the wire. */
static uint32_t want_outer(uint8_t *o, int oaf, uint32_t inner, uint16_t sport) {
  uint32_t l3 = oaf == 4 ? 20 : 40, udp = 8 + 8 + inner;
  memset(o, 0, 56);
  if (oaf == 4) {
    o[0] = 0x45;
    hv_wr16(o + 2, (uint16_t)(20 + udp));
    hv_wr16(o + 6, 0x4000);
    o[8] = 64;
    o[9] = 17;
    memcpy(o + 12, L4, 4);
    memcpy(o + 16, R4, 4);
    hv_wr16(o + 10, hv_csum_fold(hv_csum_add(0, o, 20)));
  } else {
    o[0] = 0x60;
    hv_wr16(o + 4, (uint16_t)udp);
    o[6] = 17;
    o[7] = 64;
    memcpy(o + 8, L6, 16);
    memcpy(o + 24, R6, 16);
  }
  hv_wr16(o + l3, sport);
  hv_wr16(o + l3 + 2, 4789);
  hv_wr16(o + l3 + 4, (uint16_t)udp);
  o[l3 + 8] = 0x08;                /* I flag */
  hv_wr16(o + l3 + 12, L3VNI >> 8); /* VNI 9000 = 0x002328 in bytes 4-6 of the VXLAN header */
  o[l3 + 14] = L3VNI & 0xff;
  return l3 + 16;
}

/* A packet from the VM (inner family `af`) to tunnel k: the outer headers, then
 * Ethernet router MAC -> router MAC and the packet with its TTL - 1. */
static void encap_case(uint8_t af, uint32_t k) {
  uint8_t f[128], want[256];
  uint8_t dst6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, (uint8_t)k, [15] = 9};
  uint32_t n = af == 4 ? ip4_frame(f, VMPORT_MAC, VM_MAC, VM4, IP4(10, 2, k, 9), 64, 1)
                       : ip6_frame(f, VMPORT_MAC, VM_MAC, VM6, dst6, 64);
  int oaf = k == 1 ? 4 : 6, port = k == 1 ? u4 : u6;
  uint64_t before = ctr(port, HV_CTR_encap);
  inject(vm, f, n);
  int len = pop(port);
  uint32_t olen = oaf == 4 ? 36 : 56;
  tap_ok(len == (int)(olen + n), "inner IPv%u over IPv%d: %d bytes on the underlay", af, oaf, len);
  if (len != (int)(olen + n)) return;
  uint16_t sport = hv_rd16(out + olen - 16);
  CHECK(sport >= 49152);
  want_outer(want, oaf, n, sport);
  if (oaf == 6) { /* RFC 8200 §8.1: the checksum over the pseudo-header verifies */
    uint32_t sum = hv_csum_add(0, out + 8, 32) + 17 + (uint32_t)(len - 40);
    CHECK_EQ(hv_csum_fold(hv_csum_add(sum, out + 40, (size_t)len - 40)), 0);
    hv_wr16(want + 46, hv_rd16(out + 46));
  }
  memcpy(want + olen, RMAC_R, 6);
  memcpy(want + olen + 6, RMAC_L, 6);
  memcpy(want + olen + 12, f + 12, n - 12);
  uint8_t *ip = want + olen + 14;
  if (af == 4) {
    ip[8] = 63;
    ip[10] = ip[11] = 0;
    hv_wr16(ip + 10, hv_csum_fold(hv_csum_add(0, ip, 20)));
  } else {
    ip[7] = 63;
  }
  tap_ok(memcmp(out, want, olen) == 0, "inner IPv%u over IPv%d: outer headers with VNI %u", af, oaf, L3VNI);
  tap_ok(memcmp(out + olen, want + olen, n) == 0, "inner IPv%u over IPv%d: router MACs, the packet with TTL - 1", af,
         oaf);
  CHECK_EQ(ctr(port, HV_CTR_encap) - before, 1);
}

/* Outer IPv4 or IPv6 + UDP 4789 + VXLAN `vni` around `inner`, from the remote VTEP. */
static uint32_t datagram(uint8_t *d, int oaf, uint32_t vni, const uint8_t *inner, uint32_t n) {
  uint32_t l3 = oaf == 4 ? 20 : 40;
  memset(d, 0, l3 + 16);
  if (oaf == 4) {
    d[0] = 0x45;
    hv_wr16(d + 2, (uint16_t)(36 + n));
    d[8] = 64;
    d[9] = 17;
    memcpy(d + 12, R4, 4);
    memcpy(d + 16, L4, 4);
    hv_wr16(d + 10, hv_csum_fold(hv_csum_add(0, d, 20)));
  } else {
    d[0] = 0x60;
    hv_wr16(d + 4, (uint16_t)(16 + n));
    d[6] = 17;
    d[7] = 64;
    memcpy(d + 8, R6, 16);
    memcpy(d + 24, L6, 16);
  }
  hv_wr16(d + l3, 50000);
  hv_wr16(d + l3 + 2, 4789);
  hv_wr16(d + l3 + 4, (uint16_t)(16 + n));
  d[l3 + 8] = 0x08;
  d[l3 + 12] = (uint8_t)(vni >> 16);
  d[l3 + 13] = (uint8_t)(vni >> 8);
  d[l3 + 14] = (uint8_t)vni;
  memcpy(d + l3 + 16, inner, n);
  return l3 + 16 + n;
}

/* From the remote PE to our VM, IPv4 and IPv6 inside and outside: routed in
 * VRF 1 to the VM port, MACs rewritten, TTL - 1. */
static void test_decap(void) {
  uint8_t f[128], d[256];
  for (int oaf = 4; oaf <= 6; oaf += 2) {
    int port = oaf == 4 ? u4 : u6;
    uint32_t n = ip4_frame(f, RMAC_L, RMAC_R, IP4(10, 2, 1, 9), VM4, 64, 1);
    inject(port, d, datagram(d, oaf, L3VNI, f, n));
    int len = pop(vm);
    tap_ok(len == (int)n, "IPv4 over IPv%d from the L3 VNI: to the VM (%d bytes)", oaf, len);
    CHECK(memcmp(out, VM_MAC, 6) == 0 && memcmp(out + 6, VMPORT_MAC, 6) == 0);
    CHECK_EQ(out[14 + 8], 63);
    CHECK_EQ(hv_csum_fold(hv_csum_add(0, out + 14, 20)), 0);
    n = ip6_frame(f, RMAC_L, RMAC_R, FAR6, VM6, 64);
    inject(port, d, datagram(d, oaf, L3VNI, f, n));
    len = pop(vm);
    tap_ok(len == (int)n, "IPv6 over IPv%d from the L3 VNI: to the VM (%d bytes)", oaf, len);
    CHECK(memcmp(out, VM_MAC, 6) == 0 && memcmp(out + 14 + 24, VM6, 16) == 0);
    CHECK_EQ(out[14 + 7], 63);
    CHECK_EQ(ctr(port, HV_CTR_decap), 2);
  }
}

/* Each refusal counted once, by reason, nothing forwarded. */
static void test_decap_drops(void) {
  uint8_t f[128], d[256];
  /* not our router MAC */
  uint32_t n = ip4_frame(f, RMAC_R, RMAC_R, IP4(10, 2, 1, 9), VM4, 64, 1);
  inject(u4, d, datagram(d, 4, L3VNI, f, n));
  /* ARP on an L3 VNI: not an IP packet */
  n = arp_frame(f, RMAC_L, RMAC_R, 1, IP4(10, 2, 1, 9), MAC_BCAST, VM4);
  inject(u4, d, datagram(d, 4, L3VNI, f, n));
  /* a broken IPv4 header checksum */
  n = ip4_frame(f, RMAC_L, RMAC_R, IP4(10, 2, 1, 9), VM4, 64, 1);
  f[14 + 10] ^= 0xff;
  inject(u4, d, datagram(d, 4, L3VNI, f, n));
  /* routed back into a tunnel: split horizon */
  n = ip4_frame(f, RMAC_L, RMAC_R, IP4(10, 2, 1, 9), IP4(10, 2, 2, 9), 64, 1);
  inject(u4, d, datagram(d, 4, L3VNI, f, n));
  CHECK_EQ(drain(vm) + drain(u4) + drain(u6), 0);
  tap_ok(ctr(u4, HV_CTR_drop_bad_rmac) == 1, "another inner destination MAC: drop_bad_rmac");
  tap_ok(ctr(u4, HV_CTR_drop_bad_vxlan) == 2, "ARP and a bad IPv4 header: drop_bad_vxlan");
  tap_ok(ctr(u4, HV_CTR_drop_tunnel_hairpin) == 1, "tunnel to tunnel: drop_tunnel_hairpin");
  /* the L3 VNI removed: unknown */
  CHECK_EQ(hv_core_vni_del(core, L3VNI), 0);
  n = ip4_frame(f, RMAC_L, RMAC_R, IP4(10, 2, 1, 9), VM4, 64, 1);
  inject(u4, d, datagram(d, 4, L3VNI, f, n));
  CHECK_EQ(drain(vm), 0);
  tap_ok(ctr(u4, HV_CTR_drop_unknown_vni) == 1, "the L3 VNI removed: drop_unknown_vni");
}

static void refused(int rc, const char *err, const char *field) {
  tap_ok(rc == -1 && strstr(err, field) != NULL, "refused, naming %s: %s", field, err);
}

static void test_control(void) {
  char err[256] = "";
  static const uint8_t mcast[6] = {0x01, 0, 0x5e, 0, 0, 1};
  refused(hv_core_l3vni_set(core, 1u << 24, 1, RMAC_L, err, sizeof err), err, "vni");
  refused(hv_core_l3vni_set(core, 9001, 7, RMAC_L, err, sizeof err), err, "vrf");
  refused(hv_core_l3vni_set(core, 9001, 1, mcast, err, sizeof err), err, "router-mac");
}

int main(void) {
  setup();
  for (uint32_t k = 1; k <= 2; k++) {
    encap_case(4, k);
    encap_case(6, k);
  }
  CHECK_EQ(drain(vm) + drain(u4) + drain(u6), 0);
  test_decap();
  test_decap_drops();
  test_control();
  hv_core_destroy(core);
  return tap_done();
}
