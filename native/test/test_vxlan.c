/* VXLAN encapsulation and decapsulation (vxlan.h) over memory ports: golden
 * bytes of the outer headers (IPv4 and IPv6 underlay), the source port from
 * the flow hash, ingress replication of BUM frames once per tunnel, split
 * horizon on decapsulation, each drop reason counted, MTU accounting, GSO
 * frames segmented before encapsulation, and the control API's refusals. */
#include "gso.h"
#include "harness.h"
#include "stage.h"

static int acc, trunk, u4, u6, ug;
static const uint8_t MAC_G[6] = {0x02, 0, 0, 0, 0, 0x57}; /* behind tunnel 3 (a UDP GSO underlay) */
static const uint8_t MAC_T[6] = {0x02, 0, 0, 0, 0, 0x54}; /* behind tunnel 1 (IPv4) */
static const uint8_t MAC_U[6] = {0x02, 0, 0, 0, 0, 0x56}; /* behind tunnel 2 (IPv6) */
static const uint8_t MAC_R[6] = {0x02, 0, 0, 0, 0, 0x99}; /* a remote VM sending to us */
static const uint8_t L4[4] = {192, 0, 2, 1}, R4[4] = {192, 0, 2, 2};
static const uint8_t L6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, R6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
#define VNI 5010

static int add_underlay(const char *name) {
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_UNDERLAY;
  s.flood_group = 1;
  return add_port_with(name, &s);
}

static void add_tunnel(uint32_t id, int underlay, uint8_t af, const uint8_t *local, const uint8_t *remote) {
  struct hv_tunnel_cfg t = {.underlay = (uint16_t)underlay, .af = af, .vni = VNI};
  memcpy(t.local, local, af == 4 ? 4 : 16);
  memcpy(t.remote, remote, af == 4 ? 4 : 16);
  char err[256] = "";
  CHECK_EQ(hv_core_tunnel_add(core, id, &t, err, sizeof err), 0);
}

static void setup(void) {
  harness_core(1, 0);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 1024, err, sizeof err), 0);
  const int allowed[] = {10, 20, 0};
  acc = add_l2_port("acc", HV_MODE_ACCESS, 10, NULL);
  trunk = add_l2_port("trunk", HV_MODE_TRUNK, 0, allowed);
  u4 = add_underlay("u4");
  u6 = add_underlay("u6");
  /* a memory underlay opened with an address family: it takes UDP GSO runs */
  struct hv_port_open_params pp = {.kind = HV_PORT_MEMORY, .name = "ug", .af = 4};
  struct hv_port_settings us;
  memset(&us, 0, sizeof us);
  us.bd = HV_NO_BD;
  us.mode = HV_MODE_UNDERLAY;
  us.flood_group = 1;
  ug = hv_core_port_add(core, &pp, &us, err, sizeof err);
  CHECK(ug >= 0);
  add_tunnel(1, u4, 4, L4, R4);
  add_tunnel(2, u6, 6, L6, R6);
  add_tunnel(3, ug, 4, L4, (const uint8_t[4]){192, 0, 2, 3});
  CHECK_EQ(hv_core_vni_set(core, VNI, 0, 10, err, sizeof err), 0);
  struct hv_fdb *fdb = hv_core_fdb(core, 0);
  CHECK_EQ(hv_fdb_add_remote(fdb, 10, MAC_T, hv_egress_make(HV_EGRESS_TUNNEL, 1)), 0);
  CHECK_EQ(hv_fdb_add_remote(fdb, 10, MAC_U, hv_egress_make(HV_EGRESS_TUNNEL, 2)), 0);
  CHECK_EQ(hv_fdb_add_remote(fdb, 10, MAC_G, hv_egress_make(HV_EGRESS_TUNNEL, 3)), 0);
  /* ingress replication: both tunnels flood VLAN 10, in the tunnels' split-horizon group */
  CHECK_EQ(hv_core_flood_add(core, 0, 10, hv_egress_make(HV_EGRESS_TUNNEL, 1), 1, err, sizeof err), 0);
  CHECK_EQ(hv_core_flood_add(core, 0, 10, hv_egress_make(HV_EGRESS_TUNNEL, 2), 1, err, sizeof err), 0);
}

/* RFC 7348 §5 over IPv4: DF, TTL 64, UDP to 4789 from the dynamic range,
 * UDP checksum 0, VXLAN I flag and VNI; the inner frame as it was, untagged. */
