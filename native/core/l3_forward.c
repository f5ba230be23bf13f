/* Stage: l3_forward.  Per packet, in the order received (a neighbor an ARP
 * reply teaches serves the packets behind it in the same batch):
 *  - ARP, and ND / echo for our addresses (arp_nd.c, icmp.c), are answered;
 *  - other packets to us, multicast/broadcast, and IPv6 from link-local or
 *    unspecified sources are not routed (drop_local) — except a packet to our
 *    address whose FIB route is a VM port's host route: a VRF's host interface that
 *    shares the routed port's address (the host's BGP session on the uplink,
 *    docs/pure-l3.md) has its /32 or /128 there, and the packet goes to it;
 *  - the rest is looked up in the VRF's FIB (IPv4 for the whole batch at once,
 *    which lets fib4 interleave the lookups), the next hop chosen (ECMP by a
 *    5-tuple hash), the TTL / hop limit decremented (RFC 1812 §5.3.1 with an
 *    RFC 1624 checksum update; RFC 8200), and the frame rewritten for the
 *    egress port: destination MAC from the next hop or the neighbor table.
 * A packet whose next hop is unresolved is copied into the worker's pending
 * queue (HV_PENDING frames) while ARP/ND runs, and sent from hv_l3_pending.
 * Not supported (l3.h): fragmentation (too long for the egress MTU: dropped),
 * IPv4 options processing. */
#include <string.h>

#include "csum.h"
#include "fib4.h"
#include "fib6.h"
#include "l3_int.h"

static uint32_t flow_hash(const uint8_t *ip, uint8_t af, uint32_t avail) {
  uint32_t h = 0x9e3779b9u;
  const uint8_t *l4;
  uint8_t proto;
  if (af == 4) {
    for (int i = 12; i < 20; i++) h = (h ^ ip[i]) * 16777619u;
    proto = ip[9];
    l4 = ip + (ip[0] & 15) * 4;
    if ((hv_rd16(ip + 6) & 0x1fff) != 0) proto = 0; /* later fragments: no ports */
  } else {
    for (int i = 8; i < 40; i++) h = (h ^ ip[i]) * 16777619u;
    proto = ip[6];
    l4 = ip + 40;
  }
  h = (h ^ proto) * 16777619u;
  if ((proto == PROTO_TCP || proto == PROTO_UDP) && (uint32_t)(l4 - ip) + 4 <= avail)
    for (int i = 0; i < 4; i++) h = (h ^ l4[i]) * 16777619u;
  return h ^ (h >> 16);
}

static void pending_add(struct hv_worker *w, const struct hv_pkt *p, uint16_t port, uint8_t af,
                        const uint8_t *ip, uint16_t in, uint32_t now) {
  if (p->len > HV_PENDING_BYTES || (p->has_vnet && p->vnet.gso_type)) {
    CTR(w, in, drop_neighbor);
    return;
  }
  for (uint32_t i = 0; i < HV_PENDING; i++) {
    struct hv_pending *q = &w->pending[i];
    if (q->used) continue;
    q->used = 1;
    q->af = af;
    q->port = port;
    memcpy(q->ip, ip, af == 4 ? 4 : 16);
    q->since = now;
    q->pkt = *p;
    memcpy(q->data, p->data, p->len);
    q->pkt.data = q->data;
    w->npending++;
    return;
  }
  CTR(w, in, drop_neighbor);
}

/* The next hop of FIB result `id`, an ECMP group resolved to one member; NULL if none. */
static const struct hv_nh *nh_select(struct hv_worker *w, uint32_t id, const uint8_t *ip, uint8_t af, uint32_t avail) {
  const struct hv_nh *nh = id < HV_MAX_NH ? &w->core->nh[id] : NULL;
  if (nh && nh->kind == HV_NH_ECMP && nh->nmembers) {
    uint32_t m = nh->members[flow_hash(ip, af, avail) % nh->nmembers];
    nh = m < HV_MAX_NH ? &w->core->nh[m] : NULL;
  }
  return nh && nh->kind != HV_NH_NONE && nh->kind != HV_NH_ECMP ? nh : NULL;
}

/* Destination MAC toward `nh` on port `out`; NULL if the packet was queued
 * for ARP/ND or dropped (counted). */
static const uint8_t *next_hop_mac(struct hv_batch *b, const struct hv_nh *nh, uint16_t out, struct hv_pkt *p,
                                   uint8_t af, const uint8_t *dst, struct hv_neigh_entry *ne) {
  struct hv_worker *w = b->w;
  if (nh->kind == HV_NH_MAC) return nh->mac;
  const uint8_t *hop = nh->kind == HV_NH_GATEWAY ? nh->gw : dst;
  uint8_t hop_af = nh->kind == HV_NH_GATEWAY ? nh->af : af;
  if (!hv_neigh_lookup(w->core->neigh, out, hop_af, hop, ne) || !hv_neigh_usable(ne)) {
    int failed = ne->state == HV_NEIGH_FAILED && ne->port == out;
    if (hv_neigh_solicit(w->core->neigh, out, hop_af, hop, b->now)) hv_solicit(w, b->v, out, hop_af, hop);
    if (failed && ne->state == HV_NEIGH_FAILED) {
      CTR(w, b->in, drop_neighbor);
      hv_icmp_error(w, b->pc, b->in, p, af, ICMP_UNREACH, 1, ICMP6_UNREACH, 3, b->now);
      return NULL;
    }
    memcpy(p->data + 6, b->v->ports[out].l3.mac, 6);
    pending_add(w, p, out, hop_af, hop, b->in, b->now);
    return NULL;
  }
  if (ne->state != HV_NEIGH_PERMANENT && b->now - ne->updated >= HV_NEIGH_REACHABLE_S &&
      hv_neigh_solicit(w->core->neigh, out, hop_af, hop, b->now))
    hv_solicit(w, b->v, out, hop_af, hop);
  return ne->mac;
}

