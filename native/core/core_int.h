/* Internals shared by core.c (control side) and worker.c (packet path). */
#ifndef HV_CORE_INT_H
#define HV_CORE_INT_H

#include <pthread.h>

#include "core.h"

#define HV_EVRING 4096

struct hv_txq {
  uint16_t n;
  uint32_t bytes;
  struct hv_txreq r[HV_BATCH];
};

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
  /* packet path state, allocated once */
  uint8_t *rxbuf;
  struct hv_pkt pkts[HV_BATCH];
  struct hv_txq txq[HV_MAX_PORTS];
  uint16_t dirty[HV_MAX_PORTS];
  uint16_t ndirty;
  struct hv_port_counters ctr[HV_MAX_PORTS];
  struct hv_worker_stats stats;
  uint32_t next_age;
  /* event ring: single producer (this worker), single consumer (controller) */
  _Atomic uint32_t ev_head, ev_tail;
  _Atomic uint32_t ev_lost;
  struct hv_event ev[HV_EVRING];
};

struct hv_core {
  _Atomic(struct hv_view *) view;
  uint32_t nworkers;
  uint32_t poll_ms;
  _Atomic uint32_t aging_s;
  _Atomic int running;
  struct hv_worker *workers[HV_MAX_WORKERS];
  _Atomic uint32_t port_macs[HV_MAX_PORTS];
  hv_notify_fn notify;
  void *notify_ctx;
  _Atomic int notify_pending;
  uint64_t t0_ns;
};

#define HV_RXBUF_SIZE (HV_MAX_FRAME + 128)

void *hv_worker_main(void *arg);
int hv_worker_iterate(struct hv_worker *w, int timeout_ms);
uint64_t hv_now_ns(void);

#endif
