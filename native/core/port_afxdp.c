/* AF_XDP backend on an existing interface (veth, TAP, physical NIC).
 *
 * One XSK per receive queue of the device, each holding XDP_FRAMES frames of
 * 4 KiB of a UMEM: half feed the fill ring (receive), half are the transmit
 * pool.  The queues of up to GROUP_QUEUES ports of one worker share one UMEM
 * (struct xsk_group, below); the sockets are set up with the kernel's calls
 * (XDP_UMEM_REG, ring sizes, mmap, bind with XDP_SHARED_UMEM), libxdp's xsk.h
 * drives the rings.  The XDP program (xdp_prog.h) redirects queue q to the
 * XSK in slot q of its XSKMAP.  A group's first socket binds zero-copy first
 * (XDP_ZEROCOPY, drivers that have it) and copy mode otherwise (veth, TAP,
 * generic XDP), always with XDP_USE_NEED_WAKEUP; the others take its mode.
 *
 * Receive: rx_burst peeks the rx rings in one batch, hands the frames out in
 * place (no copy), and rx_done gives the batch's frames back to the fill ring
 * in one reservation.  A device with several queues is polled through an
 * epoll fd holding every socket (p.fd); with one queue p.fd is the socket.
 *
 * Transmit: a frame received in this batch on a queue of the same UMEM that
 * leaves as it came is lent (lend(): its own address into the tx ring, a
 * transmit frame into its fill ring in exchange); any other frame is copied
 * into a frame of the transmit pool, with the tag rewrite done on the way
 * (hv_tx_iov) and the checksum completed or the frame segmented in software
 * where it carries offload metadata (gso.h): AF_XDP has no virtio-net header.
 * The completion ring is drained in one batch at the start of each burst, the
 * tx ring written in one reservation, and sendto() kicks the kernel only when
 * the ring says it needs a wakeup (copy mode always does).  Any worker may
 * transmit on any port (docs/polling.md, "More than one worker"), and an XSK's
 * transmit ring, completion ring and transmit pool take one writer at a time:
 * a burst holds the port's tx_mu (once per burst, not per frame; uncontended
 * with one worker).  A veth or TAP has one queue, and a second XSK on it would
 * have to share this one's completion ring, so a socket per worker would need
 * the same lock.  Copy mode sends at most 32 frames a kick unless the socket
 * raises that (XDP_MAX_TX_SKB_BUDGET, Linux 6.17+): we ask for XDP_TX_BUDGET,
 * so a burst of HV_BATCH frames costs one sendto() instead of two; on an older
 * kernel the burst is kicked until the ring is empty or the device pushes
 * back, as before.
 *
 * Offload metadata on receive: an XDP frame has no skb, so a partial checksum
 * left by the sender is recovered from the bytes (rx_csum.h); no GSO frame
 * arrives (native XDP on veth turns off the peer's TSO; a larger frame than a
 * UMEM frame is dropped by the kernel and counted in its XDP statistics, which
 * the port reports as drop_rx_kernel).  VLAN tags stay in the frame (XDP sees
 * the wire bytes), so the parser finds them in the data: the same packet
 * metadata as AF_PACKET gives. */
#include <bpf/bpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <pthread.h>
#include <stdatomic.h>
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
#define GROUP_QUEUES 4             /* queues sharing one UMEM: 4 x 16 MiB */

struct port_xdp;

/* A UMEM and the queues (XSKs) bound to it.  A shared group takes up to
 * GROUP_QUEUES queues of the ports of one worker (hv_xsk_share: one list per
 * worker); a private one (no share given, or no room) one queue.  Only that
 * worker receives on them and lends their frames; another worker may send
 * on one of its ports (a copy, under tx_mu) and complete frames there, so
 * `busy` is read across threads: a frame the owner still holds is parked by
 * whoever completes it, until the owner's rx_done clears it (release/acquire).  Frames are counted per queue
 * (XDP_FRAMES each, conserved by every exchange) and tracked per frame:
 *  - owner: the slot of the queue that holds it (its fill ring, its rx ring or
 *    a burst it handed out, its transmit pool or tx ring), 0 = the group's;
 *    written by the worker when a frame is lent, by the control thread when a
 *    queue opens or closes (after the workers let go of its port);
 *  - busy: handed out by an rx burst and not yet given back (rx_done), so
 *    referenced by the batch (1; 2 once lent); a frame completed while busy is
 *    parked;
 *  - heldidx: its index in its port's held[] while busy. */
