/* udpsink — the `vpn-encap` scenario's stand-in for PE B's data plane: it
 * receives the MPLS-in-UDP datagrams PE A sends to port 6635 and drops them,
 * counting each datagram.
 *
 * PE A sends a run of equal-size datagrams as one UDP GSO send, and across the
 * veth the run stays one skb: the interface and the UDP MIB count it once.  So
 * the socket has UDP_GRO, as hvswitch's own MPLS receive socket: a run arrives
 * whole, with its segment size in a cmsg, and is counted as ceil(len / size)
 * datagrams — no segmentation in the kernel, the cost of a real PE B's receive.
 *
 * The counts live in a file mapped shared (-c FILE, 64 bytes): the harness reads
 * them at a window's edges without a syscall here.  Layout, little endian u64:
 *   [0] datagrams  [1] bytes of MPLS payload (label stack + inner packet)
 *   [2] receive calls' messages (skbs)  [3] the last datagram's first label
 *   stack entry (label << 12 | tc << 9 | s << 8 | ttl)  [4] datagrams whose
 *   payload is shorter than one label stack entry
 *
 * usage: udpsink -a ADDR [-p PORT] -c FILE */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef UDP_GRO
#define UDP_GRO 104
#endif
#ifndef SOL_UDP
#define SOL_UDP 17
#endif

#define VLEN 32
#define BUFSZ 65536

static volatile sig_atomic_t stop_flag;
static void on_signal(int s) { (void)s; stop_flag = 1; }

int main(int argc, char **argv) {
  const char *addr = NULL, *file = NULL;
  int port = 6635, c;
  while ((c = getopt(argc, argv, "a:p:c:")) != -1) {
    if (c == 'a') addr = optarg;
    else if (c == 'p') port = atoi(optarg);
    else if (c == 'c') file = optarg;
    else return 2;
  }
  if (!addr || !file) { fprintf(stderr, "usage: udpsink -a ADDR [-p PORT] -c FILE\n"); return 2; }
  int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || ftruncate(fd, 64) < 0) { perror(file); return 1; }
  volatile uint64_t *cnt = mmap(NULL, 64, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (cnt == MAP_FAILED) { perror("mmap"); return 1; }
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  int one = 1, buf = 8 << 20;
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
  if (s < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1) { perror("socket/address"); return 1; }
  if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf) < 0) setsockopt(s, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  if (setsockopt(s, SOL_UDP, UDP_GRO, &one, sizeof one) < 0) { perror("UDP_GRO"); return 1; }
  if (bind(s, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("bind"); return 1; }
  struct sigaction act = { .sa_handler = on_signal }; /* no SA_RESTART: a signal ends recvmmsg */
  sigaction(SIGTERM, &act, NULL);
  sigaction(SIGINT, &act, NULL);
  static uint8_t bufs[VLEN][BUFSZ];
  static uint8_t ctl[VLEN][CMSG_SPACE(sizeof(int))];
  struct mmsghdr msgs[VLEN];
  struct iovec iov[VLEN];
  printf("{\"listening\":\"%s:%d\"}\n", addr, port);
  fflush(stdout);
  while (!stop_flag) {
    for (int i = 0; i < VLEN; i++) {
      iov[i] = (struct iovec){ .iov_base = bufs[i], .iov_len = BUFSZ };
      msgs[i].msg_hdr = (struct msghdr){ .msg_iov = &iov[i], .msg_iovlen = 1, .msg_control = ctl[i], .msg_controllen = sizeof ctl[i] };
    }
    int n = recvmmsg(s, msgs, VLEN, MSG_WAITFORONE, NULL);
    if (n <= 0) continue;
    uint64_t dg = 0, bytes = 0, shortp = 0;
    uint32_t lse = 0;
    for (int i = 0; i < n; i++) {
      unsigned len = msgs[i].msg_len, seg = len;
      for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msgs[i].msg_hdr); cm; cm = CMSG_NXTHDR(&msgs[i].msg_hdr, cm))
        if (cm->cmsg_level == SOL_UDP && cm->cmsg_type == UDP_GRO) { int g; memcpy(&g, CMSG_DATA(cm), sizeof g); if (g > 0) seg = (unsigned)g; }
      uint64_t k = seg ? (len + seg - 1) / seg : 1;
      dg += k ? k : 1;
      bytes += len;
      if (len < 4) shortp++;
      else lse = (uint32_t)bufs[i][0] << 24 | (uint32_t)bufs[i][1] << 16 | (uint32_t)bufs[i][2] << 8 | bufs[i][3];
    }
    cnt[1] += bytes;
    cnt[2] += (uint64_t)n;
    if (lse) cnt[3] = lse;
    cnt[4] += shortp;
    __atomic_store_n(&cnt[0], cnt[0] + dg, __ATOMIC_RELEASE);
  }
  return 0;
}
