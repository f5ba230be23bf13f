/* AF_PACKET backend on an existing interface (veth, physical NIC).
 *  rx: TPACKET_V3 ring (blocks of variable-size frames, zero copy: frames are
 *      processed in place and the block is handed back after the batch is sent);
 *      the kernel strips 802.1Q tags into tp_vlan_tci, and we put them back in
 *      the packet's metadata (TP_STATUS_VLAN_VALID).
 *  tx: sendmmsg() of iovecs over the received bytes, PACKET_QDISC_BYPASS.
 *  PACKET_VNET_HDR on both sides carries partial checksums and GSO through.
 * Trade-off: a V3 block reaches user space when it fills or its retire timer
 * fires, so an idle link pays up to `ring_timeout_ms` of latency. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "port.h"

struct port_afp {
  struct hv_port p;
  uint8_t *ring;
  size_t ring_len;
  uint32_t block_size, block_nr;
  uint32_t cur;        /* block being consumed */
  uint32_t remaining;  /* frames left in it (valid when `active`) */
  int active;
  struct tpacket3_hdr *next;
  uint32_t pending[HV_BATCH + 1]; /* blocks to hand back in rx_done */
  uint32_t npending;
};

static inline struct tpacket_block_desc *block(struct port_afp *a, uint32_t i) {
  return (struct tpacket_block_desc *)(a->ring + (size_t)i * a->block_size);
}

static uint16_t get16le(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

static int afp_rx_burst(struct hv_port *hp, struct hv_pkt *pkts, int max, uint8_t *bufs,
                        uint32_t buf_size) {
  struct port_afp *a = (struct port_afp *)hp;
  int n = 0;
  while (n < max && a->npending < HV_BATCH) {
    if (!a->active) {
      struct tpacket_block_desc *bd = block(a, a->cur);
      if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER)) break;
      a->remaining = bd->hdr.bh1.num_pkts;
      a->next = (struct tpacket3_hdr *)((uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt);
      a->active = 1;
    }
    while (a->remaining && n < max) {
      struct tpacket3_hdr *h = a->next;
      struct hv_pkt *pkt = &pkts[n++];
      memset(pkt, 0, sizeof *pkt);
      uint8_t *frame = (uint8_t *)h + h->tp_mac;
      const uint8_t *vh = frame - HV_VNET_HDR_LEN;
      pkt->vnet.flags = vh[0];
      pkt->vnet.gso_type = vh[1];
      pkt->vnet.hdr_len = get16le(vh + 2);
      pkt->vnet.gso_size = get16le(vh + 4);
      pkt->vnet.csum_start = get16le(vh + 6);
      pkt->vnet.csum_offset = get16le(vh + 8);
      pkt->has_vnet = 1;
      pkt->data = frame;
      pkt->len = h->tp_snaplen;
      if (h->tp_snaplen < h->tp_len) pkt->drop = HV_CTR_drop_truncated;
      if (h->tp_status & TP_STATUS_VLAN_VALID) {
        pkt->tagged = 1;
        pkt->tci = (uint16_t)h->hv1.tp_vlan_tci;
      }
      a->next = (struct tpacket3_hdr *)((uint8_t *)h + h->tp_next_offset);
      a->remaining--;
    }
    if (a->remaining == 0) {
      a->pending[a->npending++] = a->cur;
      a->cur = (a->cur + 1) % a->block_nr;
      a->active = 0;
    }
  }
  return n;
}

