/* Punt ring and inject call (punt.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core_int.h"
#include "punt.h"
#include "stage.h"

#define NS 1000000000ull

struct inject_slot {
  uint16_t port;
  uint32_t len;
  uint8_t *data; /* allocated and freed by the controller thread */
};

struct hv_punt_state {
  /* punt ring: producer this worker, consumer the controller */
  _Atomic uint32_t head, tail;
  struct hv_punt ring[HV_PUNT_RING];
  /* per-port token buckets, in 1e-9 packets (worker-owned) */
  uint64_t tokens[HV_MAX_PORTS];
  uint64_t last_ns[HV_MAX_PORTS];
  uint32_t rate[HV_MAX_PORTS]; /* the rate the bucket was filled for */
  /* inject ring: producer the controller, consumer this worker */
  _Atomic uint32_t inj_head, inj_tail;
  uint32_t inj_free;  /* controller: slots before this one are freed */
  uint32_t inj_taken; /* worker: slots the last drain queued */
  _Atomic uint32_t inj_full[HV_MAX_PORTS]; /* refused injects, folded into counters by the worker */
  _Atomic int inj_full_any;
  struct inject_slot inj[HV_INJECT_RING];
  struct hv_pkt inj_pkts[HV_BATCH];
};

struct hv_punt_state *hv_punt_state_create(void) { return calloc(1, sizeof(struct hv_punt_state)); }

void hv_punt_state_destroy(struct hv_punt_state *s) {
  if (!s) return;
  uint32_t tail = atomic_load(&s->inj_tail);
  for (uint32_t i = s->inj_free; i != tail; i++) free(s->inj[i % HV_INJECT_RING].data);
  free(s);
}

/* ARP, or an ICMPv6 neighbor solicitation/advertisement (no extension
 * header), after at most one tag in the data; the snooping classes. */
static uint8_t snoop_class(const uint8_t *d, uint32_t len, uint32_t mask) {
  uint32_t l3 = HV_ETH_HLEN;
  uint16_t type = (uint16_t)(d[12] << 8 | d[13]);
  if (type == HV_ETHERTYPE_VLAN && len >= HV_ETH_HLEN + HV_VLAN_HLEN) {
    type = (uint16_t)(d[16] << 8 | d[17]);
    l3 += HV_VLAN_HLEN;
  }
  if (type == 0x0806) return mask & HV_PUNT_arp;
  if (type == 0x86dd && (mask & HV_PUNT_nd) && len >= l3 + 41 && d[l3 + 6] == 58 && (d[l3 + 40] == 135 || d[l3 + 40] == 136))
    return HV_PUNT_nd;
  return 0;
}

/* The punt class a frame belongs to under `mask`, 0 if none. */
static uint8_t punt_class(const struct hv_pkt *p, uint32_t mask) {
  static const uint8_t link_local[5] = {0x01, 0x80, 0xc2, 0x00, 0x00};
  const uint8_t *d = p->data;
  if (p->drop || p->len < HV_ETH_HLEN) return 0;
  if (memcmp(d, link_local, 5) != 0) return (mask & HV_PUNT_COPY) ? snoop_class(d, p->len, mask) : 0;
  if (d[5] == 0x00 && (mask & HV_PUNT_stp)) return HV_PUNT_stp;
  if (d[5] == 0x02 && (mask & HV_PUNT_slow) && !p->tagged && d[12] == 0x88 && d[13] == 0x09)
    return HV_PUNT_slow;
  return 0;
}

/* Token bucket: `rate` packets/s, burst one second's worth; a new rate starts full. */
static int punt_allowed(struct hv_punt_state *s, uint16_t in, uint32_t rate, uint64_t now_ns) {
  uint64_t cap = (uint64_t)rate * NS;
  if (s->rate[in] != rate) {
    s->rate[in] = rate;
    s->tokens[in] = cap;
  }
  uint64_t dt = now_ns - s->last_ns[in];
  if (dt > NS) dt = NS;
  s->last_ns[in] = now_ns;
  s->tokens[in] += dt * rate;
  if (s->tokens[in] > cap) s->tokens[in] = cap;
  if (s->tokens[in] < NS) return 0;
  s->tokens[in] -= NS;
  return 1;
}

static int punt_push(struct hv_punt_state *s, const struct hv_pkt *p, uint16_t in, uint8_t reason) {
  uint32_t tail = atomic_load_explicit(&s->tail, memory_order_relaxed);
  uint32_t head = atomic_load_explicit(&s->head, memory_order_acquire);
  if (tail - head >= HV_PUNT_RING) return -1;
  struct hv_punt *e = &s->ring[tail % HV_PUNT_RING];
  e->port = in;
  e->reason = reason;
  e->len = p->len;
  e->caplen = p->len < HV_PUNT_SNAP ? p->len : HV_PUNT_SNAP;
  e->truncated = p->len > HV_PUNT_SNAP;
  memcpy(e->data, p->data, e->caplen);
  atomic_store_explicit(&s->tail, tail + 1, memory_order_release);
  return 0;
}