static void test_encap4(void) {
  static const uint8_t golden[36] = {
      0x45, 0x00, 0x00, 0x56, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb6, 0x93, 192, 0, 2, 1, 192, 0, 2, 2, /* IPv4 */
      0x00, 0x00, 0x12, 0xb5, 0x00, 0x42, 0x00, 0x00,                                                /* UDP */
      0x08, 0x00, 0x00, 0x00, 0x00, 0x13, 0x92, 0x00};                                               /* VXLAN */
  uint8_t f[128], g[128];
  uint32_t n = ip4_frame(f, MAC_T, MAC_A, IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), 64, 1);
  inject(acc, f, n);
  CHECK_EQ(pop(u4), 36 + (int)n);
  uint16_t sport = hv_rd16(out + 20);
  CHECK(sport >= 49152);
  memcpy(g, golden, 36);
  hv_wr16(g + 20, sport);
  CHECK(memcmp(out, g, 36) == 0);
  CHECK(memcmp(out + 36, f, n) == 0);
  CHECK_EQ(drain(u6) + drain(trunk), 0);
  CHECK_EQ(ctr(u4, HV_CTR_encap), 1);
  CHECK_EQ(ctr(u4, HV_CTR_tx_bytes), 36 + n);
  /* the same flow from a tagged trunk: the same source port, the tag not carried */
  uint8_t t[132];
  memcpy(t, f, 12);
  memcpy(t + 12, "\x81\x00\x00\x0a", 4);
  memcpy(t + 16, f + 12, n - 12);
  inject(trunk, t, n + 4);
  CHECK_EQ(pop(u4), 36 + (int)n);
  CHECK_EQ(hv_rd16(out + 20), sport);
  CHECK(memcmp(out + 36, f, n) == 0);
  /* other flows spread over source ports */
  int other = 0;
  for (uint8_t d = 3; d < 19; d++) {
    n = ip4_frame(f, MAC_T, MAC_A, IP4(10, 0, 0, 1), IP4(10, 0, 0, d), 64, 1);
    inject(acc, f, n);
    CHECK_EQ(pop(u4), 36 + (int)n);
    other += hv_rd16(out + 20) != sport;
  }
  CHECK(other >= 14);
}

/* Over IPv6: payload length, next header UDP, hop limit 64, the UDP checksum
 * computed (RFC 8200 §8.1) and verified here independently. */
static void test_encap6(void) {
  uint8_t f[128];
  uint32_t n = ip4_frame(f, MAC_U, MAC_A, IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), 64, 1);
  inject(acc, f, n);
  int len = pop(u6);
  CHECK_EQ(len, 56 + (int)n);
  static const uint8_t ip6[8] = {0x60, 0, 0, 0, 0x00, 0x42, 0x11, 0x40};
  CHECK(memcmp(out, ip6, 8) == 0);
  CHECK(memcmp(out + 8, L6, 16) == 0 && memcmp(out + 24, R6, 16) == 0);
  CHECK_EQ(hv_rd16(out + 42), 4789);
  CHECK_EQ(hv_rd16(out + 44), 0x42);
  CHECK(hv_rd16(out + 46) != 0);
  uint32_t sum = hv_csum_add(0, out + 8, 32) + 17 + 0x42;
  CHECK_EQ(hv_csum_fold(hv_csum_add(sum, out + 40, (size_t)len - 40)), 0);
  static const uint8_t vx[8] = {0x08, 0, 0, 0, 0x00, 0x13, 0x92, 0};
  CHECK(memcmp(out + 48, vx, 8) == 0);
  CHECK(memcmp(out + 56, f, n) == 0);
}

/* BUM from a local port: every local port of the VLAN and each tunnel once. */
static void test_flood(void) {
  uint8_t f[128];
  uint32_t n = mk_frame(f, MAC_BCAST, MAC_A, -1, 0x0806, 46);
  inject(acc, f, n);
  CHECK_EQ(drain(trunk), 1);
  CHECK_EQ(pop(u4), 36 + (int)n);
  CHECK(memcmp(out + 36, f, n) == 0);
  CHECK_EQ(drain(u4), 0);
  CHECK_EQ(pop(u6), 56 + (int)n);
  CHECK_EQ(drain(u6), 0);
  CHECK_EQ(drain(acc), 0);
}

/* UDP (to `dport`) + VXLAN (`flags`, `vni`) + the inner frame at `u`; returns its length. */
static uint32_t udp_vxlan(uint8_t *u, uint16_t dport, uint8_t flags, uint32_t vni, const uint8_t *inner, uint32_t n) {
  memset(u, 0, 16);
  hv_wr16(u, 50000);
  hv_wr16(u + 2, dport);
  hv_wr16(u + 4, (uint16_t)(16 + n));
  u[8] = flags;
  u[12] = (uint8_t)(vni >> 16);
  u[13] = (uint8_t)(vni >> 8);
  u[14] = (uint8_t)vni;
  memcpy(u + 16, inner, n);
  return 16 + n;
}

