/* Stage: learn.  Source MACs of the admitted frames go into the bridge
 * domain's FDB (fdb.h) on the ingress port, as a pass of its own before any
 * forwarding of the batch.  New and moved MACs are reported as events; MACs
 * over the port's limit or without a free slot are counted and not learned.
 * A static MAC is never overwritten; a remote one seen here moves here, and
 * the MOVED event carries the remote handle (fdb.h). */
#include <string.h>

#include "stage.h"

void hv_stage_learn(struct hv_batch *b) {
  struct hv_worker *w = b->w;
  const struct hv_port_cfg *pc = b->pc;
  struct hv_port_counters *ctr = &w->ctr[b->in];
  for (int i = 0; i < b->n; i++) {
    struct hv_pkt *p = &b->pkts[i];
    if (p->drop) continue;
    hv_egress old = HV_EGRESS_NONE;
    enum hv_learn_result r = hv_fdb_learn(b->bd->fdb, p->vlan, p->data + 6, b->in, b->now, pc->mac_limit, &old);
    if (r == HV_LEARN_REFRESHED || r == HV_LEARN_STATIC) continue;
    struct hv_event e = {0};
    e.bd = pc->bd;
    e.vlan = p->vlan;
    e.port = b->in;
    memcpy(e.mac, p->data + 6, 6);
    switch (r) {
      case HV_LEARN_NEW:
        hv_ctr_add(&ctr->v[HV_CTR_learned], 1);
        e.kind = HV_EV_LEARNED;
        hv_ev_push(w, &e);
        break;
      case HV_LEARN_MOVED:
        hv_ctr_add(&ctr->v[HV_CTR_moved], 1);
        e.kind = HV_EV_MOVED;
        e.old_port = hv_egress_is_port(old) ? (uint16_t)hv_egress_index(old) : HV_FDB_NO_PORT;
        e.old_egress = old;
        hv_ev_push(w, &e);
        break;
      case HV_LEARN_LIMIT: hv_ctr_add(&ctr->v[HV_CTR_mac_limit], 1); break;
      case HV_LEARN_FULL: hv_ctr_add(&ctr->v[HV_CTR_drop_fdb_full], 1); break;
      default: break;
    }
  }
}