struct xsk_group {
  struct xsk_group *next;
  uint8_t *area;
  size_t size;
  uint32_t nframes;
  int shared;
  struct xq *_Atomic slot[GROUP_QUEUES];
  uint32_t members;
  uint32_t nfree;       /* free frames (control thread only) */
  uint32_t *free;
  _Atomic uint8_t *owner;
  _Atomic uint8_t *busy;
  uint8_t *heldidx;
};

struct ring_map {
  void *base;
  size_t len;
};

struct xq {
  int fd;
  struct port_xdp *port;
  struct xsk_group *g;
  uint8_t slot;          /* its slot in g, 1-based as in g->owner */
  struct ring_map maps[4];
  struct xsk_ring_cons rx, cq;
  struct xsk_ring_prod tx, fq;
  uint64_t free[XDP_RING]; /* transmit frames not in flight */
  uint32_t nfree;
  uint64_t parked[XDP_RING]; /* transmitted frames completed while still busy */
  uint32_t nparked;
};

struct rx_ref {
  uint64_t rx;   /* the frame handed out */
  uint64_t fill; /* the frame the fill ring gets back: rx, or the one lent in exchange */
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
  struct hv_xsk_share *share; /* the worker's shared UMEMs, NULL: a UMEM per queue */
  uint8_t gso_in[HV_MAX_FRAME];              /* a GSO frame, tag rewritten, to segment */
  uint8_t gso_out[HV_MAX_FRAME + 64 * 128];  /* its segments (each with its own headers) */
  struct xq q[XDP_MAXQ];
};

static inline uint32_t chunk_of(uint64_t addr) { return (uint32_t)(addr / XDP_FRAME); }
static inline uint64_t chunk_base(uint64_t addr) { return addr & ~(uint64_t)(XDP_FRAME - 1); }