/* The drop reason set here is counted by the ingress stage (hv_parse keeps it). */
void hv_stage_punt(struct hv_batch *b) {
  const struct hv_port_cfg *pc = b->pc;
  if (!pc->punt_mask) return;
  struct hv_punt_state *s = b->w->punt;
  struct hv_pkt *pkts = b->pkts;
  int n = b->n;
  uint16_t in = b->in;
  uint32_t rate = pc->punt_rate ? pc->punt_rate : HV_PUNT_RATE_DEFAULT;
  uint64_t now_ns = 0;
  for (int i = 0; i < n; i++) {
    struct hv_pkt *p = &pkts[i];
    uint8_t reason = punt_class(p, pc->punt_mask);
    if (!reason) continue;
    if (!now_ns) now_ns = hv_now_ns();
    if (reason & HV_PUNT_COPY) { /* snooping: a copy, the frame goes on */
      int ok = punt_allowed(s, in, rate, now_ns) && !punt_push(s, p, in, reason);
      hv_ctr_add(&b->w->ctr[in].v[ok ? HV_CTR_snooped : HV_CTR_snoop_lost], 1);
      continue;
    }
    if (!punt_allowed(s, in, rate, now_ns)) p->drop = HV_CTR_drop_punt_rate_limited;
    else if (punt_push(s, p, in, reason)) p->drop = HV_CTR_drop_punt_full;
    else p->drop = HV_CTR_punted;
  }
}

void hv_punt_notify(struct hv_worker *w) {
  struct hv_core *c = w->core;
  struct hv_punt_state *s = w->punt;
  if (atomic_load_explicit(&s->tail, memory_order_relaxed) == atomic_load_explicit(&s->head, memory_order_relaxed))
    return;
  if (c->notify && !atomic_exchange(&c->notify_pending, 1)) c->notify(c->notify_ctx);
}

int hv_core_punts(struct hv_core *c, struct hv_punt *out, int max) {
  atomic_store(&c->notify_pending, 0);
  int n = 0;
  for (uint32_t i = 0; i < c->nworkers && n < max; i++) {
    struct hv_punt_state *s = c->workers[i]->punt;
    uint32_t head = atomic_load_explicit(&s->head, memory_order_relaxed);
    uint32_t tail = atomic_load_explicit(&s->tail, memory_order_acquire);
    for (; head != tail && n < max; head++) {
      const struct hv_punt *e = &s->ring[head % HV_PUNT_RING];
      memcpy(&out[n], e, offsetof(struct hv_punt, data) + e->caplen);
      n++;
    }
    atomic_store_explicit(&s->head, head, memory_order_release);
  }
  return n;
}

static void wake(struct hv_worker *w) {
  uint64_t one = 1;
  if (write(w->wake_fd, &one, sizeof one) < 0) { /* counter full: already woken */
  }
}

int hv_core_inject(struct hv_core *c, uint16_t port, const uint8_t *frame, uint32_t len) {
  const struct hv_view *v = atomic_load(&c->view);
  if (port >= HV_MAX_PORTS || !v->ports[port].port) return -ENOENT;
  if (len < HV_ETH_HLEN || len > HV_MAX_FRAME) return -EINVAL;
  struct hv_worker *w = c->workers[v->ports[port].worker];
  struct hv_punt_state *s = w->punt;
  uint32_t head = atomic_load_explicit(&s->inj_head, memory_order_acquire);
  for (; s->inj_free != head; s->inj_free++) { /* slots the worker has sent */
    free(s->inj[s->inj_free % HV_INJECT_RING].data);
    s->inj[s->inj_free % HV_INJECT_RING].data = NULL;
  }
  uint32_t tail = atomic_load_explicit(&s->inj_tail, memory_order_relaxed);
  if (tail - head >= HV_INJECT_RING) {
    atomic_fetch_add_explicit(&s->inj_full[port], 1, memory_order_relaxed);
    atomic_store_explicit(&s->inj_full_any, 1, memory_order_release);
    wake(w);
    return -ENOBUFS;
  }
  uint8_t *copy = malloc(len);
  if (!copy) return -ENOMEM;
  memcpy(copy, frame, len);
  s->inj[tail % HV_INJECT_RING] = (struct inject_slot){port, len, copy};
  atomic_store_explicit(&s->inj_tail, tail + 1, memory_order_release);
  wake(w);
  return 0;
}

static void fold_inject_full(struct hv_worker *w) {
  struct hv_punt_state *s = w->punt;
  if (!atomic_exchange_explicit(&s->inj_full_any, 0, memory_order_acquire)) return;
  for (int p = 0; p < HV_MAX_PORTS; p++) {
    uint32_t k = atomic_exchange_explicit(&s->inj_full[p], 0, memory_order_relaxed);
    if (k) hv_ctr_add(&w->ctr[p].v[HV_CTR_inject_full], k);
  }
}

int hv_inject_drain(struct hv_worker *w, const struct hv_view *v) {
  struct hv_punt_state *s = w->punt;
  fold_inject_full(w);
  uint32_t head = atomic_load_explicit(&s->inj_head, memory_order_relaxed);
  uint32_t tail = atomic_load_explicit(&s->inj_tail, memory_order_acquire);
  int n = 0, k = 0;
  for (; head + (uint32_t)n != tail && n < HV_BATCH; n++) {
    const struct inject_slot *slot = &s->inj[(head + (uint32_t)n) % HV_INJECT_RING];
    const struct hv_port_cfg *pc = &v->ports[slot->port];
    if (slot->port >= v->nports || !pc->port || pc->worker != w->index) continue; /* port gone */
    struct hv_pkt *p = &s->inj_pkts[k++];
    memset(p, 0, sizeof *p);
    p->data = slot->data;
    p->len = slot->len;
    p->in_port = slot->port;
    hv_txq_put(w, slot->port, p, 0);
    hv_ctr_add(&w->ctr[slot->port].v[HV_CTR_injected], 1);
  }
  s->inj_taken = (uint32_t)n;
  if (head + (uint32_t)n != tail) wake(w); /* more: look again at once */
  return n;
}

void hv_inject_done(struct hv_worker *w) {
  struct hv_punt_state *s = w->punt;
  uint32_t head = atomic_load_explicit(&s->inj_head, memory_order_relaxed);
  atomic_store_explicit(&s->inj_head, head + s->inj_taken, memory_order_release);
  s->inj_taken = 0;
}
