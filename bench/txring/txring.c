/* Transmit on an AF_PACKET socket two ways, CPU per frame: sendmmsg() of 64
 * messages (the switch's AF_PACKET ports, port_afpacket.c) against a
 * PACKET_TX_RING (TPACKET_V2: frames written into the mmap ring, one send()
 * per 64), both with PACKET_VNET_HDR and PACKET_QDISC_BYPASS as the ports
 * have them.  The question it answers (docs/evpn-perf.md): would a TX ring
 * cut the host ports' cost per frame?  The veth's peer receives every frame
 * in this process's softirq, as a sink does in the bench, so both ways pay it.
 *
 *   txring DEV sendmmsg|ring [frame bytes, default 60] [frames, default 2000000]
 *
 * Prints the CPU (user + system, this process) per frame and the rate. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#define BURST 64
#define SLOT 2048u
#define SLOTS 2048u

static double cpu_s(void) {
  struct rusage r;
  getrusage(RUSAGE_SELF, &r);
  return (double)r.ru_utime.tv_sec + r.ru_utime.tv_usec / 1e6 + (double)r.ru_stime.tv_sec + r.ru_stime.tv_usec / 1e6;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static long via_sendmmsg(int fd, const struct virtio_net_hdr *vh, const uint8_t *frame, int len, long total) {
  struct mmsghdr m[BURST];
  struct iovec iov[BURST][2];
  for (int i = 0; i < BURST; i++) {
    iov[i][0] = (struct iovec){(void *)vh, sizeof *vh};
    iov[i][1] = (struct iovec){(void *)frame, (size_t)len};
    memset(&m[i], 0, sizeof m[i]);
    m[i].msg_hdr.msg_iov = iov[i];
    m[i].msg_hdr.msg_iovlen = 2;
  }
  long sent = 0;
  while (sent < total) {
    int r = sendmmsg(fd, m, BURST, MSG_DONTWAIT);
    if (r > 0) sent += r;
    else if (r < 0 && errno != EAGAIN && errno != ENOBUFS) return -1;
  }
  return sent;
}

static long via_ring(int fd, const struct virtio_net_hdr *vh, const uint8_t *frame, int len, long total) {
  int v = TPACKET_V2;
  struct tpacket_req req = {.tp_block_size = 1u << 16, .tp_block_nr = SLOTS * SLOT >> 16, .tp_frame_size = SLOT,
                            .tp_frame_nr = SLOTS};
  if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) ||
      setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof req))
    return -1;
  uint8_t *ring = mmap(NULL, (size_t)SLOTS * SLOT, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (ring == MAP_FAILED) return -1;
  size_t data = TPACKET2_HDRLEN - sizeof(struct sockaddr_ll);
  long sent = 0;
  unsigned cur = 0;
  while (sent < total) {
    int k = 0;
    for (; k < BURST; k++) {
      struct tpacket2_hdr *h = (struct tpacket2_hdr *)(ring + (size_t)cur * SLOT);
      if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE) break;
      uint8_t *d = (uint8_t *)h + data;
      memcpy(d, vh, sizeof *vh);
      memcpy(d + sizeof *vh, frame, (size_t)len);
      h->tp_len = (uint32_t)(sizeof *vh + (size_t)len);
      __atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
      cur = (cur + 1) % SLOTS;
    }
    if (send(fd, NULL, 0, MSG_DONTWAIT) < 0 && errno != EAGAIN && errno != ENOBUFS) return -1;
    sent += k;
  }
  return sent;
}

int main(int argc, char **argv) {
  if (argc < 3 || (strcmp(argv[2], "sendmmsg") && strcmp(argv[2], "ring"))) {
    fprintf(stderr, "usage: txring DEV sendmmsg|ring [frame bytes] [frames]\n");
    return 2;
  }
  int ring = strcmp(argv[2], "ring") == 0;
  int len = argc > 3 ? atoi(argv[3]) : 60;
  long total = argc > 4 ? atol(argv[4]) : 2000000;
  if (len < 34 || len > (int)(SLOT - 128)) {
    fprintf(stderr, "txring: frame bytes between 34 and %u\n", SLOT - 128);
    return 2;
  }
  int fd = socket(AF_PACKET, SOCK_RAW, 0), one = 1;
  struct sockaddr_ll sa = {.sll_family = AF_PACKET, .sll_ifindex = (int)if_nametoindex(argv[1])};
  if (fd < 0 || !sa.sll_ifindex || setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof one) ||
      setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one)) {
    perror("txring: socket");
    return 1;
  }
  /* an IPv4/UDP frame between two locally administered MACs */
  uint8_t frame[SLOT];
  memset(frame, 0, sizeof frame);
  memcpy(frame, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00\x45", 15);
  frame[16] = (uint8_t)((len - 14) >> 8), frame[17] = (uint8_t)(len - 14);
  frame[22] = 64, frame[23] = 17;
  struct virtio_net_hdr vh;
  memset(&vh, 0, sizeof vh);
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa)) {
    perror("txring: bind");
    return 1;
  }
  double c0 = cpu_s(), t0 = now_s();
  long sent = ring ? via_ring(fd, &vh, frame, len, total) : via_sendmmsg(fd, &vh, frame, len, total);
  if (sent < 0) {
    perror("txring: send");
    return 1;
  }
  double c = cpu_s() - c0, t = now_s() - t0;
  printf("%-8s %4d B: %ld frames, %.0f ns CPU per frame, %.2f Mpps\n", argv[2], len, sent, c / (double)sent * 1e9,
         (double)sent / t / 1e6);
  return 0;
}
