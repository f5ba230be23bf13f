/* Worker: polls its ports and runs each received batch to completion through
 * plain stages over the vector of packets (VPP/Snabb style, stage.h), in the
 * order the path table below gives for the ingress port's class:
 * (each path starts with punt, a no-op unless the port punts something, punt.h;
 * before it, the capture tap of the batch as received, capture.h)
 *   L2: ingress (VLAN classification) -> learn -> l2_forward -> tx
 *   L3: ingress -> l3_ingress (header checks, anti-spoofing) -> l3_forward -> tx
 *   bond member: punt -> bond_rx (the batch becomes the bond's, bond.h) -> the L2 path
 * Each loop serves every ready port its bursts (hv_port.bursts: one for a
 * TAP, up to eight of HV_BATCH for a ring-fed port), round robin from the
 * port after the last one served, so a reply waits behind at most one loop's
 * bursts of a busy port (docs/polling.md, "Latency under load, profiled").
 * Learning is a separate pass from forwarding.  Output goes to per-port tx
 * queues flushed once per batch (one sendmmsg per egress port), then the rx
 * ring blocks are handed back.  Between batches: frames waiting for ARP/ND,
 * FDB ageing in slices, the event-ring wake-up.  No allocation and no lock on
 * this path but the FDB writer flag when a MAC is new or moves (fdb.h). */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "polling.h"
#include "stage.h"
#include "stp.h"

