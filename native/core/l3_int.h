/* Internals shared by the L3 stages (l3_ingress.c, l3_forward.c) and their
 * helpers (arp_nd.c, icmp.c, l3_frame.c): protocol numbers, a port's own
 * addresses, and the frames the worker builds (ARP/ND, ICMP) in its own
 * buffers (HV_GEN_BYTES each, 2 * HV_BATCH per batch, released by tx). */
#ifndef HV_L3_INT_H
#define HV_L3_INT_H

#include "stage.h"

#define ET_IP4 0x0800
#define ET_ARP 0x0806
#define ET_IP6 0x86dd
#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ICMP6 58
#define ICMP_ECHO_REPLY 0
#define ICMP_UNREACH 3
#define ICMP_ECHO 8
#define ICMP_TIME_EXCEEDED 11
#define ICMP6_UNREACH 1
#define ICMP6_TIME_EXCEEDED 3
#define ICMP6_ECHO 128
#define ICMP6_ECHO_REPLY 129
#define ND_NS 135
#define ND_NA 136

#define CTR(w, port, name) hv_ctr_add(&(w)->ctr[port].v[HV_CTR_##name], 1)

/* ---- addresses of an L3 port (l3_frame.c) ---- */
/* `ip` is one of ours on the port (a VM port has only the gateway 169.254.0.1 / fe80::1). */
int hv_l3_own4(const struct hv_port_cfg *pc, const uint8_t *ip);
int hv_l3_own6(const struct hv_port_cfg *pc, const uint8_t *ip);
/* Our source address on `pc` toward `dst` (the covering subnet's, else the first). */
void hv_l3_src4(const struct hv_port_cfg *pc, const uint8_t *dst, uint8_t *out);
void hv_l3_src6(const struct hv_port_cfg *pc, const uint8_t *dst, uint8_t *out);

/* ---- frames the worker builds (l3_frame.c) ---- */
/* A zeroed packet over a worker buffer of HV_GEN_BYTES, or NULL when the batch used them all. */
struct hv_pkt *hv_gen_alloc(struct hv_worker *w, uint8_t **buf);
void hv_eth_hdr(uint8_t *b, const uint8_t *dst, const uint8_t *src, uint16_t et);
void hv_ip4_hdr(uint8_t *ip, uint16_t total, uint8_t proto, const uint8_t *src, const uint8_t *dst);
void hv_ip6_hdr(uint8_t *ip, uint16_t payload, uint8_t hops, const uint8_t *src, const uint8_t *dst);
/* ICMPv6 checksum over the pseudo-header (RFC 8200 §8.1) and the message. */
void hv_icmp6_csum(uint8_t *ip);

/* ---- ICMP (icmp.c) ---- */
/* Error about `p` back to its sender on `in` (rate limited per worker). */
void hv_icmp4_error(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, const struct hv_pkt *p,
                    uint8_t type, uint8_t code, uint32_t now);
void hv_icmp6_error(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, const struct hv_pkt *p,
                    uint8_t type, uint8_t code, uint32_t now);
/* One error in the packet's family: ICMP type4/code4 for IPv4 (af 4), ICMPv6 type6/code6 for IPv6. */
void hv_icmp_error(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, const struct hv_pkt *p,
                   uint8_t af, uint8_t type4, uint8_t code4, uint8_t type6, uint8_t code6, uint32_t now);
/* An IPv4 packet delivered to us (a local route): an echo request is answered
 * in place, the rest counted as drop_local. */
void hv_icmp4_local(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, struct hv_pkt *p);
/* Answers an ICMPv6 echo request (`m`: the ICMPv6 message of `p`) in place. */
void hv_icmp6_echo(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, struct hv_pkt *p);

/* ---- ARP and ND (arp_nd.c) ---- */
/* RFC 826 input on an L3 port: answers requests for our addresses, learns senders. */
void hv_arp_input(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, struct hv_pkt *p, uint32_t now);
/* RFC 4861 NS/NA input; returns 1 if `p` was one (consumed). */
int hv_nd_input(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, struct hv_pkt *p, uint32_t now);
/* EVPN ARP/ND suppression (suppress.h): `p`, a broadcast or multicast frame
 * from a local port of bridge domain `bdi`, is an ARP request or a neighbor
 * solicitation for a remote host bound there: answered on the ingress port;
 * returns 1 (the frame is not to be flooded), else 0. */
int hv_arp_nd_suppress(struct hv_batch *b, uint16_t bdi, const struct hv_pkt *p);
/* Sends an ARP request or a neighbor solicitation for `ip` out of `port`. */
void hv_solicit(struct hv_worker *w, const struct hv_view *v, uint16_t port, uint8_t af, const uint8_t *ip);

#endif
