/* GSO super-frames into MPLS tunnels (mpls.h "Offloads", mpls_encap.c): a
 * VM's TCP TSO send (virtio-net metadata: gso_type TCPV4/TCPV6, gso_size, a
 * partial checksum) routed to an MPLS-over-UDP or -GRE next hop leaves as
 * wire-size segments, each one a complete packet in its own tunnel datagram:
 * outer lengths and checksums of its own, the label entry with the TTL, the
 * inner IP header with TTL - 1 and a valid checksum, the TCP sequence numbers
 * following on, a valid TCP checksum, and the payload whole and in order.  A
 * batch of many super-frames overflows the segment storage and the underlay
 * queue, which are then sent early: nothing lost.  A GSO type the
 * segmentation does not handle (UDP fragmentation offload) is dropped and
 * counted as drop_offload. */
#include <stdio.h>

#include "core_int.h"
#include "gso.h"
#include "harness.h"
#include "stage.h"

static int vm, m4, m6;
static const uint8_t VM_MAC[6] = {0x52, 0x54, 0, 0, 0, 0x05};
static const uint8_t VMPORT_MAC[6] = {0x02, 0xaa, 0, 0, 0, 0x01};
static const uint8_t L4[4] = {192, 0, 2, 1}, R4[4] = {192, 0, 2, 2};
static const uint8_t L6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, R6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
static const uint8_t VM6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 5};
static const uint8_t DST6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 9};
#define VM4 IP4(10, 1, 0, 5)
#define DST4 IP4(10, 2, 0, 9)
#define MSS 1380 /* IPv6 inner (60) + GRE over IPv6 (48): 1488 <= the underlay's 1500 */
#define FRAMES 8 /* a batch of 8 x 60 KB frames: ~350 segments, more than the storage and the queue hold */

static int add_mpls_underlay(const char *name) {
  struct hv_port_open_params pp = {.kind = HV_PORT_MEMORY, .mpls = 1, .mtu = 1500};
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

/* VRF 1: the VM on a VM port; 10.2.0.0/16 into tunnel 1 (IPv4, UDP, label 100),
 * 2001:db8:2::/48 into tunnel 2 (IPv6, GRE, label 200). */
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
  m4 = add_mpls_underlay("m4");
  m6 = add_mpls_underlay("m6");
  struct hv_mpls_tunnel_cfg t = {.underlay = (uint16_t)m4, .af = 4, .encap = HV_MPLS_UDP};
  memcpy(t.local, L4, 4);
  memcpy(t.remote, R4, 4);
  CHECK_EQ(hv_core_mpls_tunnel_add(core, 1, &t, err, sizeof err), 0);
  t = (struct hv_mpls_tunnel_cfg){.underlay = (uint16_t)m6, .af = 6, .encap = HV_MPLS_GRE};
  memcpy(t.local, L6, 16);
  memcpy(t.remote, R6, 16);
  CHECK_EQ(hv_core_mpls_tunnel_add(core, 2, &t, err, sizeof err), 0);
  struct hv_nh nh = {.kind = HV_NH_MPLS, .tunnel = 1, .label = 100};
  hv_core_nh_set(core, 11, &nh);
  nh = (struct hv_nh){.kind = HV_NH_MPLS, .tunnel = 2, .label = 200};
  hv_core_nh_set(core, 12, &nh);
  CHECK_EQ(hv_core_route4(core, 1, IP4(10, 2, 0, 0), 16, 11, 0), 0);
  uint8_t p6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2};
  CHECK_EQ(hv_core_route6(core, 1, p6, 48, 12, 0), 0);
}

/* A TCP super-frame from the VM (`af` 4 or 6): `payload` bytes (byte i = i + seed),
 * sequence `seq`, TCP checksum left partial (pseudo-header sum) as a TSO sender does. */
