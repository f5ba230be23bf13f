/* EVPN multihoming in the core (es.h) over memory ports: the designated
 * forwarder filter (RFC 7432 §8.5) and local bias (RFC 8365 §8.3.1) on BUM
 * frames from tunnels toward an Ethernet segment port, unicast never filtered,
 * frames from local ports never filtered; aliasing groups (RFC 7432 §8.4)
 * spreading flows over their tunnels by flow hash, a flow staying on one
 * tunnel, a member removed (mass withdraw) leaving at once; control refusals. */
#include "csum.h"
#include "es.h"
#include "harness.h"
#include "stage.h"

static int es, vm, u4;
static const uint8_t L4[4] = {192, 0, 2, 1};
static const uint8_t PEER[4] = {192, 0, 2, 2};   /* the other PE of the segment */
static const uint8_t REMOTE[4] = {192, 0, 2, 3}; /* a PE not on the segment */
static const uint8_t MAC_CE[6] = {0x02, 0, 0, 0, 0, 0xce};
static const uint8_t MAC_R[6] = {0x02, 0, 0, 0, 0, 0x99};
static const uint8_t MAC_ALIAS[6] = {0x02, 0, 0, 0, 0, 0xa1}; /* behind an aliasing group */
#define VNI 5010
#define VIEW() ((const struct hv_view *)atomic_load(&core->view))

static uint32_t datagram4(uint8_t *d, const uint8_t *src, const uint8_t *inner, uint32_t n) {
  memset(d, 0, 36);
  d[0] = 0x45;
  hv_wr16(d + 2, (uint16_t)(36 + n));
  d[8] = 64;
  d[9] = 17;
  memcpy(d + 12, src, 4);
  memcpy(d + 16, L4, 4);
  hv_wr16(d + 10, hv_csum_fold(hv_csum_add(0, d, 20)));
  uint8_t *u = d + 20;
  hv_wr16(u, 50000);
  hv_wr16(u + 2, 4789);
  hv_wr16(u + 4, (uint16_t)(16 + n));
  u[8] = 0x08;
  u[12] = (uint8_t)(VNI >> 16);
  u[13] = (uint8_t)(VNI >> 8);
  u[14] = (uint8_t)VNI;
  memcpy(u + 16, inner, n);
  return 36 + n;
}

static void add_tunnel(uint32_t id, const uint8_t *remote) {
  struct hv_tunnel_cfg t = {.underlay = (uint16_t)u4, .af = 4, .vni = VNI};
  memcpy(t.local, L4, 4);
  memcpy(t.remote, remote, 4);
  char err[256] = "";
  CHECK_EQ(hv_core_tunnel_add(core, id, &t, err, sizeof err), 0);
}

static void setup(void) {
  harness_core(1, 0);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 1024, err, sizeof err), 0);
  es = add_l2_port("es", HV_MODE_ACCESS, 10, NULL); /* stands for the bond: any local port */
  vm = add_l2_port("vm", HV_MODE_ACCESS, 10, NULL);
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_UNDERLAY;
  s.flood_group = 1;
  u4 = add_port_with("u4", &s);
  add_tunnel(1, PEER);
  add_tunnel(2, REMOTE);
  CHECK_EQ(hv_core_vni_set(core, VNI, 0, 10, err, sizeof err), 0);
  CHECK_EQ(hv_core_flood_add(core, 0, 10, hv_egress_make(HV_EGRESS_TUNNEL, 1), 1, err, sizeof err), 0);
  CHECK_EQ(hv_core_flood_add(core, 0, 10, hv_egress_make(HV_EGRESS_TUNNEL, 2), 1, err, sizeof err), 0);
}

static void es_set(int ndf) {
  char err[256] = "";
  const uint16_t vlans[] = {10};
  struct hv_vtep_entry peer = {.af = 4};
  memcpy(peer.addr, PEER, 4);
  CHECK_EQ(hv_core_es_set(core, (uint16_t)es, vlans, ndf ? 1 : 0, &peer, 1, err, sizeof err), 0);
}

/* BUM from `src` over the tunnel: how many copies reach the segment port and the VM port. */
static void bum_from(const uint8_t *src, int *to_es, int *to_vm) {
  uint8_t f[128], d[256];
  uint32_t n = mk_frame(f, MAC_BCAST, MAC_R, -1, 0x0806, 46);
  inject(u4, d, datagram4(d, src, f, n));
  *to_es = drain(es);
  *to_vm = drain(vm);
}

