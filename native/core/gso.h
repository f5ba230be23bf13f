/* Software segmentation and checksum completion: what a NIC does for a frame
 * that carries virtio-net offload metadata (pkt.h, struct hv_vnet_hdr), done
 * in software where the frame leaves through something that cannot take the
 * metadata along (an encapsulation over the underlay: VXLAN, MPLS over GRE or
 * UDP; a UDP socket sends datagrams, not GSO super-frames).
 *
 * Checksum completion (virtio 1.1 §5.1.6.2, VIRTIO_NET_HDR_F_NEEDS_CSUM): the
 * sender left the pseudo-header sum in the checksum field; the 16-bit one's
 * complement sum of the bytes from csum_start to the end goes, complemented,
 * at csum_start + csum_offset.
 *
 * Segmentation (TCP over IPv4 or IPv6, gso_type TCPV4/TCPV6, ECN bit allowed):
 * the frame's headers (Ethernet, an optional 802.1Q tag, IPv4 with options or
 * IPv6 without extension headers, TCP with options) are parsed from the frame,
 * never taken from hdr_len; the payload is cut in gso_size pieces.  Each
 * segment gets a copy of the headers with, as RFC 7414/Linux's tcp_gso do:
 * IPv4 total length, identification + i (RFC 6864: the sender's counter) and
 * header checksum; IPv6 payload length; TCP sequence number + offset; CWR only
 * on the first segment, FIN and PSH only on the last; the TCP checksum computed
 * in full (pseudo-header, RFC 793 §3.1 / RFC 8200 §8.1).  Segments are written
 * one after the other into caller storage: no allocation.
 *
 * Anything else (UDP fragmentation offload, an IPv6 extension header, a header
 * that does not fit, gso_size 0, an ECN-less CWR...) is refused with a reason:
 * the caller counts and drops the frame, nothing is guessed. */
#ifndef HV_GSO_H
#define HV_GSO_H

#include <stdint.h>

#include "pkt.h"

#define HV_VNET_GSO_TCPV4 1
#define HV_VNET_GSO_UDP 3
#define HV_VNET_GSO_TCPV6 4
#define HV_VNET_GSO_ECN 0x80

/* Why a frame could not be completed or segmented. */
enum hv_gso_err {
  HV_GSO_OK = 0,
  HV_GSO_UNSUPPORTED = -1, /* a GSO type or protocol not handled (UFO, extension headers) */
  HV_GSO_MALFORMED = -2,   /* headers truncated or inconsistent with the metadata */
  HV_GSO_NO_ROOM = -3,     /* the output storage or segment table is too small */
};

/* One output segment: bytes [off, off + len) of the output storage. */
struct hv_seg {
  uint32_t off;
  uint32_t len;
};

/* Completes the checksum a NEEDS_CSUM frame leaves to the device, in place.
 * Returns HV_GSO_OK (also when the frame needs nothing) or HV_GSO_MALFORMED. */
int hv_csum_complete(uint8_t *frame, uint32_t len, const struct hv_vnet_hdr *v);

/* Cuts a GSO frame into wire-size frames with complete checksums, written to
 * `out` (`out_size` bytes); fills `segs` (at most `max_segs`).  A frame
 * without GSO is copied as one segment with its checksum completed.  Returns
 * the number of segments, or a negative enum hv_gso_err. */
int hv_gso_segment(const uint8_t *frame, uint32_t len, const struct hv_vnet_hdr *v, uint8_t *out,
                   uint32_t out_size, struct hv_seg *segs, int max_segs);
/* The same, leaving `gap` bytes in front of every segment (segs[i].off is the
 * segment's first byte, the gap ends there): room for a per-segment header,
 * so that [gap][segment][gap][segment]... can be sent as one run of
 * equal-sized datagram payloads (UDP GSO). */
int hv_gso_segment_gap(const uint8_t *frame, uint32_t len, const struct hv_vnet_hdr *v, uint8_t *out,
                       uint32_t out_size, struct hv_seg *segs, int max_segs, uint32_t gap);

#endif
