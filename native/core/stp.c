/* Spanning tree port states (stp.h). */
#include <errno.h>

#include "core_int.h"
#include "stage.h"
#include "stp.h"

int hv_core_port_stp_set(struct hv_core *c, uint16_t id, uint8_t state) {
  const struct hv_view *v = atomic_load(&c->view);
  if (id >= HV_MAX_PORTS || !v->ports[id].port) return -ENOENT;
  if (state >= HV_STP_STATE_COUNT) return -EINVAL;
  atomic_store_explicit(&c->stp_state[id], state, memory_order_relaxed);
  return 0;
}

uint8_t hv_core_port_stp_get(struct hv_core *c, uint16_t id) {
  if (id >= HV_MAX_PORTS) return HV_STP_forwarding;
  return atomic_load_explicit(&c->stp_state[id], memory_order_relaxed);
}

/* Drops every frame of the batch not dropped yet, counting `reason` on the ingress port. */
static void drop_all(struct hv_batch *b, uint8_t reason) {
  uint64_t n = 0;
  for (int i = 0; i < b->n; i++) {
    struct hv_pkt *p = &b->pkts[i];
    if (p->drop) continue;
    p->drop = reason;
    n++;
  }
  if (n) hv_ctr_add(&b->w->ctr[b->in].v[reason], n);
}

void hv_stage_stp_in(struct hv_batch *b) {
  if (hv_stp_state(b->w->core, b->in) == HV_STP_discarding) drop_all(b, HV_CTR_drop_stp_discarding);
}

void hv_stage_stp_learned(struct hv_batch *b) {
  if (hv_stp_state(b->w->core, b->in) == HV_STP_learning) drop_all(b, HV_CTR_drop_stp_learning);
}
