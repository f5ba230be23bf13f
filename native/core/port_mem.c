/* Memory port: two in-process frame queues (rx injected by tests or the
 * controller, tx captured), like OVS's dummy or VPP's pg interfaces.  It lets
 * forwarding, learning, flooding and tagging be tested byte for byte without
 * root.  The queues take a mutex: this backend is for tests, not the fast path.
 * Opened with an address family (`af`), it is an underlay that takes UDP GSO
 * runs (hv_txreq.gso_size) and cuts them into datagrams as the kernel does:
 * the outer IP/UDP header per datagram with its lengths and checksums. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "csum.h"
#include "port.h"

#define MEMQ_SLOTS 1024

struct memq {
  uint32_t head, tail;
  uint32_t len[MEMQ_SLOTS];
  uint8_t *buf[MEMQ_SLOTS];
};

struct port_mem {
  struct hv_port p;
  pthread_mutex_t mu;
  struct memq rx, tx;
};

static int memq_push(struct memq *q, const struct iovec *iov, int iovcnt, uint32_t len) {
  if (q->tail - q->head >= MEMQ_SLOTS) return -1;
  uint8_t *b = malloc(len ? len : 1);
  if (!b) return -1;
  uint32_t off = 0;
  for (int i = 0; i < iovcnt; i++) {
    memcpy(b + off, iov[i].iov_base, iov[i].iov_len);
    off += (uint32_t)iov[i].iov_len;
  }
  q->buf[q->tail % MEMQ_SLOTS] = b;
  q->len[q->tail % MEMQ_SLOTS] = len;
  q->tail++;
  return 0;
}

static int mem_rx_burst(struct hv_port *hp, struct hv_pkt *pkts, int max, uint8_t *bufs,
                        uint32_t buf_size) {
  struct port_mem *p = (struct port_mem *)hp;
  uint64_t ev;
  if (read(hp->fd, &ev, sizeof ev) < 0 && errno != EAGAIN) return 0;
  int n = 0;
  pthread_mutex_lock(&p->mu);
  while (n < max && p->rx.head != p->rx.tail) {
    uint32_t i = p->rx.head % MEMQ_SLOTS;
    uint32_t len = p->rx.len[i] < buf_size ? p->rx.len[i] : buf_size;
    memcpy(bufs + (size_t)n * buf_size, p->rx.buf[i], len);
    free(p->rx.buf[i]);
    p->rx.head++;
    memset(&pkts[n], 0, sizeof pkts[n]);
    pkts[n].data = bufs + (size_t)n * buf_size;
    pkts[n].len = len;
    n++;
  }
  int more = p->rx.head != p->rx.tail;
  pthread_mutex_unlock(&p->mu);
  if (more) {
    ev = 1;
    if (write(hp->fd, &ev, sizeof ev) < 0) { /* counter saturated: the worker polls again anyway */
    }
  }
  return n;
}

static void mem_rx_done(struct hv_port *hp) {}

/* A UDP GSO run, as the kernel sends it: one datagram per gso_size bytes. */
static int mem_tx_run(struct port_mem *p, const struct hv_txreq *r) {
  uint32_t l4 = (r->outer[0] >> 4) == 4 ? 20 : 40, len = r->pkt->len;
  for (uint32_t off = 0; off < len; off += r->gso_size) {
    uint32_t chunk = len - off < r->gso_size ? len - off : r->gso_size;
    uint8_t h[48];
    hv_udp_run_header(r, chunk, h);
    if (l4 == 20) {
      hv_wr16(h + 26, 0);
    } else {
      hv_wr16(h + 46, 0);
      uint32_t sum = hv_csum_add(0, h + 8, 32) + 17 + 8 + chunk;
      sum = hv_csum_add(hv_csum_add(sum, h + 40, 8), r->pkt->data + off, chunk);
      uint16_t c = hv_csum_fold(sum);
      hv_wr16(h + 46, c ? c : 0xffff);
    }
    struct iovec iov[2] = {{h, l4 + 8}, {r->pkt->data + off, chunk}};
    if (memq_push(&p->tx, iov, 2, l4 + 8 + chunk)) return -1;
  }
  return 0;
}

