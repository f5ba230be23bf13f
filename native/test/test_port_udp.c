/* The UDP underlay backend (port_udp.c) on real sockets, in a network
 * namespace of its own (root; skipped otherwise): frames sent into a tunnel
 * arrive at the remote VTEP's UDP socket as VXLAN datagrams from our VTEP
 * address, from a source port in the dynamic range; datagrams sent to our
 * VTEP are decapsulated and forwarded; IPv4 and IPv6 (loopback addresses).
 * The core runs its worker thread; the test waits on conditions with a bound.
 * The port alone (no core): consecutive equal-sized datagrams to one VTEP go
 * as one UDP GSO send, and a GRO datagram received is handed out segment by
 * segment, across bursts when it holds more than a burst; its receive buffer
 * is HV_UNDERLAY_SOCKBUF, and what the kernel drops at a full socket is
 * counted (SO_MEMINFO) by the port's sock_drops. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <netinet/udp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <unistd.h>

#include "harness.h"

static int acc;
static const uint8_t MAC_T[6] = {0x02, 0, 0, 0, 0, 0x54}, MAC_R[6] = {0x02, 0, 0, 0, 0, 0x99};

static void one_family(int af, int id, const char *local, const char *remote, uint16_t rx_port) {
  char err[256] = "", name[16];
  snprintf(name, sizeof name, "udp%d", af);
  struct hv_port_open_params pp = {.kind = HV_PORT_UDP, .af = (uint8_t)af, .udp_port = rx_port, .mtu = 1500};
  snprintf(pp.name, sizeof pp.name, "%s", name);
  int fam = af == 4 ? AF_INET : AF_INET6;
  inet_pton(fam, local, pp.local);
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = HV_NO_BD;
  s.mode = HV_MODE_UNDERLAY;
  s.flood_group = 1;
  int u = hv_core_port_add(core, &pp, &s, err, sizeof err);
  tap_ok(u >= 0, "underlay IPv%d port opened (%s)", af, err);
  struct hv_tunnel_cfg t = {.underlay = (uint16_t)u, .af = (uint8_t)af, .vni = 5010};
  memcpy(t.local, pp.local, 16);
  inet_pton(fam, remote, t.remote);
  CHECK_EQ(hv_core_tunnel_add(core, (uint32_t)id, &t, err, sizeof err), 0);
  static const uint8_t mac_t6[6] = {0x02, 0, 0, 0, 0, 0x56};
  const uint8_t *dst = af == 4 ? MAC_T : mac_t6;
  CHECK_EQ(hv_fdb_add_remote(hv_core_fdb(core, 0), 10, dst, hv_egress_make(HV_EGRESS_TUNNEL, (uint32_t)id)), 0);

  /* the remote VTEP: a UDP socket on its address, port 4789 */
  int peer = socket(fam, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct sockaddr_storage sa;
  memset(&sa, 0, sizeof sa);
  socklen_t salen;
  if (af == 4) {
    struct sockaddr_in *p = (struct sockaddr_in *)&sa;
    p->sin_family = AF_INET;
    p->sin_port = htons(4789);
    inet_pton(AF_INET, remote, &p->sin_addr);
    salen = sizeof *p;
  } else {
    struct sockaddr_in6 *p = (struct sockaddr_in6 *)&sa;
    p->sin6_family = AF_INET6;
    p->sin6_port = htons(4789);
    inet_pton(AF_INET6, remote, &p->sin6_addr);
    salen = sizeof *p;
  }
  CHECK_EQ(bind(peer, (struct sockaddr *)&sa, salen), 0);

  /* encapsulation: a frame to the MAC behind the tunnel reaches the peer */
  uint8_t f[128], d[256];
  uint32_t n = ip4_frame(f, dst, MAC_A, IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), 64, 1);
  hv_port_mem_inject(hv_core_port(core, (uint16_t)acc), f, n);
  struct pollfd pfd = {.fd = peer, .events = POLLIN};
  CHECK_EQ(poll(&pfd, 1, 5000), 1);
  struct sockaddr_storage from;
  socklen_t fromlen = sizeof from;
  ssize_t got = recvfrom(peer, d, sizeof d, MSG_DONTWAIT, (struct sockaddr *)&from, &fromlen);
  CHECK_EQ(got, 8 + (ssize_t)n);
  CHECK_EQ(d[0], 0x08);
  CHECK_EQ((d[4] << 16) | (d[5] << 8) | d[6], 5010);
  CHECK(memcmp(d + 8, f, n) == 0);
  uint16_t sport = af == 4 ? ntohs(((struct sockaddr_in *)&from)->sin_port) : ntohs(((struct sockaddr_in6 *)&from)->sin6_port);
  CHECK(sport >= 49152);
  char fromtxt[64] = "";
  inet_ntop(fam, af == 4 ? (void *)&((struct sockaddr_in *)&from)->sin_addr : (void *)&((struct sockaddr_in6 *)&from)->sin6_addr,
            fromtxt, sizeof fromtxt);
  tap_ok(strcmp(fromtxt, local) == 0, "IPv%d datagram from our VTEP %s (got %s)", af, local, fromtxt);

  /* decapsulation: the peer sends a broadcast to our VTEP; it reaches the access port */
  n = mk_frame(f, MAC_BCAST, MAC_R, -1, 0x0806, 46);
  memset(d, 0, 8);
  d[0] = 0x08;
  d[4] = 5010 >> 16;
  d[5] = (5010 >> 8) & 0xff;
  d[6] = 5010 & 0xff;
  memcpy(d + 8, f, n);
  struct sockaddr_storage ours = sa;
  if (af == 4) {
    ((struct sockaddr_in *)&ours)->sin_port = htons(rx_port);
    inet_pton(AF_INET, local, &((struct sockaddr_in *)&ours)->sin_addr);
  } else {
    ((struct sockaddr_in6 *)&ours)->sin6_port = htons(rx_port);
    inet_pton(AF_INET6, local, &((struct sockaddr_in6 *)&ours)->sin6_addr);
  }
  CHECK_EQ(sendto(peer, d, 8 + n, 0, (struct sockaddr *)&ours, salen), 8 + (ssize_t)n);
  CHECK_EQ(pop_wait(acc), (int)n);
  CHECK(memcmp(out, f, n) == 0);
  CHECK_EQ(ctr(u, HV_CTR_decap), 1);
  CHECK_EQ(ctr(u, HV_CTR_encap), 1);
  close(peer);
}