/* A whole IPv4 datagram as the underlay delivers it. */
static uint32_t datagram4(uint8_t *d, const uint8_t *src, uint16_t dport, uint8_t flags, uint32_t vni,
                          const uint8_t *inner, uint32_t n) {
  memset(d, 0, 20);
  d[0] = 0x45;
  hv_wr16(d + 2, (uint16_t)(36 + n));
  d[8] = 64;
  d[9] = 17;
  memcpy(d + 12, src, 4);
  memcpy(d + 16, L4, 4);
  hv_wr16(d + 10, hv_csum_fold(hv_csum_add(0, d, 20)));
  return 20 + udp_vxlan(d + 20, dport, flags, vni, inner, n);
}

static void test_decap(void) {
  uint8_t f[128], d[256];
  /* broadcast from a remote VM: to the local ports of VLAN 10 only (split horizon) */
  uint32_t n = mk_frame(f, MAC_BCAST, MAC_R, -1, 0x0806, 46);
  inject(u4, d, datagram4(d, R4, 4789, 0x08, VNI, f, n));
  CHECK_EQ(pop(acc), (int)n);
  CHECK(memcmp(out, f, n) == 0);
  CHECK_EQ(pop(trunk), (int)n + 4); /* tagged 10 on the trunk */
  CHECK_EQ(hv_rd16(out + 14) & 0xfff, 10);
  CHECK_EQ(drain(u4) + drain(u6), 0);
  CHECK_EQ(ctr(u4, HV_CTR_decap), 1);
  /* unicast to a local MAC (learned on acc earlier): that port only */
  n = mk_frame(f, MAC_A, MAC_R, -1, 0x0800, 46);
  inject(u4, d, datagram4(d, R4, 4789, 0x08, VNI, f, n));
  CHECK_EQ(drain(acc), 1);
  CHECK_EQ(drain(trunk), 0);
  /* nothing learned from the data plane: MAC_R is still unknown */
  struct hv_fdb_hit hit;
  CHECK_EQ(hv_fdb_lookup(hv_core_fdb(core, 0), 10, MAC_R, &hit), 0);
  /* to a MAC behind a tunnel: never back into one */
  n = mk_frame(f, MAC_T, MAC_R, -1, 0x0800, 46);
  inject(u4, d, datagram4(d, R4, 4789, 0x08, VNI, f, n));
  CHECK_EQ(drain(u4) + drain(u6) + drain(acc) + drain(trunk), 0);
  CHECK_EQ(ctr(u4, HV_CTR_drop_tunnel_hairpin), 1);
}

/* Each refusal counted once, by reason, nothing forwarded. */
static void test_decap_drops(void) {
  uint8_t f[128], d[256];
  const uint8_t stranger[4] = {192, 0, 2, 99};
  uint32_t n = mk_frame(f, MAC_BCAST, MAC_R, -1, 0x0806, 46);
  inject(u4, d, datagram4(d, R4, 4789, 0x08, VNI + 1, f, n));
  CHECK_EQ(ctr(u4, HV_CTR_drop_unknown_vni), 1);
  inject(u4, d, datagram4(d, stranger, 4789, 0x08, VNI, f, n));
  CHECK_EQ(ctr(u4, HV_CTR_drop_unknown_vtep), 1);
  inject(u4, d, datagram4(d, R4, 4789, 0x00, VNI, f, n)); /* I flag clear */
  inject(u4, d, datagram4(d, R4, 4790, 0x08, VNI, f, n)); /* another UDP port */
  uint32_t m = datagram4(d, R4, 4789, 0x08, VNI, f, n);
  inject(u4, d, 40); /* truncated inside the VXLAN header */
  d[9] = 6;          /* not UDP */
  inject(u4, d, m);
  uint8_t tagged[132];
  n = mk_frame(tagged, MAC_BCAST, MAC_R, 10, 0x0806, 46); /* an inner tag: RFC 8365 §5.1.2 */
  inject(u4, d, datagram4(d, R4, 4789, 0x08, VNI, tagged, n));
  CHECK_EQ(ctr(u4, HV_CTR_drop_bad_vxlan), 5);
  CHECK_EQ(drain(acc) + drain(trunk) + drain(u4) + drain(u6), 0);
}

