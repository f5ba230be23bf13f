/* Each stage of the packet path on its own (stage.h), over memory ports: a
 * batch is built by hand, one stage function is called, and what it marked,
 * counted, queued or transmitted is checked.  The whole path is tested by
 * test_switch.c and test_l3.c. */
#include "harness.h"
#include "stage.h"

static uint8_t bufs[HV_BATCH][256];
static struct hv_pkt pkts[HV_BATCH];

static struct hv_worker *worker(void) { return core->workers[0]; }
static const struct hv_view *view(void) { return atomic_load(&core->view); }

/* A batch received on `port` holding `n` frames already placed in bufs/pkts (lengths in len[]). */
static struct hv_batch batch(int port, int n, const uint32_t *len) {
  const struct hv_view *v = view();
  const struct hv_port_cfg *pc = &v->ports[port];
  for (int i = 0; i < n; i++) {
    memset(&pkts[i], 0, sizeof pkts[i]);
    pkts[i].data = bufs[i];
    pkts[i].len = len[i];
  }
  struct hv_bd *bd = hv_port_is_bridged(pc) && pc->bd != HV_NO_BD ? v->bds[pc->bd] : NULL;
  return (struct hv_batch){.w = worker(), .v = v, .pc = pc, .bd = bd, .pkts = pkts, .n = n, .in = (uint16_t)port,
                           .now = hv_core_now(core)};
}

static void reset_txqs(void) {
  struct hv_worker *w = worker();
  for (uint16_t i = 0; i < w->ndirty; i++) w->txq[w->dirty[i]].n = 0;
  w->ndirty = 0;
}

static int a10, b10, c20, tr, nobd, routed, vm;
static const uint8_t VM_MAC[6] = {0x52, 0x54, 0, 0, 0, 0x05};
static const uint8_t R_MAC[6] = {0x02, 0xaa, 0, 0, 0, 0x02};

static void setup(void) {
  harness_core(1, 0);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 1024, err, sizeof err), 0);
  CHECK_EQ(hv_core_vrf_add(core, 1, err, sizeof err), 0);
  const int allowed[] = {10, 20, 0};
  a10 = add_l2_port("a10", HV_MODE_ACCESS, 10, NULL);
  b10 = add_l2_port("b10", HV_MODE_ACCESS, 10, NULL);
  c20 = add_l2_port("c20", HV_MODE_ACCESS, 20, NULL);
  tr = add_l2_port("tr", HV_MODE_TRUNK, 10, allowed);
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_ACCESS;
  s.vlan = 10;
  nobd = add_port_with("nobd", &s);
  s.mode = HV_MODE_ROUTED;
  s.l3.vrf = 1;
  memcpy(s.l3.mac, R_MAC, 6);
  routed = add_port_with("routed", &s);
  s.mode = HV_MODE_VM;
  memcpy(s.l3.vm_mac, VM_MAC, 6);
  s.l3.nvm4 = 1;
  s.l3.vm4[0] = IP4(10, 0, 0, 5);
  vm = add_port_with("vm", &s);
  CHECK(a10 >= 0 && b10 >= 0 && c20 >= 0 && tr >= 0 && nobd >= 0 && routed >= 0 && vm >= 0);
}

static void test_paths(void) {
  const struct hv_view *v = view();
  CHECK_EQ(hv_path_of(&v->ports[a10], v->bds[0]), HV_PATH_L2);
  CHECK_EQ(hv_path_of(&v->ports[nobd], NULL), HV_PATH_NO_BRIDGE);
  CHECK_EQ(hv_path_of(&v->ports[routed], NULL), HV_PATH_L3);
  CHECK_EQ(hv_path_of(&v->ports[vm], NULL), HV_PATH_L3);
  for (int p = 0; p < HV_PATH_COUNT; p++) { /* every path: punt, ingress, ..., tx */
    const hv_stage_fn *s = hv_path_stages((enum hv_path)p);
    CHECK(s[0] == hv_stage_punt);
    CHECK(s[1] == (p == HV_PATH_UNDERLAY ? hv_stage_decap : p == HV_PATH_MPLS ? hv_stage_mpls_decap
                   : p == HV_PATH_BOND ? hv_stage_bond_rx : hv_stage_ingress));
    while (s[1]) s++;
    CHECK(s[0] == hv_stage_tx);
  }
  CHECK(hv_port_is_bridged(&v->ports[tr]) && !hv_port_is_l3(&v->ports[tr]) && hv_port_is_trunk(&v->ports[tr]));
  CHECK(hv_port_is_l3(&v->ports[vm]) && hv_port_is_vm(&v->ports[vm]) && !hv_port_is_bridged(&v->ports[vm]));
  CHECK(hv_port_is_l3(&v->ports[routed]) && !hv_port_is_vm(&v->ports[routed]));
}

