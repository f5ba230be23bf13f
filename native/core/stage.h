/* The packet path as stages (internal to the core).
 *
 * A stage is a plain function over one received batch (VPP nodes, Snabb apps):
 * it reads the packets, marks the ones it drops (pkt->drop, counted once by the
 * stage that drops), and queues output on the worker's per-port tx queues.
 * Which stages a batch goes through, and in what order, is decided by one table
 * in worker.c, by the class of the ingress port (hv_path_of).  Each stage lives
 * in its own file with its own unit tests (native/test/test_stages.c):
 *   punt.c        frames for the controller (punt mask of the port), first of every path
 *   ingress.c     parse, 802.1Q classification into a VLAN (L2) or untagged check (L3)
 *   stp.c         spanning tree port states: nothing from a discarding port, only learning from a learning one
 *   learn.c       source-MAC learning, MAC events
 *   l2_forward.c  FDB lookup: known unicast to one egress, the rest flooded
 *   l3_ingress.c  IPv4/IPv6/ARP header checks and VM anti-spoofing
 *   l3_forward.c  ARP/ND and echo for our addresses (arp_nd.c, icmp.c), FIB lookup,
 *                 next-hop resolution, TTL, ICMP errors
 *   encap.c       VXLAN encapsulation of what l2_forward sends to tunnels, one burst on the underlay
 *   decap.c       VXLAN decapsulation on underlay ports, then l2_forward's output in the VNI's bridge domain
 *   tx.c          one tx burst per egress port, tx counters
 * Stages run to completion on one worker: no lock, no allocation. */
#ifndef HV_STAGE_H
#define HV_STAGE_H

#include "bond.h"
#include "core_int.h"
#include "vlan.h"

/* One received batch and what every stage needs to know about it. */
struct hv_batch {
  struct hv_worker *w;
  const struct hv_view *v;
  const struct hv_port_cfg *pc; /* ingress port */
  struct hv_bd *bd;             /* its bridge domain, NULL if none (or an L3 port) */
  struct hv_pkt *pkts;
  int n;
  uint16_t in;                  /* ingress port id */
  uint32_t now;                 /* core seconds */
};

typedef void (*hv_stage_fn)(struct hv_batch *b);

/* Queues `p` on bridged port `id` (`pc` its config) with the egress tag of
 * `p`'s VLAN there (push, pop, keep: vlan.h); a bond port sends it out of one
 * of its members (bond.h). */
static inline void hv_l2_put(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t id, struct hv_pkt *p) {
  if (hv_port_is_bond(pc)) hv_bond_put(w, pc, id, p, hv_vlan_egress_tci(pc, p));
  else hv_txq_put(w, id, p, hv_vlan_egress_tci(pc, p));
}

/* The first thing a receiving stage (ingress, decap) does with a frame: it
 * counts as received on port `in`. */
static inline void hv_rx_account(struct hv_port_counters *ctr, struct hv_pkt *p, uint16_t in) {
  p->in_port = in;
  hv_ctr_add(&ctr->v[HV_CTR_rx_packets], 1);
  hv_ctr_add(&ctr->v[HV_CTR_rx_bytes], p->len);
}

void hv_stage_ingress(struct hv_batch *b);
void hv_stage_learn(struct hv_batch *b);
void hv_stage_l2_forward(struct hv_batch *b);
void hv_stage_l3_ingress(struct hv_batch *b);
void hv_stage_l3_forward(struct hv_batch *b);
void hv_stage_tx(struct hv_batch *b);
/* Sends what is queued for port `id` now (tx.c); a port left in w->dirty with nothing queued is skipped. */
void hv_tx_port(struct hv_worker *w, const struct hv_view *v, uint16_t id);
/* The batch's queues are sent: the MPLS stage's segment storage is free again (mpls_encap.c). */
void hv_mpls_batch_sent(struct hv_worker *w);
void hv_stage_encap(struct hv_batch *b);
void hv_stage_decap(struct hv_batch *b);
void hv_stage_mpls_decap(struct hv_batch *b);
/* Routes `p` (TTL already checked > 1) into the MPLS tunnel of next hop `nh`
 * (mpls_encap.c): queued on the underlay port's tx queue with its outer header. */
struct hv_nh;
void hv_mpls_put(struct hv_batch *b, struct hv_pkt *p, uint8_t af, const struct hv_nh *nh);

/* Forwards one classified frame (p->vlan set) in bridge domain `bdi` (l2_forward.c):
 * to its FDB egress or flooded; `from_tunnel`: it came out of a tunnel, so
 * it never goes back into one (split horizon). */
void hv_l2_output(struct hv_batch *b, uint16_t bdi, struct hv_fdb *fdb, struct hv_pkt *p, int from_tunnel);
/* Queues `p` into tunnel `e` (encap.c); sent by hv_stage_encap. */
void hv_encap_put(struct hv_batch *b, struct hv_pkt *p, hv_egress e);
/* vxlan_l3.c: a routed packet into an L3 VNI tunnel (HV_NH_VXLAN), and a
 * decapsulated frame of an L3 VNI routed in its VRF (vxlan.h), `vpc` being
 * the VRF's view of the underlay port (its l3 settings zeroed: no address). */
void hv_vxlan_l3_put(struct hv_batch *b, struct hv_pkt *p, uint8_t af, const struct hv_nh *nh);
void hv_vxlan_l3_input(struct hv_batch *b, struct hv_port_cfg *vpc, struct hv_pkt *p, const struct hv_vni_entry *e);

/* Frames waiting for ARP/ND (l3_forward.c): sends those whose next hop is now
 * resolved, drops those that waited too long.  Uses b->w, b->v, b->now. */
void hv_l3_pending(struct hv_batch *b);

/* Classes of ingress port, each with its stage list (worker.c). */
enum hv_path {
  HV_PATH_L2 = 0,        /* bridged port in a bridge domain */
  HV_PATH_NO_BRIDGE = 1, /* bridged mode but no bridge domain: ingress counts the drops */
  HV_PATH_L3 = 2,        /* routed or VM port */
  HV_PATH_UNDERLAY = 3,  /* underlay port: VXLAN decapsulation (vxlan.h) */
  HV_PATH_MPLS = 4,      /* MPLS underlay port: MPLS decapsulation (mpls.h) */
  HV_PATH_BOND = 5,      /* bond member: the batch becomes its bond's (bond.h) */
  HV_PATH_COUNT
};
enum hv_path hv_path_of(const struct hv_port_cfg *pc, const struct hv_bd *bd);
/* The stages of `path`, NULL-terminated. */
const hv_stage_fn *hv_path_stages(enum hv_path path);

#endif
