/* AF_XDP ports (port_afxdp.c) on real veth pairs, in a network namespace of
 * its own (root; skipped otherwise, or where AF_XDP cannot attach), one
 * worker driven by hv_core_poll_once, the far ends raw packet sockets:
 *  - the ports of a one-worker core share a UMEM: a frame between two of
 *    them leaves byte for byte as it came, lent (tx_zero_copy), both ways;
 *  - a broadcast reaches every other port whole and is lent once;
 *  - a frame that leaves with a tag pushed (a trunk port) is copied, tagged,
 *    and one to an AF_PACKET port is sent from the UMEM as it is;
 *  - frames the kernel drops before the switch reads them (the worker not
 *    running) are counted, AF_XDP and AF_PACKET: received + counted = sent;
 *  - two workers on their threads: frames lent within a worker's UMEM and
 *    copied from the other worker's into the same port, all whole;
 *  - ports removed while frames are lent to them, and added again, many
 *    times: traffic goes on, every frame of the shared UMEM is accounted for
 *    (none lost, none held twice), and under ASan/UBSan
 *    (scripts/test-core.sh) no frame hand-over touches freed memory. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core_int.h"
#include "harness.h"
#include "port.h"

#define NPORTS 5 /* four AF_XDP (the fourth a trunk), one AF_PACKET */
static const char *DEV[NPORTS] = {"xa0", "xb0", "xc0", "xd0", "xe0"};
static const char *PEER[NPORTS] = {"xa1", "xb1", "xc1", "xd1", "xe1"};
static int id[NPORTS], sock[NPORTS];
static const uint8_t MAC_D[6] = {0x02, 0, 0, 0, 0, 0xd}, MAC_E[6] = {0x02, 0, 0, 0, 0, 0xe};
static const uint8_t *MAC[NPORTS] = {MAC_A, MAC_B, MAC_C, MAC_D, MAC_E};

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int raw_socket(const char *dev) {
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
  struct sockaddr_ll sa = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = (int)if_nametoindex(dev)};
  if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) return -1;
  int buf = 8 << 20, one = 1;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf);
  setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one); /* the receive path moves a tag out of the data */
  return fd;
}

/* Port k: AF_XDP (or AF_PACKET), access VLAN 10 (or a trunk of VLAN 10 tagged). */
static int add_kind(int k, int trunk, enum hv_port_kind kind) {
  struct hv_port_open_params pp;
  memset(&pp, 0, sizeof pp);
  pp.kind = kind;
  pp.mtu = 1500;
  snprintf(pp.name, sizeof pp.name, "%s", DEV[k]);
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = 0;
  s.mode = trunk ? HV_MODE_TRUNK : HV_MODE_ACCESS;
  s.vlan = trunk ? 0 : 10;
  if (trunk) s.allowed[0] |= 1ull << 10;
  char err[256] = "";
  int i = hv_core_port_add(core, &pp, &s, err, sizeof err);
  if (i < 0) printf("# %s: %s\n", DEV[k], err);
  return i;
}

static int add_xdp(int k, int trunk) { return add_kind(k, trunk, HV_PORT_AFXDP); }

/* One frame at port k's far end into `out`, the tag the kernel moved into
 * its metadata written back: its length, 0 if none is waiting, -1 for a
 * frame it sent itself. */
static int read_one(int k) {
  struct sockaddr_ll from;
  union {
    struct cmsghdr h;
    uint8_t b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
  } cm;
  struct iovec iov = {out + 4, sizeof out - 4};
  struct msghdr mh = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1,
                      .msg_control = cm.b, .msg_controllen = sizeof cm.b};
  ssize_t n = recvmsg(sock[k], &mh, MSG_DONTWAIT);
  if (n < 0) return 0;
  if (from.sll_pkttype == PACKET_OUTGOING) return -1;
  memmove(out, out + 4, (size_t)n);
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
    const struct tpacket_auxdata *a = (const void *)CMSG_DATA(c);
    if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA || !(a->tp_status & TP_STATUS_VLAN_VALID)) continue;
    uint16_t tpid = (a->tp_status & TP_STATUS_VLAN_TPID_VALID) ? a->tp_vlan_tpid : 0x8100;
    memmove(out + 16, out + 12, (size_t)n - 12);
    out[12] = (uint8_t)(tpid >> 8), out[13] = (uint8_t)tpid;
    out[14] = (uint8_t)(a->tp_vlan_tci >> 8), out[15] = (uint8_t)a->tp_vlan_tci;
    n += 4;
  }
  return (int)n;
}

/* The next frame the far end of port k received (not one it sent), into
 * `out`: its length, 0 if none came within 2 s while the worker ran. */
static int recv_on(int k) {
  double end = now_s() + 2;
  do {
    int n;
    while ((n = read_one(k)) != 0)
      if (n > 0) return n;
    hv_core_poll_once(core, 0);
  } while (now_s() < end);
  return 0;
}

/* Runs the worker a while, then reads everything at port k's far end:
 * 1 if none of it was a frame the switch sent there. */
