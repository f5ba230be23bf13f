/* AF_XDP backend on an existing interface (veth, TAP, physical NIC).
 *
 * One XSK per receive queue of the device, each with its own UMEM of
 * XDP_FRAMES frames of 4 KiB: the first half feeds the fill ring (receive),
 * the second half is the transmit pool.  The XDP program (xdp_prog.h)
 * redirects queue q to the XSK in slot q of its XSKMAP.  Each socket binds
 * zero-copy first (XDP_ZEROCOPY, drivers that have it) and copy mode
 * otherwise (veth, TAP, generic XDP), always with XDP_USE_NEED_WAKEUP.
 *
 * Receive: rx_burst peeks the rx rings in one batch, hands the frames out in
 * place (no copy), and rx_done gives the batch's frames back to the fill ring
 * in one reservation.  A device with several queues is polled through an
 * epoll fd holding every socket (p.fd); with one queue p.fd is the socket.
 *
 * Transmit: the frame is copied into a frame of the transmit pool (the
 * received bytes of another port cannot go out of this port's UMEM), with the
 * tag rewrite done on the way (hv_tx_iov) and the checksum completed or the
 * frame segmented in software where it carries offload metadata (gso.h):
 * AF_XDP has no virtio-net header.  The completion ring is drained in one
 * batch at the start of each burst, the tx ring written in one reservation,
 * and sendto() kicks the kernel only when the ring says it needs a wakeup
 * (copy mode always does).  Any worker may transmit on any port (docs/polling.md,
 * "More than one worker"), and an XSK's transmit ring, completion ring and
 * transmit pool take one writer at a time: a burst holds the port's tx_mu
 * (once per burst, not per frame; uncontended with one worker).  A veth or
 * TAP has one queue, and a second XSK on it would have to share this UMEM's
 * completion ring, so a socket per worker would need the same lock.  Copy mode sends at most 32 frames a kick unless
 * the socket raises that (XDP_MAX_TX_SKB_BUDGET, Linux 6.17+): we ask for
 * XDP_TX_BUDGET, so a burst of HV_BATCH frames costs one sendto() instead of
 * two; on an older kernel the burst is kicked until the ring is empty or the
 * device pushes back, as before.
 *
 * Offload metadata on receive: an XDP frame has no skb, so a partial checksum
 * left by the sender is recovered from the bytes (rx_csum.h); no GSO frame
 * arrives (native XDP on veth turns off the peer's TSO; a larger frame than a
 * UMEM frame is dropped by the kernel and counted in its XDP statistics).
 * VLAN tags stay in the frame (XDP sees the wire bytes), so the parser finds
 * them in the data: the same packet metadata as AF_PACKET gives. */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xdp/xsk.h>

#include "gso.h"
#include "port.h"
#include "rx_csum.h"
#include "xdp_prog.h"

#define XDP_FRAME 4096u
#define XDP_FRAMES 4096u           /* per queue: half receive, half transmit */
#define XDP_RING (XDP_FRAMES / 2)  /* every ring's size */
#define XDP_HEADROOM 64u           /* in front of a received frame: room for a tag to be written back */
#define XDP_MAXQ 16
#define XDP_TX_MAX (XDP_FRAME - XDP_HEADROOM)
#define KICKS_MAX 64               /* sendto() calls per burst at most (32 frames each in copy mode) */
#define XDP_TX_BUDGET 256u         /* copy mode: frames one sendto() may send (XDP_MAX_TX_SKB_BUDGET) */
#ifndef XDP_MAX_TX_SKB_BUDGET
#define XDP_MAX_TX_SKB_BUDGET 9    /* <linux/if_xdp.h> of Linux 6.17 */
#endif

struct xq {
  struct xsk_socket *xsk;
  struct xsk_umem *umem;
  uint8_t *area;
  struct xsk_ring_cons rx, cq;
  struct xsk_ring_prod tx, fq;
  uint64_t free[XDP_RING]; /* transmit frames not in flight */
  uint32_t nfree;
  int fd;
};

struct rx_ref {
  uint64_t addr;
  uint32_t q;
};

