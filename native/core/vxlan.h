/* VXLAN (RFC 7348) for EVPN (RFC 8365): tunnel endpoints, the VNI map, and the
 * encapsulation and decapsulation stages.
 *
 * Underlay.  The host's own network, reached through an underlay port (mode
 * HV_MODE_UNDERLAY): in production a port of kind HV_PORT_UDP (port_udp.c), a
 * UDP socket bound to the local VTEP address and port 4789 for receiving and a
 * small pool of UDP sockets bound to it for sending (the kernel builds IP/UDP;
 * a TCP GSO frame goes as one UDP GSO send of VXLAN-headed segments), so the
 * host's routes, neighbor resolution and NIC serve the underlay and its own
 * traffic shares the uplink untouched; in tests a memory port carrying whole IP
 * datagrams (opened with an address family, it cuts UDP GSO runs as the kernel
 * does).
 *
 * Tunnel endpoints.  A table of HV_MAX_TUNNELS slots, indexed by the tunnel
 * index of an egress handle (egress.h): (underlay port, local and remote VTEP
 * address, VNI), each with a prebuilt outer header.  The controller picks the
 * index; a slot is written, then published by a release store of its state,
 * and on delete unpublished and reused only after every worker has passed a
 * quiescent state, so workers read slots without locks.
 *
 * Encapsulation (encap.c).  l2_forward and flooding hand a frame and a tunnel
 * to hv_encap_put(): the inner frame goes untagged (the VNI stands for the
 * bridge domain and VLAN); outer IPv4 (DF set, TTL 64, checksum) or IPv6, UDP
 * to 4789 from a source port hashed from the inner flow (RFC 7348 §5: 49152-
 * 65535, so the underlay's ECMP spreads flows; through the UDP port, the
 * hash picks one of its send sockets, each bound to a port of that range), UDP
 * checksum zero over IPv4 (RFC 7348; the kernel's UDP port computes it) and
 * computed over IPv6 (RFC 8200 §8.1), VXLAN header with the I flag and the
 * VNI.  A plain frame is sent without a copy (the outer header goes first in
 * the iovec, port.h); a frame with offload metadata (partial checksum, GSO) is
 * completed or segmented into worker storage first (gso.h) — for a UDP GSO
 * underlay into runs of VXLAN-headed segments of at most 64 KiB, one send each.
 * A frame larger than the underlay MTU allows is counted, not sent.
 *
 * Decapsulation (decap.c).  The stage of the underlay path: from a whole IP
 * datagram (memory port) or a UDP payload with the outer source address as
 * metadata (UDP socket), it checks the VXLAN header (I flag), the VNI (mapped
 * to a bridge domain and VLAN, else dropped: drop_unknown_vni) and the source
 * VTEP (a remote address of some tunnel, else drop_unknown_vtep), then forwards
 * the inner frame in that bridge domain: to its local ports only (split
 * horizon: a frame from a tunnel never goes back into one).  No learning from
 * the data plane: remote MACs come from EVPN routes.
 *
 * L3 VNIs (vxlan_l3.c: EVPN type-5, RFC 9136, symmetric IRB as RFC 9135
 * §4.4.1).  A FIB next hop of kind HV_NH_VXLAN (l3.h) names a tunnel whose VNI
 * is the remote VRF's L3 VNI, the remote router MAC and ours: the routed packet
 * (TTL decremented) is framed in Ethernet ours -> theirs and encapsulated as
 * any frame (hv_encap_put).  A VNI mapped as an L3 VNI selects a VRF on
 * decapsulation: the inner destination MAC must be our router MAC
 * (drop_bad_rmac), the inner packet IPv4 or IPv6 (drop_bad_vxlan), then it is
 * routed in that VRF (never back into a tunnel: drop_tunnel_hairpin). */
#ifndef HV_VXLAN_H
#define HV_VXLAN_H

#include <stddef.h>
#include <stdint.h>

#include "egress.h"
#include "hv.h"

#define HV_VXLAN_PORT 4789
#define HV_VXLAN_HLEN 8
#define HV_VXLAN_FLAG_I 0x08
#define HV_MAX_TUNNELS 65536
#define HV_MAX_VNIS 4096
#define HV_VNI_MAX 0xffffff
/* Outer headers: IPv6 (40) + UDP (8) + VXLAN (8). */
#define HV_OUTER_MAX 56

/* A tunnel endpoint as the controller gives it. */
struct hv_tunnel_cfg {
  uint16_t underlay;  /* port id of the underlay port it leaves through */
  uint8_t af;         /* 4 or 6 */
  uint8_t ttl;        /* 0 = 64 */
  uint8_t local[16];  /* our VTEP address (4 bytes used for IPv4) */
  uint8_t remote[16]; /* the remote VTEP */
  uint32_t vni;
};

struct hv_core;
/* Installs tunnel `id`.  Returns 0; -1 with `err` (a bad field, named; the
 * slot in use: delete it first). */
int hv_core_tunnel_add(struct hv_core *c, uint32_t id, const struct hv_tunnel_cfg *t, char *err, size_t errlen);
/* Removes tunnel `id` (-1 if none); frames to it count drop_no_backend after. */
int hv_core_tunnel_del(struct hv_core *c, uint32_t id);
/* Maps VNI `vni` to (bridge domain, VLAN) for decapsulation (replaces a
 * previous mapping of that VNI).  Returns 0 or -1 with `err`. */
int hv_core_vni_set(struct hv_core *c, uint32_t vni, uint16_t bd, uint16_t vlan, char *err, size_t errlen);
int hv_core_vni_del(struct hv_core *c, uint32_t vni);
/* Maps VNI `vni` as an L3 VNI (EVPN type-5, RFC 9136 §4.4.1 symmetric IRB):
 * a frame received with it is routed in VRF `vrf` if its inner destination is
 * `rmac`, our router MAC (replaces a previous mapping of that VNI, L2 or L3;
 * hv_core_vni_del removes it).  Returns 0 or -1 with `err`. */
int hv_core_l3vni_set(struct hv_core *c, uint32_t vni, uint16_t vrf, const uint8_t rmac[6], char *err, size_t errlen);

/* ---- internal: tables the workers read (core_int.h) ----------------------- */
struct hv_tunnel {
  HV_ATOMIC(uint32_t) state; /* 1: published */
  uint16_t underlay;
  uint8_t af;
  uint8_t outer_len;
  uint32_t vni;
  uint32_t outer_sum;          /* IPv4: unfolded RFC 1071 sum of the template's IP header (length 0) */
  uint8_t outer[HV_OUTER_MAX]; /* template: lengths, ports and checksums filled per frame */
};

struct hv_vni_entry {
  uint32_t vni;
  uint16_t bd, vlan; /* L2 VNI */
  uint16_t vrf;      /* L3 VNI */
  uint8_t l3;        /* 1: an L3 VNI */
  uint8_t rmac[6];   /* L3 VNI: our router MAC */
};
struct hv_vtep_entry {
  uint8_t af;
  uint8_t addr[16];
};
/* The decapsulation lookups, published copy-on-write in the view. */
struct hv_vxlan_map {
  uint32_t nvni, nvtep;
  struct hv_vni_entry *vni;   /* sorted by vni */
  struct hv_vtep_entry *vtep; /* sorted by (af, addr) */
};

const struct hv_vni_entry *hv_vni_find(const struct hv_vxlan_map *m, uint32_t vni);
int hv_vtep_known(const struct hv_vxlan_map *m, uint8_t af, const uint8_t *addr);
void hv_vxlan_map_free(struct hv_vxlan_map *m);
void hv_tunnels_destroy(struct hv_core *c);

#endif
