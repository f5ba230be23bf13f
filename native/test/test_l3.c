/* Layer 3 over memory ports: routed VM port (RFC 826 ARP for 169.254.0.1,
 * RFC 4861 NS for fe80::1, anti-spoofing), next-hop resolution by ARP with a
 * queued packet, TTL decrement with an RFC 1624 checksum update, ICMP time
 * exceeded (RFC 792), no route, VRF separation. */
#include <errno.h>

#include "harness.h"
#include "neigh.h"

static const uint8_t VM_MAC[6] = {0x52, 0x54, 0, 0, 0, 0x05};
static const uint8_t VMPORT_MAC[6] = {0x02, 0xaa, 0, 0, 0, 0x01};
static const uint8_t UP_MAC[6] = {0x02, 0xaa, 0, 0, 0, 0x02};
static const uint8_t GW_MAC[6] = {0x02, 0xbb, 0, 0, 0, 0x09};
static const uint8_t GW_IP[4] = {192, 0, 2, 2};
static int vm, up, other;

/* Two VRFs; a VM port and an uplink in VRF 1, another uplink with the same
 * addresses in VRF 2; next hops and routes in VRF 1. */
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
  s.l3.vm4[0] = IP4(2, 57, 57, 29);
  s.l3.nvm6 = 1;
  uint8_t vm6[16] = {0x2a, 0x14, 0x9b, 0x80, 0x01, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
  memcpy(s.l3.vm6[0], vm6, 16);
  vm = add_port_with("vm", &s);
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_ROUTED;
  s.l3.vrf = 1;
  memcpy(s.l3.mac, UP_MAC, 6);
  s.l3.n4 = 1;
  s.l3.addr4[0] = IP4(192, 0, 2, 1);
  s.l3.plen4[0] = 24;
  up = add_port_with("up", &s);
  s.l3.vrf = 2;
  other = add_port_with("other", &s); /* same addresses, another VRF */
  CHECK(vm >= 0 && up >= 0 && other >= 0);

  /* next hops: 1 = default gateway 192.0.2.2 on up, 2 = the VM, 3 = local */
  struct hv_nh nh = {0};
  nh.kind = HV_NH_GATEWAY;
  nh.af = 4;
  nh.port = (uint16_t)up;
  hv_wr32(nh.gw, IP4(192, 0, 2, 2));
  hv_core_nh_set(core, 1, &nh);
  memset(&nh, 0, sizeof nh);
  nh.kind = HV_NH_MAC;
  nh.port = (uint16_t)vm;
  memcpy(nh.mac, VM_MAC, 6);
  hv_core_nh_set(core, 2, &nh);
  memset(&nh, 0, sizeof nh);
  nh.kind = HV_NH_LOCAL;
  hv_core_nh_set(core, 3, &nh);
  CHECK_EQ(hv_core_route4(core, 1, 0, 0, 1, 0), 0);
  CHECK_EQ(hv_core_route4(core, 1, IP4(2, 57, 57, 29), 32, 2, 0), 0);
  CHECK_EQ(hv_core_route4(core, 1, IP4(169, 254, 0, 1), 32, 3, 0), 0);

}

