/* Stage: ingress.  Parses each frame (parse.h) and classifies it:
 *  - bridged ports: into a VLAN by the port's 802.1Q rules (vlan.h); a frame the
 *    port does not admit, or any frame of a port in no bridge domain, is dropped;
 *  - L3 ports take untagged (or priority-tagged) frames only.
 * Every frame counts as received here; each drop is counted once, by reason. */
#include "parse.h"
#include "stage.h"
#include "vlan.h"

static inline void drop(struct hv_port_counters *ctr, struct hv_pkt *p, uint8_t reason) {
  p->drop = reason;
  hv_ctr_add(&ctr->v[reason], 1);
}

void hv_stage_ingress(struct hv_batch *b) {
  const struct hv_port_cfg *pc = b->pc;
  struct hv_port_counters *ctr = &b->w->ctr[b->in];
  for (int i = 0; i < b->n; i++) {
    struct hv_pkt *p = &b->pkts[i];
    hv_rx_account(ctr, p, b->in);
    if (hv_parse(p, pc->port->mtu)) {
      hv_ctr_add(&ctr->v[p->drop], 1);
      continue;
    }
    if (hv_port_is_l3(pc)) { /* L3 ports are untagged */
      if (p->tagged && p->frame_vid) drop(ctr, p, HV_CTR_drop_vlan_not_allowed);
      continue;
    }
    if (pc->bd == HV_NO_BD) {
      drop(ctr, p, HV_CTR_drop_no_bridge);
      continue;
    }
    p->vlan = hv_vlan_classify(pc, p);
    if (!p->vlan) drop(ctr, p, HV_CTR_drop_vlan_not_allowed);
  }
}