/* Routes one IPv4 or IPv6 packet whose FIB result is `id` (IPv6: looked up here). */
static void route(struct hv_batch *b, struct hv_pkt *p, uint8_t af, uint32_t id) {
  struct hv_worker *w = b->w;
  const struct hv_port_cfg *pc = b->pc;
  uint16_t in = b->in;
  uint8_t *ip = p->data + p->l3_off;
  uint32_t avail = p->len - p->l3_off;
  const uint8_t *dst = af == 4 ? ip + 16 : ip + 24;
  if (af == 6) {
    const struct hv_vrf *vrf = pc->l3.vrf < HV_MAX_VRFS ? b->v->vrfs[pc->l3.vrf] : NULL;
    id = vrf && vrf->fib6 ? hv_fib6_lookup(vrf->fib6, dst) : HV_FIB_MISS;
  }
  const struct hv_nh *nh = nh_select(w, id, ip, af, avail);
  if (!nh) {
    CTR(w, in, drop_no_route);
    hv_icmp_error(w, pc, in, p, af, ICMP_UNREACH, 0, ICMP6_UNREACH, 0, b->now);
    return;
  }
  if (nh->kind == HV_NH_LOCAL) {
    if (af == 4) hv_icmp4_local(w, pc, in, p);
    else CTR(w, in, drop_local);
    return;
  }
  if (nh->kind == HV_NH_DROP || nh->kind == HV_NH_REJECT) {
    CTR(w, in, drop_blackhole);
    if (nh->kind == HV_NH_REJECT) /* administratively prohibited */
      hv_icmp_error(w, pc, in, p, af, ICMP_UNREACH, 13, ICMP6_UNREACH, 1, b->now);
    return;
  }
  /* RFC 1812 §5.3.1 / RFC 8200 §3: a packet that would leave with TTL 0 is an error. */
  uint8_t *ttl = af == 4 ? ip + 8 : ip + 7;
  int deliver = 0; /* to our address on a host interface: delivered as is, not forwarded (a TTL-1 eBGP session) */
  if (*ttl <= 1) {
    deliver = af == 4 ? hv_l3_own4(pc, dst) : hv_l3_own6(pc, dst);
    if (!deliver) {
      CTR(w, in, drop_ttl_expired);
      hv_icmp_error(w, pc, in, p, af, ICMP_TIME_EXCEEDED, 0, ICMP6_TIME_EXCEEDED, 0, b->now);
      return;
    }
  }
  if (nh->kind == HV_NH_MPLS) { /* into a tunnel to a remote PE (mpls.h) */
    hv_mpls_put(b, p, af, nh);
    return;
  }
  if (nh->kind == HV_NH_VXLAN) { /* into an L3 VNI tunnel (vxlan.h) */
    hv_vxlan_l3_put(b, p, af, nh);
    return;
  }
  uint16_t out = nh->port;
  const struct hv_port_cfg *po = out < b->v->nports ? &b->v->ports[out] : NULL;
  if (!po || !po->port || !hv_port_is_l3(po)) {
    CTR(w, in, drop_no_route);
    return;
  }
  int gso = p->has_vnet && p->vnet.gso_type;
  uint32_t l3len = af == 4 ? hv_rd16(ip + 2) : 40u + hv_rd16(ip + 4);
  if (!gso && l3len > po->port->mtu) {
    CTR(w, in, drop_too_long);
    return;
  }
  /* TTL/hop limit, and the IPv4 header checksum incrementally (RFC 1624). */
  uint16_t old = hv_rd16(ip + 8);
  if (!deliver) (*ttl)--;
  if (af == 4 && !deliver) hv_wr16(ip + 10, hv_csum_update16(hv_rd16(ip + 10), old, hv_rd16(ip + 8)));
  struct hv_neigh_entry ne;
  const uint8_t *dmac = next_hop_mac(b, nh, out, p, af, dst, &ne);
  if (!dmac) return;
  memcpy(p->data, dmac, 6);
  memcpy(p->data + 6, po->l3.mac, 6);
  hv_txq_put(w, out, p, 0);
  CTR(w, out, routed);
}

/* Is the FIB result `id` for one of our addresses a VM port's host route (a
 * host interface sharing the address)?  Anything else — local, a miss, or a
 * shorter prefix that happens to match (connected, default) — means here. */
