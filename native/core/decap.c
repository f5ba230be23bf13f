/* Stage: decap, the first real stage of an underlay port's path (vxlan.h).
 * Each frame is either a whole IP datagram (a memory port, later a raw uplink)
 * or a UDP payload whose outer source the socket reported (p->outer_af set,
 * port_udp.c).  Checked in turn, each failure counted once by reason: outer
 * IPv4/IPv6 + UDP to port 4789 (drop_bad_vxlan), the VXLAN I flag
 * (drop_bad_vxlan), the VNI (drop_unknown_vni), the source VTEP
 * (drop_unknown_vtep), the inner Ethernet header, untagged (drop_bad_vxlan).
 * The inner frame then takes l2_forward's output in the VNI's bridge domain and
 * VLAN, to local ports only; a frame of an L3 VNI is routed in its VRF
 * (vxlan_l3.c).  Nothing is learned from the data plane. */
#include <string.h>

#include "csum.h"
#include "parse.h"
#include "stage.h"

/* Strips outer IPv4/IPv6 and UDP from a whole datagram, noting the source
 * address; returns 0 or 1 if it is not UDP to the VXLAN port. */
static int strip_ip_udp(struct hv_pkt *p) {
  const uint8_t *d = p->data;
  uint32_t l4;
  if (p->len >= 20 && d[0] >> 4 == 4) {
    uint32_t ihl = (uint32_t)(d[0] & 0xf) * 4, tot = hv_rd16(d + 2);
    if (ihl < 20 || tot < ihl || tot > p->len || d[9] != 17 || (hv_rd16(d + 6) & 0x3fff)) return 1;
    p->len = tot;
    p->outer_af = 4;
    memcpy(p->outer_src, d + 12, 4);
    l4 = ihl;
  } else if (p->len >= 40 && d[0] >> 4 == 6) {
    uint32_t tot = 40u + hv_rd16(d + 4);
    if (d[6] != 17 || tot > p->len) return 1;
    p->len = tot;
    p->outer_af = 6;
    memcpy(p->outer_src, d + 8, 16);
    l4 = 40;
  } else {
    return 1;
  }
  if (p->len < l4 + 8 || hv_rd16(d + l4 + 2) != HV_VXLAN_PORT) return 1;
  uint32_t ulen = hv_rd16(d + l4 + 4);
  if (ulen < 8 || l4 + ulen > p->len) return 1;
  p->data += l4 + 8;
  p->len = ulen - 8;
  return 0;
}

/* Checks the VXLAN header and the inner frame; returns the VNI's entry, or
 * NULL with p->drop set. */
static const struct hv_vni_entry *check(const struct hv_vxlan_map *m, struct hv_pkt *p) {
  if (!p->outer_af && strip_ip_udp(p)) return p->drop = HV_CTR_drop_bad_vxlan, NULL;
  const uint8_t *x = p->data;
  if (p->len < HV_VXLAN_HLEN + HV_ETH_HLEN || !(x[0] & HV_VXLAN_FLAG_I)) return p->drop = HV_CTR_drop_bad_vxlan, NULL;
  uint32_t vni = (uint32_t)x[4] << 16 | (uint32_t)x[5] << 8 | x[6];
  const struct hv_vni_entry *e = hv_vni_find(m, vni);
  if (!e) return p->drop = HV_CTR_drop_unknown_vni, NULL;
  if (!hv_vtep_known(m, p->outer_af, p->outer_src)) return p->drop = HV_CTR_drop_unknown_vtep, NULL;
  p->data += HV_VXLAN_HLEN;
  p->len -= HV_VXLAN_HLEN;
  p->has_vnet = 0;
  p->tagged = 0;
  p->tag_in_data = 0;
  if (hv_parse(p, HV_MAX_FRAME) || p->tagged) return p->drop = HV_CTR_drop_bad_vxlan, NULL; /* RFC 8365 §5.1.2: untagged */
  p->vlan = e->vlan;
  return e;
}

void hv_stage_decap(struct hv_batch *b) {
  const struct hv_view *v = b->v;
  struct hv_port_counters *ctr = &b->w->ctr[b->in];
  struct hv_port_cfg vpc; /* for L3 VNIs: the VRF's view of this port, made once per batch */
  int vpc_made = 0;
  for (int i = 0; i < b->n; i++) {
    struct hv_pkt *p = &b->pkts[i];
    hv_rx_account(ctr, p, b->in);
    /* p->drop already set: refused by the port (truncated) or punted */
    const struct hv_vni_entry *e = p->drop ? NULL : check(v->vx, p);
    if (e && e->l3) { /* an L3 VNI: routed in its VRF (vxlan_l3.c), counted there */
      if (!vpc_made) {
        vpc = *b->pc;
        memset(&vpc.l3, 0, sizeof vpc.l3);
        vpc_made = 1;
      }
      hv_vxlan_l3_input(b, &vpc, p, e);
      continue;
    }
    struct hv_bd *bd = e ? v->bds[e->bd] : NULL;
    if (e && !bd) p->drop = HV_CTR_drop_unknown_vni; /* mapped to a bridge domain being removed */
    if (p->drop) { /* counted once, by reason */
      hv_ctr_add(&ctr->v[p->drop], 1);
      continue;
    }
    hv_ctr_add(&ctr->v[HV_CTR_decap], 1);
    hv_l2_output(b, e->bd, bd->fdb, p, 1);
  }
}
