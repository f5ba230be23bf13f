/* Frame parser: validates the Ethernet/802.1Q header and fills the offsets.
 * IEEE 802.1Q §9: a TPID of 0x8100 followed by a 16-bit TCI (PCP, DEI, VID).
 * Only one tag is parsed; an S-tag (0x88a8) is treated as an unknown ethertype.
 * Bounds are checked against `len` before every read. */
#ifndef HV_PARSE_H
#define HV_PARSE_H

#include "pkt.h"

/* Returns 0 if the frame is acceptable, else the HV_CTR_drop_* reason (also set
 * in pkt->drop).  `mtu` is the L3 MTU of the ingress port; GSO frames are exempt. */
int hv_parse(struct hv_pkt *pkt, uint32_t mtu);

static inline int hv_mac_is_multicast(const uint8_t *mac) { return mac[0] & 1; }
static inline int hv_mac_is_zero(const uint8_t *mac) {
  return (mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) == 0;
}

#endif