static int silent(int k) {
  for (int i = 0; i < 50; i++) hv_core_poll_once(core, 0);
  int quiet = 1, n;
  while ((n = read_one(k)) != 0) quiet &= n < 0;
  return quiet;
}

static uint64_t lent(int k) { return ctr(id[k], HV_CTR_tx_zero_copy); }

static uint32_t frame(uint8_t *f, int to, int from, uint32_t seq, uint32_t payload) {
  uint32_t n = mk_frame(f, to < 0 ? MAC_BCAST : MAC[to], MAC[from], -1, 0x88b5, payload);
  memcpy(f + 14, &seq, sizeof seq);
  return n;
}

static void send_from(int k, const uint8_t *f, uint32_t n) { CHECK_EQ(send(sock[k], f, n, 0), (ssize_t)n); }

static void accounted(const char *when) {
  uint32_t lost;
  uint32_t groups = hv_xsk_share_groups(&core->xsk_share[0], &lost);
  CHECK_EQ(lost, 0);
  printf("# %s: %u shared UMEM group(s), no frame lost\n", when, groups);
}

/* Two workers running on their own threads: A and C on worker 0 (one
 * shared UMEM), B on worker 1.  A's frames reach C lent, B's copied by
 * worker 1 into C's transmit pool (under C's tx lock) while worker 0 lends
 * into the same port; worker 1 completes frames worker 0 lent (the `busy`
 * marks read across threads).  Every frame arrives whole, once. */
static void two_workers(void) {
  for (int k = 0; k < NPORTS; k++) /* what the first core's last frames left at the far ends */
    while (read_one(k) != 0) {
    }
  harness_core(2, 10);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 1024, err, sizeof err), 0);
  for (int k = 0; k < 3; k++) id[k] = add_xdp(k, 0); /* ids 0, 1, 2: workers 0, 1, 0 */
  CHECK_EQ(hv_core_start(core, err, sizeof err), 0);
  uint8_t f[2048];
  uint32_t n;
  for (int k = 0; k < 3; k++) { /* learn every MAC */
    n = frame(f, -1, k, 1, 60);
    send_from(k, f, n);
    for (int j = 0; j < 3; j++)
      if (j != k) CHECK_EQ(recv_on(j), (int)n);
  }
  uint64_t z0 = lent(2);
  int got[2] = {0, 0}, bad = 0;
  for (uint32_t i = 0; i < 3000; i++) {
    int from = i & 1;
    n = frame(f, 2, from, 100 + i, 46 + (i * 53) % 1455);
    send_from(from, f, n);
    if ((i & 31) != 31 && i != 2999) continue;
    /* every 32 frames: take what C's far end got (order across the two senders may vary) */
    for (;;) {
      int m = recv_on(2);
      if (m <= 0) break;
      uint32_t seq;
      memcpy(&seq, out + 14, 4);
      int who = out[11] == MAC_B[5];
      uint8_t want[2048];
      uint32_t wn = frame(want, 2, who, seq, 46 + ((seq - 100) * 53) % 1455);
      if ((uint32_t)m != wn || memcmp(out, want, wn) != 0) bad++;
      got[who]++;
      if (got[0] + got[1] == (int)i + 1) break;
    }
  }
  CHECK_EQ(bad, 0);
  CHECK_EQ(got[0], 1500);
  CHECK_EQ(got[1], 1500);
  uint64_t z = lent(2) - z0;
  printf("# two workers: 3000 frames to C, %llu lent (A's), the rest copied (B's)\n", (unsigned long long)z);
  CHECK_EQ(z, 1500);
  uint32_t lost;
  hv_xsk_share_groups(&core->xsk_share[0], &lost);
  CHECK_EQ(lost, 0);
  hv_core_destroy(core);
}

