/* TAP backend: /dev/net/tun with IFF_TAP|IFF_NO_PI|IFF_VNET_HDR.
 * Creates the device by name (it disappears when we close it) or attaches to an
 * existing persistent one.  TUNSETOFFLOAD announces that we take partial
 * checksums and TSO/UFO-free GSO (TCPv4/v6), so a VM's TCP reaches us as 64 KiB
 * frames with a virtio-net header, which we pass on as is.
 * The kernel gives one frame per read() and takes one per write(): TAP has no
 * batched read or write.  With 1500 B frames (a VM without offloads) the
 * system calls were the switch's cost (docs/tcp-no-offload.md), so a port
 * batches them through an io_uring of its own: a burst of reads, or of
 * writev()s, is one io_uring_enter().  Reads are linked (IOSQE_IO_LINK): they
 * run in order, and the first that finds the queue empty (-EAGAIN: the fd is
 * O_NONBLOCK) cancels the rest.  Writes are hard-linked, so they run in order
 * and one failure does not cancel the frames after it.  Any worker may
 * transmit on any port: the ring is taken per burst with a test-and-set, and
 * a burst that finds it taken (or a kernel without io_uring) uses plain
 * read()/writev(). */
#include <errno.h>
#include <linux/io_uring.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "port.h"

static uint16_t get16le(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

static void vnet_parse(const uint8_t *h, struct hv_vnet_hdr *v) {
  v->flags = h[0];
  v->gso_type = h[1];
  v->hdr_len = get16le(h + 2);
  v->gso_size = get16le(h + 4);
  v->csum_start = get16le(h + 6);
  v->csum_offset = get16le(h + 8);
}

/* io_uring entries: a worker's tx burst is at most 2 * HV_BATCH requests. */
#define TAP_RING 128

struct tap_uring {
  int fd;
  unsigned *sq_head, *sq_tail, *sq_array, sq_mask;
  unsigned *cq_head, *cq_tail, cq_mask;
  struct io_uring_sqe *sqes;
  struct io_uring_cqe *cqes;
  void *sq_map, *cq_map;
  size_t sq_len, cq_len, sqes_len;
};

struct tap_port {
  struct hv_port base;
  struct tap_uring *ring; /* NULL: plain read()/writev() */
  atomic_flag busy;
  int rx_want;            /* reads to post next burst: grows with full bursts */
  int32_t res[TAP_RING];
  struct iovec iov[TAP_RING][HV_TX_IOV_MAX];
  uint8_t hdr[TAP_RING][HV_VNET_HDR_LEN], tag[TAP_RING][HV_VLAN_HLEN];
};

static void uring_close(struct tap_uring *u) {
  if (u->sqes) munmap(u->sqes, u->sqes_len);
  if (u->cq_map && u->cq_map != u->sq_map) munmap(u->cq_map, u->cq_len);
  if (u->sq_map) munmap(u->sq_map, u->sq_len);
  if (u->fd >= 0) close(u->fd);
  free(u);
}

/* NULL when the kernel has no io_uring (or forbids it): the port then uses
 * plain read()/writev(). */
static struct tap_uring *uring_open(void) {
  struct io_uring_params pr;
  memset(&pr, 0, sizeof pr);
  pr.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN;
  pr.cq_entries = 2 * TAP_RING;
  int fd = (int)syscall(__NR_io_uring_setup, TAP_RING, &pr);
  if (fd < 0) return NULL;
  struct tap_uring *u = calloc(1, sizeof *u);
  if (!u) {
    close(fd);
    return NULL;
  }
  u->fd = fd;
  u->sq_len = pr.sq_off.array + pr.sq_entries * sizeof(unsigned);
  u->cq_len = pr.cq_off.cqes + pr.cq_entries * sizeof(struct io_uring_cqe);
  if (pr.features & IORING_FEAT_SINGLE_MMAP) {
    if (u->cq_len > u->sq_len) u->sq_len = u->cq_len;
    u->cq_len = u->sq_len;
  }
  u->sq_map = mmap(NULL, u->sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
  if (u->sq_map == MAP_FAILED) {
    u->sq_map = NULL;
    uring_close(u);
    return NULL;
  }
  if (pr.features & IORING_FEAT_SINGLE_MMAP) {
    u->cq_map = u->sq_map;
  } else {
    u->cq_map = mmap(NULL, u->cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_CQ_RING);
    if (u->cq_map == MAP_FAILED) {
      u->cq_map = NULL;
      uring_close(u);
      return NULL;
    }
  }
  u->sqes_len = pr.sq_entries * sizeof(struct io_uring_sqe);
  u->sqes = mmap(NULL, u->sqes_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
  if (u->sqes == MAP_FAILED) {
    u->sqes = NULL;
    uring_close(u);
    return NULL;
  }
  uint8_t *sq = u->sq_map, *cq = u->cq_map;
  u->sq_head = (unsigned *)(sq + pr.sq_off.head);
  u->sq_tail = (unsigned *)(sq + pr.sq_off.tail);
  u->sq_mask = *(unsigned *)(sq + pr.sq_off.ring_mask);
  u->sq_array = (unsigned *)(sq + pr.sq_off.array);
  u->cq_head = (unsigned *)(cq + pr.cq_off.head);
  u->cq_tail = (unsigned *)(cq + pr.cq_off.tail);
  u->cq_mask = *(unsigned *)(cq + pr.cq_off.ring_mask);
  u->cqes = (struct io_uring_cqe *)(cq + pr.cq_off.cqes);
  return u;
}

/* Submits the n SQEs the caller prepared in the slots after the SQ tail
 * (user_data = 0..n-1)
 * and waits for their n completions, whose results go to res[].  Returns 0, or
 * -1 if the ring failed (the caller falls back to plain system calls). */
static int uring_run(struct tap_uring *u, int n, int32_t *res) {
  unsigned tail = *u->sq_tail;
  for (int i = 0; i < n; i++) {
    unsigned slot = (tail + (unsigned)i) & u->sq_mask;
    u->sq_array[slot] = slot;
  }
  __atomic_store_n(u->sq_tail, tail + (unsigned)n, __ATOMIC_RELEASE);
  int done = 0, submitted = 0;
  while (done < n) {
    int r = (int)syscall(__NR_io_uring_enter, u->fd, (unsigned)(n - submitted), (unsigned)(n - done),
                         IORING_ENTER_GETEVENTS, NULL, 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    submitted += r;
    if (submitted > n) submitted = n;
    unsigned head = *u->cq_head, ctail = __atomic_load_n(u->cq_tail, __ATOMIC_ACQUIRE);
    for (; head != ctail; head++) {
      const struct io_uring_cqe *c = &u->cqes[head & u->cq_mask];
      if (c->user_data < (uint64_t)n) res[c->user_data] = c->res;
      done++;
    }
    __atomic_store_n(u->cq_head, head, __ATOMIC_RELEASE);
  }
  return 0;
}

/* RWF_NOWAIT: the request runs inline, in submission order, and an empty
 * queue (or a full one) completes with -EAGAIN.  Without it io_uring ignores
 * O_NONBLOCK on a pollable file and waits for the fd to become ready. */
static void sqe_rw(struct io_uring_sqe *e, uint8_t op, int fd, uint64_t addr, uint32_t len, int i) {
  memset(e, 0, sizeof *e);
  e->opcode = op;
  e->fd = fd;
  e->addr = addr;
  e->len = len;
  e->off = (uint64_t)-1;
  e->rw_flags = RWF_NOWAIT;
  e->user_data = (uint64_t)i;
}

/* The port's ring for one burst, or NULL (none, or another worker has it). */
static struct tap_uring *ring_take(struct tap_port *t) {
  if (!__atomic_load_n(&t->ring, __ATOMIC_RELAXED)) return NULL;
  if (atomic_flag_test_and_set_explicit(&t->busy, memory_order_acquire)) return NULL;
  struct tap_uring *u = t->ring;
  if (!u) atomic_flag_clear_explicit(&t->busy, memory_order_release);
  return u;
}

static void ring_give(struct tap_port *t) { atomic_flag_clear_explicit(&t->busy, memory_order_release); }

static int rx_frame(struct hv_pkt *pkt, uint8_t *b, ssize_t r) {
  if (r < HV_VNET_HDR_LEN) return 0;
  memset(pkt, 0, sizeof *pkt);
  vnet_parse(b, &pkt->vnet);
  pkt->has_vnet = 1;
  pkt->data = b + HV_VNET_HDR_LEN;
  pkt->len = (uint32_t)r - HV_VNET_HDR_LEN;
  return 1;
}

static int tap_rx_plain(struct hv_port *p, struct hv_pkt *pkts, int max, uint8_t *bufs, uint32_t buf_size) {
  int n = 0;
  while (n < max) {
    uint8_t *b = bufs + (size_t)n * buf_size;
    ssize_t r = read(p->fd, b, buf_size);
    if (r < 0) break; /* EAGAIN: drained */
    n += rx_frame(&pkts[n], b, r);
  }
  return n;
}

static int tap_rx_burst(struct hv_port *hp, struct hv_pkt *pkts, int max, uint8_t *bufs,
                        uint32_t buf_size) {
  struct tap_port *t = (struct tap_port *)hp;
  struct tap_uring *u = ring_take(t);
  if (!u) return tap_rx_plain(hp, pkts, max, bufs, buf_size);
  int k = t->rx_want < max ? t->rx_want : max;
  if (k > TAP_RING) k = TAP_RING;
  unsigned tail = *u->sq_tail;
  for (int i = 0; i < k; i++)
    sqe_rw(&u->sqes[(tail + (unsigned)i) & u->sq_mask], IORING_OP_READ, hp->fd,
           (uint64_t)(uintptr_t)(bufs + (size_t)i * buf_size), buf_size, i);
  int rc = uring_run(u, k, t->res);
  int n = 0, got = 0;
  if (rc == 0 && t->res[0] == -EOPNOTSUPP) rc = -1; /* no RWF_NOWAIT on this kernel's TAP */
  if (rc == 0) {
    for (int i = 0; i < k; i++) {
      if (t->res[i] < 0) continue; /* -EAGAIN: the queue was empty then */
      got++;
      n += rx_frame(&pkts[n], bufs + (size_t)i * buf_size, t->res[i]);
    }
  }
  if (rc != 0) {
    __atomic_store_n(&t->ring, NULL, __ATOMIC_RELAXED); /* for good: a burst must not wait */
    uring_close(u);
    ring_give(t);
    return tap_rx_plain(hp, pkts, max, bufs, buf_size);
  }
  ring_give(t);
  /* All k read: more were likely waiting; post twice as many next time. */
  t->rx_want = got == k ? 2 * k : got + 4;
  return n;
}

static void tap_rx_done(struct hv_port *p) { (void)p; }

static int tap_tx_plain(struct hv_port *p, const struct hv_txreq *reqs, int n) {
  int sent = 0;
  for (int i = 0; i < n; i++) {
    uint8_t hdr[HV_VNET_HDR_LEN], tag[HV_VLAN_HLEN];
    struct iovec iov[HV_TX_IOV_MAX];
    uint32_t len;
    int cnt = hv_tx_iov(&reqs[i], 1, hdr, tag, iov, &len);
    if (cnt && writev(p->fd, iov, cnt) >= 0) sent++;
  }
  return sent;
}

static int tap_tx_burst(struct hv_port *hp, const struct hv_txreq *reqs, int n) {
  struct tap_port *t = (struct tap_port *)hp;
  struct tap_uring *u = n > 1 ? ring_take(t) : NULL;
  if (!u) return tap_tx_plain(hp, reqs, n);
  int sent = 0, done = 0;
  while (done < n) {
    int k = n - done < TAP_RING ? n - done : TAP_RING, q = 0;
    unsigned tail = *u->sq_tail;
    for (int i = 0; i < k; i++) {
      uint32_t len;
      int cnt = hv_tx_iov(&reqs[done + i], 1, t->hdr[q], t->tag[q], t->iov[q], &len);
      if (!cnt) continue;
      sqe_rw(&u->sqes[(tail + (unsigned)q) & u->sq_mask], IORING_OP_WRITEV, hp->fd,
             (uint64_t)(uintptr_t)t->iov[q], (uint32_t)cnt, q);
      q++;
    }
    if (q) {
      if (uring_run(u, q, t->res) != 0) {
        ring_give(t);
        return sent + tap_tx_plain(hp, reqs + done, n - done);
      }
      for (int i = 0; i < q; i++) sent += t->res[i] >= 0;
    }
    done += k;
  }
  ring_give(t);
  return sent;
}

static void tap_close(struct hv_port *p) {
  struct tap_port *t = (struct tap_port *)p;
  if (t->ring) uring_close(t->ring);
  if (p->fd >= 0) close(p->fd);
  free(t);
}

static const struct hv_port_ops tap_ops = {tap_rx_burst, tap_rx_done, tap_tx_burst, tap_close, NULL, NULL};

static int set_up(const char *name, uint32_t mtu, char *err, size_t errlen) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) {
    snprintf(err, errlen, "socket: %s", strerror(errno));
    return -1;
  }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
  int rc = 0;
  if (mtu) {
    ifr.ifr_mtu = (int)mtu;
    if (ioctl(s, SIOCSIFMTU, &ifr) < 0) {
      snprintf(err, errlen, "tap %s: set mtu %u: %s", name, mtu, strerror(errno));
      rc = -1;
    }
  }
  if (rc == 0 && ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) {
      snprintf(err, errlen, "tap %s: set up: %s", name, strerror(errno));
      rc = -1;
    }
  }
  close(s);
  return rc;
}

struct hv_port *hv_port_tap_open(const struct hv_port_open_params *pp, char *err, size_t errlen) {
  if (!pp->name[0]) {
    snprintf(err, errlen, "tap: empty interface name");
    return NULL;
  }
  int existed = if_nametoindex(pp->name) != 0;
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, errlen, "tap %s: open /dev/net/tun: %s", pp->name, strerror(errno));
    return NULL;
  }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", pp->name);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
    snprintf(err, errlen, "tap %s: TUNSETIFF: %s%s", pp->name, strerror(errno),
             errno == EINVAL ? " (an interface of another type has this name?)" : "");
    close(fd);
    return NULL;
  }
  int hdrsz = HV_VNET_HDR_LEN;
  unsigned offload = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
  if (ioctl(fd, TUNSETVNETHDRSZ, &hdrsz) < 0 || ioctl(fd, TUNSETOFFLOAD, offload) < 0) {
    snprintf(err, errlen, "tap %s: offload setup: %s", pp->name, strerror(errno));
    close(fd);
    return NULL;
  }
  uint32_t mtu = pp->mtu ? pp->mtu : 1500;
  if (set_up(pp->name, existed ? 0 : mtu, err, errlen) < 0) {
    close(fd);
    return NULL;
  }
  struct tap_port *t = calloc(1, sizeof *t);
  if (!t) {
    close(fd);
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  struct hv_port *p = &t->base;
  atomic_flag_clear(&t->busy);
  t->rx_want = 4;
  t->ring = getenv("HV_TAP_NO_URING") ? NULL : uring_open();
  p->ops = &tap_ops;
  p->kind = HV_PORT_TAP;
  p->fd = fd;
  p->fd2 = -1;
  p->mtu = mtu;
  p->created = !existed;
  snprintf(p->name, sizeof p->name, "%s", pp->name);
  return p;
}
