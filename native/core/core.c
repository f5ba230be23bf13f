/* Control side of the core: views, ports, bridge domains, workers, events. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core_int.h"
#include "gro.h"
#include "es.h"
#include "stp.h"
#include "fib4.h"
#include "fib6.h"

uint32_t hv_core_now(const struct hv_core *c) {
  return (uint32_t)((hv_now_ns() - c->t0_ns) / 1000000000ull) + 1;
}

uint32_t hv_core_workers(const struct hv_core *c) { return c->nworkers; }

static void free_workers(struct hv_core *c) {
  for (uint32_t i = 0; i < c->nworkers; i++) {
    struct hv_worker *w = c->workers[i];
    if (!w) continue;
    if (w->wake_fd >= 0) close(w->wake_fd);
    free(w->rxbuf);
    hv_punt_state_destroy(w->punt);
    hv_encap_state_destroy(w->encap);
    free(w->gro);
    hv_mpls_state_destroy(w->mpls);
    hv_capture_ring_destroy(w->cap);
    free(w);
    c->workers[i] = NULL;
  }
}

struct hv_core *hv_core_create(const struct hv_core_params *p) {
  struct hv_core *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->nworkers = p->workers ? p->workers : 1;
  if (c->nworkers > HV_MAX_WORKERS) c->nworkers = HV_MAX_WORKERS;
  c->poll_ms = p->poll_ms ? p->poll_ms : 100;
  atomic_store(&c->aging_s, p->aging_s ? p->aging_s : 300);
  c->t0_ns = hv_now_ns();
  struct hv_view *v = calloc(1, sizeof *v);
  c->nh = calloc(HV_MAX_NH, sizeof *c->nh);
  c->neigh = hv_neigh_create();
  c->suppress = hv_suppress_create();
  if (!v || !c->nh || !c->neigh || !c->suppress) goto fail;
  v->version = 1;
  atomic_store(&c->view, v);
  for (uint32_t i = 0; i < c->nworkers; i++) {
    struct hv_worker *w = calloc(1, sizeof *w);
    if (!w) goto fail;
    c->workers[i] = w;
    w->core = c;
    w->index = i;
    w->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    w->rxbuf = malloc((size_t)HV_BATCH * HV_RXBUF_SIZE);
    w->punt = hv_punt_state_create();
    w->encap = hv_encap_state_create();
    w->mpls = hv_mpls_state_create();
    w->gro = malloc(sizeof *w->gro);
    w->cap = hv_capture_ring_create();
    atomic_store(&w->offline, 1);
    atomic_store(&w->poll.budget_us, HV_POLL_BUDGET_DEFAULT_US);
    if (w->wake_fd < 0 || !w->rxbuf || !w->punt || !w->encap || !w->mpls || !w->gro || !w->cap) goto fail;
  }
  return c;
fail:
  free_workers(c);
  free(atomic_load(&c->view));
  free(c->nh);
  hv_neigh_destroy(c->neigh);
  hv_suppress_destroy(c->suppress);
  free(c);
  return NULL;
}

static void wake_workers(struct hv_core *c) {
  uint64_t one = 1;
  for (uint32_t i = 0; i < c->nworkers; i++)
    if (write(c->workers[i]->wake_fd, &one, sizeof one) < 0) { /* counter full: already woken */
    }
}

/* Waits until every running worker has passed a quiescent state. */
static void synchronize(struct hv_core *c) {
  if (!atomic_load(&c->running)) return;
  wake_workers(c);
  for (uint32_t i = 0; i < c->nworkers; i++) {
    struct hv_worker *w = c->workers[i];
    if (!w->started) continue;
    uint64_t e = atomic_load(&w->epoch);
    while (!atomic_load(&w->offline) && atomic_load(&w->epoch) == e) usleep(20);
  }
}

