/* Stage: tx.  One tx burst per egress port that has frames queued in this
 * batch (one sendmmsg/writev round per port, not per frame), then the tx
 * counters: frames and bytes as they leave, after the tag push (+4) or pop
 * (-4), with any outer header; what the port refused counts as drop_tx_error.  Frames the worker built
 * (ARP/ND, ICMP), sent pending frames and the MPLS stage's GSO segments are released here.  A stage
 * that must send one port's queue before the batch ends (its storage is full) calls hv_tx_port. */
#include "gro.h"
#include "stage.h"

static uint64_t bytes_sent(const struct hv_txq *q, int sent) {
  uint64_t bytes = 0;
  for (int k = 0; k < sent; k++) {
    const struct hv_txreq *r = &q->r[k];
    int delta = (r->out_tci ? 4 : 0) - (r->pkt->tag_in_data ? 4 : 0) + r->outer_len;
    bytes += (uint64_t)((int64_t)r->pkt->len + delta);
  }
  return bytes;
}

void hv_tx_port(struct hv_worker *w, const struct hv_view *v, uint16_t id) {
  struct hv_txq *q = &w->txq[id];
  if (!q->n) return;
  struct hv_port *port = v->ports[id].port;
  if (port->vnet_tx && q->n > 1) { /* TCP segments a tunnel delivered: into GSO frames (gro.h) */
    uint8_t ok[HV_BATCH * 2];
    int any = 0;
    for (int k = 0; k < q->n; k++) any |= ok[k] = (uint8_t)hv_port_is_underlay(&v->ports[q->r[k].pkt->in_port]);
    if (any) {
      int n = hv_gro_merge(w->gro, q->r, q->n, ok);
      hv_ctr_add(&w->ctr[id].v[HV_CTR_gro_merged], (uint64_t)(q->n - n));
      q->n = (uint16_t)n;
    }
  }
  const struct hv_capture *cap = hv_capture_of(w->core, id, HV_CAPTURE_OUT); /* once per port per batch */
  if (cap) hv_capture_tx(w, cap, id, q->r, q->n);
  int sent = port->ops->tx_burst(port, q->r, q->n);
  struct hv_port_counters *ctr = &w->ctr[id];
  hv_ctr_add(&ctr->v[HV_CTR_tx_packets], (uint64_t)sent);
  hv_ctr_add(&ctr->v[HV_CTR_tx_bytes], bytes_sent(q, sent));
  if (sent < q->n) hv_ctr_add(&ctr->v[HV_CTR_drop_tx_error], (uint64_t)(q->n - sent));
  q->n = 0;
}

void hv_stage_tx(struct hv_batch *b) {
  struct hv_worker *w = b->w;
  for (uint16_t i = 0; i < w->ndirty; i++) hv_tx_port(w, b->v, w->dirty[i]);
  hv_mpls_batch_sent(w);
  w->ndirty = 0;
  w->ngen = 0;
  for (uint32_t i = 0; i < HV_PENDING && w->npending; i++) /* sent from the pending queue: free */
    if (w->pending[i].used == 2) {
      w->pending[i].used = 0;
      w->npending--;
    }
}