/* ingress: counts every frame received, drops by reason, classifies into a VLAN. */
static void test_ingress(void) {
  uint32_t len[4];
  len[0] = mk_frame(bufs[0], MAC_BCAST, MAC_A, -1, 0x0800, 46); /* untagged on the trunk: native 10 */
  len[1] = mk_frame(bufs[1], MAC_BCAST, MAC_A, 20, 0x0800, 46); /* VLAN 20: allowed */
  len[2] = mk_frame(bufs[2], MAC_BCAST, MAC_A, 30, 0x0800, 46); /* VLAN 30: not allowed */
  len[3] = 10;                                                  /* runt */
  struct hv_batch b = batch(tr, 4, len);
  uint64_t rx0 = ctr(tr, HV_CTR_rx_packets);
  hv_stage_ingress(&b);
  CHECK_EQ(pkts[0].drop, 0);
  CHECK_EQ(pkts[0].vlan, 10);
  CHECK_EQ(pkts[1].drop, 0);
  CHECK_EQ(pkts[1].vlan, 20);
  CHECK_EQ(pkts[2].drop, HV_CTR_drop_vlan_not_allowed);
  CHECK_EQ(pkts[3].drop, HV_CTR_drop_runt);
  CHECK_EQ(ctr(tr, HV_CTR_rx_packets) - rx0, 4);
  CHECK_EQ(ctr(tr, HV_CTR_drop_vlan_not_allowed), 1);
  CHECK_EQ(ctr(tr, HV_CTR_drop_runt), 1);
  /* a port in no bridge domain drops; an L3 port drops tagged frames only */
  len[0] = mk_frame(bufs[0], MAC_BCAST, MAC_A, -1, 0x0800, 46);
  b = batch(nobd, 1, len);
  hv_stage_ingress(&b);
  CHECK_EQ(pkts[0].drop, HV_CTR_drop_no_bridge);
  len[0] = mk_frame(bufs[0], R_MAC, MAC_A, 5, 0x0800, 46);
  len[1] = mk_frame(bufs[1], R_MAC, MAC_A, -1, 0x0800, 46);
  b = batch(routed, 2, len);
  hv_stage_ingress(&b);
  CHECK_EQ(pkts[0].drop, HV_CTR_drop_vlan_not_allowed);
  CHECK_EQ(pkts[1].drop, 0);
}

/* learn: new MACs go into the FDB and are reported; a move too; drops are not learned. */
static void test_learn(void) {
  uint32_t len[3];
  len[0] = mk_frame(bufs[0], MAC_BCAST, MAC_B, -1, 0x0800, 46);
  len[1] = mk_frame(bufs[1], MAC_BCAST, MAC_C, -1, 0x0800, 46);
  len[2] = mk_frame(bufs[2], MAC_BCAST, MAC_C, 10, 0x0800, 46); /* tagged on access: dropped */
  struct hv_batch b = batch(a10, 3, len);
  struct hv_event ev[16];
  hv_core_events(core, ev, 16);
  hv_stage_ingress(&b);
  hv_stage_learn(&b);
  CHECK_EQ(hv_fdb_port(hv_core_fdb(core, 0), 10, MAC_B), a10);
  CHECK_EQ(hv_fdb_port(hv_core_fdb(core, 0), 10, MAC_C), a10);
  CHECK_EQ(ctr(a10, HV_CTR_learned), 2);
  int n = hv_core_events(core, ev, 16);
  CHECK_EQ(n, 2);
  CHECK(n == 2 && ev[0].kind == HV_EV_LEARNED && ev[0].port == a10 && ev[0].vlan == 10 && memcmp(ev[0].mac, MAC_B, 6) == 0);
  /* the same MAC from b10: a move, reported with the old port */
  len[0] = mk_frame(bufs[0], MAC_BCAST, MAC_B, -1, 0x0800, 46);
  b = batch(b10, 1, len);
  hv_stage_ingress(&b);
  hv_stage_learn(&b);
  n = hv_core_events(core, ev, 16);
  CHECK(n == 1 && ev[0].kind == HV_EV_MOVED && ev[0].port == b10 && ev[0].old_port == a10);
  CHECK_EQ(ctr(b10, HV_CTR_moved), 1);
  /* a MAC behind a tunnel (remote entry) seen on a local port: moved, the event carries the tunnel handle */
  hv_egress vtep = hv_egress_make(HV_EGRESS_TUNNEL, 5);
  static const uint8_t MAC_R[6] = {0x02, 0, 0, 0, 0, 0x44};
  CHECK_EQ(hv_fdb_add_remote(hv_core_fdb(core, 0), 10, MAC_R, vtep), 0);
  len[0] = mk_frame(bufs[0], MAC_BCAST, MAC_R, -1, 0x0800, 46);
  b = batch(a10, 1, len);
  hv_stage_ingress(&b);
  hv_stage_learn(&b);
  n = hv_core_events(core, ev, 16);
  CHECK(n == 1 && ev[0].kind == HV_EV_MOVED && ev[0].port == a10 && ev[0].old_port == HV_FDB_NO_PORT &&
        ev[0].old_egress == vtep);
  CHECK_EQ(hv_fdb_port(hv_core_fdb(core, 0), 10, MAC_R), a10);
}

