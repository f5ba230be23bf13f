/* MPLS encapsulation (mpls.h): a routed packet whose next hop is an MPLS
 * tunnel leaves the VRF here.  Its TTL / hop limit is decremented as for any
 * route (RFC 1812 §5.3.1, RFC 1624 checksum update; RFC 8200), copied into the
 * label entry (RFC 3443 §3 uniform model), and the packet queued on the
 * underlay port's tx queue as [outer IP][UDP | GRE][label][inner IP packet]:
 * the outer header is built in the worker's per-batch storage and goes first
 * in the iovec (port.h), the inner packet is not copied.  The tx stage sends
 * and counts it with the rest of the batch.  A TCP GSO super-frame is cut into
 * segments first (gso.h), in the worker's segment storage, and each segment
 * goes the same way; when the storage or the queue is full, the underlay's
 * queue is sent early (hv_tx_port) and the storage reused. */
#include <string.h>

#include "csum.h"
#include "gso.h"
#include "l3_int.h"

/* RFC 7510 §3: the UDP source port carries entropy from the inner flow,
 * from the dynamic range 49152-65535: addresses, protocol and, for TCP/UDP
 * (IPv4 first fragments), the ports. */
static uint16_t flow_port(const uint8_t *ip, uint8_t af, uint32_t len) {
  uint32_t h = 2166136261u, l4 = 0;
  uint8_t proto;
  if (af == 4) {
    for (int i = 12; i < 20; i++) h = (h ^ ip[i]) * 16777619u;
    proto = ip[9];
    if (!(hv_rd16(ip + 6) & 0x1fff)) l4 = (uint32_t)(ip[0] & 15) * 4;
  } else {
    for (int i = 8; i < 40; i++) h = (h ^ ip[i]) * 16777619u;
    proto = ip[6];
    l4 = 40;
  }
  h = (h ^ proto) * 16777619u;
  if (l4 && (proto == PROTO_TCP || proto == PROTO_UDP) && len >= l4 + 4)
    for (uint32_t i = 0; i < 4; i++) h = (h ^ ip[l4 + i]) * 16777619u;
  h ^= h >> 15;
  return (uint16_t)(49152 + (h & 0x3fff));
}

/* Fills the per-packet fields of tunnel `t`'s outer header `o` for an inner
 * packet `ip` of `len` bytes: lengths, the label entry, the UDP source port,
 * and if `sums`, the IPv4 header checksum and the UDP checksum over IPv6 (RFC
 * 8200 §8.1).  The MPLS port's sockets have the kernel build the outer IP
 * header and the UDP checksum (port_mpls.c): no sums for it, they would be
 * thrown away (over IPv6, a pass over the whole packet). */
static void fill_outer(uint8_t *o, const struct hv_mpls_tunnel *t, uint32_t label, uint8_t ttl, const uint8_t *ip,
                       uint32_t len, int sums) {
  uint32_t l3 = t->af == 4 ? 20 : 40, after = t->outer_len - l3 + len; /* bytes after the outer IP header */
  memcpy(o, t->outer, t->outer_len);
  hv_wr32(o + t->outer_len - 4, label << 12 | 1u << 8 | ttl); /* TC 0, S (bottom of stack) */
  uint8_t *u = o + l3;
  if (t->encap == HV_MPLS_UDP) {
    hv_wr16(u, flow_port(ip, ip[0] >> 4 == 4 ? 4 : 6, len));
    hv_wr16(u + 4, (uint16_t)after);
  }
  if (t->af == 4) {
    hv_wr16(o + 2, (uint16_t)(20 + after));
    if (sums) hv_wr16(o + 10, hv_csum_fold(hv_csum_add(0, o, 20)));
    return; /* UDP checksum 0 over IPv4 (RFC 7510 §3) */
  }
  hv_wr16(o + 4, (uint16_t)after);
  if (t->encap != HV_MPLS_UDP || !sums) return;
  uint32_t sum = hv_csum_add(0, o + 8, 32) + 17 + after;
  sum = hv_csum_add(sum, u, 12); /* UDP header and the label entry */
  sum = hv_csum_add(sum, ip, len);
  uint16_t c = hv_csum_fold(sum);
  hv_wr16(u + 6, c ? c : 0xffff);
}

/* The tunnel of `nh` if it is installed on a usable MPLS underlay port. */
static const struct hv_mpls_tunnel *tunnel_of(const struct hv_worker *w, const struct hv_view *v,
                                              const struct hv_nh *nh) {
  const struct hv_mpls_tunnel *ts = w->core->mpls.tunnels;
  const struct hv_mpls_tunnel *t = ts && nh->tunnel < HV_MAX_MPLS_TUNNELS ? &ts[nh->tunnel] : NULL;
  if (!t || !atomic_load_explicit(&t->state, memory_order_acquire) || t->underlay >= v->nports) return NULL;
  const struct hv_port_cfg *u = &v->ports[t->underlay];
  return u->port && u->port->mpls && hv_port_is_underlay(u) ? t : NULL;
}

/* Whether port `id` is in the worker's list of ports to send (an early send
 * empties its queue but leaves it listed). */
static int listed(const struct hv_worker *w, uint16_t id) {
  for (uint16_t i = 0; i < w->ndirty; i++)
    if (w->dirty[i] == id) return 1;
  return 0;
}

