/* Packet capture: taps, per-worker record rings, attach/detach (capture.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture.h"
#include "core_int.h"
#include "csum.h"

struct hv_capture {
  uint32_t id;
  uint8_t dir;
  uint32_t snaplen;
  uint32_t nprog; /* 0: no filter */
  /* counters, one slot per worker (single writer each), summed on read */
  _Atomic uint64_t captured[HV_MAX_WORKERS], dropped[HV_MAX_WORKERS], filtered[HV_MAX_WORKERS];
  struct hv_bpf_insn prog[];
};

/* Byte ring of records: producer the worker, consumer the controller.
 * head/tail are byte counts since creation; a record never wraps: where fewer
 * than its size are left before the end, the producer skips to the start
 * (writing a skip record, capture id 0, if a header fits; both sides skip a
 * tail shorter than a header without one). */
struct hv_capture_ring {
  _Atomic uint64_t head, tail;
  uint64_t notified_ns; /* worker: when it last woke the controller for records */
  uint8_t *buf;
};

/* The controller is woken for records at most this often, unless the ring is
 * a quarter full: a busy port's frames reach it in batches of milliseconds,
 * not one wake-up per worker loop (each costs the controller a JS call and a
 * gRPC message).  An idle worker's records wait at most its poll timeout. */
#define NOTIFY_NS 2000000ull

#define REC_ALIGN 8u

/* A counter of this worker's slot: one writer, relaxed. */
static void bump(_Atomic uint64_t *a) {
  atomic_store_explicit(a, atomic_load_explicit(a, memory_order_relaxed) + 1, memory_order_relaxed);
}

struct hv_capture_ring *hv_capture_ring_create(void) {
  struct hv_capture_ring *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->buf = calloc(1, HV_CAPTURE_RING); /* large: mapped on demand, untouched until a capture runs */
  if (!r->buf) {
    free(r);
    return NULL;
  }
  return r;
}

void hv_capture_ring_destroy(struct hv_capture_ring *r) {
  if (!r) return;
  free(r->buf);
  free(r);
}

void hv_capture_free_all(struct hv_core *c) {
  for (int p = 0; p < HV_MAX_PORTS; p++) free(atomic_exchange(&c->capture[p], NULL));
}

const struct hv_capture *hv_capture_of(struct hv_core *c, uint16_t port, uint8_t dir) {
  const struct hv_capture *cap = atomic_load_explicit(&c->capture[port], memory_order_acquire);
  return cap && (cap->dir & dir) ? cap : NULL;
}

static struct timespec realtime(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts;
}

static uint32_t iov_len(const struct iovec *iov, int cnt) {
  uint32_t n = 0;
  for (int i = 0; i < cnt; i++) n += (uint32_t)iov[i].iov_len;
  return n;
}

/* Room for `need` contiguous bytes at the tail, skipping the end of the
 * buffer if needed; NULL if the ring is too full. */
static uint8_t *reserve(struct hv_capture_ring *r, uint32_t need) {
  uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
  uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);
  uint32_t pos = (uint32_t)(tail % HV_CAPTURE_RING), room = HV_CAPTURE_RING - pos;
  uint32_t skip = room < need ? room : 0;
  if (tail - head + skip + need > HV_CAPTURE_RING) return NULL;
  if (skip) {
    if (skip >= HV_CAPTURE_REC_HLEN) {
      struct hv_capture_rec *pad = (struct hv_capture_rec *)(r->buf + pos);
      pad->size = skip;
      pad->capture = 0;
    }
    atomic_store_explicit(&r->tail, tail + skip, memory_order_release);
    pos = 0;
  }
  return r->buf + pos;
}