static uint32_t tso_frame(uint8_t *f, uint8_t af, uint32_t payload, uint32_t seq, uint8_t seed, struct hv_vnet_hdr *v) {
  uint32_t l3 = af == 4 ? 20 : 40, tcp_len = 20 + payload;
  memcpy(f, VMPORT_MAC, 6);
  memcpy(f + 6, VM_MAC, 6);
  hv_wr16(f + 12, af == 4 ? 0x0800 : 0x86dd);
  uint8_t *ip = f + 14, *tcp = ip + l3;
  memset(ip, 0, l3 + 20);
  uint32_t ps;
  if (af == 4) {
    ip[0] = 0x45;
    hv_wr16(ip + 2, (uint16_t)(20 + tcp_len));
    hv_wr16(ip + 4, 0x1000);
    ip[6] = 0x40;
    ip[8] = 64;
    ip[9] = 6;
    hv_wr32(ip + 12, VM4);
    hv_wr32(ip + 16, DST4);
    hv_wr16(ip + 10, hv_csum_fold(hv_csum_add(0, ip, 20)));
    ps = hv_csum_add(0, ip + 12, 8) + 6 + tcp_len;
  } else {
    ip[0] = 0x60;
    hv_wr16(ip + 4, (uint16_t)tcp_len);
    ip[6] = 6;
    ip[7] = 64;
    memcpy(ip + 8, VM6, 16);
    memcpy(ip + 24, DST6, 16);
    ps = hv_csum_add(0, ip + 8, 32) + 6 + tcp_len;
  }
  hv_wr16(tcp, 40000);
  hv_wr16(tcp + 2, 5201);
  hv_wr32(tcp + 4, seq);
  tcp[12] = 5 << 4;
  tcp[13] = 0x18; /* ACK PSH */
  for (uint32_t i = 0; i < payload; i++) tcp[20 + i] = (uint8_t)(i + seed);
  hv_wr16(tcp + 16, (uint16_t)~hv_csum_fold(ps));
  *v = (struct hv_vnet_hdr){.flags = HV_VNET_F_NEEDS_CSUM, .gso_type = af == 4 ? HV_VNET_GSO_TCPV4 : HV_VNET_GSO_TCPV6,
                            .hdr_len = (uint16_t)(14 + l3 + 20), .gso_size = MSS, .csum_start = (uint16_t)(14 + l3),
                            .csum_offset = 16};
  return 14 + l3 + tcp_len;
}

/* Runs one batch of `n` received frames on the VM port through its path, as the worker does. */
static void run_batch(uint8_t **frames, const uint32_t *lens, const struct hv_vnet_hdr *v, int n) {
  struct hv_worker *w = core->workers[0];
  const struct hv_view *view = atomic_load(&core->view);
  const struct hv_port_cfg *pc = &view->ports[vm];
  for (int i = 0; i < n; i++) {
    memset(&w->pkts[i], 0, sizeof w->pkts[i]);
    w->pkts[i].data = frames[i];
    w->pkts[i].len = lens[i];
    w->pkts[i].in_port = (uint16_t)vm;
    w->pkts[i].has_vnet = 1;
    w->pkts[i].vnet = v[i];
  }
  struct hv_batch b = {.w = w, .v = view, .pc = pc, .pkts = w->pkts, .n = n, .in = (uint16_t)vm, .now = hv_core_now(core)};
  for (const hv_stage_fn *s = hv_path_stages(hv_path_of(pc, NULL)); *s; s++) (*s)(&b);
}

/* Checks the datagrams on `port` against `n` super-frames of `payload` bytes
 * (frame k: sequence 1000 + k * 100000, seed k); returns the segment count. */