#ifndef UDP_GRO
#define UDP_GRO 104
#endif

/* VXLAN payload i (VNI 5010): header + a 60-byte frame whose bytes say i, or `len` bytes. */
static uint32_t vx_payload(uint8_t *d, int i, uint32_t len) {
  memset(d, 0, 8);
  d[0] = 0x08;
  d[4] = 5010 >> 16;
  d[5] = (5010 >> 8) & 0xff;
  d[6] = 5010 & 0xff;
  for (uint32_t k = 8; k < len; k++) d[k] = (uint8_t)(i * 7 + k);
  return len;
}

static struct sockaddr_in sin4(const char *a, uint16_t port) {
  struct sockaddr_in s = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, a, &s.sin_addr);
  return s;
}

/* Sends requests of the given payload sizes from `p` to the peer; the peer
 * (UDP_GRO on) must get them all, in order, byte for byte; returns how many
 * receive calls that took (fewer than datagrams: they were joined). */
static int tx_run(struct hv_port *p, int peer, const uint32_t *sizes, int n) {
  static uint8_t frames[200][128], outer[200][36];
  static struct hv_pkt pk[200];
  static struct hv_txreq rq[200];
  for (int i = 0; i < n; i++) {
    /* outer IPv4 + UDP (src port 50000: one socket of the pool; dst port 4789, where the port sends) + VXLAN;
     * the frame after it */
    memset(outer[i], 0, 36);
    outer[i][0] = 0x45;
    inet_pton(AF_INET, "127.0.0.4", outer[i] + 16);
    outer[i][20] = 50000 >> 8;
    outer[i][21] = 50000 & 0xff;
    outer[i][22] = 4789 >> 8;
    outer[i][23] = 4789 & 0xff;
    uint8_t vx[128];
    vx_payload(vx, i, sizes[i]);
    memcpy(outer[i] + 28, vx, 8);
    memcpy(frames[i], vx + 8, sizes[i] - 8);
    memset(&pk[i], 0, sizeof pk[i]);
    pk[i].data = frames[i];
    pk[i].len = sizes[i] - 8;
    pk[i].l3_off = 14;
    rq[i] = (struct hv_txreq){.pkt = &pk[i], .outer_len = 36, .outer = outer[i]};
  }
  CHECK_EQ(p->ops->tx_burst(p, rq, n), n);
  int got = 0, calls = 0;
  while (got < n) {
    uint8_t d[65536];
    union {
      struct cmsghdr h;
      uint8_t b[CMSG_SPACE(sizeof(int))];
    } c;
    struct iovec iov = {d, sizeof d};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.b, .msg_controllen = sizeof c.b};
    struct pollfd pfd = {.fd = peer, .events = POLLIN};
    if (poll(&pfd, 1, 5000) != 1) break;
    ssize_t len = recvmsg(peer, &mh, MSG_DONTWAIT);
    if (len <= 0) break;
    calls++;
    int seg = (int)len;
    for (struct cmsghdr *h = CMSG_FIRSTHDR(&mh); h; h = CMSG_NXTHDR(&mh, h))
      if (h->cmsg_level == SOL_UDP && h->cmsg_type == UDP_GRO) memcpy(&seg, CMSG_DATA(h), sizeof seg);
    for (ssize_t off = 0; off < len && got < n; off += seg, got++) {
      uint8_t want[128];
      uint32_t wl = vx_payload(want, got, sizes[got]);
      uint32_t l = (uint32_t)(len - off < seg ? len - off : seg);
      if (l != wl || memcmp(d + off, want, wl) != 0) {
        tap_ok(0, "datagram %d: %u bytes as sent", got, wl);
        return -1;
      }
    }
  }
  tap_ok(got == n, "the peer got all %d datagrams, in order, byte for byte", n);
  return calls;
}

