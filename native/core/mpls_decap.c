/* Stage: mpls_decap, the first real stage of an MPLS underlay port's path
 * (mpls.h).  Each packet is a whole IP datagram (a memory port) or, from the
 * MPLS port (port_mpls.c), the payload after the outer IP header (GRE) or
 * after IP and UDP (MPLS over UDP) with the outer family, source and protocol
 * as metadata.  Checked in turn, each failure counted once by reason:
 *   outer IPv4/IPv6 unfragmented, UDP to 6635 or GRE (RFC 2784: version 0, no
 *   reserved bit, checksum verified if present, RFC 2890 key and sequence
 *   skipped) with protocol 0x8847, one label entry with S set, an inner IPv4
 *   (version, IHL, length, header checksum) or IPv6 header: drop_bad_mpls;
 *   the label mapped to an existing VRF: drop_unknown_label; an inner ND
 *   message (ICMPv6 133-137, link-local by RFC 4861): drop_local.
 * The label is popped, the inner TTL set to min(label TTL, inner TTL) (RFC 3443
 * §3 uniform model: the TTL is never raised by the pop), and the packet routed
 * in the VRF by l3_forward as if received on a routed port of that VRF with no
 * address (ICMP errors about it are not sent: there is no port to answer on).
 * It needs 14 bytes in front of the inner packet for the Ethernet header the
 * L3 stages work on: the outer headers of a datagram, or the headroom a port
 * that strips them leaves (HV_MPLS_HEADROOM, port_mpls.c). */
#include <string.h>

#include "csum.h"
#include "l3_int.h"

/* Strips the outer IPv4/IPv6 header of a whole datagram, noting the source
 * and protocol; returns 0, or 1 if it is malformed, a fragment, or neither UDP
 * nor GRE.  A UDP header is stripped too (to 6635 only). */
static int strip_outer(struct hv_pkt *p) {
  const uint8_t *d = p->data;
  uint32_t l4, tot;
  if (p->len >= 20 && d[0] >> 4 == 4) {
    uint32_t ihl = (uint32_t)(d[0] & 0xf) * 4;
    tot = hv_rd16(d + 2);
    if (ihl < 20 || tot < ihl || tot > p->len || (hv_rd16(d + 6) & 0x3fff)) return 1;
    p->outer_af = 4;
    p->outer_proto = d[9];
    memcpy(p->outer_src, d + 12, 4);
    l4 = ihl;
  } else if (p->len >= 40 && d[0] >> 4 == 6) {
    tot = 40u + hv_rd16(d + 4);
    if (tot > p->len) return 1;
    p->outer_af = 6;
    p->outer_proto = d[6];
    memcpy(p->outer_src, d + 8, 16);
    l4 = 40;
  } else {
    return 1;
  }
  p->data += l4;
  p->len = tot - l4;
  if (p->outer_proto == HV_PROTO_GRE) return 0;
  if (p->outer_proto != PROTO_UDP || p->len < 8 || hv_rd16(p->data + 2) != HV_MPLS_UDP_PORT) return 1;
  uint32_t ulen = hv_rd16(p->data + 4);
  if (ulen < 8 || ulen > p->len) return 1;
  p->data += 8;
  p->len = ulen - 8;
  return 0;
}

/* Strips a GRE header carrying MPLS; returns 0 or 1 if malformed. */
static int strip_gre(struct hv_pkt *p) {
  if (p->len < 4) return 1;
  uint16_t f = hv_rd16(p->data);
  /* C (0x8000), K (0x2000), S (0x1000); reserved bits and version must be 0 */
  if ((f & 0x4fff) || hv_rd16(p->data + 2) != HV_ETHERTYPE_MPLS) return 1;
  uint32_t hl = 4 + (f & 0x8000 ? 4u : 0u) + (f & 0x2000 ? 4u : 0u) + (f & 0x1000 ? 4u : 0u);
  if (p->len < hl) return 1;
  if ((f & 0x8000) && hv_csum_fold(hv_csum_add(0, p->data, p->len)) != 0) return 1;
  p->data += hl;
  p->len -= hl;
  return 0;
}

