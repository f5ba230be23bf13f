/* hvgen — the benchmark's traffic generator: Ethernet/IPv4/UDP frames pushed
 * through an AF_PACKET TX ring (TPACKET_V2) on one interface.
 *
 * Why a TX ring: one sendto() hands the kernel a whole batch of frames that
 * were written in place, so the generator costs little CPU per frame and the
 * CPU it shares with the sender side of a veth pair goes to the traffic.  The
 * kick is non-blocking (MSG_DONTWAIT): a blocking kick waits until every
 * in-flight skb is freed and turns the generator into stop-and-wait whenever
 * the receive side runs on another CPU.
 *
 * Frames: destination MAC fixed (the sink, which owns the MAC but not the IP,
 * so it drops the frames in routing without answering; or the router's MAC in
 * a routed scenario), destination IP fixed or (-n N) cycled over N addresses
 * 256 apart — one per /24 from -D on, visited in a scattered order (j·P mod N,
 * P a prime that divides no N given here) so that consecutive frames hit
 * distant FIB entries (many-routes scenario) — source MAC cycled over N
 * addresses (many-MACs scenario), an optional 802.1Q tag, and a size
 * mix: `64` (64 B on the wire with FCS, 60 B frame) or `imix` (the simple
 * IMIX 7:4:1 of 64, 594 and 1518 B on the wire).  A tag adds 4 B.
 * Rate: flat out, or paced to -r frames/s (token bucket, checked per batch).
 *
 * Output on exit (SIGTERM/SIGINT or -t elapsed): one JSON line with frames
 * queued and the kernel's send errors; the harness counts at the sink.
 *
 * Not supported: IPv6, TCP. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FRAME_SIZE 2048
#define FRAME_NR 1024
#define BATCH 64
#define MAX_SIZES 16

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what) {
  fprintf(stderr, "hvgen: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void usage(void) {
  fprintf(stderr,
          "usage: hvgen -i IFNAME -d DSTMAC [-s SRCMAC] [-S SRCIP] [-D DSTIP] [-n NDSTS] [-m NMACS]\n"
          "             [-v VLAN] [-l 64|imix|BYTES] [-r PPS] [-t SECONDS] [-c CPU]\n");
  exit(2);
}

static int parse_mac(const char *s, uint8_t m[6]) {
  unsigned b[6];
  if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6) return -1;
  for (int i = 0; i < 6; i++) m[i] = (uint8_t)b[i];
  return 0;
}

static uint16_t ip_csum(const uint8_t *h, int len) {
  uint32_t s = 0;
  for (int i = 0; i < len; i += 2) s += (uint32_t)(h[i] << 8 | h[i + 1]);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return (uint16_t)~s;
}

/* One frame template per size in the mix (the source MAC is patched per frame). */
struct tmpl {
  uint8_t bytes[1600];
  uint32_t len;
};

static void build(struct tmpl *t, uint32_t wire, const uint8_t dst[6], const uint8_t src[6],
                  int vlan, uint32_t sip, uint32_t dip) {
  uint8_t *p = t->bytes;
  uint32_t len = wire - 4 + (vlan ? 4 : 0); /* no FCS in the buffer; a tag adds 4 */
  uint32_t l2 = vlan ? 18 : 14;
  memset(p, 0, sizeof t->bytes);
  memcpy(p, dst, 6);
  memcpy(p + 6, src, 6);
  if (vlan) {
    p[12] = 0x81, p[13] = 0x00, p[14] = (uint8_t)(vlan >> 8), p[15] = (uint8_t)vlan;
    p[16] = 0x08, p[17] = 0x00;
  } else {
    p[12] = 0x08, p[13] = 0x00;
  }
  uint8_t *ip = p + l2;
  uint32_t iplen = len - l2;
  ip[0] = 0x45, ip[2] = (uint8_t)(iplen >> 8), ip[3] = (uint8_t)iplen;
  ip[6] = 0x40, ip[8] = 64, ip[9] = 17; /* DF, TTL 64, UDP */
  uint32_t s = htonl(sip), d = htonl(dip);
  memcpy(ip + 12, &s, 4);
  memcpy(ip + 16, &d, 4);
  uint16_t c = ip_csum(ip, 20);
  ip[10] = (uint8_t)(c >> 8), ip[11] = (uint8_t)c;
  uint8_t *udp = ip + 20;
  uint32_t ulen = iplen - 20;
  udp[0] = 0x9c, udp[1] = 0x40, udp[2] = 0x23, udp[3] = 0x82; /* 40000 -> 9090 */
  udp[4] = (uint8_t)(ulen >> 8), udp[5] = (uint8_t)ulen;     /* checksum 0: none (IPv4) */
  t->len = len;
}