static int xq_rx(struct port_xdp *x, struct xq *q, uint32_t qi, struct hv_pkt *pkts, int max) {
  uint32_t idx;
  uint32_t got = xsk_ring_cons__peek(&q->rx, (uint32_t)max, &idx);
  struct xsk_group *g = q->g;
  for (uint32_t i = 0; i < got; i++) {
    const struct xdp_desc *d = xsk_ring_cons__rx_desc(&q->rx, idx + i);
    struct hv_pkt *pkt = &pkts[i];
    memset(pkt, 0, sizeof *pkt);
    pkt->data = xsk_umem__get_data(g->area, d->addr);
    pkt->len = d->len;
    hv_rx_csum_recover(pkt);
    uint32_t c = chunk_of(d->addr);
    atomic_store_explicit(&g->busy[c], 1, memory_order_relaxed);
    g->heldidx[c] = (uint8_t)x->nheld;
    x->held[x->nheld++] = (struct rx_ref){d->addr, chunk_base(d->addr), qi};
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
 * per queue (a burst usually comes from one): the frame received, or the one
 * a transmit pool gave in exchange when it was sent without a copy (lend). */
static void xdp_rx_done(struct hv_port *hp) {
  struct port_xdp *x = (struct port_xdp *)hp;
  for (uint32_t qi = 0; qi < x->nq && x->nheld; qi++) {
    struct xq *q = &x->q[qi];
    uint32_t cnt = 0, idx;
    for (uint32_t i = 0; i < x->nheld; i++) cnt += x->held[i].q == qi;
    if (!cnt) continue;
    for (uint32_t i = 0; i < x->nheld; i++)
      if (x->held[i].q == qi) atomic_store_explicit(&q->g->busy[chunk_of(x->held[i].rx)], 0, memory_order_release);
    /* The fill ring holds every receive frame: the room is always there. */
    if (xsk_ring_prod__reserve(&q->fq, cnt, &idx) != cnt) continue;
    for (uint32_t i = 0; i < x->nheld; i++)
      if (x->held[i].q == qi) *xsk_ring_prod__fill_addr(&q->fq, idx++) = x->held[i].fill;
    xsk_ring_prod__submit(&q->fq, cnt);
    if (xsk_ring_prod__needs_wakeup(&q->fq)) recvfrom(q->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
  }
  x->nheld = 0;
}

/* A transmitted frame back in the pool, or parked while a batch still reads it
 * (a frame lent from a receive is also in that port's burst, maybe queued for
 * another port: it must not be written before the burst is given back). */
static void xq_release(struct xq *q, uint64_t addr) {
  addr = chunk_base(addr);
  if (atomic_load_explicit(&q->g->busy[chunk_of(addr)], memory_order_acquire)) q->parked[q->nparked++] = addr;
  else q->free[q->nfree++] = addr;
}

static void xq_complete(struct xq *q) {
  uint32_t idx;
  for (uint32_t i = 0; i < q->nparked;) {
    if (atomic_load_explicit(&q->g->busy[chunk_of(q->parked[i])], memory_order_acquire)) {
      i++;
      continue;
    }
    q->free[q->nfree++] = q->parked[i];
    q->parked[i] = q->parked[--q->nparked];
  }
  uint32_t done = xsk_ring_cons__peek(&q->cq, XDP_RING, &idx);
  for (uint32_t i = 0; i < done; i++) xq_release(q, *xsk_ring_cons__comp_addr(&q->cq, idx + i));
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

/* Sends a frame received on a queue of the same shared UMEM without copying
 * it: the frame goes into `q`'s tx ring as it is, and a frame of `q`'s
 * transmit pool takes its place in the receiving queue's fill ring (both
 * keep their counts; a slow port cannot drain another's fill ring).  Only
 * for a frame that leaves exactly as it came (no tag rewrite, no outer
 * header, no segmentation); a partial checksum is completed in place and the
 * frame's mark cleared, so later ports of the batch send it complete.  A
 * frame lent once (flooded to several ports) is copied for the others.
 * `iov`/`cnt`: the request as hv_tx_iov laid it out, which says whether the
 * frame leaves as it came (the vnet header, then the frame's own bytes whole).
 * Returns 1 with the descriptor in *out, 0 to copy. */
static int lend(struct xq *q, const struct hv_txreq *r, const struct iovec *iov, int cnt, struct xdp_desc *out) {
  struct xsk_group *g = q->g;
  struct hv_pkt *pkt = r->pkt;
  if (!g->shared || !q->nfree || cnt != 2 || iov[1].iov_base != pkt->data) return 0;
  if (pkt->data < g->area || pkt->data >= g->area + g->size) return 0;
  uint64_t addr = (uint64_t)(pkt->data - g->area);
  uint32_t c = chunk_of(addr);
  /* busy 1: in a burst, not lent yet; its owner is the queue that received it */
  if (addr - chunk_base(addr) + pkt->len > XDP_FRAME || atomic_load_explicit(&g->busy[c], memory_order_relaxed) != 1)
    return 0;
  uint8_t o = atomic_load_explicit(&g->owner[c], memory_order_relaxed);
  struct xq *home = o ? atomic_load_explicit(&g->slot[o - 1], memory_order_relaxed) : NULL;
  if (!home) return 0;
  struct rx_ref *h = &home->port->held[g->heldidx[c]];
  if (h->rx / XDP_FRAME != c || h->fill != chunk_base(h->rx)) return 0; /* not its burst's frame: a bug */
  if (pkt->has_vnet) {
    if (pkt->vnet.gso_type != HV_VNET_GSO_NONE) return 0;
    if (pkt->vnet.flags & HV_VNET_F_NEEDS_CSUM) {
      if (hv_csum_complete(pkt->data, pkt->len, &pkt->vnet) != HV_GSO_OK) return 0;
      pkt->vnet.flags &= (uint8_t)~HV_VNET_F_NEEDS_CSUM;
    }
  }
  uint64_t swap = q->free[--q->nfree];
  h->fill = swap;
  atomic_store_explicit(&g->busy[c], 2, memory_order_relaxed); /* lent: copied for any other port */
  atomic_store_explicit(&g->owner[chunk_of(swap)], o, memory_order_relaxed);
  atomic_store_explicit(&g->owner[c], q->slot, memory_order_relaxed);
  *out = (struct xdp_desc){addr, pkt->len, 0};
  return 1;
}

/* One frame into transmit frames of `q` (several when it is segmented);
 * returns the descriptors written to `out`, 0 if it could not be sent;
 * *lent counts a frame sent without a copy. */
static uint32_t frame_to_umem(struct port_xdp *x, struct xq *q, const struct hv_txreq *r, struct xdp_desc *out,
                              uint32_t room, uint64_t *lent) {
  uint8_t hdr[HV_VNET_HDR_LEN], tag[HV_VLAN_HLEN];
  struct iovec iov[HV_TX_IOV_MAX];
  uint32_t len;
  if (!room) return 0;
  int cnt = hv_tx_iov(r, 1, hdr, tag, iov, &len);
  if (lend(q, r, iov, cnt, out)) {
    (*lent)++;
    return 1;
  }
  if (cnt < 2 || !q->nfree) return 0;
  struct hv_vnet_hdr v = {hdr[0], hdr[1], (uint16_t)(hdr[2] | hdr[3] << 8), (uint16_t)(hdr[4] | hdr[5] << 8),
                          (uint16_t)(hdr[6] | hdr[7] << 8), (uint16_t)(hdr[8] | hdr[9] << 8)};
  uint8_t *dst = len <= XDP_TX_MAX ? xsk_umem__get_data(q->g->area, q->free[q->nfree - 1]) : x->gso_in;
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
    memcpy(xsk_umem__get_data(q->g->area, a), x->gso_out + segs[i].off, segs[i].len);
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
  uint64_t lent = 0;
  for (int i = 0; i < n; i++) {
    uint32_t k = frame_to_umem(x, q, &reqs[i], descs + nd, room - nd, &lent);
    nd += k;
    sent += k != 0;
  }
  if (lent) /* one store a burst; the stats read it on another thread */
    __atomic_store_n(&x->p.tx_zero_copy, __atomic_load_n(&x->p.tx_zero_copy, __ATOMIC_RELAXED) + lent, __ATOMIC_RELAXED);
  if (nd && xsk_ring_prod__reserve(&q->tx, nd, &idx) == nd) {
    for (uint32_t i = 0; i < nd; i++) *xsk_ring_prod__tx_desc(&q->tx, idx + i) = descs[i];
    xsk_ring_prod__submit(&q->tx, nd);
  } else if (nd) { /* cannot happen: room was checked; give the frames back */
    for (uint32_t i = 0; i < nd; i++) xq_release(q, descs[i].addr);
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

/* ---- UMEM groups and sockets (control thread) ---------------------------- */

static void group_free(struct xsk_group *g) {
  if (!g) return;
  if (g->area) munmap(g->area, g->size);
  free(g->free);
  free(g->owner);
  free(g->busy);
  free(g->heldidx);
  free(g);
}

/* A group's memory: its frames, all free.  NULL when out of memory. */
static struct xsk_group *group_new(int shared) {
  struct xsk_group *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->shared = shared;
  g->nframes = (shared ? GROUP_QUEUES : 1) * XDP_FRAMES;
  g->size = (size_t)g->nframes * XDP_FRAME;
  g->area = mmap(NULL, g->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (g->area == MAP_FAILED) g->area = NULL;
  g->free = malloc(g->nframes * sizeof *g->free);
  g->owner = calloc(g->nframes, sizeof *g->owner);
  g->busy = calloc(g->nframes, sizeof *g->busy);
  g->heldidx = calloc(g->nframes, 1);
  if (!g->area || !g->free || !g->owner || !g->busy || !g->heldidx) {
    group_free(g);
    return NULL;
  }
  for (uint32_t i = 0; i < g->nframes; i++) g->free[i] = g->nframes - 1 - i;
  g->nfree = g->nframes;
  return g;
}

/* Gives a closed queue's frames back to its group: every frame it held,
 * wherever the exchanges had moved them.  The workers no longer run its port,
 * and no other queue's frame is marked with its slot. */
static void group_leave(struct xsk_group *g, struct xq *q, struct hv_xsk_share *share) {
  for (uint32_t c = 0; c < g->nframes; c++)
    if (atomic_load_explicit(&g->owner[c], memory_order_relaxed) == q->slot) {
      atomic_store_explicit(&g->owner[c], 0, memory_order_relaxed);
      g->free[g->nfree++] = c;
    }
  atomic_store(&g->slot[q->slot - 1], NULL);
  if (--g->members) return;
  if (g->shared && share)
    for (struct xsk_group **pp = &share->groups; *pp; pp = &(*pp)->next)
      if (*pp == g) {
        *pp = g->next;
        break;
      }
  group_free(g);
}

uint32_t hv_xsk_share_groups(const struct hv_xsk_share *s, uint32_t *lost) {
  uint32_t n = 0;
  *lost = 0;
  for (const struct xsk_group *g = s->groups; g; g = g->next, n++) {
    uint32_t per[GROUP_QUEUES + 1] = {0};
    for (uint32_t c = 0; c < g->nframes; c++) per[atomic_load_explicit(&g->owner[c], memory_order_relaxed)]++;
    if (per[0] != g->nfree) *lost += per[0] > g->nfree ? per[0] - g->nfree : g->nfree - per[0];
    for (uint32_t k = 0; k < GROUP_QUEUES; k++) { /* each queue holds its own count, no more, no fewer */
      uint32_t want = atomic_load(&g->slot[k]) ? XDP_FRAMES : 0;
      *lost += per[k + 1] > want ? per[k + 1] - want : want - per[k + 1];
    }
  }
  return n;
}

static void xq_close(struct xq *q, struct hv_xsk_share *share) {
  if (q->fd >= 0) close(q->fd); /* first: the kernel lets go of the frames */
  q->fd = -1;
  for (int k = 0; k < 4; k++)
    if (q->maps[k].base) munmap(q->maps[k].base, q->maps[k].len);
  memset(q->maps, 0, sizeof q->maps);
  if (q->g && q->slot) group_leave(q->g, q, share);
  q->g = NULL;
  q->slot = 0;
}

static void xdp_close(struct hv_port *hp) {
  struct port_xdp *x = (struct port_xdp *)hp;
  hv_xdp_prog_detach(&x->prog);
  for (uint32_t i = 0; i < XDP_MAXQ; i++) xq_close(&x->q[i], x->share);
  if (x->epfd >= 0) close(x->epfd);
  if (x->promisc_fd >= 0) close(x->promisc_fd);
  pthread_mutex_destroy(&x->tx_mu);
  free(x);
}

/* Frames the kernel could not hand to a socket: its rx ring full, or no
 * frame in its fill ring (XDP_STATISTICS, every queue; port.h). */
static uint64_t xdp_sock_drops(const struct hv_port *hp) {
  const struct port_xdp *x = (const struct port_xdp *)hp;
  uint64_t n = 0;
  for (uint32_t i = 0; i < x->nq; i++) {
    struct xdp_statistics st;
    socklen_t len = sizeof st;
    if (x->q[i].fd >= 0 && getsockopt(x->q[i].fd, SOL_XDP, XDP_STATISTICS, &st, &len) == 0)
      n += st.rx_dropped + st.rx_ring_full;
  }
  return n;
}

static const struct hv_port_ops xdp_ops = {xdp_rx_burst, xdp_rx_done, xdp_tx_burst, xdp_close, xdp_idle, NULL, xdp_sock_drops};

/* Maps one of the socket's rings (k: 0 fill, 1 completion, 2 rx, 3 tx). */
static uint8_t *ring_mmap(struct xq *q, int k, const struct xdp_ring_offset *o, size_t desc, uint64_t pgoff) {
  size_t len = o->desc + XDP_RING * desc;
  void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, q->fd, (off_t)pgoff);
  if (m == MAP_FAILED) return NULL;
  q->maps[k] = (struct ring_map){m, len};
  return m;
}

#define RING_INIT(r, m, o)                           \
  do {                                               \
    (r)->mask = XDP_RING - 1;                        \
    (r)->size = XDP_RING;                            \
    (r)->producer = (uint32_t *)((m) + (o).producer); \
    (r)->consumer = (uint32_t *)((m) + (o).consumer); \
    (r)->flags = (uint32_t *)((m) + (o).flags);      \
    (r)->ring = (m) + (o).desc;                      \
  } while (0)

/* The socket's four rings, and the UMEM itself if `reg` (the group's first
 * queue).  libxdp's xsk_socket__create_shared would tie the UMEM to the first
 * socket for the UMEM's life (its fd stays bound to that queue after the port
 * closes); the kernel needs only some bound socket of the UMEM to share it. */
static int xq_rings(struct xq *q, int reg) {
  int size = XDP_RING;
  if (reg) {
    struct xdp_umem_reg mr;
    memset(&mr, 0, sizeof mr);
    mr.addr = (uintptr_t)q->g->area;
    mr.len = q->g->size;
    mr.chunk_size = XDP_FRAME;
    mr.headroom = XDP_HEADROOM;
    if (setsockopt(q->fd, SOL_XDP, XDP_UMEM_REG, &mr, sizeof mr)) return -1;
  }
  if (setsockopt(q->fd, SOL_XDP, XDP_UMEM_FILL_RING, &size, sizeof size) ||
      setsockopt(q->fd, SOL_XDP, XDP_UMEM_COMPLETION_RING, &size, sizeof size) ||
      setsockopt(q->fd, SOL_XDP, XDP_RX_RING, &size, sizeof size) ||
      setsockopt(q->fd, SOL_XDP, XDP_TX_RING, &size, sizeof size))
    return -1;
  struct xdp_mmap_offsets off;
  socklen_t ol = sizeof off;
  if (getsockopt(q->fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &ol)) return -1;
  uint8_t *m;
  if (!(m = ring_mmap(q, 0, &off.fr, sizeof(uint64_t), XDP_UMEM_PGOFF_FILL_RING))) return -1;
  RING_INIT(&q->fq, m, off.fr);
  q->fq.cached_cons = XDP_RING;
  if (!(m = ring_mmap(q, 1, &off.cr, sizeof(uint64_t), XDP_UMEM_PGOFF_COMPLETION_RING))) return -1;
  RING_INIT(&q->cq, m, off.cr);
  if (!(m = ring_mmap(q, 2, &off.rx, sizeof(struct xdp_desc), XDP_PGOFF_RX_RING))) return -1;
  RING_INIT(&q->rx, m, off.rx);
  q->rx.cached_prod = *q->rx.producer;
  q->rx.cached_cons = *q->rx.consumer;
  if (!(m = ring_mmap(q, 3, &off.tx, sizeof(struct xdp_desc), XDP_PGOFF_TX_RING))) return -1;
  RING_INIT(&q->tx, m, off.tx);
  q->tx.cached_prod = *q->tx.producer;
  q->tx.cached_cons = *q->tx.consumer + XDP_RING;
  return 0;
}

static int xq_bind_as(struct xq *q, unsigned ifindex, uint32_t qi, uint16_t flags, int share_fd) {
  struct sockaddr_xdp sa;
  memset(&sa, 0, sizeof sa);
  sa.sxdp_family = AF_XDP;
  sa.sxdp_ifindex = ifindex;
  sa.sxdp_queue_id = qi;
  sa.sxdp_flags = flags;
  sa.sxdp_shared_umem_fd = share_fd >= 0 ? (uint32_t)share_fd : 0;
  return bind(q->fd, (struct sockaddr *)&sa, sizeof sa);
}

/* Queue `qi` of the device on a new socket in group `g`: the UMEM registered
 * on it if it is the group's first (zero-copy bind, else copy), else bound
 * to the group's UMEM (XDP_SHARED_UMEM: the mode is the UMEM's); then its
 * slot and XDP_FRAMES of the group's frames.  0, or -1 with errno set and
 * the queue closed again. */
static int xq_join(struct port_xdp *x, struct xq *q, struct xsk_group *g, unsigned ifindex, uint32_t qi) {
  uint8_t slot = 0;
  int share_fd = -1;
  for (uint32_t k = 0; k < (g->shared ? GROUP_QUEUES : 1u); k++) {
    struct xq *m = atomic_load(&g->slot[k]);
    if (m && share_fd < 0) share_fd = m->fd;
    if (!m && !slot) slot = (uint8_t)(k + 1);
  }
  if (!slot || g->nfree < XDP_FRAMES) {
    errno = ENOSPC;
    return -1;
  }
  q->g = g;
  q->port = x;
  q->fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (q->fd < 0 || xq_rings(q, share_fd < 0)) goto fail;
  if (share_fd >= 0) {
    if (xq_bind_as(q, ifindex, qi, XDP_SHARED_UMEM, share_fd)) goto fail;
  } else if (xq_bind_as(q, ifindex, qi, XDP_ZEROCOPY | XDP_USE_NEED_WAKEUP, -1) &&
             xq_bind_as(q, ifindex, qi, XDP_COPY | XDP_USE_NEED_WAKEUP, -1)) {
    goto fail;
  }
  uint32_t idx;
  if (xsk_ring_prod__reserve(&q->fq, XDP_RING, &idx) != XDP_RING) { /* a new ring: cannot happen */
    errno = ENOBUFS;
    goto fail;
  }
  struct xdp_options opt = {0};
  socklen_t ol = sizeof opt;
  if (getsockopt(q->fd, SOL_XDP, XDP_OPTIONS, &opt, &ol) == 0 && (opt.flags & XDP_OPTIONS_ZEROCOPY)) x->zerocopy = 1;
  q->slot = slot;
  atomic_store(&g->slot[slot - 1], q);
  g->members++;
  for (uint32_t i = 0; i < XDP_FRAMES; i++) {
    uint32_t c = g->free[--g->nfree];
    atomic_store_explicit(&g->owner[c], slot, memory_order_relaxed);
    if (i < XDP_RING) *xsk_ring_prod__fill_addr(&q->fq, idx + i) = (uint64_t)c * XDP_FRAME;
    else q->free[q->nfree++] = (uint64_t)c * XDP_FRAME;
  }
  xsk_ring_prod__submit(&q->fq, XDP_RING);
  return 0;
fail:;
  int e = errno;
  xq_close(q, NULL);
  errno = e;
  return -1;
}

/* One queue: a socket in a shared group where the port has one (the first
 * group with room, a new one if none has), else in a group of its own; its
 * slot in the XSKMAP.  A queue that cannot share (a zero-copy device beside
 * copy-mode ones: a shared UMEM has one mode) gets a UMEM of its own. */
static int xq_open(struct port_xdp *x, uint32_t qi, unsigned ifindex, char *err, size_t errlen) {
  struct xq *q = &x->q[qi];
  struct hv_xsk_share *share = x->share;
  int joined = 0;
  if (share) {
    for (struct xsk_group *g = share->groups; g && !joined; g = g->next) joined = xq_join(x, q, g, ifindex, qi) == 0;
    if (!joined) {
      struct xsk_group *g = group_new(1);
      if (g && xq_join(x, q, g, ifindex, qi) == 0) {
        g->next = share->groups;
        share->groups = g;
        joined = 1;
      } else if (g && !g->members) {
        group_free(g);
      }
    }
  }
  if (!joined) {
    struct xsk_group *g = group_new(0);
    if (!g) {
      snprintf(err, errlen, "af_xdp %s: UMEM: out of memory", x->p.name);
      return -1;
    }
    if (xq_join(x, q, g, ifindex, qi)) {
      int e = errno;
      if (!g->members) group_free(g);
      snprintf(err, errlen, "af_xdp %s: XSK on queue %u: %s", x->p.name, qi, strerror(e));
      return -1;
    }
  }
  unsigned budget = XDP_TX_BUDGET; /* refused before 6.17 (ENOPROTOOPT): 32 a kick, the loop in xq_kick */
  if (!x->zerocopy && setsockopt(q->fd, SOL_XDP, XDP_MAX_TX_SKB_BUDGET, &budget, sizeof budget) < 0) {
  }
  int fd = q->fd;
  if (bpf_map_update_elem(x->prog.map_fd, &qi, &fd, 0)) {
    snprintf(err, errlen, "af_xdp %s: XSKMAP slot %u: %s", x->p.name, qi, strerror(errno));
    return -1;
  }
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
  for (uint32_t i = 0; i < XDP_MAXQ; i++) x->q[i].fd = -1;
  x->share = pp->xsk_share;
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
    if (xq_open(x, i, ifindex, err, errlen) < 0) goto fail;
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
