/* AF_PACKET backend on an existing interface (veth, physical NIC).
 *
 * Receive has two paths in one PACKET_FANOUT group, and a classic BPF fanout
 * program (PACKET_FANOUT_CBPF) says which one the kernel feeds; swapping the
 * program is one atomic setsockopt:
 *  - idle: everything to a plain packet socket read with recvmmsg(), which
 *    wakes the worker at once (chosen when the ring was TPACKET_V3, whose
 *    block timer an idle link would have paid; TCP stays on it anyway);
 *  - busy: every frame to a TPACKET_V2 ring (8192 slots of 2 KiB, processed
 *    in place, each frame handed back after its batch is sent: the cheapest
 *    path per frame; the kernel's copy into the slot runs in the sender's
 *    softirq).  A frame larger than a slot (a GSO super-frame) keeps its
 *    place: the kernel marks its slot TP_STATUS_COPY and queues the whole
 *    frame on the ring socket (PACKET_COPY_THRESH), read with recvmmsg() when
 *    the worker reaches that slot.
 *    V2, not V3: a V2 slot is the user's as soon as the kernel has written it
 *    (a status word per frame), where a V3 block is handed over only when it is
 *    full or its retire timer fires (1 ms at the least, tp_retire_blk_tov): a
 *    ping beside a 100k frames/s stream waited 0.4-1.0 ms in an open block in
 *    every polling mode (docs/polling.md, "Latency under load").  V3's gain,
 *    one wake-up per block instead of per frame, is nothing to a worker that
 *    polls while frames flow.
 * While busy, a flow never takes two paths.  It used to: MSS-sized TCP
 * segments went to the ring and GSO super-frames to the plain socket, the
 * worker reordered them and the receiver's duplicate ACKs made the sender
 * retransmit (thousands per 5 s in the benchmark); then all TCP stayed on the
 * plain socket, which cost 1500 B TCP a recvmmsg() copy per frame on the
 * worker's CPU (docs/tcp-no-offload.md).
 * A recvmmsg() that returns a large batch switches the port to busy; 3 ms
 * without a frame switches it back (short gaps in a flow do not make it flap).
 * Order across a switch is kept by draining the path we leave first: idle->busy
 * reads the plain socket until a burst comes back short (what was queued
 * before the switch; test/netns/polling.test.ts saw 18 datagrams of a 50k UDP
 * stream overtaken without it), busy->idle drains the ring.
 *
 * The kernel strips the outer VLAN tag, 802.1Q C-tag or 802.1ad S-tag alike,
 * into tp_vlan_tci / PACKET_AUXDATA (tp_vlan_tpid says which): a C-tag goes
 * back in the packet's metadata, any other tag back into the frame
 * (hv_port_rx_vlan), so an S-tagged frame is what a TAP port sees.  Transmit is sendmmsg() of iovecs over the
 * received bytes with PACKET_QDISC_BYPASS.  PACKET_VNET_HDR on every socket
 * carries partial checksums and GSO through. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "port.h"

#define BUSY_BATCH 32 /* a recvmmsg() this full means load: small frames move to the ring */

#define RING_FRAME 2048u /* a V2 slot: header, vnet header and a frame of up to ~1970 bytes */

struct port_afp {
  struct hv_port p;    /* p.fd: the plain socket; p.fd2: the ring socket */
  uint8_t *ring;
  size_t ring_len;
  uint32_t frame_nr;   /* slots of RING_FRAME bytes */
  uint32_t cur;        /* next slot to read */
  uint32_t held;       /* slots before `cur` handed out, given back in rx_done */
  int busy;            /* fanout program feeds the ring */
  int drain_ring;      /* just switched to plain: the ring's frames go first */
  int drain_plain;     /* just switched to busy: the plain socket's queue goes first */
  uint64_t plain_until;/* ... and is read first until then (ns): a frame the old program sent there may still land */
  uint64_t quiet_since;/* busy, but no frame since (ns); 0 = frames flowing */
};

/* Busy -> idle only after this much silence: short gaps in a flow (TCP's ACK
 * clock) do not make the port flap between paths. */
#define IDLE_AFTER_NS 3000000ull
/* After idle -> busy, the plain socket is read before the ring this long. */
#define PLAIN_GRACE_NS 2000000ull

static uint64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline struct tpacket2_hdr *slot(struct port_afp *a, uint32_t i) {
  return (struct tpacket2_hdr *)(a->ring + (size_t)i * RING_FRAME);
}