/* Queues packet `p` (its IP header at l3_off, complete checksums, no GSO)
 * into tunnel `t` with outer header storage `o`: MTU check, TTL - 1, the outer
 * header, the tx request.  A full underlay queue is sent first. */
static void put_one(struct hv_batch *b, const struct hv_mpls_tunnel *t, struct hv_pkt *p, uint8_t af,
                    const struct hv_nh *nh, uint8_t *o) {
  struct hv_worker *w = b->w;
  uint8_t *ip = p->data + p->l3_off;
  uint32_t avail = p->len - p->l3_off, len = af == 4 ? hv_rd16(ip + 2) : 40u + hv_rd16(ip + 4);
  if (len > avail) len = avail;
  const struct hv_port *up = b->v->ports[t->underlay].port;
  if (t->outer_len + len > up->mtu) {
    CTR(w, t->underlay, drop_underlay_mtu);
    return;
  }
  uint8_t *ttl = af == 4 ? ip + 8 : ip + 7;
  uint16_t old = hv_rd16(ip + 8);
  (*ttl)--;
  if (af == 4) hv_wr16(ip + 10, hv_csum_update16(hv_rd16(ip + 10), old, hv_rd16(ip + 8)));
  fill_outer(o, t, nh->label & HV_MPLS_LABEL_MAX, *ttl, ip, len, up->kind != HV_PORT_MPLS);
  p->data = ip;
  p->len = len;
  p->l3_off = 0;
  p->tag_in_data = 0;
  struct hv_txq *q = &w->txq[t->underlay];
  if (q->n == HV_BATCH * 2) hv_tx_port(w, b->v, t->underlay); /* segments of GSO frames fill it */
  if (q->n == 0 && !listed(w, t->underlay)) w->dirty[w->ndirty++] = t->underlay;
  q->r[q->n++] = (struct hv_txreq){.pkt = p, .outer_len = t->outer_len, .outer = o};
  CTR(w, t->underlay, mpls_encap);
}

/* A GSO frame: cut into segments in the worker's storage (sending the
 * underlay's queue first if the storage is short), each segment queued. */
static void put_gso(struct hv_batch *b, const struct hv_mpls_tunnel *t, struct hv_pkt *p, uint8_t af,
                    const struct hv_nh *nh) {
  struct hv_worker *w = b->w;
  struct hv_mpls_state *s = w->mpls;
  uint32_t mss = p->vnet.gso_size ? p->vnet.gso_size : 1;
  uint32_t nseg = p->len / mss + 1, need = p->len + nseg * 128; /* every segment has a copy of the headers */
  if (nseg > HV_MPLS_SEGS || need > HV_MPLS_SEG_BYTES) {
    CTR(w, t->underlay, drop_offload);
    return;
  }
  if (s->nseg + nseg > HV_MPLS_SEGS || s->seg_used + need > HV_MPLS_SEG_BYTES) {
    hv_tx_port(w, b->v, t->underlay); /* only this stage queues on the underlay: its segments are sent */
    s->nseg = 0;
    s->seg_used = 0;
  }
  uint8_t *base = s->seg + s->seg_used;
  int n = hv_gso_segment(p->data, p->len, &p->vnet, base, HV_MPLS_SEG_BYTES - s->seg_used, s->segs,
                         HV_MPLS_SEGS - s->nseg);
  if (n < 0) {
    CTR(w, t->underlay, drop_offload);
    return;
  }
  s->seg_used += s->segs[n - 1].off + s->segs[n - 1].len;
  for (int i = 0; i < n; i++) {
    uint16_t k = s->nseg++;
    struct hv_pkt *g = &s->seg_pkts[k];
    *g = (struct hv_pkt){.data = base + s->segs[i].off, .len = s->segs[i].len, .l3_off = p->l3_off, .in_port = p->in_port};
    put_one(b, t, g, af, nh, s->seg_outer[k]);
  }
}

void hv_mpls_batch_sent(struct hv_worker *w) {
  if (!w->mpls) return;
  w->mpls->nseg = 0;
  w->mpls->seg_used = 0;
}

void hv_mpls_put(struct hv_batch *b, struct hv_pkt *p, uint8_t af, const struct hv_nh *nh) {
  struct hv_worker *w = b->w;
  if (hv_port_is_underlay(b->pc)) { /* out of a tunnel: never back into one */
    CTR(w, b->in, drop_tunnel_hairpin);
    return;
  }
  const struct hv_mpls_tunnel *t = tunnel_of(w, b->v, nh);
  uintptr_t slot = ((uintptr_t)p - (uintptr_t)w->pkts) / sizeof *p; /* its index in the received batch */
  if (!t || (uintptr_t)p < (uintptr_t)w->pkts || slot >= HV_BATCH) {
    CTR(w, b->in, drop_no_backend);
    return;
  }
  if (p->has_vnet && p->vnet.gso_type != HV_VNET_GSO_NONE) {
    put_gso(b, t, p, af, nh);
    return;
  }
  if (p->has_vnet && (p->vnet.flags & HV_VNET_F_NEEDS_CSUM) && hv_csum_complete(p->data, p->len, &p->vnet) != HV_GSO_OK) {
    CTR(w, t->underlay, drop_offload);
    return;
  }
  p->has_vnet = 0;
  put_one(b, t, p, af, nh, w->mpls->outer[slot]);
}
