#include "parse.h"

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }

int hv_parse(struct hv_pkt *pkt, uint32_t mtu) {
  const uint8_t *d = pkt->data;
  uint32_t hdr = HV_ETH_HLEN;
  if (pkt->drop) return pkt->drop; /* the port already refused it */
  if (pkt->len < HV_ETH_HLEN) return pkt->drop = HV_CTR_drop_runt;
  const uint8_t *src = d + 6;
  if (hv_mac_is_multicast(src) || hv_mac_is_zero(src)) return pkt->drop = HV_CTR_drop_bad_src_mac;
  uint16_t et = rd16(d + 12);
  pkt->tag_in_data = 0;
  if (et == HV_ETHERTYPE_VLAN) {
    if (pkt->len < HV_ETH_HLEN + HV_VLAN_HLEN) return pkt->drop = HV_CTR_drop_bad_vlan_header;
    if (pkt->tagged) return pkt->drop = HV_CTR_drop_bad_vlan_header; /* tag in data and out of band: QinQ */
    pkt->tci = rd16(d + 14);
    pkt->tagged = 1;
    pkt->tag_in_data = 1;
    et = rd16(d + 16);
    hdr += HV_VLAN_HLEN;
  }
  pkt->frame_vid = pkt->tagged ? (uint16_t)(pkt->tci & 0x0fff) : 0;
  pkt->ethertype = et;
  pkt->l3_off = (uint16_t)hdr;
  int gso = pkt->has_vnet && pkt->vnet.gso_type != HV_VNET_GSO_NONE;
  if (!gso && pkt->len - hdr > mtu) return pkt->drop = HV_CTR_drop_too_long;
  return 0;
}
