/* The MPLS underlay backend (port_mpls.c) on real sockets, in a network
 * namespace of its own (root; skipped otherwise): a VM's packet routed into
 * an MPLS-over-UDP tunnel arrives at the remote PE's UDP socket on port 6635
 * from our address and a flow-hash source port, with the label entry; into an
 * MPLS-over-GRE tunnel at a raw GRE socket as GRE 0x8847 + label; datagrams a
 * remote PE sends us over UDP and over GRE are popped into the VRF and reach
 * the VM.  IPv4 (127.0.0.1 <-> 127.0.0.2) and IPv6 (::1, our UDP socket on
 * another port).  The core runs its worker thread; waits are bounded. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <unistd.h>

#include "harness.h"

static int vm;
static const uint8_t VM_MAC[6] = {0x52, 0x54, 0, 0, 0, 0x05}, GW_MAC[6] = {0x02, 0xaa, 0, 0, 0, 0x01};
#define VM4 IP4(10, 1, 0, 5)

static socklen_t addr(int af, const char *ip, uint16_t port, struct sockaddr_storage *sa) {
  memset(sa, 0, sizeof *sa);
  if (af == 4) {
    struct sockaddr_in *p = (struct sockaddr_in *)sa;
    p->sin_family = AF_INET;
    p->sin_port = htons(port);
    inet_pton(AF_INET, ip, &p->sin_addr);
    return sizeof *p;
  }
  struct sockaddr_in6 *p = (struct sockaddr_in6 *)sa;
  p->sin6_family = AF_INET6;
  p->sin6_port = htons(port);
  inet_pton(AF_INET6, ip, &p->sin6_addr);
  return sizeof *p;
}

/* A peer socket bound to (ip, port). */
static int peer(int af, int type, int proto, const char *ip, uint16_t port) {
  int fd = socket(af == 4 ? AF_INET : AF_INET6, type | SOCK_CLOEXEC, proto);
  struct sockaddr_storage sa;
  socklen_t len = addr(af, ip, port, &sa);
  CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&sa, len) == 0);
  return fd;
}

static ssize_t recv_wait(int fd, uint8_t *buf, size_t size, struct sockaddr_storage *from) {
  struct pollfd pfd = {.fd = fd, .events = POLLIN};
  if (poll(&pfd, 1, 5000) != 1) return -1;
  socklen_t fl = sizeof *from;
  return recvfrom(fd, buf, size, MSG_DONTWAIT, (struct sockaddr *)from, &fl);
}

static int add_underlay(int af, const char *local, uint16_t udp_port) {
  struct hv_port_open_params pp = {.kind = HV_PORT_MPLS, .af = (uint8_t)af, .udp_port = udp_port, .mtu = 1500};
  snprintf(pp.name, sizeof pp.name, "mpls%d", af);
  inet_pton(af == 4 ? AF_INET : AF_INET6, local, pp.local);
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_UNDERLAY;
  char err[256] = "";
  int u = hv_core_port_add(core, &pp, &s, err, sizeof err);
  tap_ok(u >= 0, "MPLS underlay IPv%d port opened (%s)", af, err);
  return u;
}

static void route_tunnel(uint32_t k, int u, int af, uint8_t encap, const char *local, const char *remote) {
  struct hv_mpls_tunnel_cfg t = {.underlay = (uint16_t)u, .af = (uint8_t)af, .encap = encap};
  inet_pton(af == 4 ? AF_INET : AF_INET6, local, t.local);
  inet_pton(af == 4 ? AF_INET : AF_INET6, remote, t.remote);
  char err[256] = "";
  CHECK_EQ(hv_core_mpls_tunnel_add(core, k, &t, err, sizeof err), 0);
  struct hv_nh nh = {.kind = HV_NH_MPLS, .tunnel = k, .label = 100 + k};
  hv_core_nh_set(core, 10 + k, &nh);
  CHECK_EQ(hv_core_route4(core, 1, IP4(10, 2, k, 0), 24, 10 + k, 0), 0);
}

