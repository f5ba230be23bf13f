/* Internals shared by core.c (control side), worker.c and the stages (packet path). */
#ifndef HV_CORE_INT_H
#define HV_CORE_INT_H

#include <pthread.h>

#include "capture.h"
#include "core.h"
#include "neigh.h"
#include "suppress.h"
#include "polling.h"

#define HV_EVRING 4096

struct hv_txq {
  uint16_t n;
  struct hv_txreq r[HV_BATCH * 2];
};

/* A frame waiting for its next hop to be resolved (copied out of the rx buffer). */
#define HV_PENDING 32
#define HV_PENDING_BYTES 2048
struct hv_pending {
  uint8_t used;
  uint8_t af;
  uint16_t port;
  uint8_t ip[16];
  uint32_t since;
  struct hv_pkt pkt;
  uint8_t data[HV_PENDING_BYTES];
};

#define HV_GEN_BYTES 256
struct hv_worker {
  struct hv_core *core;
  uint32_t index;
  pthread_t thread;
  int started;
  int wake_fd;
  _Atomic uint64_t epoch;
  _Atomic int offline;
  /* view this worker polls for, and its poll set */
  uint64_t view_version;
  int npoll;
  uint16_t poll_port[HV_MAX_PORTS];
  int rr; /* index in poll_port served first next loop: the one after the last port served */
  /* packet path state, allocated once */
  uint8_t *rxbuf;
  struct hv_pkt pkts[HV_BATCH];
  struct hv_txq txq[HV_MAX_PORTS];
  uint16_t dirty[HV_MAX_PORTS];
  uint16_t ndirty;
  struct hv_port_counters ctr[HV_MAX_PORTS];
  struct hv_worker_stats stats;
  struct hv_poll_policy poll; /* polling mode and budget (polling.h) */
  int last_total;             /* frames the previous loop received */
  /* layer 3: frames the worker builds (ARP/ND, ICMP), frames awaiting ARP/ND */
  uint16_t ngen;
  struct hv_pkt gen_pkts[2 * HV_BATCH];
  uint8_t gen[2 * HV_BATCH][HV_GEN_BYTES];
  uint32_t npending;
  struct hv_pending pending[HV_PENDING];
  uint32_t icmp_tokens, icmp_refill; /* ICMP error rate limit */
  uint32_t next_age;
  int age_pass;       /* an ageing pass is under way (worker 0) ... */
  uint32_t age_bd;    /* ... at this bridge domain */
  /* event ring: single producer (this worker), single consumer (controller) */
  _Atomic uint32_t ev_head, ev_tail;
  _Atomic uint32_t ev_lost;
  struct hv_event ev[HV_EVRING];
  struct hv_punt_state *punt; /* punt and inject rings (punt.c) */
  struct hv_encap_state *encap; /* VXLAN encapsulation queue and segment storage (encap.c) */
  struct hv_mpls_state *mpls;   /* MPLS outer headers of the batch (mpls_encap.c) */
  struct hv_gro *gro;           /* decapsulated TCP coalesced on transmit (gro.h) */
  /* TEST HOOK (liveness.c): a stall the controller asked for, in ms, and
   * whether one is under way */
  _Atomic uint32_t test_stall_ms;
  _Atomic int test_stalling;
  struct hv_capture_ring *cap;  /* capture records (capture.c) */
};

struct hv_core {
  _Atomic(struct hv_view *) view;
  uint32_t nworkers;
  struct hv_xsk_share xsk_share[HV_MAX_WORKERS]; /* AF_XDP UMEMs shared by the ports of each worker (port.h) */
  uint32_t poll_ms;
  _Atomic uint32_t aging_s;
  _Atomic int running;
  struct hv_worker *workers[HV_MAX_WORKERS];
  _Atomic uint32_t port_macs[HV_MAX_PORTS];
  hv_notify_fn notify;
  void *notify_ctx;
  _Atomic int notify_pending;
  uint64_t t0_ns;
  struct hv_nh *nh;                 /* next-hop table, HV_MAX_NH entries */
  struct hv_neigh_table *neigh;
  struct hv_suppress *suppress; /* EVPN ARP/ND suppression bindings (suppress.h) */
  /* flood-list members the controller added (control side only, flood.c) */
  struct hv_flood_extra *flood_extra;
  uint32_t nflood_extra, flood_extra_cap;
  /* tunnel endpoints (vxlan.h, tunnel.c): slots the workers read, and the
   * control side's remote VTEPs (with their tunnel counts) and VNI map */
  struct hv_tunnel *tunnels;
  struct hv_vtep_ref *vteps;
  uint32_t nvteps, vtep_cap;
  struct hv_vni_entry *vnis;
  uint32_t nvnis;
  /* packet capture (capture.h): the capture attached to each port, NULL: none */
  _Atomic(struct hv_capture *) capture[HV_MAX_PORTS];
  uint32_t capture_ids;
  struct hv_mpls_ctl mpls; /* MPLS tunnels and label table (mpls.h) */
  _Atomic uint8_t stp_state[HV_MAX_PORTS]; /* spanning tree state per port (stp.h), 0: forwarding */
};

/* A port's spanning tree state (stp.h), read by the workers. */
static inline uint8_t hv_stp_state(struct hv_core *c, uint32_t port) {
  return atomic_load_explicit(&c->stp_state[port], memory_order_relaxed);
}

struct hv_vtep_ref {
  struct hv_vtep_entry e;
  uint32_t refs;
};

struct hv_encap_state *hv_encap_state_create(void);
void hv_encap_state_destroy(struct hv_encap_state *s);

/* Control side: a private copy of the current view to edit, and its
 * publication after rebuilding the flood lists of bridge domains `a` and `b`
 * (HV_NO_BD: none); the lists replaced are freed after the quiescent state.
 * On failure (out of memory) `n` is freed, nothing is published, -1. */
struct hv_view *hv_view_copy(struct hv_core *c);
/* Publishes `n`, waits for the workers to let go of the old view, frees it. */
void hv_view_commit(struct hv_core *c, struct hv_view *n);
int hv_view_commit_flood(struct hv_core *c, struct hv_view *n, uint16_t a, uint16_t b);
/* Drops the extra flood members of a bridge domain being deleted. */
void hv_flood_forget_bd(struct hv_core *c, uint16_t bd);

static inline void hv_txq_put(struct hv_worker *w, uint16_t id, struct hv_pkt *p, uint16_t out_tci) {
  struct hv_txq *q = &w->txq[id];
  if (q->n == 0) w->dirty[w->ndirty++] = id;
  if (q->n == HV_BATCH * 2) return; /* a port gets at most two frames per received one */
  q->r[q->n] = (struct hv_txreq){.pkt = p, .out_tci = out_tci};
  q->n++;
}

/* Reports an event to the controller (single producer: this worker); a full
 * ring drops it and counts the loss. */
void hv_ev_push(struct hv_worker *w, const struct hv_event *e);

void *hv_worker_main(void *arg);
/* TEST HOOK (liveness.c): holds the calling worker's loop for a stall the
 * controller asked for, if any (one atomic load per loop otherwise). */
void hv_worker_test_stall(struct hv_worker *w);
int hv_worker_iterate(struct hv_worker *w, int timeout_us);
uint64_t hv_now_ns(void);

#endif