int main(int argc, char **argv) {
  const char *ifname = NULL, *sizes = "64";
  uint8_t dst[6], src[6] = {0x02, 0x42, 0x00, 0x00, 0x00, 0x01};
  int have_dst = 0, vlan = 0, cpu = -1;
  uint32_t nmacs = 1, ndst = 1, sip = 0xc6120001, dip = 0xc6120063; /* 198.18.0.1 -> 198.18.0.99 */
  double rate = 0, seconds = 0;
  int opt;
  while ((opt = getopt(argc, argv, "i:d:s:S:D:n:m:v:l:r:t:c:")) != -1) {
    struct in_addr a;
    switch (opt) {
      case 'i': ifname = optarg; break;
      case 'd': if (parse_mac(optarg, dst)) usage(); have_dst = 1; break;
      case 's': if (parse_mac(optarg, src)) usage(); break;
      case 'S': if (!inet_aton(optarg, &a)) usage(); sip = ntohl(a.s_addr); break;
      case 'D': if (!inet_aton(optarg, &a)) usage(); dip = ntohl(a.s_addr); break;
      case 'n': ndst = (uint32_t)strtoul(optarg, NULL, 0); break;
      case 'm': nmacs = (uint32_t)strtoul(optarg, NULL, 0); break;
      case 'v': vlan = atoi(optarg); break;
      case 'l': sizes = optarg; break;
      case 'r': rate = atof(optarg); break;
      case 't': seconds = atof(optarg); break;
      case 'c': cpu = atoi(optarg); break;
      default: usage();
    }
  }
  /* 999983 is prime: coprime with any N it does not divide, so j*P mod N visits all of 0..N-1 */
  const uint64_t stride = 999983;
  if (ndst > (1u << 24) || (ndst > 1 && ndst % stride == 0)) usage();
  if (!ifname || !have_dst || nmacs == 0 || ndst == 0 || vlan < 0 || vlan > 4094) usage();
  if (cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set)) die("sched_setaffinity");
  }

  /* The size mix, as a repeating sequence of template indices. */
  static struct tmpl tmpl[MAX_SIZES];
  uint8_t seq[64];
  int ntmpl = 0, nseq = 0;
  if (!strcmp(sizes, "imix")) {
    const uint32_t wire[3] = {64, 594, 1518};
    for (int i = 0; i < 3; i++) build(&tmpl[ntmpl++], wire[i], dst, src, vlan, sip, dip);
    /* 7:4:1, interleaved so that any short stretch of traffic has the mix */
    const int order[12] = {0, 1, 0, 0, 1, 0, 2, 0, 1, 0, 1, 0};
    for (int i = 0; i < 12; i++) seq[nseq++] = (uint8_t)order[i];
  } else {
    uint32_t w = (uint32_t)atoi(sizes);
    if (w < 64 || w > 1518) usage();
    build(&tmpl[ntmpl++], w, dst, src, vlan, sip, dip);
    seq[nseq++] = 0;
  }

  int fd = socket(AF_PACKET, SOCK_RAW, 0); /* protocol 0: transmit only, never receives */
  if (fd < 0) die("socket");
  int ver = TPACKET_V2, one = 1;
  if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &ver, sizeof ver)) die("PACKET_VERSION");
  setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
  struct tpacket_req req = {.tp_block_size = FRAME_SIZE * 16, .tp_block_nr = FRAME_NR / 16,
                            .tp_frame_size = FRAME_SIZE, .tp_frame_nr = FRAME_NR};
  if (setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof req)) die("PACKET_TX_RING");
  uint8_t *ring = mmap(NULL, (size_t)FRAME_SIZE * FRAME_NR, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (ring == MAP_FAILED) die("mmap");
  struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_ifindex = (int)if_nametoindex(ifname)};
  if (!sll.sll_ifindex) die(ifname);
  if (bind(fd, (struct sockaddr *)&sll, sizeof sll)) die("bind");

  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  const size_t data_off = TPACKET2_HDRLEN - sizeof(struct sockaddr_ll);
  uint64_t queued = 0, kick_errors = 0, wrong_format = 0, bytes = 0;
  uint32_t slot = 0, mac_i = 0, seq_i = 0, dst_i = 0;
  const uint32_t l3 = vlan ? 18 : 14;
  double t0 = now_s(), end = seconds > 0 ? t0 + seconds : 0;
  while (!stop) {
    double t = now_s();
    if (end && t >= end) break;
    int budget = BATCH;
    if (rate > 0) { /* token bucket: never more than the elapsed time allows */
      double allowed = (t - t0) * rate - (double)queued;
      if (allowed < 1) {
        struct timespec ts = {0, 20000};
        nanosleep(&ts, NULL);
        continue;
      }
      if (allowed < budget) budget = (int)allowed;
    }
    int n = 0;
    while (n < budget) {
      struct tpacket2_hdr *h = (struct tpacket2_hdr *)(ring + (size_t)slot * FRAME_SIZE);
      uint32_t st = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
      if (st & TP_STATUS_WRONG_FORMAT) wrong_format++;
      else if (st != TP_STATUS_AVAILABLE) break; /* ring full: kick and come back */
      const struct tmpl *tp = &tmpl[seq[seq_i]];
      seq_i = seq_i + 1 == (uint32_t)nseq ? 0 : seq_i + 1;
      uint8_t *f = (uint8_t *)h + data_off;
      memcpy(f, tp->bytes, tp->len);
      if (nmacs > 1) { /* 02:42:ii:ii:ii:ii, ii = index: unicast, locally administered */
        f[8] = (uint8_t)(mac_i >> 24), f[9] = (uint8_t)(mac_i >> 16);
        f[10] = (uint8_t)(mac_i >> 8), f[11] = (uint8_t)mac_i;
        mac_i = mac_i + 1 == nmacs ? 0 : mac_i + 1;
      }
      if (ndst > 1) { /* destination dip + 256*(dst_i*P mod N), header checksum redone */
        uint32_t d = htonl(dip + (uint32_t)(((uint64_t)dst_i * stride) % ndst) * 256u);
        uint8_t *ip = f + l3;
        memcpy(ip + 16, &d, 4);
        ip[10] = ip[11] = 0;
        uint16_t c = ip_csum(ip, 20);
        ip[10] = (uint8_t)(c >> 8), ip[11] = (uint8_t)c;
        dst_i = dst_i + 1 == ndst ? 0 : dst_i + 1;
      }
      h->tp_len = tp->len;
      bytes += tp->len;
      __atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
      slot = slot + 1 == FRAME_NR ? 0 : slot + 1;
      n++;
    }
    if (sendto(fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 && errno != EAGAIN && errno != ENOBUFS)
      kick_errors++;
    queued += (uint64_t)n;
    if (n == 0) { /* ring full of frames the kernel has not taken yet */
      struct pollfd p = {fd, POLLOUT, 0};
      poll(&p, 1, 1);
    }
  }
  /* Let the kernel take what is still in the ring before reporting. */
  sendto(fd, NULL, 0, 0, NULL, 0);
  double el = now_s() - t0;
  printf("{\"queued\":%llu,\"bytes\":%llu,\"seconds\":%.3f,\"kick_errors\":%llu,\"wrong_format\":%llu}\n",
         (unsigned long long)queued, (unsigned long long)bytes, el, (unsigned long long)kick_errors,
         (unsigned long long)wrong_format);
  return 0;
}