/* 1-2: ARP for the gateway; next-hop resolution with a queued packet */
static void test_arp_and_resolution(void) {
  uint8_t f[2048];
  static const uint8_t zero[6];
  /* 1. the VM asks for its gateway 169.254.0.1: answered with the port's MAC */
  uint32_t n = arp_frame(f, MAC_BCAST, VM_MAC, 1, IP4(2, 57, 57, 29), zero, IP4(169, 254, 0, 1));
  inject(vm, f, n);
  CHECK_EQ(pop(vm), 42);
  CHECK(memcmp(out, VM_MAC, 6) == 0);
  CHECK_EQ(hv_rd16(out + 20), 2);
  CHECK(memcmp(out + 22, VMPORT_MAC, 6) == 0);
  CHECK_EQ(hv_rd32(out + 28), IP4(169, 254, 0, 1));
  CHECK_EQ(ctr(vm, HV_CTR_nd_answered), 1);
  /* an ARP claiming another sender IP is spoofing */
  n = arp_frame(f, MAC_BCAST, VM_MAC, 1, IP4(2, 57, 57, 30), zero, IP4(169, 254, 0, 1));
  inject(vm, f, n);
  CHECK_EQ(pop(vm), 0);
  CHECK_EQ(ctr(vm, HV_CTR_drop_spoofed), 1);

  /* 2. VM -> 198.51.100.7: no neighbor for the gateway yet -> ARP request on up, packet queued */
  n = ip4_frame(f, VMPORT_MAC, VM_MAC, IP4(2, 57, 57, 29), IP4(198, 51, 100, 7), 64, 1);
  inject(vm, f, n);
  CHECK_EQ(pop(up), 42);
  CHECK(memcmp(out, MAC_BCAST, 6) == 0);
  CHECK_EQ(hv_rd16(out + 20), 1);
  CHECK_EQ(hv_rd32(out + 28), IP4(192, 0, 2, 1));
  CHECK_EQ(hv_rd32(out + 38), IP4(192, 0, 2, 2));
  CHECK_EQ(pop(up), 0);
  /* the gateway answers: the queued packet leaves, TTL 63, checksum still valid */
  n = arp_frame(f, UP_MAC, GW_MAC, 2, IP4(192, 0, 2, 2), UP_MAC, IP4(192, 0, 2, 1));
  inject(up, f, n);
  hv_core_poll_once(core, 0);
  CHECK_EQ(pop(up), 50);
  CHECK(memcmp(out, GW_MAC, 6) == 0);
  CHECK(memcmp(out + 6, UP_MAC, 6) == 0);
  CHECK_EQ(out[14 + 8], 63);
  CHECK_EQ(hv_csum_fold(hv_csum_add(0, out + 14, 20)), 0);
  CHECK_EQ(ctr(up, HV_CTR_routed), 1);
  /* next packet goes straight out */
  n = ip4_frame(f, VMPORT_MAC, VM_MAC, IP4(2, 57, 57, 29), IP4(198, 51, 100, 7), 64, 1);
  inject(vm, f, n);
  CHECK_EQ(pop(up), 50);
  struct hv_neigh_entry ne;
  CHECK(hv_neigh_lookup(hv_core_neigh(core), (uint16_t)up, 4, GW_IP, &ne) && ne.state == HV_NEIGH_REACHABLE);
}

/* 3-6: anti-spoofing, TTL expiry, routing to the VM, echo to the gateway */
static void test_forwarding(void) {
  uint8_t f[2048];
  uint32_t n;

  /* 3. spoofed source IP and MAC from the VM are dropped and counted */
  n = ip4_frame(f, VMPORT_MAC, VM_MAC, IP4(10, 0, 0, 1), IP4(198, 51, 100, 7), 64, 1);
  inject(vm, f, n);
  n = ip4_frame(f, VMPORT_MAC, MAC_A, IP4(2, 57, 57, 29), IP4(198, 51, 100, 7), 64, 1);
  inject(vm, f, n);
  CHECK_EQ(pop(up), 0);
  CHECK_EQ(ctr(vm, HV_CTR_drop_spoofed), 3);

  /* 4. TTL 1: ICMP time exceeded from 169.254.0.1 back to the VM */
  n = ip4_frame(f, VMPORT_MAC, VM_MAC, IP4(2, 57, 57, 29), IP4(198, 51, 100, 7), 1, 1);
  inject(vm, f, n);
  CHECK_EQ(pop(up), 0);
  int m = pop(vm);
  CHECK_EQ(m, 14 + 20 + 8 + 28);
  CHECK_EQ(out[14 + 9], 1);
  CHECK_EQ(hv_rd32(out + 14 + 12), IP4(169, 254, 0, 1));
  CHECK_EQ(hv_rd32(out + 14 + 16), IP4(2, 57, 57, 29));
  CHECK_EQ(out[34], 11);
  CHECK_EQ(hv_csum_fold(hv_csum_add(0, out + 34, (size_t)m - 34)), 0);
  CHECK_EQ(ctr(vm, HV_CTR_drop_ttl_expired), 1);

  /* 5. from the uplink to the VM's /32: to the VM's MAC */
  n = ip4_frame(f, UP_MAC, GW_MAC, IP4(198, 51, 100, 7), IP4(2, 57, 57, 29), 50, 1);
  inject(up, f, n);
  CHECK_EQ(pop(vm), 50);
  CHECK(memcmp(out, VM_MAC, 6) == 0);
  CHECK(memcmp(out + 6, VMPORT_MAC, 6) == 0);
  CHECK_EQ(out[14 + 8], 49);

  /* 6. ping the gateway address: echo reply */
  n = ip4_frame(f, VMPORT_MAC, VM_MAC, IP4(2, 57, 57, 29), IP4(169, 254, 0, 1), 64, 1);
  inject(vm, f, n);
  CHECK_EQ(pop(vm), 50);
  CHECK_EQ(out[34], 0);
  CHECK_EQ(hv_csum_fold(hv_csum_add(0, out + 34, 16)), 0);

}