static int mem_tx_burst(struct hv_port *hp, const struct hv_txreq *reqs, int n) {
  struct port_mem *p = (struct port_mem *)hp;
  int sent = 0;
  pthread_mutex_lock(&p->mu);
  for (int i = 0; i < n; i++) {
    uint8_t hdr[HV_VNET_HDR_LEN], tag[HV_VLAN_HLEN];
    struct iovec iov[HV_TX_IOV_MAX];
    uint32_t len;
    if (reqs[i].gso_size && p->p.udp_gso) {
      if (mem_tx_run(p, &reqs[i]) == 0) sent++;
      continue;
    }
    int cnt = hv_tx_iov(&reqs[i], 0, hdr, tag, iov, &len);
    if (cnt && memq_push(&p->tx, iov, cnt, len) == 0) sent++;
  }
  pthread_mutex_unlock(&p->mu);
  return sent;
}

static void memq_free(struct memq *q) {
  while (q->head != q->tail) free(q->buf[q->head++ % MEMQ_SLOTS]);
}

static void mem_close(struct hv_port *hp) {
  struct port_mem *p = (struct port_mem *)hp;
  close(hp->fd);
  memq_free(&p->rx);
  memq_free(&p->tx);
  pthread_mutex_destroy(&p->mu);
  free(p);
}

static const struct hv_port_ops mem_ops = {mem_rx_burst, mem_rx_done, mem_tx_burst, mem_close, NULL, NULL, NULL};

struct hv_port *hv_port_mem_open(const struct hv_port_open_params *pp, char *err, size_t errlen) {
  struct port_mem *p = calloc(1, sizeof *p);
  if (!p) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  p->p.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  p->p.fd2 = -1;
  if (p->p.fd < 0) {
    snprintf(err, errlen, "eventfd: %s", strerror(errno));
    free(p);
    return NULL;
  }
  pthread_mutex_init(&p->mu, NULL);
  p->p.ops = &mem_ops;
  p->p.kind = HV_PORT_MEMORY;
  p->p.udp_gso = pp->af == 4 || pp->af == 6;
  p->p.mpls = pp->mpls;
  p->p.mtu = pp->mtu ? pp->mtu : 1500;
  snprintf(p->p.name, sizeof p->p.name, "%s", pp->name);
  return &p->p;
}

int hv_port_mem_inject(struct hv_port *hp, const uint8_t *frame, uint32_t len) {
  if (hp->kind != HV_PORT_MEMORY) return -1;
  struct port_mem *p = (struct port_mem *)hp;
  struct iovec iov = {(void *)frame, len};
  pthread_mutex_lock(&p->mu);
  int rc = memq_push(&p->rx, &iov, 1, len);
  pthread_mutex_unlock(&p->mu);
  uint64_t one = 1;
  if (rc == 0 && write(hp->fd, &one, sizeof one) < 0) rc = -1;
  return rc;
}

int hv_port_mem_pop(struct hv_port *hp, uint8_t *buf, uint32_t size) {
  if (hp->kind != HV_PORT_MEMORY) return -1;
  struct port_mem *p = (struct port_mem *)hp;
  int rc = 0;
  pthread_mutex_lock(&p->mu);
  if (p->tx.head != p->tx.tail) {
    uint32_t i = p->tx.head % MEMQ_SLOTS;
    if (p->tx.len[i] > size) {
      rc = -1;
    } else {
      memcpy(buf, p->tx.buf[i], p->tx.len[i]);
      rc = (int)p->tx.len[i];
      free(p->tx.buf[i]);
      p->tx.head++;
    }
  }
  pthread_mutex_unlock(&p->mu);
  return rc;
}
