/* Worker: polls its ports and runs each received batch to completion through
 * plain stages over the vector of packets (VPP/Snabb style):
 *   rx -> parse -> ingress (VLAN classification) -> learn -> l2_forward -> tx.
 * Learning is a separate pass from forwarding.  Output goes to per-port tx
 * queues flushed once per batch (one sendmmsg per egress port), then the rx
 * ring blocks are handed back.  No allocation and no lock on this path but the
 * FDB writer flag when a MAC is new or moves (fdb.h). */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core_int.h"
#include "parse.h"
#include "vlan.h"

uint64_t hv_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void ev_push(struct hv_worker *w, const struct hv_event *e) {
  uint32_t tail = atomic_load_explicit(&w->ev_tail, memory_order_relaxed);
  uint32_t head = atomic_load_explicit(&w->ev_head, memory_order_acquire);
  if (tail - head >= HV_EVRING) {
    atomic_fetch_add_explicit(&w->ev_lost, 1, memory_order_relaxed);
    return;
  }
  w->ev[tail % HV_EVRING] = *e;
  atomic_store_explicit(&w->ev_tail, tail + 1, memory_order_release);
}

static void ev_notify(struct hv_worker *w) {
  struct hv_core *c = w->core;
  if (atomic_load_explicit(&w->ev_tail, memory_order_relaxed) ==
      atomic_load_explicit(&w->ev_head, memory_order_relaxed))
    return;
  if (c->notify && !atomic_exchange(&c->notify_pending, 1)) c->notify(c->notify_ctx);
}

/* Stage: parse and classify into a VLAN; drops are counted and marked. */
static void stage_ingress(struct hv_worker *w, const struct hv_port_cfg *pc, struct hv_pkt *pkts,
                          int n, uint16_t in) {
  struct hv_port_counters *ctr = &w->ctr[in];
  for (int i = 0; i < n; i++) {
    struct hv_pkt *p = &pkts[i];
    p->in_port = in;
    hv_ctr_add(&ctr->v[HV_CTR_rx_packets], 1);
    hv_ctr_add(&ctr->v[HV_CTR_rx_bytes], p->len);
    if (hv_parse(p, pc->port->mtu)) {
      hv_ctr_add(&ctr->v[p->drop], 1);
      continue;
    }
    if (pc->mode >= HV_MODE_ROUTED) { /* L3 ports are untagged */
      if (p->tagged && p->frame_vid) {
        p->drop = HV_CTR_drop_vlan_not_allowed;
        hv_ctr_add(&ctr->v[p->drop], 1);
      }
      continue;
    }
    if (pc->bd == HV_NO_BD) {
      p->drop = HV_CTR_drop_no_bridge;
      hv_ctr_add(&ctr->v[p->drop], 1);
      continue;
    }
    p->vlan = hv_vlan_classify(pc, p);
    if (!p->vlan) {
      p->drop = HV_CTR_drop_vlan_not_allowed;
      hv_ctr_add(&ctr->v[p->drop], 1);
    }
  }
}

/* Stage: learn source MACs. */
static void stage_learn(struct hv_worker *w, const struct hv_port_cfg *pc, struct hv_fdb *fdb,
                        struct hv_pkt *pkts, int n, uint16_t in, uint32_t now) {
  struct hv_port_counters *ctr = &w->ctr[in];
  for (int i = 0; i < n; i++) {
    struct hv_pkt *p = &pkts[i];
    if (p->drop) continue;
    uint16_t old = 0;
    enum hv_learn_result r = hv_fdb_learn(fdb, p->vlan, p->data + 6, in, now, pc->mac_limit, &old);
    if (r == HV_LEARN_REFRESHED || r == HV_LEARN_STATIC) continue;
    struct hv_event e = {0};
    e.bd = pc->bd;
    e.vlan = p->vlan;
    e.port = in;
    memcpy(e.mac, p->data + 6, 6);
    switch (r) {
      case HV_LEARN_NEW:
        hv_ctr_add(&ctr->v[HV_CTR_learned], 1);
        e.kind = HV_EV_LEARNED;
        ev_push(w, &e);
        break;
      case HV_LEARN_MOVED:
        hv_ctr_add(&ctr->v[HV_CTR_moved], 1);
        e.kind = HV_EV_MOVED;
        e.old_port = old;
        ev_push(w, &e);
        break;
      case HV_LEARN_LIMIT: hv_ctr_add(&ctr->v[HV_CTR_mac_limit], 1); break;
      case HV_LEARN_FULL: hv_ctr_add(&ctr->v[HV_CTR_drop_fdb_full], 1); break;
      default: break;
    }
  }
}