/* 7-9: VRF separation, ND for fe80::1, malformed headers */
static void test_vrf_nd_malformed(void) {
  uint8_t f[2048];
  uint32_t n;
  int m;
  /* 7. VRF separation: VRF 2 has no routes -> unreachable, nothing leaks to VRF 1 */
  n = ip4_frame(f, UP_MAC, GW_MAC, IP4(192, 0, 2, 9), IP4(2, 57, 57, 29), 64, 1);
  inject(other, f, n);
  CHECK_EQ(pop(vm), 0);
  CHECK_EQ(ctr(other, HV_CTR_drop_no_route), 1);
  m = pop(other);
  CHECK_EQ(out[34], 3);

  /* 8. NS for fe80::1 from the VM's link-local address: NA with the port MAC */
  uint8_t *ip = f + 14;
  memcpy(f, (uint8_t[]){0x33, 0x33, 0xff, 0, 0, 1}, 6);
  memcpy(f + 6, VM_MAC, 6);
  hv_wr16(f + 12, 0x86dd);
  memset(ip, 0, 40 + 32);
  ip[0] = 0x60;
  hv_wr16(ip + 4, 32);
  ip[6] = 58;
  ip[7] = 255;
  uint8_t ll[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0, 0xff, 0xfe, 0, 0, 5};
  memcpy(ip + 8, ll, 16);
  uint8_t snm[16] = {0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 1};
  memcpy(ip + 24, snm, 16);
  ip[40] = 135;
  uint8_t gw6[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  memcpy(ip + 48, gw6, 16);
  ip[64] = 1;
  ip[65] = 1;
  memcpy(ip + 66, VM_MAC, 6);
  inject(vm, f, 14 + 40 + 32);
  m = pop(vm);
  CHECK_EQ(m, 14 + 40 + 32);
  CHECK_EQ(out[54], 136);
  CHECK(memcmp(out + 54 + 8, gw6, 16) == 0);
  CHECK(memcmp(out + 54 + 26, VMPORT_MAC, 6) == 0);
  {
    uint32_t sum = hv_csum_add(0, out + 22, 32);
    sum += 32 + 58;
    sum = hv_csum_add(sum, out + 54, 32);
    CHECK_EQ(hv_csum_fold(sum), 0);
  }

  /* 9. malformed IPv4 header (bad checksum) is counted, not routed */
  n = ip4_frame(f, VMPORT_MAC, VM_MAC, IP4(2, 57, 57, 29), IP4(198, 51, 100, 7), 64, 1);
  f[14 + 10] ^= 0xff;
  inject(vm, f, n);
  CHECK_EQ(pop(up), 0);
  CHECK_EQ(ctr(vm, HV_CTR_drop_bad_ip_header), 1);
  /* truncated IPv4 and IPv6 headers */
  inject(vm, f, 14 + 10);
  hv_wr16(f + 12, 0x86dd);
  inject(vm, f, 14 + 30);
  CHECK_EQ(ctr(vm, HV_CTR_drop_bad_ip_header), 3);

}

static void test_neigh_gc(void) {
  struct hv_neigh_entry ne;
  /* 10. neighbor GC: an entry not confirmed for HV_NEIGH_GC_S goes; permanent ones stay */
  uint8_t perm_ip[4] = {192, 0, 2, 77};
  hv_neigh_update(hv_core_neigh(core), (uint16_t)up, 4, perm_ip, GW_MAC, HV_NEIGH_PERMANENT, 1, 1);
  uint32_t later = hv_core_now(core) + HV_NEIGH_GC_S + 5;
  hv_neigh_age(hv_core_neigh(core), later, HV_NEIGH_GC_S, HV_NEIGH_SLOTS);
  CHECK(!hv_neigh_lookup(hv_core_neigh(core), (uint16_t)up, 4, GW_IP, &ne));
  CHECK(hv_neigh_lookup(hv_core_neigh(core), (uint16_t)up, 4, perm_ip, &ne) && ne.state == HV_NEIGH_PERMANENT);
}

/* 10: a packet to our own address whose FIB route is not local goes there
 * (a host interface sharing the uplink's address, docs/pure-l3.md): the VM
 * port stands in for the host interface; TTL 1 is delivered, not expired. */
/* hv_core_fib_retired: a route changed in place retires nothing (the deferred
 * reclaim of routing.ts skips its synchronize then); the removal of a group's
 * last long prefix retires the group until the next synchronize, in any VRF. */
static void test_fib_retired(void) {
  CHECK_EQ(hv_core_fib_retired(core), 0);
  CHECK_EQ(hv_core_route4(core, 2, IP4(203, 0, 113, 7), 32, 2, 0), 0);
  CHECK_EQ(hv_core_route4(core, 2, IP4(203, 0, 113, 7), 32, 3, 0), 0); /* in place */
  CHECK_EQ(hv_core_fib_retired(core), 0);
  CHECK_EQ(hv_core_route4(core, 2, IP4(203, 0, 113, 7), 32, 0, 1), 0);
  CHECK_EQ(hv_core_fib_retired(core), 1);
  uint8_t p6[16] = {0x20, 0x01, 0x0d, 0xb8};
  p6[15] = 1;
  CHECK_EQ(hv_core_route6(core, 1, p6, 128, 2, 0), 0);
  CHECK_EQ(hv_core_route6(core, 1, p6, 128, 0, 1), 0);
  CHECK(hv_core_fib_retired(core) > 1);
  hv_core_synchronize(core);
  CHECK_EQ(hv_core_fib_retired(core), 0);
}

/* The FIB as the controller's table: get, walk and count per VRF. */
static int count4(void *ctx, uint32_t prefix, uint8_t len, uint32_t nh) {
  (void)prefix, (void)len, (void)nh;
  ((int *)ctx)[0]++;
  return 0;
}
static int count6(void *ctx, const uint8_t prefix[16], uint8_t len, uint32_t nh) {
  (void)prefix, (void)len, (void)nh;
  ((int *)ctx)[1]++;
  return 0;
}
static void test_route_table(void) {
  uint32_t nh = 0;
  size_t n4 = 0, n6 = 0;
  CHECK_EQ(hv_core_route_count(core, 2, &n4, &n6), 0);
  size_t base4 = n4, base6 = n6;
  CHECK_EQ(hv_core_route4_get(core, 2, IP4(198, 18, 7, 0), 24, &nh), -ENOENT);
  CHECK_EQ(hv_core_route4(core, 2, IP4(198, 18, 7, 0), 24, 3, 0), 0);
  CHECK_EQ(hv_core_route4_get(core, 2, IP4(198, 18, 7, 0), 24, &nh), 0);
  CHECK_EQ(nh, 3);
  uint8_t p6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 7};
  CHECK_EQ(hv_core_route6(core, 2, p6, 48, 2, 0), 0);
  CHECK_EQ(hv_core_route6_get(core, 2, p6, 48, &nh), 0);
  CHECK_EQ(nh, 2);
  CHECK_EQ(hv_core_route_count(core, 2, &n4, &n6), 0);
  CHECK_EQ(n4, base4 + 1);
  CHECK_EQ(n6, base6 + 1);
  int seen[2] = {0, 0};
  CHECK_EQ(hv_core_route_walk(core, 2, count4, count6, seen), 0);
  CHECK_EQ((size_t)seen[0], n4);
  CHECK_EQ((size_t)seen[1], n6);
  CHECK_EQ(hv_core_route_walk(core, 9, count4, count6, seen), -ENOENT);
  CHECK_EQ(hv_core_route_count(core, 9, &n4, &n6), -ENOENT);
  CHECK_EQ(hv_core_route4_get(core, 9, 0, 0, &nh), -ENOENT);
  CHECK_EQ(hv_core_route4(core, 2, IP4(198, 18, 7, 0), 24, 0, 1), 0);
  CHECK_EQ(hv_core_route6(core, 2, p6, 48, 0, 1), 0);
  CHECK_EQ(hv_core_route4_get(core, 2, IP4(198, 18, 7, 0), 24, &nh), -ENOENT);
}