/* Filters and copies one frame (the pieces iov[0..cnt)); counts it. */
static void record(struct hv_worker *w, const struct hv_capture *cap, uint16_t port, uint8_t dir,
                   const struct iovec *iov, int cnt, struct timespec ts) {
  struct hv_capture *mc = (struct hv_capture *)cap;
  uint32_t len = iov_len(iov, cnt), keep = cap->snaplen;
  if (cap->nprog) {
    uint32_t k = hv_bpf_run(cap->prog, iov, cnt, len, len);
    if (!k) {
      bump(&mc->filtered[w->index]);
      return;
    }
    if (k < keep) keep = k;
  }
  uint32_t caplen = len < keep ? len : keep;
  uint32_t size = (HV_CAPTURE_REC_HLEN + caplen + REC_ALIGN - 1) & ~(REC_ALIGN - 1);
  struct hv_capture_ring *r = w->cap;
  uint8_t *slot = reserve(r, size);
  if (!slot) {
    bump(&mc->dropped[w->index]);
    return;
  }
  struct hv_capture_rec *h = (struct hv_capture_rec *)slot;
  *h = (struct hv_capture_rec){.size = size, .capture = cap->id, .port = port, .dir = dir, .len = len,
                               .caplen = caplen, .ts_sec = (uint32_t)ts.tv_sec,
                               .ts_nsec = (uint32_t)ts.tv_nsec};
  uint8_t *d = slot + HV_CAPTURE_REC_HLEN;
  for (int i = 0; i < cnt && caplen; i++) {
    uint32_t n = iov[i].iov_len < caplen ? (uint32_t)iov[i].iov_len : caplen;
    memcpy(d, iov[i].iov_base, n);
    d += n;
    caplen -= n;
  }
  uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
  atomic_store_explicit(&r->tail, tail + size, memory_order_release);
  bump(&mc->captured[w->index]);
}

void hv_capture_rx(struct hv_worker *w, const struct hv_capture *cap, uint16_t port, const struct hv_pkt *pkts, int n) {
  struct timespec ts = realtime();
  for (int i = 0; i < n; i++) {
    const struct hv_pkt *p = &pkts[i];
    struct iovec iov[3];
    uint8_t tag[HV_VLAN_HLEN];
    int cnt = 0;
    if (p->tagged && p->len >= 12) { /* stripped by the kernel (before parse only an out-of-band tag sets this) */
      hv_wr16(tag, HV_ETHERTYPE_VLAN);
      hv_wr16(tag + 2, p->tci);
      iov[cnt++] = (struct iovec){p->data, 12};
      iov[cnt++] = (struct iovec){tag, HV_VLAN_HLEN};
      iov[cnt++] = (struct iovec){p->data + 12, p->len - 12};
    } else {
      iov[cnt++] = (struct iovec){p->data, p->len};
    }
    record(w, cap, port, HV_CAPTURE_IN, iov, cnt, ts);
  }
}

void hv_capture_tx(struct hv_worker *w, const struct hv_capture *cap, uint16_t port, const struct hv_txreq *r, int n) {
  struct timespec ts = realtime();
  for (int i = 0; i < n; i++) {
    struct iovec iov[HV_TX_IOV_MAX];
    uint8_t hdr[HV_VNET_HDR_LEN], tag[HV_VLAN_HLEN];
    uint32_t len;
    if (r[i].gso_size && r[i].outer_len >= 28) { /* a run: one record per datagram, as the kernel sends them */
      const struct hv_pkt *p = r[i].pkt;
      for (uint32_t off = 0; off < p->len; off += r[i].gso_size) {
        uint32_t chunk = p->len - off < r[i].gso_size ? p->len - off : r[i].gso_size;
        uint8_t h[HV_OUTER_MAX];
        struct iovec d[2] = {{h, hv_udp_run_header(&r[i], chunk, h)}, {p->data + off, chunk}};
        record(w, cap, port, HV_CAPTURE_OUT, d, 2, ts);
      }
      continue;
    }
    int cnt = hv_tx_iov(&r[i], 0, hdr, tag, iov, &len);
    if (cnt) record(w, cap, port, HV_CAPTURE_OUT, iov, cnt, ts);
  }
}

void hv_capture_notify(struct hv_worker *w) {
  struct hv_core *c = w->core;
  struct hv_capture_ring *r = w->cap;
  uint64_t waiting = atomic_load_explicit(&r->tail, memory_order_relaxed) - atomic_load_explicit(&r->head, memory_order_relaxed);
  if (!waiting) return;
  uint64_t now = hv_now_ns();
  if (waiting < HV_CAPTURE_RING / 4 && now - r->notified_ns < NOTIFY_NS) return;
  r->notified_ns = now;
  if (c->notify && !atomic_exchange(&c->notify_pending, 1)) c->notify(c->notify_ctx);
}