/* l2_forward: known unicast to one port, unknown flooded in the VLAN with the egress tag decided per port. */
static void test_l2_forward(void) {
  struct hv_worker *w = worker();
  reset_txqs();
  uint32_t len[2];
  len[0] = mk_frame(bufs[0], MAC_B, MAC_A, -1, 0x0800, 46);                          /* B is on b10 */
  len[1] = mk_frame(bufs[1], (const uint8_t[]){2, 0, 0, 0, 0, 0x77}, MAC_A, -1, 0x0800, 46); /* unknown */
  struct hv_batch b = batch(a10, 2, len);
  uint64_t flooded = ctr(a10, HV_CTR_flooded);
  hv_stage_ingress(&b);
  hv_stage_l2_forward(&b);
  CHECK_EQ(w->txq[b10].n, 2); /* the unicast and the flood */
  CHECK(w->txq[b10].r[0].pkt == &pkts[0]);
  CHECK_EQ(w->txq[tr].n, 1);  /* the flood only, untagged: native VLAN */
  CHECK_EQ(w->txq[tr].r[0].out_tci, 0);
  CHECK_EQ(w->txq[c20].n, 0); /* another VLAN */
  CHECK_EQ(w->txq[a10].n, 0); /* never back out of the ingress port */
  CHECK_EQ(ctr(a10, HV_CTR_flooded) - flooded, 1);
  reset_txqs();
  /* from c20 (VLAN 20): flooded to the trunk only, tagged 20 */
  len[0] = mk_frame(bufs[0], MAC_BCAST, MAC_C, -1, 0x0800, 46);
  b = batch(c20, 1, len);
  hv_stage_ingress(&b);
  hv_stage_l2_forward(&b);
  CHECK_EQ(w->txq[tr].n, 1);
  CHECK_EQ(w->txq[tr].r[0].out_tci, 20);
  CHECK_EQ(w->txq[a10].n + w->txq[b10].n, 0);
  reset_txqs();
  /* unicast to a MAC behind a tunnel that has no endpoint installed, or a bond (no backend yet): counted and dropped */
  static const uint8_t MAC_T[6] = {0x02, 0, 0, 0, 0, 0x55}, MAC_L[6] = {0x02, 0, 0, 0, 0, 0x66};
  CHECK_EQ(hv_fdb_add_remote(hv_core_fdb(core, 0), 10, MAC_T, hv_egress_make(HV_EGRESS_TUNNEL, 1)), 0);
  CHECK_EQ(hv_fdb_add(hv_core_fdb(core, 0), 10, MAC_L, hv_egress_make(HV_EGRESS_BOND, 2), HV_FDB_STATIC), 0);
  len[0] = mk_frame(bufs[0], MAC_T, MAC_A, -1, 0x0800, 46);
  len[1] = mk_frame(bufs[1], MAC_L, MAC_A, -1, 0x0800, 46);
  b = batch(a10, 2, len);
  hv_stage_ingress(&b);
  hv_stage_l2_forward(&b);
  CHECK_EQ(w->ndirty, 0);
  CHECK_EQ(pkts[1].drop, HV_CTR_drop_no_backend);
  CHECK_EQ(ctr(a10, HV_CTR_drop_no_backend), 2);
}

