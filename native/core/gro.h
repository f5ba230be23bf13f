/* Receive coalescing of decapsulated TCP (GRO, as Linux's tcp_gro_receive):
 * consecutive TCP segments of one flow that a tunnel (VXLAN, MPLS over
 * UDP/GRE) delivered in one receive batch, queued to one port that takes
 * virtio-net headers (TAP, AF_PACKET), leave as one GSO frame: the first
 * segment's headers, the payloads in order, and a vnet header (gso_type
 * TCPV4/TCPV6, gso_size the segments' size, NEEDS_CSUM at the TCP checksum).
 * The sink's kernel takes one frame instead of many, and segments it again
 * only if it must forward it.
 *
 * Segment n+1 joins segment n's frame only if (what Linux checks, or less):
 *   - both are untagged Ethernet + IPv4 without options or IPv6 without
 *     extension headers + TCP, whole (no padding, not fragments), with a
 *     valid IPv4 header checksum and a valid TCP checksum (the receiver will
 *     not check them again), with no vnet metadata of their own;
 *   - the Ethernet header, IP header (but total/payload length, IPv4 id and
 *     checksum) and TCP header (but sequence number and checksum, PSH) are
 *     equal, options included (so timestamps are equal);
 *   - IPv4: DF set, or the id is the previous one's + 1;
 *   - flags: ACK, PSH only; no SYN, FIN, RST, URG, ECE, CWR; a segment with
 *     PSH ends the frame (it may be its last);
 *   - its sequence number follows the previous segment's payload;
 *   - every payload has the first's size (gso_size) but the last, which may
 *     be shorter and ends the frame; nothing empty;
 *   - the frame stays within 64 segments, 65535 bytes of IP and the storage.
 * What fails any rule is sent as it came.
 *
 * Cost: one copy of every merged segment into the worker's storage (the
 * checksum check runs over the same bytes), against a syscall share and a
 * trip through the sink's stack per segment. */
#ifndef HV_GRO_H
#define HV_GRO_H

#include "pkt.h"
#include "port.h"

#define HV_GRO_BYTES (256 * 1024)
#define HV_GRO_SEGS 64
#define HV_VNET_GSO_TCPV4 1
#define HV_VNET_GSO_TCPV6 4

struct hv_gro {
  uint8_t buf[HV_GRO_BYTES];
  struct hv_pkt pkts[HV_BATCH * 2];
};

/* Coalesces runs of requests r[i] with ok[i] set (from a tunnel, see above)
 * in place, order kept; returns the new count.  The merged frames live in
 * `g` until its next call. */
int hv_gro_merge(struct hv_gro *g, struct hv_txreq *r, int n, const uint8_t *ok);

#endif