static void test_df_filter(void) {
  int e, v;
  bum_from(REMOTE, &e, &v); /* no segment yet: flooded to both */
  CHECK_EQ(e, 1);
  CHECK_EQ(v, 1);
  es_set(0); /* the DF */
  bum_from(REMOTE, &e, &v);
  CHECK_EQ(e, 1);
  CHECK_EQ(v, 1);
  /* RFC 8365 §8.3.1: from the PE sharing the segment, never into it, DF or not */
  bum_from(PEER, &e, &v);
  CHECK_EQ(e, 0);
  CHECK_EQ(v, 1);
  CHECK_EQ(ctr(u4, HV_CTR_drop_es_local_bias), 1);
  es_set(1); /* not the DF for VLAN 10 */
  bum_from(REMOTE, &e, &v);
  CHECK_EQ(e, 0);
  CHECK_EQ(v, 1);
  CHECK_EQ(ctr(u4, HV_CTR_drop_es_not_df), 1);
  /* known unicast from a tunnel into the segment: all-active, not filtered */
  uint8_t f[128], d[256];
  uint8_t g[128];
  uint32_t n = mk_frame(g, MAC_BCAST, MAC_CE, -1, 0x0806, 46);
  inject(es, g, n); /* learns MAC_CE on the segment port; flooded locally and to both tunnels */
  CHECK_EQ(drain(vm), 1);
  CHECK_EQ(drain(u4), 2); /* BUM from the segment: into the tunnels, whatever the DF */
  n = mk_frame(f, MAC_CE, MAC_R, -1, 0x0800, 46);
  inject(u4, d, datagram4(d, REMOTE, f, n));
  CHECK_EQ(drain(es), 1);
  inject(u4, d, datagram4(d, PEER, f, n));
  CHECK_EQ(drain(es), 1);
  /* BUM from a local port into the segment: not filtered */
  n = mk_frame(f, MAC_BCAST, MAC_A, -1, 0x0806, 46);
  inject(vm, f, n);
  CHECK_EQ(drain(es), 1);
  drain(u4);
  /* detached: flooded again */
  CHECK_EQ(hv_core_es_del(core, (uint16_t)es), 0);
  CHECK_EQ(hv_core_es_del(core, (uint16_t)es), -1);
  bum_from(PEER, &e, &v);
  CHECK_EQ(e, 1);
}

static void test_alias(void) {
  char err[256] = "";
  const uint32_t both[] = {1, 2};
  CHECK_EQ(hv_core_group_set(core, 7, both, 2, err, sizeof err), 0);
  CHECK_EQ(hv_fdb_add_remote(hv_core_fdb(core, 0), 10, MAC_ALIAS, hv_egress_make(HV_EGRESS_GROUP, 7)), 0);
  uint8_t f[128];
  int seen[2] = {0, 0}; /* frames to PEER, REMOTE */
  for (uint8_t k = 1; k <= 32; k++) {
    uint32_t n = ip4_frame(f, MAC_ALIAS, MAC_A, IP4(10, 0, 0, 1), IP4(10, 0, 1, k), 64, 1);
    inject(vm, f, n);
    CHECK_EQ(pop(u4), 36 + (int)n);
    int to_peer = memcmp(out + 16, PEER, 4) == 0;
    CHECK(to_peer || memcmp(out + 16, REMOTE, 4) == 0);
    seen[!to_peer]++;
    /* the same flow again: the same tunnel */
    inject(vm, f, n);
    CHECK_EQ(pop(u4), 36 + (int)n);
    CHECK(memcmp(out + 16, to_peer ? PEER : REMOTE, 4) == 0);
  }
  CHECK(seen[0] >= 6 && seen[1] >= 6);
  uint32_t m[8];
  CHECK_EQ(hv_core_group_get(core, 7, m, 8), 2);
  /* mass withdraw: the group shrinks to one tunnel, every flow goes there */
  const uint32_t one[] = {2};
  CHECK_EQ(hv_core_group_set(core, 7, one, 1, err, sizeof err), 0);
  for (uint8_t k = 1; k <= 8; k++) {
    uint32_t n = ip4_frame(f, MAC_ALIAS, MAC_A, IP4(10, 0, 0, 1), IP4(10, 0, 1, k), 64, 1);
    inject(vm, f, n);
    CHECK_EQ(pop(u4), 36 + (int)n);
    CHECK(memcmp(out + 16, REMOTE, 4) == 0);
  }
  /* from a tunnel to a group: never back into a tunnel */
  uint8_t d[256];
  uint32_t n = mk_frame(f, MAC_ALIAS, MAC_R, -1, 0x0800, 46);
  uint64_t hairpin = ctr(u4, HV_CTR_drop_tunnel_hairpin);
  inject(u4, d, datagram4(d, REMOTE, f, n));
  CHECK_EQ(drain(u4), 0);
  CHECK_EQ(ctr(u4, HV_CTR_drop_tunnel_hairpin), hairpin + 1);
  /* a group deleted: counted, not sent */
  CHECK_EQ(hv_core_group_del(core, 7), 0);
  CHECK_EQ(hv_core_group_del(core, 7), -1);
  CHECK_EQ(hv_core_group_get(core, 7, m, 8), 0);
  uint64_t nb = ctr(vm, HV_CTR_drop_no_backend);
  n = ip4_frame(f, MAC_ALIAS, MAC_A, IP4(10, 0, 0, 1), IP4(10, 0, 1, 1), 64, 1);
  inject(vm, f, n);
  CHECK_EQ(drain(u4), 0);
  CHECK_EQ(ctr(vm, HV_CTR_drop_no_backend), nb + 1);
}