struct port_xdp {
  struct hv_port p;
  struct hv_xdp_prog prog;
  uint32_t nq, next_q;
  int epfd;
  int promisc_fd; /* a packet socket that receives nothing, holding the device promiscuous */
  int zerocopy;
  pthread_mutex_t tx_mu; /* transmit side: q[0]'s tx ring, completion ring, pool; gso_in/gso_out */
  struct rx_ref held[HV_BATCH]; /* frames handed out by rx_burst, back to the fill rings in rx_done */
  uint32_t nheld;
  uint8_t gso_in[HV_MAX_FRAME];              /* a GSO frame, tag rewritten, to segment */
  uint8_t gso_out[HV_MAX_FRAME + 64 * 128];  /* its segments (each with its own headers) */
  struct xq q[XDP_MAXQ];
};

static int xq_rx(struct port_xdp *x, struct xq *q, uint32_t qi, struct hv_pkt *pkts, int max) {
  uint32_t idx;
  uint32_t got = xsk_ring_cons__peek(&q->rx, (uint32_t)max, &idx);
  for (uint32_t i = 0; i < got; i++) {
    const struct xdp_desc *d = xsk_ring_cons__rx_desc(&q->rx, idx + i);
    struct hv_pkt *pkt = &pkts[i];
    memset(pkt, 0, sizeof *pkt);
    pkt->data = xsk_umem__get_data(q->area, d->addr);
    pkt->len = d->len;
    hv_rx_csum_recover(pkt);
    x->held[x->nheld++] = (struct rx_ref){d->addr, qi};
  }
  if (got) xsk_ring_cons__release(&q->rx, got);
  return (int)got;
}

static int xdp_rx_burst(struct hv_port *hp, struct hv_pkt *pkts, int max, uint8_t *bufs, uint32_t buf_size) {
  struct port_xdp *x = (struct port_xdp *)hp;
  int n = 0;
  if (max > HV_BATCH) max = HV_BATCH;
  for (uint32_t k = 0; k < x->nq && n < max && x->nheld < HV_BATCH; k++) {
    uint32_t qi = (x->next_q + k) % x->nq;
    int room = max - n;
    if ((uint32_t)room > HV_BATCH - x->nheld) room = (int)(HV_BATCH - x->nheld);
    n += xq_rx(x, &x->q[qi], qi, pkts + n, room);
  }
  x->next_q = (x->next_q + 1) % x->nq; /* no queue starves another */
  return n;
}

/* The frames of the last burst go back to their fill rings, one reservation
 * per queue (a burst usually comes from one). */