static void gso_gro(void) {
  char err[256] = "";
  struct hv_port_open_params pp = {.kind = HV_PORT_UDP, .af = 4, .udp_port = 4791, .mtu = 1500, .name = "udpg"};
  inet_pton(AF_INET, "127.0.0.3", pp.local);
  struct hv_port *p = hv_port_udp_open(&pp, err, sizeof err);
  tap_ok(p != NULL, "a UDP underlay port of its own (%s)", err);
  int peer = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), one = 1;
  struct sockaddr_in pa = sin4("127.0.0.4", 4789);
  CHECK_EQ(bind(peer, (struct sockaddr *)&pa, sizeof pa), 0);
  CHECK_EQ(setsockopt(peer, SOL_UDP, UDP_GRO, &one, sizeof one), 0);

  /* 100 equal datagrams to one VTEP: joined by 64 at most (two sends), the peer takes them whole */
  uint32_t sizes[200];
  for (int i = 0; i < 100; i++) sizes[i] = 8 + 60;
  int calls = tx_run(p, peer, sizes, 100);
  tap_ok(calls >= 1 && calls <= 4, "100 datagrams of one size: %d receive calls (joined into UDP GSO sends)", calls);
  /* a shorter one ends a run (UDP GSO: only the last may be shorter); a longer one starts the next */
  uint32_t mixed[] = {68, 68, 68, 40, 68, 100, 100, 68};
  calls = tx_run(p, peer, mixed, 8);
  tap_ok(calls >= 1 && calls <= 8, "mixed sizes delivered in order (%d receive calls)", calls);

  /* receive: a GRO datagram of 100 segments handed out as 64 + 36 packets, with the sender's address */
  uint8_t big[100 * 68];
  for (int i = 0; i < 100; i++) vx_payload(big + i * 68, i, 68);
  struct sockaddr_in ours = sin4("127.0.0.3", 4791);
  for (int part = 0; part < 2; part++) { /* UDP GSO sends of 64 and 36 segments */
    int segs = part ? 36 : 64;
    uint16_t gs = 68;
    union {
      struct cmsghdr h;
      uint8_t b[CMSG_SPACE(sizeof(uint16_t))];
    } c;
    memset(&c, 0, sizeof c);
    struct iovec iov = {big + part * 64 * 68, (size_t)segs * 68};
    struct msghdr mh = {.msg_name = &ours, .msg_namelen = sizeof ours, .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.b, .msg_controllen = sizeof c.b};
    struct cmsghdr *h = CMSG_FIRSTHDR(&mh);
    h->cmsg_level = SOL_UDP;
    h->cmsg_type = UDP_SEGMENT;
    h->cmsg_len = CMSG_LEN(sizeof gs);
    memcpy(CMSG_DATA(h), &gs, sizeof gs);
    CHECK_EQ(sendmsg(peer, &mh, 0), (ssize_t)segs * 68);
  }
  struct hv_pkt pkts[HV_BATCH];
  int got = 0, bursts = 0, ok = 1;
  for (int tries = 0; got < 100 && tries < 5000; tries++) {
    int n = p->ops->rx_burst(p, pkts, HV_BATCH, NULL, 0);
    if (!n) {
      usleep(1000);
      continue;
    }
    if (!bursts) CHECK_EQ(n, HV_BATCH);
    bursts++;
    for (int i = 0; i < n; i++, got++) {
      uint8_t want[68];
      vx_payload(want, got, 68);
      char src[16] = "";
      inet_ntop(AF_INET, pkts[i].outer_src, src, sizeof src);
      ok &= pkts[i].len == 68 && memcmp(pkts[i].data, want, 68) == 0 && pkts[i].outer_af == 4 && strcmp(src, "127.0.0.4") == 0 && !pkts[i].drop;
    }
    p->ops->rx_done(p);
  }
  tap_ok(got == 100 && ok, "100 segments received in order from 127.0.0.4, byte for byte (%d in %d bursts)", got, bursts);
  tap_ok(!p->ops->ready(p), "nothing left to hand out");
  close(peer);
  p->ops->close(p);
}