static inline void txq_put(struct hv_worker *w, const struct hv_port_cfg *out, uint16_t id,
                           struct hv_pkt *p) {
  hv_txq_put(w, id, p, hv_vlan_egress_tci(out, p));
}

/* Stage: FDB lookup; known unicast to one port, the rest flooded in the VLAN. */
static void stage_l2_forward(struct hv_worker *w, const struct hv_view *v, struct hv_fdb *fdb,
                             struct hv_pkt *pkts, int n, uint16_t in) {
  const struct hv_port_cfg *pin = &v->ports[in];
  for (int i = 0; i < n; i++) {
    struct hv_pkt *p = &pkts[i];
    if (p->drop) continue;
    int out = hv_mac_is_multicast(p->data) ? -1 : hv_fdb_lookup(fdb, p->vlan, p->data);
    if (out >= 0) {
      if ((uint32_t)out >= v->nports || out == in) continue; /* same port: filtered */
      const struct hv_port_cfg *po = &v->ports[out];
      if (po->port && po->bd == pin->bd && hv_vlan_allowed(po, p->vlan)) txq_put(w, po, (uint16_t)out, p);
      continue;
    }
    hv_ctr_add(&w->ctr[in].v[HV_CTR_flooded], 1);
    for (uint32_t q = 0; q < v->nports; q++) {
      const struct hv_port_cfg *po = &v->ports[q];
      if (q == in || !po->port || po->bd != pin->bd || !hv_vlan_allowed(po, p->vlan)) continue;
      txq_put(w, po, (uint16_t)q, p);
    }
  }
}

/* Stage: one tx burst per egress port. */
static void stage_tx(struct hv_worker *w, const struct hv_view *v) {
  for (uint16_t i = 0; i < w->ndirty; i++) {
    uint16_t id = w->dirty[i];
    struct hv_txq *q = &w->txq[id];
    struct hv_port *port = v->ports[id].port;
    int sent = port->ops->tx_burst(port, q->r, q->n);
    struct hv_port_counters *ctr = &w->ctr[id];
    uint64_t bytes = 0;
    for (int k = 0; k < sent; k++) {
      const struct hv_txreq *r = &q->r[k];
      int delta = (r->out_tci ? 4 : 0) - (r->pkt->tag_in_data ? 4 : 0);
      bytes += (uint64_t)((int64_t)r->pkt->len + delta);
    }
    hv_ctr_add(&ctr->v[HV_CTR_tx_packets], (uint64_t)sent);
    hv_ctr_add(&ctr->v[HV_CTR_tx_bytes], bytes);
    if (sent < q->n) hv_ctr_add(&ctr->v[HV_CTR_drop_tx_error], (uint64_t)(q->n - sent));
    q->n = 0;
  }
  w->ndirty = 0;
  w->ngen = 0;
  for (uint32_t i = 0; i < HV_PENDING && w->npending; i++) /* sent from the pending queue: free */
    if (w->pending[i].used == 2) {
      w->pending[i].used = 0;
      w->npending--;
    }
}

static int process_port(struct hv_worker *w, const struct hv_view *v, uint16_t id, uint32_t now) {
  const struct hv_port_cfg *pc = &v->ports[id];
  struct hv_port *port = pc->port;
  struct hv_bd *bd = pc->bd != HV_NO_BD ? v->bds[pc->bd] : NULL;
  int total = 0;
  /* Bounded bursts per port per loop so one busy port cannot starve the others. */
  for (int burst = 0; burst < 8; burst++) {
    int n = port->ops->rx_burst(port, w->pkts, HV_BATCH, w->rxbuf, HV_RXBUF_SIZE);
    if (n <= 0) break;
    if (pc->punt_mask) hv_stage_punt(w, pc, w->pkts, n, id); /* punt.c; ingress counts it */
    stage_ingress(w, pc, w->pkts, n, id);
    if (pc->mode >= HV_MODE_ROUTED) {
      hv_l3_input(w, v, pc, w->pkts, n, id, now);
    } else if (bd) {
      stage_learn(w, pc, bd->fdb, w->pkts, n, id, now);
      stage_l2_forward(w, v, bd->fdb, w->pkts, n, id);
    }
    stage_tx(w, v);
    port->ops->rx_done(port);
    w->stats.batches++;
    w->stats.packets += (uint64_t)n;
    total += n;
    if (n < HV_BATCH) break;
  }
  return total;
}

struct age_ctx {
  struct hv_worker *w;
  uint16_t bd;
};

static void age_cb(void *ctx, const struct hv_fdb_entry *e) {
  struct age_ctx *a = ctx;
  struct hv_event ev = {0};
  ev.kind = HV_EV_AGED;
  memcpy(ev.mac, e->mac, 6);
  ev.vlan = e->vlan;
  ev.port = e->port;
  ev.bd = a->bd;
  ev_push(a->w, &ev);
}