struct hv_view *hv_view_copy(struct hv_core *c) {
  struct hv_view *n = malloc(sizeof *n);
  if (!n) return NULL;
  memcpy(n, atomic_load(&c->view), sizeof *n);
  n->version++;
  return n;
}

/* Publishes `n`, waits for the workers to let go of the old view, frees it. */
void hv_view_commit(struct hv_core *c, struct hv_view *n) {
  hv_bond_refresh(n);
  struct hv_view *old = atomic_exchange(&c->view, n);
  synchronize(c);
  free(old);
}

int hv_core_start(struct hv_core *c, char *err, size_t errlen) {
  if (atomic_load(&c->running)) return 0;
  atomic_store(&c->running, 1);
  for (uint32_t i = 0; i < c->nworkers; i++) {
    struct hv_worker *w = c->workers[i];
    int rc = pthread_create(&w->thread, NULL, hv_worker_main, w);
    if (rc) {
      snprintf(err, errlen, "worker %u: pthread_create: %s", i, strerror(rc));
      hv_core_stop(c);
      return -1;
    }
    w->started = 1;
    char name[16];
    snprintf(name, sizeof name, "hv-worker-%u", i % 100u);
    pthread_setname_np(w->thread, name);
  }
  return 0;
}

void hv_core_stop(struct hv_core *c) {
  atomic_store(&c->running, 0);
  wake_workers(c);
  for (uint32_t i = 0; i < c->nworkers; i++) {
    struct hv_worker *w = c->workers[i];
    if (w->started) pthread_join(w->thread, NULL);
    w->started = 0;
  }
}

void hv_core_destroy(struct hv_core *c) {
  if (!c) return;
  hv_core_stop(c);
  struct hv_view *v = atomic_load(&c->view);
  for (uint32_t i = 0; i < v->nports; i++) hv_port_close(v->ports[i].port);
  for (uint32_t b = 0; b < HV_MAX_BDS; b++) {
    if (v->bds[b]) {
      hv_fdb_destroy(v->bds[b]->fdb);
      free(v->bds[b]);
    }
    hv_flood_free(v->flood[b]);
  }
  for (uint32_t r = 0; r < HV_MAX_VRFS; r++)
    if (v->vrfs[r]) {
      hv_fib4_destroy(v->vrfs[r]->fib4);
      hv_fib6_destroy(v->vrfs[r]->fib6);
      free(v->vrfs[r]);
    }
  hv_vxlan_map_free(v->vx);
  hv_es_view_free(v->es, v->groups);
  free(v);
  hv_capture_free_all(c);
  free_workers(c);
  free(c->nh);
  hv_neigh_destroy(c->neigh);
  hv_suppress_destroy(c->suppress);
  free(c->flood_extra);
  hv_tunnels_destroy(c);
  hv_mpls_destroy(c);
  free(c);
}

void hv_core_set_aging(struct hv_core *c, uint32_t aging_s) {
  atomic_store(&c->aging_s, aging_s ? aging_s : 300);
}

