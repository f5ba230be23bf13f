/* libFuzzer target: the whole packet path over memory ports.  The input is a
 * sequence of records [port: 1 byte][length: 2 bytes LE][frame], injected in
 * order into a core with an access port, a trunk (VLANs 10/20, native 10), a
 * routed uplink, a routed VM port and a VXLAN underlay port (record port 4:
 * whole IP datagrams, decapsulated; a remote MAC and tunnels flood VLAN 10,
 * encapsulated) and an MPLS underlay port (record port 5: whole IP datagrams,
 * MPLS over UDP or GRE, label 1000 popped into VRF 1; 10.2.0.0/16 and
 * 2001:db8:2::/48 are routed into MPLS tunnels, over an ECMP group; VNI 9000 is
 * VRF 1's L3 VNI and 10.4.0.0/16, 2001:db8:4::/48 go into its tunnel 3, EVPN
 * type-5 symmetric IRB), an IPv6 VXLAN underlay port (record port 6: whole
 * IPv6 datagrams, tunnel 4 from 2001:db8:ff::2 on VNI 5010), and ARP/ND
 * suppression bindings for 10.0.0.99 and 2001:db8::99 in VLAN 10, then polled.  Any crash, read past a
 * buffer (ASan) or undefined behaviour (UBSan) is a finding; the forwarding
 * result itself is not checked here (the unit and golden tests do that).
 * Build: cmake -S . -B build/fuzz -DHV_FUZZ=ON -DCMAKE_C_COMPILER=clang && cmake --build build/fuzz
 * Run:   build/fuzz/fuzz_switch -max_total_time=60 native/fuzz/corpus */
#include <stdio.h>
#include <string.h>

#include "core.h"
#include "suppress.h"

static struct hv_core *core;
#define NPORTS 7
static int ports[NPORTS];

static int add(const char *name, const struct hv_port_settings *s) {
  struct hv_port_open_params pp;
  memset(&pp, 0, sizeof pp);
  pp.kind = HV_PORT_MEMORY;
  snprintf(pp.name, sizeof pp.name, "%s", name);
  char err[256];
  return hv_core_port_add(core, &pp, s, err, sizeof err);
}

/* A VXLAN underlay port (whole IP datagrams), in the tunnels' split-horizon group. */
static int add_underlay(const char *name) {
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_UNDERLAY;
  s.flood_group = 1;
  return add(name, &s);
}

/* The MPLS underlay (mpls.h): tunnels 1 (UDP) and 2 (GRE) to 192.0.2.2, an
 * ECMP group of both for 10.2.0.0/16 and 2001:db8:2::/48 in VRF 1, tunnel 3
 * named by a next hop but not installed; label 1000 -> VRF 1. */
static void setup_mpls(void) {
  char err[256];
  struct hv_port_open_params pp;
  memset(&pp, 0, sizeof pp);
  pp.kind = HV_PORT_MEMORY;
  pp.mpls = 1;
  snprintf(pp.name, sizeof pp.name, "mpls");
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_UNDERLAY;
  ports[5] = hv_core_port_add(core, &pp, &s, err, sizeof err);
  struct hv_mpls_tunnel_cfg t = {.underlay = (uint16_t)ports[5], .af = 4, .encap = HV_MPLS_UDP,
                                 .local = {192, 0, 2, 1}, .remote = {192, 0, 2, 2}};
  hv_core_mpls_tunnel_add(core, 1, &t, err, sizeof err);
  t.encap = HV_MPLS_GRE;
  hv_core_mpls_tunnel_add(core, 2, &t, err, sizeof err);
  for (uint32_t k = 1; k <= 3; k++) {
    struct hv_nh nh = {.kind = HV_NH_MPLS, .tunnel = k, .label = 100 + k};
    hv_core_nh_set(core, 10 + k, &nh);
  }
  struct hv_nh ecmp = {.kind = HV_NH_ECMP, .nmembers = 3, .members = {11, 12, 13}};
  hv_core_nh_set(core, 20, &ecmp);
  hv_core_route4(core, 1, 0x0a020000, 16, 20, 0);
  uint8_t p6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2};
  hv_core_route6(core, 1, p6, 48, 20, 0);
  hv_core_mpls_label_set(core, 1000, 1, err, sizeof err);
}

/* VXLAN L3 VNI (vxlan.h): VNI 9000 routes into VRF 1 (router MAC 02:..:01);
 * 10.4.0.0/16 and 2001:db8:4::/48 go into tunnel 3 (VNI 9000 to 192.0.2.2). */
static void setup_l3vni(int underlay) {
  char err[256];
  static const uint8_t rmac[6] = {0x02, 0, 0x5e, 0, 0, 0x01};
  struct hv_tunnel_cfg t = {.underlay = (uint16_t)underlay, .af = 4, .vni = 9000,
                            .local = {192, 0, 2, 1}, .remote = {192, 0, 2, 2}};
  hv_core_tunnel_add(core, 3, &t, err, sizeof err);
  hv_core_l3vni_set(core, 9000, 1, rmac, err, sizeof err);
  struct hv_nh nh = {.kind = HV_NH_VXLAN, .tunnel = 3, .mac = {0x02, 0, 0x5e, 0, 0, 0x02}, .smac = {0x02, 0, 0x5e, 0, 0, 0x01}};
  hv_core_nh_set(core, 30, &nh);
  hv_core_route4(core, 1, 0x0a040000, 16, 30, 0);
  uint8_t p6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 4};
  hv_core_route6(core, 1, p6, 48, 30, 0);
}