static uint16_t get16le(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

static void vnet_parse(const uint8_t *vh, struct hv_pkt *pkt) {
  pkt->vnet.flags = vh[0];
  pkt->vnet.gso_type = vh[1];
  pkt->vnet.hdr_len = get16le(vh + 2);
  pkt->vnet.gso_size = get16le(vh + 4);
  pkt->vnet.csum_start = get16le(vh + 6);
  pkt->vnet.csum_offset = get16le(vh + 8);
  pkt->has_vnet = 1;
}

/* Points the fanout group at the plain socket (idle) or at the ring (busy):
 * every frame, whatever its protocol or size, so a flow never takes two paths
 * while the port is busy.  A frame larger than a slot (a GSO super-frame) is
 * still the ring's: the kernel marks its slot TP_STATUS_COPY and queues the
 * whole frame on the ring socket (PACKET_COPY_THRESH), in ring order. */
static int fanout_select(struct port_afp *a, int busy) {
  struct sock_filter prog_insn[] = {BPF_STMT(BPF_RET | BPF_K, (uint32_t)(busy ? 1 : 0))};
  struct sock_fprog prog = {1, prog_insn};
  if (setsockopt(a->p.fd, SOL_PACKET, PACKET_FANOUT_DATA, &prog, sizeof prog) < 0) return -1;
  a->busy = busy;
  return 0;
}

/* The slots the kernel has written, in ring order, handed out in place (no
 * copy); rx_done gives them back.  A slot marked TP_STATUS_COPY holds the head
 * of a frame too large for it: the whole frame is the next one queued on the
 * ring socket, read into the worker's buffer of that packet (`bufs`, one per
 * entry of `pkts`), all of a burst's with one recvmmsg(). */
static int ring_burst(struct port_afp *a, struct hv_pkt *pkts, int max, uint8_t *bufs, uint32_t buf_size) {
  int n = 0, ncopy = 0;
  struct copy_slot {
    int at;         /* index in pkts */
    int vlan_valid; /* the slot's tag, as in the non-copy case */
    uint16_t tci, tpid;
  } copy[HV_BATCH];
  if (max > HV_BATCH) max = HV_BATCH;
  while (n < max && a->held < HV_BATCH) {
    struct tpacket2_hdr *h = slot(a, a->cur);
    uint32_t st = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
    if (!(st & TP_STATUS_USER)) break;
    struct hv_pkt *pkt = &pkts[n];
    memset(pkt, 0, sizeof *pkt);
    uint8_t *frame = (uint8_t *)h + h->tp_mac;
    vnet_parse(frame - HV_VNET_HDR_LEN, pkt);
    pkt->data = frame;
    pkt->len = h->tp_snaplen;
    uint16_t tpid = (st & TP_STATUS_VLAN_TPID_VALID) ? h->tp_vlan_tpid : 0;
    if (st & TP_STATUS_COPY) {
      copy[ncopy++] = (struct copy_slot){n, (st & TP_STATUS_VLAN_VALID) != 0, h->tp_vlan_tci, tpid};
    } else {
      if (h->tp_snaplen < h->tp_len) pkt->drop = HV_CTR_drop_truncated; /* no copy queued (rcvbuf full) */
      if (st & TP_STATUS_VLAN_VALID) hv_port_rx_vlan(pkt, h->tp_vlan_tci, tpid);
    }
    a->cur = a->cur + 1 == a->frame_nr ? 0 : a->cur + 1;
    a->held++;
    n++;
  }
  if (ncopy) {
    struct mmsghdr msgs[HV_BATCH];
    struct iovec iov[HV_BATCH];
    for (int k = 0; k < ncopy; k++) {
      iov[k] = (struct iovec){bufs + (size_t)copy[k].at * buf_size, buf_size};
      memset(&msgs[k], 0, sizeof msgs[k]);
      msgs[k].msg_hdr.msg_iov = &iov[k];
      msgs[k].msg_hdr.msg_iovlen = 1;
    }
    int r = recvmmsg(a->p.fd2, msgs, (unsigned)ncopy, MSG_DONTWAIT | MSG_TRUNC, NULL);
    if (r < 0) r = 0;
    for (int k = 0; k < ncopy; k++) {
      struct hv_pkt *pkt = &pkts[copy[k].at];
      uint32_t got = k < r ? msgs[k].msg_len : 0;
      if (got < HV_VNET_HDR_LEN || got > buf_size || (msgs[k].msg_hdr.msg_flags & MSG_TRUNC)) {
        pkt->drop = HV_CTR_drop_truncated; /* lost, or larger than any frame we take */
        continue;
      }
      memset(pkt, 0, sizeof *pkt);
      uint8_t *b = iov[k].iov_base;
      vnet_parse(b, pkt);
      pkt->data = b + HV_VNET_HDR_LEN;
      pkt->len = got - HV_VNET_HDR_LEN;
      /* the copy comes without its outer tag (kept out of band, as in the slot) */
      if (copy[k].vlan_valid) hv_port_rx_vlan(pkt, copy[k].tci, copy[k].tpid);
    }
  }
  return n;
}

/* Does the ring hold frames we have not read? */
static int ring_has_frames(struct port_afp *a) {
  return (__atomic_load_n(&slot(a, a->cur)->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER) != 0;
}

static int plain_burst(struct port_afp *a, struct hv_pkt *pkts, int max, uint8_t *bufs, uint32_t buf_size) {
  struct mmsghdr msgs[HV_BATCH];
  struct iovec iov[HV_BATCH];
  union {
    struct cmsghdr hdr;
    uint8_t buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
  } ctl[HV_BATCH];
  if (max > HV_BATCH) max = HV_BATCH;
  hv_mmsg_rx_init(msgs, iov, bufs, buf_size, max);
  for (int i = 0; i < max; i++) {
    msgs[i].msg_hdr.msg_control = ctl[i].buf;
    msgs[i].msg_hdr.msg_controllen = sizeof ctl[i].buf;
  }
  int r = recvmmsg(a->p.fd, msgs, (unsigned)max, MSG_DONTWAIT | MSG_TRUNC, NULL);
  if (r <= 0) return 0;
  int n = 0;
  for (int i = 0; i < r; i++) {
    uint32_t got = msgs[i].msg_len;
    if (got < HV_VNET_HDR_LEN) continue;
    struct hv_pkt *pkt = &pkts[n++];
    memset(pkt, 0, sizeof *pkt);
    uint8_t *b = iov[i].iov_base;
    vnet_parse(b, pkt);
    pkt->data = b + HV_VNET_HDR_LEN;
    pkt->len = (got > buf_size ? buf_size : got) - HV_VNET_HDR_LEN;
    if (got > buf_size || (msgs[i].msg_hdr.msg_flags & MSG_TRUNC)) pkt->drop = HV_CTR_drop_truncated;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
      if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA) continue;
      struct tpacket_auxdata aux;
      memcpy(&aux, CMSG_DATA(c), sizeof aux);
      if (aux.tp_status & TP_STATUS_VLAN_VALID)
        hv_port_rx_vlan(pkt, aux.tp_vlan_tci, (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ? aux.tp_vlan_tpid : 0);
    }
  }
  if (r >= BUSY_BATCH && !a->busy && fanout_select(a, 1) == 0) {
    a->drain_plain = 1;
    a->plain_until = mono_ns() + PLAIN_GRACE_NS;
  }
  return n;
}

static int afp_rx_burst(struct hv_port *hp, struct hv_pkt *pkts, int max, uint8_t *bufs,
                        uint32_t buf_size) {
  struct port_afp *a = (struct port_afp *)hp;
  if (a->drain_plain) { /* frames queued on the plain socket before the switch go first */
    int n = plain_burst(a, pkts, max, bufs, buf_size);
    if (n) return n;
    /* Empty: what was queued before the switch is read.  A frame the old
     * program steered there in a softirq that was running at the switch can
     * still land on it, behind ring frames of the same flow: keep looking
     * there first for a moment. */
    if (mono_ns() >= a->plain_until) a->drain_plain = 0;
  }
  if (a->busy) {
    /* Every frame goes to the ring now; the plain socket is read only when
     * the ring is empty (a straggler past the grace period): no syscall per
     * burst. */
    int n = ring_burst(a, pkts, max, bufs, buf_size);
    if (!n) n = plain_burst(a, pkts, max, bufs, buf_size);
    if (n) a->quiet_since = 0;
    return n;
  }
  if (a->drain_ring) { /* frames the ring took before the switch go first */
    int n = ring_burst(a, pkts, max, bufs, buf_size);
    if (n || ring_has_frames(a)) return n;
    a->drain_ring = 0;
  }
  int n = ring_burst(a, pkts, max, bufs, buf_size); /* a straggler written after the drain */
  if (n) return n;
  return plain_burst(a, pkts, max, bufs, buf_size);
}

static int afp_idle(struct hv_port *hp) {
  struct port_afp *a = (struct port_afp *)hp;
  if (!a->busy) return a->drain_ring ? 1 : -1;
  uint64_t now = mono_ns();
  if (!a->quiet_since) a->quiet_since = now;
  if (now - a->quiet_since < IDLE_AFTER_NS) return 1;
  if (fanout_select(a, 0) == 0) a->drain_ring = ring_has_frames(a);
  a->quiet_since = 0;
  return a->drain_ring ? 1 : -1;
}

static void afp_rx_done(struct hv_port *hp) {
  struct port_afp *a = (struct port_afp *)hp;
  uint32_t i = (a->cur + a->frame_nr - a->held) % a->frame_nr;
  for (; a->held; a->held--, i = i + 1 == a->frame_nr ? 0 : i + 1)
    __atomic_store_n(&slot(a, i)->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
}

static int afp_tx_burst(struct hv_port *hp, const struct hv_txreq *reqs, int n) {
  return hv_tx_sendmmsg(hp->fd2, reqs, n, 1, NULL, NULL);
}

static void afp_close(struct hv_port *hp) {
  struct port_afp *a = (struct port_afp *)hp;
  if (a->ring) munmap(a->ring, a->ring_len);
  if (hp->fd >= 0) close(hp->fd);
  if (hp->fd2 >= 0) close(hp->fd2);
  free(a);
}

/* Frames dropped at the plain socket (receive buffer full) and at the ring
 * socket (no free slot): the kernel counts both in sk_drops (port.h). */
static uint64_t afp_sock_drops(const struct hv_port *hp) { return hv_sock_drops(hp->fd) + hv_sock_drops(hp->fd2); }

static const struct hv_port_ops afp_ops = {afp_rx_burst, afp_rx_done, afp_tx_burst, afp_close, afp_idle, NULL, afp_sock_drops};

#define FAIL(...)                          \
  do {                                     \
    snprintf(err, errlen, __VA_ARGS__);    \
    goto fail;                             \
  } while (0)

static int packet_socket(const char *name, int ring_version, char *err, size_t errlen) {
  /* Protocol 0: the socket receives nothing until bind_to() names the
   * interface and ETH_P_ALL.  Created with ETH_P_ALL it would queue frames of
   * every interface of the namespace until bound, and the new port would
   * "receive" its neighbours' traffic (learning their MACs on it). */
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    snprintf(err, errlen, "af_packet %s: socket: %s", name, strerror(errno));
    return -1;
  }
  int one = 1;
  if ((ring_version && setsockopt(fd, SOL_PACKET, PACKET_VERSION, &ring_version, sizeof ring_version) < 0) ||
      setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof one) < 0 ||
      setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) < 0) {
    snprintf(err, errlen, "af_packet %s: socket options: %s", name, strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

static int bind_to(int fd, unsigned ifindex) {
  struct sockaddr_ll sll;
  memset(&sll, 0, sizeof sll);
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ALL);
  sll.sll_ifindex = (int)ifindex;
  return bind(fd, (struct sockaddr *)&sll, sizeof sll);
}

struct hv_port *hv_port_afpacket_open(const struct hv_port_open_params *pp, char *err, size_t errlen) {
  struct port_afp *a = calloc(1, sizeof *a);
  if (!a) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  a->p.fd = a->p.fd2 = -1;
  unsigned ifindex = if_nametoindex(pp->name);
  if (!ifindex) FAIL("af_packet %s: no such interface", pp->name);
  /* The ring socket: TPACKET_V2 rx ring, and the one we transmit on. */
  if ((a->p.fd2 = packet_socket(pp->name, TPACKET_V2, err, errlen)) < 0) goto fail;
  int one = 1, sndbuf = 4 << 20, rcvbuf = 4 << 20;
  if (setsockopt(a->p.fd2, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one) < 0)
    FAIL("af_packet %s: PACKET_QDISC_BYPASS: %s", pp->name, strerror(errno));
  setsockopt(a->p.fd2, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf);
  /* A frame larger than a slot: its slot says TP_STATUS_COPY and the whole
   * frame waits on this socket's queue (up to its receive buffer), in order. */
  if (setsockopt(a->p.fd2, SOL_PACKET, PACKET_COPY_THRESH, &one, sizeof one) < 0)
    FAIL("af_packet %s: PACKET_COPY_THRESH: %s", pp->name, strerror(errno));
  setsockopt(a->p.fd2, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
  /* 16 MiB by default: 1024 blocks of 16 KiB, 8 slots each (a slot never
   * crosses a block, so the kernel needs no large contiguous allocation). */
  uint32_t block_nr = pp->ring_blocks ? pp->ring_blocks : 1024;
  uint32_t block_size = (pp->ring_block_kb ? pp->ring_block_kb : 16) * 1024;
  struct tpacket_req req;
  memset(&req, 0, sizeof req);
  req.tp_block_size = block_size;
  req.tp_block_nr = block_nr;
  req.tp_frame_size = RING_FRAME;
  req.tp_frame_nr = (block_size / RING_FRAME) * block_nr;
  if (setsockopt(a->p.fd2, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0)
    FAIL("af_packet %s: PACKET_RX_RING: %s", pp->name, strerror(errno));
  a->frame_nr = req.tp_frame_nr;
  a->ring_len = (size_t)block_size * block_nr;
  a->ring = mmap(NULL, a->ring_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, a->p.fd2, 0);
  if (a->ring == MAP_FAILED) a->ring = mmap(NULL, a->ring_len, PROT_READ | PROT_WRITE, MAP_SHARED, a->p.fd2, 0);
  if (a->ring == MAP_FAILED) {
    a->ring = NULL;
    FAIL("af_packet %s: mmap ring: %s", pp->name, strerror(errno));
  }
  /* The plain socket: recvmmsg when idle; tags come back in PACKET_AUXDATA. */
  if ((a->p.fd = packet_socket(pp->name, 0, err, errlen)) < 0) goto fail;
  if (setsockopt(a->p.fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one) < 0)
    FAIL("af_packet %s: PACKET_AUXDATA: %s", pp->name, strerror(errno));
  setsockopt(a->p.fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
  if (bind_to(a->p.fd, ifindex) < 0 || bind_to(a->p.fd2, ifindex) < 0)
    FAIL("af_packet %s: bind: %s", pp->name, strerror(errno));
  /* Promiscuous while the socket lives (the kernel counts such memberships and
   * drops ours when the socket closes): a NIC must hand us frames for the MACs
   * behind the port and for our router MAC, not only for its own address.
   * veth delivers everything anyway. */
  struct packet_mreq mr;
  memset(&mr, 0, sizeof mr);
  mr.mr_ifindex = (int)ifindex;
  mr.mr_type = PACKET_MR_PROMISC;
  if (setsockopt(a->p.fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) < 0)
    FAIL("af_packet %s: promiscuous mode: %s", pp->name, strerror(errno));
  /* One fanout group: the plain socket joins first (index 0), the ring second (1). */
  int fan = (PACKET_FANOUT_CBPF | PACKET_FANOUT_FLAG_UNIQUEID) << 16;
  socklen_t fl = sizeof fan;
  if (setsockopt(a->p.fd, SOL_PACKET, PACKET_FANOUT, &fan, sizeof fan) < 0 ||
      getsockopt(a->p.fd, SOL_PACKET, PACKET_FANOUT, &fan, &fl) < 0)
    FAIL("af_packet %s: PACKET_FANOUT: %s", pp->name, strerror(errno));
  fan = (fan & 0xffff) | (PACKET_FANOUT_CBPF << 16);
  if (setsockopt(a->p.fd2, SOL_PACKET, PACKET_FANOUT, &fan, sizeof fan) < 0)
    FAIL("af_packet %s: PACKET_FANOUT join: %s", pp->name, strerror(errno));
  if (fanout_select(a, 0) < 0) FAIL("af_packet %s: PACKET_FANOUT_DATA: %s", pp->name, strerror(errno));
  a->p.ops = &afp_ops;
  a->p.kind = HV_PORT_AFPACKET;
  a->p.vnet_tx = 1;
  a->p.mtu = pp->mtu ? pp->mtu : 1500;
  snprintf(a->p.name, sizeof a->p.name, "%s", pp->name);
  return &a->p;
fail:
  afp_close(&a->p);
  return NULL;
}
