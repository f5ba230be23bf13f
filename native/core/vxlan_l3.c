/* L3 VNIs over VXLAN (vxlan.h): EVPN type-5 routes (RFC 9136) with the
 * symmetric IRB model of RFC 9135 §4.4.1, as EVPN over VXLAN carries them
 * (RFC 8365 §5.1.3: the VNI is the route's label, the inner frame is Ethernet
 * between the two router MACs, RFC 9135 §8.1).
 *
 * Into a tunnel (hv_vxlan_l3_put, from l3_forward for an HV_NH_VXLAN next
 * hop): the packet is routed first (TTL or hop limit decremented, RFC 1812
 * §5.3.1 with the RFC 1624 checksum update; RFC 8200), then framed in an
 * untagged Ethernet header our router MAC -> the remote router MAC written in
 * front of the IP header (where the received header was: no copy), and handed
 * to the VXLAN encapsulation of L2 frames (encap.c), which builds the outer
 * headers, segments GSO frames and checks the underlay MTU.  A packet that came
 * out of a tunnel never goes back into one (drop_tunnel_hairpin).
 *
 * Out of a tunnel (hv_vxlan_l3_input, from the decap stage for a VNI mapped as
 * an L3 VNI): the inner destination MAC must be our router MAC for that VNI
 * (drop_bad_rmac: a frame for someone else, or the L2 VNI of a misconfigured
 * peer), the inner packet IPv4 (version, IHL, lengths, header checksum) or
 * IPv6 (drop_bad_vxlan), and not neighbor discovery (link-local, RFC 4861:
 * drop_local).  It is then routed in the VNI's VRF by l3_forward as if received
 * on a routed port of that VRF with no address (as MPLS pops into one,
 * mpls_decap.c).  ICMP errors about it are not sent. */
#include <string.h>

#include "csum.h"
#include "l3_int.h"

/* Checks the inner packet at `ip` (`avail` bytes); returns its length, 0 if malformed. */
static uint32_t inner_len(const uint8_t *ip, uint16_t ethertype, uint32_t avail) {
  if (ethertype == ET_IP4 && avail >= 20 && ip[0] >> 4 == 4) {
    uint32_t ihl = (uint32_t)(ip[0] & 15) * 4, tot = hv_rd16(ip + 2);
    if (ihl < 20 || tot < ihl || tot > avail || hv_csum_fold(hv_csum_add(0, ip, ihl)) != 0) return 0;
    return tot;
  }
  if (ethertype == ET_IP6 && avail >= 40 && ip[0] >> 4 == 6 && 40u + hv_rd16(ip + 4) <= avail)
    return 40u + hv_rd16(ip + 4);
  return 0;
}

void hv_vxlan_l3_put(struct hv_batch *b, struct hv_pkt *p, uint8_t af, const struct hv_nh *nh) {
  struct hv_worker *w = b->w;
  if (hv_port_is_underlay(b->pc)) { /* out of a tunnel: never back into one */
    CTR(w, b->in, drop_tunnel_hairpin);
    return;
  }
  uint8_t *ip = p->data + p->l3_off;
  uint32_t avail = p->len - p->l3_off, len = af == 4 ? hv_rd16(ip + 2) : 40u + hv_rd16(ip + 4);
  if (len > avail) len = avail;
  uint8_t *ttl = af == 4 ? ip + 8 : ip + 7;
  uint16_t old = hv_rd16(ip + 8);
  (*ttl)--;
  if (af == 4) hv_wr16(ip + 10, hv_csum_update16(hv_rd16(ip + 10), old, hv_rd16(ip + 8)));
  /* the Ethernet header goes where the received one ended; offload offsets follow the frame start */
  uint16_t shift = (uint16_t)(p->l3_off - HV_ETH_HLEN);
  if (p->has_vnet && shift) {
    p->vnet.csum_start = (uint16_t)(p->vnet.csum_start - shift);
    p->vnet.hdr_len = (uint16_t)(p->vnet.hdr_len > shift ? p->vnet.hdr_len - shift : 0);
  }
  p->data = ip - HV_ETH_HLEN;
  memcpy(p->data, nh->mac, 6);
  memcpy(p->data + 6, nh->smac, 6);
  hv_wr16(p->data + 12, af == 4 ? ET_IP4 : ET_IP6);
  p->len = HV_ETH_HLEN + len;
  p->l3_off = HV_ETH_HLEN;
  p->tag_in_data = 0;
  p->tagged = 0;
  hv_encap_put(b, p, hv_egress_make(HV_EGRESS_TUNNEL, nh->tunnel));
}

void hv_vxlan_l3_input(struct hv_batch *b, struct hv_port_cfg *vpc, struct hv_pkt *p, const struct hv_vni_entry *e) {
  struct hv_port_counters *ctr = &b->w->ctr[b->in];
  uint8_t *ip = p->data + p->l3_off;
  uint32_t len = memcmp(p->data, e->rmac, 6) ? 0 : inner_len(ip, p->ethertype, p->len - p->l3_off);
  uint8_t why = memcmp(p->data, e->rmac, 6) ? HV_CTR_drop_bad_rmac : !len ? HV_CTR_drop_bad_vxlan : 0;
  if (!why && !b->v->vrfs[e->vrf]) why = HV_CTR_drop_unknown_vni; /* its VRF being removed */
  /* RFC 4861 ND is link-local: never from a tunnel */
  if (!why && ip[0] >> 4 == 6 && ip[6] == PROTO_ICMP6 && len >= 41 && ip[40] >= 133 && ip[40] <= 137)
    why = HV_CTR_drop_local;
  if (why) {
    hv_ctr_add(&ctr->v[why], 1);
    return;
  }
  hv_ctr_add(&ctr->v[HV_CTR_decap], 1);
  p->len = p->l3_off + len;
  vpc->l3.vrf = e->vrf;
  struct hv_batch one = *b;
  one.pc = vpc;
  one.n = 1;
  one.pkts = p;
  hv_stage_l3_forward(&one);
}