static void setup(void) {
  struct hv_core_params params = {.workers = 1};
  core = hv_core_create(&params);
  char err[256];
  hv_core_bd_add(core, 0, 1024, err, sizeof err);
  hv_core_vrf_add(core, 1, err, sizeof err);
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.mode = HV_MODE_ACCESS;
  s.vlan = 10;
  s.mac_limit = 64;
  ports[0] = add("acc", &s);
  s.mode = HV_MODE_TRUNK;
  s.allowed[0] = (1ull << 10) | (1ull << 20);
  ports[1] = add("trunk", &s);
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_ROUTED;
  s.l3.vrf = 1;
  s.l3.mac[0] = 2;
  s.l3.n4 = 1;
  s.l3.addr4[0] = 0xc0000201; /* 192.0.2.1/24 */
  s.l3.plen4[0] = 24;
  s.l3.n6 = 1;
  s.l3.addr6[0][0] = 0x20;
  s.l3.addr6[0][1] = 0x01;
  s.l3.addr6[0][15] = 1;
  s.l3.plen6[0] = 64;
  ports[2] = add("up", &s);
  s.mode = HV_MODE_VM;
  s.l3.vm_mac[0] = 0x52;
  s.l3.vm_mac[5] = 5;
  s.l3.nvm4 = 1;
  s.l3.vm4[0] = 0x02393911;
  ports[3] = add("vm", &s);
  struct hv_nh nh = {.kind = HV_NH_GATEWAY, .af = 4, .port = (uint16_t)ports[2], .gw = {192, 0, 2, 2}};
  hv_core_nh_set(core, 1, &nh);
  struct hv_nh vmh = {.kind = HV_NH_MAC, .port = (uint16_t)ports[3], .mac = {0x52, 0, 0, 0, 0, 5}};
  hv_core_nh_set(core, 2, &vmh);
  struct hv_nh conn = {.kind = HV_NH_CONNECTED, .port = (uint16_t)ports[2]};
  hv_core_nh_set(core, 3, &conn);
  struct hv_nh local = {.kind = HV_NH_LOCAL};
  hv_core_nh_set(core, 4, &local);
  hv_core_route4(core, 1, 0, 0, 1, 0);
  hv_core_route4(core, 1, 0x02393911, 32, 2, 0);
  hv_core_route4(core, 1, 0xc0000200, 24, 3, 0);
  hv_core_route4(core, 1, 0xa9fe0001, 32, 4, 0);
  uint8_t v6[16] = {0};
  hv_core_route6(core, 1, v6, 0, 3, 0);
  /* an IPv4 underlay port with tunnel 1 (VNI 5010 <-> VLAN 10) to 192.0.2.2: a MAC behind it and the
   * tunnel in VLAN 10's flood list; tunnel 2 is in the flood list but not installed (counted drops) */
  ports[4] = add_underlay("underlay");
  struct hv_tunnel_cfg t = {.underlay = (uint16_t)ports[4], .af = 4, .vni = 5010,
                            .local = {192, 0, 2, 1}, .remote = {192, 0, 2, 2}};
  hv_core_tunnel_add(core, 1, &t, err, sizeof err);
  hv_core_vni_set(core, 5010, 0, 10, err, sizeof err);
  hv_egress vtep = hv_egress_make(HV_EGRESS_TUNNEL, 1);
  static const uint8_t remote[6] = {0x02, 0, 0, 0, 0, 0x0e};
  hv_fdb_add_remote(hv_core_fdb(core, 0), 10, remote, vtep);
  hv_core_flood_add(core, 0, 10, vtep, 1, err, sizeof err);
  hv_core_flood_add(core, 0, 10, hv_egress_make(HV_EGRESS_TUNNEL, 2), 1, err, sizeof err);
  setup_mpls();
  setup_l3vni(ports[4]);
  /* an IPv6 underlay port with tunnel 4 (VNI 5010) from 2001:db8:ff::2 */
  ports[6] = add_underlay("underlay6");
  struct hv_tunnel_cfg t6 = {.underlay = (uint16_t)ports[6], .af = 6, .vni = 5010,
                             .local = {0x20, 0x01, 0x0d, 0xb8, 0, 0xff, [15] = 1},
                             .remote = {0x20, 0x01, 0x0d, 0xb8, 0, 0xff, [15] = 2}};
  hv_core_tunnel_add(core, 4, &t6, err, sizeof err);
  /* remote hosts whose ARP requests and solicitations from local ports are answered */
  static const uint8_t host4[4] = {10, 0, 0, 99}, host6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x99};
  hv_suppress_set(hv_core_suppress(core), 0, 10, 4, host4, remote);
  hv_suppress_set(hv_core_suppress(core), 0, 10, 6, host6, remote);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!core) setup();
  size_t o = 0;
  while (o + 3 <= size) {
    int port = ports[data[o] % NPORTS];
    size_t len = (size_t)(data[o + 1] | (data[o + 2] << 8));
    o += 3;
    if (len > size - o) len = size - o;
    hv_port_mem_inject(hv_core_port(core, (uint16_t)port), data + o, (uint32_t)len);
    o += len;
  }
  while (hv_core_poll_once(core, 0) > 0) {
  }
  uint8_t buf[HV_MAX_FRAME];
  for (int i = 0; i < NPORTS; i++)
    while (hv_port_mem_pop(hv_core_port(core, (uint16_t)ports[i]), buf, sizeof buf) > 0) {
    }
  struct hv_event ev[256];
  while (hv_core_events(core, ev, 256) == 256) {
  }
  return 0;
}