static void afp_rx_done(struct hv_port *hp) {
  struct port_afp *a = (struct port_afp *)hp;
  for (uint32_t i = 0; i < a->npending; i++)
    __atomic_store_n(&block(a, a->pending[i])->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
  a->npending = 0;
}

static int afp_tx_burst(struct hv_port *hp, const struct hv_txreq *reqs, int n) {
  struct mmsghdr msgs[HV_BATCH];
  struct iovec iov[HV_BATCH][4];
  uint8_t hdr[HV_BATCH][HV_VNET_HDR_LEN], tag[HV_BATCH][HV_VLAN_HLEN];
  int sent = 0;
  while (sent < n) {
    int m = 0;
    for (int i = sent; i < n && m < HV_BATCH; i++) {
      uint32_t len;
      int cnt = hv_tx_iov(&reqs[i], 1, hdr[m], tag[m], iov[m], &len);
      memset(&msgs[m], 0, sizeof msgs[m]);
      msgs[m].msg_hdr.msg_iov = iov[m];
      msgs[m].msg_hdr.msg_iovlen = (size_t)cnt;
      m++;
    }
    int r = sendmmsg(hp->fd, msgs, (unsigned)m, MSG_DONTWAIT);
    if (r <= 0) {
      /* The first frame failed (queue full, or the kernel refused it): skip it. */
      if (r < 0 && errno != EAGAIN && errno != ENOBUFS && errno != EINVAL && errno != EMSGSIZE)
        break;
      return sent; /* caller counts the rest as tx drops */
    }
    sent += r;
    if (r < m) break;
  }
  return sent;
}

static void afp_close(struct hv_port *hp) {
  struct port_afp *a = (struct port_afp *)hp;
  if (a->ring) munmap(a->ring, a->ring_len);
  if (hp->fd >= 0) close(hp->fd);
  free(a);
}

static const struct hv_port_ops afp_ops = {afp_rx_burst, afp_rx_done, afp_tx_burst, afp_close};

#define FAIL(...)                          \
  do {                                     \
    snprintf(err, errlen, __VA_ARGS__);    \
    goto fail;                             \
  } while (0)

struct hv_port *hv_port_afpacket_open(const struct hv_port_open_params *pp, char *err, size_t errlen) {
  struct port_afp *a = calloc(1, sizeof *a);
  if (!a) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  a->p.fd = -1;
  unsigned ifindex = if_nametoindex(pp->name);
  if (!ifindex) FAIL("af_packet %s: no such interface", pp->name);
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_ALL));
  if (fd < 0) FAIL("af_packet %s: socket: %s", pp->name, strerror(errno));
  a->p.fd = fd;
  int v3 = TPACKET_V3, one = 1, sndbuf = 4 << 20;
  if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v3, sizeof v3) < 0)
    FAIL("af_packet %s: PACKET_VERSION: %s", pp->name, strerror(errno));
  if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof one) < 0)
    FAIL("af_packet %s: PACKET_VNET_HDR: %s", pp->name, strerror(errno));
  if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one) < 0)
    FAIL("af_packet %s: PACKET_QDISC_BYPASS: %s", pp->name, strerror(errno));
  if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) < 0)
    FAIL("af_packet %s: PACKET_IGNORE_OUTGOING: %s", pp->name, strerror(errno));
  setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf);
  a->block_nr = pp->ring_blocks ? pp->ring_blocks : 64;
  a->block_size = (pp->ring_block_kb ? pp->ring_block_kb : 256) * 1024;
  struct tpacket_req3 req;
  memset(&req, 0, sizeof req);
  req.tp_block_size = a->block_size;
  req.tp_block_nr = a->block_nr;
  req.tp_frame_size = 2048;
  req.tp_frame_nr = (a->block_size / 2048) * a->block_nr;
  req.tp_retire_blk_tov = pp->ring_timeout_ms ? pp->ring_timeout_ms : 1;
  if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0)
    FAIL("af_packet %s: PACKET_RX_RING: %s", pp->name, strerror(errno));
  a->ring_len = (size_t)a->block_size * a->block_nr;
  a->ring = mmap(NULL, a->ring_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, fd, 0);
  if (a->ring == MAP_FAILED) a->ring = mmap(NULL, a->ring_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (a->ring == MAP_FAILED) {
    a->ring = NULL;
    FAIL("af_packet %s: mmap ring: %s", pp->name, strerror(errno));
  }
  struct sockaddr_ll sll;
  memset(&sll, 0, sizeof sll);
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ALL);
  sll.sll_ifindex = (int)ifindex;
  if (bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0)
    FAIL("af_packet %s: bind: %s", pp->name, strerror(errno));
  a->p.ops = &afp_ops;
  a->p.kind = HV_PORT_AFPACKET;
  a->p.mtu = pp->mtu ? pp->mtu : 1500;
  snprintf(a->p.name, sizeof a->p.name, "%s", pp->name);
  return &a->p;
fail:
  afp_close(&a->p);
  return NULL;
}