/* The IPv6 underlay: the same datagram over IPv6 from the known VTEP. */
static void test_decap6(void) {
  uint8_t f[128], d[256];
  uint32_t n = mk_frame(f, MAC_BCAST, MAC_R, -1, 0x0806, 46);
  memset(d, 0, 40);
  d[0] = 0x60;
  hv_wr16(d + 4, (uint16_t)(16 + n));
  d[6] = 17;
  d[7] = 64;
  memcpy(d + 8, R6, 16);
  memcpy(d + 24, L6, 16);
  udp_vxlan(d + 40, 4789, 0x08, VNI, f, n);
  uint64_t before = ctr(u6, HV_CTR_decap);
  inject(u6, d, 56 + n);
  CHECK_EQ(ctr(u6, HV_CTR_decap) - before, 1);
  CHECK_EQ(pop(acc), (int)n); /* the inner frame, byte for byte */
  CHECK(memcmp(out, f, n) == 0);
  CHECK_EQ(pop(trunk), (int)n + 4); /* tagged 10 on the trunk */
  CHECK(memcmp(out, f, 12) == 0 && hv_rd16(out + 12) == 0x8100 && (hv_rd16(out + 14) & 0xfff) == 10 && memcmp(out + 16, f + 12, n - 12) == 0);
  CHECK_EQ(drain(acc) + drain(trunk) + drain(u4) + drain(u6), 0); /* once, never back into a tunnel */
}

/* A frame the underlay cannot carry in one datagram: counted, not sent. */
static void test_mtu(void) {
  static uint8_t f[1600];
  uint32_t n = mk_frame(f, MAC_T, MAC_A, -1, 0x0800, 1500 - 36 - 14); /* 36 + 1464 = 1500: the datagram fits */
  inject(acc, f, n);
  CHECK_EQ(pop(u4), (int)n + 36);
  n = mk_frame(f, MAC_T, MAC_A, -1, 0x0800, 1500 - 36 - 13);
  inject(acc, f, n);
  CHECK_EQ(drain(u4), 0);
  CHECK_EQ(ctr(u4, HV_CTR_drop_underlay_mtu), 1);
}

/* A TCP GSO frame from a VM (offloads on) to `dst`, behind a tunnel over
 * `underlay`: segmented to the MSS, each segment encapsulated with a complete
 * TCP checksum, all with the flow's source port and a valid outer header.
 * Over an underlay that takes UDP GSO runs (ug), the segments leave as runs
 * of at most 64 KiB, cut into datagrams by the port (as the kernel does). */
static void gso_case(const uint8_t *dst, int underlay, uint32_t payload, int want_segs) {
  static uint8_t f[70000];
  uint32_t tcp_len = 20 + payload;
  memcpy(f, dst, 6);
  memcpy(f + 6, MAC_A, 6);
  hv_wr16(f + 12, 0x0800);
  uint8_t *ip = f + 14, *tcp = ip + 20;
  memset(ip, 0, 40);
  ip[0] = 0x45;
  hv_wr16(ip + 2, (uint16_t)(20 + tcp_len));
  ip[8] = 64;
  ip[9] = 6;
  hv_wr32(ip + 12, IP4(10, 0, 0, 1));
  hv_wr32(ip + 16, IP4(10, 0, 0, 2));
  hv_wr16(ip + 10, hv_csum_fold(hv_csum_add(0, ip, 20)));
  hv_wr16(tcp, 40000);
  hv_wr16(tcp + 2, 5201);
  tcp[12] = 5 << 4;
  tcp[13] = 0x18;
  for (uint32_t i = 0; i < payload; i++) tcp[20 + i] = (uint8_t)i;
  uint32_t ps = hv_csum_add(0, ip + 12, 8) + 6 + tcp_len;
  hv_wr16(tcp + 16, (uint16_t)~hv_csum_fold(ps));
  struct hv_pkt p;
  memset(&p, 0, sizeof p);
  p.data = f;
  p.len = 14 + 20 + tcp_len;
  p.has_vnet = 1;
  p.vnet = (struct hv_vnet_hdr){.flags = HV_VNET_F_NEEDS_CSUM, .gso_type = HV_VNET_GSO_TCPV4, .hdr_len = 54,
                                .gso_size = 1400, .csum_start = 34, .csum_offset = 16};
  const struct hv_view *v = atomic_load(&core->view);
  struct hv_batch b = {.w = core->workers[0], .v = v, .pc = &v->ports[acc], .bd = v->bds[0], .pkts = &p, .n = 1,
                       .in = (uint16_t)acc, .now = hv_core_now(core)};
  hv_stage_ingress(&b);
  hv_stage_l2_forward(&b);
  hv_stage_encap(&b);
  hv_stage_tx(&b);
  int segs = 0, ok = 1;
  uint32_t got = 0;
  int len;
  uint16_t sport = 0;
  while ((len = pop(underlay)) > 0) {
    const uint8_t *in = out + 36, *iip = in + 14;
    uint32_t tl = (uint32_t)len - 36 - 34;
    ok &= len <= 1500 && hv_rd16(out + 2) == (uint32_t)len && hv_csum_fold(hv_csum_add(0, out, 20)) == 0;
    ok &= hv_rd16(out + 24) == (uint32_t)len - 20 && hv_rd16(out + 22) == 4789;
    ok &= out[28] == 0x08 && ((out[32] << 16) | (out[33] << 8) | out[34]) == VNI;
    if (!segs) sport = hv_rd16(out + 20);
    ok &= hv_rd16(out + 20) == sport;
    uint32_t s = hv_csum_add(0, iip + 12, 8) + 6 + tl;
    ok &= hv_csum_fold(hv_csum_add(s, iip + 20, tl)) == 0;
    ok &= hv_csum_fold(hv_csum_add(0, iip, 20)) == 0;
    got += tl - 20;
    segs++;
  }
  CHECK_EQ(segs, want_segs);
  CHECK_EQ(got, payload);
  CHECK(ok);
}