/* tx: one burst per port; bytes counted as they leave (tag pushed +4, popped -4). */
static void test_tx(void) {
  drain(tr);
  drain(a10);
  uint32_t len[2];
  len[0] = mk_frame(bufs[0], MAC_B, MAC_A, -1, 0x0800, 46);
  len[1] = mk_frame(bufs[1], MAC_B, MAC_A, 20, 0x0800, 46);
  struct hv_batch b = batch(b10, 2, len);
  hv_stage_ingress(&b); /* parses: frame 1's tag is in the data */
  uint64_t bytes_tr = ctr(tr, HV_CTR_tx_bytes), bytes_a = ctr(a10, HV_CTR_tx_bytes);
  uint64_t pk_tr = ctr(tr, HV_CTR_tx_packets);
  hv_txq_put(b.w, (uint16_t)tr, &pkts[0], 0x6014); /* push PCP 3, VID 20 */
  hv_txq_put(b.w, (uint16_t)a10, &pkts[1], 0);     /* pop */
  hv_stage_tx(&b);
  CHECK_EQ(b.w->ndirty, 0);
  CHECK_EQ(ctr(tr, HV_CTR_tx_packets) - pk_tr, 1);
  CHECK_EQ(ctr(tr, HV_CTR_tx_bytes) - bytes_tr, len[0] + 4);
  CHECK_EQ(ctr(a10, HV_CTR_tx_bytes) - bytes_a, len[1] - 4);
  uint8_t exp[256];
  uint32_t en = mk_frame(exp, MAC_B, MAC_A, 20, 0x0800, 46);
  exp[14] = 0x60;
  CHECK_EQ(pop(tr), (int)en);
  CHECK(memcmp(out, exp, en) == 0);
  en = mk_frame(exp, MAC_B, MAC_A, -1, 0x0800, 46);
  CHECK_EQ(pop(a10), (int)en);
  CHECK(memcmp(out, exp, en) == 0);
}

/* tx with an outer header: a descriptor with 50 outer bytes leaves as those bytes
 * then the frame (tag rewritten as usual), byte for byte, without copying the frame;
 * the vnet offsets shift by the outer header too. */
static void test_tx_outer(void) {
  drain(tr);
  uint8_t outer[50];
  for (int i = 0; i < 50; i++) outer[i] = (uint8_t)(0xa0 + i);
  uint32_t len[1];
  len[0] = mk_frame(bufs[0], MAC_B, MAC_A, -1, 0x0800, 46);
  struct hv_batch b = batch(b10, 1, len);
  hv_stage_ingress(&b);
  uint64_t bytes = ctr(tr, HV_CTR_tx_bytes);
  hv_txq_put(b.w, (uint16_t)tr, &pkts[0], 0);
  struct hv_txq *q = &b.w->txq[tr];
  q->r[q->n - 1].outer = outer;
  q->r[q->n - 1].outer_len = sizeof outer;
  hv_stage_tx(&b);
  uint8_t exp[256];
  memcpy(exp, outer, 50);
  memcpy(exp + 50, bufs[0], len[0]);
  CHECK_EQ(pop(tr), (int)(50 + len[0]));
  CHECK(memcmp(out, exp, 50 + len[0]) == 0);
  CHECK_EQ(ctr(tr, HV_CTR_tx_bytes) - bytes, 50 + len[0]);
  /* with a tag pushed: outer, then dst+src, tag, rest */
  hv_txq_put(b.w, (uint16_t)tr, &pkts[0], 20);
  q->r[q->n - 1].outer = outer;
  q->r[q->n - 1].outer_len = sizeof outer;
  hv_stage_tx(&b);
  uint32_t en = mk_frame(exp + 50, MAC_B, MAC_A, 20, 0x0800, 46);
  CHECK_EQ(pop(tr), (int)(50 + en));
  CHECK(memcmp(out, exp, 50 + en) == 0);
  /* the iovec: [vnet][outer][frame]; a partial checksum's start moves by 50 */
  pkts[0].has_vnet = 1;
  pkts[0].vnet.flags = HV_VNET_F_NEEDS_CSUM;
  pkts[0].vnet.csum_start = 34;
  struct hv_txreq r = {.pkt = &pkts[0], .outer = outer, .outer_len = 50};
  uint8_t hdr[HV_VNET_HDR_LEN], tag[HV_VLAN_HLEN];
  struct iovec iov[HV_TX_IOV_MAX];
  uint32_t flen = 0;
  int cnt = hv_tx_iov(&r, 1, hdr, tag, iov, &flen);
  CHECK_EQ(cnt, 3);
  CHECK(iov[1].iov_base == (void *)outer && iov[1].iov_len == 50);
  CHECK(iov[2].iov_base == (void *)bufs[0]); /* the frame itself, not a copy */
  CHECK_EQ(flen, 50 + len[0]);
  CHECK_EQ(hdr[6] | (hdr[7] << 8), 34 + 50);
}

