/* L3 VPN data plane: MPLS over UDP (RFC 7510) and MPLS over GRE (RFC 4023)
 * between PEs, the label table and the encapsulation/decapsulation stages.
 *
 * Model (RFC 4364 with an IP underlay instead of an LSP).  A VPN route's next
 * hop is a next-hop entry of kind HV_NH_MPLS (l3.h): an MPLS tunnel (the remote
 * PE's address, the encapsulation, the underlay port it leaves by) and the
 * label the remote PE advertised for the route.  ECMP groups of such next hops
 * spread flows by the same 5-tuple hash as any other group (l3_forward.c).
 * A received packet's label selects a VRF in the label table (per-VRF or
 * per-prefix labels: several labels may name one VRF); the label is popped and
 * the inner packet looked up in that VRF's FIB ("pop and lookup").
 *
 * Wire format, one label stack entry (RFC 3032 §2.1): label, TC 0, S = 1, TTL.
 *   MPLS over UDP (RFC 7510 §3): outer IPv4/IPv6, UDP to port 6635 from a
 *     source port hashed from the inner flow (49152-65535, the same hash as
 *     ECMP), UDP checksum 0 over IPv4 (§3: allowed) and computed over IPv6.
 *   MPLS over GRE (RFC 4023 §3, RFC 2784): outer IPv4/IPv6 protocol 47, a
 *     4-byte GRE header (no checksum, key nor sequence) with protocol type
 *     0x8847.  On receipt the C, K and S fields are accepted (checksum
 *     verified), anything else reserved or a version other than 0 is dropped.
 *   Outer IPv4: DF set, TTL from the tunnel (default 64); IPv6 hop limit alike.
 *
 * TTL, RFC 3443 §3 uniform model.  Push: the packet is routed first (TTL or
 * hop limit decremented, RFC 1812 §5.3.1, as for any next hop), then that TTL
 * is copied into the label entry.  Pop: the inner TTL becomes the smaller of
 * the label TTL and the inner TTL (never raised), then the VRF lookup routes
 * the packet as one more hop (decrement, expiry dropped as drop_ttl_expired).
 *
 * Underlay.  An underlay port (mode HV_MODE_UNDERLAY) whose port was opened for
 * MPLS (struct hv_port.mpls) takes the MPLS path: hv_stage_mpls_decap, then tx.
 * In production that port is HV_PORT_MPLS (port_mpls.c): a raw IPPROTO_GRE
 * socket and a UDP socket on port 6635, on the local PE address; in tests a
 * memory port carrying whole IP datagrams.  A packet from a tunnel is never
 * routed back into one (drop_tunnel_hairpin).
 *
 * Offloads.  A frame with a partial checksum is completed; a TCP GSO
 * super-frame (a VM's or a host's 64 KiB TSO send, virtio-net metadata) is cut
 * into wire-size TCP segments first (gso.h: what the NIC would do), and each
 * segment is routed into the tunnel like any packet (TTL, label, outer header
 * with its own lengths and source port).  A GSO type gso.h refuses (UFO, IPv6
 * extension headers) is dropped as drop_offload.
 *
 * Not supported: label stacks deeper than one entry (dropped, drop_bad_mpls),
 * ICMP errors about packets that came out of a tunnel (counted only). */
#ifndef HV_MPLS_H
#define HV_MPLS_H

#include <stddef.h>
#include <stdint.h>

#include "gso.h"
#include "hv.h"

#define HV_MPLS_UDP_PORT 6635
#define HV_ETHERTYPE_MPLS 0x8847
#define HV_PROTO_GRE 47
#define HV_MPLS_LABEL_MAX 0xfffff
#define HV_MPLS_LABEL_MIN 16 /* 0-15 are reserved (RFC 3032 §2.1) */
#define HV_MAX_MPLS_TUNNELS 65536
/* Outer headers: IPv6 (40) + UDP (8) + one label entry (4). */
#define HV_MPLS_OUTER_MAX 52
#define HV_MPLS_NO_VRF 0xffff
/* A port that strips the outer header itself (sets hv_pkt.outer_af) leaves at
 * least this many bytes of its buffer in front of pkt->data, where
 * decapsulation writes an Ethernet header before the inner packet. */