static void xdp_rx_done(struct hv_port *hp) {
  struct port_xdp *x = (struct port_xdp *)hp;
  for (uint32_t qi = 0; qi < x->nq && x->nheld; qi++) {
    struct xq *q = &x->q[qi];
    uint32_t cnt = 0, idx;
    for (uint32_t i = 0; i < x->nheld; i++) cnt += x->held[i].q == qi;
    if (!cnt) continue;
    /* The fill ring holds every receive frame: the room is always there. */
    if (xsk_ring_prod__reserve(&q->fq, cnt, &idx) != cnt) continue;
    for (uint32_t i = 0; i < x->nheld; i++)
      if (x->held[i].q == qi) *xsk_ring_prod__fill_addr(&q->fq, idx++) = x->held[i].addr;
    xsk_ring_prod__submit(&q->fq, cnt);
    if (xsk_ring_prod__needs_wakeup(&q->fq)) recvfrom(q->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
  }
  x->nheld = 0;
}

static void xq_complete(struct xq *q) {
  uint32_t idx;
  uint32_t done = xsk_ring_cons__peek(&q->cq, XDP_RING, &idx);
  for (uint32_t i = 0; i < done; i++) q->free[q->nfree++] = *xsk_ring_cons__comp_addr(&q->cq, idx + i);
  if (done) xsk_ring_cons__release(&q->cq, done);
}

static void xq_kick(struct xq *q) {
  for (int k = 0; k < KICKS_MAX && xsk_ring_prod__needs_wakeup(&q->tx); k++) {
    if (sendto(q->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0) {
      /* copy mode sends up to 32 a call: again while the ring holds more */
      if (xsk_prod_nb_free(&q->tx, XDP_RING) >= XDP_RING) break;
      continue;
    }
    if (errno != EAGAIN && errno != EBUSY && errno != ENOBUFS) break;
    xq_complete(q);
    if (xsk_prod_nb_free(&q->tx, XDP_RING) >= XDP_RING) break;
  }
}

/* One frame into transmit frames of `q` (several when it is segmented);
 * returns the descriptors written to `out`, 0 if it could not be sent. */
static uint32_t frame_to_umem(struct port_xdp *x, struct xq *q, const struct hv_txreq *r, struct xdp_desc *out,
                              uint32_t room) {
  uint8_t hdr[HV_VNET_HDR_LEN], tag[HV_VLAN_HLEN];
  struct iovec iov[HV_TX_IOV_MAX];
  uint32_t len;
  int cnt = hv_tx_iov(r, 1, hdr, tag, iov, &len);
  if (cnt < 2 || !q->nfree || !room) return 0;
  struct hv_vnet_hdr v = {hdr[0], hdr[1], (uint16_t)(hdr[2] | hdr[3] << 8), (uint16_t)(hdr[4] | hdr[5] << 8),
                          (uint16_t)(hdr[6] | hdr[7] << 8), (uint16_t)(hdr[8] | hdr[9] << 8)};
  uint8_t *dst = len <= XDP_TX_MAX ? xsk_umem__get_data(q->area, q->free[q->nfree - 1]) : x->gso_in;
  if (len > sizeof x->gso_in) return 0;
  uint32_t off = 0;
  for (int i = 1; i < cnt; i++) {
    memcpy(dst + off, iov[i].iov_base, iov[i].iov_len);
    off += (uint32_t)iov[i].iov_len;
  }
  if (v.gso_type == HV_VNET_GSO_NONE) {
    if (len > XDP_TX_MAX || hv_csum_complete(dst, len, &v) != HV_GSO_OK) return 0;
    out[0] = (struct xdp_desc){q->free[--q->nfree], len, 0};
    return 1;
  }
  /* A GSO frame: segmented from its copy into gso_out, each segment then
   * into its own transmit frame. */
  struct hv_seg segs[64];
  int ns = hv_gso_segment(dst, len, &v, x->gso_out, (uint32_t)sizeof x->gso_out, segs, 64);
  if (ns <= 0 || (uint32_t)ns > q->nfree || (uint32_t)ns > room) return 0;
  for (int i = 0; i < ns; i++) {
    if (segs[i].len > XDP_TX_MAX) return 0;
  }
  for (int i = 0; i < ns; i++) {
    uint64_t a = q->free[--q->nfree];
    memcpy(xsk_umem__get_data(q->area, a), x->gso_out + segs[i].off, segs[i].len);
    out[i] = (struct xdp_desc){a, segs[i].len, 0};
  }
  return (uint32_t)ns;
}

static int xdp_tx_burst(struct hv_port *hp, const struct hv_txreq *reqs, int n) {
  struct port_xdp *x = (struct port_xdp *)hp;
  struct xq *q = &x->q[0];
  struct xdp_desc descs[XDP_RING];
  uint32_t nd = 0, idx;
  int sent = 0;
  pthread_mutex_lock(&x->tx_mu);
  xq_complete(q);
  uint32_t room = xsk_prod_nb_free(&q->tx, XDP_RING);
  if (room > XDP_RING) room = XDP_RING;
  for (int i = 0; i < n; i++) {
    uint32_t k = frame_to_umem(x, q, &reqs[i], descs + nd, room - nd);
    nd += k;
    sent += k != 0;
  }
  if (nd && xsk_ring_prod__reserve(&q->tx, nd, &idx) == nd) {
    for (uint32_t i = 0; i < nd; i++) *xsk_ring_prod__tx_desc(&q->tx, idx + i) = descs[i];
    xsk_ring_prod__submit(&q->tx, nd);
  } else if (nd) { /* cannot happen: room was checked; give the frames back */
    for (uint32_t i = 0; i < nd; i++) q->free[q->nfree++] = descs[i].addr;
    sent = 0;
  }
  xq_kick(q);
  pthread_mutex_unlock(&x->tx_mu);
  return sent;
}

/* Frames still in the tx ring (the device pushed back): kick again soon. */
static int xdp_idle(struct hv_port *hp) {
  struct port_xdp *x = (struct port_xdp *)hp;
  struct xq *q = &x->q[0];
  if (pthread_mutex_trylock(&x->tx_mu)) return 1; /* another worker is sending: it kicks */
  xq_complete(q);
  int left = xsk_prod_nb_free(&q->tx, XDP_RING) < XDP_RING;
  if (left) xq_kick(q);
  pthread_mutex_unlock(&x->tx_mu);
  return left ? 1 : -1;
}

static void xdp_close(struct hv_port *hp) {
  struct port_xdp *x = (struct port_xdp *)hp;
  hv_xdp_prog_detach(&x->prog);
  for (uint32_t i = 0; i < XDP_MAXQ; i++) {
    struct xq *q = &x->q[i];
    if (q->xsk) xsk_socket__delete(q->xsk);
    if (q->umem) xsk_umem__delete(q->umem);
    if (q->area) munmap(q->area, (size_t)XDP_FRAMES * XDP_FRAME);
  }
  if (x->epfd >= 0) close(x->epfd);
  if (x->promisc_fd >= 0) close(x->promisc_fd);
  pthread_mutex_destroy(&x->tx_mu);
  free(x);
}

static const struct hv_port_ops xdp_ops = {xdp_rx_burst, xdp_rx_done, xdp_tx_burst, xdp_close, xdp_idle, NULL, NULL};

static int xq_socket(struct port_xdp *x, struct xq *q, const char *name, uint32_t qi, uint16_t mode) {
  struct xsk_socket_config sc;
  memset(&sc, 0, sizeof sc);
  sc.rx_size = sc.tx_size = XDP_RING;
  sc.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD;
  sc.bind_flags = (uint16_t)(mode | XDP_USE_NEED_WAKEUP);
  return xsk_socket__create(&q->xsk, name, qi, q->umem, &q->rx, &q->tx, &sc);
}

/* One queue: its UMEM, its socket (zero-copy, else copy), its slot in the
 * XSKMAP, its fill ring full. */
static int xq_open(struct port_xdp *x, uint32_t qi, const char *name, char *err, size_t errlen) {
  struct xq *q = &x->q[qi];
  size_t size = (size_t)XDP_FRAMES * XDP_FRAME;
  q->area = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (q->area == MAP_FAILED) {
    q->area = NULL;
    snprintf(err, errlen, "af_xdp %s: UMEM: %s", name, strerror(errno));
    return -1;
  }
  struct xsk_umem_config uc = {XDP_RING, XDP_RING, XDP_FRAME, XDP_HEADROOM, 0};
  int r = xsk_umem__create(&q->umem, q->area, size, &q->fq, &q->cq, &uc);
  if (r) {
    q->umem = NULL;
    snprintf(err, errlen, "af_xdp %s: UMEM registration: %s", name, strerror(-r));
    return -1;
  }
  r = xq_socket(x, q, name, qi, XDP_ZEROCOPY);
  if (r == 0) x->zerocopy = 1;
  else r = xq_socket(x, q, name, qi, XDP_COPY);
  if (r) {
    q->xsk = NULL;
    snprintf(err, errlen, "af_xdp %s: XSK on queue %u: %s", name, qi, strerror(-r));
    return -1;
  }
  q->fd = xsk_socket__fd(q->xsk);
  unsigned budget = XDP_TX_BUDGET; /* refused before 6.17 (ENOPROTOOPT): 32 a kick, the loop in xq_kick */
  if (!x->zerocopy && setsockopt(q->fd, SOL_XDP, XDP_MAX_TX_SKB_BUDGET, &budget, sizeof budget) < 0) {
  }
  if ((r = xsk_socket__update_xskmap(q->xsk, x->prog.map_fd)) != 0) {
    snprintf(err, errlen, "af_xdp %s: XSKMAP slot %u: %s", name, qi, strerror(-r));
    return -1;
  }
  uint32_t idx;
  if (xsk_ring_prod__reserve(&q->fq, XDP_RING, &idx) != XDP_RING) {
    snprintf(err, errlen, "af_xdp %s: fill ring", name);
    return -1;
  }
  for (uint32_t i = 0; i < XDP_RING; i++) *xsk_ring_prod__fill_addr(&q->fq, idx + i) = (uint64_t)i * XDP_FRAME;
  xsk_ring_prod__submit(&q->fq, XDP_RING);
  for (uint32_t i = 0; i < XDP_RING; i++) q->free[i] = (uint64_t)(XDP_RING + i) * XDP_FRAME;
  q->nfree = XDP_RING;
  return 0;
}

/* Promiscuous while the port lives, as on AF_PACKET: a NIC must hand us frames
 * for the MACs behind the port.  A packet socket of protocol 0 receives
 * nothing; its membership goes when it closes (the kernel counts them). */
static int hold_promisc(struct port_xdp *x, unsigned ifindex, char *err, size_t errlen) {
  x->promisc_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  struct packet_mreq mr;
  memset(&mr, 0, sizeof mr);
  mr.mr_ifindex = (int)ifindex;
  mr.mr_type = PACKET_MR_PROMISC;
  if (x->promisc_fd < 0 || setsockopt(x->promisc_fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) < 0) {
    snprintf(err, errlen, "af_xdp %s: promiscuous mode: %s", x->p.name, strerror(errno));
    return -1;
  }
  return 0;
}

/* p.fd: the socket of a single queue, or an epoll fd over all of them. */
static int poll_fd(struct port_xdp *x, char *err, size_t errlen) {
  if (x->nq == 1) {
    x->p.fd = x->q[0].fd;
    return 0;
  }
  if ((x->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
    snprintf(err, errlen, "af_xdp %s: epoll: %s", x->p.name, strerror(errno));
    return -1;
  }
  for (uint32_t i = 0; i < x->nq; i++) {
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
    if (epoll_ctl(x->epfd, EPOLL_CTL_ADD, x->q[i].fd, &ev) < 0) {
      snprintf(err, errlen, "af_xdp %s: epoll: %s", x->p.name, strerror(errno));
      return -1;
    }
  }
  x->p.fd = x->epfd;
  return 0;
}

struct hv_port *hv_port_afxdp_open(const struct hv_port_open_params *pp, char *err, size_t errlen) {
  struct port_xdp *x = calloc(1, sizeof *x);
  if (!x) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  pthread_mutex_init(&x->tx_mu, NULL);
  x->p.fd = x->p.fd2 = x->epfd = x->promisc_fd = -1;
  x->prog.prog_fd = x->prog.map_fd = -1;
  snprintf(x->p.name, sizeof x->p.name, "%s", pp->name);
  unsigned ifindex = if_nametoindex(pp->name);
  uint32_t mtu = hv_dev_mtu(pp->name);
  if (!ifindex) {
    snprintf(err, errlen, "af_xdp %s: no such interface", pp->name);
    goto fail;
  }
  if (mtu + 22 > XDP_TX_MAX || pp->mtu + 22 > XDP_TX_MAX) {
    snprintf(err, errlen, "af_xdp %s: MTU %u does not fit an AF_XDP frame (at most %u)", pp->name,
             mtu > pp->mtu ? mtu : pp->mtu, XDP_TX_MAX - 22);
    goto fail;
  }
  x->nq = hv_dev_rx_queues(pp->name);
  if (x->nq > XDP_MAXQ) x->nq = XDP_MAXQ;
  if (hv_xdp_prog_attach(&x->prog, ifindex, pp->name, x->nq, err, errlen) < 0) goto fail;
  for (uint32_t i = 0; i < x->nq; i++)
    if (xq_open(x, i, pp->name, err, errlen) < 0) goto fail;
  if (poll_fd(x, err, errlen) < 0 || hold_promisc(x, ifindex, err, errlen) < 0) goto fail;
  x->p.ops = &xdp_ops;
  x->p.kind = HV_PORT_AFXDP;
  x->p.mtu = pp->mtu ? pp->mtu : 1500;
  x->p.xdp_mode = x->zerocopy ? "zero-copy" : x->prog.flags == XDP_FLAGS_DRV_MODE ? "native copy" : "generic copy";
  return &x->p;
fail:
  xdp_close(&x->p);
  return NULL;
}
