/* 802.1Q port VLAN rules (IEEE 802.1Q §6.9, §8.6.2), as inline functions over a
 * port's config: ingress classification and the egress tag decision.
 *  access: untagged frames (or priority-tagged, VID 0) belong to the port's VLAN;
 *          other tagged frames are dropped; egress is untagged.
 *  trunk:  tagged frames of an allowed VLAN keep it; untagged/priority-tagged
 *          frames belong to the native VLAN if there is one, else are dropped;
 *          egress is tagged except for the native VLAN (PCP preserved). */
#ifndef HV_VLAN_H
#define HV_VLAN_H

#include "core.h"

static inline int hv_vlan_allowed(const struct hv_port_cfg *p, uint16_t vlan) {
  if (hv_port_is_access(p)) return vlan == p->vlan;
  if (vlan == p->vlan && vlan) return 1;
  return (p->allowed[vlan >> 6] >> (vlan & 63)) & 1;
}

/* VLAN of an ingress frame, or 0 if the port does not admit it. */
static inline uint16_t hv_vlan_classify(const struct hv_port_cfg *p, const struct hv_pkt *pkt) {
  uint16_t vid = pkt->frame_vid;
  if (hv_port_is_access(p)) return vid == 0 ? p->vlan : 0;
  if (vid == 0) return p->vlan; /* native VLAN, or 0 = none */
  return hv_vlan_allowed(p, vid) ? vid : 0;
}

/* TCI to send with on this egress port, 0 = untagged. */
static inline uint16_t hv_vlan_egress_tci(const struct hv_port_cfg *p, const struct hv_pkt *pkt) {
  if (!hv_port_is_trunk(p) || pkt->vlan == p->vlan) return 0;
  uint16_t pcp = pkt->tagged ? (uint16_t)(pkt->tci & 0xf000) : 0;
  return (uint16_t)(pcp | pkt->vlan);
}

#endif