#define HV_MPLS_HEADROOM 64

enum hv_mpls_encap { HV_MPLS_UDP = 1, HV_MPLS_GRE = 2 };

/* A tunnel to a remote PE as the controller gives it. */
struct hv_mpls_tunnel_cfg {
  uint16_t underlay;  /* port id of an MPLS underlay port */
  uint8_t af;         /* 4 or 6 */
  uint8_t encap;      /* enum hv_mpls_encap */
  uint8_t ttl;        /* outer TTL / hop limit, 0 = 64 */
  uint8_t local[16];  /* our PE address (4 bytes used for IPv4) */
  uint8_t remote[16]; /* the remote PE */
};

struct hv_core;
/* Installs MPLS tunnel `id`.  Returns 0, or -1 with `err` naming the field. */
int hv_core_mpls_tunnel_add(struct hv_core *c, uint32_t id, const struct hv_mpls_tunnel_cfg *t, char *err,
                            size_t errlen);
/* Removes it (-1 if none); next hops still naming it count drop_no_backend. */
int hv_core_mpls_tunnel_del(struct hv_core *c, uint32_t id);
/* Label `label` (16..2^20-1) pops into VRF `vrf` (replaces a previous mapping). */
int hv_core_mpls_label_set(struct hv_core *c, uint32_t label, uint16_t vrf, char *err, size_t errlen);
int hv_core_mpls_label_del(struct hv_core *c, uint32_t label);
/* The VRF label `label` maps to, HV_MPLS_NO_VRF if none. */
uint16_t hv_core_mpls_label_get(const struct hv_core *c, uint32_t label);

/* ---- internal (core_int.h, the stages) ------------------------------------ */
struct hv_mpls_tunnel {
  HV_ATOMIC(uint32_t) state; /* 1: published */
  uint16_t underlay;
  uint8_t af, encap;
  uint8_t outer_len;
  uint8_t outer[HV_MPLS_OUTER_MAX]; /* template: lengths, port, checksums, label filled per packet */
};

/* Control side and the tables the workers read: tunnel slots (written, then
 * published by a release store; reused after a quiescent state) and the label
 * table, one atomic 16-bit VRF index per label (2^20 entries, 2 MiB, written in
 * place: a per-prefix label change is O(1), where a copy-on-write map would
 * copy every label each time). */
struct hv_mpls_ctl {
  struct hv_mpls_tunnel *tunnels;
  HV_ATOMIC(uintptr_t) labels; /* HV_ATOMIC(uint16_t)[2^20], 0 until the first label */
};

/* GSO segments of one batch: at most this many (a 64 KiB TCP frame with a
 * 1448-byte MSS is 46; 256 allows an MSS down to 256 bytes), in this many
 * bytes of storage (a 64 KiB frame cut in 46 takes ~68 KiB). */
#define HV_MPLS_SEGS 256
#define HV_MPLS_SEG_BYTES (256 * 1024)

/* Per-worker: outer headers of the packets of the batch being encapsulated,
 * by index in the batch (each received packet is encapsulated at most once);
 * and the segments GSO frames were cut into (gso.h), each with its outer
 * header, kept until the underlay's queue is sent (hv_stage_tx, or sooner
 * when the storage or the queue is full: hv_tx_port). */
struct hv_mpls_state {
  uint8_t outer[HV_BATCH][HV_MPLS_OUTER_MAX];
  uint16_t nseg;     /* segments in use */
  uint32_t seg_used; /* bytes of `seg` in use */
  struct hv_pkt seg_pkts[HV_MPLS_SEGS];
  uint8_t seg_outer[HV_MPLS_SEGS][HV_MPLS_OUTER_MAX];
  struct hv_seg segs[HV_MPLS_SEGS];
  uint8_t seg[HV_MPLS_SEG_BYTES];
};

void hv_mpls_destroy(struct hv_core *c);
struct hv_mpls_state *hv_mpls_state_create(void);
void hv_mpls_state_destroy(struct hv_mpls_state *s);

#endif