/* ---- control side ---------------------------------------------------------- */

int hv_core_capture_start(struct hv_core *c, uint16_t port, uint8_t dir, uint32_t snaplen,
                          const struct hv_bpf_insn *prog, uint32_t nprog) {
  const struct hv_view *v = atomic_load(&c->view);
  if (port >= HV_MAX_PORTS || !v->ports[port].port) return -ENOENT;
  if (dir < HV_CAPTURE_IN || dir > HV_CAPTURE_BOTH || snaplen > HV_CAPTURE_SNAP_MAX) return -EINVAL;
  if (nprog && hv_bpf_validate(prog, nprog)) return -EINVAL;
  if (atomic_load(&c->capture[port])) return -EBUSY;
  struct hv_capture *cap = calloc(1, sizeof *cap + (size_t)nprog * sizeof *prog);
  if (!cap) return -ENOMEM;
  c->capture_ids = c->capture_ids % 0x7fffffffu + 1; /* 1..2^31-1: never 0 (a skip record) */
  cap->id = c->capture_ids;
  cap->dir = dir;
  cap->snaplen = snaplen ? snaplen : HV_CAPTURE_SNAP_DEFAULT;
  cap->nprog = nprog;
  if (nprog) memcpy(cap->prog, prog, (size_t)nprog * sizeof *prog);
  atomic_store_explicit(&c->capture[port], cap, memory_order_release);
  return (int)cap->id;
}

static void sum_stats(const struct hv_capture *cap, struct hv_capture_stats *out) {
  *out = (struct hv_capture_stats){0};
  for (int i = 0; i < HV_MAX_WORKERS; i++) {
    out->captured += atomic_load_explicit(&cap->captured[i], memory_order_relaxed);
    out->dropped += atomic_load_explicit(&cap->dropped[i], memory_order_relaxed);
    out->filtered += atomic_load_explicit(&cap->filtered[i], memory_order_relaxed);
  }
}

static struct hv_capture *attached(struct hv_core *c, uint16_t port, uint32_t id) {
  if (port >= HV_MAX_PORTS) return NULL;
  struct hv_capture *cap = atomic_load(&c->capture[port]);
  return cap && cap->id == id ? cap : NULL;
}

int hv_core_capture_stats(struct hv_core *c, uint16_t port, uint32_t id, struct hv_capture_stats *out) {
  const struct hv_capture *cap = attached(c, port, id);
  if (!cap) return -ENOENT;
  sum_stats(cap, out);
  return 0;
}

int hv_core_capture_stop(struct hv_core *c, uint16_t port, uint32_t id, struct hv_capture_stats *out) {
  struct hv_capture *cap = attached(c, port, id);
  if (!cap) return -ENOENT;
  atomic_store(&c->capture[port], NULL);
  hv_core_synchronize(c); /* no worker holds it any more */
  if (out) sum_stats(cap, out);
  free(cap);
  return 0;
}

/* Copies whole records of one ring into buf; returns the bytes written. */
static uint32_t drain_ring(struct hv_capture_ring *r, uint8_t *buf, uint32_t size) {
  uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
  uint64_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
  uint32_t out = 0;
  while (head != tail) {
    uint32_t pos = (uint32_t)(head % HV_CAPTURE_RING), room = HV_CAPTURE_RING - pos;
    if (room < HV_CAPTURE_REC_HLEN) { /* a tail too short for a header: skipped */
      head += room;
      continue;
    }
    const struct hv_capture_rec *h = (const struct hv_capture_rec *)(r->buf + pos);
    if (h->capture == 0) { /* skip record */
      head += h->size;
      continue;
    }
    if (h->size > size - out) break;
    memcpy(buf + out, h, h->size);
    out += h->size;
    head += h->size;
  }
  atomic_store_explicit(&r->head, head, memory_order_release);
  return out;
}

uint32_t hv_core_captures(struct hv_core *c, uint8_t *buf, uint32_t size) {
  atomic_store(&c->notify_pending, 0);
  uint32_t out = 0;
  for (uint32_t i = 0; i < c->nworkers; i++) out += drain_ring(c->workers[i]->cap, buf + out, size - out);
  return out;
}