static void test_gso(void) {
  gso_case(MAC_T, u4, 10000, 8); /* 10000 bytes / 1400: segmented, one request each */
  gso_case(MAC_G, ug, 64000, 46); /* UDP GSO runs: 46 datagrams in two runs (64 KiB each at most) */
  CHECK_EQ(ctr(ug, HV_CTR_encap), 46);
  CHECK_EQ(ctr(ug, HV_CTR_drop_tx_error), 0);
}

static void test_control(void) {
  char err[256] = "";
  struct hv_tunnel_cfg t = {.underlay = (uint16_t)u4, .af = 4, .vni = VNI};
  memcpy(t.local, L4, 4);
  memcpy(t.remote, R4, 4);
  CHECK_EQ(hv_core_tunnel_add(core, 1, &t, err, sizeof err), -1);
  CHECK(strcmp(err, "tunnel 1 exists") == 0);
  t.vni = 1 << 24;
  CHECK_EQ(hv_core_tunnel_add(core, 9, &t, err, sizeof err), -1);
  CHECK(strstr(err, "vni") == err);
  t.vni = VNI;
  t.underlay = (uint16_t)acc;
  CHECK_EQ(hv_core_tunnel_add(core, 9, &t, err, sizeof err), -1);
  CHECK(strstr(err, "underlay") == err);
  t.underlay = (uint16_t)u4;
  t.af = 5;
  CHECK_EQ(hv_core_tunnel_add(core, 9, &t, err, sizeof err), -1);
  CHECK(strstr(err, "af") == err);
  CHECK_EQ(hv_core_vni_set(core, VNI, 7, 10, err, sizeof err), -1);
  CHECK(strstr(err, "bridge-domain") == err);
  /* a deleted tunnel: frames to it are counted, not sent; its VTEP no longer decapsulates */
  CHECK_EQ(hv_core_tunnel_del(core, 1), 0);
  CHECK_EQ(hv_core_tunnel_del(core, 1), -1);
  uint8_t f[128], d[256];
  uint64_t before = ctr(acc, HV_CTR_drop_no_backend);
  uint32_t n = ip4_frame(f, MAC_T, MAC_A, IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), 64, 1);
  inject(acc, f, n);
  CHECK_EQ(drain(u4), 0);
  CHECK_EQ(ctr(acc, HV_CTR_drop_no_backend) - before, 1);
  n = mk_frame(f, MAC_BCAST, MAC_R, -1, 0x0806, 46);
  before = ctr(u4, HV_CTR_drop_unknown_vtep);
  inject(u4, d, datagram4(d, R4, 4789, 0x08, VNI, f, n));
  CHECK_EQ(ctr(u4, HV_CTR_drop_unknown_vtep) - before, 1);
  /* unmapped VNI: dropped as unknown */
  CHECK_EQ(hv_core_vni_del(core, VNI), 0);
  CHECK_EQ(hv_core_vni_del(core, VNI), -1);
}

int main(void) {
  setup();
  test_encap4();
  test_encap6();
  test_flood();
  test_decap();
  test_decap_drops();
  test_decap6();
  test_mtu();
  test_gso();
  test_control();
  drain(acc);
  drain(trunk);
  hv_core_destroy(core);
  return tap_done();
}