/* The VM sends to 10.2.k.9: the peer socket gets [UDP payload or IP+GRE] + label 100+k + the packet. */
static void encap(int fd, uint32_t k, int af, int gre, const char *local) {
  uint8_t f[128], d[256];
  uint32_t n = ip4_frame(f, GW_MAC, VM_MAC, VM4, IP4(10, 2, k, 9), 64, 1);
  hv_port_mem_inject(hv_core_port(core, (uint16_t)vm), f, n);
  struct sockaddr_storage from;
  ssize_t got = recv_wait(fd, d, sizeof d, &from);
  uint32_t skip = gre ? (af == 4 ? 20 : 0) + 4 : 0; /* an IPv4 raw socket reads the IP header */
  tap_ok(got == (ssize_t)(skip + 4 + n - 14), "tunnel %u (IPv%d %s): %zd bytes at the remote PE", k, af,
         gre ? "GRE" : "UDP", got);
  if (got != (ssize_t)(skip + 4 + n - 14)) return;
  if (gre) CHECK(hv_rd16(d + skip - 4) == 0 && hv_rd16(d + skip - 2) == 0x8847);
  CHECK_EQ(hv_rd32(d + skip), (100 + k) << 12 | 1u << 8 | 63);
  CHECK_EQ(d[skip + 4 + 8], 63);
  CHECK(memcmp(d + skip + 4 + 12, f + 14 + 12, n - 14 - 12) == 0);
  char txt[64] = "";
  inet_ntop(af == 4 ? AF_INET : AF_INET6,
            af == 4 ? (void *)&((struct sockaddr_in *)&from)->sin_addr : (void *)&((struct sockaddr_in6 *)&from)->sin6_addr,
            txt, sizeof txt);
  tap_ok(strcmp(txt, local) == 0, "from our PE address %s (got %s)", local, txt);
  if (!gre) {
    uint16_t sport = af == 4 ? ntohs(((struct sockaddr_in *)&from)->sin_port) : ntohs(((struct sockaddr_in6 *)&from)->sin6_port);
    tap_ok(sport >= 49152, "UDP source port %u from the flow hash range", sport);
  }
}

/* The remote PE sends label 1000 + a packet for the VM to us (UDP to `port`, or GRE). */
static void decap(int fd, int af, int gre, const char *local, uint16_t port, int u) {
  uint8_t f[128], d[256];
  uint32_t n = ip4_frame(f, GW_MAC, VM_MAC, IP4(10, 2, 1, 9), VM4, 30, 1);
  uint32_t off = gre ? 4 : 0;
  if (gre) hv_wr32(d, 0x8847);
  hv_wr32(d + off, 1000u << 12 | 1u << 8 | 64);
  memcpy(d + off + 4, f + 14, n - 14);
  struct sockaddr_storage to;
  socklen_t tl = addr(af, local, gre ? 0 : port, &to);
  uint64_t before = ctr(u, HV_CTR_mpls_decap);
  CHECK_EQ(sendto(fd, d, off + 4 + n - 14, 0, (struct sockaddr *)&to, tl), (ssize_t)(off + 4 + n - 14));
  int len = pop_wait(vm);
  tap_ok(len == (int)n, "IPv%d %s to us: %d bytes to the VM", af, gre ? "GRE" : "UDP", len);
  CHECK(memcmp(out, VM_MAC, 6) == 0);
  CHECK_EQ(out[22], 29);
  CHECK_EQ(ctr(u, HV_CTR_mpls_decap) - before, 1);
}

/* The port read directly (no worker): hv_port.rx_idle, what the worker's poll
 * found, keeps it off a socket without input: with bit 0 set a GRE datagram
 * waits while UDP ones are read; a read that drains a socket sets its bit; with
 * both bits clear (outside a worker) both are read. */
static void rx_idle_hint(void) {
  struct hv_port_open_params pp = {.kind = HV_PORT_MPLS, .af = 4, .udp_port = 6637, .mtu = 1500};
  snprintf(pp.name, sizeof pp.name, "mplsh");
  inet_pton(AF_INET, "127.0.0.3", pp.local);
  char err[256] = "";
  struct hv_port *p = hv_port_open(&pp, err, sizeof err);
  tap_ok(p != NULL, "a second MPLS port on 127.0.0.3 (%s)", err);
  if (!p) return;
  static uint8_t bufs[HV_BATCH * HV_RXBUF_SIZE];
  static struct hv_pkt pkts[HV_BATCH];
  int udp = peer(4, SOCK_DGRAM, 0, "127.0.0.4", 0), gre = peer(4, SOCK_RAW, IPPROTO_GRE, "127.0.0.4", 0);
  uint8_t d[64] = {0};
  hv_wr32(d, 0x8847);
  struct sockaddr_storage to;
  socklen_t tl = addr(4, "127.0.0.3", 0, &to);
  CHECK_EQ(sendto(gre, d, 40, 0, (struct sockaddr *)&to, tl), 40);
  tl = addr(4, "127.0.0.3", 6637, &to);
  for (int i = 0; i < 3; i++) CHECK_EQ(sendto(udp, d, 36, 0, (struct sockaddr *)&to, tl), 36);
  struct pollfd pfd[2] = {{.fd = p->fd, .events = POLLIN}, {.fd = p->fd2, .events = POLLIN}};
  for (int t = 0; t < 500 && !(poll(pfd, 2, 10) == 2); t++) {
  }
  tap_ok(pfd[0].revents && pfd[1].revents, "GRE and UDP datagrams waiting");
  p->rx_idle = 1; /* the poll said: nothing on GRE */
  int n = p->ops->rx_burst(p, pkts, HV_BATCH, bufs, HV_RXBUF_SIZE);
  int udp_only = n == 3;
  for (int i = 0; i < n; i++) udp_only &= pkts[i].outer_proto == 17;
  tap_ok(udp_only, "rx_idle bit 0: the 3 UDP datagrams read, the GRE one left (%d read)", n);
  tap_ok(p->rx_idle == 3, "the UDP socket drained: its bit set too (rx_idle %u)", p->rx_idle);
  tap_ok(p->ops->rx_burst(p, pkts, HV_BATCH, bufs, HV_RXBUF_SIZE) == 0, "both bits set: nothing read");
  p->rx_idle = 0; /* no poll: read both */
  n = p->ops->rx_burst(p, pkts, HV_BATCH, bufs, HV_RXBUF_SIZE);
  /* IPv4 GRE goes as the whole datagram, its IP header included (no outer_proto) */
  tap_ok(n == 1 && pkts[0].outer_proto != 17 && pkts[0].len == 20 + 40 && p->rx_idle == 3,
         "rx_idle 0: the GRE datagram read (%d, %u bytes), both drained (%u)", n, n ? pkts[0].len : 0, p->rx_idle);
  close(udp);
  close(gre);
  hv_port_close(p);
}

