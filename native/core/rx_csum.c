#include "rx_csum.h"

#include <string.h>

#include "csum.h"

/* Offset of the L3 header after the Ethernet header and up to two tags in the
 * data, and the EtherType there; 0 if the frame is too short. */
static uint32_t l3_offset(const uint8_t *d, uint32_t len, uint16_t *etype) {
  uint32_t off = 12;
  for (int tags = 0; tags <= 2; tags++) {
    if (len < off + 2) return 0;
    uint16_t t = hv_rd16(d + off);
    if (t != 0x8100 && t != 0x88a8) {
      *etype = t;
      return off + 2;
    }
    off += 4;
  }
  return 0;
}

/* The pseudo-header sum (RFC 793 §3.1, RFC 8200 §8.1) and the L4 offset and
 * protocol; 0 offset if not TCP/UDP we can handle. */
static uint32_t pseudo(const uint8_t *d, uint32_t len, uint32_t l3, uint16_t etype, uint32_t *sum, uint8_t *proto) {
  if (etype == 0x0800) {
    if (len < l3 + 20 || (d[l3] >> 4) != 4) return 0;
    uint32_t ihl = (uint32_t)(d[l3] & 15) * 4, tot = hv_rd16(d + l3 + 2);
    if (ihl < 20 || tot < ihl || len < l3 + tot || (hv_rd16(d + l3 + 6) & 0x3fff)) return 0;
    *proto = d[l3 + 9];
    *sum = hv_csum_add(0, d + l3 + 12, 8) + *proto + (tot - ihl);
    return l3 + ihl;
  }
  if (etype == 0x86dd) {
    if (len < l3 + 40 || (d[l3] >> 4) != 6) return 0;
    uint32_t plen = hv_rd16(d + l3 + 4);
    if (len < l3 + 40 + plen) return 0;
    *proto = d[l3 + 6];
    *sum = hv_csum_add(0, d + l3 + 8, 32) + *proto + plen;
    return l3 + 40;
  }
  return 0;
}

int hv_rx_csum_recover(struct hv_pkt *pkt) {
  const uint8_t *d = pkt->data;
  uint16_t etype = 0;
  uint32_t l3 = l3_offset(d, pkt->len, &etype), sum = 0;
  uint8_t proto = 0;
  if (!l3) return 0;
  uint32_t l4 = pseudo(d, pkt->len, l3, etype, &sum, &proto);
  if (!l4) return 0;
  uint32_t field = proto == 6 ? 16 : proto == 17 ? 6 : 0;
  if (!field || pkt->len < l4 + field + 2) return 0;
  /* The L4 length (from the IP header, without Ethernet padding). */
  uint32_t l4len = etype == 0x0800 ? hv_rd16(d + l3 + 2) - (l4 - l3) : hv_rd16(d + l3 + 4);
  uint16_t partial = (uint16_t)~hv_csum_fold(sum);
  if (hv_rd16(d + l4 + field) != partial) return 0;
  if (hv_csum_fold(hv_csum_add(sum, d + l4, l4len)) == 0) return 0; /* a complete checksum after all */
  memset(&pkt->vnet, 0, sizeof pkt->vnet);
  pkt->vnet.flags = HV_VNET_F_NEEDS_CSUM;
  pkt->vnet.csum_start = (uint16_t)l4;
  pkt->vnet.csum_offset = (uint16_t)field;
  pkt->has_vnet = 1;
  return 1;
}