static int check_segments(int port, uint8_t af, uint32_t payload, int n) {
  uint32_t olen = af == 4 ? 20 + 8 + 4 : 40 + 4 + 4, l3 = af == 4 ? 20 : 40;
  uint32_t label = af == 4 ? 100 : 200;
  int segs = 0, ok = 1;
  uint32_t got[FRAMES] = {0};
  int len;
  while ((len = pop(port)) > 0) {
    segs++;
    const uint8_t *ip = out + olen, *tcp = ip + l3;
    uint32_t ilen = (uint32_t)len - olen, tl = ilen - l3;
    uint32_t lse = hv_rd32(out + olen - 4);
    ok &= (lse >> 12) == label && (lse & 0x100) && (lse & 0xff) == 63; /* S set, TTL 64 - 1 copied */
    if (af == 4) {
      ok &= hv_rd16(out + 2) == (uint32_t)len && hv_csum_fold(hv_csum_add(0, out, 20)) == 0;
      ok &= hv_rd16(out + 22) == HV_MPLS_UDP_PORT && hv_rd16(out + 24) == (uint32_t)len - 20;
      ok &= hv_rd16(ip + 2) == ilen && ip[8] == 63 && hv_csum_fold(hv_csum_add(0, ip, 20)) == 0;
    } else {
      ok &= hv_rd16(out + 4) == (uint32_t)len - 40 && out[6] == HV_PROTO_GRE && hv_rd16(out + 42) == HV_ETHERTYPE_MPLS;
      ok &= hv_rd16(ip + 4) == tl && ip[7] == 63;
    }
    ok &= ilen <= 1500 - olen && tl - 20 <= MSS;
    uint32_t ps = (af == 4 ? hv_csum_add(0, ip + 12, 8) : hv_csum_add(0, ip + 8, 32)) + 6 + tl;
    ok &= hv_csum_fold(hv_csum_add(ps, tcp, tl)) == 0;
    uint32_t seq = hv_rd32(tcp + 4), k = (seq - 1000) / 100000, off = seq - 1000 - k * 100000;
    if (k >= (uint32_t)n || off != got[k]) { /* every frame's segments in order, none missing */
      ok = 0;
      continue;
    }
    for (uint32_t i = 0; i < tl - 20; i++) ok &= tcp[20 + i] == (uint8_t)(off + i + k);
    got[k] += tl - 20;
  }
  for (int k = 0; k < n; k++) ok &= got[k] == payload;
  tap_ok(ok, "IPv%u super-frames: %d segments, complete packets in MPLS datagrams, payload whole and in order", af, segs);
  return segs;
}

static void gso_case(uint8_t af, int port, uint32_t payload, int n) {
  static uint8_t buf[FRAMES][66000];
  uint8_t *frames[FRAMES];
  uint32_t lens[FRAMES];
  struct hv_vnet_hdr v[FRAMES];
  for (int k = 0; k < n; k++) {
    frames[k] = buf[k];
    lens[k] = tso_frame(buf[k], af, payload, 1000 + (uint32_t)k * 100000, (uint8_t)k, &v[k]);
  }
  uint64_t enc0 = ctr(port, HV_CTR_mpls_encap), tx0 = ctr(port, HV_CTR_tx_packets);
  run_batch(frames, lens, v, n);
  int per = (int)((payload + MSS - 1) / MSS);
  int segs = check_segments(port, af, payload, n);
  CHECK_EQ(segs, per * n);
  CHECK_EQ(ctr(port, HV_CTR_mpls_encap) - enc0, (uint64_t)(per * n));
  CHECK_EQ(ctr(port, HV_CTR_tx_packets) - tx0, (uint64_t)(per * n));
  CHECK_EQ(ctr(port, HV_CTR_drop_offload), 0);
}

/* UDP fragmentation offload is not segmented: dropped, counted. */
static void test_ufo_dropped(void) {
  static uint8_t f[4000];
  struct hv_vnet_hdr v;
  uint32_t n = tso_frame(f, 4, 3000, 1, 0, &v);
  v.gso_type = HV_VNET_GSO_UDP;
  uint8_t *frames[1] = {f};
  run_batch(frames, &n, &v, 1);
  CHECK_EQ(drain(m4), 0);
  tap_ok(ctr(m4, HV_CTR_drop_offload) == 1, "a UFO frame into a tunnel: dropped as drop_offload");
}

int main(void) {
  setup();
  gso_case(4, m4, 5000, 1);         /* 4 segments, the last short */
  gso_case(4, m4, 60000, FRAMES);   /* 44 x 8: the storage and the queue are sent early */
  gso_case(6, m6, 60000, FRAMES);
  test_ufo_dropped();
  hv_core_destroy(core);
  return tap_done();
}