static void test_control(void) {
  char err[256] = "";
  const uint32_t t[9] = {1, 2, 1, 2, 1, 2, 1, 2, 1};
  CHECK_EQ(hv_core_group_set(core, HV_GROUP_MAX, t, 1, err, sizeof err), -1);
  CHECK(strstr(err, "id:") != NULL);
  CHECK_EQ(hv_core_group_set(core, 1, t, 9, err, sizeof err), -1);
  CHECK(strstr(err, "tunnels:") != NULL);
  CHECK_EQ(hv_core_group_set(core, 1, t, 0, err, sizeof err), -1);
  const uint32_t bad[] = {HV_MAX_TUNNELS};
  CHECK_EQ(hv_core_group_set(core, 1, bad, 1, err, sizeof err), -1);
  CHECK(strstr(err, "tunnels[0]") != NULL);
  const uint16_t v[] = {4095};
  CHECK_EQ(hv_core_es_set(core, (uint16_t)es, v, 1, NULL, 0, err, sizeof err), -1);
  CHECK(strstr(err, "ndf_vlans[0]") != NULL);
  struct hv_vtep_entry p[HV_ES_PEERS + 1] = {{.af = 4}};
  CHECK_EQ(hv_core_es_set(core, (uint16_t)es, NULL, 0, p, HV_ES_PEERS + 1, err, sizeof err), -1);
  CHECK(strstr(err, "peers:") != NULL);
  p[0].af = 5;
  CHECK_EQ(hv_core_es_set(core, (uint16_t)es, NULL, 0, p, 1, err, sizeof err), -1);
  CHECK(strstr(err, "peers[0].af") != NULL);
  /* several segments stay sorted and independent; a high id then a low one */
  CHECK_EQ(hv_core_es_set(core, (uint16_t)vm, NULL, 0, NULL, 0, err, sizeof err), 0);
  CHECK_EQ(hv_core_es_set(core, (uint16_t)es, NULL, 0, NULL, 0, err, sizeof err), 0);
  const struct hv_view *view = VIEW();
  CHECK(hv_es_find(view->es, (uint32_t)es) && hv_es_find(view->es, (uint32_t)vm));
  CHECK_EQ(hv_core_es_del(core, (uint16_t)vm), 0);
  CHECK(hv_es_find(VIEW()->es, (uint32_t)es) && !hv_es_find(VIEW()->es, (uint32_t)vm));
  CHECK_EQ(hv_core_group_set(core, 40000, t, 1, err, sizeof err), 0);
  CHECK_EQ(hv_core_group_set(core, 3, t, 2, err, sizeof err), 0);
  CHECK_EQ(hv_core_group_del(core, 40000), 0);
  CHECK_EQ(VIEW()->groups->n, 4u); /* shrunk to the highest id left */
}

int main(void) {
  setup();
  test_df_filter();
  test_alias();
  test_control();
  hv_core_destroy(core);
  return tap_done();
}
