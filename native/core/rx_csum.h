/* Recovering a partial checksum's offload metadata from the frame alone.
 *
 * A frame that reaches us without its skb (AF_XDP: the XDP program sees only
 * bytes) loses the kernel's CHECKSUM_PARTIAL mark.  A sender with transmit
 * checksum offload on (a veth peer's default, a guest's virtio-net) leaves in
 * the TCP/UDP checksum field only the folded pseudo-header sum (Linux
 * tcp_v4_send_check / udp4_hwcsum, virtio 1.1 §5.1.6.2), for the device to
 * complete.  Forwarded as it is, such a frame is dropped by its receiver for a
 * bad checksum.
 *
 * The mark can be recovered exactly: a field equal to the folded pseudo-header
 * sum is what a partial checksum looks like; a complete checksum equals it
 * only by chance (about 1 in 65536), so such a frame is verified in full, and
 * only a frame whose full checksum does not verify is marked NEEDS_CSUM
 * (csum_start at the L4 header, csum_offset 16 for TCP, 6 for UDP), as if it
 * had come with a virtio-net header.  The common cost is one pseudo-header sum
 * (12 or 36 bytes); the payload is summed only for frames that match.
 *
 * Handles Ethernet with up to two tags in the data, IPv4 (not a fragment) and
 * IPv6 with TCP or UDP directly after the fixed header.  Anything else is left
 * alone. */
#ifndef HV_RX_CSUM_H
#define HV_RX_CSUM_H

#include "pkt.h"

/* Marks `pkt` (data/len, no vnet header yet) NEEDS_CSUM if its L4 checksum is
 * a partial one; returns 1 if it did, 0 otherwise. */
int hv_rx_csum_recover(struct hv_pkt *pkt);

#endif