static int routed_elsewhere(const struct hv_batch *b, uint32_t id) {
  return id < HV_MAX_NH && b->w->core->nh[id].kind == HV_NH_MAC;
}

static int own6_elsewhere(const struct hv_batch *b, const uint8_t *dst) {
  const struct hv_vrf *vrf = b->pc->l3.vrf < HV_MAX_VRFS ? b->v->vrfs[b->pc->l3.vrf] : NULL;
  return vrf && vrf->fib6 && routed_elsewhere(b, hv_fib6_lookup(vrf->fib6, dst));
}

/* IPv6 for us or never routed: answered (ND, echo) or dropped; returns 1 if consumed. */
static int ip6_local(struct hv_batch *b, struct hv_pkt *p) {
  uint8_t *ip = p->data + p->l3_off;
  uint32_t plen = hv_rd16(ip + 4);
  int icmp6 = ip[6] == PROTO_ICMP6 && plen >= 8 && p->len >= p->l3_off + 40u + plen;
  int nd = icmp6 && ip[40] >= 133 && ip[40] <= 137; /* RFC 4861 messages stay ours */
  if (!nd && hv_l3_own6(b->pc, ip + 24) && own6_elsewhere(b, ip + 24))
    return 0; /* to a host interface sharing our address: routed */
  if (icmp6) {
    if (hv_nd_input(b->w, b->pc, b->in, p, b->now)) return 1;
    if (ip[40] == ICMP6_ECHO && hv_l3_own6(b->pc, ip + 24)) {
      hv_icmp6_echo(b->w, b->pc, b->in, p);
      return 1;
    }
    if (ip[24] == 0xff || hv_l3_own6(b->pc, ip + 24) || (ip[24] == 0xfe && (ip[25] & 0xc0) == 0x80)) return 1;
  }
  static const uint8_t unspec[16];
  int link_local_src = ip[8] == 0xfe && (ip[9] & 0xc0) == 0x80;
  if (link_local_src || memcmp(ip + 8, unspec, 16) == 0 || ip[24] == 0xff) { /* never routed */
    CTR(b->w, b->in, drop_local);
    return 1;
  }
  return 0;
}

/* IPv4 destination lookups for the whole batch at once (the FIB interleaves them). */
static void lookup4_batch(struct hv_batch *b, uint32_t *nhs) {
  uint32_t addrs[HV_BATCH];
  int nb = 0;
  const struct hv_vrf *vrf = b->pc->l3.vrf < HV_MAX_VRFS ? b->v->vrfs[b->pc->l3.vrf] : NULL;
  for (int i = 0; i < b->n; i++)
    if (!b->pkts[i].drop && b->pkts[i].ethertype == ET_IP4)
      addrs[nb++] = hv_rd32(b->pkts[i].data + b->pkts[i].l3_off + 16);
  if (nb && vrf && vrf->fib4) hv_fib4_lookup_batch(vrf->fib4, addrs, nhs, (size_t)nb);
  else for (int j = 0; j < nb; j++) nhs[j] = HV_FIB_MISS;
}

void hv_stage_l3_forward(struct hv_batch *b) {
  uint32_t nhs[HV_BATCH];
  lookup4_batch(b, nhs);
  int k = 0; /* index in nhs of the next IPv4 packet */
  for (int i = 0; i < b->n; i++) {
    struct hv_pkt *p = &b->pkts[i];
    if (p->drop) continue;
    uint8_t *ip = p->data + p->l3_off;
    if (p->ethertype == ET_ARP) {
      hv_arp_input(b->w, b->pc, b->in, p, b->now);
    } else if (p->ethertype == ET_IP4) {
      uint32_t id = nhs[k++];
      if ((hv_l3_own4(b->pc, ip + 16) && ip[9] != PROTO_ICMP && !routed_elsewhere(b, id)) || ip[16] >= 224) /* multicast, broadcast */
        CTR(b->w, b->in, drop_local);
      else
        route(b, p, 4, id);
    } else if (!ip6_local(b, p)) {
      route(b, p, 6, HV_FIB_MISS);
    }
  }
}

void hv_l3_pending(struct hv_batch *b) {
  struct hv_worker *w = b->w;
  for (uint32_t i = 0; i < HV_PENDING; i++) {
    struct hv_pending *q = &w->pending[i];
    if (q->used != 1) continue;
    const struct hv_port_cfg *po = q->port < b->v->nports ? &b->v->ports[q->port] : NULL;
    struct hv_neigh_entry ne;
    if (!po || !po->port || !hv_port_is_l3(po)) {
      q->used = 2; /* port gone: free after this round's tx (nothing queued) */
      continue;
    }
    if (hv_neigh_lookup(w->core->neigh, q->port, q->af, q->ip, &ne) && hv_neigh_usable(&ne)) {
      memcpy(q->pkt.data, ne.mac, 6);
      hv_txq_put(w, q->port, &q->pkt, 0);
      CTR(w, q->port, routed);
      q->used = 2;
    } else if (b->now - q->since > HV_NEIGH_RETRANS_S * HV_NEIGH_PROBES) {
      CTR(w, q->port, drop_neighbor);
      q->used = 2;
    }
  }
}
