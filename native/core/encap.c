/* VXLAN encapsulation (vxlan.h): frames l2_forward sends to a tunnel are
 * queued here with their outer headers and sent by hv_stage_encap, one tx
 * burst on the underlay port per batch (or sooner, when the queue or the
 * segment storage fills).  A frame flooded to several tunnels is segmented
 * once: the segments are reused for each tunnel until the storage is flushed. */
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "gso.h"
#include "mix64.h"
#include "stage.h"

#define ENCAP_Q 256
#define SEG_BYTES (256 * 1024)
#define RUN_BYTES 65000 /* payload of one UDP GSO send, under the 16-bit IP length */

struct hv_encap_state {
  uint16_t port; /* underlay port of the queued requests */
  uint16_t n;
  struct hv_txreq q[ENCAP_Q];
  struct hv_pkt pkts[ENCAP_Q]; /* segments and completed copies */
  uint16_t npkts;
  uint8_t outer[ENCAP_Q][HV_OUTER_MAX];
  /* segment storage and the frame it holds segments of */
  uint32_t seg_used;
  const struct hv_pkt *seg_src;
  uint32_t run_vni;          /* VNI + 1 of the UDP GSO run in storage (pkts seg_first.. seg_n chunks), 0: none */
  uint16_t run_gso;          /* its datagram payload size */
  uint16_t seg_first, seg_n;
  struct hv_seg segs[ENCAP_Q];
  uint8_t seg[SEG_BYTES];
};

struct hv_encap_state *hv_encap_state_create(void) { return calloc(1, sizeof(struct hv_encap_state)); }
void hv_encap_state_destroy(struct hv_encap_state *s) { free(s); }

