/* Stage: l2_forward.  Looks each destination MAC up in the bridge domain's FDB:
 * known unicast goes to that one egress (filtered if it is the ingress port, or
 * no longer in the bridge domain and VLAN; a tunnel egress is encapsulated,
 * encap.c; a bond port goes out of one of its members, bond.h); broadcast, multicast and unknown
 * unicast are flooded to the (bridge domain, VLAN) flood list (flood.h), never
 * back to the ingress port nor, with split horizon, to its group, nor to a port
 * the spanning tree does not let forward (stp.h), nor, for BUM from a tunnel,
 * into an Ethernet segment where we are not the DF or that the sending VTEP
 * shares (es.h); an ARP request or neighbor solicitation from a local port for
 * a remote host with a MAC/IP binding is answered instead (suppress.h).  An aliasing group egress (es.h) sends the frame into one of
 * its tunnels by flow hash.  The egress tag (push, pop, keep) is decided per egress port (vlan.h). */
#include "es.h"
#include "l3_int.h"
#include "parse.h"
#include "stage.h"
#include "stp.h"
#include "vlan.h"

/* Copies `p` to the members of its VLAN's flood list in bridge domain `bdi`,
 * but for the ingress port and, with split horizon, the members of the
 * ingress port's group; a frame from a tunnel goes to local ports only. */
static void flood(struct hv_batch *b, uint16_t bdi, struct hv_pkt *p, int from_tunnel) {
  const struct hv_view *v = b->v;
  uint16_t group = b->pc->flood_group;
  uint32_t n;
  const struct hv_flood_member *m = hv_flood_members(v->flood[bdi], p->vlan, &n);
  hv_ctr_add(&b->w->ctr[b->in].v[HV_CTR_flooded], 1);
  for (uint32_t k = 0; k < n; k++) {
    if (group && m[k].group == group) continue;
    switch (hv_egress_kind_of(m[k].egress)) {
      case HV_EGRESS_PORT: break;
      case HV_EGRESS_TUNNEL:
        if (!from_tunnel) hv_encap_put(b, p, m[k].egress);
        continue;
      default: /* a bond: no backend yet */
        hv_ctr_add(&b->w->ctr[b->in].v[HV_CTR_drop_no_backend], 1);
        continue;
    }
    uint32_t q = hv_egress_index(m[k].egress);
    if (q == b->in || hv_stp_state(b->w->core, q) != HV_STP_forwarding) continue;
    int es_drop = from_tunnel && v->es ? hv_es_filter(v->es, q, p) : 0;
    if (es_drop) {
      hv_ctr_add(&b->w->ctr[b->in].v[es_drop], 1);
      continue;
    }
    hv_l2_put(b->w, &v->ports[q], (uint16_t)q, p);
  }
}

void hv_l2_output(struct hv_batch *b, uint16_t bdi, struct hv_fdb *fdb, struct hv_pkt *p, int from_tunnel) {
  const struct hv_view *v = b->v;
  struct hv_fdb_hit hit;
  if (hv_mac_is_multicast(p->data) || !hv_fdb_lookup(fdb, p->vlan, p->data, &hit)) {
    if (!from_tunnel && hv_mac_is_multicast(p->data) && hv_arp_nd_suppress(b, bdi, p)) return; /* answered (suppress.h) */
    flood(b, bdi, p, from_tunnel);
    return;
  }
  switch (hv_egress_kind_of(hit.egress)) {
    case HV_EGRESS_PORT: break;
    case HV_EGRESS_TUNNEL:
    case HV_EGRESS_GROUP:
      if (!from_tunnel) {
        hv_egress t = hv_egress_kind_of(hit.egress) == HV_EGRESS_GROUP ? hv_group_pick(v->groups, hit.egress, p) : hit.egress;
        if (t != HV_EGRESS_NONE) {
          hv_encap_put(b, p, t);
          return;
        }
        p->drop = HV_CTR_drop_no_backend;
        hv_ctr_add(&b->w->ctr[b->in].v[p->drop], 1);
        return;
      }
      p->drop = HV_CTR_drop_tunnel_hairpin;
      hv_ctr_add(&b->w->ctr[b->in].v[p->drop], 1);
      return;
    default:
      p->drop = HV_CTR_drop_no_backend;
      hv_ctr_add(&b->w->ctr[b->in].v[p->drop], 1);
      return;
  }
  uint32_t out = hv_egress_index(hit.egress);
  if (out >= v->nports || out == b->in) return; /* same port: filtered */
  if (hv_stp_state(b->w->core, out) != HV_STP_forwarding) {
    p->drop = HV_CTR_drop_stp_discarding;
    hv_ctr_add(&b->w->ctr[b->in].v[p->drop], 1);
    return;
  }
  const struct hv_port_cfg *po = &v->ports[out];
  if (po->port && po->bd == bdi && hv_vlan_allowed(po, p->vlan)) hv_l2_put(b->w, po, (uint16_t)out, p);
}

void hv_stage_l2_forward(struct hv_batch *b) {
  for (int i = 0; i < b->n; i++) {
    struct hv_pkt *p = &b->pkts[i];
    if (!p->drop) hv_l2_output(b, b->pc->bd, b->bd->fdb, p, 0);
  }
}