/* Checks the inner packet at `ip` (`avail` bytes); returns its length, 0 if malformed. */
static uint32_t inner_len(const uint8_t *ip, uint32_t avail) {
  if (avail >= 20 && ip[0] >> 4 == 4) {
    uint32_t ihl = (uint32_t)(ip[0] & 15) * 4, tot = hv_rd16(ip + 2);
    if (ihl < 20 || tot < ihl || tot > avail || hv_csum_fold(hv_csum_add(0, ip, ihl)) != 0) return 0;
    return tot;
  }
  if (avail >= 40 && ip[0] >> 4 == 6 && 40u + hv_rd16(ip + 4) <= avail) return 40u + hv_rd16(ip + 4);
  return 0;
}

/* Pops the label of `p` and leaves it as an Ethernet-framed inner packet;
 * returns the VRF, or HV_MPLS_NO_VRF with p->drop set. */
static uint16_t pop(const struct hv_batch *b, struct hv_pkt *p) {
  /* a port that gives the outer metadata leaves HV_MPLS_HEADROOM bytes in front of the data */
  const uint8_t *start = p->outer_af ? p->data - HV_MPLS_HEADROOM : p->data;
  if (!p->outer_af && strip_outer(p)) return p->drop = HV_CTR_drop_bad_mpls, HV_MPLS_NO_VRF;
  if (p->outer_proto == HV_PROTO_GRE ? strip_gre(p) : p->outer_proto != PROTO_UDP)
    return p->drop = HV_CTR_drop_bad_mpls, HV_MPLS_NO_VRF;
  if (p->len < 4 || !(p->data[2] & 1)) return p->drop = HV_CTR_drop_bad_mpls, HV_MPLS_NO_VRF; /* one entry, S set */
  uint32_t entry = hv_rd32(p->data), label = entry >> 12;
  uint8_t *ip = p->data + 4;
  uint32_t len = inner_len(ip, p->len - 4);
  if (!len || ip - start < HV_ETH_HLEN) return p->drop = HV_CTR_drop_bad_mpls, HV_MPLS_NO_VRF;
  /* RFC 4861 ND is link-local: never from a tunnel (it would teach the underlay port neighbors) */
  if (ip[0] >> 4 == 6 && ip[6] == PROTO_ICMP6 && len >= 41 && ip[40] >= 133 && ip[40] <= 137)
    return p->drop = HV_CTR_drop_local, HV_MPLS_NO_VRF;
  uint16_t vrf = label >= HV_MPLS_LABEL_MIN ? hv_core_mpls_label_get(b->w->core, label) : HV_MPLS_NO_VRF;
  if (vrf >= HV_MAX_VRFS || !b->v->vrfs[vrf]) return p->drop = HV_CTR_drop_unknown_label, HV_MPLS_NO_VRF;
  uint8_t lttl = (uint8_t)entry, *ttl = ip[0] >> 4 == 4 ? ip + 8 : ip + 7;
  if (lttl < *ttl) { /* RFC 3443 §3 uniform model */
    uint16_t old = hv_rd16(ip + 8);
    *ttl = lttl;
    if (ip[0] >> 4 == 4) hv_wr16(ip + 10, hv_csum_update16(hv_rd16(ip + 10), old, hv_rd16(ip + 8)));
  }
  p->ethertype = ip[0] >> 4 == 4 ? ET_IP4 : ET_IP6;
  p->data = ip - HV_ETH_HLEN;
  memset(p->data, 0, 12);
  hv_wr16(p->data + 12, p->ethertype);
  p->len = HV_ETH_HLEN + len;
  p->l3_off = HV_ETH_HLEN;
  p->has_vnet = p->tagged = p->tag_in_data = 0;
  p->vlan = p->frame_vid = p->tci = 0;
  return vrf;
}

void hv_stage_mpls_decap(struct hv_batch *b) {
  struct hv_port_counters *ctr = &b->w->ctr[b->in];
  /* the VRF's view of this port: routed, no address (so nothing is "ours"), underlay mode kept */
  struct hv_port_cfg vpc = *b->pc;
  memset(&vpc.l3, 0, sizeof vpc.l3);
  struct hv_batch one = *b;
  one.pc = &vpc;
  one.n = 1;
  for (int i = 0; i < b->n; i++) {
    struct hv_pkt *p = &b->pkts[i];
    hv_rx_account(ctr, p, b->in);
    uint16_t vrf = p->drop ? HV_MPLS_NO_VRF : pop(b, p);
    if (p->drop) { /* counted once, by reason */
      hv_ctr_add(&ctr->v[p->drop], 1);
      continue;
    }
    hv_ctr_add(&ctr->v[HV_CTR_mpls_decap], 1);
    vpc.l3.vrf = vrf;
    one.pkts = p;
    hv_stage_l3_forward(&one);
  }
}