uint64_t hv_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void hv_ev_push(struct hv_worker *w, const struct hv_event *e) {
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

/* The stage order, in one place: a batch from a port of each class goes
 * through these stages in turn (stage.h). */
static const hv_stage_fn path_l2[] = {hv_stage_punt, hv_stage_ingress, hv_stage_stp_in, hv_stage_learn, hv_stage_stp_learned,
                                      hv_stage_l2_forward, hv_stage_encap, hv_stage_tx, NULL};
static const hv_stage_fn path_no_bridge[] = {hv_stage_punt, hv_stage_ingress, hv_stage_tx, NULL};
static const hv_stage_fn path_l3[] = {hv_stage_punt, hv_stage_ingress, hv_stage_l3_ingress, hv_stage_l3_forward, hv_stage_encap, hv_stage_tx, NULL};
static const hv_stage_fn path_underlay[] = {hv_stage_punt, hv_stage_decap, hv_stage_tx, NULL};
static const hv_stage_fn path_mpls[] = {hv_stage_punt, hv_stage_mpls_decap, hv_stage_tx, NULL};
/* A bond member: punt (slow protocols) as the member, then as the bond (bond.h). */
static const hv_stage_fn path_bond[] = {hv_stage_punt, hv_stage_bond_rx, hv_stage_punt, hv_stage_ingress, hv_stage_learn,
                                        hv_stage_l2_forward, hv_stage_encap, hv_stage_tx, NULL};

static const hv_stage_fn *const paths[HV_PATH_COUNT] = {
    [HV_PATH_L2] = path_l2,
    [HV_PATH_NO_BRIDGE] = path_no_bridge,
    [HV_PATH_L3] = path_l3,
    [HV_PATH_UNDERLAY] = path_underlay,
    [HV_PATH_MPLS] = path_mpls,
    [HV_PATH_BOND] = path_bond,
};

enum hv_path hv_path_of(const struct hv_port_cfg *pc, const struct hv_bd *bd) {
  if (hv_port_is_l3(pc)) return HV_PATH_L3;
  if (hv_port_is_member(pc)) return HV_PATH_BOND;
  if (hv_port_is_underlay(pc)) return pc->port && pc->port->mpls ? HV_PATH_MPLS : HV_PATH_UNDERLAY;
  return bd ? HV_PATH_L2 : HV_PATH_NO_BRIDGE;
}

const hv_stage_fn *hv_path_stages(enum hv_path path) { return paths[path]; }

static int process_port(struct hv_worker *w, const struct hv_view *v, uint16_t id, uint32_t now) {
  const struct hv_port_cfg *pc = &v->ports[id];
  struct hv_port *port = pc->port;
  struct hv_bd *bd = hv_port_is_bridged(pc) && pc->bd != HV_NO_BD ? v->bds[pc->bd] : NULL;
  const hv_stage_fn *stages = paths[hv_path_of(pc, bd)];
  struct hv_batch b = {.w = w, .v = v, .pc = pc, .bd = bd, .pkts = w->pkts, .in = id, .now = now};
  /* Bounded bursts per port per loop (hv_port.bursts), then the next port: a
   * frame that lands on another port while this one's bursts are sent (a
   * reply: veth and TAP run the receiver's stack inside our send, so the
   * answer is queued before the send returns) waits for those bursts
   * (docs/polling.md, "Latency under load, profiled"). */
  int total = 0, max = port->bursts ? port->bursts : HV_LOOP_BURSTS;
  for (int burst = 0; burst < max; burst++) {
    int n = port->ops->rx_burst(port, w->pkts, HV_BATCH, w->rxbuf, HV_RXBUF_SIZE);
    if (n <= 0) break;
    b.n = n;
    const struct hv_capture *cap = hv_capture_of(w->core, id, HV_CAPTURE_IN); /* once per batch */
    if (cap) hv_capture_rx(w, cap, id, w->pkts, n);
    for (const hv_stage_fn *s = stages; *s; s++) (*s)(&b);
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
  hv_ev_push(a->w, &ev);
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
  if (w->rr >= w->npoll) w->rr = 0;
}

int hv_worker_iterate(struct hv_worker *w, int timeout_us) {
  struct hv_core *c = w->core;
  struct pollfd pfd[2 * HV_MAX_PORTS + 1];
  int owner[2 * HV_MAX_PORTS]; /* pfd index -> index in poll_port */
  const struct hv_view *v = atomic_load(&c->view);
  if (v->version != w->view_version) rebuild_poll(w, v);
  int np = w->npoll, nfd = 0;
  /* The poll set starts at w->rr: ports are served in this order, round
   * robin from the one after the last port served, so a port that just had
   * its burst goes last next time. */
  for (int j = 0; j < np; j++) {
    const int i = w->rr + j < np ? w->rr + j : w->rr + j - np;
    struct hv_port *port = v->ports[w->poll_port[i]].port;
    if (port->ops->ready && port->ops->ready(port)) timeout_us = 0;
    /* A port's idle hook runs before a blocking poll and, for a worker that
     * spins (adaptive, busy), after every empty loop: an AF_PACKET port must
     * learn that its traffic stopped even if the worker never blocks, or it
     * would keep small frames on its ring (1 ms block timer) forever. */
    if (port->ops->idle && (timeout_us || !w->last_total)) {
      int t = port->ops->idle(port); /* ms */
      if (timeout_us && t >= 0 && (long)t * 1000 < timeout_us) timeout_us = t * 1000;
    }
    pfd[nfd] = (struct pollfd){port->fd, POLLIN, 0};
    owner[nfd++] = i;
    if (port->fd2 >= 0) {
      pfd[nfd] = (struct pollfd){port->fd2, POLLIN, 0};
      owner[nfd++] = i;
    }
  }
  pfd[nfd] = (struct pollfd){w->wake_fd, POLLIN, 0};
  if (timeout_us > 0) {
    /* Offline while blocked: a commit does not wait for us, so `v` may be
     * freed meanwhile and a new view allocated at the same address (ABA).
     * Only the version (monotonic, one per commit) tells whether the view we
     * built the poll list from is still the one in force. */
    const uint64_t version = v->version;
    w->stats.sleeps++;
    atomic_store(&w->offline, 1);
    const struct timespec ts = {timeout_us / 1000000, (long)(timeout_us % 1000000) * 1000};
    ppoll(pfd, (nfds_t)nfd + 1, &ts, NULL);
    atomic_store(&w->offline, 0);
    const struct hv_view *nv = atomic_load(&c->view);
    if (nv != v || nv->version != version) { /* the config changed while we slept: start over */
      atomic_fetch_add(&w->epoch, 1);
      return 0;
    }
  } else {
    w->stats.polls++;
    poll(pfd, (nfds_t)nfd + 1, 0);
  }
  if (pfd[nfd].revents) {
    uint64_t x;
    if (read(w->wake_fd, &x, sizeof x) < 0) { /* spurious */
    }
  }
  uint32_t now = hv_core_now(c);
  int total = 0;
  for (int k = 0; k < nfd;) { /* a port's entries: its `fd`, then its `fd2` if it has one */
    const int i = owner[k];
    struct hv_port *port = v->ports[w->poll_port[i]].port;
    const int two = port->fd2 >= 0;
    const uint8_t idle = (uint8_t)((pfd[k].revents ? 0 : 1) | (two && !pfd[k + 1].revents ? 2 : 0));
    k += 1 + two;
    if (idle == (two ? 3 : 1) && !(port->ops->ready && port->ops->ready(port))) continue;
    port->rx_idle = idle;
    const int n = process_port(w, v, w->poll_port[i], now);
    if (n > 0) w->rr = i + 1 < np ? i + 1 : 0;
    total += n;
  }
  if (w->npending) {
    struct hv_batch b = {.w = w, .v = v, .now = now};
    hv_l3_pending(&b);
    hv_stage_tx(&b);
  }
  if (hv_inject_drain(w, v)) { /* frames the controller sends (punt.c) */
    struct hv_batch b = {.w = w, .v = v, .now = now};
    hv_stage_tx(&b);
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
  hv_capture_notify(w);
  ev_notify(w);
  w->stats.loops++;
  if (!total) w->stats.empty_polls++;
  w->last_total = total;
  atomic_fetch_add_explicit(&w->epoch, 1, memory_order_release);
  return total;
}

void *hv_worker_main(void *arg) {
  struct hv_worker *w = arg;
  int idle_us = (int)w->core->poll_ms * 1000, busy = 0;
  /* Block in poll or look again at once: the worker's polling mode decides (polling.h). */
  while (atomic_load_explicit(&w->core->running, memory_order_acquire)) {
    hv_worker_test_stall(w);
    busy = hv_worker_iterate(w, hv_poll_timeout(&w->poll, busy, hv_now_ns(), idle_us)) > 0;
  }
  atomic_store(&w->offline, 1);
  return NULL;
}
