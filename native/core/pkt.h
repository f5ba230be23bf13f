/* The packet: one buffer reference with offsets filled once by the parser.
 *
 * `data` points either into a receive ring (zero copy, AF_PACKET) or into a
 * worker-owned buffer (TAP, memory port).  The 802.1Q tag may be in the data
 * (`tag_in_data`) or out of band when the kernel stripped it (`tp_vlan_tci`).
 * `vnet` carries the virtio-net offload header (partial checksum, GSO) from
 * ingress to egress untouched but for the offsets a tag push/pop shifts. */
#ifndef HV_PKT_H
#define HV_PKT_H

#include "hv.h"

/* struct virtio_net_hdr, little-endian on every Linux host we run on. */
struct hv_vnet_hdr {
  uint8_t flags;
  uint8_t gso_type;
  uint16_t hdr_len;
  uint16_t gso_size;
  uint16_t csum_start;
  uint16_t csum_offset;
};
#define HV_VNET_HDR_LEN 10
#define HV_VNET_F_NEEDS_CSUM 1
#define HV_VNET_GSO_NONE 0

struct hv_pkt {
  uint8_t *data;
  uint32_t len;
  uint16_t in_port;
  uint16_t vlan;        /* VLAN after ingress classification (0: none/dropped) */
  uint16_t frame_vid;   /* VID of the tag the frame carried, 0 if untagged */
  uint16_t tci;         /* full TCI of the received tag (PCP kept on egress) */
  uint16_t ethertype;   /* after any tag */
  uint16_t l3_off;      /* offset of the L3 header in data, as received */
  uint8_t tag_in_data;  /* the tag bytes are inside data[12..16) */
  uint8_t tagged;       /* the frame carried a tag (in data or out of band) */
  uint8_t drop;         /* HV_CTR_* drop reason, 0 = keep */
  uint8_t has_vnet;
  uint8_t outer_af;      /* underlay: 4 or 6 when the port gave the outer source address, else 0 */
  uint8_t outer_proto;   /* MPLS underlay with outer_af: 17 (data at the label) or 47 (at the GRE header) */
  struct hv_vnet_hdr vnet;
  uint8_t outer_src[16]; /* underlay: the outer source address (the remote VTEP) */
};

#endif