/* Eight bytes at p (unaligned), as the machine reads them: hashed, never shown. */
static inline uint64_t rd64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}
static inline uint32_t rd32n(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* RFC 7348 §5: the source port is a hash of the inner headers, in the dynamic
 * range.  Hashed: MACs and ethertype, and for IPv4/IPv6 the addresses, the
 * protocol and, for TCP/UDP first fragments, the ports.  Eight bytes at a
 * time through the murmur3 finalizer (mix64.h): a handful of multiplies per
 * frame where a byte-wise FNV took one per byte (26 for IPv4 TCP). */
static uint16_t flow_port(const uint8_t *f, uint32_t len) {
  uint32_t n = 14;
  uint16_t type = hv_rd16(f + 12);
  if (type == HV_ETHERTYPE_VLAN && len >= 18) {
    type = hv_rd16(f + 16);
    n = 18;
  }
  uint64_t h = hv_mix64(rd64(f) ^ ((uint64_t)rd32n(f + 8) << 16 | type));
  const uint8_t *ip = f + n;
  uint32_t l4 = 0, proto = 0;
  if (type == 0x0800 && len >= n + 20) {
    h = hv_mix64(h ^ rd64(ip + 12));
    proto = ip[9];
    if (!(hv_rd16(ip + 6) & 0x1fff)) l4 = n + (uint32_t)(ip[0] & 0xf) * 4;
  } else if (type == 0x86dd && len >= n + 40) {
    h = hv_mix64(h ^ rd64(ip + 8) ^ hv_mix64(rd64(ip + 16)));
    h = hv_mix64(h ^ rd64(ip + 24) ^ hv_mix64(rd64(ip + 32)));
    proto = ip[6];
    l4 = n + 40;
  }
  if (l4 && (proto == 6 || proto == 17) && len >= l4 + 4) h = hv_mix64(h ^ ((uint64_t)proto << 32 | rd32n(f + l4)));
  return (uint16_t)(49152 + ((h ^ (h >> 32)) & 0x3fff));
}

/* Fills the per-frame fields of the outer headers for an inner frame of
 * `inner` bytes: lengths, source port, IPv4 header checksum, and the UDP
 * checksum over IPv6 (`data`/`skip`: the inner frame, minus a tag to drop). */
static void fill_outer(uint8_t *o, const struct hv_tunnel *t, uint16_t sport, const uint8_t *data, uint32_t len,
                       int skip_tag) {
  uint32_t inner = len - (skip_tag ? 4 : 0);
  memcpy(o, t->outer, t->outer_len);
  uint32_t l3 = t->af == 4 ? 20 : 40, udp_len = 8 + HV_VXLAN_HLEN + inner;
  uint8_t *u = o + l3;
  hv_wr16(u, sport);
  hv_wr16(u + 4, (uint16_t)udp_len);
  if (t->af == 4) {
    hv_wr16(o + 2, (uint16_t)(20 + udp_len));
    hv_wr16(o + 10, hv_csum_fold(t->outer_sum + 20 + udp_len)); /* the template's sum + the one field set */
    return; /* UDP checksum 0 (RFC 7348 §5) */
  }
  hv_wr16(o + 4, (uint16_t)udp_len);
  uint32_t sum = hv_csum_add(0, o + 8, 32) + 17 + udp_len;
  sum = hv_csum_add(sum, u, 8 + HV_VXLAN_HLEN);
  sum = hv_csum_add(sum, data, 12);
  sum = hv_csum_add(sum, data + 12 + (skip_tag ? 4 : 0), len - 12 - (skip_tag ? 4 : 0));
  uint16_t c = hv_csum_fold(sum);
  hv_wr16(u + 6, c ? c : 0xffff);
}

/* Sends what is queued; counts it on the underlay port. */
static void flush(struct hv_worker *w, const struct hv_view *v) {
  struct hv_encap_state *s = w->encap;
  if (s->n) {
    struct hv_port *port = v->ports[s->port].port;
    const struct hv_capture *cap = port ? hv_capture_of(w->core, s->port, HV_CAPTURE_OUT) : NULL;
    if (cap) hv_capture_tx(w, cap, s->port, s->q, s->n);
    int sent = port ? port->ops->tx_burst(port, s->q, s->n) : 0;
    struct hv_port_counters *ctr = &w->ctr[s->port];
    uint64_t bytes = 0;
    uint64_t frames = 0;
    for (int k = 0; k < sent; k++) {
      const struct hv_txreq *r = &s->q[k];
      uint32_t segs = r->gso_size ? (r->pkt->len + r->gso_size - 1) / r->gso_size : 1; /* a UDP GSO run: its datagrams */
      frames += segs;
      bytes += (uint64_t)r->outer_len * segs + r->pkt->len - (r->pkt->tag_in_data ? 4u : 0u);
    }
    hv_ctr_add(&ctr->v[HV_CTR_tx_packets], frames);
    hv_ctr_add(&ctr->v[HV_CTR_tx_bytes], bytes);
    hv_ctr_add(&ctr->v[HV_CTR_encap], frames);
    if (sent < s->n) hv_ctr_add(&ctr->v[HV_CTR_drop_tx_error], (uint64_t)(s->n - sent));
  }
  s->n = 0;
  s->npkts = 0;
  s->seg_used = 0;
  s->seg_src = NULL;
  s->run_vni = 0;
}

static void queue(struct hv_encap_state *s, const struct hv_tunnel *t, struct hv_pkt *p, uint16_t sport) {
  uint8_t *o = s->outer[s->n];
  fill_outer(o, t, sport, p->data, p->len, p->tag_in_data);
  s->q[s->n++] = (struct hv_txreq){.pkt = p, .out_tci = 0, .outer_len = t->outer_len, .outer = o};
}

/* Segments (or completes the checksum of) `p` into the storage, untagged;
 * returns 0, or the drop reason. */
static uint8_t segment(struct hv_encap_state *s, struct hv_pkt *p) {
  if (s->seg_src == p && !s->run_vni) return 0;
  int n = hv_gso_segment(p->data, p->len, &p->vnet, s->seg + s->seg_used, SEG_BYTES - s->seg_used,
                         s->segs, ENCAP_Q - s->npkts);
  if (n < 0) return HV_CTR_drop_offload;
  s->seg_src = p;
  s->run_vni = 0;
  s->seg_first = s->npkts;
  s->seg_n = (uint16_t)n;
  for (int i = 0; i < n; i++) {
    uint8_t *d = s->seg + s->seg_used + s->segs[i].off;
    uint32_t len = s->segs[i].len;
    if (p->tag_in_data) { /* the VNI stands for the VLAN: the inner frame goes untagged */
      memmove(d + 4, d, 12);
      d += 4;
      len -= 4;
    }
    s->pkts[s->npkts++] = (struct hv_pkt){.data = d, .len = len, .in_port = p->in_port};
  }
  uint32_t last = (uint32_t)n - 1;
  s->seg_used += s->segs[last].off + s->segs[last].len;
  return 0;
}

/* A TCP GSO frame to a UDP GSO underlay: segmented once with room for a VXLAN
 * header in front of each segment, sent as one run of equal-sized UDP payloads
 * (the kernel builds IP/UDP per datagram).  Returns 0 or the drop reason. */
static uint8_t queue_run(struct hv_encap_state *s, const struct hv_tunnel *t, struct hv_pkt *p, uint16_t sport,
                         uint32_t mtu) {
  uint32_t l4 = t->af == 4 ? 20 : 40;
  if (s->seg_src != p || s->run_vni != t->vni + 1) {
    uint8_t *base = s->seg + s->seg_used;
    int n = hv_gso_segment_gap(p->data, p->len, &p->vnet, base, SEG_BYTES - s->seg_used, s->segs, ENCAP_Q, HV_VXLAN_HLEN);
    if (n < 0) return HV_CTR_drop_offload;
    for (int i = 0; i < n; i++) memcpy(base + s->segs[i].off - HV_VXLAN_HLEN, t->outer + t->outer_len - HV_VXLAN_HLEN, HV_VXLAN_HLEN);
    uint32_t gsz = HV_VXLAN_HLEN + s->segs[0].len; /* every datagram's payload but the last */
    /* one UDP GSO send carries at most 64 datagrams and 64 KiB of payload */
    int per = (int)(RUN_BYTES / gsz);
    if (per > 64) per = 64;
    if (per < 1) per = 1;
    s->seg_first = s->npkts;
    s->seg_n = 0;
    for (int i = 0; i < n; i += per) {
      int last = i + per < n ? i + per - 1 : n - 1;
      uint8_t *from = base + s->segs[i].off - HV_VXLAN_HLEN;
      uint8_t *to = base + s->segs[last].off + s->segs[last].len;
      s->pkts[s->npkts++] = (struct hv_pkt){.data = from, .len = (uint32_t)(to - from), .in_port = p->in_port};
      s->seg_n++;
    }
    s->run_gso = (uint16_t)gsz;
    s->seg_used += s->segs[n - 1].off + s->segs[n - 1].len;
    s->seg_src = p;
    s->run_vni = t->vni + 1;
  }
  if (l4 + 8 + s->run_gso > mtu) return HV_CTR_drop_underlay_mtu;
  for (uint16_t k = 0; k < s->seg_n; k++) {
    uint8_t *o = s->outer[s->n];
    memcpy(o, t->outer, l4 + 8);
    hv_wr16(o + l4, sport);
    s->q[s->n++] = (struct hv_txreq){.pkt = &s->pkts[s->seg_first + k], .outer_len = (uint16_t)(l4 + 8), .outer = o, .gso_size = s->run_gso};
  }
  return 0;
}

void hv_encap_put(struct hv_batch *b, struct hv_pkt *p, hv_egress e) {
  struct hv_worker *w = b->w;
  const struct hv_view *v = b->v;
  struct hv_encap_state *s = w->encap;
  uint32_t id = hv_egress_index(e);
  const struct hv_tunnel *t = w->core->tunnels && id < HV_MAX_TUNNELS ? &w->core->tunnels[id] : NULL;
  if (!t || !atomic_load_explicit(&t->state, memory_order_acquire) || t->underlay >= v->nports ||
      !v->ports[t->underlay].port || !hv_mode_is_underlay(v->ports[t->underlay].mode)) {
    hv_ctr_add(&w->ctr[b->in].v[HV_CTR_drop_no_backend], 1);
    return;
  }
  struct hv_port_counters *uctr = &w->ctr[t->underlay];
  int offload = p->has_vnet && ((p->vnet.flags & HV_VNET_F_NEEDS_CSUM) || p->vnet.gso_type != HV_VNET_GSO_NONE);
  /* requests (and segments) this frame takes: one, or its GSO segment count */
  uint32_t need = offload && p->vnet.gso_type != HV_VNET_GSO_NONE && p->vnet.gso_size ? p->len / p->vnet.gso_size + 1 : 1;
  if (need > ENCAP_Q / 2) {
    hv_ctr_add(&uctr->v[HV_CTR_drop_offload], 1);
    return;
  }
  int cached = offload && s->seg_src == p;
  if ((s->n && s->port != t->underlay) || s->n + need > ENCAP_Q ||
      (offload && !cached && (s->npkts + need > ENCAP_Q || s->seg_used + p->len + need * 160 > SEG_BYTES)))
    flush(w, v);
  s->port = t->underlay;
  uint32_t mtu = v->ports[t->underlay].port->mtu;
  uint16_t sport = flow_port(p->data, p->len);
  if (!offload) {
    if (t->outer_len + p->len - (p->tag_in_data ? 4u : 0u) > mtu) {
      hv_ctr_add(&uctr->v[HV_CTR_drop_underlay_mtu], 1);
      return;
    }
    queue(s, t, p, sport);
    return;
  }
  if (v->ports[t->underlay].port->udp_gso && p->vnet.gso_type != HV_VNET_GSO_NONE && !p->tag_in_data) {
    uint8_t drop = queue_run(s, t, p, sport, mtu);
    if (drop) hv_ctr_add(&uctr->v[drop], 1);
    return;
  }
  uint8_t why = segment(s, p);
  if (why) {
    hv_ctr_add(&uctr->v[why], 1);
    return;
  }
  for (uint16_t i = 0; i < s->seg_n; i++) {
    struct hv_pkt *g = &s->pkts[s->seg_first + i];
    if (t->outer_len + g->len > mtu) {
      hv_ctr_add(&uctr->v[HV_CTR_drop_underlay_mtu], 1);
      continue;
    }
    queue(s, t, g, sport);
  }
}

void hv_stage_encap(struct hv_batch *b) {
  if (b->w->encap->n) flush(b->w, b->v);
}