int main(void) {
  if (unshare(CLONE_NEWNET) != 0 || lo_up() != 0) {
    printf("1..0 # skip: needs root for a network namespace (%s)\n", strerror(errno));
    return 0;
  }
  char cmd[512];
  /* no IPv6 autoconfiguration frames on the links (the test reads every frame) */
  int sys = system("echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6");
  sys = 0;
  for (int k = 0; k < NPORTS && sys == 0; k++) {
    snprintf(cmd, sizeof cmd, "ip link add %s type veth peer name %s && ip link set %s up && ip link set %s up", DEV[k],
             PEER[k], DEV[k], PEER[k]);
    sys = system(cmd);
  }
  if (sys != 0) {
    printf("1..0 # skip: no veth pairs here\n");
    return 0;
  }
  harness_core(1, 10);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 1024, err, sizeof err), 0);
  for (int k = 0; k < 3; k++) id[k] = add_xdp(k, 0);
  id[3] = add_xdp(3, 1);
  id[4] = add_kind(4, 0, HV_PORT_AFPACKET);
  for (int k = 0; k < NPORTS; k++) {
    CHECK(id[k] >= 0);
    sock[k] = raw_socket(PEER[k]);
    CHECK(sock[k] >= 0);
  }
  if (hv_core_port(core, (uint16_t)id[0])->kind != HV_PORT_AFXDP) {
    printf("# skip the rest: AF_XDP did not attach (%s)\n", hv_core_port(core, (uint16_t)id[0])->fallback);
    return tap_done();
  }
  uint8_t f[2048], t[2048];

  /* A broadcast from A: whole at B, C and (tagged VLAN 10) at the trunk D;
   * lent once among B and C, copied for D (its tag pushed on the way). */
  uint64_t l0 = lent(1) + lent(2);
  uint32_t n = frame(f, -1, 0, 1, 100);
  send_from(0, f, n);
  for (int k = 1; k < 3; k++) {
    CHECK_EQ(recv_on(k), (int)n);
    CHECK(memcmp(out, f, n) == 0);
  }
  uint32_t tn = mk_frame(t, MAC_BCAST, MAC_A, 10, 0x88b5, 100);
  memcpy(t + 18, f + 14, 4);
  CHECK_EQ(recv_on(3), (int)tn);
  CHECK(memcmp(out, t, tn) == 0);
  CHECK_EQ(recv_on(4), (int)n); /* and untagged at the AF_PACKET port, not counted as lent */
  CHECK(memcmp(out, f, n) == 0);
  CHECK_EQ(lent(1) + lent(2) - l0, 1);
  CHECK_EQ(lent(3), 0);
  CHECK_EQ(lent(4), 0);

  /* Learned unicast both ways between A and B, sizes 60..1514: every frame
   * whole, in order, lent; nothing at C. */
  n = frame(f, -1, 1, 2, 100); /* B's MAC learned */
  send_from(1, f, n);
  for (int k = 0; k < NPORTS; k++)
    if (k != 1) CHECK(recv_on(k) > 0);
  uint64_t la = lent(0), lb = lent(1);
  int bad = 0;
  for (uint32_t i = 0; i < 400; i++) {
    int from = i & 1, to = !from;
    n = frame(f, to, from, 1000 + i, 46 + (i * 37) % 1455);
    send_from(from, f, n);
    if (recv_on(to) != (int)n || memcmp(out, f, n) != 0) bad++;
  }
  CHECK_EQ(bad, 0);
  CHECK_EQ(lent(0) - la, 200);
  CHECK_EQ(lent(1) - lb, 200);
  CHECK(silent(2));

  /* Frames the kernel drops before the switch reads them are counted
   * (drop_rx_kernel): more frames than the port's rings or socket hold, into
   * each kind of port while the worker does not run; every frame is then
   * either received or counted. */
  for (int k = 0; k < NPORTS; k += 4) {
    uint64_t rx0 = ctr(id[k], HV_CTR_rx_packets), d0 = ctr(id[k], HV_CTR_drop_rx_kernel);
    const uint32_t sent = k == 0 ? 6000 : 40000;
    for (uint32_t i = 0; i < sent; i++) {
      n = frame(f, 2, k, 20000 + i, 100);
      send_from(k, f, n);
    }
    for (int i = 0; i < 400; i++) hv_core_poll_once(core, 0);
    silent(2);
    uint64_t rx = ctr(id[k], HV_CTR_rx_packets) - rx0, dropped = ctr(id[k], HV_CTR_drop_rx_kernel) - d0;
    printf("# %s: %u sent, %llu received, %llu dropped by the kernel\n", DEV[k], sent, (unsigned long long)rx,
           (unsigned long long)dropped);
    CHECK(dropped > 0);
    CHECK_EQ(rx + dropped, sent);
  }

  /* Bursts of 64 from A to B, B's port removed right after the worker
   * lent them (frames in its tx ring), added again: 20 rounds. */
  for (int round = 0; round < 20; round++) {
    for (uint32_t i = 0; i < 64; i++) {
      n = frame(f, round & 1 ? -1 : 1, 0, 5000 + i, 200);
      send_from(0, f, n);
    }
    hv_core_poll_once(core, 0);
    CHECK_EQ(hv_core_port_del(core, (uint16_t)id[1]), 0);
    id[1] = add_xdp(1, 0);
    CHECK(id[1] >= 0);
    for (int k = 0; k < NPORTS; k++) silent(k); /* what was in flight, and the floods */
    accounted("after a port was removed and added");
  }
  /* and it forwards: a broadcast from B reaches A whole, then unicast */
  n = frame(f, -1, 1, 9000, 300);
  send_from(1, f, n);
  CHECK_EQ(recv_on(0), (int)n);
  CHECK(memcmp(out, f, n) == 0);
  n = frame(f, 1, 0, 9001, 300);
  send_from(0, f, n);
  CHECK_EQ(recv_on(1), (int)n);
  CHECK(memcmp(out, f, n) == 0);

  for (int k = 0; k < NPORTS; k++) CHECK_EQ(hv_core_port_del(core, (uint16_t)id[k]), 0);
  uint32_t lost;
  CHECK_EQ(hv_xsk_share_groups(&core->xsk_share[0], &lost), 0); /* the last port took its group with it */
  hv_core_destroy(core);
  two_workers();
  return tap_done();
}