/* l3_ingress: header checks and VM anti-spoofing mark drops by reason. */
static void test_l3_ingress(void) {
  uint32_t len[5];
  len[0] = ip4_frame(bufs[0], R_MAC, VM_MAC, IP4(10, 0, 0, 5), IP4(192, 0, 2, 9), 64, 1); /* good */
  len[1] = ip4_frame(bufs[1], R_MAC, VM_MAC, IP4(10, 0, 0, 6), IP4(192, 0, 2, 9), 64, 1); /* spoofed IP */
  len[2] = ip4_frame(bufs[2], R_MAC, MAC_A, IP4(10, 0, 0, 5), IP4(192, 0, 2, 9), 64, 1);  /* spoofed MAC */
  len[3] = ip4_frame(bufs[3], R_MAC, VM_MAC, IP4(10, 0, 0, 5), IP4(192, 0, 2, 9), 64, 1);
  bufs[3][14 + 10] ^= 0xff;                                                               /* bad checksum */
  len[4] = mk_frame(bufs[4], R_MAC, VM_MAC, -1, 0x88cc, 46);                              /* LLDP: not IP */
  struct hv_batch b = batch(vm, 5, len);
  hv_stage_ingress(&b);
  hv_stage_l3_ingress(&b);
  CHECK_EQ(pkts[0].drop, 0);
  CHECK_EQ(pkts[1].drop, HV_CTR_drop_spoofed);
  CHECK_EQ(pkts[2].drop, HV_CTR_drop_spoofed);
  CHECK_EQ(pkts[3].drop, HV_CTR_drop_bad_ip_header);
  CHECK_EQ(pkts[4].drop, HV_CTR_drop_not_ip);
  CHECK_EQ(ctr(vm, HV_CTR_drop_spoofed), 2);
}

/* l3_forward: a route to a fixed-MAC next hop rewrites the MACs, decrements the TTL, queues on the egress. */
static void test_l3_forward(void) {
  struct hv_nh nh = {.kind = HV_NH_MAC, .port = (uint16_t)routed, .mac = {2, 0xbb, 0, 0, 0, 9}};
  hv_core_nh_set(core, 7, &nh);
  CHECK_EQ(hv_core_route4(core, 1, IP4(192, 0, 2, 0), 24, 7, 0), 0);
  reset_txqs();
  uint32_t len[2];
  len[0] = ip4_frame(bufs[0], R_MAC, VM_MAC, IP4(10, 0, 0, 5), IP4(192, 0, 2, 9), 64, 1);
  len[1] = ip4_frame(bufs[1], R_MAC, VM_MAC, IP4(10, 0, 0, 5), IP4(198, 51, 100, 1), 64, 1); /* no route */
  struct hv_batch b = batch(vm, 2, len);
  hv_stage_ingress(&b);
  hv_stage_l3_ingress(&b);
  hv_stage_l3_forward(&b);
  struct hv_worker *w = worker();
  CHECK_EQ(w->txq[routed].n, 1);
  CHECK(memcmp(bufs[0], nh.mac, 6) == 0 && memcmp(bufs[0] + 6, R_MAC, 6) == 0);
  CHECK_EQ(bufs[0][14 + 8], 63);
  CHECK_EQ(ctr(vm, HV_CTR_drop_no_route), 1);
  CHECK_EQ(w->txq[vm].n, 1); /* ICMP unreachable back to the VM */
  hv_stage_tx(&b);
  CHECK_EQ(ctr(routed, HV_CTR_routed), 1);
}

int main(void) {
  setup();
  test_paths();
  test_ingress();
  test_learn();
  test_l2_forward();
  test_tx();
  test_tx_outer();
  test_l3_ingress();
  test_l3_forward();
  hv_core_destroy(core);
  return tap_done();
}