int hv_core_bd_add(struct hv_core *c, uint16_t index, uint32_t max_macs, char *err, size_t errlen) {
  if (index >= HV_MAX_BDS) {
    snprintf(err, errlen, "bridge-domain index %u out of range (max %u)", index, HV_MAX_BDS - 1);
    return -1;
  }
  if (atomic_load(&c->view)->bds[index]) {
    snprintf(err, errlen, "bridge-domain index %u already in use", index);
    return -1;
  }
  struct hv_bd *bd = calloc(1, sizeof *bd);
  struct hv_view *n = hv_view_copy(c);
  if (bd) bd->fdb = hv_fdb_create(max_macs ? max_macs : 65536, c->port_macs);
  if (!bd || !bd->fdb || !n) {
    if (bd) hv_fdb_destroy(bd->fdb);
    free(bd);
    free(n);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  bd->index = index;
  n->bds[index] = bd;
  hv_view_commit(c, n);
  return 0;
}

int hv_core_bd_del(struct hv_core *c, uint16_t index) {
  const struct hv_view *v = atomic_load(&c->view);
  if (index >= HV_MAX_BDS || !v->bds[index]) return -1;
  for (uint32_t i = 0; i < v->nports; i++)
    if (v->ports[i].port && v->ports[i].bd == index) return -2; /* still has ports */
  struct hv_view *n = hv_view_copy(c);
  if (!n) return -1;
  struct hv_bd *bd = n->bds[index];
  struct hv_flood *fl = n->flood[index];
  n->bds[index] = NULL;
  n->flood[index] = NULL;
  hv_view_commit(c, n);
  hv_flood_forget_bd(c, index);
  hv_flood_free(fl);
  hv_fdb_flush(bd->fdb, -1, -1, 1, NULL, NULL);
  hv_fdb_destroy(bd->fdb);
  free(bd);
  return 0;
}

static int settings_check(const struct hv_view *v, const struct hv_port_settings *s, char *err,
                          size_t errlen) {
  if (s->bd != HV_NO_BD && (s->bd >= HV_MAX_BDS || !v->bds[s->bd])) {
    snprintf(err, errlen, "bridge-domain index %u does not exist", s->bd);
    return -1;
  }
  if (!hv_mode_valid(s->mode)) {
    snprintf(err, errlen, "mode %u is not access, trunk, routed, vm or underlay", s->mode);
    return -1;
  }
  if (hv_mode_is_underlay(s->mode) && s->bd != HV_NO_BD) {
    snprintf(err, errlen, "an underlay port carries tunnels: it belongs to no bridge domain");
    return -1;
  }
  if (hv_mode_is_l3(s->mode)) {
    if (s->l3.vrf >= HV_MAX_VRFS || !v->vrfs[s->l3.vrf]) {
      snprintf(err, errlen, "vrf index %u does not exist", s->l3.vrf);
      return -1;
    }
    if (s->bd != HV_NO_BD) {
      snprintf(err, errlen, "a routed port belongs to a VRF, not a bridge domain");
      return -1;
    }
    return 0;
  }
  if (s->vlan > HV_VLAN_MAX || (s->mode == HV_MODE_ACCESS && s->vlan == 0)) {
    snprintf(err, errlen, "vlan %u out of range 1-%u", s->vlan, HV_VLAN_MAX);
    return -1;
  }
  return 0;
}

static void apply_settings(struct hv_port_cfg *pc, const struct hv_port_settings *s) {
  pc->bd = s->bd;
  pc->mode = s->mode;
  pc->vlan = s->vlan;
  pc->mac_limit = s->mac_limit ? s->mac_limit : 4096;
  memcpy(pc->allowed, s->allowed, sizeof pc->allowed);
  pc->l3 = s->l3;
  pc->flood_group = s->flood_group;
  pc->punt_mask = s->punt_mask;
  pc->punt_rate = s->punt_rate;
  hv_bond_apply(pc, s);
}

int hv_core_port_add(struct hv_core *c, const struct hv_port_open_params *pp,
                     const struct hv_port_settings *s, char *err, size_t errlen) {
  const struct hv_view *v = atomic_load(&c->view);
  if (settings_check(v, s, err, errlen) || hv_bond_settings_check(v, pp->kind, HV_MAX_PORTS, s, err, errlen)) return -1;
  int socket_kind = pp->kind == HV_PORT_UDP || pp->kind == HV_PORT_MPLS;
  int underlay_kind = socket_kind || pp->kind == HV_PORT_MEMORY;
  if ((socket_kind && !hv_mode_is_underlay(s->mode)) || (hv_mode_is_underlay(s->mode) && !underlay_kind)) {
    snprintf(err, errlen, "mode: a UDP or MPLS underlay port has mode underlay, and only it (or a memory port) does");
    return -1;
  }
  int id = -1;
  for (int i = 0; i < HV_MAX_PORTS; i++) {
    if (v->ports[i].port && strcmp(v->ports[i].port->name, pp->name) == 0) {
      snprintf(err, errlen, "port %s already attached", pp->name);
      return -1;
    }
    if (!v->ports[i].port && id < 0) id = i;
  }
  if (id < 0) {
    snprintf(err, errlen, "too many ports (max %d)", HV_MAX_PORTS);
    return -1;
  }
  /* AF_XDP ports of one worker (the one that will poll this id, below) share
   * UMEMs and lend each other frames (port_afxdp.c). */
  struct hv_port_open_params op = *pp;
  op.xsk_share = &c->xsk_share[(uint32_t)id % c->nworkers];
  struct hv_port *port = hv_port_open(&op, err, errlen);
  if (!port) return -1;
  port->id = (uint16_t)id;
  struct hv_view *n = hv_view_copy(c);
  if (!n) {
    hv_port_close(port);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  /* The slot was unused since the last quiescent state: nobody writes its counters. */
  for (uint32_t w = 0; w < c->nworkers; w++) memset(&c->workers[w]->ctr[id], 0, sizeof(struct hv_port_counters));
  atomic_store(&c->port_macs[id], 0);
  struct hv_port_cfg *pc = &n->ports[id];
  memset(pc, 0, sizeof *pc);
  pc->port = port;
  pc->worker = (uint8_t)((uint32_t)id % c->nworkers);
  apply_settings(pc, s);
  if ((uint32_t)id >= n->nports) n->nports = (uint32_t)id + 1;
  if (hv_view_commit_flood(c, n, pc->bd, HV_NO_BD)) {
    hv_port_close(port);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  return id;
}

int hv_core_port_set(struct hv_core *c, uint16_t id, const struct hv_port_settings *s, char *err,
                     size_t errlen) {
  const struct hv_view *v = atomic_load(&c->view);
  if (id >= HV_MAX_PORTS || !v->ports[id].port) {
    snprintf(err, errlen, "no port with id %u", id);
    return -1;
  }
  if (settings_check(v, s, err, errlen) || hv_bond_settings_check(v, v->ports[id].port->kind, id, s, err, errlen))
    return -1;
  uint16_t old_bd = v->ports[id].bd;
  struct hv_view *n = hv_view_copy(c);
  if (!n) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  apply_settings(&n->ports[id], s);
  if (hv_view_commit_flood(c, n, old_bd, s->bd)) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  /* What was learned on the port under the old rules no longer holds. */
  if (old_bd != HV_NO_BD && n->bds[old_bd]) hv_fdb_flush(n->bds[old_bd]->fdb, id, -1, 0, NULL, NULL);
  hv_neigh_flush(c->neigh, id, 0);
  return 0;
}

int hv_core_port_del(struct hv_core *c, uint16_t id) {
  const struct hv_view *v = atomic_load(&c->view);
  if (id >= HV_MAX_PORTS || !v->ports[id].port) return -1;
  struct hv_view *n = hv_view_copy(c);
  if (!n) return -1;
  struct hv_port_cfg old = n->ports[id];
  memset(&n->ports[id], 0, sizeof n->ports[id]);
  while (n->nports && !n->ports[n->nports - 1].port) n->nports--;
  if (hv_view_commit_flood(c, n, old.bd, HV_NO_BD)) return -1;
  if (old.bd != HV_NO_BD && n->bds[old.bd]) hv_fdb_flush(n->bds[old.bd]->fdb, id, -1, 1, NULL, NULL);
  hv_neigh_flush(c->neigh, id, 1);
  free(atomic_exchange(&c->capture[id], NULL)); /* no worker taps a port of no view */
  atomic_store(&c->stp_state[id], HV_STP_forwarding); /* the id's next port starts without STP */
  hv_port_close(old.port);
  return 0;
}

struct hv_port *hv_core_port(struct hv_core *c, uint16_t id) {
  const struct hv_view *v = atomic_load(&c->view);
  return id < HV_MAX_PORTS ? v->ports[id].port : NULL;
}

void hv_core_port_stats(struct hv_core *c, uint16_t id, struct hv_port_counters *out) {
  memset(out, 0, sizeof *out);
  if (id >= HV_MAX_PORTS) return;
  for (uint32_t w = 0; w < c->nworkers; w++) {
    /* Each counter has one writer; a torn read of a 64-bit aligned word cannot
     * happen on the 64-bit hosts we support, and a slightly stale one is fine. */
    const volatile uint64_t *src = c->workers[w]->ctr[id].v;
    for (int k = 0; k < HV_CTR_MAX; k++) out->v[k] += src[k];
  }
  const struct hv_port *p = hv_core_port(c, id);
  if (p && p->ops->sock_drops) { /* the kernel's count */
    int underlay = p->kind == HV_PORT_UDP || p->kind == HV_PORT_MPLS;
    out->v[underlay ? HV_CTR_drop_socket_rcvbuf : HV_CTR_drop_rx_kernel] += p->ops->sock_drops(p);
  }
  if (p) out->v[HV_CTR_tx_zero_copy] += __atomic_load_n(&p->tx_zero_copy, __ATOMIC_RELAXED);
}

uint32_t hv_core_port_macs(struct hv_core *c, uint16_t id) {
  return id < HV_MAX_PORTS ? atomic_load(&c->port_macs[id]) : 0;
}

struct hv_fdb *hv_core_fdb(struct hv_core *c, uint16_t bd) {
  const struct hv_view *v = atomic_load(&c->view);
  return bd < HV_MAX_BDS && v->bds[bd] ? v->bds[bd]->fdb : NULL;
}

int hv_core_events(struct hv_core *c, struct hv_event *out, int max) {
  atomic_store(&c->notify_pending, 0);
  int n = 0;
  for (uint32_t i = 0; i < c->nworkers && n < max; i++) {
    struct hv_worker *w = c->workers[i];
    uint32_t head = atomic_load_explicit(&w->ev_head, memory_order_relaxed);
    uint32_t tail = atomic_load_explicit(&w->ev_tail, memory_order_acquire);
    while (head != tail && n < max) out[n++] = w->ev[head++ % HV_EVRING];
    atomic_store_explicit(&w->ev_head, head, memory_order_release);
    uint32_t lost = atomic_load_explicit(&w->ev_lost, memory_order_relaxed);
    if (lost && n < max) {
      out[n++] = (struct hv_event){.kind = HV_EV_RING_OVERFLOW, .count = lost};
      atomic_fetch_sub_explicit(&w->ev_lost, lost, memory_order_relaxed);
    }
  }
  return n;
}

void hv_core_set_notify(struct hv_core *c, hv_notify_fn fn, void *ctx) {
  c->notify_ctx = ctx;
  c->notify = fn;
}

void hv_core_worker_stats(struct hv_core *c, uint32_t w, struct hv_worker_stats *out) {
  if (w < c->nworkers) *out = c->workers[w]->stats;
  else memset(out, 0, sizeof *out);
}

int hv_core_poll_once(struct hv_core *c, uint32_t worker) {
  if (worker >= c->nworkers || atomic_load(&c->running)) return -1;
  return hv_worker_iterate(c->workers[worker], 0);
}

void hv_core_synchronize(struct hv_core *c) {
  synchronize(c);
  const struct hv_view *v = atomic_load(&c->view);
  for (uint32_t r = 0; r < HV_MAX_VRFS; r++)
    if (v->vrfs[r]) {
      hv_fib4_reclaim(v->vrfs[r]->fib4);
      hv_fib6_reclaim(v->vrfs[r]->fib6);
    }
}

struct hv_neigh_table *hv_core_neigh(struct hv_core *c) { return c->neigh; }
struct hv_suppress *hv_core_suppress(struct hv_core *c) { return c->suppress; }