static void test_own_address_elsewhere(void) {
  uint8_t f[2048];
  uint64_t local0 = ctr(up, HV_CTR_drop_local);
  /* no /32 for 192.0.2.1: a UDP packet to it stays here and is dropped */
  uint32_t n = ip4_frame(f, UP_MAC, GW_MAC, IP4(192, 0, 2, 2), IP4(192, 0, 2, 1), 64, 17);
  inject(up, f, n);
  CHECK_EQ(pop(vm), 0);
  CHECK_EQ(ctr(up, HV_CTR_drop_local), local0 + 1);
  /* its /32 to the "host interface": routed there, TTL decremented */
  CHECK_EQ(hv_core_route4(core, 1, IP4(192, 0, 2, 1), 32, 2, 0), 0);
  inject(up, f, n);
  CHECK_EQ(pop(vm), 50);
  CHECK(memcmp(out, VM_MAC, 6) == 0);
  CHECK_EQ(out[14 + 8], 63);
  /* TTL 1 (an eBGP session's): delivered with TTL 1, checksum intact, no time exceeded */
  n = ip4_frame(f, UP_MAC, GW_MAC, IP4(192, 0, 2, 2), IP4(192, 0, 2, 1), 1, 6);
  inject(up, f, n);
  CHECK_EQ(pop(vm), 50);
  CHECK_EQ(out[14 + 8], 1);
  CHECK_EQ(hv_csum_fold(hv_csum_add(0, out + 14, 20)), 0);
  CHECK_EQ(pop(up), 0);
  CHECK_EQ(ctr(up, HV_CTR_drop_local), local0 + 1);
  /* but TTL 1 to another address behind the uplink still expires */
  uint64_t exp0 = ctr(up, HV_CTR_drop_ttl_expired);
  n = ip4_frame(f, UP_MAC, GW_MAC, IP4(192, 0, 2, 2), IP4(2, 57, 57, 29), 1, 17);
  inject(up, f, n);
  CHECK_EQ(pop(vm), 0);
  CHECK_EQ(ctr(up, HV_CTR_drop_ttl_expired), exp0 + 1);
  while (pop(up) > 0) {} /* the ICMP time exceeded */
  CHECK_EQ(hv_core_route4(core, 1, IP4(192, 0, 2, 1), 32, 0, 1), 0);
}

int main(void) {
  setup();
  test_arp_and_resolution();
  test_forwarding();
  test_vrf_nd_malformed();
  test_neigh_gc();
  test_fib_retired();
  test_route_table();
  test_own_address_elsewhere();

  hv_core_destroy(core);
  return tap_done();
}