/* The receive socket's buffer, and drops at a full one counted exactly. */
static void rcvbuf_drops(void) {
  char err[256] = "";
  struct hv_port_open_params pp = {.kind = HV_PORT_UDP, .af = 4, .udp_port = 4792, .mtu = 1500, .name = "udpd"};
  inet_pton(AF_INET, "127.0.0.5", pp.local);
  struct hv_port *p = hv_port_udp_open(&pp, err, sizeof err);
  tap_ok(p != NULL, "a UDP underlay port of its own (%s)", err);
  int size = 0;
  socklen_t sl = sizeof size;
  CHECK_EQ(getsockopt(p->fd, SOL_SOCKET, SO_RCVBUF, &size, &sl), 0);
  tap_ok(size >= HV_UNDERLAY_SOCKBUF, "receive buffer %d bytes (asked %d; the kernel doubles it)", size, HV_UNDERLAY_SOCKBUF);
  /* a small buffer, so that a burst the port does not read overflows it */
  int small = 16384;
  CHECK_EQ(setsockopt(p->fd, SOL_SOCKET, SO_RCVBUFFORCE, &small, sizeof small), 0);
  int peer = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in pa = sin4("127.0.0.6", 0), ours = sin4("127.0.0.5", 4792);
  CHECK_EQ(bind(peer, (struct sockaddr *)&pa, sizeof pa), 0);
  uint8_t d[1000];
  enum { SENT = 200 };
  for (int i = 0; i < SENT; i++) CHECK_EQ(sendto(peer, d, vx_payload(d, i, sizeof d), 0, (struct sockaddr *)&ours, sizeof ours), (ssize_t)sizeof d);
  struct hv_pkt pkts[HV_BATCH];
  int got = 0, n;
  while ((n = p->ops->rx_burst(p, pkts, HV_BATCH, NULL, 0)) > 0) got += n;
  tap_ok(got > 0 && got < SENT, "%d of %d datagrams fit the small buffer", got, SENT);
  /* read from the kernel, without another datagram (no per-datagram report) */
  uint64_t drops = p->ops->sock_drops(p);
  tap_ok(drops == (uint64_t)(SENT - got), "drops counted: %llu, sent %d, received %d", (unsigned long long)drops, SENT, got);
  /* and the next datagram still comes through */
  CHECK_EQ(sendto(peer, d, sizeof d, 0, (struct sockaddr *)&ours, sizeof ours), (ssize_t)sizeof d);
  for (int tries = 0; tries < 1000 && !(n = p->ops->rx_burst(p, pkts, HV_BATCH, NULL, 0)); tries++) usleep(1000);
  tap_ok(n == 1, "the next datagram received");
  tap_ok(p->ops->sock_drops(p) == drops, "no new drop counted");
  close(peer);
  p->ops->close(p);
}

int main(void) {
  if (unshare(CLONE_NEWNET) != 0 || lo_up() != 0) {
    printf("1..0 # skip: needs root for a network namespace (%s)\n", strerror(errno));
    return 0;
  }
  harness_core(1, 10);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 1024, err, sizeof err), 0);
  acc = add_l2_port("acc", HV_MODE_ACCESS, 10, NULL);
  CHECK_EQ(hv_core_vni_set(core, 5010, 0, 10, err, sizeof err), 0);
  CHECK_EQ(hv_core_start(core, err, sizeof err), 0);
  one_family(4, 1, "127.0.0.1", "127.0.0.2", 4789);
  one_family(6, 2, "::1", "::1", 4790); /* one IPv6 loopback address: we listen on 4790 */
  gso_gro();
  rcvbuf_drops();
  /* a UDP kind outside underlay mode is refused, naming the field */
  struct hv_port_open_params pp = {.kind = HV_PORT_UDP, .af = 4, .name = "bad"};
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = 0;
  s.mode = HV_MODE_ACCESS;
  s.vlan = 10;
  CHECK_EQ(hv_core_port_add(core, &pp, &s, err, sizeof err), -1);
  CHECK(strncmp(err, "mode", 4) == 0);
  hv_core_destroy(core);
  return tap_done();
}