/* Ageing, by worker 0 between batches: a pass over every bridge domain's table
 * starts once a second (if the previous one is done) and advances HV_AGE_SLICE
 * slots per loop, so a table of 100k MACs never stalls forwarding (a whole
 * sweep of its 256k slots took ~1.7 ms: the ping p99 of the many-MACs bench). */
#define HV_AGE_SLICE 4096

static void age_slice(struct hv_worker *w, const struct hv_view *v, uint32_t now) {
  uint32_t aging = atomic_load_explicit(&w->core->aging_s, memory_order_relaxed);
  uint32_t budget = HV_AGE_SLICE;
  while (budget && w->age_bd < HV_MAX_BDS) {
    const struct hv_bd *bd = v->bds[w->age_bd];
    struct age_ctx a = {w, (uint16_t)w->age_bd};
    if (!bd || hv_fdb_age_step(bd->fdb, now, aging, &budget, age_cb, &a)) w->age_bd++;
  }
  if (w->age_bd >= HV_MAX_BDS) w->age_pass = 0;
}

static void rebuild_poll(struct hv_worker *w, const struct hv_view *v) {
  w->npoll = 0;
  for (uint32_t i = 0; i < v->nports; i++)
    if (v->ports[i].port && v->ports[i].worker == w->index) w->poll_port[w->npoll++] = (uint16_t)i;
  w->view_version = v->version;
}

int hv_worker_iterate(struct hv_worker *w, int timeout_ms) {
  struct hv_core *c = w->core;
  struct pollfd pfd[2 * HV_MAX_PORTS + 1];
  int owner[2 * HV_MAX_PORTS]; /* pfd index -> index in poll_port */
  const struct hv_view *v = atomic_load(&c->view);
  if (v->version != w->view_version) rebuild_poll(w, v);
  int np = w->npoll, nfd = 0;
  for (int i = 0; i < np; i++) {
    struct hv_port *port = v->ports[w->poll_port[i]].port;
    if (timeout_ms && port->ops->idle) {
      int t = port->ops->idle(port);
      if (t >= 0 && t < timeout_ms) timeout_ms = t;
    }
    pfd[nfd] = (struct pollfd){port->fd, POLLIN, 0};
    owner[nfd++] = i;
    if (port->fd2 >= 0) {
      pfd[nfd] = (struct pollfd){port->fd2, POLLIN, 0};
      owner[nfd++] = i;
    }
  }
  pfd[nfd] = (struct pollfd){w->wake_fd, POLLIN, 0};
  if (timeout_ms > 0) {
    atomic_store(&w->offline, 1);
    poll(pfd, (nfds_t)nfd + 1, timeout_ms);
    atomic_store(&w->offline, 0);
    const struct hv_view *nv = atomic_load(&c->view);
    if (nv != v) { /* the config changed while we slept: start over with the new one */
      atomic_fetch_add(&w->epoch, 1);
      return 0;
    }
  } else {
    poll(pfd, (nfds_t)nfd + 1, 0);
  }
  if (pfd[nfd].revents) {
    uint64_t x;
    if (read(w->wake_fd, &x, sizeof x) < 0) { /* spurious */
    }
  }
  uint32_t now = hv_core_now(c);
  int total = 0, last = -1;
  for (int k = 0; k < nfd; k++) {
    if (!pfd[k].revents || owner[k] == last) continue;
    last = owner[k];
    total += process_port(w, v, w->poll_port[owner[k]], now);
  }
  if (w->npending) {
    hv_l3_pending(w, v, now);
    stage_tx(w, v);
  }
  if (hv_inject_drain(w, v)) { /* frames the controller sends (punt.c) */
    stage_tx(w, v);
    hv_inject_done(w);
  }
  if (w->index == 0) {
    if (now != w->next_age) {
      w->next_age = now;
      hv_neigh_age(c->neigh, now, HV_NEIGH_GC_S, 1024);
      if (!w->age_pass) w->age_pass = 1, w->age_bd = 0;
    }
    if (w->age_pass) age_slice(w, v, now);
  }
  hv_punt_notify(w);
  ev_notify(w);
  w->stats.loops++;
  atomic_fetch_add_explicit(&w->epoch, 1, memory_order_release);
  return total;
}

void *hv_worker_main(void *arg) {
  struct hv_worker *w = arg;
  int idle_ms = (int)w->core->poll_ms, busy = 0;
  /* After a busy iteration look again at once; block in poll only when idle. */
  while (atomic_load_explicit(&w->core->running, memory_order_acquire))
    busy = hv_worker_iterate(w, busy ? 0 : idle_ms) > 0;
  atomic_store(&w->offline, 1);
  return NULL;
}