int main(void) {
  if (unshare(CLONE_NEWNET) != 0 || lo_up() != 0) {
    printf("1..0 # skip: needs root for a network namespace (%s)\n", strerror(errno));
    return 0;
  }
  harness_core(1, 10);
  char err[256];
  CHECK_EQ(hv_core_vrf_add(core, 1, err, sizeof err), 0);
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_VM;
  s.l3.vrf = 1;
  memcpy(s.l3.mac, GW_MAC, 6);
  memcpy(s.l3.vm_mac, VM_MAC, 6);
  s.l3.nvm4 = 1;
  s.l3.vm4[0] = VM4;
  vm = add_port_with("vm", &s);
  struct hv_nh nh = {.kind = HV_NH_MAC, .port = (uint16_t)vm};
  memcpy(nh.mac, VM_MAC, 6);
  hv_core_nh_set(core, 2, &nh);
  CHECK_EQ(hv_core_route4(core, 1, VM4, 32, 2, 0), 0);
  CHECK_EQ(hv_core_mpls_label_set(core, 1000, 1, err, sizeof err), 0);
  int u4 = add_underlay(4, "127.0.0.1", 0), u6 = add_underlay(6, "::1", 6636);
  if (u4 < 0 || u6 < 0) return tap_done();
  route_tunnel(1, u4, 4, HV_MPLS_UDP, "127.0.0.1", "127.0.0.2");
  route_tunnel(2, u4, 4, HV_MPLS_GRE, "127.0.0.1", "127.0.0.2");
  route_tunnel(3, u6, 6, HV_MPLS_UDP, "::1", "::1");
  CHECK_EQ(hv_core_start(core, err, sizeof err), 0);
  int udp4 = peer(4, SOCK_DGRAM, 0, "127.0.0.2", 6635), gre4 = peer(4, SOCK_RAW, IPPROTO_GRE, "127.0.0.2", 0);
  int udp6 = peer(6, SOCK_DGRAM, 0, "::1", 6635), gre6 = peer(6, SOCK_RAW, IPPROTO_GRE, "::1", 0);
  encap(udp4, 1, 4, 0, "127.0.0.1");
  encap(gre4, 2, 4, 1, "127.0.0.1");
  encap(udp6, 3, 6, 0, "::1");
  decap(udp4, 4, 0, "127.0.0.1", 6635, u4);
  decap(gre4, 4, 1, "127.0.0.1", 0, u4);
  decap(udp6, 6, 0, "::1", 6636, u6);
  decap(gre6, 6, 1, "::1", 0, u6);
  rx_idle_hint();
  /* an MPLS kind outside underlay mode is refused, naming the field */
  struct hv_port_open_params pp = {.kind = HV_PORT_MPLS, .af = 4, .name = "bad"};
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_ROUTED;
  s.l3.vrf = 1;
  CHECK_EQ(hv_core_port_add(core, &pp, &s, err, sizeof err), -1);
  CHECK(strncmp(err, "mode", 4) == 0);
  close(udp4);
  close(gre4);
  close(udp6);
  close(gre6);
  hv_core_destroy(core);
  return tap_done();
}
